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
import itertools
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from pipeline.core.model import Sheet
from pipeline.intake.cells import without_controls
from pipeline.intake.legacy_fonts import STYLES_PART, legacy_font_cells, legacy_fonts_in_archive
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
# Ten times the longest village list a commune could have.
MAX_SHEET_ROWS = 100_000
# The grid calamine lays out from A1 to the farthest cell, one sheet and every sheet
# together: about 64 bytes a cell in calamine, then Python's lists and their cleaned
# copy. Two pool workers reading a file at the limits each, beside the run itself,
# stay under 1 GiB. A return holds a few thousand cells.
MAX_SHEET_CELLS = 2_000_000
MAX_WORKBOOK_CELLS = MAX_SHEET_CELLS
# Characters — counted as the bytes the file writes them in, never fewer — that the
# cells hold once each has its own copy: a shared text counts once per cell using it.
# Text is kept three times (calamine's, Python's at up to four bytes a character, the
# cleaned copy). A return holds kilobytes.
MAX_WORKBOOK_TEXT = 24 * MIB

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


def read_file(path: Path) -> bytes:
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


class _Layout:
    """What calamine will lay out for the whole workbook, counted before it does: the
    cells of every sheet together, and the text of each cell as its own copy."""

    def __init__(self) -> None:
        self.cells = self.text = 0

    def check(self, rows: int, columns: int, sheet: str) -> None:
        """Refuse a sheet of this grid, too big alone or beside the sheets already counted."""
        _check_grid(rows, columns, sheet)
        if self.cells + rows * columns > MAX_WORKBOOK_CELLS:
            raise UnreadableWorkbook(
                f"các trang tính cộng lại quá lớn: đến trang {sheet} đã có {format_number(self.cells + rows * columns)}"
                f" ô (tối đa {format_number(MAX_WORKBOOK_CELLS)} ô cho cả tệp)",
                "Xóa các trang tính không thuộc biểu mẫu, và trên mỗi trang các dòng, cột thừa sau bảng số liệu "
                "(chọn, bấm chuột phải → Xóa), lưu rồi gửi lại",
            )

    def add_grid(self, rows: int, columns: int, sheet: str) -> None:
        self.check(rows, columns, sheet)
        self.cells += rows * columns

    def add_text(self, size: int, sheet: str) -> None:
        self.text += size
        if self.text > MAX_WORKBOOK_TEXT:
            raise UnreadableWorkbook(
                f"chữ trong các ô quá nhiều: đến trang {sheet}, đọc ra đã hơn {_megabytes(self.text)} "
                f"(tối đa {_megabytes(MAX_WORKBOOK_TEXT)}; một đoạn chữ dùng ở nhiều ô được tính ở mỗi ô)",
                f"Trên trang {sheet}, xóa các ô chứa đoạn chữ rất dài hoặc chép lặp lại ở nhiều ô, chỉ giữ bảng "
                f"số liệu theo biểu mẫu, lưu rồi gửi lại",
            )


class _Extent:
    """The farthest cell seen from A1, refused as soon as the grid it makes is too
    big, alone or beside the other sheets of `layout`."""

    def __init__(self, sheet: str, layout: _Layout | None = None) -> None:
        self.sheet = sheet
        self.layout = layout or _Layout()
        self.rows = self.columns = 0

    def reach(self, rows: int, columns: int) -> None:
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)
        self.layout.check(self.rows, self.columns, self.sheet)


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
    value: list[str] | None = None  # the text of the `<v>` being read

    def __init__(self, sheet: str, layout: _Layout | None = None) -> None:
        super().__init__(sheet, layout)
        self.columns_of: dict[str, int] = {}  # letters → index, for the few a sheet uses
        # Shared string → how many cells may refer to it: every `<v>` holding an index counts.
        self.references: Counter[int] = Counter()

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == "v" or name.endswith(":v"):
            self.value = []
        elif name == "c" or name.endswith(":c"):
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

    def text(self, text: str) -> None:
        if self.value is not None:
            self.value.append(text)

    def end(self, name: str) -> None:
        if self.value is not None and (name == "v" or name.endswith(":v")):
            _count_reference(self.references, "".join(self.value).strip().encode(), 1)
            self.value = None


def _count_reference(references: Counter[int], value: bytes, cells: int) -> None:
    """`cells` more cells whose `<v>` holds `value`."""
    if 0 < len(value) <= _INDEX_MAX_DIGITS and value.isdigit():  # ASCII digits, as calamine reads an index
        references[int(value)] += cells


# A shared string's index: calamine reads it as a 64-bit number.
_INDEX_MAX_DIGITS = 20


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_ODS_CELLS = ("table-cell", "covered-table-cell")


_ODS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _repeat(attributes: dict[str, str], name: str, namespace: str = _ODS_TABLE) -> int:
    value = attributes.get(namespace + name, "1")
    return int(value) if value.isdecimal() else 1


class _OdsSheets(_Extent):
    """Filled cells of the ODS content part. LibreOffice writes the empty rest of a
    sheet as one row repeated a million times, which calamine skips; a filled cell
    or row repeated is laid out as many times as it says."""

    row = column = tables = 0
    repeat_rows = repeat_columns = 1
    cell_filled: bool | None = None  # None outside a cell
    cell_start = spaces = 0  # where the cell's start tag is; the spaces `<text:s text:c="…"/>` adds
    parser: Any = None  # the expat parser, for positions

    def start(self, name: str, attributes: dict[str, str]) -> None:
        name = _local(name)
        if self.cell_filled is not None:
            self.cell_filled = True  # a paragraph, a note: the cell holds something
            if name == "s":
                self.spaces += _repeat(attributes, "c", _ODS_TEXT)
        elif name == "table":
            if not self.tables:
                self.row, self.sheet = 0, without_controls(attributes.get(_ODS_TABLE + "name", self.sheet))
                self.rows = self.columns = 0
            self.tables += 1
        elif name == "table-row":
            self.column, self.repeat_rows = 0, _repeat(attributes, "number-rows-repeated")
        if name in _ODS_CELLS:
            self.repeat_columns = _repeat(attributes, "number-columns-repeated")
            self.cell_filled = _ODS_VALUE_TYPE in attributes
            self.cell_start, self.spaces = self.parser.CurrentByteIndex, 0

    def end(self, name: str) -> None:
        name = _local(name)
        if name in _ODS_CELLS:
            if self.cell_filled:
                repeats = self.repeat_rows * self.repeat_columns
                self.reach(self.row + self.repeat_rows, self.column + self.repeat_columns)
                # The cell as written (its text, at most) and its spaces, once per cell it is repeated into.
                self.layout.add_text((self.parser.CurrentByteIndex - self.cell_start + self.spaces) * repeats,
                                     self.sheet)
            self.column += self.repeat_columns
            self.cell_filled = None
        elif name == "table-row":
            self.row += self.repeat_rows
        elif name == "table":
            self.tables -= 1
            if not self.tables:  # each sheet's grid beside the others'
                self.layout.add_grid(self.rows, self.columns, self.sheet)


def _measure(data: bytes, sheet: _XlsxSheet | _OdsSheets) -> None:
    """Stream `data` through expat into `sheet`, which raises as soon as the grid is
    too big. No tree is kept, so memory stays flat whatever the part holds."""
    if isinstance(sheet, _OdsSheets):
        parser = expat.ParserCreate(namespace_separator="}")
        sheet.parser = parser
    else:
        parser = expat.ParserCreate()
        parser.CharacterDataHandler = sheet.text
    parser.StartElementHandler = sheet.start
    parser.EndElementHandler = sheet.end
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


def _fits_plainly(data: bytes) -> tuple[int, int] | None:
    """The grid of a sheet part written plainly, within the limits of one sheet, and
    well-formed (expat parses it without a callback); None for any other part, which
    is walked and so refused with the same message as ever."""
    extent = _plain_extent(data)
    if extent is None or _too_big(*extent):
        return None
    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError:
        return None
    return extent


# A value element, `<v>` or `<x:v>`, and its text, in a part `_plain_extent` measures.
_VALUE = re.compile(rb"<(?:[^\s/>:]*+:)*+v(?:\s[^>]*)?>([^<]*)<")


def _plain_references(data: bytes) -> Counter[int] | None:
    """Shared string → the cells that may refer to it, in a part that fits plainly;
    None when a value is written with a character reference, left to the walk."""
    values = Counter(_VALUE.findall(data))  # a few distinct values, each looked at once
    if any(b"&" in value for value in values):
        return None
    references: Counter[int] = Counter()
    for value, cells in values.items():
        _count_reference(references, value.strip(), cells)
    return references


# The start of a shared string, `<si>` or `<x:si …>`.
_SHARED_STRING = re.compile(rb"<(?:[^\s/>:]*+:)*+si[\s/>]")


def _shared_string_sizes(data: bytes, part: str) -> list[int]:
    """For each index, the most bytes a shared string from there on takes in the part,
    tags included: never fewer than the characters calamine copies into each cell
    that refers to it. From there on, since calamine skips a string without text,
    which moves the later ones down."""
    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError:
        raise _damaged(part) from None
    declaration = _DECLARATION.match(data)
    if b"\0" not in data and not _ASIDE.search(data, declaration.end() if declaration else 0):
        starts = [found.start() for found in _SHARED_STRING.finditer(data)]
    else:  # a comment, a CDATA section, UTF-16: expat says where each string starts
        starts = []
        parser = expat.ParserCreate()
        parser.StartElementHandler = lambda name, _: (name == "si" or name.endswith(":si")) and \
            starts.append(parser.CurrentByteIndex)
        parser.Parse(data, True)
    sizes = [end - start for start, end in zip(starts, [*starts[1:], len(data)])]
    for index in range(len(sizes) - 2, -1, -1):
        sizes[index] = max(sizes[index], sizes[index + 1])
    return sizes


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
    plain = _inflated(archive, entry)
    if plain is not None:
        return plain
    with archive.open(entry) as part:
        return part.read(entry.file_size)


_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")  # signature, flags, name and extra field lengths (APPNOTE 4.3.7)
# Encrypted, compressed patched data, strong encryption: zipfile refuses them its own way.
_FLAGS_REFUSED = 0x0001 | 0x0020 | 0x0040


def _inflated(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes | None:
    """The part as `archive.open(entry).read(entry.file_size)` gives it, inflated in
    one call straight from the bytes in memory: zipfile's reader costs more than the
    inflating of a part of a few kilobytes. None for anything but a plain stored or
    deflated part that inflates to its declared size and CRC, left to zipfile, which
    reads it or fails as it always has."""
    if entry.file_size == 0 or entry.flag_bits & _FLAGS_REFUSED or \
            entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    whole = memoryview(archive.fp.getvalue())  # the bytes `check_file` opened, not a copy
    start = entry.header_offset
    if start < 0 or start + _LOCAL_HEADER.size > len(whole):
        return None
    signature, flags, name_length, extra_length = _LOCAL_HEADER.unpack_from(whole, start)
    name_at = start + _LOCAL_HEADER.size
    try:
        name = bytes(whole[name_at:name_at + name_length]).decode("utf-8" if flags & 0x0800 else "cp437")
    except UnicodeDecodeError:
        return None
    if signature != b"PK\x03\x04" or flags & _FLAGS_REFUSED or name != entry.orig_filename:
        return None
    data_at = name_at + name_length + extra_length
    packed = whole[data_at:data_at + entry.compress_size]
    if len(packed) != entry.compress_size:
        return None
    if entry.compress_type == zipfile.ZIP_STORED:
        plain = bytes(packed[:entry.file_size])
    else:
        try:
            plain = zlib.decompressobj(-zlib.MAX_WBITS).decompress(packed, entry.file_size)
        except zlib.error:
            return None
    return plain if len(plain) == entry.file_size and zlib.crc32(plain) == entry.CRC else None


SHARED_STRINGS_PART = "xl/sharedStrings.xml"
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


# Returns filled in from one form carry the same workbook part and links, byte for byte:
# their titles are read once. Only small parts are kept, so the cache stays small.
_KEPT_TITLES_MAX_BYTES = 64 * 1024


def _sheet_titles(parts: tuple[bytes, ...]) -> Mapping[str, str]:
    """Part → the sheet's name on its tab, from `_workbook_parts`, for messages; {}
    when the workbook does not say."""
    if sum(map(len, parts)) <= _KEPT_TITLES_MAX_BYTES:
        return _kept_titles(parts)
    return _read_titles(parts)


_NO_TITLES: Mapping[str, str] = MappingProxyType({})


def _read_titles(parts: tuple[bytes, ...]) -> Mapping[str, str]:
    if not parts or any(_contains(part, mark) for part in parts for mark in _DTD_MARKS):
        return _NO_TITLES  # a DTD is refused when its turn comes
    try:
        workbook, links = (ElementTree.fromstring(part) for part in parts)
    except ElementTree.ParseError:
        return _NO_TITLES
    targets = {link.get("Id"): link.get("Target", "") for link in links.iter() if _local(link.tag) == "Relationship"}
    titles = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) == "sheet" and (target := targets.get(sheet.get(_RELATIONSHIP_ID))):
            titles[target[1:] if target.startswith("/") else f"xl/{target}"] = without_controls(sheet.get("name", ""))
    return MappingProxyType(titles)  # read only: the same titles answer every return that has these parts


_kept_titles = functools.lru_cache(maxsize=64)(_read_titles)


def check_parts(archive: zipfile.ZipFile, is_ods: bool) -> bytes | None:
    """Raise `UnreadableWorkbook` if a part of a zip workbook (through `check_file`,
    so of bounded size) declares a DTD, or lays out a sheet too big to read. Each
    part is inflated once; the style sheet's bytes are returned for the legacy font
    check (None when there is none).

    Every part holding `sheetData` is measured, whatever its name: calamine follows
    the workbook's links to its sheets, and they may point anywhere.
    """
    layout = _Layout()
    sheets: list[tuple[str, int, Counter[int]]] = []  # title, part size, references to shared strings
    shared_sizes: list[int] = []
    styles = None
    try:
        named = {} if is_ods else _workbook_parts(archive)
        titles = _sheet_titles(tuple(named.values()))
        for entry in archive.infolist():
            data = named[entry] if entry in named else _read_part(archive, entry)
            if entry.filename == STYLES_PART:
                styles = data
            if any(_contains(data, mark) for mark in _DTD_MARKS):
                raise UnreadableWorkbook(f"phần {entry.filename} của tệp khai báo DTD, ENTITY "
                                         f"(tệp Excel thật không có)", SAVE_AS_XLSX)
            if is_ods and entry.filename == "content.xml":
                _measure(data, _OdsSheets(entry.filename, layout))
            elif not is_ods and entry.filename.lower() == SHARED_STRINGS_PART.lower():  # as calamine finds it
                shared_sizes = _shared_string_sizes(data, entry.filename)
            elif not is_ods and _contains(data, b"sheetData"):
                title = titles.get(entry.filename, entry.filename)
                extent = _fits_plainly(data)
                references = _plain_references(data) if extent else None
                if extent is None or references is None:
                    sheet = _XlsxSheet(title, layout)
                    _measure(data, sheet)
                    extent, references = (sheet.rows, sheet.columns), sheet.references
                layout.add_grid(*extent, title)
                sheets.append((title, len(data), references))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise _damaged() from None
    # Text a sheet holds itself (inline, formula results) is no longer than its part.
    for title, size, references in sheets:
        layout.add_text(size + sum(count * shared_sizes[index] for index, count in references.items()
                                   if index < len(shared_sizes)), title)
    return styles


# --- what an .xls lays out: its cell records, counted before calamine reads them -------

_END_OF_CHAIN = 0xFFFFFFFA  # and above: free, end of chain, FAT and DIFAT sectors (MS-CFB 2.1)
_XLS_STREAMS = ("Workbook", "Book")  # BIFF8, and BIFF5 as calamine reads it


def _compound_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """The first stream of a Compound File (MS-CFB) called one of `names`; None when
    there is none or the file's tables do not add up. Every chain is followed once,
    within the file, so a looping or lying table costs nothing."""
    try:
        sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
        fat_sectors, directory_start = struct.unpack_from("<II", data, 44)
        cutoff, mini_fat_start, _, difat_start, difat_sectors = struct.unpack_from("<5I", data, 56)
        if sector_shift not in (9, 12):
            return None
        size = 1 << sector_shift

        def sector(number: int) -> bytes:
            start = (number + 1) * size
            if start + size > len(data):
                raise ValueError("sector beyond the file")
            return data[start:start + size]

        def chain(start: int, table: tuple[int, ...] | list[int]) -> list[int]:
            found: list[int] = []
            seen = set()
            while start < _END_OF_CHAIN:
                if start in seen or start >= len(table):
                    raise ValueError("broken chain")
                seen.add(start)
                found.append(start)
                start = table[start]
            return found

        difat = list(struct.unpack_from("<109I", data, 76))
        for _ in range(min(difat_sectors, len(data) // size)):
            entries = struct.unpack(f"<{size // 4}I", sector(difat_start))
            difat += entries[:-1]
            difat_start = entries[-1]
        fat_bytes = b"".join(sector(number) for number in difat[:fat_sectors])
        fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)

        def read(start: int) -> bytes:
            return b"".join(sector(number) for number in chain(start, fat))

        directory = read(directory_start)
        entries = [(directory[at:at + max(0, struct.unpack_from("<H", directory, at + 64)[0] - 2)]
                    .decode("utf-16-le", "replace"), directory[at + 66], *struct.unpack_from("<IQ", directory, at + 116))
                   for at in range(0, len(directory) - 127, 128)]
        for name, kind, start, length in entries:
            if kind == 2 and name in names:  # a stream
                if length >= cutoff:
                    return read(start)[:length]
                mini_size, mini_stream = 1 << mini_shift, read(entries[0][2])  # the root holds the small streams
                mini_fat = read(mini_fat_start)
                table = struct.unpack(f"<{len(mini_fat) // 4}I", mini_fat)
                return b"".join(mini_stream[n * mini_size:(n + 1) * mini_size] for n in chain(start, table))[:length]
    except (struct.error, ValueError, IndexError):
        return None
    return None


# Records that place one cell by (row, column) at their start (MS-XLS 2.4, and the
# BIFF2–5 forms calamine also reads); blanks are never laid out.
_XLS_CELL_RECORDS = frozenset({0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0203, 0x0204, 0x0205, 0x0206, 0x027E,
                               0x0406, 0x00D6, 0x00FD})
_XLS_MULRK, _XLS_LABELSST, _XLS_SST, _XLS_CONTINUE, _XLS_BOUNDSHEET, _XLS_EOF = (0x00BD, 0x00FD, 0x00FC, 0x003C,
                                                                                0x0085, 0x000A)
# Records whose text calamine copies into the cell: a label, a formula's text result.
_XLS_TEXT_RECORDS = frozenset({0x0004, 0x0204, 0x00D6, 0x0207})


def _xls_records(stream: bytes, at: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(offset, type, body) of each BIFF record from `at`."""
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        yield at, kind, stream[at + 4:at + 4 + length]
        at += 4 + length


def _sst_lengths(bodies: list[bytes]) -> list[int]:
    """Characters of each string of the shared string table (an SST record and its
    CONTINUE records, MS-XLS 2.4.265), as far as the records go."""
    lengths: list[int] = []
    record, at = 0, 8  # after the total and unique counts

    def skip(count: int) -> None:  # run and phonetic data: split anywhere, no flag byte
        nonlocal record, at
        while count > 0:
            if at >= len(bodies[record]):
                record, at = record + 1, 0
            step = min(count, len(bodies[record]) - at)
            at, count = at + step, count - step

    try:
        while True:
            if at >= len(bodies[record]):
                record, at = record + 1, 0
            characters, flags = struct.unpack_from("<HB", bodies[record], at)
            at += 3
            runs = struct.unpack_from("<H", bodies[record], at)[0] if flags & 0x08 else 0
            at += 2 if flags & 0x08 else 0
            phonetic = struct.unpack_from("<I", bodies[record], at)[0] if flags & 0x04 else 0
            at += 4 if flags & 0x04 else 0
            lengths.append(characters)
            left, width = characters, 2 if flags & 0x01 else 1
            while left:  # the characters go on in the next record after a new flag byte
                if len(bodies[record]) - at < width:
                    record, at = record + 1, 1
                    width = 2 if bodies[record][0] & 0x01 else 1
                step = min(left, (len(bodies[record]) - at) // width)
                at, left = at + step * width, left - step
            skip(4 * runs + phonetic)
    except (IndexError, struct.error):
        return lengths


def _xls_globals(stream: bytes) -> tuple[list[tuple[int, str]], list[int]]:
    """Where each sheet starts and its name (BOUNDSHEET records), and for each shared
    string index the longest string from there on, from the whole stream: calamine
    reads no more than that."""
    sheets: list[tuple[int, str]] = []
    tables: list[list[bytes]] = []
    kind_before = None
    for _, kind, body in _xls_records(stream):
        if kind == _XLS_SST or (kind == _XLS_CONTINUE and kind_before in (_XLS_SST, _XLS_CONTINUE) and tables):
            if kind == _XLS_SST:
                tables.append([])
            tables[-1].append(body)
        elif kind == _XLS_BOUNDSHEET and len(body) >= 8:
            name = body[8:8 + body[6] * (2 if body[7] & 0x01 else 1)]
            sheets.append((struct.unpack_from("<I", body)[0],
                           without_controls(name.decode("utf-16-le" if body[7] & 0x01 else "latin-1", "replace"))))
        kind_before = kind if kind in (_XLS_SST, _XLS_CONTINUE) else None
    longest: list[int] = []
    for lengths in map(_sst_lengths, tables):
        longest = [max(pair) for pair in itertools.zip_longest(longest, lengths, fillvalue=0)]
    for index in range(len(longest) - 2, -1, -1):
        longest[index] = max(longest[index], longest[index + 1])
    return sheets, longest


def _check_xls(data: bytes) -> None:
    """Raise `UnreadableWorkbook` if an .xls lays out more than the limits: calamine
    builds a sheet's whole grid, each cell with its own copy of its text, as soon as
    the sheet is asked for. Each sheet is measured as calamine reads it: from where
    its BOUNDSHEET record says, cell record by cell record, to the first EOF (the
    DIMENSIONS record, which calamine does not trust, is not read)."""
    stream = _compound_stream(data, _XLS_STREAMS)
    if stream is None:
        raise _damaged()
    sheets, shared = _xls_globals(stream)
    layout = _Layout()
    # Sheets that share records are read once each, as calamine does; a file where
    # they overlap past twice the stream is refused before the reading takes long.
    records_left = 2 * (len(stream) // 4) + 1000
    for start, name in sheets:
        sheet, text = _Extent(name, layout), 0
        for _, kind, body in _xls_records(stream, start):
            records_left -= 1
            if kind == _XLS_EOF or records_left < 0:
                break
            if kind not in _XLS_CELL_RECORDS and kind != _XLS_MULRK or len(body) < 4:
                continue
            row, column = struct.unpack_from("<HH", body)
            if kind == _XLS_MULRK:  # several cells of one row: the last column ends the record
                column = struct.unpack_from("<H", body, len(body) - 2)[0]
            if row >= sheet.rows or column >= sheet.columns:
                sheet.reach(row + 1, column + 1)
            if kind == _XLS_LABELSST and len(body) >= 10:
                index = struct.unpack_from("<I", body, 6)[0]
                text += shared[index] if index < len(shared) else 0
            elif kind in _XLS_TEXT_RECORDS:
                text += len(body)
        if records_left < 0:
            raise _damaged(name)
        layout.add_grid(sheet.rows, sheet.columns, name)
        layout.add_text(text, name)


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
    if not fonts:  # nearly every return: no cell to look up, each text through the cache of short texts
        return [[_clean(value, None) if isinstance(value, str) else value for value in row] for row in rows]
    return [[_clean(value, fonts.get((r, c))) if isinstance(value, str) else value for c, value in enumerate(row)]
            for r, row in enumerate(rows)]


def read_workbook(path: Path) -> tuple[Sheet, ...]:
    """`sheets_in` the file's bytes, read once. Raises `UnreadableWorkbook` (a
    ValueError) for a file that cannot be read, OSError when it cannot be opened."""
    return sheets_in(read_file(path), path.suffix)


def sheets_in(data: bytes, extension: str) -> tuple[Sheet, ...]:
    """Every sheet of the workbook `data` (a file named with `extension`), in the
    order of its tab, as rows of raw values, row 0 / column 0 being cell A1. Two
    sheets may bear names that read alike (`Thôn`, `Thôn `): all are kept, for the
    checks to name them.

    `skip_empty_area=False` keeps the grid anchored at A1, so positions map to the
    cell names a clerk sees in Excel. Raises `UnreadableWorkbook` for a file that
    cannot be read.
    """
    extension = extension.lower()
    # Over the bytes in memory: nothing to close.
    archive = check_file(data, extension)
    styles = None
    if extension in ZIP_EXTENSIONS:
        styles = check_parts(archive, extension == ".ods")
    else:
        _check_xls(data)
    sheets, hidden = _read_grids(data)
    try:
        # Fonts are only looked up when the style sheet names a legacy font at all.
        fonts = legacy_font_cells(io.BytesIO(data)) if archive and legacy_fonts_in_archive(archive, styles) else {}
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
