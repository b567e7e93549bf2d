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
    directory alike: `method`, `crc`, `compressed` and `size` (uncompressed)."""
    layouts = (
        (b"PK\x03\x04", 30, {"method": (8, "<H"), "crc": (14, "<I"), "compressed": (18, "<I"), "size": (22, "<I")}),
        (b"PK\x01\x02", 46, {"method": (10, "<H"), "crc": (16, "<I"), "compressed": (20, "<I"), "size": (24, "<I")}),
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
    """A version-3 Compound File holding `streams` under the root: one FAT sector,
    one directory sector (up to three streams, names in the directory's order: by
    length, then by upper-case text), each stream padded with zeros to 4096 bytes so
    it lives in regular sectors, not the mini stream."""
    assert len(streams) <= 3
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    fat = [_FAT_SECTOR, _END]
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
    assert len(fat) <= _SECTOR // 4
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(_SECTOR, b"\xff")
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3,
                         0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, _END, 0, _END, 0)
    header += struct.pack("<109I", 0, *[_FREE] * 108)
    return header + fat_sector + directory + data


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
          f"thôn '{HOSTILE_VILLAGE}' ghi hai lần"),
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
          "cột 'Số tiền' ghi 2 lần ở dòng tiêu đề (ô E3 và ô G3)"),
    _case("thoi-viec-ghi-hai-lan.xlsx", lambda p: _return(p, severances=[severance("Nguyễn Văn An")] * 2),
          "'Nguyễn Văn An' (Phó Chỉ huy trưởng Quân sự, cấp Xã) ghi hai lần (dòng 4 và dòng 5)"),
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
)


def write_corpus(folder: Path, secret: Path) -> tuple[Case, ...]:
    """Every case written into `folder`; `secret` is the file the XXE case points at."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        case.write(folder / case.file, secret)
    return CASES
