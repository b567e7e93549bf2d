"""Stage 2: check every workbook against the contract and type its values.

A return with any error is excluded whole, never half counted. Of several returns
for one commune, the latest (`Ngày lập`, then file time, then file name) is the
one that counts; the others are superseded. A file that says it is for another
period never replaces one for this period, however late it was made.

Every problem says how to fix it (`Problem.fix`), naming the cell, so that the
feedback sheet sent back to the commune is enough to put the return right.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pipeline.core.model import (
    CheckedReturn,
    CommuneReturn,
    IngestResult,
    Problem,
    ReturnOutcome,
    ReturnStatus,
    Severance,
    Severity,
    Unit,
    ValidationResult,
    Village,
    Workbook,
)
from pipeline.intake.cells import cell_name, cell_text, code_text, is_blank, parse_cell_date, parse_whole
from pipeline.intake.contract import (
    HEADER_SEARCH_ROWS,
    INFO_FIELDS,
    INFO_SHEET,
    LEVEL_COMMUNE,
    LEVEL_VILLAGE,
    MAX_AMOUNT,
    MAX_COUNT,
    SEVERANCE_COLUMNS,
    SEVERANCE_SHEET,
    SHEETS,
    VILLAGE_COLUMNS,
    VILLAGE_SHEET,
    Field,
    FieldType,
    clean_text,
    label_key,
    split_names,
)
from pipeline.vn.dates import format_short_date
from pipeline.vn.filenames import ascii_slug
from pipeline.vn.numbers import format_number
from pipeline.vn.periods import Period, PeriodError, parse_period
from pipeline.vn.text import capitalize
from pipeline.vn.units import VILLAGE_KINDS, canonical_kind, unit_name
from pipeline.vn.words import number_in_words

_INVALID = object()  # a value that was present but wrong; its problem is already recorded
# Counts spelt out in words (`bảy`, `mười hai`) are recognised up to this, to say which digits to type.
_SPELT_UP_TO = 1000


class _Checker:
    """Checks one workbook; collects its problems and typed values."""

    def __init__(self, workbook: Workbook, units: Mapping[str, Unit], period: Period) -> None:
        self.workbook = workbook
        self.units = units
        self.period = period
        self.problems: list[Problem] = []
        self.other_period = False  # the return says it is for another period
        self.sheets = {label_key(name): rows for name, rows in workbook.sheets.items()}

    # --- reporting ---------------------------------------------------------

    def report(self, found: str, expected: str, sheet: str | None = None, cell: str | None = None,
               severity: Severity = Severity.ERROR, *, fix: str) -> None:
        """`fix` tells the clerk what to do, naming the cell: it is what the feedback sheet asks for."""
        self.problems.append(Problem(self.workbook.name, found, expected, severity, sheet, cell, fix))

    def sheet(self, name: str) -> list[list[Any]] | None:
        rows = self.sheets.get(label_key(name))
        if rows is None:
            present = ", ".join(self.workbook.sheets) or "không có trang nào"
            self.report(f"thiếu trang tính '{name}' (tệp có: {present})",
                        f"trang tính tên '{name}' như trong biểu mẫu", fix=self.fix_missing_sheet(name))
        return rows

    # --- how to fix: exact enough that the clerk needs nothing but the feedback sheet ----

    @property
    def period_text(self) -> str:
        """The period as the blank form writes it in its cell."""
        return capitalize(self.period.label())

    def what_to_type(self, field: Field) -> str:
        example_date = format_short_date(self.period.cutoff_window()[1])
        match field.type:
            case FieldType.PERIOD:
                return f"gõ '{self.period_text}'"
            case FieldType.COUNT:
                return f"{field.hint[:1].lower()}{field.hint[1:]}, gõ bằng chữ số (ví dụ 7; 0 nếu không có)"
            case FieldType.AMOUNT:
                return "số tiền bằng chữ số, đơn vị đồng (ví dụ 14.875.500)"
            case FieldType.DATE:
                return f"{field.hint[:1].lower()}{field.hint[1:]}, gõ dạng ngày/tháng/năm (ví dụ {example_date})"
            case FieldType.CHOICE:
                return f"gõ một trong: {', '.join(field.choices)}"
        return f"{field.hint[:1].lower()}{field.hint[1:]}"

    def fix_missing_sheet(self, name: str) -> str:
        expected = {label_key(s) for s in SHEETS}
        spare = [s for s in self.workbook.sheets if label_key(s) not in expected]
        close = difflib.get_close_matches(ascii_slug(name), [ascii_slug(s) for s in spare], n=1, cutoff=0.6)
        if close:
            renamed = spare[[ascii_slug(s) for s in spare].index(close[0])]
            return (f"Đổi tên trang tính '{renamed}' thành '{name}' như trong biểu mẫu (nhấp đúp vào tên trang "
                    f"ở dưới cửa sổ Excel rồi gõ '{name}')")
        return f"Thêm trang tính tên '{name}' (sao từ biểu mẫu gửi kèm) và điền đủ như biểu mẫu"

    def fix_invalid(self, field: Field, raw: Any, cell: str, error: str) -> str:
        shown = cell_text(raw)
        if field.type in (FieldType.COUNT, FieldType.AMOUNT):
            spelt = _spelt_number(shown)
            if spelt is not None:
                return f"Gõ {spelt} vào ô {cell} (bằng chữ số, không gõ chữ '{shown}')"
            number = _loose_number(raw)
            limit = MAX_AMOUNT if field.type is FieldType.AMOUNT else MAX_COUNT
            if number is not None and number < 0:
                return f"Gõ lại ô {cell} bằng số không âm (0 nếu không có), bỏ dấu trừ"
            if number is not None and number != int(number):
                return f"Gõ lại ô {cell} bằng số nguyên, không có phần lẻ sau dấu phẩy"
            if number is not None and number > limit:
                return f"Số ở ô {cell} quá lớn (tối đa {format_number(limit)}): kiểm tra lại rồi gõ đúng số"
            example = "14.875.500" if field.type is FieldType.AMOUNT else "7"
            return f"Gõ lại ô {cell} chỉ bằng chữ số, ví dụ {example}; không gõ chữ, đơn vị hay ghi chú vào ô"
        if field.type is FieldType.DATE:
            example = format_short_date(self.period.cutoff_window()[1])
            if "không có trên lịch" in error:
                return (f"Không có ngày {shown}: kiểm tra lại ngày, tháng rồi gõ lại ô {cell} dạng ngày/tháng/năm, "
                        f"ví dụ {example}")
            return f"Gõ lại ô {cell} dạng ngày/tháng/năm, năm đủ 4 chữ số, ví dụ {example}"
        if field.type is FieldType.PERIOD:
            return f"Gõ '{self.period_text}' vào ô {cell}"
        if field.type is FieldType.CHOICE:
            return f"Gõ lại ô {cell} đúng một trong: {', '.join(field.choices)}"
        return f"Gõ lại ô {cell}: {self.what_to_type(field)}"

    # --- values --------------------------------------------------------------

    def typed(self, field: Field, raw: Any, sheet: str, row: int, column: int) -> Any:
        """The value of cell (row, column) as its field's type; None when blank, _INVALID when wrong."""
        if is_blank(raw):
            if field.required:
                cell = cell_name(row, column)
                self.report(f"ô '{field.label}' để trống", f"{field.hint} ({field.expected})", sheet, cell,
                            fix=f"Điền vào ô {cell}: {self.what_to_type(field)}")
                return _INVALID
            return None
        try:
            return _PARSERS[field.type](field, raw)
        except ValueError as error:
            shown, cell = cell_text(raw), cell_name(row, column)
            detail = f" ({error})" if field.type in (FieldType.PERIOD, FieldType.DATE) and str(error) else ""
            self.report(f"'{field.label}' ghi '{shown}' không hợp lệ{detail}", field.expected, sheet, cell,
                        fix=self.fix_invalid(field, raw, cell, str(error)))
            return _INVALID

    # --- sheets --------------------------------------------------------------

    def info(self) -> dict[str, Any] | None:
        rows = self.sheet(INFO_SHEET)
        if rows is None:
            return None
        labels = {label_key(cell_text(row[0])): r for r, row in enumerate(rows) if row and not is_blank(row[0])}
        values: dict[str, Any] = {}
        for field in INFO_FIELDS:
            r = labels.get(label_key(field.label))
            if r is None:
                if field.required:
                    self.report(f"thiếu dòng '{field.label}' ở cột A",
                                f"một dòng có nhãn '{field.label}' ở cột A và giá trị ở cột B", INFO_SHEET,
                                fix=f"Thêm một dòng ở trang '{INFO_SHEET}': gõ '{field.label}' vào cột A, "
                                    f"{self.what_to_type(field)} vào cột B")
                    values[field.key] = _INVALID
                continue
            row = rows[r]
            values[field.key] = self.typed(field, row[1] if len(row) > 1 else "", INFO_SHEET, r, 1)
        return values

    def table(self, name: str, fields: Sequence[Field]) -> list[tuple[int, dict[str, Any]]] | None:
        """Rows of a header-and-rows sheet as (row number, typed values by key)."""
        rows = self.sheet(name)
        if rows is None:
            return None
        wanted = {label_key(f.label): f for f in fields}
        best_row, best_columns = -1, {}
        for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            columns = {wanted[key].key: c for c, key in enumerate(label_key(cell_text(v)) for v in row)
                       if key in wanted}
            if len(columns) > len(best_columns):
                best_row, best_columns = r, columns
        missing = [f.label for f in fields if f.key not in best_columns and f.required]
        if missing:
            if best_columns:
                header = rows[best_row]
                free = max(c for c, v in enumerate(header) if not is_blank(v)) + 1
                places = ", ".join(f"'{label}' vào ô {cell_name(best_row, free + i)}"
                                   for i, label in enumerate(missing))
                fix = (f"Thêm cột vào dòng tiêu đề (dòng {best_row + 1}) của trang '{name}': gõ {places}, "
                       f"rồi điền số liệu cột đó")
            else:
                fix = (f"Gõ dòng tiêu đề cột ở trang '{name}' (trong {HEADER_SEARCH_ROWS} dòng đầu) đúng như biểu mẫu: "
                       + ", ".join(f.label for f in fields))
            self.report(
                f"không tìm thấy cột {', '.join(repr(m) for m in missing)} trong {HEADER_SEARCH_ROWS} dòng đầu",
                "dòng tiêu đề có đủ các cột: " + ", ".join(f.label for f in fields), name, fix=fix,
            )
            return None
        result = []
        for r in range(best_row + 1, len(rows)):
            row = rows[r]
            raw = {f.key: (row[best_columns[f.key]] if f.key in best_columns and best_columns[f.key] < len(row)
                           else "") for f in fields}
            if all(is_blank(v) for v in raw.values()):
                continue
            blanks = [f for f in fields if f.required and is_blank(raw[f.key])]
            if blanks and len(blanks) < sum(f.required for f in fields):
                cells = ", ".join(cell_name(r, best_columns[f.key]) for f in blanks)
                places = ", ".join(f"{f.label} vào ô {cell_name(r, best_columns[f.key])}" for f in blanks)
                digits = " (bằng chữ số)" if all(f.type is FieldType.COUNT for f in blanks) else ""
                self.report(f"dòng {r + 1} điền chưa đủ: trống {', '.join(f.label for f in blanks)}",
                            "điền đủ mọi cột bắt buộc của dòng, hoặc xóa cả dòng", name, cells,
                            fix=f"Điền {places}{digits}; nếu dòng {r + 1} thừa thì xóa cả dòng {r + 1}")
                continue
            if blanks:  # only optional columns filled: a stray note, still a half-filled row
                filled = ", ".join(f.label for f in fields if not is_blank(raw[f.key]))
                self.report(f"dòng {r + 1} chỉ có {filled}",
                            "điền đủ mọi cột bắt buộc của dòng, hoặc xóa cả dòng", name, f"dòng {r + 1}",
                            fix=f"Điền đủ {', '.join(f.label for f in blanks)} ở dòng {r + 1}; nếu dòng {r + 1} "
                                f"thừa thì xóa nội dung còn sót ({filled}) ở dòng đó")
                continue
            typed = {f.key: self.typed(f, raw[f.key], name, r, best_columns.get(f.key, 0)) for f in fields}
            typed["_cells"] = _RowCells(r, best_columns)
            result.append((r + 1, typed))
        return result

    # --- the whole return ----------------------------------------------------------

    def check(self) -> tuple[Unit | None, dt.date | None, CommuneReturn | None]:
        info = self.info()
        villages = self.villages()
        severances = self.severances()
        if info is None:
            return None, None, None
        unit = self.identify(info)
        prepared_on = info.get("prepared_on")
        prepared_on = prepared_on if isinstance(prepared_on, dt.date) else None
        self.check_period(info)
        self.check_staffing(info)
        if self.errors or unit is None or villages is None or severances is None:
            return unit, prepared_on, None
        return unit, prepared_on, CommuneReturn(
            file=self.workbook.name, unit=unit, period=self.period,
            commune_titles=info["commune_titles"], people_before=info["people_before"],
            people_after=info["people_after"], approved_on=info.get("approved_on"),
            prepared_by=info["prepared_by"], prepared_on=info["prepared_on"],
            villages=villages, severances=severances,
        )

    @property
    def errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def info_cell(self, key: str) -> str:
        rows = self.sheets.get(label_key(INFO_SHEET), [])
        label = next(label_key(f.label) for f in INFO_FIELDS if f.key == key)
        r = next((r for r, row in enumerate(rows) if row and label_key(cell_text(row[0])) == label), None)
        return cell_name(r, 1) if r is not None else "B"

    def identify(self, info: dict[str, Any]) -> Unit | None:
        code, name = info.get("code"), info.get("name")
        if not isinstance(code, str):
            return None
        unit = self.units.get(code) or _by_number(self.units, code)
        code_cell, name_cell = self.info_cell("code"), self.info_cell("name")
        if unit is None or (isinstance(name, str) and not _same_unit_name(name, unit)):
            # Only a wrong return pays for the scan of the registry (it suggests the right code).
            named = [u for u in self.units.values() if isinstance(name, str) and _same_unit_name(name, u)]
        if unit is None:
            fix = (f"Gõ {named[0].code} vào ô {code_cell} (mã của {unit_name(named[0].kind, named[0].name)} "
                   f"trong danh mục đơn vị)" if len(named) == 1 else
                   f"Gõ lại ô {code_cell} đúng mã của đơn vị trong danh mục (mã in sẵn trên biểu mẫu gửi kèm)")
            self.report(f"mã đơn vị '{code}' không có trong danh mục đơn vị",
                        "mã đơn vị đúng như trong danh mục (xem biểu mẫu gửi kèm)", INFO_SHEET, code_cell, fix=fix)
            return None
        if isinstance(name, str) and not _same_unit_name(name, unit):
            other = (f"; nếu đây là báo cáo của {unit_name(named[0].kind, named[0].name)} thì giữ tên và gõ mã "
                     f"{named[0].code} vào ô {code_cell}" if len(named) == 1 else
                     f"; nếu tên đúng thì sửa mã ở ô {code_cell}")
            self.report(f"tên đơn vị '{name}' không khớp với mã {unit.code} (danh mục ghi '{unit.name}')",
                        f"tên '{unit.name}', hoặc sửa lại mã đơn vị cho đúng", INFO_SHEET, name_cell,
                        fix=f"Gõ '{unit.name}' vào ô {name_cell}{other}")
            return None
        return unit

    def check_period(self, info: dict[str, Any]) -> None:
        period = info.get("period")
        if isinstance(period, Period) and period != self.period:
            self.other_period = True
            cell = self.info_cell("period")
            self.report(f"kỳ báo cáo là {period.label()}, không phải kỳ đang tổng hợp",
                        f"kỳ {self.period.label()}", INFO_SHEET, cell,
                        fix=f"Nếu đây là báo cáo {self.period.label()}, gõ '{self.period_text}' vào ô {cell}; "
                            f"nếu là báo cáo {period.label()} thì không gửi tệp này cho kỳ {self.period.label()}")

    def check_staffing(self, info: dict[str, Any]) -> None:
        titles, before, after = (info.get(k) for k in ("commune_titles", "people_before", "people_after"))
        if not all(isinstance(v, int) for v in (titles, before, after)):
            return
        cell = self.info_cell("people_after")
        if after > before:
            self.report(f"số người sau sắp xếp ({after}) nhiều hơn trước sắp xếp ({before})",
                        "kiểm tra lại: sau sắp xếp thường không tăng", INFO_SHEET, cell, Severity.WARNING,
                        fix=_check_again(self.info_cell("people_before"), cell))
        if after > titles:
            self.report(f"số người sau sắp xếp ({after}) nhiều hơn số chức danh ({titles})",
                        "kiểm tra lại: mỗi người đảm nhiệm ít nhất một chức danh", INFO_SHEET, cell,
                        Severity.WARNING, fix=_check_again(self.info_cell("commune_titles"), cell))

    def villages(self) -> tuple[Village, ...] | None:
        rows = self.table(VILLAGE_SHEET, VILLAGE_COLUMNS)
        if rows is None:
            return None
        seen: dict[str, int] = {}
        villages = []
        for number, row in rows:
            cells = row["_cells"]
            if isinstance(row["name"], str):
                key = label_key(row["name"])
                if key in seen:
                    self.report(f"thôn '{row['name']}' ghi hai lần (dòng {seen[key]} và dòng {number})",
                                "mỗi thôn một dòng", VILLAGE_SHEET, cells["name"],
                                fix=f"Nếu dòng {number} chép trùng dòng {seen[key]} thì xóa cả dòng {number}; nếu là "
                                    f"hai thôn khác nhau thì sửa tên ở ô {cells['name']} cho đúng")
                seen.setdefault(key, number)
            if all(isinstance(row[k], int) for k in ("titles", "people_before", "people_after")):
                if row["people_after"] > row["people_before"]:
                    self.report(f"thôn '{row['name']}': số người sau ({row['people_after']}) nhiều hơn trước "
                                f"({row['people_before']})", "kiểm tra lại số người trước và sau sắp xếp",
                                VILLAGE_SHEET, cells["people_after"], Severity.WARNING,
                                fix=_check_again(cells["people_before"], cells["people_after"]))
                if row["people_after"] > row["titles"]:
                    self.report(f"thôn '{row['name']}': số người sau ({row['people_after']}) nhiều hơn số chức "
                                f"danh ({row['titles']})", "kiểm tra lại số người và số chức danh",
                                VILLAGE_SHEET, cells["people_after"], Severity.WARNING,
                                fix=_check_again(cells["titles"], cells["people_after"]))
            if any(v is _INVALID for v in row.values()):
                continue
            villages.append(Village(row["name"], row["kind"], split_names(row["merged_from"] or ""),
                                    row["titles"], row["people_before"], row["people_after"]))
        return tuple(villages)

    def severances(self) -> tuple[Severance, ...] | None:
        rows = self.table(SEVERANCE_SHEET, SEVERANCE_COLUMNS)
        if rows is None:
            return None
        return tuple(
            Severance(row["full_name"], row["level"], row["title"], row["form"], row["amount"], row["paid_on"])
            for _, row in rows if not any(v is _INVALID for v in row.values())
        )


class _RowCells:
    """The cell names of a table row by field key, worked out only when a message needs one."""

    def __init__(self, row: int, columns: dict[str, int]) -> None:
        self.row, self.columns = row, columns

    def __getitem__(self, key: str) -> str:
        return cell_name(self.row, self.columns[key])


# --- field parsers: raise ValueError, the checker words the message ------------------


def _parse_count(field: Field, raw: Any) -> int:
    value = parse_whole(raw)
    if not 0 <= value <= (MAX_AMOUNT if field.type is FieldType.AMOUNT else MAX_COUNT):
        raise ValueError
    return value


def _parse_choice(field: Field, raw: Any) -> str:
    text = label_key(cell_text(raw))
    for choice in field.choices:
        if label_key(choice) == text:
            return choice
    if field.choices == VILLAGE_KINDS:
        kind = canonical_kind(text)
        if kind:
            return kind
    if field.key == "level" and canonical_kind(text) in VILLAGE_KINDS:
        return LEVEL_VILLAGE  # "Thôn" means village level whatever its local name
    if field.key == "level" and text in ("cấp xã", "xã", "phường", "thị trấn"):
        return LEVEL_COMMUNE
    raise ValueError


def _parse_period(field: Field, raw: Any) -> Period:
    try:
        return parse_period(cell_text(raw))
    except PeriodError as error:
        raise ValueError(str(error)) from error


_PARSERS: dict[FieldType, Callable[[Field, Any], Any]] = {
    FieldType.TEXT: lambda field, raw: cell_text(raw),
    FieldType.CODE: lambda field, raw: code_text(raw),
    FieldType.COUNT: _parse_count,
    FieldType.AMOUNT: _parse_count,
    FieldType.DATE: lambda field, raw: parse_cell_date(raw),
    FieldType.PERIOD: _parse_period,
    FieldType.CHOICE: _parse_choice,
}


def _check_again(*cells: str) -> str:
    return (f"Xem lại ô {' và ô '.join(cells)}: nếu số liệu đúng thì không phải sửa (đây là cảnh báo); "
            f"nếu sai thì gõ lại số đúng")


@functools.cache
def _spelt_numbers() -> dict[str, int]:
    table: dict[str, int] = {}
    for n in range(_SPELT_UP_TO):
        for options in ({}, {"zero_tens": "lẻ", "four": "bốn"}):
            table.setdefault(number_in_words(n, **options), n)
    return table


def _spelt_number(shown: str) -> int | None:
    """`bảy` → 7: the digits for a count typed in words."""
    return _spelt_numbers().get(label_key(shown))


def _loose_number(raw: Any) -> float | None:
    """The number a wrong cell seems to hold (`-1`, `2,5`, `9.999.999.999`), to say what is wrong with it."""
    try:
        return parse_whole(raw)
    except ValueError:
        pass
    if isinstance(raw, bool):
        return None
    try:
        number = float(raw) if isinstance(raw, (int, float)) else float(clean_text(str(raw)).replace(",", "."))
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _by_number(units: Mapping[str, Unit], code: str) -> Unit | None:
    """A code Excel turned into a number lost its leading zeros: match on the digits."""
    if not code.isdigit():
        return None
    return next((u for u in units.values() if u.code.isdigit() and int(u.code) == int(code)), None)


def _same_unit_name(name: str, unit: Unit) -> bool:
    """`Nam Tiến`, `xã Nam Tiến` and `XÃ NAM TIẾN` all name the registry's `Nam Tiến`."""
    given, expected = label_key(name), label_key(unit.name)
    return given in (expected, f"{label_key(unit.kind)} {expected}")


def check_return(workbook: Workbook, units: Mapping[str, Unit], period: Period) -> CheckedReturn:
    """One workbook checked on its own (`units`: the registry by code). Runs where the
    workbook was read, in a pool's worker for a big run, so its cells stay there."""
    checker = _Checker(workbook, units, period)
    unit, prepared_on, data = checker.check()
    outcome = ReturnOutcome(
        file=workbook.name,
        status=ReturnStatus.VALID if data else ReturnStatus.INVALID,
        code=unit.code if unit else None,
        unit_name=unit.name if unit else None,
        prepared_on=prepared_on,
        problems=tuple(checker.problems),
        data=data,
    )
    return CheckedReturn(outcome, for_this_period=not checker.other_period, modified=workbook.modified)


def settle(returns: Iterable[CheckedReturn | Problem], registry: Sequence[Unit],
           ignored: tuple[str, ...]) -> ValidationResult:
    """The returns weighed together: per commune the latest return for the period counts
    and its older files are superseded; a file that could not be read (`Problem`) is
    invalid; the communes with no return are missing."""
    outcomes: list[ReturnOutcome] = []
    candidates: dict[str, list[tuple[tuple, ReturnOutcome]]] = {}
    for checked in returns:
        if isinstance(checked, Problem):
            outcomes.append(ReturnOutcome(checked.file, ReturnStatus.INVALID, None, None, None, (checked,)))
            continue
        outcome = checked.outcome
        if outcome.code is None:
            outcomes.append(outcome)
            continue
        order = (checked.for_this_period, outcome.prepared_on or dt.date.min, checked.modified, outcome.file)
        candidates.setdefault(outcome.code, []).append((order, outcome))

    accepted: list[CommuneReturn] = []
    for entries in candidates.values():
        entries.sort(key=lambda entry: entry[0])
        *older, (_, latest) = entries
        outcomes.extend(
            ReturnOutcome(o.file, ReturnStatus.SUPERSEDED, o.code, o.unit_name, o.prepared_on, o.problems)
            for _, o in older
        )
        outcomes.append(latest)
        if latest.data:
            accepted.append(latest.data)

    order = {u.code: i for i, u in enumerate(registry)}
    accepted.sort(key=lambda r: order[r.unit.code])
    outcomes.sort(key=lambda o: (order.get(o.code or "", len(order)), o.file))
    missing = tuple(u for u in registry if u.code not in candidates)
    return ValidationResult(tuple(outcomes), tuple(accepted), missing, ignored)


def validate(ingested: IngestResult, registry: Sequence[Unit], period: Period) -> ValidationResult:
    """Stage 2 on what stage 1 read: `check_return` on each workbook, then `settle`."""
    units = {u.code: u for u in registry}
    checked = [check_return(workbook, units, period) for workbook in ingested.workbooks]
    return settle([*ingested.unreadable, *checked], registry, ingested.ignored)
