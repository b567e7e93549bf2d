"""The one place that opens workbooks (xlsx, xls, ods) — with python-calamine.

Text comes out as Unicode NFC whatever the clerk typed it in: cells in a legacy
Vietnamese font (TCVN3 `.VnTime`, VNI `VNI-Times`) are decoded by their font,
other text by its content.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pipeline.legacy_fonts import legacy_font_cells, legacy_fonts_in_xlsx
from pipeline.vn.legacy import LegacyEncoding, to_unicode

Grid = list[list[Any]]


def _unicode_rows(rows: Grid, fonts: dict[tuple[int, int], LegacyEncoding]) -> Grid:
    return [[to_unicode(value, fonts.get((r, c))) if isinstance(value, str) else value
             for c, value in enumerate(row)] for r, row in enumerate(rows)]


def read_sheets(path: Path) -> dict[str, Grid]:
    """Every sheet as rows of raw values, row 0 / column 0 being cell A1.

    `skip_empty_area=False` keeps the grid anchored at A1, so positions map to the
    cell names a clerk sees in Excel.
    """
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        sheets = {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                  for name in workbook.sheet_names}
    finally:
        workbook.close()
    # Fonts are only looked up when the style sheet names a legacy font at all.
    fonts = legacy_font_cells(path) if legacy_fonts_in_xlsx(path) else {}
    return {to_unicode(name): _unicode_rows(rows, fonts.get(name, {})) for name, rows in sheets.items()}
