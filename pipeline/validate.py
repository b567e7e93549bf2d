"""Stage 2: check every workbook against the contract and type its values.

A return with any error is excluded whole, never half counted. Of several returns
for one commune, the latest (`Ngày lập`, then file time, then file name) is the
one that counts; the others are superseded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pipeline.cells import cell_name, cell_text, code_text, is_blank, parse_cell_date, parse_whole
from pipeline.contract import (
    HEADER_SEARCH_ROWS,
    INFO_FIELDS,
    INFO_SHEET,
    SEVERANCE_COLUMNS,
    SEVERANCE_SHEET,
    VILLAGE_COLUMNS,
    VILLAGE_SHEET,
    Field,
    FieldType,
    LEVEL_COMMUNE,
    LEVEL_VILLAGE,
    MAX_AMOUNT,
    MAX_COUNT,
    clean_text,
    label_key,
    split_names,
)
from pipeline.model import (
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
from pipeline.vn.periods import Period, PeriodError, parse_period
from pipeline.vn.units import VILLAGE_KINDS, canonical_kind

_INVALID = object()  # a value that was present but wrong; its problem is already recorded


class _Checker:
    """Checks one workbook; collects its problems and typed values."""

    def __init__(self, workbook: Workbook, units: dict[str, Unit], period: Period) -> None:
        self.workbook = workbook
        self.units = units
        self.period = period
        self.problems: list[Problem] = []
        self.sheets = {label_key(name): rows for name, rows in workbook.sheets.items()}

    # --- reporting ---------------------------------------------------------

    def report(self, found: str, expected: str, sheet: str | None = None, cell: str | None = None,
               severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.workbook.name, found, expected, severity, sheet, cell))

    def sheet(self, name: str) -> list[list[Any]] | None:
        rows = self.sheets.get(label_key(name))
        if rows is None:
            present = ", ".join(self.workbook.sheets) or "không có trang nào"
            self.report(f"thiếu trang tính '{name}' (tệp có: {present})",
                        f"trang tính tên '{name}' như trong biểu mẫu")
        return rows

    # --- values --------------------------------------------------------------

    def typed(self, field: Field, raw: Any, sheet: str, cell: str) -> Any:
        """The value of one cell as its field's type; None when blank, _INVALID when wrong."""
        if is_blank(raw):
            if field.required:
                self.report(f"ô '{field.label}' để trống", f"{field.hint} ({field.expected})", sheet, cell)
                return _INVALID
            return None
        shown = cell_text(raw)
        try:
            return _PARSERS[field.type](field, raw)
        except ValueError as error:
            detail = f" ({error})" if field.type in (FieldType.PERIOD, FieldType.DATE) and str(error) else ""
            self.report(f"'{field.label}' ghi '{shown}' không hợp lệ{detail}", field.expected, sheet, cell)
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
                                f"một dòng có nhãn '{field.label}' ở cột A và giá trị ở cột B", INFO_SHEET)
                    values[field.key] = _INVALID
                continue
            row = rows[r]
            values[field.key] = self.typed(field, row[1] if len(row) > 1 else "", INFO_SHEET, cell_name(r, 1))
        return values

    def table(self, name: str, fields: Sequence[Field]) -> list[tuple[int, dict[str, Any]]] | None:
        """Rows of a header-and-rows sheet as (row number, typed values by key)."""
        rows = self.sheet(name)
        if rows is None:
            return None
        wanted = {label_key(f.label): f for f in fields}
        best_row, best_columns = -1, {}
        for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            columns = {wanted[label_key(cell_text(v))].key: c for c, v in enumerate(row)
                       if label_key(cell_text(v)) in wanted}
            if len(columns) > len(best_columns):
                best_row, best_columns = r, columns
        missing = [f.label for f in fields if f.key not in best_columns and f.required]
        if missing:
            self.report(
                f"không tìm thấy cột {', '.join(repr(m) for m in missing)} trong {HEADER_SEARCH_ROWS} dòng đầu",
                "dòng tiêu đề có đủ các cột: " + ", ".join(f.label for f in fields), name,
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
                self.report(f"dòng {r + 1} điền chưa đủ: trống {', '.join(f.label for f in blanks)}",
                            "điền đủ mọi cột bắt buộc của dòng, hoặc xóa cả dòng", name, cells)
                continue
            if blanks:  # only optional columns filled: a stray note, still a half-filled row
                self.report(f"dòng {r + 1} chỉ có {', '.join(f.label for f in fields if not is_blank(raw[f.key]))}",
                            "điền đủ mọi cột bắt buộc của dòng, hoặc xóa cả dòng", name, f"dòng {r + 1}")
                continue
            typed = {f.key: self.typed(f, raw[f.key], name, cell_name(r, best_columns.get(f.key, 0)))
                     for f in fields}
            typed["_cells"] = {f.key: cell_name(r, c) for f in fields if (c := best_columns.get(f.key)) is not None}
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
        if unit is None:
            self.report(f"mã đơn vị '{code}' không có trong danh mục đơn vị",
                        "mã đơn vị đúng như trong danh mục (xem biểu mẫu gửi kèm)", INFO_SHEET, self.info_cell("code"))
            return None
        if isinstance(name, str) and not _same_unit_name(name, unit):
            self.report(f"tên đơn vị '{name}' không khớp với mã {unit.code} (danh mục ghi '{unit.name}')",
                        f"tên '{unit.name}', hoặc sửa lại mã đơn vị cho đúng", INFO_SHEET, self.info_cell("name"))
            return None
        return unit

    def check_period(self, info: dict[str, Any]) -> None:
        period = info.get("period")
        if isinstance(period, Period) and period != self.period:
            self.report(f"kỳ báo cáo là {period.label()}, không phải kỳ đang tổng hợp",
                        f"kỳ {self.period.label()}", INFO_SHEET, self.info_cell("period"))

    def check_staffing(self, info: dict[str, Any]) -> None:
        titles, before, after = (info.get(k) for k in ("commune_titles", "people_before", "people_after"))
        if not all(isinstance(v, int) for v in (titles, before, after)):
            return
        cell = self.info_cell("people_after")
        if after > before:
            self.report(f"số người sau sắp xếp ({after}) nhiều hơn trước sắp xếp ({before})",
                        "kiểm tra lại: sau sắp xếp thường không tăng", INFO_SHEET, cell, Severity.WARNING)
        if after > titles:
            self.report(f"số người sau sắp xếp ({after}) nhiều hơn số chức danh ({titles})",
                        "kiểm tra lại: mỗi người đảm nhiệm ít nhất một chức danh", INFO_SHEET, cell,
                        Severity.WARNING)

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
                                "mỗi thôn một dòng", VILLAGE_SHEET, cells["name"])
                seen.setdefault(key, number)
            if all(isinstance(row[k], int) for k in ("titles", "people_before", "people_after")):
                if row["people_after"] > row["people_before"]:
                    self.report(f"thôn '{row['name']}': số người sau ({row['people_after']}) nhiều hơn trước "
                                f"({row['people_before']})", "kiểm tra lại số người trước và sau sắp xếp",
                                VILLAGE_SHEET, cells["people_after"], Severity.WARNING)
                if row["people_after"] > row["titles"]:
                    self.report(f"thôn '{row['name']}': số người sau ({row['people_after']}) nhiều hơn số chức "
                                f"danh ({row['titles']})", "kiểm tra lại số người và số chức danh",
                                VILLAGE_SHEET, cells["people_after"], Severity.WARNING)
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


def _by_number(units: dict[str, Unit], code: str) -> Unit | None:
    """A code Excel turned into a number lost its leading zeros: match on the digits."""
    if not code.isdigit():
        return None
    return next((u for u in units.values() if u.code.isdigit() and int(u.code) == int(code)), None)


def _same_unit_name(name: str, unit: Unit) -> bool:
    """`Nam Tiến`, `xã Nam Tiến` and `XÃ NAM TIẾN` all name the registry's `Nam Tiến`."""
    given, expected = label_key(name), label_key(unit.name)
    return given in (expected, f"{label_key(unit.kind)} {expected}")


def validate(ingested: IngestResult, registry: Sequence[Unit], period: Period) -> ValidationResult:
    units = {u.code: u for u in registry}
    outcomes: list[ReturnOutcome] = [
        ReturnOutcome(p.file, ReturnStatus.INVALID, None, None, None, (p,)) for p in ingested.unreadable
    ]
    candidates: dict[str, list[tuple[tuple, ReturnOutcome]]] = {}
    for workbook in ingested.workbooks:
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
        if unit is None:
            outcomes.append(outcome)
            continue
        order = (prepared_on or dt.date.min, workbook.modified, workbook.name)
        candidates.setdefault(unit.code, []).append((order, outcome))

    accepted: list[CommuneReturn] = []
    for code, entries in candidates.items():
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
    return ValidationResult(tuple(outcomes), tuple(accepted), missing, ingested.ignored)
