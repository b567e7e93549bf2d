"""Stage 2: check every workbook against the contract and type its values.

A return with any error is excluded whole, never half counted. Of several returns
for one commune, the one with the latest `Ngày lập` counts; the others are
superseded. Two latest returns of the same `Ngày lập` count once when their figures
are the same, and not at all when they differ: the outcome is a function of what the
files say, never of their times or of the order of the folder. A file that says it
is for another period never replaces one for this period, however late it was made.

Two places for one thing (two `Thôn` sheets, a label or a column header written
twice) make a return invalid, the message naming both: reading one of them would
be a guess. A date after the run's date (`today`, given by the caller), or a
`Ngày lập` more than a year before the period, is an error: a mistyped year must
not decide which return counts.

Every problem says how to fix it (`Problem.fix`), naming the cell, so that the
feedback sheet sent back to the commune is enough to put the return right.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
from collections import Counter
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
    Sheet,
    Unit,
    UnreadableFile,
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
from pipeline.intake.rules import ReturnValues, RuleSet, apply_checks
from pipeline.intake.severance_basis import Basis
from pipeline.intake.severance_check import severance_warning
from pipeline.vn.dates import format_short_date
from pipeline.vn.filenames import ascii_slug
from pipeline.vn.numbers import format_number
from pipeline.vn.periods import Period, PeriodError, parse_period
from pipeline.vn.text import capitalize, in_running_text
from pipeline.vn.units import VILLAGE_KINDS, canonical_kind, unit_name
from pipeline.vn.words import number_in_words

_INVALID = object()  # a value that was present but wrong; its problem is already recorded
# Counts spelt out in words (`bảy`, `mười hai`) are recognised up to this, to say which digits to type.
_SPELT_UP_TO = 1000
_UNHIDE = ("nhấp chuột phải vào tên một trang ở dưới cửa sổ Excel → Bỏ ẩn (Unhide) → chọn trang đó (trang không có "
           "trong danh sách thì chép số liệu đúng sang một biểu mẫu mới)")
# The one date that is made for the period: more than a year before it, its year is mistyped.
_DATED_FOR_THE_PERIOD = "prepared_on"


class _Checker:
    """Checks one workbook; collects its problems and typed values."""

    def __init__(self, workbook: Workbook, units: Mapping[str, Unit], period: Period, today: dt.date,
                 rules: RuleSet, basis: Basis | None) -> None:
        self.workbook = workbook
        self.units = units
        self.period = period
        self.today = today
        self.rules = rules
        self.basis = basis  # the legal basis the severance amounts are weighed against, if the office names one
        self.problems: list[Problem] = []
        # The typed rows of `Thôn` and `Thôi việc`, for the rules (None: the sheet could not be read).
        self.tables: dict[str, list[dict[str, Any]] | None] = {}
        self.other_period = False  # the return says it is for another period
        self.info_rows: dict[str, int] = {}  # field key → the row of `Thông tin` its value was read from
        # By normalised name, each sheet with its place among the tabs (1 for the first).
        self.sheets: dict[str, list[tuple[int, Sheet]]] = {}
        for place, sheet in enumerate(workbook.sheets, start=1):
            self.sheets.setdefault(label_key(sheet.name), []).append((place, sheet))

    # --- reporting ---------------------------------------------------------

    def report(self, found: str, expected: str, sheet: str | None = None, cell: str | None = None,
               severity: Severity = Severity.ERROR, *, fix: str, on_row: _RowCells | None = None) -> None:
        """`fix` tells the clerk what to do, naming the cell: it is what the feedback sheet asks for;
        `on_row`: the table row the problem is on, which the message names."""
        row_name, line = (on_row.name, on_row.line) if on_row is not None else ("", 0)
        self.problems.append(Problem(self.workbook.name, found, expected, severity, sheet, cell, fix,
                                     row_name=row_name, line=line))

    def sheet(self, name: str) -> list[list[Any]] | None:
        """The rows of the form's sheet `name`: None when it is missing or there are
        several (each reported); a hidden one is read, with a warning."""
        found = self.sheets.get(label_key(name), [])
        if not found:
            present = ", ".join(sheet.name for sheet in self.workbook.sheets) or "không có trang nào"
            self.report(f"thiếu trang tính '{name}' (tệp có: {present})",
                        f"trang tính tên '{name}' như trong biểu mẫu", fix=self.fix_missing_sheet(name))
            return None
        if len(found) > 1:
            tabs = " và ".join(_tab(place, sheet) for place, sheet in found)
            hidden = any(sheet.hidden for _, sheet in found)
            self.report(f"có {len(found)} trang tính cùng là trang '{name}': {tabs}",
                        f"một trang '{name}' duy nhất như trong biểu mẫu", name,
                        fix=f"Giữ lại một trang '{name}' có số liệu đúng, xóa trang còn lại (nhấp chuột phải vào tên "
                            f"trang ở dưới cửa sổ Excel → Xóa)"
                            + (f"; trang đang ẩn thì cho hiện ra trước: {_UNHIDE}" if hidden else ""))
            return None
        place, sheet = found[0]
        if sheet.hidden:
            self.report(f"trang tính '{sheet.name}' đang ẩn; tệp chỉ có trang này là trang '{name}' nên số liệu "
                        f"được đọc từ trang ẩn này", f"trang '{name}' hiện ra như trong biểu mẫu", name,
                        severity=Severity.WARNING,
                        fix=f"Xem lại số liệu của trang ẩn '{sheet.name}' (trang thứ {place}): nếu đúng thì không "
                            f"phải sửa; muốn hiện trang: {_UNHIDE}")
        return sheet.rows

    # --- how to fix: exact enough that the clerk needs nothing but the feedback sheet ----

    @property
    def period_text(self) -> str:
        """The period as the blank form writes it in its cell."""
        return capitalize(self.period.label())

    def what_to_type(self, field: Field) -> str:
        example_date = format_short_date(self.period.cutoff_window()[1])
        match field.type:
            case FieldType.PERIOD:
                return f"ghi '{self.period_text}'"
            case FieldType.COUNT:
                return f"{in_running_text(field.hint)}, ghi bằng chữ số (ví dụ 7; 0 nếu không có)"
            case FieldType.AMOUNT:
                return "số tiền bằng chữ số, đơn vị đồng (ví dụ 14.875.500)"
            case FieldType.DATE:
                return f"{in_running_text(field.hint)}, ghi dạng ngày/tháng/năm (ví dụ {example_date})"
            case FieldType.CHOICE:
                return f"ghi một trong: {', '.join(field.choices)}"
        return in_running_text(field.hint)

    def fix_missing_sheet(self, name: str) -> str:
        expected = {label_key(s) for s in SHEETS}
        spare = [s.name for s in self.workbook.sheets if label_key(s.name) not in expected]
        slugs = [ascii_slug(s) for s in spare]
        close = difflib.get_close_matches(ascii_slug(name), slugs, n=1, cutoff=0.6)
        if close:
            renamed = spare[slugs.index(close[0])]
            return f"Đổi tên trang tính '{renamed}' thành '{name}' như trong biểu mẫu"
        return f"Thêm trang tính tên '{name}' (sao từ biểu mẫu gửi kèm) và điền đủ như biểu mẫu"

    def fix_invalid(self, field: Field, raw: Any, cell: str, error: str) -> str:
        shown = cell_text(raw)
        if field.type in (FieldType.COUNT, FieldType.AMOUNT):
            spelt = _spelt_number(shown)
            if spelt is not None:
                return f"Ghi {spelt} vào ô {cell} (bằng chữ số, không ghi chữ '{shown}')"
            number = _loose_number(raw)
            limit = MAX_AMOUNT if field.type is FieldType.AMOUNT else MAX_COUNT
            if number is not None and number < 0:
                return f"Ghi lại ô {cell} bằng số không âm (0 nếu không có), bỏ dấu trừ"
            if number is not None and number != int(number):
                return f"Ghi lại ô {cell} bằng số nguyên, không có phần lẻ sau dấu phẩy"
            if number is not None and number > limit:
                return f"Số ở ô {cell} quá lớn (tối đa {format_number(limit)}): kiểm tra lại rồi ghi đúng số"
            example = "14.875.500" if field.type is FieldType.AMOUNT else "7"
            return f"Ghi lại ô {cell} chỉ bằng chữ số, ví dụ {example}; không ghi chữ, đơn vị hay ghi chú vào ô"
        if field.type is FieldType.DATE:
            example = format_short_date(self.period.cutoff_window()[1])
            if "không có trên lịch" in error:
                return (f"Không có ngày {shown}: kiểm tra lại ngày, tháng rồi ghi lại ô {cell} dạng ngày/tháng/năm, "
                        f"ví dụ {example}")
            return f"Ghi lại ô {cell} dạng ngày/tháng/năm, năm đủ 4 chữ số, ví dụ {example}"
        if field.type is FieldType.PERIOD:
            return f"Ghi '{self.period_text}' vào ô {cell}"
        if field.type is FieldType.CHOICE:
            return f"Ghi lại ô {cell} đúng một trong: {', '.join(field.choices)}"
        return f"Ghi lại ô {cell}: {self.what_to_type(field)}"

    # --- values --------------------------------------------------------------

    def typed(self, field: Field, raw: Any, sheet: str, row: int, column: int,
              on_row: _RowCells | None = None) -> Any:
        """The value of cell (row, column) as its field's type; None when blank, _INVALID when wrong.
        `on_row`: the table row the cell is on."""
        if is_blank(raw):
            if field.required:
                cell = cell_name(row, column)
                self.report(f"ô '{field.label}' để trống", f"{field.hint} ({field.expected})", sheet, cell,
                            fix=f"Điền vào ô {cell}: {self.what_to_type(field)}", on_row=on_row)
                return _INVALID
            return None
        return self.filled(field, _PARSERS[field.type], raw, sheet, row, column, on_row)

    def filled(self, field: Field, parse: Callable[[Field, Any], Any], raw: Any, sheet: str, row: int, column: int,
               on_row: _RowCells | None) -> Any:
        """`typed` for a cell that is not blank, `parse` being its field type's parser."""
        try:
            value = parse(field, raw)
        except ValueError as error:
            shown, cell = cell_text(raw), cell_name(row, column)
            detail = f" ({error})" if field.type in (FieldType.PERIOD, FieldType.DATE) and str(error) else ""
            self.report(f"'{field.label}' ghi '{shown}' không hợp lệ{detail}", field.expected, sheet, cell,
                        fix=self.fix_invalid(field, raw, cell, str(error)), on_row=on_row)
            return _INVALID
        if field.type is FieldType.DATE and not self.plausible(field, value, sheet, cell_name(row, column), on_row):
            return _INVALID
        return value

    def plausible(self, field: Field, value: dt.date, sheet: str, cell: str, on_row: _RowCells | None) -> bool:
        """A date no later than the run's; `Ngày lập` also no earlier than a year before the period."""
        start = self.period.cutoff_window()[0]  # always a 15th: a year earlier exists
        earliest = start.replace(year=start.year - 1) if field.key == _DATED_FOR_THE_PERIOD else None
        if value <= self.today and (earliest is None or value >= earliest):
            return True
        shown, today = format_short_date(value), format_short_date(self.today)
        if value > self.today:
            found = f"'{field.label}' ghi {shown}, sau ngày kiểm tra báo cáo ({today})"
        else:
            found = f"'{field.label}' ghi {shown}, trước kỳ báo cáo ({self.period.label()}) hơn một năm"
        window = (f"từ {format_short_date(earliest)} đến {today}" if earliest else f"không sau {today}")
        blank = "; nếu chưa chi thì để trống ô" if not field.required else ""
        self.report(found, f"ngày {window}", sheet, cell,
                    fix=f"Kiểm tra lại ngày, tháng, năm ở ô {cell} rồi ghi lại đúng ngày dạng ngày/tháng/năm, năm đủ "
                        f"4 chữ số{blank}", on_row=on_row)
        return False

    # --- sheets --------------------------------------------------------------

    def info(self) -> dict[str, Any] | None:
        rows = self.sheet(INFO_SHEET)
        if rows is None:
            return None
        labels: dict[str, list[int]] = {}
        for r, row in enumerate(rows):
            if row and not is_blank(row[0]):
                labels.setdefault(label_key(cell_text(row[0])), []).append(r)
        values: dict[str, Any] = {}
        for field in INFO_FIELDS:
            found = labels.get(label_key(field.label), [])
            if len(found) > 1:
                self.report_twice(field, found, rows)
                values[field.key] = _INVALID
                continue
            if not found:
                if field.required:
                    self.report(f"thiếu dòng '{field.label}' ở cột A",
                                f"một dòng có nhãn '{field.label}' ở cột A và giá trị ở cột B", INFO_SHEET,
                                fix=f"Thêm một dòng ở trang '{INFO_SHEET}': ghi '{field.label}' vào cột A, "
                                    f"{self.what_to_type(field)} vào cột B")
                    values[field.key] = _INVALID
                continue
            r = self.info_rows[field.key] = found[0]
            row = rows[r]
            values[field.key] = self.typed(field, row[1] if len(row) > 1 else "", INFO_SHEET, r, 1)
        return values

    def report_twice(self, field: Field, found: list[int], rows: list[list[Any]]) -> None:
        """A label on several rows of `Thông tin`: which value is meant cannot be told."""
        cells = [cell_name(r, 1) for r in found]
        values = " và ".join(f"ô {cell} ghi '{cell_text(rows[r][1]) if len(rows[r]) > 1 else ''}'"
                             for cell, r in zip(cells, found))
        lines = " và ".join(f"dòng {r + 1}" for r in found)
        self.report(f"nhãn '{field.label}' ghi {len(found)} lần ở cột A ({lines}): {values}",
                    f"mỗi nhãn một dòng: một giá trị '{field.label}'", INFO_SHEET, ", ".join(cells),
                    fix=f"Giữ lại một dòng '{field.label}' có giá trị đúng (ô {' hoặc '.join(cells)}), xóa cả "
                        f"dòng còn lại")

    def table(self, name: str, fields: Sequence[Field]) -> list[tuple[int, dict[str, Any]]] | None:
        """Rows of a header-and-rows sheet as (row number, typed values by key)."""
        rows = self.sheet(name)
        if rows is None:
            return None
        wanted = {label_key(f.label): f for f in fields}
        best_row, best_headers = -1, {}
        for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            headers: dict[str, list[int]] = {}
            for c, key in enumerate(map(_header_key, row)):
                if key in wanted:
                    headers.setdefault(wanted[key].key, []).append(c)
            if len(headers) > len(best_headers):
                best_row, best_headers = r, headers
        twice = [f for f in fields if len(best_headers.get(f.key, ())) > 1]
        for field in twice:
            cells = [cell_name(best_row, c) for c in best_headers[field.key]]
            self.report(f"cột '{field.label}' ghi {len(cells)} lần ở dòng tiêu đề (ô {' và ô '.join(cells)})",
                        f"mỗi cột một lần ở dòng tiêu đề: một cột '{field.label}'", name, ", ".join(cells),
                        fix=f"Giữ lại một cột '{field.label}' có số liệu đúng (tiêu đề ở ô {' hoặc '.join(cells)}), "
                            f"xóa cả cột còn lại (nhấp chuột phải vào chữ cái tên cột → Xóa)")
        if twice:
            return None
        best_columns = {key: columns[0] for key, columns in best_headers.items()}
        missing = [f.label for f in fields if f.key not in best_columns and f.required]
        if missing:
            if best_columns:
                header = rows[best_row]
                free = max(c for c, v in enumerate(header) if not is_blank(v)) + 1
                places = ", ".join(f"'{label}' vào ô {cell_name(best_row, free + i)}"
                                   for i, label in enumerate(missing))
                fix = (f"Thêm cột vào dòng tiêu đề (dòng {best_row + 1}) của trang '{name}': ghi {places}, "
                       f"rồi điền số liệu cột đó")
            else:
                fix = (f"Ghi dòng tiêu đề cột ở trang '{name}' (trong {HEADER_SEARCH_ROWS} dòng đầu) đúng như biểu mẫu: "
                       + ", ".join(f.label for f in fields))
            self.report(
                f"không tìm thấy cột {', '.join(repr(m) for m in missing)} trong {HEADER_SEARCH_ROWS} dòng đầu",
                "dòng tiêu đề có đủ các cột: " + ", ".join(f.label for f in fields), name, fix=fix,
            )
            return None
        result = []
        # What every row needs of each field, looked up once for the sheet, and each column's
        # values read right so far by (type, value): read again the same, with nothing to report.
        columns = [(f, f.key, best_columns.get(f.key), _PARSERS[f.type], {}) for f in fields]
        required = sum(f.required for f in fields)
        for r in range(best_row + 1, len(rows)):
            row = rows[r]
            width = len(row)
            raw = {key: row[c] if c is not None and c < width else "" for _, key, c, _, _ in columns}
            blank = {key: is_blank(value) for key, value in raw.items()}
            if all(blank.values()):
                continue
            blanks = [f for f in fields if f.required and blank[f.key]]
            cells = _RowCells(r, best_columns, functools.partial(_row_name, name, raw))
            if blanks and len(blanks) < required:
                places = ", ".join(f"{f.label} vào ô {cell_name(r, best_columns[f.key])}" for f in blanks)
                digits = " (bằng chữ số)" if all(f.type is FieldType.COUNT for f in blanks) else ""
                self.report(f"điền chưa đủ, còn trống {', '.join(f.label for f in blanks)}",
                            "điền đủ mọi cột bắt buộc của dòng, hoặc xóa cả dòng", name,
                            ", ".join(cell_name(r, best_columns[f.key]) for f in blanks),
                            fix=f"Điền {places}{digits}; nếu dòng {r + 1} thừa thì xóa cả dòng {r + 1}", on_row=cells)
                continue
            if blanks:  # only optional columns filled: a stray note, still a half-filled row
                filled = ", ".join(f.label for f in fields if not is_blank(raw[f.key]))
                self.report(f"chỉ điền {filled}",
                            "điền đủ mọi cột bắt buộc của dòng, hoặc xóa cả dòng", name,
                            fix=f"Điền đủ {', '.join(f.label for f in blanks)} ở dòng {r + 1}; nếu dòng {r + 1} "
                                f"thừa thì xóa nội dung còn sót ({filled}) ở dòng đó", on_row=cells)
                continue
            typed: dict[str, Any] = {}
            for f, key, c, parse, known in columns:
                if blank[key]:  # every required cell is filled: an optional one, None
                    typed[key] = None
                    continue
                seen = (raw[key].__class__, raw[key])  # the type too: 1, 1.0 and True read apart
                value = known.get(seen, _INVALID)
                if value is _INVALID:
                    value = self.filled(f, parse, raw[key], name, r, c or 0, cells)
                    if value is not _INVALID:
                        known[seen] = value
                typed[key] = value
            typed["_cells"] = cells
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
        cells = self.cells()
        self.problems += apply_checks(self.rules.checks, ReturnValues(info, self.tables, cells, _row_cell),
                                      self.workbook.name)
        if self.errors or unit is None or villages is None or severances is None:
            return unit, prepared_on, None
        return unit, prepared_on, CommuneReturn(
            file=self.workbook.name, unit=unit, period=self.period,
            commune_titles=info["commune_titles"], people_before=info["people_before"],
            people_after=info["people_after"], approved_on=info.get("approved_on"),
            prepared_by=info["prepared_by"], prepared_on=info["prepared_on"],
            villages=villages, severances=severances, cells=cells,
        )

    def cells(self) -> dict[tuple[str, str], str]:
        """Where each figure was read: a field of `Thông tin`, the cells of a table's column."""
        cells = {(INFO_SHEET, key): cell_name(row, 1) for key, row in self.info_rows.items()}
        for sheet, rows in self.tables.items():
            if rows:
                first, last = rows[0]["_cells"], rows[-1]["_cells"]
                cells.update({(sheet, key): f"{first[key]}:{last[key]}" if len(rows) > 1 else first[key]
                              for key in first.columns})
        return cells

    @property
    def errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def info_cell(self, key: str) -> str:
        """The cell of `Thông tin` the value of `key` was read from; column B when none was."""
        r = self.info_rows.get(key)
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
            fix = (f"Ghi {named[0].code} vào ô {code_cell} (mã của {unit_name(named[0].kind, named[0].name)} "
                   f"trong danh mục đơn vị)" if len(named) == 1 else
                   f"Ghi lại ô {code_cell} đúng mã của đơn vị trong danh mục (mã in sẵn trên biểu mẫu gửi kèm)")
            self.report(f"mã đơn vị '{code}' không có trong danh mục đơn vị",
                        "mã đơn vị đúng như trong danh mục (xem biểu mẫu gửi kèm)", INFO_SHEET, code_cell, fix=fix)
            return None
        if isinstance(name, str) and not _same_unit_name(name, unit):
            other = (f"; nếu đây là báo cáo của {unit_name(named[0].kind, named[0].name)} thì giữ tên và ghi mã "
                     f"{named[0].code} vào ô {code_cell}" if len(named) == 1 else
                     f"; nếu tên đúng thì sửa mã ở ô {code_cell}")
            self.report(f"tên đơn vị '{name}' không khớp với mã {unit.code} (danh mục ghi '{unit.name}')",
                        f"tên '{unit.name}', hoặc sửa lại mã đơn vị cho đúng", INFO_SHEET, name_cell,
                        fix=f"Ghi '{unit.name}' vào ô {name_cell}{other}")
            return None
        return unit

    def check_period(self, info: dict[str, Any]) -> None:
        period = info.get("period")
        if isinstance(period, Period) and period != self.period:
            self.other_period = True
            cell = self.info_cell("period")
            self.report(f"kỳ báo cáo là {period.label()}, không phải kỳ đang tổng hợp",
                        f"kỳ {self.period.label()}", INFO_SHEET, cell,
                        fix=f"Nếu đây là báo cáo {self.period.label()}, ghi '{self.period_text}' vào ô {cell}; "
                            f"nếu là báo cáo {period.label()} thì không gửi tệp này cho kỳ {self.period.label()}")

    def villages(self) -> tuple[Village, ...] | None:
        rows = self.table(VILLAGE_SHEET, VILLAGE_COLUMNS)
        self.tables[VILLAGE_SHEET] = [row for _, row in rows] if rows is not None else None
        if rows is None:
            return None
        seen: dict[str, int] = {}
        villages = []
        for number, row in rows:
            cells = row["_cells"]
            if isinstance(row["name"], str):
                key = label_key(row["name"])
                if key in seen:
                    self.report(f"tên thôn ghi hai lần (dòng {seen[key]} và dòng {number})",
                                "mỗi thôn một dòng", VILLAGE_SHEET, cells["name"],
                                fix=f"Nếu dòng {number} chép trùng dòng {seen[key]} thì xóa cả dòng {number}; nếu là "
                                    f"hai thôn khác nhau thì sửa tên ở ô {cells['name']} cho đúng", on_row=cells)
                seen.setdefault(key, number)
            if any(v is _INVALID for v in row.values()):
                continue
            villages.append(Village(row["name"], row["kind"], split_names(row["merged_from"] or ""),
                                    row["titles"], row["people_before"], row["people_after"]))
        return tuple(villages)

    def severances(self) -> tuple[Severance, ...] | None:
        rows = self.table(SEVERANCE_SHEET, SEVERANCE_COLUMNS)
        self.tables[SEVERANCE_SHEET] = [row for _, row in rows] if rows is not None else None
        if rows is None:
            return None
        seen: dict[tuple[str, str, str], int] = {}
        for number, row in rows:
            if all(isinstance(row[k], str) for k in ("full_name", "level", "title")):
                # One person leaves one post once: a second row for it is a copy, or two figures for one payment.
                key = (label_key(row["full_name"]), row["level"], label_key(row["title"]))
                if key in seen:
                    cell = row["_cells"]["full_name"]
                    self.report(f"{row['title']}, cấp {row['level']}, ghi hai lần (dòng {seen[key]} và dòng {number})",
                                "mỗi người thôi việc, nghỉ việc một dòng", SEVERANCE_SHEET, cell,
                                on_row=row["_cells"],
                                fix=f"Nếu dòng {number} chép trùng dòng {seen[key]} thì xóa cả dòng {number}; nếu là "
                                    f"hai người cùng họ tên thì ghi rõ chức danh (kèm tên thôn) ở cột Chức danh của "
                                    f"mỗi dòng (ô {cell} là họ tên ở dòng {number})")
                seen.setdefault(key, number)
        severances = []
        for number, row in rows:
            if any(v is _INVALID for v in row.values()):
                continue
            severance = Severance(**{field.key: row[field.key] for field in SEVERANCE_COLUMNS})
            if warning := severance_warning(severance, self.basis, self.workbook.name, number, row["_cells"],
                                         row["_cells"].name):
                self.problems.append(warning)
            severances.append(severance)
        return tuple(severances)


def _row_cell(row: Mapping[str, Any], key: str) -> str:
    return row["_cells"][key]


def _row_name(sheet: str, raw: Mapping[str, Any]) -> str:
    """A table row as the clerk knows it: `Thôn 'Đông Thượng'` (the row's own kind when it
    names one: `Tổ dân phố 'Số 3'`; the name alone when it starts with its kind: `'Thôn Tây'`),
    `Ông (bà) 'Nguyễn Văn An'`; empty when the name cell is blank."""
    if sheet == VILLAGE_SHEET:
        name, kind = cell_text(raw.get("name")), canonical_kind(cell_text(raw.get("kind")))
        kind = kind if kind in VILLAGE_KINDS else VILLAGE_SHEET
        if not name:
            return ""
        return f"'{name}'" if label_key(name).startswith(label_key(kind) + " ") else f"{kind} '{name}'"
    name = cell_text(raw.get("full_name"))
    return f"Ông (bà) '{name}'" if name else ""


class _RowCells:
    """The cell names of a table row by field key, and the row's `name` as messages write
    it (given, or the function that words it), each worked out only when a message needs
    it; its `line` on the sheet."""

    def __init__(self, row: int, columns: dict[str, int], name: str | Callable[[], str]) -> None:
        self.row, self.columns, self._name = row, columns, name

    @property
    def name(self) -> str:
        if callable(self._name):
            self._name = self._name()
        return self._name

    @property
    def line(self) -> int:
        return self.row + 1

    def __getitem__(self, key: str) -> str:
        return cell_name(self.row, self.columns[key])

    def __contains__(self, key: str) -> bool:
        """Whether the sheet has the column (an optional one may be absent)."""
        return key in self.columns


# --- field parsers: raise ValueError, the checker words the message ------------------


# The header search reads the first rows of every table of every return: the same
# few labels and numbers each time. Typed, so that 1, 1.0 and True stay apart.
@functools.lru_cache(maxsize=4096, typed=True)
def _header_key(value: Any) -> str:
    return label_key(cell_text(value))


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


def _tab(place: int, sheet: Sheet) -> str:
    """`trang thứ 4 'thôn ' (đang ẩn)`: a sheet as the clerk finds it among the tabs."""
    return f"trang thứ {place} '{sheet.name}'" + (" (đang ẩn)" if sheet.hidden else "")


def _by_number(units: Mapping[str, Unit], code: str) -> Unit | None:
    """A code Excel turned into a number lost its leading zeros: match on the digits."""
    if not code.isdigit():
        return None
    return next((u for u in units.values() if u.code.isdigit() and int(u.code) == int(code)), None)


def _same_unit_name(name: str, unit: Unit) -> bool:
    """`Nam Tiến`, `xã Nam Tiến` and `XÃ NAM TIẾN` all name the registry's `Nam Tiến`."""
    given, expected = label_key(name), label_key(unit.name)
    return given in (expected, f"{label_key(unit.kind)} {expected}")


def check_return(workbook: Workbook, units: Mapping[str, Unit], period: Period, *, today: dt.date,
                 rules: RuleSet, basis: Basis | None = None) -> CheckedReturn:
    """One workbook checked on its own (`units`: the registry by code; `today`: the
    run's date, no date in a return being later; `rules`: the check rules of
    quy-tac.yaml; `basis`: the legal basis severance amounts are recomputed under,
    none by default). Runs where the workbook was read, in a pool's worker for a big
    run, so its cells stay there."""
    checker = _Checker(workbook, units, period, today, rules, basis)
    unit, prepared_on, data = checker.check()
    outcome = ReturnOutcome(
        file=workbook.name,
        status=ReturnStatus.VALID if data else ReturnStatus.INVALID,
        code=unit.code if unit else None,
        unit_name=unit.name if unit else None,
        prepared_on=prepared_on,
        problems=tuple(checker.problems),
        data=data,
        digest=workbook.digest,
    )
    return CheckedReturn(outcome, for_this_period=not checker.other_period,
                         prepared_on_cell=checker.info_cell("prepared_on"))


def settle(returns: Iterable[CheckedReturn | UnreadableFile], registry: Sequence[Unit],
           ignored: tuple[str, ...]) -> ValidationResult:
    """The returns weighed together: per commune the latest return for the period counts
    and its older files are superseded (`_settle_commune`); a file that could not be
    read is invalid; the communes with no return are missing. Whatever the order the
    returns come in, the result is the same."""
    outcomes: list[ReturnOutcome] = []
    candidates: dict[str, list[CheckedReturn]] = {}
    for checked in returns:
        if isinstance(checked, UnreadableFile):
            problem = checked.problem
            outcomes.append(ReturnOutcome(problem.file, ReturnStatus.INVALID, None, None, None, (problem,),
                                          digest=checked.digest))
            continue
        if checked.outcome.code is None:
            outcomes.append(checked.outcome)
            continue
        candidates.setdefault(checked.outcome.code, []).append(checked)

    accepted: list[CommuneReturn] = []
    for entries in candidates.values():
        settled = _settle_commune(entries)
        outcomes.extend(settled)
        accepted.extend(o.data for o in settled if o.status is ReturnStatus.VALID)

    order = {u.code: i for i, u in enumerate(registry)}
    accepted.sort(key=lambda r: order[r.unit.code])
    outcomes.sort(key=lambda o: (order.get(o.code or "", len(order)), o.file))
    missing = tuple(u for u in registry if u.code not in candidates)
    return ValidationResult(tuple(outcomes), tuple(accepted), missing, ignored)


def _recency(checked: CheckedReturn) -> tuple[bool, dt.date]:
    """A return for this period before any other; then the later `Ngày lập`."""
    return checked.for_this_period, checked.outcome.prepared_on or dt.date.min


def _settle_commune(entries: list[CheckedReturn]) -> list[ReturnOutcome]:
    """One commune's returns: the latest counts and the older are superseded. Of several
    latest (the same `Ngày lập`), one counts when all are valid with the same figures
    (the first by file name: the figures are the same whichever), none when they
    differ; several without a `Ngày lập` read are each invalid, none replacing another."""
    latest_key = max(map(_recency, entries))
    latest = sorted((c for c in entries if _recency(c) == latest_key), key=lambda c: c.outcome.file)
    older = [c.outcome for c in entries if _recency(c) != latest_key]
    if len(latest) == 1 or latest_key[1] == dt.date.min:
        counted = [c.outcome for c in latest]
    elif _same_figures([c.outcome.data for c in latest]):
        counted = [latest[0].outcome]
        older += [c.outcome for c in latest[1:]]
    else:
        counted = [_same_date(c, [other for other in latest if other is not c]) for c in latest]
    return [*(dataclasses.replace(o, status=ReturnStatus.SUPERSEDED, data=None) for o in older), *counted]


def _same_figures(returns: list[CommuneReturn | None]) -> bool:
    """Whether all are valid and say the same, the order of their rows aside."""
    def figures(data: CommuneReturn) -> tuple[CommuneReturn, Counter, Counter]:
        return dataclasses.replace(data, file="", villages=(), severances=()), Counter(data.villages), \
            Counter(data.severances)
    if any(data is None for data in returns):
        return False
    first, *others = map(figures, returns)
    return all(other == first for other in others)


def _same_date(checked: CheckedReturn, others: list[CheckedReturn]) -> ReturnOutcome:
    """`checked` when `others` bear its `Ngày lập` and say something else: counted for nothing.
    The commune is told which files clash and how to settle it, never to change a date it
    wrote: the office cannot know which is right, the commune can."""
    outcome, cell = checked.outcome, checked.prepared_on_cell
    places = " và ".join(f"tệp «{o.outcome.file}» ({INFO_SHEET}!{o.prepared_on_cell})" for o in others)
    files = " hay ".join(f"tệp «{c.outcome.file}»" for c in sorted([checked, *others], key=lambda c: c.outcome.file))
    clash = Problem(
        outcome.file,
        f"Ngày lập {format_short_date(outcome.prepared_on)} trùng với {places} nhưng số liệu các tệp "
        f"khác nhau: không xác định được tệp nào là báo cáo đúng nên chưa tổng hợp tệp nào",
        "mỗi đơn vị gửi một báo cáo đúng; các tệp cùng Ngày lập phải có cùng số liệu",
        Severity.ERROR, INFO_SHEET, cell,
        f"Gửi lại một tệp duy nhất là báo cáo đúng, hoặc báo cho cơ quan nhận báo cáo biết {files} là báo cáo đúng",
    )
    return dataclasses.replace(outcome, status=ReturnStatus.SAME_DATE, problems=(clash, *outcome.problems), data=None)


def validate(ingested: IngestResult, registry: Sequence[Unit], period: Period, *, today: dt.date,
             rules: RuleSet, basis: Basis | None = None) -> ValidationResult:
    """Stage 2 on what stage 1 read: `check_return` on each workbook, then `settle`
    (the rules that weigh returns together are `outliers.flag_outliers`)."""
    units = {u.code: u for u in registry}
    checked = [check_return(workbook, units, period, today=today, rules=rules, basis=basis)
               for workbook in ingested.workbooks]
    return settle([*ingested.unreadable, *checked], registry, ingested.ignored)
