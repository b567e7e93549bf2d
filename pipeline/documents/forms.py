"""The blank return workbook the office sends to each commune.

Every label, header, sheet name and choice comes from `pipeline.intake.contract`, so the
form and the reader cannot drift apart. The layout constants below let a script
fill a form without guessing where things are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.files import write_workbook
from pipeline.core.model import Unit
from pipeline.intake.contract import (
    FORM_RESIGNATION,
    FORM_RETIREMENT,
    INFO_FIELDS,
    INFO_SHEET,
    LEVEL_COMMUNE,
    LEVEL_VILLAGE,
    MERGE_SEPARATOR,
    SEVERANCE_COLUMNS,
    SEVERANCE_SHEET,
    VILLAGE_COLUMNS,
    VILLAGE_SHEET,
    Field,
    FieldType,
)
from pipeline.render.xlsx import stored_text
from pipeline.vn.filenames import file_stem
from pipeline.vn.periods import Period
from pipeline.vn.text import capitalize

__all__ = [
    "FORM_DATA_ROWS",
    "FORM_FIRST_DATA_ROW",
    "FORM_HEADER_ROW",
    "INFO_FIRST_ROW",
    "INFO_HINT_COLUMN",
    "INFO_LABEL_COLUMN",
    "INFO_ROWS",
    "INFO_VALUE_COLUMN",
    "NUMBER_FORMATS",
    "build_form",
    "form_file_name",
    "form_timestamp",
    "write_forms",
]

# `Thôn` and `Thôi việc`: title (row 1), note (row 2), header, then data.
FORM_HEADER_ROW = 3
FORM_FIRST_DATA_ROW = FORM_HEADER_ROW + 1
# Rows below the header that carry data validation and input messages.
FORM_DATA_ROWS = 500

# `Thông tin`: title (row 1), instruction (row 2), column captions (row 3), fields.
INFO_LABEL_COLUMN = 1
INFO_VALUE_COLUMN = 2
INFO_HINT_COLUMN = 3
INFO_FIRST_ROW = 4
INFO_ROWS: dict[str, int] = {field.key: INFO_FIRST_ROW + i for i, field in enumerate(INFO_FIELDS)}

NUMBER_FORMATS: dict[FieldType, str] = {
    FieldType.TEXT: "@",
    FieldType.CODE: "@",
    FieldType.CHOICE: "@",
    FieldType.PERIOD: "@",
    FieldType.COUNT: "0",
    FieldType.AMOUNT: "#,##0",
    FieldType.DATE: "dd/mm/yyyy",
}
_WIDTHS: dict[FieldType, float] = {
    FieldType.TEXT: 30,
    FieldType.CODE: 12,
    FieldType.CHOICE: 14,
    FieldType.PERIOD: 16,
    FieldType.COUNT: 12,
    FieldType.AMOUNT: 16,
    FieldType.DATE: 14,
}
# Lists of former villages run long.
_WIDE_KEYS = {"merged_from": 44}

# Excel stores date limits as serial numbers: 01/01/2000 and 31/12/2099.
_DATE_MIN_SERIAL = "36526"
_DATE_MAX_SERIAL = "73050"

_TITLE_FONT = Font(bold=True, size=13)
_NOTE_FONT = Font(italic=True, size=10)
_BOLD = Font(bold=True)
_HINT_FONT = Font(italic=True, color="808080")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)

_VILLAGE = {field.key: field for field in VILLAGE_COLUMNS}
_SEVERANCE = {field.key: field for field in SEVERANCE_COLUMNS}

# Column captions of `Thông tin`: label, value, hint.
_INFO_CAPTIONS = ("Nội dung", "Giá trị", "Hướng dẫn")

_INSTRUCTIONS = (
    f"1. Trang «{INFO_SHEET}»: điền cột «{_INFO_CAPTIONS[1]}» theo hướng dẫn ở cột «{_INFO_CAPTIONS[2]}»; "
    f"không sửa nội dung cột «{_INFO_CAPTIONS[0]}».",
    f"2. Trang «{VILLAGE_SHEET}»: mỗi thôn, tổ dân phố sau sắp xếp ghi một dòng; thôn hình thành "
    f"do sáp nhập thì ghi tên các thôn cũ ở cột «{_VILLAGE['merged_from'].label}», cách nhau bởi "
    f"dấu {MERGE_SEPARATOR} (ví dụ: Thôn Đông Thượng{MERGE_SEPARATOR} Thôn Đông Hạ).",
    f"3. Trang «{SEVERANCE_SHEET}»: mỗi người thôi việc, nghỉ việc ghi một dòng; "
    f"«{_SEVERANCE['amount'].label}» ghi bằng số nguyên, đơn vị đồng (ví dụ 14875500); "
    f"chưa chi trả thì để trống «{_SEVERANCE['paid_on'].label}».",
    "4. Ngày ghi theo dạng ngày/tháng/năm (ví dụ 15/11/2020); số người, số chức danh ghi bằng số, "
    "không ghi bằng chữ.",
    "5. Không đổi tên các trang, không sửa tên cột, không chèn thêm dòng phía trên dòng tên cột.",
)


def form_timestamp(period: Period) -> datetime:
    """Midnight of the period's first day: the fixed creation time of its forms.

    The cut-off window starts on the 15th of the month before the period's first
    month, so the first month is the one after the window's start.
    """
    start = period.cutoff_window()[0]
    first = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return datetime.combine(first, time())


def form_file_name(unit: Unit) -> str:
    """`10183-nam-tien.xlsx`: code, then the name without diacritics, spaces as `-`."""
    return f"{file_stem(unit.code, unit.name)}.xlsx"


def _messages(dv: DataValidation, field: Field, error: str) -> DataValidation:
    # Excel caps titles at 32 characters and messages at 255.
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.error = f"«{field.label}»: {error}"[:255]
    dv.showInputMessage = True
    dv.promptTitle = field.label[:32]
    dv.prompt = f"{field.hint}. Cần: {field.expected}."[:255]
    return dv


def _validation(field: Field) -> DataValidation | None:
    """The Excel check for one field, or None for free text."""
    if field.choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"', allow_blank=True)
        return _messages(dv, field, f"chọn {field.expected}.")
    match field.type:
        case FieldType.COUNT | FieldType.AMOUNT:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            what = "số tiền bằng đồng" if field.type is FieldType.AMOUNT else "số"
            return _messages(dv, field, f"ghi {what}, là số nguyên không âm, không ghi bằng chữ.")
        case FieldType.DATE:
            dv = DataValidation(
                type="date", operator="between",
                formula1=_DATE_MIN_SERIAL, formula2=_DATE_MAX_SERIAL, allow_blank=True,
            )
            return _messages(dv, field, "ghi ngày theo dạng ngày/tháng/năm, ví dụ 15/11/2020.")
        case _:
            return None


def _text(ws: Worksheet, row: int, column: int, value: str | None) -> Any:
    """The cell at (`row`, `column`) holding `value` as text: never a formula, whatever it
    starts with, read back as written (`stored_text`). None leaves the cell empty."""
    cell = ws.cell(row=row, column=column)
    if value is not None:
        cell.value = stored_text(value)
        cell.data_type = "s"
    return cell


def _title(ws: Worksheet, row: int, text: str, font: Font, last_column: int) -> None:
    cell = _text(ws, row, 1, text)
    cell.font, cell.alignment = font, Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)


def _build_info(ws: Worksheet, unit: Unit, period: Period) -> None:
    _title(ws, 1, "BIỂU BÁO CÁO SẮP XẾP NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH", _TITLE_FONT, INFO_HINT_COLUMN)
    _title(
        ws, 2,
        f"{unit.kind} {unit.name}, {period.label()}. Điền cột «{_INFO_CAPTIONS[1]}»; "
        f"xem hướng dẫn ở cuối trang.",
        _NOTE_FONT, INFO_HINT_COLUMN,
    )
    for column, caption in enumerate(_INFO_CAPTIONS, start=1):
        cell = _text(ws, INFO_FIRST_ROW - 1, column, caption)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _WRAP_CENTER, _BORDER

    prefilled = {"code": unit.code, "name": unit.name, "period": capitalize(period.label())}
    for field in INFO_FIELDS:
        row = INFO_ROWS[field.key]
        label = _text(ws, row, INFO_LABEL_COLUMN, field.label)
        label.font, label.border = _BOLD, _BORDER
        value = _text(ws, row, INFO_VALUE_COLUMN, prefilled.get(field.key))
        value.number_format = NUMBER_FORMATS[field.type]
        value.border = _BORDER
        value.alignment = Alignment(horizontal="left")
        hint = _text(ws, row, INFO_HINT_COLUMN, field.hint)
        hint.font, hint.alignment = _HINT_FONT, _WRAP
        if dv := _validation(field):
            dv.add(value.coordinate)
            ws.add_data_validation(dv)

    row = INFO_FIRST_ROW + len(INFO_FIELDS) + 1
    _text(ws, row, 1, "HƯỚNG DẪN ĐIỀN BIỂU").font = _BOLD
    for offset, line in enumerate(_INSTRUCTIONS, start=1):
        _title(ws, row + offset, line, Font(), INFO_HINT_COLUMN)
        ws.row_dimensions[row + offset].height = 32

    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 62


def _build_table(ws: Worksheet, fields: tuple[Field, ...], title: str, note: str) -> None:
    last = len(fields)
    _title(ws, 1, title, _TITLE_FONT, last)
    _title(ws, 2, note, _NOTE_FONT, last)
    ws.row_dimensions[2].height = 30
    last_row = FORM_HEADER_ROW + FORM_DATA_ROWS
    for column, field in enumerate(fields, start=1):
        cell = _text(ws, FORM_HEADER_ROW, column, field.label)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _WRAP_CENTER, _BORDER
        letter = get_column_letter(column)
        # A column style, not 500 styled empty cells: readers see no phantom rows,
        # and Excel gives cells typed in later the column's number format.
        dimension = ws.column_dimensions[letter]
        dimension.width = _WIDE_KEYS.get(field.key, _WIDTHS[field.type])
        dimension.number_format = NUMBER_FORMATS[field.type]
        if dv := _validation(field):
            dv.add(f"{letter}{FORM_FIRST_DATA_ROW}:{letter}{last_row}")
            ws.add_data_validation(dv)
    ws.row_dimensions[FORM_HEADER_ROW].height = 32
    ws.freeze_panes = f"A{FORM_FIRST_DATA_ROW}"


def build_form(unit: Unit, period: Period, author: str = "") -> Workbook:
    """The blank return for one unit and period, code, name and period filled in;
    `author`: the office that sends it (its properties name no program)."""
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    _build_info(info, unit, period)
    _build_table(
        wb.create_sheet(VILLAGE_SHEET), VILLAGE_COLUMNS,
        f"DANH SÁCH THÔN, TỔ DÂN PHỐ SAU SẮP XẾP — {unit.kind.upper()} {unit.name.upper()}",
        "Mỗi thôn, tổ dân phố sau sắp xếp ghi một dòng; thôn sáp nhập ghi các thôn cũ ở cột "
        f"«{_VILLAGE['merged_from'].label}», cách nhau bởi dấu {MERGE_SEPARATOR}",
    )
    _build_table(
        wb.create_sheet(SEVERANCE_SHEET), SEVERANCE_COLUMNS,
        "DANH SÁCH NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH THÔI VIỆC, NGHỈ VIỆC",
        f"Mỗi người một dòng; «{_SEVERANCE['level'].label}»: {LEVEL_COMMUNE} hoặc {LEVEL_VILLAGE}; "
        f"«{_SEVERANCE['form'].label}»: {FORM_RESIGNATION} hoặc {FORM_RETIREMENT}; số tiền ghi bằng đồng.",
    )
    stamp = form_timestamp(period)
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb.properties.title = f"Báo cáo sắp xếp người hoạt động không chuyên trách — {unit.name}, {period.label()}"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def write_forms(units: Iterable[Unit], period: Period, out_dir: Path, author: str = "") -> list[Path]:
    """One blank form per unit in `out_dir`, `author` (the issuing body) as its author;
    returns the paths written."""
    written = []
    for unit in units:
        path = out_dir / form_file_name(unit)
        write_workbook(build_form(unit, period, author), path)
        written.append(path)
    return written
