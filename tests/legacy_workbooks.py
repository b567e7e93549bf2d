"""Return workbooks typed in the legacy Vietnamese encodings (TCVN3, VNI), for tests.

A return is written by `builders.write_return`, then its names are re-typed the way
an office on a legacy font types them: the code points of the encoding, and — when
`with_font` — the font that makes them look right in Excel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builders import write_return
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from pipeline.intake.contract import (
    INFO_FIELDS,
    INFO_SHEET,
    SEVERANCE_COLUMNS,
    SEVERANCE_SHEET,
    VILLAGE_COLUMNS,
    VILLAGE_SHEET,
    Field,
)
from pipeline.vn.legacy import LegacyEncoding, encode_tcvn3, encode_vni

FONTS: dict[LegacyEncoding, str] = {
    LegacyEncoding.TCVN3: ".VnTime",
    LegacyEncoding.TCVN3_UPPER: ".VnTimeH",
    LegacyEncoding.VNI: "VNI-Times",
}

# The cells a clerk types by hand: the unit's name, village names, people's names.
_INFO_KEYS = frozenset({"name", "prepared_by"})
_TABLE_KEYS = {VILLAGE_SHEET: frozenset({"name", "merged_from"}), SEVERANCE_SHEET: frozenset({"full_name"})}
_TABLE_COLUMNS: dict[str, tuple[Field, ...]] = {VILLAGE_SHEET: VILLAGE_COLUMNS, SEVERANCE_SHEET: SEVERANCE_COLUMNS}


def legacy_text(text: str, encoding: LegacyEncoding) -> tuple[str, LegacyEncoding]:
    """`text` as typed in `encoding`, and the encoding actually used.

    An ordinary ABC font has no capitals with tones: all-capital text (a title)
    goes to the H font, as clerks do; other such text raises ValueError.
    """
    if encoding is LegacyEncoding.VNI:
        return encode_vni(text), encoding
    if encoding is LegacyEncoding.TCVN3:
        try:
            return encode_tcvn3(text), encoding
        except ValueError:
            if text != text.upper():
                raise
    return encode_tcvn3(text, upper=True), LegacyEncoding.TCVN3_UPPER


def _hand_typed_cells(workbook: Any) -> list[Cell]:
    cells: list[Cell] = []
    if INFO_SHEET in workbook.sheetnames:
        labels = {f.label for f in INFO_FIELDS if f.key in _INFO_KEYS}
        cells += [row[1] for row in workbook[INFO_SHEET].iter_rows(min_col=1, max_col=2) if row[0].value in labels]
    for name, keys in _TABLE_KEYS.items():
        if name not in workbook.sheetnames:
            continue
        sheet = workbook[name]
        labels = {f.label for f in _TABLE_COLUMNS[name] if f.key in keys}
        header = next(row for row in sheet.iter_rows() if any(cell.value in labels for cell in row))
        for column in (cell.column for cell in header if cell.value in labels):
            cells += [row[0] for row in sheet.iter_rows(min_row=header[0].row + 1, min_col=column, max_col=column)]
    return cells


def write_legacy_return(path: Path, encoding: LegacyEncoding, with_font: bool, info_values: dict[str, Any],
                        villages: list[dict[str, Any]], severances: list[dict[str, Any]], *,
                        every_text: bool = False, **options: Any) -> Path:
    """`builders.write_return`, with the hand-typed names re-typed in `encoding`.

    `every_text` re-types every text cell — titles, labels, headers, choices — like
    a form made entirely in the legacy font. `options` go to `write_return`.
    """
    write_return(path, info_values, villages, severances, **options)
    workbook = load_workbook(path)
    if every_text:
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    else:
        cells = _hand_typed_cells(workbook)
    for cell in cells:
        if isinstance(cell.value, str):
            cell.value, used = legacy_text(cell.value, encoding)
            if with_font:
                cell.font = Font(name=FONTS[used])
    workbook.save(path)
    return path
