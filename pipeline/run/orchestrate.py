"""One run: ingest → validate → aggregate, then every document of the period
(report, annex, conference minutes, news item, a feedback sheet per commune and
the return-status workbook) from the same figures.

`prepare` does everything but writing, so the template lint can check each
template against exactly the context the run gives it.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.files import write_bytes, write_json
from pipeline.core.jobs import DocumentJob, Format
from pipeline.core.model import (
    CheckedReturn,
    FileDigest,
    MeetingRecord,
    PeriodSettings,
    Receipt,
    ReturnFiles,
    Settings,
    Statistics,
    StatusRow,
    Unit,
    UnreadableFile,
    ValidationResult,
)
from pipeline.core.parallel import ordered_map
from pipeline.documents.annex import write_annex_xlsx
from pipeline.documents.feedback import feedback_sheets
from pipeline.documents.minutes import minutes_context, minutes_template
from pipeline.documents.news import NEWS_STEM, news_blockers, news_context
from pipeline.documents.report import report_context
from pipeline.documents.run_page import write_run_page
from pipeline.documents.status import deadline_note, status_rows, write_status_xlsx
from pipeline.figures.aggregate import aggregate, statistics_json
from pipeline.figures.timeliness import period_dates, timeliness
from pipeline.figures.wording import DEFAULT_VILLAGE_KINDS, Wording, commune_kind_names
from pipeline.intake.confirmations import apply_confirmations, load_confirmations
from pipeline.intake.contract import FORMS_FOLDER, PERIOD_SETTINGS_FILE, REGISTRY_FILES, STATISTICS_FILE
from pipeline.intake.ingest import find_returns, read_return
from pipeline.intake.meeting import load_meeting
from pipeline.intake.outliers import flag_outliers, read_statistics
from pipeline.intake.registry import load_registry
from pipeline.intake.rules import RuleSet, load_rules
from pipeline.intake.settings import EMPTY_PERIOD_SETTINGS, load_period_settings, load_settings
from pipeline.intake.severance_basis import BASES, Basis
from pipeline.intake.validate import check_return, settle
from pipeline.render.check import village_terms
from pipeline.render.templating import TEMPLATES, TEXT_TEMPLATES, make_environment, make_text_environment, render_text
from pipeline.render.word import compiled, render_docx
from pipeline.run.manifest import MANIFEST_FILE, build_manifest, record_outputs, write_manifest
from pipeline.run.progress import Phases, no_progress
from pipeline.run.publish import check_apart, new_set, published
from pipeline.run.receipts import Clock, peek_receipts, record_receipts, system_clock
from pipeline.vn.dates import format_cited_date
from pipeline.vn.periods import Period
from pipeline.vn.units import village_level_phrase

# The steps a watcher is shown (`Phases`): the two that grow with the number of communes.
READING = "Đọc và kiểm tra báo cáo"
WRITING = "Viết văn bản"

REPORT_FILE = "bao-cao-so-ket.docx"
MINUTES_FILE = "bien-ban-hoi-nghi.docx"
ANNEX_FILE = "phu-luc.xlsx"
STATUS_FILE = "tinh-trang-bao-cao.xlsx"


# The previous period's `tong-hop.json` as `read_statistics` gives it: (its data, why it cannot be used).
PreviousRead = tuple[Mapping[str, Any] | None, str | None]


def previous_statistics(period: Period, outputs: Path) -> PreviousRead:
    """Read once a run: the outlier rules compare with it, the run page shows it."""
    return read_statistics(outputs / period.previous().code / STATISTICS_FILE)


@dataclass(frozen=True)
class Prepared:
    period: Period
    settings: Settings
    files: ReturnFiles  # the returns read, each under a name no other file has
    validation: ValidationResult
    statistics: Statistics
    documents: tuple[DocumentJob, ...]  # the report first; the feedback sheets last
    notes: tuple[str, ...]
    status_rows: tuple[StatusRow, ...]
    previous: PreviousRead


@dataclass(frozen=True)
class RunResult:
    period: Period
    settings: Settings  # the office's, as the run read them
    validation: ValidationResult
    statistics: Statistics
    written: tuple[Path, ...]
    notes: tuple[str, ...]
    status_rows: tuple[StatusRow, ...]


def validate_period(period: Period, inputs: Path, registry: Sequence[Unit], outputs: Path,
                    on_progress: Callable[[int, int], None] | None = None,
                    today: dt.date | None = None, basis: Basis | None = None) -> ValidationResult:
    """Stages 1 and 2 for a period (`validate_files` on the period's folder)."""
    return validate_files(find_returns(inputs / period.code), period, inputs, registry, outputs, on_progress, today,
                          basis)


def validate_files(files: ReturnFiles, period: Period, inputs: Path, registry: Sequence[Unit], outputs: Path,
                   on_progress: Callable[[int, int], None] | None = None,
                   today: dt.date | None = None, basis: Basis | None = None,
                   previous_read: PreviousRead | None = None) -> ValidationResult:
    """Each return read and checked on its own, its check rules with it (both cores
    share the returns of a big run, and the cells of a workbook never leave the
    process that read it); then the returns weighed together, the outlier rules
    against the other units and against the previous period's results in `outputs`;
    then the office's confirmations. `today`, the run's date that no date in a
    return may pass, is the clock's unless given; `basis`, the legal basis severance
    amounts are recomputed under, if any; `previous_read`, the previous period's
    results when the caller has read them already. Raises SettingsError for a wrong
    quy-tac.yaml or xac-nhan.yaml."""
    units = {u.code: u for u in registry}
    rules, notes = load_rules(inputs, period.code)
    confirmations = load_confirmations(inputs / period.code, rules, units)
    read_and_check = functools.partial(_read_and_check, units=units, period=period, today=today or dt.date.today(),
                                       rules=rules, basis=basis)
    settled = settle(ordered_map(read_and_check, files.returns, on_progress), registry, files.ignored)
    previous_period = period.previous()
    previous, unreadable = previous_read or previous_statistics(period, outputs)
    flagged = flag_outliers(dataclasses.replace(settled, notes=notes), rules, previous, previous_period,
                            unreadable or f"chưa có kết quả của {previous_period.label()} (tệp "
                                          f"{previous_period.code}/{STATISTICS_FILE} trong thư mục kết quả)")
    return apply_confirmations(flagged, confirmations)


def _read_and_check(entry: tuple[str, Path], units: Mapping[str, Unit], period: Period, today: dt.date,
                    rules: RuleSet, basis: Basis | None) -> CheckedReturn | UnreadableFile:
    read = read_return(entry)
    if isinstance(read, UnreadableFile):
        return read
    return check_return(read, units, period, today=today, rules=rules, basis=basis)


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
    wording = Wording(stats, settings.style, settings.drafting_unit)
    returns = stats.returns
    if meeting.news.only_when_complete and returns.valid < returns.expected:
        notes.append(wording.held_news_note(record.file.name))
        return jobs, notes
    if wording.partial:
        notes.append(wording.partial_news_note())
    context = news_context(meeting, stats, settings, period_settings)
    jobs += [
        DocumentJob(TEMPLATES / f"{NEWS_STEM}.docx", context, f"{NEWS_STEM}.docx"),
        DocumentJob(TEXT_TEMPLATES / f"{NEWS_STEM}.html", context, f"{NEWS_STEM}.html", Format.HTML),
        DocumentJob(TEXT_TEMPLATES / f"{NEWS_STEM}.txt", context, f"{NEWS_STEM}.txt", Format.TEXT),
    ]
    return jobs, notes


# The office-written parts of bao-cao.yaml, by key.
_NARRATIVE_KEYS = ("subject", "intro", "direction", "advantages", "difficulties", "causes", "tasks", "proposals")


# The day the two-tier local government began: nearly every commune was merged into a new one.
TWO_TIER_START = dt.date(2025, 7, 1)


def commune_merge_notes(period: Period, stats: Statistics) -> list[str]:
    """When a period spans 1 July 2025 and the registry names no commune merged: the report
    would say none was, which that day makes unlikely; the office fills the registry's
    merges in, or rewrites the sentence."""
    start, end = period.cutoff_window()
    if stats.communes_merged or not start <= TWO_TIER_START <= end:
        return []
    return [f"Danh mục đơn vị ({' hoặc '.join(REGISTRY_FILES)}) không ghi đơn vị nào ở cột «Sáp nhập từ», nên báo "
            f"cáo ghi: «Trong kỳ không có đơn vị hành chính cấp xã nào thực hiện sáp nhập». Kỳ này có ngày "
            f"{format_cited_date(TWO_TIER_START)}, ngày các đơn vị hành chính cấp xã được sắp xếp lại theo mô hình chính quyền địa phương 2 "
            f"cấp: ghi cột «Sáp nhập từ» cho các đơn vị mới, hoặc sửa câu đó trong dự thảo."]


def narrative_term_notes(period_settings: PeriodSettings, stats: Statistics, path: Path) -> list[str]:
    """Where the office's own paragraphs name the level below the commune otherwise than
    the figures do ("thôn, tổ dân phố" where the returns hold thôn and tiểu khu): the
    report would call it two ways; the office rewrites the paragraph."""
    term = village_level_phrase(stats.villages.after.kinds or DEFAULT_VILLAGE_KINDS)
    notes = []
    for key in _NARRATIVE_KEYS:
        value = getattr(period_settings, key)
        for number, paragraph in enumerate((value,) if isinstance(value, str) else value, start=1):
            for found in dict.fromkeys(village_terms(paragraph)):
                if found != term:
                    where = key if isinstance(value, str) else f"{key}, đoạn {number}"
                    notes.append(f"Tệp {path}, mục {where}, ghi «{found}»; số liệu của kỳ gọi cấp dưới xã là "
                                 f"«{term}». Sửa đoạn đó cho thống nhất với báo cáo.")
    return notes


# Given the returns read (file name, digest of its bytes), when each was received, by SHA-256.
Receive = Callable[[Sequence[tuple[str, FileDigest]]], Mapping[str, Receipt]]


@dataclass(frozen=True)
class Checked:
    """A period's returns checked and added up, with what goes back to the communes."""

    settings: Settings
    period_settings: PeriodSettings
    registry: tuple[Unit, ...]
    files: ReturnFiles
    validation: ValidationResult
    statistics: Statistics
    feedback: tuple[DocumentJob, ...]
    status_rows: tuple[StatusRow, ...]
    notes: tuple[str, ...]
    previous: PreviousRead  # read once, for the outlier rules and the run page


def check_period(period: Period, inputs: Path, outputs: Path, receive: Receive, progress: Phases = no_progress,
                 today: dt.date | None = None) -> Checked:
    """Everything `validate` publishes: the returns checked, their receipts looked up
    with `receive`, the figures, the feedback sheets to write and the status rows.
    Raises SettingsError / RegistryError when the run itself cannot proceed."""
    settings = load_settings(inputs)
    period_settings = load_period_settings(inputs / period.code)
    notes = []
    if period_settings is EMPTY_PERIOD_SETTINGS:
        notes.append(f"Chưa có tệp {inputs / period.code / PERIOD_SETTINGS_FILE}: số, ngày văn bản và phần lời "
                     f"của báo cáo (tình hình triển khai, đánh giá, phương hướng, kiến nghị) để trống.")
    registry = tuple(load_registry(inputs))
    files = find_returns(inputs / period.code)
    previous = previous_statistics(period, outputs)
    validation = validate_files(files, period, inputs, registry, outputs, progress(READING), today,
                                basis=BASES.get(settings.severance_basis), previous_read=previous)
    receipts = receive([(o.file, o.digest) for o in validation.outcomes if o.digest])
    timely = timeliness(validation, registry, receipts, *period_dates(period, settings, period_settings))
    stats = aggregate(validation, registry, settings, period, timely)
    notes += narrative_term_notes(period_settings, stats, inputs / period.code / PERIOD_SETTINGS_FILE)
    notes += commune_merge_notes(period, stats)
    feedback = feedback_sheets(validation, registry, settings, period_settings, period)
    return Checked(settings, period_settings, registry, files, validation, stats, feedback.jobs,
                   status_rows(validation, registry, feedback.files, timely), (*notes, *validation.notes), previous)


def prepare(period: Period, inputs: Path, outputs: Path, progress: Phases = no_progress,
            receive: Receive | None = None) -> Prepared:
    """`check_period` and every document's context; the conference record never stops
    it. `outputs`: where the previous period's results are, for the rules that compare
    with them, and the receipt ledger, which `receive` (by default) only reads."""
    receive = receive or functools.partial(peek_receipts, outputs / period.code, clock=system_clock)
    checked = check_period(period, inputs, outputs, receive, progress)
    stats, settings, period_settings = checked.statistics, checked.settings, checked.period_settings
    report = DocumentJob(TEMPLATES / REPORT_FILE, report_context(stats, settings, period_settings), REPORT_FILE)
    meeting_jobs, meeting_notes = meeting_documents(load_meeting(inputs / period.code), stats, settings,
                                                    period_settings)
    return Prepared(period, settings, checked.files, checked.validation, stats,
                    (report, *meeting_jobs, *checked.feedback), (*checked.notes, *meeting_notes),
                    checked.status_rows, checked.previous)


def status_title(commune_kinds: str, period: Period) -> str:
    """`TÌNH TRẠNG BÁO CÁO CỦA CÁC XÃ, THỊ TRẤN THÁNG 11 NĂM 2020`."""
    return f"TÌNH TRẠNG BÁO CÁO CỦA CÁC {commune_kinds.upper()} {period.label().upper()}"


def compile_shared_templates(jobs: Sequence[DocumentJob]) -> None:
    """Compile each Word template that several documents use (the feedback sheet) once,
    here, before a pool forks: each worker then inherits it instead of compiling it again."""
    uses = collections.Counter(job.template for job in jobs if job.format is Format.DOCX)
    for template, count in uses.items():
        if count > 1:
            compiled(template)


def job_writers(jobs: Sequence[DocumentJob], folder: Path) -> list[Callable[[], Path]]:
    """A writer per document for `write_all`, the templates they share compiled first."""
    compile_shared_templates(jobs)
    return [functools.partial(_write_job, job, folder) for job in jobs]


def write_jobs(jobs: Sequence[DocumentJob], folder: Path) -> list[Path]:
    """Every document, in order; several processes share the work when there are many."""
    return write_all(job_writers(jobs, folder))


def write_all(writers: Sequence[Callable[[], Path]],
              on_done: Callable[[int, int], None] | None = None) -> list[Path]:
    """Run each writer (a picklable call that writes one file and returns its path),
    in a process pool when there are many; the paths come back in order."""
    return list(ordered_map(_call, writers, on_done))


def _call(writer: Callable[[], Path]) -> Path:
    return writer()


def _write_job(job: DocumentJob, folder: Path) -> Path:
    target = folder / job.file_name
    if job.format is Format.DOCX:
        return render_docx(job.template, job.context, target)
    environment = make_environment() if job.format is Format.HTML else make_text_environment()
    return write_bytes(target, render_text(environment, job.template, job.context))


def _blank_form(relative: str) -> bool:
    """A blank form an earlier `forms` command wrote: a run keeps it in the new set."""
    return relative.startswith(f"{FORMS_FOLDER}/")


def report_writers(prepared: Prepared, folder: Path, plain: Mapping[str, Any]) -> list[Callable[[], Path]]:
    """A writer for each file `report` writes into `folder` but the run page and the
    manifest, which list them; `plain`: the figures for tong-hop.json."""
    stats, period = prepared.statistics, prepared.period
    report, communes = prepared.documents[0].context, commune_kind_names(stats)
    report_writer, *other_writers = job_writers(prepared.documents, folder)
    # The biggest files first, so that in a pool they do not finish last, alone.
    return [
        report_writer,
        functools.partial(write_annex_xlsx, stats.rows, stats.totals,
                          f"{report['annex']['title']} {period.label().upper()}", report["kinds"]["villages"],
                          report["annex"]["villages_target"], folder / ANNEX_FILE, report["annex"]["subtitle"],
                          report["doc"]["author"], report["merges_annex"], communes=communes),
        functools.partial(write_status_xlsx, prepared.status_rows, status_title(communes, period),
                          folder / STATUS_FILE, report["doc"]["author"], deadline_note(stats.timeliness)),
        functools.partial(write_json, folder / STATISTICS_FILE, plain),
        *other_writers,
    ]


def run_report(period: Period, inputs: Path, outputs: Path, progress: Phases = no_progress,
               clock: Clock = system_clock) -> RunResult:
    """Every document of the period, published into `outputs/<PERIOD>/` as one set
    that replaces the previous run's whole (see `pipeline.run.publish`); the blank
    forms an earlier `forms` command wrote there stay in the set. The returns not
    seen before are entered in the receipt ledger as received at `clock()`."""
    check_apart(inputs, outputs)
    folder = outputs / period.code
    prepared = prepare(period, inputs, outputs, progress, functools.partial(record_receipts, folder, clock=clock))
    stats = prepared.statistics
    plain = statistics_json(stats)  # tong-hop.json and the run page's figures
    with new_set(folder, keep=_blank_form) as (staging, kept):
        written = tuple(write_all(report_writers(prepared, staging, plain), progress(WRITING)))
        written += (write_run_page(staging, stats, prepared.status_rows, written, prepared.notes, plain,
                                   prepared.previous),)
        write_manifest(build_manifest(period, inputs, prepared.files, prepared.validation, staging,
                                      written + tuple(kept)), staging)
    written = tuple(published(path, staging, folder) for path in (*written, staging / MANIFEST_FILE))
    return RunResult(period, prepared.settings, prepared.validation, stats, written, prepared.notes,
                     prepared.status_rows)


@dataclass(frozen=True)
class ValidateResult:
    validation: ValidationResult
    expected: int
    written: tuple[Path, ...]
    notes: tuple[str, ...]


def run_validate(period: Period, inputs: Path, outputs: Path, progress: Phases = no_progress,
                 clock: Clock = system_clock) -> ValidateResult:
    """What goes back to the communes while returns arrive — a feedback sheet each and
    the status workbook, no report — published into `outputs/<PERIOD>/` as one set
    (the blank forms kept; the documents of an earlier `report` go, since the returns
    they were made from may have changed since)."""
    check_apart(inputs, outputs)
    folder = outputs / period.code
    checked = check_period(period, inputs, outputs, functools.partial(record_receipts, folder, clock=clock),
                           progress)
    settings = checked.settings
    kinds = commune_kind_names(checked.statistics)
    notes = checked.notes
    if (folder / REPORT_FILE).is_file():
        notes += (f"Các văn bản của lần chạy “report” trước (báo cáo sơ kết, phụ lục, biên bản, tin bài) "
                  f"được bỏ khỏi {folder}: báo cáo của các xã có thể đã thay đổi từ đó. Chạy lại "
                  f"“make report PERIOD={period.code}” để viết lại khi cần.",)
    with new_set(folder, keep=_blank_form) as (staging, kept):
        written = tuple(write_all([
            functools.partial(write_status_xlsx, checked.status_rows, status_title(kinds, period),
                              staging / STATUS_FILE, settings.issuer,
                              deadline_note(checked.statistics.timeliness)),
            *job_writers(checked.feedback, staging),
        ], progress(WRITING)))
        write_manifest(build_manifest(period, inputs, checked.files, checked.validation, staging,
                                      written + tuple(kept)), staging)
    written = tuple(published(path, staging, folder) for path in (*written, staging / MANIFEST_FILE))
    return ValidateResult(checked.validation, len(checked.registry), written, notes)


def add_to_period(folder: Path, period: Period, write: Callable[[Path], Sequence[Path]]) -> list[Path]:
    """Files added to a period's published set (PDF copies, blank forms): `write(staging)`
    writes them into a copy of the set, recorded in its manifest, published as one."""
    with new_set(folder, keep=lambda relative: True) as (staging, _):
        written = list(write(staging))
        record_outputs(staging, period, written)
    return [published(path, staging, folder) for path in written]
