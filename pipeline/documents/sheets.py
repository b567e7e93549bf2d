"""The office's workbooks (the annex, the return-status list): a bold title, a
bordered header row, bordered cells by named styles, and fixed properties so the
same data gives the same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter

from pipeline.core.files import ZIP_EPOCH, write_workbook

_FORMULA_STARTS = ("=", "+", "-", "@")
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_ROW = 3  # under the title and a blank line


def text_cell(cell: Any, value: str | None) -> None:
    """Text from data, stored as text: never a formula, whatever it starts with, and
    without the control characters a workbook cannot hold. None leaves the cell empty."""
    if value is None:
        return
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if cell.value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"


def cell_style(workbook: Workbook, name: str, **formatting: Any) -> str:
    """A bordered named cell style, added to the workbook once. Setting a named style
    on thousands of cells is a lookup; setting a Border or Font hashes it every time."""
    if name not in workbook.named_styles:
        workbook.add_named_style(NamedStyle(name=name, border=BORDER, **formatting))
    return name


def titled_sheet(workbook: Workbook, name: str, title: str, headers: Sequence[str]) -> Any:
    """The workbook's sheet: a bold title in A1, the column headers at `HEADER_ROW`."""
    sheet = workbook.active
    sheet.title = name
    text_cell(sheet["A1"], title)
    sheet["A1"].font = Font(bold=True, size=13)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = BORDER
    return sheet


def finish_sheet(workbook: Workbook, sheet: Any, rows: int, columns: int, freeze_column: int, target: Path) -> Path:
    """Header frozen (with the columns before `freeze_column`), an auto filter over
    the `rows` data rows, and fixed properties so the same data gives the same bytes."""
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, freeze_column)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{HEADER_ROW + rows}"
    workbook.properties.creator = "pipeline"
    workbook.properties.created = workbook.properties.modified = ZIP_EPOCH
    return write_workbook(workbook, target)
