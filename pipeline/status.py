"""Where every commune's return stands in the period: one row per commune of the
registry (valid, with errors, missing), then a row per file that is not the one
counted for its commune (superseded) or that matches no commune at all.

Pure data for the status workbook and the run page; Vietnamese order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pipeline.model import Problem, ReturnOutcome, ReturnStatus, StatusRow, Unit, UnitStatus, ValidationResult
from pipeline.vn.dates import format_short_date
from pipeline.vn.sorting import vn_sort_key
from pipeline.wording import capitalize

IGNORED_MESSAGE = "Không phải bảng tính báo cáo (.xlsx, .xls, .ods): chương trình bỏ qua tệp này."


def problem_text(problem: Problem) -> str:
    """`Thông tin!B9: 'Số người sau sắp xếp' ghi 'bảy' không hợp lệ. Cần: … Cách sửa: …`"""
    where = f"{problem.location}: " if problem.location else ""
    text = f"{where}{capitalize(problem.found)}. Cần: {problem.expected}."
    return f"{text} Cách sửa: {problem.fix}." if problem.fix else text


def counted_outcomes(validation: ValidationResult) -> dict[str, ReturnOutcome]:
    """By commune code, the outcome of the file that counts for it (valid or not)."""
    return {o.code: o for o in validation.outcomes if o.code and o.status is not ReturnStatus.SUPERSEDED}


def _dated(file: str, prepared_on: date | None) -> str:
    return f"tệp {file}" + (f" (Ngày lập {format_short_date(prepared_on)})" if prepared_on else "")


def _counted_message(outcome: ReturnOutcome) -> str:
    if outcome.status is ReturnStatus.VALID:
        warnings = outcome.warnings
        if not warnings:
            return "Đã tổng hợp."
        return f"Đã tổng hợp; {len(warnings)} cảnh báo cần xem lại. Cảnh báo đầu tiên: {problem_text(warnings[0])}"
    errors = outcome.errors
    return f"{len(errors)} lỗi, chưa tổng hợp. Lỗi đầu tiên: {problem_text(errors[0])}"


def _row(outcome: ReturnOutcome, status: UnitStatus, message: str, feedback: Mapping[str, str]) -> StatusRow:
    return StatusRow(outcome.code, outcome.unit_name, status, outcome.file, len(outcome.errors),
                     outcome.prepared_on, message, feedback.get(outcome.file))


def status_rows(validation: ValidationResult, registry: Sequence[Unit],
                feedback_files: Mapping[str, str]) -> tuple[StatusRow, ...]:
    """`feedback_files` maps a return's file name to its feedback sheet's path
    inside outputs/<PERIOD>/. Communes in Vietnamese order, each followed by the
    files it sent that were replaced; then the files that match no commune."""
    counted = counted_outcomes(validation)
    commune_rows = []
    for unit in registry:
        outcome = counted.get(unit.code)
        if outcome is None:
            commune_rows.append(StatusRow(unit.code, unit.name, UnitStatus.MISSING, None, 0, None,
                                          "Chưa gửi báo cáo.", None))
            continue
        status = UnitStatus.VALID if outcome.status is ReturnStatus.VALID else UnitStatus.INVALID
        commune_rows.append(_row(outcome, status, _counted_message(outcome), feedback_files))
    for outcome in validation.outcomes:
        if outcome.status is ReturnStatus.SUPERSEDED:
            latest = counted[outcome.code]
            message = (f"Đã được thay thế bằng {_dated(latest.file, latest.prepared_on)}; "
                       f"tệp này không được tổng hợp.")
            commune_rows.append(_row(outcome, UnitStatus.SUPERSEDED, message, feedback_files))
    commune_rows.sort(key=lambda r: (vn_sort_key(r.name or ""), r.code or "",
                                     r.status is UnitStatus.SUPERSEDED, vn_sort_key(r.file or "")))

    unmatched = [_row(o, UnitStatus.UNMATCHED,
                      problem_text(o.errors[0]) if o.errors else "Không xác định được đơn vị gửi.", feedback_files)
                 for o in validation.outcomes if o.code is None]
    unmatched += [StatusRow(None, None, UnitStatus.UNMATCHED, name, 0, None, IGNORED_MESSAGE, None)
                  for name in validation.ignored]
    unmatched.sort(key=lambda r: vn_sort_key(r.file or ""))
    return (*commune_rows, *unmatched)
