"""Broken and hostile input files, each named, to be written beside good returns.

`write_corpus(folder, secret)` writes every case of `CASES` into `folder`, the same
bytes every time. Each case says how the run should treat its file:

- "error": listed as a return with an error, its message holding `expect`;
- "superseded": an older return of a commune that sent a newer one;
- "ignored": not a return, noted;
- "silent": an Excel or LibreOffice lock file, never mentioned.

Returns that are wrong inside carry a code no registry has (`UNKNOWN_CODE`), so they
count for no commune and leave every figure of the run as it was; the message the
test looks for is the first the terminal shows for them. The zip surgery helpers
serve the unit tests of `pipeline.intake.workbooks` too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builders import SAMPLE_INPUTS, copy_sheet, info, severance, village, write_return
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from pipeline.intake.contract import SEVERANCE_COLUMNS
from pipeline.intake.ingest import display_name

UNKNOWN_CODE = "99999"
SECRET_MARKER = "BI-MAT-XXE-5c1e0d"  # what the file an XML external entity points at holds
DUPLICATE_OF = "10189.xlsx"  # a sample return the corpus sends again, older,
DUPLICATE = "10189-ban-cu.xlsx"  # as this file
FIRST_SHEET = "xl/worksheets/sheet1.xml"  # `Thông tin` in a return from builders
VILLAGE_SHEET_PART = "xl/worksheets/sheet2.xml"
MIB = 1024 * 1024
GIB = 1024 * MIB
_DATE = (2020, 11, 12, 0, 0, 0)  # every part's time, so the bytes are the same each run


# --- zip surgery -----------------------------------------------------------------------


def rewrite_zip(source: Path, target: Path, parts: dict[str, Callable[[bytes], bytes]] | None = None,
                extra: dict[str, bytes] | None = None, stored: tuple[str, ...] = ()) -> Path:
    """A copy of the zip `source`, each part named in `parts` passed through its
    function and `extra` parts added; parts named in `stored` are not compressed."""
    parts, extra = parts or {}, extra or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w") as new:
        contents = {entry.filename: parts.get(entry.filename, lambda d: d)(old.read(entry))
                    for entry in old.infolist()}
        for name, data in {**contents, **extra}.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            new.writestr(zipfile.ZipInfo(name, _DATE), data, method)
    target.write_bytes(buffer.getvalue())
    return target


def patch_entry(raw: bytes, name: str, **fields: int) -> bytes:
    """Set header fields of the part `name`, in its local header and in the central
    directory alike: `flags`, `method`, `crc`, `compressed` and `size` (uncompressed)."""
    layouts = (
        (b"PK\x03\x04", 30, {"flags": (6, "<H"), "method": (8, "<H"), "crc": (14, "<I"), "compressed": (18, "<I"),
                              "size": (22, "<I")}),
        (b"PK\x01\x02", 46, {"flags": (8, "<H"), "method": (10, "<H"), "crc": (16, "<I"), "compressed": (20, "<I"),
                              "size": (24, "<I")}),
    )
    data, encoded = bytearray(raw), name.encode()
    for signature, name_at, offsets in layouts:
        at = data.find(signature)
        while at != -1:
            if data[at + name_at:at + name_at + len(encoded)] == encoded:
                for key, value in fields.items():
                    struct.pack_into(offsets[key][1], data, at + offsets[key][0], value)
            at = data.find(signature, at + 4)
    return bytes(data)


def zip_bomb(target: Path, inflated: int = 3 * GIB, declared: int | None = None) -> Path:
    """A return whose `Thông tin` part inflates to `inflated` bytes of zeros from a
    few megabytes, and says it does (or says `declared`). One deflate block of 16 MiB
    of zeros is repeated, so nothing that big is ever in memory. The CRC is left at
    0: computing it means streaming the gigabytes, and nothing may inflate them."""
    chunk = 16 * MIB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    deflated = block * (inflated // chunk) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # + an empty last block
    _return(target)
    # Stored, so the deflate stream goes in as it is; then relabelled as deflated.
    rewrite_zip(target, target, {FIRST_SHEET: lambda _: deflated}, stored=(FIRST_SHEET,))
    target.write_bytes(patch_entry(target.read_bytes(), FIRST_SHEET, method=zipfile.ZIP_DEFLATED, crc=0,
                                   compressed=len(deflated), size=inflated if declared is None else declared))
    return target


# --- a Compound File (MS-CFB), as Excel wraps a password-protected .xlsx -----------------

_SECTOR = 512
_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name: str, kind: int, child: int = _NO_STREAM, right: int = _NO_STREAM,
                     start: int = _END, size: int = 0) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, _NO_STREAM, right, child,
                       bytes(16), 0, 0, 0, start, size)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 Compound File holding `streams` under the root: the FAT sectors
    (as many as the streams need, up to the header's 109), one directory sector (up
    to three streams, names in the directory's order: by length, then by upper-case
    text), each stream padded with zeros to 4096 bytes so it lives in regular
    sectors, not the mini stream."""
    assert len(streams) <= 3
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    data_sectors = sum(-(-max(len(content), 4096) // _SECTOR) for content in streams.values())
    fat_sectors = 1
    while fat_sectors * (_SECTOR // 4) < fat_sectors + 1 + data_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109
    fat = [_FAT_SECTOR] * fat_sectors + [_END]  # then the directory
    entries = [b""]  # the root, written last, once its child is known
    data = b""
    for index, name in enumerate(names, start=1):
        content = streams[name].ljust(4096, b"\0")
        sectors = -(-len(content) // _SECTOR)
        first = len(fat)
        fat += [first + i + 1 for i in range(sectors - 1)] + [_END]
        data += content.ljust(sectors * _SECTOR, b"\0")
        # A chain of right siblings, each name greater than the one before.
        entries.append(_directory_entry(name, 2, right=index + 1 if index < len(names) else _NO_STREAM,
                                        start=first, size=len(content)))
    entries[0] = _directory_entry("Root Entry", 5, child=1 if names else _NO_STREAM)
    entries += [_directory_entry("", 0)] * (_SECTOR // 128 - len(entries))  # unused
    directory = b"".join(entries)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(fat_sectors * _SECTOR, b"\xff")
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3,
                         0xFFFE, 9, 6, bytes(6), 0, fat_sectors, fat_sectors, 0, 4096, _END, 0, _END, 0)
    header += struct.pack("<109I", *range(fat_sectors), *[_FREE] * (109 - fat_sectors))
    return header + fat_bytes + directory + data


def _noise(seed: str, size: int) -> bytes:
    """Bytes that look random and are the same every run."""
    out = b""
    while len(out) < size:
        out += hashlib.sha256(f"{seed}{len(out)}".encode()).digest()
    return out[:size]


def encrypted_xlsx(target: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: a Compound File with the
    `EncryptionInfo` (agile, version 4.4) and `EncryptedPackage` streams. The bytes
    are no real cipher text: the reader looks at the container only, and takes the
    same path for this one as for one encrypted by msoffcrypto-tool as Excel does."""
    encryption_info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 6000) + _noise("package", 6000)
    target.write_bytes(compound_file({"EncryptionInfo": encryption_info, "EncryptedPackage": package}))
    return target


# --- returns ---------------------------------------------------------------------------


def _return(path: Path, **values) -> Path:
    """A return whose only wrong things are `values` and its unknown code."""
    villages = values.pop("villages", [village("Thôn Một"), village("Thôn Hai", merged="Thôn Ba; Thôn Bốn")])
    severances = values.pop("severances", [severance("Nguyễn Văn An")])
    return _fixed_dates(write_return(path, info(UNKNOWN_CODE, "Xã Lạ", **values), villages, severances))


def _edit(path: Path, edit: Callable[[Workbook], None]) -> Path:
    workbook = load_workbook(path)
    edit(workbook)
    workbook.save(path)
    return _fixed_dates(path)


def _fixed_dates(path: Path) -> Path:
    """openpyxl stamps the time it saves at; the corpus must be the same every run."""
    return rewrite_zip(path, path, {"docProps/core.xml": lambda xml: re.sub(
        rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-11-12T00:00:00Z", xml)})


def _write_text(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


DTD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>\n')
# Each entity is ten of the one before: `&lol9;` is a thousand million `lol`s.
BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE styleSheet [<!ENTITY lol0 "lol">'
                  + "".join(f'<!ENTITY lol{n} "{10 * f"&lol{n - 1};"}">' for n in range(1, 10))
                  + ']>\n')


def _strip_declaration(xml: bytes) -> bytes:
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


def xxe_return(path: Path, secret: Path) -> Path:
    """A return whose `Thông tin` sheet holds `&xxe;`, an entity naming `secret`."""
    _return(path, prepared_by="&xxe;")

    def with_entity(xml: bytes) -> bytes:
        body = _strip_declaration(xml).replace(b"&amp;xxe;", b"&xxe;")
        return DTD.format(secret=secret.resolve()).encode() + body
    return rewrite_zip(path, path, {FIRST_SHEET: with_entity})


def billion_laughs_return(path: Path) -> Path:
    _return(path)
    return rewrite_zip(path, path, {"xl/styles.xml": laughing_styles})


def laughing_styles(xml: bytes) -> bytes:
    """A style sheet whose first font is named `&lol9;`."""
    return BILLION_LAUGHS.encode() + re.sub(rb'(<name val=")[^"]*', rb"\1&lol9;", _strip_declaration(xml), count=1)


def _far_cell(reference: str) -> Callable[[Workbook], None]:
    def edit(workbook: Workbook) -> None:
        workbook["Thôn"][reference] = "x"
    return edit


def _merged_header(workbook: Workbook) -> None:
    """`Số người trước` and `Số người sau` under one merged cell, as offices draw it."""
    sheet = workbook["Thôn"]
    sheet["E3"], sheet["F3"] = "Số người", None
    sheet.merge_cells("E3:F3")


def _misspelt_header(workbook: Workbook) -> None:
    workbook["Thôn"]["A3"] = "Tên thông"


def _formula_without_value(workbook: Workbook) -> None:
    """openpyxl saves formulas without the value Excel would have cached."""
    sheet = workbook["Thông tin"]
    sheet["B7"] = "=B6-4"  # Số người sau sắp xếp: Excel would show 8


# What Excel writes for control characters in a cell (`_xHHHH_`): clear the screen,
# retitle the terminal, ring the bell, then reverse the rest of the line.
TERMINAL_ATTACK = "_x001B_[2J_x001B_]0;x_x0007_\u202e"


def control_characters(path: Path) -> Path:
    """`Số người trước sắp xếp` typed as the terminal attack followed by 12."""
    _return(path, people_before="CONTROLS12")
    return rewrite_zip(path, path, {FIRST_SHEET: lambda xml: xml.replace(b"CONTROLS", TERMINAL_ATTACK.encode())})


def duplicate_return(path: Path) -> Path:
    """The sample's `DUPLICATE_OF`, made a month earlier: superseded by it."""
    path.write_bytes((SAMPLE_INPUTS / "2020-11" / DUPLICATE_OF).read_bytes())

    def earlier(workbook: Workbook) -> None:
        sheet = workbook["Thông tin"]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Ngày lập")
        sheet.cell(row, 2).value = dt.datetime(2020, 10, 12)
    return _edit(path, earlier)


def many_villages(path: Path, rows: int = 10_000) -> Path:
    """A village sheet of `rows` rows, the last with its `Số người sau` in words. The
    rows are copies of the first, made in the XML: openpyxl takes seconds for them."""
    _return(path, villages=[village("Thôn số 1")])

    def copies(xml: bytes) -> bytes:
        first = re.search(rb'<row r="4">.*?</row>', xml).group()
        made = [re.sub(rb'r="([A-F]?)4"', rb'r="\g<1>%d"' % (3 + n), first).replace(b"1</t>", b"%d</t>" % n, 1)
                for n in range(2, rows + 1)]
        made[-1] = re.sub(rb'<c r="(F\d+)" t="n"><v>2</v></c>', rb'<c r="\1" t="inlineStr"><is><t>hai</t></is></c>',
                          made[-1])
        return xml.replace(first, first + b"".join(made))
    return rewrite_zip(path, path, {VILLAGE_SHEET_PART: copies})


def huge_ods(path: Path) -> Path:
    """An ODS whose one filled row is repeated two million times."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Thôn"><table:table-row table:number-rows-repeated="2000000">'
        '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        '</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", _DATE), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(zipfile.ZipInfo("content.xml", _DATE), content, zipfile.ZIP_DEFLATED)
    return path


def word_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", _DATE), "<Types/>")
        archive.writestr(zipfile.ZipInfo("word/document.xml", _DATE), "<w:document/>")
    return path


# --- issue 13, classes 1 and 2: two places for one thing, implausible dates, same Ngày lập ---

SAME_DATE_OF = "10222-chau-can.xlsx"  # a sample return with errors: sent again, other figures, same date


# A figure of each sheet of a return from builders: `Số người sau sắp xếp`, a village's, an amount.
_A_FIGURE = {"Thông tin": "B7", "Thôn": "F4", "Thôi việc": "E4"}


def _copied_sheet(name: str, title: str, state: str) -> Callable[[Workbook], None]:
    """The sheet `name` copied as `title`, in `state`, one figure changed in the copy."""
    def edit(workbook: Workbook) -> None:
        copy_sheet(workbook, name, title, state)[_A_FIGURE[name]] = 1
    return edit


def _label_again(label: str, value) -> Callable[[Workbook], None]:
    """`label` written a second time, below the others, with `value`."""
    def edit(workbook: Workbook) -> None:
        workbook["Thông tin"].append([label, value])
    return edit


def _header_again(sheet: str, label: str) -> Callable[[Workbook], None]:
    """A column headed `label` (in capitals) added after the others, its cells filled."""
    def edit(workbook: Workbook) -> None:
        rows = workbook[sheet]
        column = rows.max_column + 1
        rows.cell(3, column, label.upper())
        for row in range(4, rows.max_row + 1):
            rows.cell(row, column, 1)
    return edit


def _sample_edited(name: str, edit: Callable[[Workbook], None]) -> Callable[[Path], Path]:
    """A sample return sent again, as `edit` leaves it."""
    def write(path: Path) -> Path:
        path.write_bytes((SAMPLE_INPUTS / "2020-11" / name).read_bytes())
        return _edit(path, edit)
    return write


def _info_value(label: str, value) -> Callable[[Workbook], None]:
    def edit(workbook: Workbook) -> None:
        sheet = workbook["Thông tin"]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label)
        sheet.cell(row, 2).value = value
    return edit


def _villages_reversed(workbook: Workbook) -> None:
    """The village rows in the opposite order: the same figures."""
    sheet = workbook["Thôn"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    for r, values in enumerate(reversed(rows), start=4):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c).value = value


def _both(*edits: Callable[[Workbook], None]) -> Callable[[Workbook], None]:
    def edit(workbook: Workbook) -> None:
        for each in edits:
            each(workbook)
    return edit


# --- issue 13, classes 3-4: workbooks that are small on disk and huge once read --------

SHARED_STRINGS = "xl/sharedStrings.xml"
TOO_MUCH_TEXT = "chữ trong các ô quá nhiều"
_XLSX_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _rows_of_cells(first_row: int, rows: int, columns: int, cell: Callable[[str], bytes]) -> bytes:
    """`rows` rows of `columns` cells from `first_row` (1-based), each written by `cell(reference)`."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    return b"".join(b'<row r="%d">' % r + b"".join(cell(f"{letter}{r}") for letter in letters) + b"</row>"
                    for r in range(first_row, first_row + rows))


def _append_rows(rows: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")


def shared_string_bomb(path: Path, length: int = 1_000_000, references: int = 4000, index: int = 0) -> Path:
    """A return whose `Thông tin` sheet refers `references` times to one shared string
    of `length` characters, the `index`th of the table: kilobytes on disk, gigabytes
    once each cell holds its copy."""
    _return(path)
    strings = [b"<si><t>Th&#244;n</t></si>"] * index + [b"<si><t>" + b"A" * length + b"</t></si>"]
    table = (b'<?xml version="1.0" encoding="UTF-8"?><sst ' + _XLSX_MAIN + b' count="%d" uniqueCount="%d">'
             % (references, len(strings)) + b"".join(strings) + b"</sst>")
    cells = _rows_of_cells(100, references // 50, 50, lambda ref: b'<c r="%s" t="s"><v>%d</v></c>' % (ref.encode(),
                                                                                                       index))
    return rewrite_zip(path, path, {FIRST_SHEET: _append_rows(cells)}, extra={SHARED_STRINGS: table})


def inline_string_bomb(path: Path, cells: int = 1500, length: int = 40_000) -> Path:
    """Each of `cells` cells holds its own text of `length` characters, one of them
    beyond the Basic Multilingual Plane, so Python stores the text at four bytes a
    character. The text varies every 64 characters: packed under the zip's ratio limit."""
    _return(path)

    def text(n: int) -> bytes:
        base = (b"x" * 63 + b"%d") * (length // 64)
        return (base % tuple(range(n, n + length // 64)))[:length - 4] + "😀".encode()
    body = _rows_of_cells(100, cells // 30, 30, lambda ref: b'<c r="%s" t="inlineStr"><is><t>' % ref.encode()
                          + text(hash(ref) % 1000) + b"</t></is></c>")
    return rewrite_zip(path, path, {FIRST_SHEET: _append_rows(body)})


def many_styles(path: Path, styles: int = 200_000) -> Path:
    """A style sheet of `styles` cell formats, its first font a legacy one (`.VnTime`),
    so the reader looks for the cells that use it."""
    _return(path)

    def more(xml: bytes) -> bytes:
        xml = re.sub(rb'(<name val=")[^"]*', rb"\1.VnTime", xml, count=1)
        xfs = b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>' % (n % 50_000)
                       for n in range(styles))
        return re.sub(rb'<cellXfs count="\d+">', b'<cellXfs count="%d">' % styles + xfs, xml, count=1)
    return rewrite_zip(path, path, {"xl/styles.xml": more})


def many_sheets(path: Path, sheets: int = 40, far: str = "XFD100") -> Path:
    """`sheets` sheets, each within the limits of one sheet (a cell at A1 and one at
    `far`): together far more cells than any return."""
    _return(path)
    part = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + _XLSX_MAIN + b'><sheetData>'
            b'<row r="1"><c r="A1"><v>1</v></c></row><row r="%s"><c r="%s"><v>1</v></c></row></sheetData></worksheet>'
            % (re.sub("[A-Z]", "", far).encode(), far.encode()))
    names = [f"Trang {n}" for n in range(1, sheets + 1)]

    def listed(xml: bytes) -> bytes:
        entries = b"".join(b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                           b'name="%s" sheetId="%d" r:id="rIdBom%d"/>' % (name.encode(), 100 + n, n)
                           for n, name in enumerate(names))
        return xml.replace(b"</sheets>", entries + b"</sheets>")

    def linked(xml: bytes) -> bytes:
        links = b"".join(b'<Relationship Id="rIdBom%d" Target="worksheets/bom%d.xml" Type="http://schemas.'
                         b'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>' % (n, n)
                         for n in range(sheets))
        return xml.replace(b"</Relationships>", links + b"</Relationships>")
    return rewrite_zip(path, path, {"xl/workbook.xml": listed, "xl/_rels/workbook.xml.rels": linked},
                       extra={f"xl/worksheets/bom{n}.xml": part for n in range(sheets)})


def _biff(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    """The BOF record opening the workbook globals (5) or a sheet (0x10), BIFF8."""
    return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0))


def xls_workbook(cells: bytes, sheet: str = "Thôn", dimensions: tuple[int, int] | None = None,
                 globals_: bytes = b"") -> bytes:
    """A BIFF8 workbook (.xls) of one sheet holding the cell records `cells`, the
    records `globals_` (a shared string table) before its sheet list; its DIMENSIONS
    record declares `dimensions` (rows, columns) when given."""
    name = sheet.encode("utf-16-le")
    head = _bof(0x0005) + _biff(0x0042, struct.pack("<H", 1200)) + globals_  # code page UTF-16
    sheet_at = len(head) + 4 + 8 + len(name) + 4  # after BOUNDSHEET and EOF
    head += _biff(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, len(sheet), 1) + name) + _biff(0x000A, b"")
    rows, columns = dimensions or (1, 1)
    return (head + _bof(0x0010) + _biff(0x0200, struct.pack("<IIHHH", 0, rows, 0, columns, 0)) + cells
            + _biff(0x000A, b""))


def xls_number(row: int, column: int, value: float = 1.0) -> bytes:
    return _biff(0x0203, struct.pack("<HHHd", row, column, 0, value))


def xls_mulrk(row: int, first: int, last: int) -> bytes:
    """A MULRK record: cells `first` to `last` of `row`, each the number 1."""
    return _biff(0x00BD, struct.pack("<HH", row, first) + struct.pack("<HI", 0, 0x3FF00000) * (last - first + 1)
                 + struct.pack("<H", last))


def xls_far_cells(path: Path, cells: bytes, dimensions: tuple[int, int] | None = None, globals_: bytes = b"") -> Path:
    path.write_bytes(compound_file({"Workbook": xls_workbook(xls_number(0, 0) + cells, dimensions=dimensions,
                                                             globals_=globals_)}))
    return path


def xls_shared_string_bomb(path: Path, length: int = 60_000, references: int = 4000) -> Path:
    """An .xls whose shared string table holds one string of `length` characters (an
    SST record and CONTINUE records, each opening with the flag byte of a string
    that goes on), which `references` LABELSST cells all show."""
    characters = b"A" * length
    first, rest = characters[:8000], characters[8000:]
    table = _biff(0x00FC, struct.pack("<IIHB", references, 1, length, 0) + first)
    table += b"".join(_biff(0x003C, b"\0" + rest[at:at + 8000]) for at in range(0, len(rest), 8000))
    cells = b"".join(_biff(0x00FD, struct.pack("<HHHI", 10 + n // 100, n % 100, 0, 0)) for n in range(references))
    return xls_far_cells(path, cells, globals_=table)


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def _ods(path: Path, table: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Thôn">{table}</table:table></office:spreadsheet>'
        '</office:body></office:document-content>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", _DATE), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(zipfile.ZipInfo("META-INF/manifest.xml", _DATE), ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("content.xml", _DATE), content, zipfile.ZIP_DEFLATED)
    return path


def ods_repeated_text(path: Path, length: int = 500_000, columns: int = 200, rows: int = 20) -> Path:
    """One cell of `length` characters, repeated over `columns` columns and `rows` rows."""
    cell = (f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string">'
            f'<text:p>{"A" * length}</text:p></table:table-cell>')
    return _ods(path, f'<table:table-row table:number-rows-repeated="{rows}">{cell}</table:table-row>')


def ods_repeated_spaces(path: Path, spaces: int = 50_000_000, columns: int = 20) -> Path:
    """A cell whose text is `spaces` spaces written as one `<text:s text:c="…"/>`, repeated over `columns`."""
    cell = (f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string">'
            f'<text:p>A<text:s text:c="{spaces}"/>B</text:p></table:table-cell>')
    return _ods(path, f"<table:table-row>{cell}</table:table-row>")


def ods_many_repeats(path: Path) -> Path:
    """A filled cell repeated over 2,000 columns in each of 2,000 rows: four million cells."""
    cell = ('<table:table-cell table:number-columns-repeated="2000" office:value-type="float" office:value="1">'
            '<text:p>1</text:p></table:table-cell>')
    return _ods(path, f'<table:table-row table:number-rows-repeated="2000">{cell}</table:table-row>')


# --- issue 13, class 1 in every file type: the same ambiguities in an .ods ----------------

_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return (f'<table:table-cell office:value-type="date" office:date-value="{day.isoformat()}">'
                f"<text:p>{day:%d/%m/%Y}</text:p></table:table-cell>")
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def ods_return(path: Path, edit: Callable[[Workbook], None]) -> Path:
    """A return from builders, edited, then saved as an .ods as LibreOffice lays one
    out: every sheet in tab order, a hidden one styled `table:display="false"`."""
    workbook = load_workbook(_edit(_return(path.with_suffix(".tmp.xlsx")), edit))
    path.with_suffix(".tmp.xlsx").unlink()
    tables = []
    for sheet in workbook.worksheets:
        name = sheet.title.replace("&", "&amp;").replace('"', "&quot;")
        style = ' table:style-name="an"' if sheet.sheet_state != "visible" else ""
        rows = "".join("<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>"
                       for row in sheet.iter_rows(values_only=True))
        tables.append(f'<table:table table:name="{name}"{style}>{rows}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES} '
               'office:version="1.2"><office:automatic-styles><style:style style:name="an" style:family="table">'
               '<style:table-properties table:display="false"/></style:style></office:automatic-styles>'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
               "</office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", _DATE), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(zipfile.ZipInfo("META-INF/manifest.xml", _DATE), ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("content.xml", _DATE), content, zipfile.ZIP_DEFLATED)
    return path


# --- the cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    file: str
    write: Callable[[Path, Path], Path]  # (path, secret file) → path
    treatment: str = "error"
    expect: str = ""  # a piece of the first message the terminal shows for the file

    @property
    def shown(self) -> str:
        """The name as the run prints it: bytes that are not UTF-8 as `\\xff`."""
        return display_name(self.file)


def _case(file: str, write: Callable[[Path], Path], expect: str = "", treatment: str = "error") -> Case:
    return Case(file, lambda path, _secret: write(path), treatment, expect)


HOSTILE_NAME = "Xã {{ 7*7 }} & <Lạ> \"nháy\" 'đơn' {% if true %}.xlsx"
HOSTILE_VILLAGE = "Thôn {{ 7*7 }} & <i>\"Mới\"</i> {% raw %}"

CASES: tuple[Case, ...] = (
    # not a workbook at all
    _case("csv-doi-ten.xlsx", lambda p: _write_text(p, "Mã đơn vị,Tên đơn vị\n10189,Đại Thắng\n"), "tệp chữ thuần"),
    _case("ban-scan.xlsx", lambda p: _write_text(p, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"),
          "tệp PDF"),
    _case("anh-chup.xlsx", lambda p: _write_text(p, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + _noise("jpeg", 400)),
          "ảnh chụp"),
    _case("trang-web.xls", lambda p: _write_text(p, "<html><body><table><tr><td>Mã đơn vị</td></tr></table>"),
          "trang web (HTML)"),
    _case("rong.xlsx", lambda p: _write_text(p, b""), "tệp rỗng"),
    _case("cat-cut.xlsx", lambda p: _write_text(p, _return(p).read_bytes()[:3000]), "cắt cụt"),
    _case("mat-khau.xlsx", encrypted_xlsx, "tệp đặt mật khẩu"),
    _case("xls-cu-doi-ten.xlsx", lambda p: _write_text(p, compound_file({"Workbook": _noise("biff", 5000)})),
          "Excel 97-2003"),
    _case("xlsx-doi-ten.xls", lambda p: _return(p.with_suffix(".tmp.xlsx")).rename(p), ".xlsx mang đuôi .xls"),
    _case("word-doi-ten.xlsx", word_document, "tệp Word"),
    # hostile containers
    _case("bom-nen.xlsx", zip_bomb, "bom nén"),
    _case("bom-nen-khai-gian.xlsx", lambda p: zip_bomb(p, declared=MIB), "cắt cụt hoặc hỏng"),
    _case("nhieu-phan.xlsx", lambda p: rewrite_zip(_return(p), p, extra={f"customXml/item{n}.xml": b"<a/>"
                                                                          for n in range(1200)}), "phần nén"),
    Case("xxe.xlsx", lambda p, secret: xxe_return(p, secret), "error", "DTD"),
    _case("ty-tiếng-cười.xlsx", billion_laughs_return, "DTD"),
    _case("trieu-dong.xlsx", lambda p: _edit(_return(p), _far_cell("A1048576")), "quá lớn"),
    _case("o-xa-nhat.xlsx", lambda p: _edit(_return(p), _far_cell("XFD1048576")), "quá lớn"),
    _case("trieu-dong.ods", huge_ods, "quá lớn"),
    # the right container, wrong inside
    _case("thieu-trang.xlsx", lambda p: _fixed_dates(write_return(p, info(UNKNOWN_CODE), [], [],
                                                                  drop_sheets=("Thôn", "Thôi việc"))),
          "thiếu trang tính"),
    _case("sai-tieu-de.xlsx", lambda p: _edit(_return(p), _misspelt_header), "Tên thôn"),
    _case("tieu-de-gop-o.xlsx", lambda p: _edit(_return(p), _merged_header), "Số người trước"),
    _case("cong-thuc-chua-tinh.xlsx", lambda p: _edit(_return(p), _formula_without_value), "ô B7"),
    _case("chu-thay-so.xlsx", lambda p: _return(p, people_before="mười hai"), "ô B6"),
    _case("so-am.xlsx", lambda p: _return(p, people_after=-3), "ô B7"),
    _case("so-le.xlsx", lambda p: _return(p, villages=[village("Thôn Một", titles=2.5)]), "ô D4"),
    _case("so-qua-lon.xlsx", lambda p: _return(p, commune_titles=10**15), "ô B5"),
    _case("tien-qua-lon.xlsx", lambda p: _return(p, severances=[severance("A", amount=10**18)]),
          "ô E4"),
    _case("ngay-bang-chu.xlsx", lambda p: _return(p, prepared_on="32/13/2020"), "ô B10"),
    _case("ky-khac.xlsx", lambda p: _return(p, period="10/2020"), "không có trong danh mục"),
    _case("ma-la.xlsx", lambda p: _return(p), "không có trong danh mục"),
    _case("ten-khong-khop.xlsx", lambda p: _fixed_dates(write_return(p, info("10189", "Đại Thắng Lạ"),
                                                                     [village("Thôn Một")], [])), "không khớp"),
    _case(DUPLICATE, duplicate_return, "đã được thay thế", "superseded"),
    _case("10000-thon.xlsx", many_villages, "ô F10003"),
    _case("ky-tu-dieu-khien.xlsx", control_characters, "ô B6"),
    _case(HOSTILE_NAME, lambda p: _return(p, villages=[village(HOSTILE_VILLAGE)] * 2),
          f"'{HOSTILE_VILLAGE}' (dòng 5, ô A5)): tên thôn ghi hai lần (dòng 4 và dòng 5)"),
    _case(os.fsdecode(b"bao-cao-\xff\xfe.xlsx"), lambda p: _return(p), "không có trong danh mục"),
    # not returns
    _case("~$10189.xlsx", lambda p: _write_text(p, b"\x0bLe Thi Hoa" + bytes(150)), treatment="silent"),
    _case(".~lock.10189.xlsx#", lambda p: _write_text(p, "Le Thi Hoa,may-1,12.11.2020 16:30,"), treatment="silent"),
    _case("ghi-chu.txt", lambda p: _write_text(p, "Xã Lạ gửi bổ sung sau.\n"), treatment="ignored"),
    _case("anh-ho-so.jpg", lambda p: _write_text(p, b"\xff\xd8\xff\xe0" + _noise("photo", 300)), treatment="ignored"),
    # issue 13, classes 1 and 2: two places for one thing; implausible dates; the same Ngày lập
    _case("trang-thon-trung-an.xlsx", lambda p: _edit(_return(p), _copied_sheet("Thôn", "thôn ", "hidden")),
          "có 2 trang tính cùng là trang 'Thôn': trang thứ 2 'Thôn' và trang thứ 4 'thôn ' (đang ẩn)"),
    _case("trang-thon-trung-hien.xlsx", lambda p: _edit(_return(p), _copied_sheet("Thôn", "THÔN", "visible")),
          "trang thứ 4 'THÔN'"),
    _case("trang-thong-tin-trung.xlsx",
          lambda p: _edit(_return(p), _copied_sheet("Thông tin", "Thông tin ", "veryHidden")),
          "cùng là trang 'Thông tin'"),
    _case("trang-thoi-viec-trung.xlsx",
          lambda p: _edit(_return(p), _copied_sheet("Thôi việc", unicodedata.normalize("NFD", "Thôi việc"),
                                                   "hidden")), "cùng là trang 'Thôi việc'"),
    _case("nhan-ghi-hai-lan.xlsx", lambda p: _edit(_return(p), _label_again("Số người sau sắp xếp", 5)),
          "nhãn 'Số người sau sắp xếp' ghi 2 lần ở cột A (dòng 7 và dòng 11): ô B7 ghi '8' và ô B11 ghi '5'"),
    _case("nhan-ma-ghi-hai-lan.xlsx", lambda p: _edit(_return(p), _label_again("  mã ĐƠN VỊ", "10189")),
          "nhãn 'Mã đơn vị' ghi 2 lần"),
    _case("cot-thon-hai-lan.xlsx", lambda p: _edit(_return(p), _header_again("Thôn", "Số người sau")),
          "cột 'Số người sau' ghi 2 lần ở dòng tiêu đề (ô F3 và ô G3)"),
    _case("cot-thoi-viec-hai-lan.xlsx", lambda p: _edit(_return(p), _header_again("Thôi việc", "Số tiền")),
          f"cột 'Số tiền' ghi 2 lần ở dòng tiêu đề (ô E3 và ô {get_column_letter(len(SEVERANCE_COLUMNS) + 1)}3)"),
    _case("thoi-viec-ghi-hai-lan.xlsx", lambda p: _return(p, severances=[severance("Nguyễn Văn An")] * 2),
          "Ông (bà) 'Nguyễn Văn An' (dòng 5, ô A5)): Phó Chỉ huy trưởng Quân sự, cấp Xã, ghi hai lần (dòng 4 và dòng 5)"),
    _case("ngay-lap-nam-2202.xlsx", lambda p: _return(p, prepared_on=dt.date(2202, 11, 12)),
          "'Ngày lập' ghi 12/11/2202, sau ngày kiểm tra báo cáo"),
    _case("ngay-lap-nam-2002.xlsx", lambda p: _return(p, prepared_on=dt.date(2002, 11, 12)),
          "'Ngày lập' ghi 12/11/2002, trước kỳ báo cáo (tháng 11 năm 2020) hơn một năm"),
    _case("ngay-chi-tra-nam-2202.xlsx",
          lambda p: _return(p, severances=[severance("Nguyễn Văn An", paid_on=dt.date(2202, 1, 5))]),
          "'Ngày chi trả' ghi 05/01/2202, sau ngày kiểm tra báo cáo"),
    # Other figures, dated 2202: it would have won; its date is not read, so the sample's file counts.
    _case("10189-nam-2202.xlsx", _sample_edited(DUPLICATE_OF, _both(_info_value("Số người sau sắp xếp", 3),
                                                                   _info_value("Ngày lập", dt.datetime(2202, 11, 12)))),
          "đã được thay thế", "superseded"),
    # The same date and the same figures, rows in another order: counted once, as the sample's file.
    _case("10189_ban_sao.xlsx", _sample_edited(DUPLICATE_OF, _villages_reversed), "đã được thay thế",
          "superseded"),
    # The same date, other figures, beside a sample return that has errors: neither counts (none did).
    _case("10222-chau-can-ban-khac.xlsx", _sample_edited(SAME_DATE_OF, _info_value("Số người trước sắp xếp", 20)),
          f"trùng với tệp «{SAME_DATE_OF}» (Thông tin!B12)"),
    # issue 13, classes 5-7: names that would forge lines or clear the terminal, shown escaped
    _case("xa-la\r\n  ✗ gia-mao.xlsx: 0 lỗi.xlsx", lambda p: _return(p), "không có trong danh mục"),
    _case("\x1b[2J\x1b]0;x\x07xoa-man-hinh\u202e.xlsx", lambda p: _return(p), "không có trong danh mục"),
    # issue 13, classes 3-4
    _case("chuoi-chung-4000-o.xlsx", shared_string_bomb, TOO_MUCH_TEXT),
    _case("chuoi-chung-cuoi-bang.xlsx", lambda p: shared_string_bomb(p, 200_000, 300, index=50), TOO_MUCH_TEXT),
    _case("chu-rieng-tung-o.xlsx", inline_string_bomb, TOO_MUCH_TEXT),
    _case("nhieu-kieu-o.xlsx", many_styles, "xl/styles.xml trong bảng tính quá lớn"),
    _case("bon-muoi-trang.xlsx", many_sheets, "các trang tính cộng lại quá lớn"),
    _case("o-xa-nhat.xls", lambda p: xls_far_cells(p, xls_number(65535, 255)), "trang Thôn quá lớn: 65.536 dòng"),
    _case("dong-o-xa.xls", lambda p: xls_far_cells(p, xls_mulrk(65535, 250, 255)), "trang Thôn quá lớn: 65.536 dòng"),
    _case("kich-thuoc-khai-lon.xls", lambda p: xls_far_cells(p, xls_number(3, 3), dimensions=(65536, 256)),
          "thiếu trang tính"),
    _case("chuoi-chung.xls", xls_shared_string_bomb, TOO_MUCH_TEXT),
    _case("chu-lap-lai.ods", ods_repeated_text, TOO_MUCH_TEXT),
    _case("dau-cach-lap-lai.ods", ods_repeated_spaces, TOO_MUCH_TEXT),
    _case("o-lap-lai.ods", ods_many_repeats, "trang Thôn quá lớn: 2.000 dòng × 2.000 cột"),
    # issue 13, class 1 in .ods: the same ambiguities, in LibreOffice's format
    _case("trang-thon-trung.ods", lambda p: ods_return(p, _copied_sheet("Thôn", "thôn ", "visible")),
          "có 2 trang tính cùng là trang 'Thôn': trang thứ 2 'Thôn' và trang thứ 4 'thôn '"),
    _case("trang-thoi-viec-trung-an.ods", lambda p: ods_return(p, _copied_sheet("Thôi việc", " Thôi việc ", "hidden")),
          "trang thứ 4 ' Thôi việc ' (đang ẩn)"),
    _case("nhan-ghi-hai-lan.ods", lambda p: ods_return(p, _label_again("Số người trước sắp xếp", 30)),
          "nhãn 'Số người trước sắp xếp' ghi 2 lần ở cột A"),
    _case("cot-thon-hai-lan.ods", lambda p: ods_return(p, _header_again("Thôn", "Số chức danh")),
          "cột 'Số chức danh' ghi 2 lần ở dòng tiêu đề"),
)


def write_corpus(folder: Path, secret: Path) -> tuple[Case, ...]:
    """Every case written into `folder`; `secret` is the file the XXE case points at."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        case.write(folder / case.file, secret)
    return CASES
