"""Which cells of an .xlsx are in a legacy Vietnamese font (TCVN3, VNI).

calamine reads values but not fonts, so the reader first asks the cheap question —
does `xl/styles.xml` name a legacy font at all? — and only then opens the workbook
again with openpyxl to find the cells. Most workbooks stop at the first question.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

from pipeline.vn.legacy import LegacyEncoding, encoding_of_font

STYLES_PART = "xl/styles.xml"
# Real style sheets are kilobytes, and Excel keeps at most 64,000 cell formats (about
# 5 MB); a bigger one is broken or hostile. openpyxl holds a few hundred bytes of
# objects for each format it reads, so this bounds what finding the legacy fonts costs.
MAX_STYLES_BYTES = 5 * 1024 * 1024


def legacy_fonts_in_archive(archive: zipfile.ZipFile, styles: bytes | None = None) -> frozenset[LegacyEncoding]:
    """The legacy encodings named by the fonts of the style sheet of a workbook
    already open (`styles`: the style sheet's bytes, when they were already read).
    A workbook with no style sheet names none. A style sheet over 5 MB
    (uncompressed) is refused with ValueError.
    """
    try:
        info = archive.getinfo(STYLES_PART)
    except KeyError:
        return frozenset()
    if info.file_size > MAX_STYLES_BYTES:
        raise ValueError(
            f"tệp {STYLES_PART} trong bảng tính quá lớn ({info.file_size // (1024 * 1024)} MB, "
            f"tối đa {MAX_STYLES_BYTES // (1024 * 1024)} MB)"
        )
    if styles is None:
        # At most the declared size, CRC checked: `read()` would inflate up to 1 GiB at
        # once before cutting to it.
        with archive.open(info) as part:
            styles = part.read(info.file_size)
    return _fonts_kept(styles) if len(styles) <= _KEPT_STYLES_MAX_BYTES else _fonts_named(styles)


def _fonts_named(styles: bytes) -> frozenset[LegacyEncoding]:
    found: set[LegacyEncoding] = set()
    # Font names are <font><name val="..."/></font>; tags are namespaced, so match
    # the local name. ElementTree resolves no external entities.
    for element in ElementTree.fromstring(styles).iter():
        if element.tag.rpartition("}")[2] == "name" and (encoding := encoding_of_font(element.get("val"))):
            found.add(encoding)
    return frozenset(found)


# Returns filled in from one template carry its style sheet byte for byte: each is
# looked into once. Small ones only, so the cache stays small whatever a file holds.
_KEPT_STYLES_MAX_BYTES = 256 * 1024
_fonts_kept = functools.lru_cache(maxsize=16)(_fonts_named)


def legacy_font_cells(source: Path | BinaryIO) -> dict[str, dict[tuple[int, int], LegacyEncoding]]:
    """Sheet → (row, column), zero-based as in `read_sheets`, → encoding, for text cells in a legacy font.

    Costs a second parse of the workbook (`source`: its bytes as read): call it only
    when `legacy_fonts_in_archive` found a legacy font.
    """
    # Imported here: few returns name a legacy font, and `validate` otherwise never needs openpyxl.
    from openpyxl import load_workbook

    workbook = load_workbook(source, read_only=True, data_only=True, keep_links=False)
    try:
        cells: dict[str, dict[tuple[int, int], LegacyEncoding]] = {}
        for sheet in workbook.worksheets:
            found: dict[tuple[int, int], LegacyEncoding] = {}
            for row in sheet.iter_rows():
                for cell in row:
                    # Empty cells in read-only mode have no font; only text needs decoding.
                    if isinstance(cell.value, str) and (encoding := encoding_of_font(cell.font.name)):
                        found[(cell.row - 1, cell.column - 1)] = encoding
            cells[sheet.title] = found
        return cells
    finally:
        workbook.close()
