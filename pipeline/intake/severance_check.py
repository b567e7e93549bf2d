"""The severance check: one row of `Thôi việc` weighed against the legal basis the
office's settings name. A difference is a warning (`cảnh báo`), never an error: the
payment was decided by a competent body, the office only looks again.

One row and the basis in, at most one `Problem` out, so that the plausibility rules
(`inputs/quy-tac.yaml`, issue 14) can take it as one of theirs.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.core.model import Problem, Severance, Severity
from pipeline.intake.contract import SEVERANCE_COLUMNS, SEVERANCE_SHEET
from pipeline.intake.severance_basis import Basis, MissingInput, SeveranceInputs, within_tolerance
from pipeline.vn.numbers import format_money, format_number
from pipeline.vn.text import in_running_text, join_names

_LABELS = {field.key: field.label for field in SEVERANCE_COLUMNS}
# What the basis computes from: both filled, the amount is recomputed.
_COMPUTED_FROM = ("monthly_allowance", "months_worked")


def severance_warning(row: Severance, basis: Basis | None, file: str, line: int,
                      cells: Mapping[str, str], row_name: str) -> Problem | None:
    """The warning for `row` (on `line` of the sheet, named `row_name` as messages name the
    person; `cells`: its cell names by field key), None when the amount agrees with `basis`, or cannot be weighed: no basis
    named, a level the basis does not compute, neither input filled, a case whose rule is not known."""
    if basis is None or row.level not in basis.amounts:
        return None
    given = {key: getattr(row, key) for key in _COMPUTED_FROM}
    if all(value is None for value in given.values()):
        return None
    who = (row_name, line)
    missing = [key for key, value in given.items() if value is None]
    if missing:
        return _incomplete(file, who, missing[0], cells, basis)
    try:
        computed = basis.amounts[row.level](SeveranceInputs(row.monthly_allowance, row.months_worked,
                                                            row.months_to_retirement))
    except MissingInput:
        return _incomplete(file, who, "months_to_retirement", cells, basis,
                           f"có {format_number(row.months_worked)} tháng công tác (từ đủ 60 tháng)")
    if computed is None or within_tolerance(row.amount, computed.amount):
        return None
    inputs = join_names([in_running_text(_LABELS[key]) for key in computed.inputs])
    input_cells = ", ".join(cells[key] for key in computed.inputs)
    # Amounts in digits only: which amounts are also written in words is the office's
    # setting (style.money_in_words) for its report, not a warning's to decide.
    return Problem(
        file,
        f"{row.title}, số tiền ghi {format_money(row.amount)}; theo {computed.clause} {basis.citation}, với phụ cấp "
        f"{format_money(row.monthly_allowance)}/tháng ({computed.terms}), số tiền là {format_money(computed.amount)}",
        f"số tiền trợ cấp đúng như {computed.clause} {basis.citation} ({format_money(computed.amount)})",
        Severity.WARNING, SEVERANCE_SHEET, cells["amount"], row_name=row_name, line=line,
        fix=f"Xem lại ô {cells['amount']}, {input_cells}: nếu {inputs} đúng thì ghi {format_number(computed.amount)} "
            f"vào ô {cells['amount']}; nếu số tiền đã chi đúng theo quyết định của cấp có thẩm quyền thì sửa ô "
            f"{input_cells} cho khớp quyết định đó",
    )


def _incomplete(file: str, who: tuple[str, int], key: str, cells: Mapping[str, str], basis: Basis,
                because: str = "") -> Problem:
    """`who`: the row's name and line."""
    row_name, line = who
    label = _LABELS[key]
    reason = f" ({because})" if because else ""
    # An older form may lack the column altogether: the clerk adds it, then fills it in.
    where = (f"vào ô {cells[key]}" if key in cells else
             f"vào cột mới có tiêu đề '{label}' (thêm ở cuối dòng tiêu đề), ở dòng {line}")
    return Problem(
        file,
        f"thiếu '{label}'{reason} nên chưa tính lại được số tiền theo {basis.citation}",
        f"đủ các cột {', '.join(repr(_LABELS[k]) for k in (*_COMPUTED_FROM, 'months_to_retirement'))} "
        f"khi đã ghi một trong số đó",
        Severity.WARNING, SEVERANCE_SHEET, cells[key] if key in cells else None, row_name=row_name, line=line,
        fix=f"Ghi {in_running_text(label)} {where} (bằng chữ số)",
    )
