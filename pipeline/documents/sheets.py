"""The office's workbooks (the annex, the return-status list): a bold title, a
bordered header of one or more rows (a heading may span columns and rows), an STT
column, bordered cells in Times New Roman, printed on A4 landscape one page wide with
every header row on every page and the margins of Nghị định 30/2020 turned with the
page, and fixed properties so the same data gives the same bytes."""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.render.xlsx import CellFormat, CellRange, Margins, Workbook, Worksheet, write_xlsx

HEADER_ROW = 3  # the header's first row, under the title and a line for the annex's "(Kèm theo …)"
FONT = "Times New Roman"
SIZE = 12
# Decree 30's margins (top 20–25, bottom 20–25, left 30–35, right 15–20 mm) turned
# with the page, as the report's annex: the binding margin at the top. In inches.
_MARGINS = Margins(top=30 / 25.4, bottom=15 / 25.4, left=20 / 25.4, right=20 / 25.4, header=10 / 25.4,
                   footer=10 / 25.4)
# Tall enough for a line of capitals with Vietnamese marks above them (Ấ, Ỗ…).
TITLE_HEIGHT = 30
_TITLE = CellFormat(bold=True, size=13, vertical="center", wrap=True)  # the title's bold capitals
_SUBTITLE = CellFormat(italic=True, vertical="top", wrap=True)
HEADING = CellFormat(bold=True, horizontal="center", vertical="center", wrap=True, border=True)
CELL = CellFormat(vertical="top", border=True)  # a data cell
TEXT = dataclasses.replace(CELL, wrap=True)  # a data cell's text, wrapped in its column
_STT_FORMAT = dataclasses.replace(CELL, horizontal="center")
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


@functools.lru_cache(maxsize=1 << 14)  # a status, a note, a file name: the same texts row after row
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


def fit_row(sheet: Worksheet, row: int, cells: Sequence[tuple[str | None, float]]) -> None:
    """Make `row` as high as the longest of its wrapped `cells` (text, column width):
    neither Excel nor LibreOffice grows a row for wrapped text when printing."""
    sheet.heights[row] = LINE_POINTS * max([wrapped_lines(text, width) for text, width in cells] + [1])


@dataclass(frozen=True)
class Heading:
    """A column heading over `columns` columns, `rows` header rows high."""

    text: str
    rows: int = 1
    columns: int = 1


def first_data_row(sheet: Worksheet) -> int:
    """The row under the header: the STT heading spans every row of it."""
    stt = next((cells for cells in sheet.merged if (cells.first_row, cells.first_column) == (HEADER_ROW, 1)), None)
    return (stt.last_row if stt else HEADER_ROW) + 1


def set_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    """The data columns' widths, after STT, and header rows high enough for the
    headings wrapped in them; a heading over several rows adds what it lacks to the last."""
    for column, width in enumerate(widths, start=FIRST_COLUMN):
        sheet.widths[column] = width
    last = first_data_row(sheet) - 1
    heights = {row: LINE_POINTS for row in range(HEADER_ROW, last + 1)}
    # A heading over one row first, then those over several, which only ever add.
    for row, column, rows, columns, text in sorted(_headings(sheet, last), key=lambda h: h[2]):
        if column < FIRST_COLUMN:
            continue  # "STT" fits its column
        width = sum(widths[c - FIRST_COLUMN] for c in range(column, column + columns))
        lacking = LINE_POINTS * wrapped_lines(text, width, bold=True) - sum(heights[r] for r in range(row, row + rows))
        heights[row + rows - 1] += max(lacking, 0)
    sheet.heights.update(heights)


def _headings(sheet: Worksheet, last: int) -> Iterator[tuple[int, int, int, int, str]]:
    """The header's headings as written: (row, column, rows, columns, text)."""
    spans = {(cells.first_row, cells.first_column): cells for cells in sheet.merged}
    columns = sheet.max_column  # scans every row: once
    for row in range(HEADER_ROW, last + 1):
        for column in range(1, columns + 1):
            value = sheet.value(row, column)
            if isinstance(value, str):
                cells = spans.get((row, column))
                yield (row, column, cells.last_row - row + 1 if cells else 1,
                       cells.last_column - column + 1 if cells else 1, value)


def new_workbook() -> Workbook:
    """A workbook whose every cell without a format of its own is in Times New Roman."""
    return Workbook(FONT, SIZE)


def titled_sheet(workbook: Workbook, name: str, title: str, headings: Sequence[Sequence[str | Heading]],
                 subtitle: str = "") -> Worksheet:
    """A new sheet of the workbook: a bold title in A1, an italic `subtitle` under it,
    and the header from `HEADER_ROW`: its rows of `headings`, each placed left to right
    in the cells the rows above leave free, under STT over them all. The data starts at
    `FIRST_COLUMN` and at `first_data_row`. The first sheet's title is the workbook's."""
    sheet = workbook.add_sheet(name)
    if len(workbook.sheets) == 1:
        workbook.title = title
    sheet.write(1, 1, title, _TITLE)
    sheet.heights[1] = TITLE_HEIGHT
    if subtitle:
        sheet.write(2, 1, subtitle, _SUBTITLE)
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


def _place_heading(sheet: Worksheet, row: int, column: int, heading: Heading) -> None:
    """`heading` in bold at (`row`, `column`), merged over its span, every cell of which
    is bordered: Excel and LibreOffice draw a merged cell's edges from the cells under it."""
    last_row, last_column = row + heading.rows - 1, column + heading.columns - 1
    for r in range(row, last_row + 1):
        for c in range(column, last_column + 1):
            sheet.write(r, c, None, HEADING)
    sheet.write(row, column, heading.text, HEADING)
    if (last_row, last_column) != (row, column):
        sheet.merge(CellRange(row, column, last_row, last_column))


def finish_sheet(workbook: Workbook, sheet: Worksheet, rows: int, columns: int, freeze_column: int, target: Path,
                 author: str = "") -> Path:
    """`lay_out_sheet`, then the workbook written with `author` (the issuing body) as
    its creator."""
    lay_out_sheet(sheet, rows, columns, freeze_column)
    workbook.creator = author
    return write_xlsx(workbook, target)


def lay_out_sheet(sheet: Worksheet, rows: int, columns: int, freeze_column: int) -> None:
    """The STT of the `rows` data rows, the header frozen (with the columns before
    `freeze_column`, counted after STT), an auto filter over the data from the header's
    last row, and the print setup repeating every header row on each page."""
    first = first_data_row(sheet)
    for offset in range(rows):
        sheet.write(first + offset, 1, offset + 1, _STT_FORMAT)
    sheet.widths[1] = _STT_WIDTH
    _span_title_rows(sheet, columns + 1)
    sheet.frozen_at = (first, freeze_column + 1)
    sheet.auto_filter = CellRange(first - 1, 1, first - 1 + rows, columns + 1)
    sheet.title_rows = (HEADER_ROW, first - 1)
    sheet.margins = _MARGINS


def _span_title_rows(sheet: Worksheet, columns: int) -> None:
    """The title and the subtitle each merged across the table's columns and wrapped
    there: text running on past the last column would widen the printed page, and the
    type would print smaller to fit it one page wide."""
    width = sum(sheet.widths.get(c, _DEFAULT_WIDTH) for c in range(1, columns + 1))
    for row, size in ((1, _TITLE.size), (2, SIZE)):
        text = sheet.value(row, 1)
        if not isinstance(text, str) or not text:
            continue
        sheet.merge(CellRange(row, 1, row, columns))
        lines = wrapped_lines(text, width, bold=row == 1, size=size)
        sheet.heights[row] = (TITLE_HEIGHT + LINE_POINTS * size / SIZE * (lines - 1) if row == 1
                              else LINE_POINTS * lines)
