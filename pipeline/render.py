"""Stage 4: write the documents from ready-made contexts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from pipeline.model import CommuneRow
from pipeline.outputs import ZIP_EPOCH, write_document, write_workbook
from pipeline.templating import make_environment

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


def render_docx(template: Path, context: dict[str, Any], target: Path) -> Path:
    document = DocxTemplate(template)
    document.render(context, jinja_env=make_environment(), autoescape=True)
    return write_document(document, target)


def _text_cell(cell: Any, value: str) -> None:
    """Data is never a formula, whatever it starts with."""
    cell.value = value
    if value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"


def write_annex_xlsx(rows: Sequence[CommuneRow], totals: CommuneRow, title: str, villages: str,
                     target: Path) -> Path:
    columns = annex_columns(villages)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    header_row = 3
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, (_, header) in enumerate(columns, start=1):
        cell = sheet.cell(header_row, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = border
    for offset, row in enumerate([*rows, totals], start=1):
        is_total = row is totals
        for column, (key, _) in enumerate(columns, start=1):
            cell = sheet.cell(header_row + offset, column)
            value = getattr(row, key)
            if key in _TEXT_COLUMNS:
                _text_cell(cell, value)
            else:
                cell.value = value
                cell.number_format = "#,##0"
            cell.border = border
            if is_total:
                cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(header_row + 1, 3)
    sheet.row_dimensions[header_row].height = 48
    for column, (key, header) in enumerate(columns, start=1):
        longest = max([len(str(getattr(r, key))) for r in [*rows, totals]] + [min(len(header), 14)])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 10), 40)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row + len(rows)}"
    workbook.properties.creator = "pipeline"
    workbook.properties.created = workbook.properties.modified = ZIP_EPOCH
    return write_workbook(workbook, target)
