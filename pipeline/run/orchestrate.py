"""One run: ingest → validate → aggregate, then every document of the period
(report, annex, conference minutes, news item, a feedback sheet per commune and
the return-status workbook) from the same figures.

`prepare` does everything but writing, so the template lint can check each
template against exactly the context the run gives it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.files import remove_leftovers, write_bytes, write_json
from pipeline.core.jobs import DocumentJob, Format
from pipeline.core.model import (
    CheckedReturn,
    MeetingRecord,
    PeriodSettings,
    Problem,
    Settings,
    Statistics,
    StatusRow,
    Unit,
    ValidationResult,
    Workbook,
)
from pipeline.core.parallel import ordered_map
from pipeline.documents.annex import write_annex_xlsx
from pipeline.documents.feedback import FEEDBACK_FOLDER, feedback_sheets
from pipeline.documents.minutes import minutes_context, minutes_template
from pipeline.documents.news import NEWS_STEM, news_blockers, news_context
from pipeline.documents.report import report_context
from pipeline.documents.run_page import write_run_page
from pipeline.documents.status import status_rows, write_status_xlsx
from pipeline.figures.aggregate import STATISTICS_FILE, aggregate, statistics_json
from pipeline.intake.contract import PERIOD_SETTINGS_FILE
from pipeline.intake.ingest import find_returns, read_return
from pipeline.intake.meeting import load_meeting
from pipeline.intake.registry import load_registry
from pipeline.intake.settings import EMPTY_PERIOD_SETTINGS, load_period_settings, load_settings
from pipeline.intake.validate import check_return, settle
from pipeline.render.templating import TEMPLATES, TEXT_TEMPLATES, make_environment, make_text_environment, render_text
from pipeline.render.word import render_docx
from pipeline.run.manifest import build_manifest, write_manifest
from pipeline.vn.periods import Period

REPORT_FILE = "bao-cao-so-ket.docx"
MINUTES_FILE = "bien-ban-hoi-nghi.docx"
ANNEX_FILE = "phu-luc.xlsx"
STATUS_FILE = "tinh-trang-bao-cao.xlsx"


@dataclass(frozen=True)
class Prepared:
    period: Period
    validation: ValidationResult
    statistics: Statistics
    documents: tuple[DocumentJob, ...]  # the report first; the feedback sheets last
    notes: tuple[str, ...]
    status_rows: tuple[StatusRow, ...]


@dataclass(frozen=True)
class RunResult:
    period: Period
    validation: ValidationResult
    statistics: Statistics
    written: tuple[Path, ...]
    notes: tuple[str, ...]
    status_rows: tuple[StatusRow, ...]


def validate_period(period: Period, inputs: Path, registry: Sequence[Unit],
                    on_progress: Callable[[int, int], None] | None = None,
                    today: dt.date | None = None) -> ValidationResult:
    """Stages 1 and 2 for a period: each return read and checked on its own (both
    cores share the returns of a big run, and the cells of a workbook never leave
    the process that read it), then the returns weighed together. `today`, the
    run's date that no date in a return may pass, is the clock's unless given."""
    files = find_returns(inputs / period.code)
    read_and_check = functools.partial(_read_and_check, units={u.code: u for u in registry}, period=period,
                                       today=today or dt.date.today())
    return settle(ordered_map(read_and_check, files.returns, on_progress), registry, files.ignored)


def _read_and_check(entry: tuple[str, Path], units: Mapping[str, Unit], period: Period,
                    today: dt.date) -> CheckedReturn | Problem:
    read = read_return(entry)
    return check_return(read, units, period, today=today) if isinstance(read, Workbook) else read


def meeting_documents(record: MeetingRecord, stats: Statistics, settings: Settings,
                      period_settings: PeriodSettings) -> tuple[list[DocumentJob], list[str]]:
    """Whatever the record allows: nothing without a readable record; the minutes
    from any readable one, blanks left to fill in by hand; the news item only when
    nothing it needs is missing, since a public item must have no blanks."""
    notes = list(record.problems)
    meeting = record.meeting
    if meeting is None:
        notes.append(f"Chưa viết biên bản hội nghị và tin bài: cần tệp {record.file} đọc được "
                     f"(xem README, mục “Biên bản hội nghị và tin bài”).")
        return [], notes
    jobs = [DocumentJob(TEMPLATES / minutes_template(meeting), minutes_context(meeting, stats, settings),
                        MINUTES_FILE)]
    if record.problems:
        notes.append(f"Biên bản hội nghị để chỗ trống (……) ở những mục {record.file.name} còn thiếu, "
                     f"để thư ký điền tay.")
    if missing := news_blockers(meeting):
        notes.append(f"Chưa viết tin bài: tệp {record.file} còn thiếu {', '.join(missing)}.")
        return jobs, notes
    context = news_context(meeting, stats, settings, period_settings)
    jobs += [
        DocumentJob(TEMPLATES / f"{NEWS_STEM}.docx", context, f"{NEWS_STEM}.docx"),
        DocumentJob(TEXT_TEMPLATES / f"{NEWS_STEM}.html", context, f"{NEWS_STEM}.html", Format.HTML),
        DocumentJob(TEXT_TEMPLATES / f"{NEWS_STEM}.txt", context, f"{NEWS_STEM}.txt", Format.TEXT),
    ]
    return jobs, notes


def prepare(period: Period, inputs: Path, on_progress: Callable[[int, int], None] | None = None) -> Prepared:
    """Raises SettingsError / RegistryError when the run itself cannot proceed;
    the conference record never stops it."""
    settings = load_settings(inputs)
    period_settings = load_period_settings(inputs / period.code)
    notes = []
    if period_settings is EMPTY_PERIOD_SETTINGS:
        notes.append(f"Chưa có tệp {inputs / period.code / PERIOD_SETTINGS_FILE}: số, ngày văn bản và phần lời "
                     f"của báo cáo (tình hình triển khai, đánh giá, phương hướng, kiến nghị) để trống.")
    registry = load_registry(inputs)
    validation = validate_period(period, inputs, registry, on_progress)
    stats = aggregate(validation, registry, settings, period)
    report = DocumentJob(TEMPLATES / REPORT_FILE, report_context(stats, settings, period_settings), REPORT_FILE)
    meeting_jobs, meeting_notes = meeting_documents(load_meeting(inputs / period.code), stats, settings,
                                                    period_settings)
    feedback = feedback_sheets(validation, registry, settings, period_settings, period)
    return Prepared(period, validation, stats, (report, *meeting_jobs, *feedback.jobs), tuple(notes + meeting_notes),
                    status_rows(validation, registry, feedback.files))


def remove_stale_feedback(folder: Path, written: tuple[Path, ...]) -> None:
    """Feedback sheets an earlier run wrote that this one did not (a return since
    replaced or withdrawn): left in place they would tell a commune something false."""
    sheets = folder / FEEDBACK_FOLDER
    if sheets.is_dir():
        for path in set(sheets.glob("*.docx")) - set(written):
            path.unlink(missing_ok=True)


def write_jobs(jobs: Sequence[DocumentJob], folder: Path) -> list[Path]:
    """Every document, in order; several processes share the work when there are many."""
    return write_all([functools.partial(_write_job, job, folder) for job in jobs])


def write_all(writers: Sequence[Callable[[], Path]]) -> list[Path]:
    """Run each writer (a picklable call that writes one file and returns its path),
    in a process pool when there are many; the paths come back in order."""
    return list(ordered_map(_call, writers))


def _call(writer: Callable[[], Path]) -> Path:
    return writer()


def _write_job(job: DocumentJob, folder: Path) -> Path:
    target = folder / job.file_name
    if job.format is Format.DOCX:
        return render_docx(job.template, job.context, target)
    environment = make_environment() if job.format is Format.HTML else make_text_environment()
    return write_bytes(target, render_text(environment, job.template, job.context))


def run_report(period: Period, inputs: Path, outputs: Path,
               on_progress: Callable[[int, int], None] | None = None) -> RunResult:
    prepared = prepare(period, inputs, on_progress)
    stats = prepared.statistics
    folder = outputs / period.code
    if folder.is_dir():
        remove_leftovers(folder)
    report = prepared.documents[0].context
    status_title = f"TÌNH TRẠNG BÁO CÁO CỦA CÁC {report['kinds']['communes'].upper()} {period.label().upper()}"
    report_job, *other_jobs = prepared.documents
    # The biggest files first, so that in a pool they do not finish last, alone.
    written = tuple(write_all([
        functools.partial(_write_job, report_job, folder),
        functools.partial(write_annex_xlsx, stats.rows, stats.totals,
                          f"{report['annex']['title']} {period.label().upper()}", report["kinds"]["villages"],
                          folder / ANNEX_FILE, report["annex"]["subtitle"], report["doc"]["author"]),
        functools.partial(write_status_xlsx, prepared.status_rows, status_title, folder / STATUS_FILE,
                          report["doc"]["author"]),
        functools.partial(write_json, folder / STATISTICS_FILE, statistics_json(stats)),
        *(functools.partial(_write_job, job, folder) for job in other_jobs),
    ]))
    remove_stale_feedback(folder, written)
    written += (write_run_page(folder, stats, prepared.status_rows, written, prepared.notes),)
    manifest = build_manifest(period, inputs, prepared.validation, folder, written)
    written += (write_manifest(manifest, folder),)
    return RunResult(period, prepared.validation, stats, written, prepared.notes, prepared.status_rows)
