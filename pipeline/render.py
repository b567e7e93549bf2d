"""Stage 4: write the documents from ready-made contexts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from pipeline.model import CommuneRow, StatusRow, UnitStatus
from pipeline.docx_render import compiled
from pipeline.outputs import ZIP_EPOCH, write_bytes, write_workbook

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"

def annex_columns(villages: str) -> tuple[tuple[str, str], ...]:
    """(CommuneRow field, Vietnamese header); villages named by the kinds the data holds."""
    return (
        ("code", "Mã đơn vị"),
        ("name", "Tên đơn vị"),
        ("commune_titles", "Số chức danh cấp xã"),
        ("people_before", "Cấp xã: số người trước sắp xếp"),
        ("people_after", "Cấp xã: số người sau sắp xếp"),
        ("reduction", "Cấp xã: giảm"),
        ("villages_before", f"Số {villages} trước sắp xếp"),
        ("villages_after", f"Số {villages} sau sắp xếp"),
        ("village_titles", f"Số chức danh ở {villages}"),
        ("village_people_before", f"Ở {villages}: số người trước sắp xếp"),
        ("village_people_after", f"Ở {villages}: số người sau sắp xếp"),
        ("village_reduction", f"Ở {villages}: giảm"),
        ("villages_over_target", f"Số {villages} chưa đạt chỉ tiêu"),
        ("severance_cases", "Số người thôi việc, nghỉ việc"),
        ("severance_paid", "Số tiền đã chi trả (đồng)"),
    )


_TEXT_COLUMNS = {"code", "name"}
_FORMULA_STARTS = ("=", "+", "-", "@")
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ROW = 3  # under the title and a blank line

STATUS_SHEET = "Tình trạng"
STATUS_COLUMNS = (
    ("code", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("status", "Tình trạng"),
    ("file", "Tệp báo cáo"),
    ("errors", "Số lỗi"),
    ("prepared_on", "Ngày lập"),
    ("message", "Ghi chú"),
    ("feedback", "Phiếu phản hồi"),
)
# Light fills, so a status reads at a glance (and prints in grey).
_STATUS_FILLS = {
    UnitStatus.VALID: "E2EFDA", UnitStatus.INVALID: "F8CBAD", UnitStatus.MISSING: "FFE699",
    UnitStatus.SUPERSEDED: "D9D9D9", UnitStatus.UNMATCHED: "F8CBAD",
}


def render_docx(template: Path, context: dict[str, Any], target: Path) -> Path:
    """The template is compiled once per run, however many documents it gives."""
    return write_bytes(target, compiled(template).render(context))


def _text_cell(cell: Any, value: str | None) -> None:
    """Text from data, stored as text: never a formula, whatever it starts with, and
    without the control characters a workbook cannot hold. None leaves the cell empty."""
    if value is None:
        return
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if cell.value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"


def _cell_style(workbook: Workbook, name: str, **formatting: Any) -> str:
    """A bordered named cell style, added to the workbook once. Setting a named style
    on thousands of cells is a lookup; setting a Border or Font hashes it every time."""
    if name not in workbook.named_styles:
        workbook.add_named_style(NamedStyle(name=name, border=_BORDER, **formatting))
    return name


def _titled_sheet(workbook: Workbook, name: str, title: str, headers: Sequence[str]) -> Any:
    """The workbook's sheet: a bold title in A1, the column headers at `_HEADER_ROW`."""
    sheet = workbook.active
    sheet.title = name
    _text_cell(sheet["A1"], title)
    sheet["A1"].font = Font(bold=True, size=13)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(_HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = _BORDER
    return sheet


def _finish(workbook: Workbook, sheet: Any, rows: int, columns: int, freeze_column: int, target: Path) -> Path:
    """Header frozen (with the columns before `freeze_column`), an auto filter over
    the `rows` data rows, and fixed properties so the same data gives the same bytes."""
    sheet.freeze_panes = sheet.cell(_HEADER_ROW + 1, freeze_column)
    sheet.auto_filter.ref = f"A{_HEADER_ROW}:{get_column_letter(columns)}{_HEADER_ROW + rows}"
    workbook.properties.creator = "pipeline"
    workbook.properties.created = workbook.properties.modified = ZIP_EPOCH
    return write_workbook(workbook, target)


def write_annex_xlsx(rows: Sequence[CommuneRow], totals: CommuneRow, title: str, villages: str,
                     target: Path) -> Path:
    columns = annex_columns(villages)
    workbook = Workbook()
    sheet = _titled_sheet(workbook, "Phụ lục", title, [header for _, header in columns])
    text, number = _cell_style(workbook, "Phụ lục: chữ"), _cell_style(workbook, "Phụ lục: số", number_format="#,##0")
    total_text = _cell_style(workbook, "Phụ lục: chữ dòng tổng", font=Font(bold=True))
    total_number = _cell_style(workbook, "Phụ lục: số dòng tổng", font=Font(bold=True), number_format="#,##0")
    for offset, row in enumerate([*rows, totals], start=1):
        is_total = row is totals
        for column, (key, _) in enumerate(columns, start=1):
            cell = sheet.cell(_HEADER_ROW + offset, column)
            value = getattr(row, key)
            if key in _TEXT_COLUMNS:
                _text_cell(cell, value)
                cell.style = total_text if is_total else text
            else:
                cell.value = value
                cell.style = total_number if is_total else number
    sheet.row_dimensions[_HEADER_ROW].height = 48
    for column, (key, header) in enumerate(columns, start=1):
        longest = max([len(str(getattr(r, key))) for r in [*rows, totals]] + [min(len(header), 14)])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 10), 40)
    return _finish(workbook, sheet, len(rows), len(columns), 3, target)


def write_status_xlsx(rows: Sequence[StatusRow], title: str, target: Path) -> Path:
    """The return-status workbook: one line per `StatusRow`, in the order given."""
    workbook = Workbook()
    sheet = _titled_sheet(workbook, STATUS_SHEET, title, [header for _, header in STATUS_COLUMNS])
    top = Alignment(vertical="top")
    styles = {
        "errors": _cell_style(workbook, "Tình trạng: số", alignment=top),
        "prepared_on": _cell_style(workbook, "Tình trạng: ngày", alignment=top, number_format="DD/MM/YYYY"),
        "message": _cell_style(workbook, "Tình trạng: ghi chú", alignment=Alignment(vertical="top", wrap_text=True)),
    }
    text = _cell_style(workbook, "Tình trạng: chữ", alignment=top)
    status_styles = {status: _cell_style(workbook, f"Tình trạng: {status.value}", alignment=top,
                                         fill=PatternFill("solid", fgColor=fill))
                     for status, fill in _STATUS_FILLS.items()}
    for offset, row in enumerate(rows, start=1):
        values = {"code": row.code, "name": row.name, "status": row.status.value, "file": row.file,
                  "errors": row.errors, "prepared_on": row.prepared_on, "message": row.message,
                  "feedback": row.feedback}
        for column, (key, _) in enumerate(STATUS_COLUMNS, start=1):
            cell = sheet.cell(_HEADER_ROW + offset, column)
            value = values[key]
            if key in ("errors", "prepared_on"):
                cell.value = value
            else:
                _text_cell(cell, value)
            cell.style = status_styles[row.status] if key == "status" else styles.get(key, text)
    widths = {"code": 12, "name": 20, "status": 26, "file": 36, "errors": 8, "prepared_on": 12, "message": 80,
              "feedback": 36}
    for column, (key, _) in enumerate(STATUS_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = widths[key]
    return _finish(workbook, sheet, len(rows), len(STATUS_COLUMNS), 3, target)
