"""A workbook the office prints, written straight as Office Open XML: text, numbers and
dates with their formats, merged cells, column widths and row heights, frozen panes, an
auto filter, and A4 landscape one page wide with the header rows on every page.

openpyxl built an object for every cell and for its style, then serialised them one by
one, several times the zip's own cost; here a cell is a value and a format in a dict,
and a sheet's XML one join of strings.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pipeline.core.files import ZIP_EPOCH, write_bytes, zip_entries

Value = str | int | float | dt.date | None

SPREADSHEET_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
PRINT_TITLES = "_xlnm.Print_Titles"  # the defined name of a sheet's rows printed atop every page
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
A4_PAPER = 9  # the paperSize Excel numbers A4 by
# Excel counts days from 1900-01-01, day 1, and takes 1900 for a leap year: from March
# 1900 on, a date's serial is its distance from 1899-12-30; before, one less.
_EPOCH = dt.datetime(1899, 12, 30)
_FIRST_DAY, _MARCH_1900 = dt.datetime(1900, 1, 1), dt.datetime(1900, 3, 1)
# Formats Excel knows by number; any other is declared in the styles, from 164 on.
_BUILT_IN_FORMATS = {"": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}
# Characters XML 1.0 cannot hold (a workbook with one does not open).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads `_xHHHH_` in a cell's text as the character HHHH; LibreOffice (7.4) reads
# `_xH_` to `_xHHH_` too (`bao_cao_xa_hong` prints "bao_cao", a line break, "hong").
# Every reader reads `_x005F_` as "_", so a "_" that starts such a sequence is written so.
_READ_AS_ESCAPE = re.compile(r"_(?=[xX][0-9A-Fa-f]{1,4}_)")
_ESCAPED_UNDERSCORE = "_x005F_"
_NOT_IN_TITLES = re.compile(r"[\\/?*:\[\]]")


def stored_text(text: str) -> str:
    """`text` as a cell stores it so that every reader reads `text` back (less what
    XML cannot hold): what openpyxl is given too, for the blank forms."""
    return _READ_AS_ESCAPE.sub(_ESCAPED_UNDERSCORE, _NOT_XML.sub("", text))


@dataclass(frozen=True)
class CellFormat:
    """How a cell shows: the workbook's font (bold, italic, size), alignment, a thin
    border all round, a number format, a solid fill (RRGGBB)."""

    bold: bool = False
    italic: bool = False
    size: float | None = None  # None: the workbook's
    horizontal: str = ""  # "", "left", "center", "right"
    vertical: str = ""  # "" (bottom), "top", "center"
    wrap: bool = False
    border: bool = False
    number_format: str = ""  # "": General
    fill: str = ""


@dataclass(frozen=True)
class CellRange:
    """Rows and columns from 1, both ends included."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int

    @property
    def ref(self) -> str:
        return f"{cell_ref(self.first_row, self.first_column)}:{cell_ref(self.last_row, self.last_column)}"

    @property
    def absolute_ref(self) -> str:
        """`$A$5:$K$40`, as a defined name holds it."""
        return (f"${column_letters(self.first_column)}${self.first_row}:"
                f"${column_letters(self.last_column)}${self.last_row}")


@dataclass(frozen=True)
class Margins:
    """In inches, as the file keeps them."""

    top: float
    bottom: float
    left: float
    right: float
    header: float
    footer: float


# Excel's "Normal" margins, which it prints with where a sheet gives none.
EXCEL_MARGINS = Margins(top=0.75, bottom=0.75, left=0.7, right=0.7, header=0.3, footer=0.3)


class Worksheet:
    """A sheet's cells, each a value and a format, and how it is laid out and printed:
    always on A4 landscape, one page wide, centred across the page."""

    def __init__(self, title: str) -> None:
        self.title = title
        self._rows: dict[int, dict[int, tuple[Value, CellFormat | None]]] = {}
        self.merged: list[CellRange] = []
        self.widths: dict[int, float] = {}  # by column, in widths of the font's digit
        self.heights: dict[int, float] = {}  # by row, in points
        self.frozen_at: tuple[int, int] | None = None  # the first cell that scrolls
        self.auto_filter: CellRange | None = None
        self.title_rows: tuple[int, int] | None = None  # printed atop every page
        self.margins = EXCEL_MARGINS

    def write(self, row: int, column: int, value: Value, format: CellFormat | None = None) -> None:
        """The cell's value (None or "": none, the cell formatted still) and format."""
        self._rows.setdefault(row, {})[column] = (value, format)

    def value(self, row: int, column: int) -> Value:
        return self._rows.get(row, {}).get(column, (None, None))[0]

    def merge(self, cells: CellRange) -> None:
        self.merged.append(cells)

    @property
    def max_column(self) -> int:
        return max((max(cells) for cells in self._rows.values() if cells), default=1)

    @property
    def max_row(self) -> int:
        return max(self._rows, default=1)

    def rows(self) -> Iterator[tuple[int, list[tuple[int, Value, CellFormat | None]]]]:
        """Each row that has cells or a height of its own, in order, with its cells in order."""
        for row in sorted(self._rows.keys() | self.heights.keys()):
            cells = self._rows.get(row, {})
            yield row, [(column, *cells[column]) for column in sorted(cells)]


class Workbook:
    """Sheets in order; `title` and `creator` (the issuing body) its properties, and
    every cell without a format of its own in `font` of `size` points."""

    def __init__(self, font: str, size: float) -> None:
        self.font, self.size = font, size
        self.sheets: list[Worksheet] = []
        self.title = ""
        self.creator = ""

    def add_sheet(self, title: str) -> Worksheet:
        """Raises ValueError for a title Excel refuses: empty, over 31 characters, with
        one of `\\ / ? * : [ ]`, starting or ending with `'`, or another sheet's."""
        title = _NOT_XML.sub("", title)
        taken = {sheet.title.casefold() for sheet in self.sheets}
        if (not 0 < len(title) <= 31 or _NOT_IN_TITLES.search(title) or title[0] == "'" or title[-1] == "'"
                or title.casefold() in taken):
            raise ValueError(f"Tên trang tính không hợp lệ: {title!r}")
        sheet = Worksheet(title)
        self.sheets.append(sheet)
        return sheet


def cell_ref(row: int, column: int) -> str:
    """(7, 6) → `F7`."""
    return f"{column_letters(column)}{row}"


@functools.lru_cache(maxsize=256)  # a sheet's few columns, asked for at every cell
def column_letters(column: int) -> str:
    """6 → `F`, 27 → `AA`."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def write_xlsx(workbook: Workbook, target: Path) -> Path:
    """The workbook, its entries dated ZIP_EPOCH: the same workbook, the same bytes."""
    return write_bytes(target, zip_entries((name, text.encode("utf-8")) for name, text in _parts(workbook)))


def _parts(workbook: Workbook) -> Iterator[tuple[str, str]]:
    styles = _Styles(workbook)
    sheets = [_sheet_xml(sheet, styles, selected=index == 0)  # styles gathered from every cell first
              for index, sheet in enumerate(workbook.sheets)]
    count = len(workbook.sheets)
    yield "[Content_Types].xml", _content_types(count)
    yield "_rels/.rels", _relationships([
        ("officeDocument", f"{RELATIONSHIPS}/officeDocument", "xl/workbook.xml"),
        ("core", f"{PACKAGE_RELATIONSHIPS}/metadata/core-properties", "docProps/core.xml"),
        ("app", f"{RELATIONSHIPS}/extended-properties", "docProps/app.xml")])
    yield "docProps/core.xml", _core_properties(workbook)
    yield "docProps/app.xml", _APP_PROPERTIES
    yield "xl/workbook.xml", _workbook_xml(workbook)
    yield "xl/_rels/workbook.xml.rels", _relationships(
        [(f"sheet{n}", f"{RELATIONSHIPS}/worksheet", f"worksheets/sheet{n}.xml") for n in range(1, count + 1)]
        + [("styles", f"{RELATIONSHIPS}/styles", "styles.xml")])
    yield "xl/styles.xml", styles.xml()
    for number, xml in enumerate(sheets, start=1):
        yield f"xl/worksheets/sheet{number}.xml", xml


# LibreOffice measures columns and rows as Excel does only in a file an application named
# "Microsoft…" wrote; otherwise the national annex printed at a larger scale, two rows
# fewer a page than the row heights were made for.
_APP_PROPERTIES = (f'{_DECLARATION}<Properties '
                   'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                   "<Application>Microsoft Excel Compatible</Application></Properties>")


def _content_types(sheets: int) -> str:
    overrides = [("/xl/workbook.xml", f"{_CONTENT_TYPE}.sheet.main+xml"),
                 ("/xl/styles.xml", f"{_CONTENT_TYPE}.styles+xml"),
                 ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                 ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
                 *((f"/xl/worksheets/sheet{n}.xml", f"{_CONTENT_TYPE}.worksheet+xml") for n in range(1, sheets + 1))]
    return (f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
            + "</Types>")


def _relationships(relations: Iterable[tuple[str, str, str]]) -> str:
    return (f'{_DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            + "".join(f'<Relationship Id="{id_}" Type="{kind}" Target="{target}"/>' for id_, kind, target in relations)
            + "</Relationships>")


def _core_properties(workbook: Workbook) -> str:
    stamp = ZIP_EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ")
    title, creator = (_text(_NOT_XML.sub("", text)) for text in (workbook.title, workbook.creator))
    return (f'{_DECLARATION}<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="{DUBLIN_CORE}" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"
            f"<cp:lastModifiedBy>{creator}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def _workbook_xml(workbook: Workbook) -> str:
    sheets, names = [], []
    for index, sheet in enumerate(workbook.sheets):
        sheets.append(f'<sheet name={quoteattr(sheet.title)} sheetId="{index + 1}" r:id="sheet{index + 1}"/>')
        quoted = "'" + sheet.title.replace("'", "''") + "'"
        if cells := sheet.auto_filter:  # the name Excel gives the filtered range
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                         f"{_text(quoted)}!{cells.absolute_ref}</definedName>")
        if sheet.title_rows:
            names.append(f'<definedName name="{PRINT_TITLES}" localSheetId="{index}">'
                         f"{_text(quoted)}!${sheet.title_rows[0]}:${sheet.title_rows[1]}</definedName>")
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    return (f'{_DECLARATION}<workbook xmlns="{SPREADSHEET_MAIN}" xmlns:r="{RELATIONSHIPS}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{''.join(sheets)}</sheets>{defined}"
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


def _sheet_xml(sheet: Worksheet, styles: _Styles, selected: bool) -> str:
    parts = [f'{_DECLARATION}<worksheet xmlns="{SPREADSHEET_MAIN}" xmlns:r="{RELATIONSHIPS}">'
             '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
             f'<dimension ref="A1:{cell_ref(sheet.max_row, sheet.max_column)}"/>',
             f"<sheetViews>{_sheet_view(sheet.frozen_at, selected)}</sheetViews>",
             '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>']
    if sheet.widths:
        parts.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{_number(w)}" customWidth="1"/>'
                                        for c, w in sorted(sheet.widths.items())) + "</cols>")
    parts.append("<sheetData>")
    for row, cells in sheet.rows():
        height = sheet.heights.get(row)
        parts.append(f'<row r="{row}"' + (f' ht="{_number(height)}" customHeight="1">' if height else ">"))
        parts += [_cell(row, column, value, styles.index(format)) for column, value, format in cells]
        parts.append("</row>")
    parts.append("</sheetData>")
    if sheet.auto_filter:
        parts.append(f'<autoFilter ref="{sheet.auto_filter.ref}"/>')
    if sheet.merged:
        parts.append(f'<mergeCells count="{len(sheet.merged)}">'
                     + "".join(f'<mergeCell ref="{cells.ref}"/>' for cells in sheet.merged) + "</mergeCells>")
    margins = sheet.margins
    parts += ['<printOptions horizontalCentered="1"/>',
              f'<pageMargins left="{_number(margins.left)}" right="{_number(margins.right)}" '
              f'top="{_number(margins.top)}" bottom="{_number(margins.bottom)}" header="{_number(margins.header)}" '
              f'footer="{_number(margins.footer)}"/>',
              f'<pageSetup paperSize="{A4_PAPER}" orientation="landscape" fitToWidth="1" fitToHeight="0"/>',
              "</worksheet>"]
    return "".join(parts)


def _sheet_view(frozen_at: tuple[int, int] | None, selected: bool) -> str:
    view = '<sheetView tabSelected="1" workbookViewId="0"' if selected else '<sheetView workbookViewId="0"'
    if frozen_at is None or frozen_at == (1, 1):
        return f"{view}/>"
    row, column = frozen_at
    pane = {(True, True): "bottomRight", (True, False): "bottomLeft", (False, True): "topRight"}[(row > 1, column > 1)]
    first = cell_ref(row, column)
    splits = (f' xSplit="{column - 1}"' if column > 1 else "") + (f' ySplit="{row - 1}"' if row > 1 else "")
    return (f'{view}><pane{splits} topLeftCell="{first}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{first}" sqref="{first}"/></sheetView>')


def _cell(row: int, column: int, value: Value, style: int) -> str:
    ref = cell_ref(row, column)
    styled = f' s="{style}"' if style else ""
    if value is None or value == "":  # no value: an empty string would not be a blank cell to Excel
        return f'<c r="{ref}"{styled}/>'
    if isinstance(value, str):  # inline: never read as a formula, whatever it starts with
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{_text(stored_text(value))}</t></is></c>'
    if isinstance(value, dt.date):  # a date is its serial day; its format shows it
        value = _serial(value, ref)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"{ref}: {value!r} is not text, a number or a date")
    return f'<c r="{ref}"{styled}><v>{_number(value)}</v></c>'


def _serial(value: dt.date, ref: str) -> float:
    moment = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    if moment < _FIRST_DAY:
        raise TypeError(f"{ref}: {value!r} is before 1900, which Excel cannot show")
    days = (moment - _EPOCH) / dt.timedelta(days=1)
    return days - 1 if moment < _MARCH_1900 else days


def _text(text: str) -> str:
    """Element text, cleaned of what XML cannot hold beforehand: escaped, a carriage
    return kept (XML would read it as a line feed)."""
    return escape(text).replace("\r", "&#13;")


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) or not value.is_integer() else str(int(value))


class _Styles:
    """The workbook's cell formats, each one `xf` of the styles part, numbered as met;
    0 is the workbook's font, nothing else."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._formats: dict[CellFormat, int] = {CellFormat(): 0}
        self._fonts: dict[tuple[bool, bool, float], int] = {(False, False, workbook.size): 0}
        self._fills: dict[str, int] = {"": 0}  # and 1, gray125, which Excel requires next
        self._number_formats: dict[str, int] = {}

    def index(self, format: CellFormat | None) -> int:
        if format is None:
            return 0
        found = self._formats.get(format)
        if found is None:
            found = self._formats[format] = len(self._formats)
            self._fonts.setdefault((format.bold, format.italic, format.size or self.workbook.size), len(self._fonts))
            if format.fill:
                self._fills.setdefault(format.fill, len(self._fills) + 1)
            if format.number_format not in _BUILT_IN_FORMATS:
                self._number_formats.setdefault(format.number_format, 164 + len(self._number_formats))
        return found

    def _xf(self, format: CellFormat) -> str:
        font = self._fonts[(format.bold, format.italic, format.size or self.workbook.size)]
        fill = self._fills[format.fill] if format.fill else 0
        number = _BUILT_IN_FORMATS.get(format.number_format) or self._number_formats.get(format.number_format, 0)
        alignment = "".join(f' {name}="{value}"' for name, value in (
            ("horizontal", format.horizontal), ("vertical", format.vertical),
            ("wrapText", "1" if format.wrap else "")) if value)
        applied = "".join(f' apply{name}="1"' for name, used in (
            ("NumberFormat", number), ("Font", True), ("Fill", fill), ("Border", format.border),
            ("Alignment", alignment)) if used)
        start = f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{int(format.border)}" xfId="0"{applied}'
        return f"{start}><alignment{alignment}/></xf>" if alignment else f"{start}/>"

    def xml(self) -> str:
        name = quoteattr(self.workbook.font)
        fonts = "".join(f"<font>{'<b/>' if bold else ''}{'<i/>' if italic else ''}<sz val=\"{_number(size)}\"/>"
                        f"<name val={name}/></font>" for bold, italic, size in self._fonts)
        fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>',
                 *(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/><bgColor indexed="64"/>'
                   f"</patternFill></fill>" for colour in list(self._fills)[1:])]
        thin = '<color indexed="64"/>'
        number_formats = "".join(f'<numFmt numFmtId="{number}" formatCode={quoteattr(code)}/>'
                                 for code, number in self._number_formats.items())
        return (f'{_DECLARATION}<styleSheet xmlns="{SPREADSHEET_MAIN}">'
                + (f'<numFmts count="{len(self._number_formats)}">{number_formats}</numFmts>' if number_formats else "")
                + f'<fonts count="{len(self._fonts)}">{fonts}</fonts>'
                + f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                + '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
                + "<border>" + "".join(f'<{side} style="thin">{thin}</{side}>'
                                       for side in ("left", "right", "top", "bottom")) + "<diagonal/></border></borders>"
                + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                + f'<cellXfs count="{len(self._formats)}">' + "".join(map(self._xf, self._formats)) + "</cellXfs>"
                + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                + "</styleSheet>")
