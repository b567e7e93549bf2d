"""The office's workbooks (the annex, the return-status list): a bold title, a
bordered header of one or more rows (a heading may span columns and rows), an STT
column, bordered cells by named styles in Times New Roman, printed on A4 landscape
one page wide with every header row on every page and the margins of Nghị định 30/2020 turned with the page, and fixed properties
so the same data gives the same bytes."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from pipeline.core.files import ZIP_EPOCH, write_workbook

_FORMULA_STARTS = ("=", "+", "-", "@")
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_ROW = 3  # the header's first row, under the title and a line for the annex's "(Kèm theo …)"
FONT = "Times New Roman"
SIZE = 12
# Decree 30's margins (top 20–25, bottom 20–25, left 30–35, right 15–20 mm) turned
# with the page, as the report's annex: the binding margin at the top. In inches.
_MARGINS = PageMargins(top=30 / 25.4, bottom=15 / 25.4, left=20 / 25.4, right=20 / 25.4,
                       header=10 / 25.4, footer=10 / 25.4)
# Tall enough for a line of capitals with Vietnamese marks above them (Ấ, Ỗ…).
TITLE_HEIGHT = 30
_TITLE_SIZE = 13  # the title's bold capitals
_DEFAULT_WIDTH = 8.43  # a column's width in Excel when none is set
STT = "STT"
FIRST_COLUMN = 2  # the data's first column, after STT
# The height of one line of SIZE type (Times New Roman's line is 1.15 em). Rather a
# line too many than text cut off.
LINE_POINTS = 14
# A column's width counts digits of the workbook's default font: 8 px, 6 pt of 12-point
# Times New Roman. Measured in LibreOffice, a cell w wide holds 6.04 w − 1.6 points of text.
_DIGIT_POINTS = SIZE / 2
_CELL_PADDING_POINTS = 2


def _em_table(groups: dict[float, str]) -> dict[str, float]:
    return {char: em for em, chars in groups.items() for char in chars}


# Times New Roman's advance widths in em (Liberation Serif's, which has the same metrics),
# plain and bold; the few rare characters grouped with the next wider.
_EM = {
    False: _em_table({0.25: ",. ", 0.278: "ijlt/:;\\'|", 0.333: "frI!()-[]`‘’", 0.389: "sJ", 0.444: 'acez?“”"',
                      0.5: "bdghknopquvxy0123456789#$*_–«»^{}", 0.564: "FPS+<=>~", 0.611: "ELTZ", 0.667: "BCR",
                      0.722: "wADGHKNOQUVXY", 0.778: "m&", 0.833: "%", 0.889: "M", 0.944: "W@", 1.0: "—…"}),
    True: _em_table({0.25: ",. ", 0.278: "il'/\\|", 0.333: "fjt!()-:;[]`‘’", 0.389: "sI{}", 0.444: "cerz",
                     0.5: "agovxyJ0123456789#$*?_“”–«»~", 0.556: 'bdhknpquS"', 0.611: "FP+<=>^", 0.667: "BELTZ",
                     0.722: "wACDNRUVXY", 0.778: "GHKOQ", 0.833: "m&", 0.944: "M@", 1.0: "W%—…"}),
}
_OTHER_EM = 1.0  # a character of neither table: as wide as the widest
_BASES = {"đ": "d", "Đ": "D"}  # the letters with a mark that Unicode does not decompose
# A letter with marks beyond Latin Extended-A (ơ, ư, ạ, ấ…) is drawn from another font
# where Times New Roman is missing and Liberation Serif lacks it (DejaVu Serif, under
# LibreOffice): up to 0.17 em wider than its base letter.
_SUBSTITUTED_EM = 0.17
# Where a line may break: after a space, or after a hyphen or a slash not followed by a
# digit (`phan-hoi/10198-hong-thai.docx` breaks after "phan-", "10198-", "hong-").
_BREAKS = re.compile(r"(?:[^\s/-]|[/-]+(?=\d))*[/-]*\s*")
_STT_WIDTH = 5
# Excel reads `_xHHHH_` in a cell's text as the character HHHH; LibreOffice (7.4) reads
# `_xH_` to `_xHHH_` too (`bao_cao_xa_hong` prints "bao_cao", a line break, "hong").
# Every reader reads `_x005F_` as "_", so a "_" that starts such a sequence is written so.
_READ_AS_ESCAPE = re.compile(r"_(?=[xX][0-9A-Fa-f]{1,4}_)")
_ESCAPED_UNDERSCORE = "_x005F_"


def wrapped_lines(text: str | None, width: float, *, bold: bool = False, size: float = SIZE) -> int:
    """How many lines `text` takes wrapped in a column (or merged columns) `width` wide,
    in Times New Roman of `size` points, as Excel and LibreOffice wrap it: at `_BREAKS`,
    and a piece longer than a line cut after the last character that fits."""
    room = width * _DIGIT_POINTS - _CELL_PADDING_POINTS
    total = 0
    for paragraph in (text or "").split("\n"):
        lines, used = 1, 0.0
        for piece in _BREAKS.findall(paragraph.strip()):
            word = piece.rstrip()
            points = _points(word, bold, size)
            if used and used + points > room:
                lines, used = lines + 1, 0.0
            if points > room:
                for char in word:
                    char_points = _points(char, bold, size)
                    if used and used + char_points > room:
                        lines, used = lines + 1, 0.0
                    used += char_points
            else:
                used += points
            used += _points(piece[len(word):], bold, size)
        total += lines
    return total


@functools.lru_cache(maxsize=1 << 16)
def _points(text: str, bold: bool, size: float) -> float:
    """The width of `text` in points; cached, as the same words come back row after row."""
    return size * sum(_char_em(char, bold) for char in text)


def _char_em(char: str, bold: bool) -> float:
    base = _BASES.get(char) or unicodedata.normalize("NFD", char)[0]
    em = _EM[bold].get(base, _OTHER_EM)
    return em + _SUBSTITUTED_EM if base != char and char > "\u017f" else em


def fit_row(sheet: Any, row: int, cells: Sequence[tuple[str | None, float]]) -> None:
    """Make `row` as high as the longest of its wrapped `cells` (text, column width):
    neither Excel nor LibreOffice grows a row for wrapped text when printing."""
    sheet.row_dimensions[row].height = LINE_POINTS * max([wrapped_lines(text, width) for text, width in cells] + [1])


@dataclass(frozen=True)
class Heading:
    """A column heading over `columns` columns, `rows` header rows high."""

    text: str
    rows: int = 1
    columns: int = 1


def first_data_row(sheet: Any) -> int:
    """The row under the header: the STT heading spans every row of it."""
    stt = next((cells for cells in sheet.merged_cells.ranges if (cells.min_row, cells.min_col) == (HEADER_ROW, 1)),
               None)
    return (stt.max_row if stt else HEADER_ROW) + 1


def set_widths(sheet: Any, widths: Sequence[float]) -> None:
    """The data columns' widths, after STT, and header rows high enough for the
    headings wrapped in them; a heading over several rows adds what it lacks to the last."""
    for column, width in enumerate(widths, start=FIRST_COLUMN):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = first_data_row(sheet) - 1
    heights = {row: LINE_POINTS for row in range(HEADER_ROW, last + 1)}
    # A heading over one row first, then those over several, which only ever add.
    for row, column, rows, columns, text in sorted(_headings(sheet, last), key=lambda h: h[2]):
        if column < FIRST_COLUMN:
            continue  # "STT" fits its column
        width = sum(widths[c - FIRST_COLUMN] for c in range(column, column + columns))
        lacking = LINE_POINTS * wrapped_lines(text, width, bold=True) - sum(heights[r] for r in range(row, row + rows))
        heights[row + rows - 1] += max(lacking, 0)
    for row, height in heights.items():
        sheet.row_dimensions[row].height = height


def _headings(sheet: Any, last: int) -> Iterator[tuple[int, int, int, int, str]]:
    """The header's headings as written: (row, column, rows, columns, text)."""
    spans = {(cells.min_row, cells.min_col): cells for cells in sheet.merged_cells.ranges}
    for row in range(HEADER_ROW, last + 1):
        for column in range(1, sheet.max_column + 1):
            value = sheet.cell(row, column).value
            if isinstance(value, str):
                cells = spans.get((row, column))
                yield (row, column, cells.max_row - row + 1 if cells else 1,
                       cells.max_col - column + 1 if cells else 1, shown_text(value))


def new_workbook() -> Workbook:
    """A workbook whose default font, that of every cell without a style of its own,
    is Times New Roman (openpyxl keeps it as the first of the workbook's fonts)."""
    workbook = Workbook()
    workbook._fonts = IndexedList([Font(name=FONT, size=SIZE)])
    return workbook


def text_cell(cell: Any, value: str | None) -> None:
    """Text from data, stored as text: never a formula, whatever it starts with, without
    the control characters a workbook cannot hold, and read back as written (a `_x0041_`
    stays so, not "A"). None leaves the cell empty. Every text cell written goes through here."""
    if value is None:
        return
    cell.value = _READ_AS_ESCAPE.sub(_ESCAPED_UNDERSCORE, ILLEGAL_CHARACTERS_RE.sub("", value))
    if cell.value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"


def shown_text(value: str) -> str:
    """A text cell's value as a reader shows it, `text_cell`'s escapes undone: what to measure."""
    return value.replace(_ESCAPED_UNDERSCORE, "_")


def cell_style(workbook: Workbook, name: str, **formatting: Any) -> str:
    """A bordered named cell style, added to the workbook once. Setting a named style
    on thousands of cells is a lookup; setting a Border or Font hashes it every time."""
    if name not in workbook.named_styles:
        font = formatting.pop("font", Font())
        font = Font(name=FONT, size=SIZE, bold=font.bold, italic=font.italic)
        workbook.add_named_style(NamedStyle(name=name, border=BORDER, font=font, **formatting))
    return name


def titled_sheet(workbook: Workbook, name: str, title: str, headings: Sequence[Sequence[str | Heading]],
                 subtitle: str = "", *, added: bool = False) -> Any:
    """The workbook's sheet, or with `added` one more after it: a bold title in A1, an
    italic `subtitle` under it, and the header from `HEADER_ROW`: its rows of `headings`,
    each placed left to right in the cells the rows above leave free, under STT over them
    all. The data starts at `FIRST_COLUMN` and at `first_data_row`. The first sheet's
    title is the workbook's."""
    sheet = workbook.create_sheet() if added else workbook.active
    sheet.title = name
    if not added:
        workbook.properties.title = title
    text_cell(sheet["A1"], title)
    sheet["A1"].font = Font(name=FONT, bold=True, size=_TITLE_SIZE)
    sheet.row_dimensions[1].height = TITLE_HEIGHT
    if subtitle:
        text_cell(sheet["A2"], subtitle)
        sheet["A2"].font = Font(name=FONT, italic=True, size=SIZE)
    rows = [[Heading(STT, rows=len(headings)), *headings[0]], *headings[1:]]
    taken: set[tuple[int, int]] = set()
    for row, row_headings in enumerate(rows, start=HEADER_ROW):
        column = 1
        for heading in row_headings:
            heading = Heading(heading) if isinstance(heading, str) else heading
            while (row, column) in taken:
                column += 1
            _place_heading(sheet, row, column, heading)
            taken.update((r, c) for r in range(row, row + heading.rows)
                         for c in range(column, column + heading.columns))
            column += heading.columns
    return sheet


def _place_heading(sheet: Any, row: int, column: int, heading: Heading) -> None:
    """`heading` in bold at (`row`, `column`), merged over its span, every cell of which
    is bordered: Excel and LibreOffice draw a merged cell's edges from the cells under it."""
    cell = sheet.cell(row, column)
    text_cell(cell, heading.text)
    cell.font = Font(name=FONT, bold=True, size=SIZE)
    cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    last_row, last_column = row + heading.rows - 1, column + heading.columns - 1
    if (last_row, last_column) != (row, column):
        sheet.merge_cells(start_row=row, start_column=column, end_row=last_row, end_column=last_column)
    for r in range(row, last_row + 1):
        for c in range(column, last_column + 1):
            sheet.cell(r, c).border = BORDER


def finish_sheet(workbook: Workbook, sheet: Any, rows: int, columns: int, freeze_column: int, target: Path,
                 author: str = "") -> Path:
    """`lay_out_sheet`, then the workbook written with fixed properties (`author`: the
    issuing body) so the same data gives the same bytes."""
    lay_out_sheet(workbook, sheet, rows, columns, freeze_column)
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    workbook.properties.created = workbook.properties.modified = ZIP_EPOCH
    return write_workbook(workbook, target)


def lay_out_sheet(workbook: Workbook, sheet: Any, rows: int, columns: int, freeze_column: int) -> None:
    """The STT of the `rows` data rows, the header frozen (with the columns before
    `freeze_column`, counted after STT), an auto filter over the data from the header's
    last row, and the print setup repeating every header row on each page."""
    number = cell_style(workbook, "STT", alignment=Alignment(horizontal="center", vertical="top"))
    first = first_data_row(sheet)
    for offset in range(rows):
        cell = sheet.cell(first + offset, 1, offset + 1)
        cell.style = number
    sheet.column_dimensions["A"].width = _STT_WIDTH
    _span_title_rows(sheet, columns + 1)
    sheet.freeze_panes = sheet.cell(first, freeze_column + 1)
    sheet.auto_filter.ref = f"A{first - 1}:{get_column_letter(columns + 1)}{first - 1 + rows}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{first - 1}"
    sheet.page_margins = _MARGINS
    sheet.print_options.horizontalCentered = True


def _span_title_rows(sheet: Any, columns: int) -> None:
    """The title and the subtitle each merged across the table's columns and wrapped
    there: text running on past the last column would widen the printed page, and the
    type would print smaller to fit it one page wide."""
    width = sum(sheet.column_dimensions[get_column_letter(c)].width or _DEFAULT_WIDTH for c in range(1, columns + 1))
    for row, size in ((1, _TITLE_SIZE), (2, SIZE)):
        cell = sheet.cell(row, 1)
        if not cell.value:
            continue
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        cell.alignment = Alignment(wrap_text=True, vertical="center" if row == 1 else "top")
        lines = wrapped_lines(shown_text(cell.value), width, bold=row == 1, size=size)
        sheet.row_dimensions[row].height = (TITLE_HEIGHT + LINE_POINTS * size / SIZE * (lines - 1) if row == 1
                                            else LINE_POINTS * lines)
