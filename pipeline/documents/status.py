"""Where every commune's return stands in the period: one row per commune of the
registry (valid, with errors, missing), then a row per file that is not the one
counted for its commune (superseded) or that matches no commune at all.

The rows, in Vietnamese order, feed the run page and the status workbook, which
this module writes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from pipeline.core.model import (
    Problem,
    ReturnOutcome,
    ReturnStatus,
    StatusRow,
    TimelinessSummary,
    Unit,
    UnitStatus,
    ValidationResult,
)
from pipeline.documents.sheets import (
    CELL,
    FIRST_COLUMN,
    TEXT,
    finish_sheet,
    first_data_row,
    fit_row,
    new_workbook,
    set_widths,
    titled_sheet,
)
from pipeline.figures.timeliness import timeliness_text
from pipeline.vn.dates import format_short_date
from pipeline.vn.sorting import vn_sort_key
from pipeline.vn.text import capitalize
from pipeline.vn.units import unit_name

IGNORED_MESSAGE = "Không phải bảng tính báo cáo (.xlsx, .xls, .ods): chương trình bỏ qua tệp này."


def problem_text(problem: Problem) -> str:
    """`Thông tin!B9: 'Số người sau sắp xếp' ghi 'bảy' không hợp lệ. Cần: … Cách sửa: …`, a row
    named (`Thôn!F11 ('Thôn Tây'): …`); a rule's finding ends with the rule and the value, which
    the office writes in xac-nhan.yaml to confirm it."""
    named = f" ({problem.row_name})" if problem.row_name else ""
    where = f"{problem.location}{named}: " if problem.location else ""
    text = f"{where}{capitalize(problem.found)}. Cần: {problem.expected}."
    text = f"{text} Cách sửa: {problem.fix}." if problem.fix else text
    return f"{text}{problem.rule_note}"


def counted_outcomes(validation: ValidationResult) -> dict[str, tuple[ReturnOutcome, ...]]:
    """By commune code, the outcomes of the files that were not superseded: the one that
    counts (valid or not); or several, none counting, when they bear the same `Ngày lập`
    (or none could be read) and differ."""
    counted: dict[str, tuple[ReturnOutcome, ...]] = {}
    for outcome in validation.outcomes:
        if outcome.code and outcome.status is not ReturnStatus.SUPERSEDED:
            counted[outcome.code] = (*counted.get(outcome.code, ()), outcome)
    return counted


def _dated(file: str, prepared_on: date | None) -> str:
    return f"tệp {file}" + (f" (Ngày lập {format_short_date(prepared_on)})" if prepared_on else "")


def superseded_message(outcome: ReturnOutcome, latest: Sequence[ReturnOutcome]) -> str:
    """Why a superseded file does not count: a later file, or a copy of the one that counts."""
    if len(latest) == 1 and latest[0].prepared_on == outcome.prepared_on:
        return (f"Cùng Ngày lập và cùng số liệu với tệp {latest[0].file}: số liệu chỉ được tổng hợp một lần, "
                f"theo tệp {latest[0].file}; tệp này không được tổng hợp.")
    later = " và ".join(_dated(o.file, o.prepared_on) for o in latest)
    return f"Đã được thay thế bằng {later}; tệp này không được tổng hợp."


def _counted_message(outcome: ReturnOutcome) -> str:
    if outcome.status is ReturnStatus.VALID:
        warnings = outcome.warnings
        if not warnings:
            return "Đã tổng hợp."
        # The warnings themselves are the row's figures to verify (`StatusRow.checks`), listed once.
        return f"Đã tổng hợp; {len(warnings)} cảnh báo cần xem lại (số liệu cần xác minh)."
    errors = outcome.errors
    return f"{len(errors)} lỗi, chưa tổng hợp. Lỗi đầu tiên: {problem_text(errors[0])}"


_UNIT_STATUS = {ReturnStatus.VALID: UnitStatus.VALID, ReturnStatus.INVALID: UnitStatus.INVALID,
                ReturnStatus.SAME_DATE: UnitStatus.SAME_DATE}


def _name(unit: Unit) -> str:
    """`Xã Hồng Minh`, `Thị trấn Phú Xuyên`: as the report and its annex name a unit
    at the head of a cell."""
    return capitalize(unit_name(unit.kind, unit.name))


def _row(outcome: ReturnOutcome, status: UnitStatus, message: str, feedback: Mapping[str, str],
         names: Mapping[str, str]) -> StatusRow:
    name = names.get(outcome.code or "", outcome.unit_name)
    return StatusRow(outcome.code, name, status, outcome.file, len(outcome.errors),
                     outcome.prepared_on, message, feedback.get(outcome.file),
                     tuple(problem_text(w) for w in outcome.warnings) if status is not UnitStatus.SUPERSEDED else ())


def status_rows(validation: ValidationResult, registry: Sequence[Unit], feedback_files: Mapping[str, str],
                timeliness: TimelinessSummary | None = None) -> tuple[StatusRow, ...]:
    """`feedback_files` maps a return's file name to its feedback sheet's path
    inside outputs/<PERIOD>/; `timeliness`, when receipts were looked up, dates the
    communes' rows. Communes in Vietnamese order, each followed by the files it sent
    that were replaced; then the files that match no commune."""
    counted = counted_outcomes(validation)
    names = {unit.code: _name(unit) for unit in registry}
    timely = {u.code: u for u in timeliness.units} if timeliness else {}

    def dated(row: StatusRow) -> StatusRow:
        unit = timely.get(row.code or "")
        return dataclasses.replace(row, received_on=unit.received_on, timeliness=timeliness_text(unit)) if unit else row

    commune_rows = []
    for unit in registry:
        if unit.code not in counted:
            commune_rows.append(dated(StatusRow(unit.code, names[unit.code], UnitStatus.MISSING, None, 0, None,
                                                "Chưa gửi báo cáo.", None)))
        for outcome in counted.get(unit.code, ()):
            commune_rows.append(dated(_row(outcome, _UNIT_STATUS[outcome.status], _counted_message(outcome),
                                           feedback_files, names)))
    for outcome in validation.outcomes:
        if outcome.status is ReturnStatus.SUPERSEDED:
            message = superseded_message(outcome, counted[outcome.code])
            commune_rows.append(_row(outcome, UnitStatus.SUPERSEDED, message, feedback_files, names))
    commune_rows.sort(key=lambda r: (vn_sort_key(r.name or ""), r.code or "",
                                     r.status is UnitStatus.SUPERSEDED, vn_sort_key(r.file or "")))

    unmatched = [_row(o, UnitStatus.UNMATCHED,
                      problem_text(o.errors[0]) if o.errors else "Không xác định được đơn vị gửi.", feedback_files,
                      names)
                 for o in validation.outcomes if o.code is None]
    unmatched += [StatusRow(None, None, UnitStatus.UNMATCHED, name, 0, None, IGNORED_MESSAGE, None)
                  for name in validation.ignored]
    unmatched.sort(key=lambda r: vn_sort_key(r.file or ""))
    return (*commune_rows, *unmatched)


STATUS_SHEET = "Tình trạng"
STATUS_COLUMNS = (
    ("code", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("status", "Tình trạng"),
    ("file", "Tệp báo cáo"),
    ("errors", "Số lỗi"),
    ("prepared_on", "Ngày lập"),
    ("received_on", "Ngày nhận"),  # when the program first read the file, not the file's own time
    ("timeliness", "Thời hạn"),
    ("message", "Ghi chú"),
    ("feedback", "Phiếu phản hồi"),
    ("checks", "Số liệu cần xác minh"),  # the warnings not yet confirmed, one a line
)
# Narrow enough that A4 landscape, one page wide, prints the type at about 75 % or more;
# every text column wraps, and each row is as high as its longest text.
_WIDTHS = {"code": 7, "name": 14, "status": 10, "file": 15, "errors": 5, "prepared_on": 10.5, "received_on": 10.5,
           "timeliness": 10, "message": 25, "feedback": 15, "checks": 28}
# Light fills, so a status reads at a glance (and prints in grey).
_STATUS_FILLS = {
    UnitStatus.VALID: "E2EFDA", UnitStatus.INVALID: "F8CBAD", UnitStatus.MISSING: "FFE699",
    UnitStatus.SUPERSEDED: "D9D9D9", UnitStatus.SAME_DATE: "F8CBAD", UnitStatus.UNMATCHED: "F8CBAD",
}
_DATE = dataclasses.replace(CELL, number_format="DD/MM/YYYY")
_FORMATS = {"errors": CELL, "prepared_on": _DATE, "received_on": _DATE}
_STATUS_FORMATS = {status: dataclasses.replace(TEXT, fill=fill) for status, fill in _STATUS_FILLS.items()}
# The columns whose text wraps, which the row's height is made for.
_WRAPPED = ("name", "status", "file", "timeliness", "message", "feedback", "checks")


def deadline_note(timeliness: TimelinessSummary) -> str:
    """The dates the `Thời hạn` column is read against, under the workbook's title."""
    note = (f"Ngày chốt số liệu: {format_short_date(timeliness.cutoff)}. "
            f"Hạn gửi báo cáo: {format_short_date(timeliness.deadline)}.")
    if timeliness.as_of:
        note += f" Số ngày quá hạn tính đến ngày nhận báo cáo gần nhất: {format_short_date(timeliness.as_of)}."
    if timeliness.unknown:
        note += (" “Chưa rõ”: chương trình đọc báo cáo lần đầu sau hạn, nhưng báo cáo có thể đã có trong thư mục"
                 " từ trước hạn.")
    return note


def write_status_xlsx(rows: Sequence[StatusRow], title: str, target: Path, author: str = "",
                      subtitle: str = "") -> Path:
    """The return-status workbook: one line per `StatusRow`, in the order given; a unit
    that sent nothing has its error count blank, not 0."""
    workbook = new_workbook()
    sheet = titled_sheet(workbook, STATUS_SHEET, title, [[header for _, header in STATUS_COLUMNS]], subtitle)
    first = first_data_row(sheet)
    for line, row in enumerate(rows, start=first):
        values = {"code": row.code, "name": row.name, "status": row.status.value, "file": row.file,
                  "errors": row.errors if row.file else None, "prepared_on": row.prepared_on,
                  "received_on": row.received_on, "timeliness": row.timeliness or None, "message": row.message,
                  "checks": "\n".join(row.checks) or None, "feedback": row.feedback}
        for column, (key, _) in enumerate(STATUS_COLUMNS, start=FIRST_COLUMN):
            format = _STATUS_FORMATS[row.status] if key == "status" else _FORMATS.get(key, TEXT)
            sheet.write(line, column, values[key], format)
        fit_row(sheet, line, [(values[key], _WIDTHS[key]) for key in _WRAPPED])
    set_widths(sheet, [_WIDTHS[key] for key, _ in STATUS_COLUMNS])
    return finish_sheet(workbook, sheet, len(rows), len(STATUS_COLUMNS), 3, target, author)
