"""The one place that opens workbooks (xlsx, xls, ods) — with python-calamine.

A file is first checked to be what its name claims and small enough to read, never
inflating more than it declares: calamine trusts its input, and one hostile file (a
zip bomb, a sheet whose two cells lie a million rows apart) would exhaust memory or
abort the whole run. A file that fails raises `UnreadableWorkbook`, which says in
Vietnamese what is wrong and how to put it right.

Text comes out as Unicode NFC whatever the clerk typed it in: cells in a legacy
Vietnamese font (TCVN3 `.VnTime`, VNI `VNI-Times`) are decoded by their font,
other text by its content; control characters are dropped.
"""

from __future__ import annotations

import codecs
import functools
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from pipeline.core.model import Sheet
from pipeline.intake.cells import without_controls
from pipeline.intake.legacy_fonts import legacy_font_cells, legacy_fonts_in_archive
from pipeline.vn.legacy import LegacyEncoding, to_unicode
from pipeline.vn.numbers import format_number

Grid = list[list[Any]]

# --- limits: far above any real return (tens of kilobytes, a few hundred rows) ----------

MIB = 1024 * 1024
# A return with a scanned signature or two is a few MB.
MAX_FILE_BYTES = 20 * MIB
# Excel writes 10–30 parts; each picture adds one or two.
MAX_ZIP_ENTRIES = 1000
# What the parts declare unpacked, together: calamine holds the shared strings, a
# sheet's cells, and this program one part at a time.
MAX_UNPACKED_BYTES = 100 * MIB
# Spreadsheet XML packs 5–30 to 1; a zip bomb a thousand to one. Parts under a
# megabyte pass whatever their ratio: they cannot hurt.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = MIB
# Ten times the longest village list a commune could have; and the grid calamine lays
# out from A1 to the farthest cell, at about 32 bytes a cell before Python copies it.
MAX_SHEET_ROWS = 100_000
MAX_SHEET_CELLS = 5_000_000

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with parts; an empty zip
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: an .xls, or an encrypted .xlsx
ZIP_EXTENSIONS = (".xlsx", ".xlsm", ".ods")
# Spreadsheet parts never carry a DTD (ECMA-376 part 2, §8.1.4): one is there to declare entities.
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_SNIFF_BYTES = 512
# What a zip is, by the part that gives it away.
_ZIP_KINDS = (("xl/workbook.xml", ".xlsx"), ("content.xml", ".ods"), ("word/document.xml", "tệp Word (.docx)"))

EXPECTED_RETURN = "bảng tính báo cáo của xã (.xlsx) theo biểu mẫu"
SAVE_AS_XLSX = ("Mở tệp bằng Excel, chọn Tệp → Lưu thành (Save As), kiểu 'Excel Workbook (*.xlsx)', "
                "rồi gửi lại tệp vừa lưu")
SEND_THE_FORM = "Gửi tệp Excel đã điền theo biểu mẫu, không gửi bản PDF, ảnh chụp hay văn bản Word"


class UnreadableWorkbook(ValueError):
    """A file that is not a workbook this program can read. `found`, `expected` and
    `fix` are Vietnamese, for the clerk who sent it."""

    def __init__(self, found: str, fix: str, expected: str = EXPECTED_RETURN) -> None:
        super().__init__(f"{found}. Cần: {expected}. Cách sửa: {fix}.")
        self.found = found
        self.expected = expected
        self.fix = fix


def password_protected() -> UnreadableWorkbook:
    return UnreadableWorkbook(
        "tệp đặt mật khẩu", expected="gỡ mật khẩu rồi gửi lại",
        fix="Mở tệp bằng Excel (nhập mật khẩu), chọn Tệp → Thông tin → Bảo vệ Sổ làm việc → Mã hóa bằng "
            "Mật khẩu, xóa mật khẩu, bấm OK, lưu tệp rồi gửi lại",
    )


def _damaged(part: str | None = None) -> UnreadableWorkbook:
    where = f" (phần {part} đọc không được)" if part else ""
    return UnreadableWorkbook(
        f"tệp bị cắt cụt hoặc hỏng{where}",
        "Gửi lại tệp (có thể tệp chưa tải lên, chép hết); nếu Excel cũng không mở được, lưu lại từ bản gốc",
    )


def _megabytes(size: int) -> str:
    return f"{format_number(size / MIB)} MB"


# --- what the file is -------------------------------------------------------------


def _ole2_has_stream(data: bytes, name: str) -> bool:
    """Whether a directory entry of a Compound File is called `name`. Entries are 128
    bytes at file offsets that are multiples of 128 (a 512-byte header, sectors of
    512 or 4096) and start with the UTF-16 name, its byte length at offset 64."""
    encoded = name.encode("utf-16-le") + b"\0\0"
    start = data.find(encoded)
    while start != -1:
        if start % 128 == 0 and start + 66 <= len(data) and \
                struct.unpack_from("<H", data, start + 64)[0] == len(encoded):
            return True
        start = data.find(encoded, start + 1)
    return False


def is_encrypted_package(data: bytes) -> bool:
    """Excel saves a password-protected .xlsx as a Compound File holding the encrypted zip."""
    return _ole2_has_stream(data, "EncryptionInfo") and _ole2_has_stream(data, "EncryptedPackage")


def _looks_like(head: bytes) -> str | None:
    """What a file that is not a workbook seems to be, by its first bytes."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"%pdf"):
        return "tệp PDF"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF8")):
        return "ảnh chụp"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        return "trang web (HTML)"
    if text.startswith(b"<?xml"):
        return "tệp XML"
    if head.startswith((b"Rar!", b"7z\xbc\xaf")):
        return "tệp nén (RAR, 7z)"
    try:
        # Incremental: a character cut at the end of the sample is still text.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return None if b"\0" in head else "tệp chữ thuần (ví dụ CSV)"


def _not_a_workbook(extension: str, head: bytes) -> UnreadableWorkbook:
    kind = _looks_like(head)
    if kind is None:
        return UnreadableWorkbook(f"tệp không phải bảng tính dù mang đuôi {extension}", SAVE_AS_XLSX)
    fix = SEND_THE_FORM if kind in ("tệp PDF", "ảnh chụp") else SAVE_AS_XLSX
    return UnreadableWorkbook(f"{kind} mang đuôi {extension}, không phải bảng tính", fix)


def _read_file(path: Path) -> bytes:
    """The whole file, once, for every check and for calamine; refused unread when
    empty or too big."""
    size = path.stat().st_size
    if size == 0:
        raise UnreadableWorkbook("tệp rỗng (0 byte)",
                                 "Gửi lại tệp: tệp nhận được không có nội dung, có thể do tải lên hoặc chép bị lỗi")
    if size > MAX_FILE_BYTES:
        raise UnreadableWorkbook(f"tệp quá lớn ({_megabytes(size)}, tối đa {_megabytes(MAX_FILE_BYTES)})",
                                 "Xóa ảnh và các trang tính không thuộc biểu mẫu, lưu rồi gửi lại")
    with path.open("rb") as handle:
        return handle.read(size)  # no more than was measured, should the file grow meanwhile


def check_file(data: bytes, extension: str) -> zipfile.ZipFile | None:
    """Raise `UnreadableWorkbook` unless `data`, a file named with `extension`, holds
    the kind of workbook its extension names, within the limits. Returns the zip
    opened on `data`, its directory read and nothing inflated; None for an .xls."""
    head = data[:_SNIFF_BYTES]
    if head.startswith(OLE2_SIGNATURE):
        if is_encrypted_package(data):
            raise password_protected()
        if extension in ZIP_EXTENSIONS:
            raise UnreadableWorkbook(f"tệp Excel 97-2003 (.xls) mang đuôi {extension}", SAVE_AS_XLSX)
        return None
    if not head.startswith(ZIP_SIGNATURES):
        raise _not_a_workbook(extension, head)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged() from None
    entries = archive.infolist()
    names = {entry.filename for entry in entries}
    kind = next((kind for part, kind in _ZIP_KINDS if part in names), None)
    if kind != {".xlsx": ".xlsx", ".xlsm": ".xlsx", ".ods": ".ods"}.get(extension):
        if kind in (".xlsx", ".ods"):
            raise UnreadableWorkbook(f"tệp {kind} mang đuôi {extension}", f"Đổi đuôi tệp thành {kind} rồi gửi lại")
        raise UnreadableWorkbook(f"{kind or 'tệp nén (zip)'} mang đuôi {extension}, không phải bảng tính",
                                 SEND_THE_FORM)
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UnreadableWorkbook(f"tệp gồm {format_number(len(entries))} phần nén "
                                 f"(tối đa {format_number(MAX_ZIP_ENTRIES)})", SAVE_AS_XLSX)
    declared = sum(entry.file_size for entry in entries)
    packed_too_tight = any(entry.file_size > RATIO_FLOOR_BYTES
                           and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
                           for entry in entries)
    if declared > MAX_UNPACKED_BYTES or packed_too_tight:
        raise UnreadableWorkbook(
            f"tệp nén bất thường (bom nén): giải nén ra {_megabytes(declared)}, tối đa "
            f"{_megabytes(MAX_UNPACKED_BYTES)} và nén không quá {MAX_COMPRESSION_RATIO} lần", SAVE_AS_XLSX)
    return archive


# --- what the sheets hold ------------------------------------------------------------


def _too_big(rows: int, columns: int) -> bool:
    return rows > MAX_SHEET_ROWS or rows * columns > MAX_SHEET_CELLS


def _check_grid(rows: int, columns: int, sheet: str) -> None:
    if _too_big(rows, columns):
        raise UnreadableWorkbook(
            f"trang {sheet} quá lớn: {format_number(rows)} dòng × {format_number(columns)} cột "
            f"(tối đa {format_number(MAX_SHEET_ROWS)} dòng, {format_number(MAX_SHEET_CELLS)} ô)",
            f"Trên trang {sheet}, chọn các dòng và cột thừa sau bảng số liệu, bấm chuột phải → Xóa, lưu rồi gửi lại",
        )


class _Extent:
    """The farthest cell seen from A1, refused as soon as the grid it makes is too big."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.rows = self.columns = 0

    def reach(self, rows: int, columns: int) -> None:
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)
        _check_grid(self.rows, self.columns, self.sheet)


def _local(name: str) -> str:
    """`table-cell` of `urn:…:table:1.0}table-cell` (expat with namespaces on) or
    `{urn:…:table:1.0}table-cell` (ElementTree)."""
    return name.rpartition("}")[2]


# `F7`; calamine reads nothing else, but anything is measured: all its letters, all its digits.
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_NOT_LETTERS = re.compile(r"[^A-Za-z]+")
_NOT_DIGITS = re.compile(r"[^0-9]+")


def _column_index(letters: str) -> int:
    """`A` → 0, `XFD` → 16383."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


class _XlsxSheet(_Extent):
    """Places cells as calamine does: by their `r` reference, else next to the one
    before. Element names are taken as written, prefix or not (`c`, `x:c`): namespace
    processing would double the time of a sheet of ten thousand rows."""

    row = column = -1

    def __init__(self, sheet: str) -> None:
        super().__init__(sheet)
        self.columns_of: dict[str, int] = {}  # letters → index, for the few a sheet uses

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == "c" or name.endswith(":c"):
            reference = attributes.get("r")
            if reference:
                plain = _REFERENCE.fullmatch(reference)
                letters, digits = plain.groups() if plain else (_NOT_LETTERS.sub("", reference),
                                                                 _NOT_DIGITS.sub("", reference))
                if letters not in self.columns_of:
                    self.columns_of[letters] = _column_index(letters) if letters else self.column + 1
                self.column = self.columns_of[letters]
                self.row = int(digits) - 1 if digits else max(self.row, 0)
            else:
                self.column, self.row = self.column + 1, max(self.row, 0)
            if self.row >= self.rows or self.column >= self.columns:
                self.reach(self.row + 1, self.column + 1)
        elif name == "row" or name.endswith(":row"):
            reference = attributes.get("r", "")
            self.row = int(reference) - 1 if reference.isdecimal() else self.row + 1
            self.column = -1


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_ODS_CELLS = ("table-cell", "covered-table-cell")


def _repeat(attributes: dict[str, str], name: str) -> int:
    value = attributes.get(_ODS_TABLE + name, "1")
    return int(value) if value.isdecimal() else 1


class _OdsSheets(_Extent):
    """Filled cells of the ODS content part. LibreOffice writes the empty rest of a
    sheet as one row repeated a million times, which calamine skips; a filled cell
    or row repeated is laid out as many times as it says."""

    row = column = tables = 0
    repeat_rows = repeat_columns = 1
    cell_filled: bool | None = None  # None outside a cell

    def start(self, name: str, attributes: dict[str, str]) -> None:
        name = _local(name)
        if self.cell_filled is not None:
            self.cell_filled = True  # a paragraph, a note: the cell holds something
        elif name == "table":
            if not self.tables:
                self.row, self.sheet = 0, without_controls(attributes.get(_ODS_TABLE + "name", self.sheet))
            self.tables += 1
        elif name == "table-row":
            self.column, self.repeat_rows = 0, _repeat(attributes, "number-rows-repeated")
        if name in _ODS_CELLS:
            self.repeat_columns = _repeat(attributes, "number-columns-repeated")
            self.cell_filled = _ODS_VALUE_TYPE in attributes

    def end(self, name: str) -> None:
        name = _local(name)
        if name in _ODS_CELLS:
            if self.cell_filled:
                self.reach(self.row + self.repeat_rows, self.column + self.repeat_columns)
            self.column += self.repeat_columns
            self.cell_filled = None
        elif name == "table-row":
            self.row += self.repeat_rows
        elif name == "table":
            self.tables -= 1


def _measure(data: bytes, sheet: _XlsxSheet | _OdsSheets) -> None:
    """Stream `data` through expat into `sheet`, which raises as soon as the grid is
    too big. No tree is kept, so memory stays flat whatever the part holds."""
    if isinstance(sheet, _OdsSheets):
        parser = expat.ParserCreate(namespace_separator="}")
        parser.EndElementHandler = sheet.end
    else:
        parser = expat.ParserCreate()
    parser.StartElementHandler = sheet.start
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise _damaged(sheet.sheet) from None


# A cell as Excel, LibreOffice and openpyxl write it, its reference first: `<c r="F7"`.
# Every start tag named `c` or `…:c` matches; the groups are empty for one written otherwise.
_CELL_TAG = re.compile(rb'<(?:[^\s/>:]*+:)*+c(?: r="([A-Z]{1,3})([0-9]{1,7})"|[\s/>])')
# Comments, CDATA sections and processing instructions, where text could pass for a tag.
_ASIDE = re.compile(rb"<[!?]")
# The XML declaration, which holds no `<`.
_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml\s[^<>]*\?>")
# A part past this is walked: the walk keeps no list of the cells, so memory stays flat.
_PLAIN_MAX_BYTES = 4 * MIB


def _plain_extent(data: bytes) -> tuple[int, int] | None:
    """The grid of a sheet part whose every cell starts `<c r="F7"`, found by one
    search in C instead of a Python call per element; None for a part written
    otherwise, left to the walk.

    In a well-formed part every `<` before a name opens a tag: text and attribute
    values cannot hold one. Comments, CDATA sections and processing instructions
    could, and UTF-16 hides tags from a byte pattern: such parts are left to the walk.
    With each cell placed by its own reference, the grid reaches the largest row and
    the largest column, as the walk finds.
    """
    declaration = _DECLARATION.match(data)
    if len(data) > _PLAIN_MAX_BYTES or b"\0" in data or _ASIDE.search(data, declaration.end() if declaration else 0):
        return None
    cells = _CELL_TAG.findall(data)
    if not cells:
        return 0, 0
    letters, digits = (set(column) for column in zip(*cells))
    if b"" in letters:
        return None
    return max(map(int, digits)), max(_column_index(column.decode()) for column in letters) + 1


def _fits_plainly(data: bytes) -> bool:
    """Whether a sheet part is written plainly, within the limits, and well-formed
    (expat parses it without a callback). Any other part is walked, which refuses it
    with the same message as ever."""
    extent = _plain_extent(data)
    if extent is None or _too_big(*extent):
        return False
    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError:
        return False
    return True


def _contains(data: bytes, mark: bytes) -> bool:
    """`mark` in `data`, also when the part is written in UTF-16. Only a part with a
    zero byte can hold `mark` in UTF-16: the others are searched once."""
    if b"\0" not in data:
        return mark in data
    text = mark.decode("ascii")
    return any(needle in data for needle in (mark, text.encode("utf-16-le"), text.encode("utf-16-be")))


def _read_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """At most the declared size, the CRC checked, so a part that lies about its size
    fails (`archive.read` would inflate up to 1 GiB at once before cutting)."""
    with archive.open(entry) as part:
        return part.read(entry.file_size)


_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# The workbook part and its links are a few kilobytes; past this they only name sheets in messages.
_TITLES_MAX_BYTES = MIB


def _workbook_parts(archive: zipfile.ZipFile) -> dict[zipfile.ZipInfo, bytes]:
    """The workbook part and its links, which name the sheets, by their entries; {}
    when one is missing or too big. Read before the other parts, as a broken one was
    always found first."""
    try:
        entries = [archive.getinfo(name) for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
    except KeyError:
        return {}
    if any(entry.file_size > _TITLES_MAX_BYTES for entry in entries):
        return {}
    return {entry: _read_part(archive, entry) for entry in entries}


def _sheet_titles(parts: list[bytes]) -> dict[str, str]:
    """Part → the sheet's name on its tab, from `_workbook_parts`, for messages; {}
    when the workbook does not say."""
    if not parts or any(_contains(part, mark) for part in parts for mark in _DTD_MARKS):
        return {}  # a DTD is refused when its turn comes
    try:
        workbook, links = (ElementTree.fromstring(part) for part in parts)
    except ElementTree.ParseError:
        return {}
    targets = {link.get("Id"): link.get("Target", "") for link in links.iter() if _local(link.tag) == "Relationship"}
    titles = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) == "sheet" and (target := targets.get(sheet.get(_RELATIONSHIP_ID))):
            titles[target[1:] if target.startswith("/") else f"xl/{target}"] = without_controls(sheet.get("name", ""))
    return titles


def check_parts(archive: zipfile.ZipFile, is_ods: bool) -> None:
    """Raise `UnreadableWorkbook` if a part of a zip workbook (through `check_file`,
    so of bounded size) declares a DTD, or lays out a sheet too big to read. Each
    part is inflated once.

    Every part holding `sheetData` is measured, whatever its name: calamine follows
    the workbook's links to its sheets, and they may point anywhere.
    """
    try:
        named = {} if is_ods else _workbook_parts(archive)
        for entry in archive.infolist():
            data = named[entry] if entry in named else _read_part(archive, entry)
            if any(_contains(data, mark) for mark in _DTD_MARKS):
                raise UnreadableWorkbook(f"phần {entry.filename} của tệp khai báo DTD, ENTITY "
                                         f"(tệp Excel thật không có)", SAVE_AS_XLSX)
            if is_ods and entry.filename == "content.xml":
                _measure(data, _OdsSheets(entry.filename))
            elif not is_ods and _contains(data, b"sheetData") and not _fits_plainly(data):
                title = _sheet_titles(list(named.values())).get(entry.filename, entry.filename)
                _measure(data, _XlsxSheet(title))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise _damaged() from None


# --- reading ----------------------------------------------------------------------------


def _read_grids(data: bytes) -> tuple[dict[str, Grid], frozenset[str]]:
    """calamine's reading, its failures as `UnreadableWorkbook`: the sheets by name,
    and the names of those whose tab is hidden. A sheet is measured again before it
    becomes Python lists, since an .xls is not measured ahead."""
    try:
        # From the bytes checked, not the file's name: calamine cannot open a name that is not UTF-8.
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            sheets = {}
            for name in workbook.sheet_names:
                sheet = workbook.get_sheet_by_name(name)
                rows, columns = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
                _check_grid(rows, columns, without_controls(name))
                sheets[name] = sheet.to_python(skip_empty_area=False)
            return sheets, _hidden_sheets(workbook)
    except PasswordError:
        raise password_protected() from None
    except CalamineError as error:
        detail = without_controls(str(error))[:160]
        raise UnreadableWorkbook(f"tệp hỏng, không đọc được nội dung bảng tính (chi tiết kỹ thuật: {detail})",
                                 SAVE_AS_XLSX) from None


def _hidden_sheets(workbook: CalamineWorkbook) -> frozenset[str]:
    """Sheets hidden (or "very hidden", which only a macro can show again) from the tabs."""
    return frozenset(sheet.name for sheet in workbook.sheets_metadata if sheet.visible != SheetVisibleEnum.Visible)


def _unicode(text: str, font: LegacyEncoding | None = None) -> str:
    """Text as the clerk saw it, in Unicode, control characters dropped."""
    return without_controls(to_unicode(text, font))


# Returns repeat the same texts file after file (labels, "Thôn", empty cells): each is
# cleaned once. Short texts only, so the cache stays small whatever a file holds.
_KEPT_TEXT_MAX_CHARS = 100
_unicode_kept = functools.lru_cache(maxsize=8192)(_unicode)


def _clean(text: str, font: LegacyEncoding | None) -> str:
    return _unicode_kept(text) if font is None and len(text) <= _KEPT_TEXT_MAX_CHARS else _unicode(text, font)


def _unicode_rows(rows: Grid, fonts: dict[tuple[int, int], LegacyEncoding]) -> Grid:
    return [[_clean(value, fonts.get((r, c))) if isinstance(value, str) else value for c, value in enumerate(row)]
            for r, row in enumerate(rows)]


def read_workbook(path: Path) -> tuple[Sheet, ...]:
    """Every sheet in the order of its tab, as rows of raw values, row 0 / column 0
    being cell A1. Two sheets may bear names that read alike (`Thôn`, `Thôn `): all
    are kept, for the checks to name them.

    `skip_empty_area=False` keeps the grid anchored at A1, so positions map to the
    cell names a clerk sees in Excel. Raises `UnreadableWorkbook` (a ValueError) for
    a file that cannot be read, OSError when it cannot be opened at all.
    """
    data = _read_file(path)
    extension = path.suffix.lower()
    # Over the bytes in memory: nothing to close.
    archive = check_file(data, extension)
    if extension in ZIP_EXTENSIONS:
        check_parts(archive, extension == ".ods")
    sheets, hidden = _read_grids(data)
    try:
        # Fonts are only looked up when the style sheet names a legacy font at all.
        fonts = legacy_font_cells(path) if archive and legacy_fonts_in_archive(archive) else {}
    except (ElementTree.ParseError, ValueError, KeyError, zipfile.BadZipFile) as error:
        detail = without_controls(str(error))[:160]
        raise UnreadableWorkbook(f"tệp hỏng, không đọc được kiểu chữ của các ô (chi tiết kỹ thuật: {detail})",
                                 SAVE_AS_XLSX) from None
    return tuple(Sheet(_unicode(name), _unicode_rows(rows, fonts.get(name, {})), name in hidden)
                 for name, rows in sheets.items())


def read_sheets(path: Path) -> dict[str, Grid]:
    """`read_workbook` by sheet name, for a reader that wants one sheet it knows (the
    registry's first); of two sheets whose names read alike, the first."""
    sheets: dict[str, Grid] = {}
    for sheet in read_workbook(path):
        sheets.setdefault(sheet.name, sheet.rows)
    return sheets
