"""The checks a file passes before calamine reads it, and what reading gives back."""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from builders import info, village, write_return
from hostile_corpus import (
    DTD,
    FIRST_SHEET,
    GIB,
    MIB,
    SECRET_MARKER,
    TOO_MUCH_TEXT,
    _strip_declaration,
    compound_file,
    encrypted_xlsx,
    huge_ods,
    inline_string_bomb,
    laughing_styles,
    many_sheets,
    many_villages,
    ods_repeated_spaces,
    ods_repeated_text,
    rewrite_zip,
    shared_string_bomb,
    xls_far_cells,
    xls_mulrk,
    xls_number,
    xls_shared_string_bomb,
    xls_workbook,
    zip_bomb,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from legacy_workbooks import write_legacy_return

import pipeline.intake.workbooks as workbooks
from pipeline.intake.cells import cell_name, without_controls
from pipeline.intake.ingest import display_name
from pipeline.intake.legacy_fonts import legacy_font_cells, legacy_fonts_in_archive
from pipeline.intake.workbooks import UnreadableWorkbook, check_file, read_sheets
from pipeline.vn.legacy import LegacyEncoding, to_unicode


def legacy_fonts_in(path: Path) -> frozenset:
    """The legacy encodings the style sheet of the workbook at `path` names."""
    with zipfile.ZipFile(path) as archive:
        return legacy_fonts_in_archive(archive)


PREPARER = "Le Thi Hoa"  # ASCII: openpyxl writes other letters as character references


def good_return(path: Path) -> Path:
    return write_return(path, info(prepared_by=PREPARER), [village("Thôn Đông")], [])


def refusal(path: Path) -> UnreadableWorkbook:
    with pytest.raises(UnreadableWorkbook) as caught:
        read_sheets(path)
    error = caught.value
    assert error.found and error.expected and error.fix  # what is wrong, what is wanted, how to fix it
    return error


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET_MARKER)
    return path


# --- what the file is -----------------------------------------------------------------


@pytest.mark.parametrize("name, content, found", [
    ("rong.xlsx", b"", "tệp rỗng"),
    ("csv.xlsx", "Mã đơn vị,Tên\n10183,Nam Tiến\n".encode(), "tệp chữ thuần (ví dụ CSV) mang đuôi .xlsx"),
    ("scan.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "tệp PDF mang đuôi .xlsx"),
    ("anh.xls", b"\x89PNG\r\n\x1a\n" + bytes(100), "ảnh chụp mang đuôi .xls"),
    ("web.xls", b"\xef\xbb\xbf<html><table><tr><td>1</td></tr></table></html>", "trang web (HTML) mang đuôi .xls"),
    ("xml.xls", b'<?xml version="1.0"?><Workbook/>', "tệp XML mang đuôi .xls"),
    ("rac.xlsx", bytes(range(256)) * 4, "tệp không phải bảng tính dù mang đuôi .xlsx"),
])
def test_files_that_are_no_workbook_say_what_they_are(tmp_path, name, content, found):
    path = tmp_path / name
    path.write_bytes(content)
    assert refusal(path).found.startswith(found)


def test_a_truncated_workbook_is_told_from_one_that_never_was(tmp_path):
    whole = good_return(tmp_path / "whole.xlsx").read_bytes()
    for size in (100, len(whole) // 2, len(whole) - 10):
        cut = tmp_path / f"cut-{size}.xlsx"
        cut.write_bytes(whole[:size])
        assert refusal(cut).found == "tệp bị cắt cụt hoặc hỏng"


def test_a_password_protected_xlsx_asks_for_the_password_to_go(tmp_path):
    error = refusal(encrypted_xlsx(tmp_path / "mat-khau.xlsx"))
    assert (error.found, error.expected) == ("tệp đặt mật khẩu", "gỡ mật khẩu rồi gửi lại")
    assert "Mã hóa bằng Mật khẩu" in error.fix


def test_an_encrypted_package_is_known_by_its_directory_not_its_bytes(tmp_path):
    """The stream names count only where a directory entry starts; inside a stream
    they are data, and an .xls holding them is an .xls."""
    data = compound_file({"Workbook": "EncryptionInfo EncryptedPackage".encode("utf-16-le")})
    assert not workbooks.is_encrypted_package(data)
    assert workbooks.is_encrypted_package(encrypted_xlsx(tmp_path / "e.xlsx").read_bytes())
    assert check_file(data, ".xls") is None  # an .xls: passes on to calamine, no zip to look into
    (tmp_path / "cu.xlsx").write_bytes(data)
    assert refusal(tmp_path / "cu.xlsx").found == "tệp Excel 97-2003 (.xls) mang đuôi .xlsx"


def test_workbooks_under_the_wrong_extension(tmp_path):
    renamed = good_return(tmp_path / "a.xlsx").rename(tmp_path / "a.xls")
    assert refusal(renamed).found == "tệp .xlsx mang đuôi .xls"
    with zipfile.ZipFile(tmp_path / "van-ban.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(tmp_path / "van-ban.xlsx").found == "tệp Word (.docx) mang đuôi .xlsx, không phải bảng tính"


def test_limits_on_the_file_and_its_parts(tmp_path, monkeypatch):
    path = good_return(tmp_path / "a.xlsx")
    monkeypatch.setattr(workbooks, "MAX_FILE_BYTES", 1000)
    assert refusal(path).found.startswith("tệp quá lớn")
    monkeypatch.undo()
    crowded = rewrite_zip(path, tmp_path / "crowded.xlsx",
                          extra={f"customXml/item{n}.xml": b"<a/>" for n in range(workbooks.MAX_ZIP_ENTRIES)})
    assert "phần nén" in refusal(crowded).found


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path):
    bomb = zip_bomb(tmp_path / "bom.xlsx", inflated=3 * GIB)
    assert bomb.stat().st_size < 5 * MIB
    assert "bom nén" in refusal(bomb).found


def test_a_zip_bomb_that_lies_about_its_size_inflates_no_more_than_it_says(tmp_path):
    bomb = zip_bomb(tmp_path / "bom.xlsx", inflated=3 * GIB, declared=MIB)
    assert refusal(bomb).found == "tệp bị cắt cụt hoặc hỏng"


def test_a_part_packed_too_tight_is_refused_while_small_ones_pass(tmp_path):
    path = good_return(tmp_path / "a.xlsx")
    tight = rewrite_zip(path, tmp_path / "tight.xlsx", extra={"xl/media/zeros.bin": bytes(2 * MIB)})
    assert "bom nén" in refusal(tight).found
    small = rewrite_zip(path, tmp_path / "small.xlsx", extra={"xl/media/zeros.bin": bytes(MIB // 2)})
    assert read_sheets(small)["Thôn"][3][0] == "Thôn Đông"


# --- what the sheets hold ---------------------------------------------------------------


@pytest.mark.parametrize("far, grid", [("XFD1048576", "1.048.576 dòng × 16.384 cột"),
                                       ("A1048576", "1.048.576 dòng × 6 cột"),
                                       ("XFD400", "400 dòng × 16.384 cột")])
def test_a_sheet_too_big_is_refused_before_calamine_lays_it_out(tmp_path, far, grid):
    """Two cells a million rows apart would have calamine allocate the whole grid and
    abort the process; they are measured in the XML first."""
    path = good_return(tmp_path / "a.xlsx")
    from openpyxl import load_workbook
    workbook = load_workbook(path)
    workbook["Thôn"][far] = "x"
    workbook.save(path)
    error = refusal(path)
    assert error.found.startswith(f"trang Thôn quá lớn: {grid}")
    assert "Thôn" in error.fix


def test_cells_without_references_are_placed_one_after_another(tmp_path, monkeypatch):
    """calamine places a cell without `r` next to the one before: so is it measured."""
    path = good_return(tmp_path / "a.xlsx")
    rows = b"".join(b"<row>" + b"<c><v>1</v></c>" * 3 + b"</row>" for _ in range(4))
    rewrite_zip(path, path, {FIRST_SHEET: lambda xml: xml.split(b"<sheetData>")[0] + b"<sheetData>" + rows
                             + b"</sheetData>" + xml.split(b"</sheetData>")[1]})
    assert read_sheets(path)["Thông tin"] == [[1.0, 1.0, 1.0]] * 4
    monkeypatch.setattr(workbooks, "MAX_SHEET_CELLS", 100)
    rows = b"<row>" + b"<c><v>1</v></c>" * 101 + b"</row>"
    rewrite_zip(path, path, {FIRST_SHEET: lambda xml: xml.split(b"<sheetData>")[0] + b"<sheetData>" + rows
                             + b"</sheetData>" + xml.split(b"</sheetData>")[1]})
    assert "quá lớn" in refusal(path).found


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), min_size=1, max_size=20))
def test_the_measured_grid_is_the_one_calamine_gives(tmp_path, cells):
    """Whatever cells a sheet holds, the grid measured in the XML is the grid read."""
    by_row: dict[int, list[int]] = {}
    for row, column in sorted(set(cells)):
        by_row.setdefault(row, []).append(column)
    xml = "".join(f'<row r="{row + 1}">' + "".join(f'<c r="{cell_name(row, c)}"><v>1</v></c>' for c in columns)
                  + "</row>" for row, columns in by_row.items()).encode()
    sheet = workbooks._XlsxSheet("Thôn")
    part = b"<worksheet><sheetData>" + xml + b"</sheetData></worksheet>"
    workbooks._measure(part, sheet)
    assert (sheet.rows, sheet.columns) == (max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1)
    assert workbooks._plain_extent(part) == (sheet.rows, sheet.columns)  # measured without the walk
    path = good_return(tmp_path / "p.xlsx")
    rewrite_zip(path, path, {FIRST_SHEET: lambda old: old.split(b"<sheetData>")[0] + b"<sheetData>" + xml
                             + b"</sheetData>" + old.split(b"</sheetData>")[1]})
    grid = read_sheets(path)["Thông tin"]
    assert (len(grid), max(len(row) for row in grid)) == (sheet.rows, sheet.columns)


class UnboundedSheet(workbooks._XlsxSheet):
    """The walk, recording how far the cells reach without refusing any grid."""

    def reach(self, rows: int, columns: int) -> None:
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)


def walked(part: bytes) -> tuple[int, int]:
    sheet = UnboundedSheet("Thôn")
    workbooks._measure(part, sheet)
    return sheet.rows, sheet.columns


# References no tool should write, character references, and decoy tags that are not cells.
ODD_REFERENCES = ("", "a1", "A0", "A01", "1A", "AAAA1", "A12345678", "$B$2", " C3", "D4 ", "R1C1", "&#69;5", "E&#54;")
CELL_NAMES = ("c", "c", "x:c", "a:b:c", "cc", "x:cx", "rc")
VALUES = ("", "<v>1</v>", '<is><t>&lt;c r="XFD9"&gt;</t></is>')
# What a tool never writes in a sheet part but the XML allows: each sends the part to the walk.
ASIDES = ('<!-- <c r="XFD1048576"/> -->', '<?note <c r="XFD1048576"?>', '<![CDATA[<c r="XFD1048576">]]>')


@st.composite
def cell_tags(draw, plainly: bool) -> str:
    """A cell, or a decoy; written `<c r="F7"` as tools do when `plainly`, any way otherwise."""
    name = draw(st.sampled_from(CELL_NAMES))
    plain = st.builds(cell_name, st.integers(0, 1_100_000), st.integers(0, 20_000))
    reference = draw(plain if plainly else st.one_of(st.none(), plain, st.sampled_from(ODD_REFERENCES)))
    quote = '"' if plainly else draw(st.sampled_from(['"', "'"]))
    attributes = [] if reference is None else [f"r={quote}{reference}{quote}"]
    if draw(st.booleans()):
        attributes.insert(len(attributes) if plainly else draw(st.integers(0, len(attributes))), 's="1"')
    space = " " if plainly else draw(st.sampled_from([" ", "  ", "\n\t"]))
    start = name + "".join(space + attribute for attribute in attributes)
    value = draw(st.sampled_from(VALUES))
    return f"<{start}>{value}</{name}>" if value else f"<{start}/>"


@st.composite
def sheet_parts(draw) -> bytes:
    """Rows of cells (all written plainly, or any way), maybe an aside, in UTF-8 or UTF-16."""
    prefix = draw(st.sampled_from(["", "x:"]))
    cell = cell_tags(draw(st.booleans()))
    rows = draw(st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 1_100_000)), st.lists(cell, max_size=6)),
                         max_size=6))
    body = "".join(f"<{prefix}row" + ("" if number is None else f' r="{number}"') + ">" + "".join(cells)
                   + f"</{prefix}row>" for number, cells in rows)
    aside = draw(st.sampled_from(("", "<x:extLst/>") + ASIDES))
    declaration = draw(st.sampled_from(["", '<?xml version="1.0"?>\n']))
    text = f"{declaration}<worksheet><sheetData>{body}<is><t>{aside}</t></is></sheetData></worksheet>"
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16"])))


@settings(max_examples=300)
@given(sheet_parts())
def test_the_quick_measure_never_falls_short_of_the_walk(part):
    """The walk places cells as calamine does. The quick measure, when it answers at
    all, gives the same grid whatever the tags, references and asides; and a part it
    lets through, the walk lets through too."""
    quick = workbooks._plain_extent(part)
    assert quick is None or quick == walked(part)
    if workbooks._fits_plainly(part):
        workbooks._measure(part, workbooks._XlsxSheet("Thôn"))


def test_a_broken_sheet_is_never_measured_quickly():
    part = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row><c r="B2"></row></sheetData></worksheet>'
    assert workbooks._plain_extent(part) == (2, 2)
    assert not workbooks._fits_plainly(part)


def test_a_huge_sheet_part_is_walked(monkeypatch):
    """The walk streams; the quick measure lists every cell."""
    part = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    assert workbooks._plain_extent(part) == (1, 1)
    monkeypatch.setattr(workbooks, "_PLAIN_MAX_BYTES", len(part) - 1)
    assert workbooks._plain_extent(part) is None


def with_rows(rows: bytes) -> Callable[[bytes], bytes]:
    """A sheet part's rows replaced by `rows`."""
    return lambda xml: (xml.split(b"<sheetData>")[0] + b"<sheetData>" + rows + b"</sheetData>"
                        + xml.split(b"</sheetData>")[1])


@pytest.mark.parametrize("rows, found", [
    # The walk meets the far cell before the XML breaks off: too big, as ever.
    (b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row><row><c r="B2"></row>',
     "trang Thông tin quá lớn: 1.048.576 dòng × 16.384 cột"),
    (b'<row r="1"><c r="A1"><v>1</v></c></row><row><c r="B2"></row>',
     "tệp bị cắt cụt hoặc hỏng (phần Thông tin đọc không được)"),
    # Named by the first cell too far, not the farthest.
    (b'<row r="1"><c r="A1048576"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>',
     "trang Thông tin quá lớn: 1.048.576 dòng × 1 cột"),
    # Cells written otherwise than `<c r="F7"` are walked.
    (b'<row r="1"><x:c r="XFD1048576"><v>1</v></x:c></row>', "trang Thông tin quá lớn: 1.048.576 dòng × 16.384 cột"),
    (b'<row r="1"><c s="0" r="XFD1048576"><v>1</v></c></row>', "trang Thông tin quá lớn: 1.048.576 dòng × 16.384 cột"),
    (b'<row r="1"><c r="&#88;FD1048576"><v>1</v></c></row>', "trang Thông tin quá lớn: 1.048.576 dòng × 16.384 cột"),
])
def test_sheets_are_refused_with_the_walks_message(tmp_path, rows, found):
    path = rewrite_zip(good_return(tmp_path / "a.xlsx"), tmp_path / "a.xlsx", {FIRST_SHEET: with_rows(rows)})
    assert refusal(path).found.startswith(found)


def test_a_far_cell_in_a_comment_is_no_cell(tmp_path):
    rows = b'<!-- <c r="XFD1048576"/> --><row r="1"><c r="A1"><v>1</v></c></row>'
    path = rewrite_zip(good_return(tmp_path / "a.xlsx"), tmp_path / "a.xlsx", {FIRST_SHEET: with_rows(rows)})
    assert read_sheets(path)["Thông tin"] == [[1.0]]


def test_ten_thousand_villages_are_read(tmp_path):
    grid = read_sheets(many_villages(tmp_path / "thon.xlsx"))["Thôn"]
    assert len(grid) == 10_003
    assert grid[-1][:1] + grid[-1][5:] == ["Thôn số 10000", "hai"]


def test_ods_repeats_count_only_when_they_repeat_something(tmp_path):
    assert refusal(huge_ods(tmp_path / "lon.ods")).found.startswith("trang Thôn quá lớn: 2.000.000 dòng")
    # LibreOffice ends every sheet with the empty rest of it, repeated.
    sheet = workbooks._OdsSheets("content.xml")
    workbooks._measure(
        b'<d xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><t:table t:name="Thon">'
        b'<t:table-row><t:table-cell o:value-type="string"><p>a</p></t:table-cell>'
        b'<t:table-cell t:number-columns-repeated="1023"/></t:table-row>'
        b'<t:table-row t:number-rows-repeated="1048575"><t:table-cell t:number-columns-repeated="1024"/>'
        b'</t:table-row></t:table></d>', sheet)
    assert (sheet.rows, sheet.columns) == (1, 1)


# --- hostile XML ------------------------------------------------------------------------


def test_a_dtd_in_any_part_is_refused_and_the_entity_never_read(tmp_path, secret):
    path = good_return(tmp_path / "a.xlsx")
    rewrite_zip(path, path, {FIRST_SHEET: lambda xml: DTD.format(secret=secret).encode() + _strip_declaration(xml)
                             .replace(PREPARER.encode(), b"&xxe;")})
    error = refusal(path)
    assert "DTD" in error.found and SECRET_MARKER not in str(error)
    utf16 = good_return(tmp_path / "b.xlsx")
    rewrite_zip(utf16, utf16, {"docProps/app.xml": lambda _: '<?xml version="1.0" encoding="UTF-16"?>'
                               '<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'.encode("utf-16")})
    assert "DTD" in refusal(utf16).found


def test_style_sheet_reader_resolves_no_external_entity(tmp_path, secret):
    """`legacy_fonts` parses styles with the standard library's expat: no external
    entity is fetched, entity expansion is bounded, even called on its own."""
    path = write_legacy_return(tmp_path / "a.xlsx", LegacyEncoding.TCVN3, True, info(), [village("Thôn Đông")], [])

    def external_font(xml: bytes) -> bytes:
        return DTD.format(secret=secret).encode() + _strip_declaration(xml).replace(b'val=".VnTime"', b'val="&xxe;"')
    rewrite_zip(path, tmp_path / "xxe.xlsx", {"xl/styles.xml": external_font})
    with pytest.raises(ElementTree.ParseError, match="external entity"):
        legacy_fonts_in(tmp_path / "xxe.xlsx")
    rewrite_zip(path, tmp_path / "lol.xlsx", {"xl/styles.xml": laughing_styles})
    with pytest.raises(ElementTree.ParseError, match="amplification"):
        legacy_fonts_in(tmp_path / "lol.xlsx")


def test_cell_reader_resolves_no_external_entity(tmp_path, secret):
    """openpyxl, which reads the cells' fonts, refuses the entity too."""
    path = write_legacy_return(tmp_path / "a.xlsx", LegacyEncoding.TCVN3, True, info(), [village("Thôn Đông")], [])
    rewrite_zip(path, path, {FIRST_SHEET: lambda xml: DTD.format(secret=secret).encode()
                             + _strip_declaration(xml).replace(b"<is><t>", b"<is><t>&xxe;", 1)})
    with pytest.raises(ElementTree.ParseError, match="undefined entity"):
        legacy_font_cells(path)


# --- what comes out -----------------------------------------------------------------------


def test_control_characters_never_come_out(tmp_path):
    path = good_return(tmp_path / "a.xlsx")
    rewrite_zip(path, path, {FIRST_SHEET: lambda xml: xml.replace(PREPARER.encode(),
                                                                  "Le_x001B_[2J Thi_x0007_\u202e Hoa".encode()),
                             "xl/workbook.xml": lambda xml: xml.replace(b'name="Th', b'name="&#x1B;]0;x&#x07;Th')})
    sheets = read_sheets(path)
    assert "Le[2J Thi Hoa" in [row[1] for row in sheets["]0;xThông tin"] if len(row) > 1]


@given(st.text())
def test_without_controls_keeps_everything_printable(text):
    cleaned = without_controls(text)
    assert not any(ord(ch) < 32 and ch not in "\t\n\r" or 0x7F <= ord(ch) <= 0x9F for ch in cleaned)
    assert cleaned == "".join(ch for ch in text if ch in cleaned)
    assert without_controls("Nguyễn Văn A\t& <b> {{ 7*7 }}") == "Nguyễn Văn A\t& <b> {{ 7*7 }}"


CELL_TEXTS = st.one_of(st.text(), st.text(st.characters(max_codepoint=0x2FF)),
                      st.sampled_from(["", "Thôn", "Nam TiÕn", "Nam Tieán", "Le_x001B_[2J\u202e", "Thôn Đông " * 12]))


@given(st.lists(st.tuples(CELL_TEXTS, st.sampled_from([None, *LegacyEncoding])), max_size=8))
def test_texts_cleaned_once_are_cleaned_alike(cells):
    for _ in range(2):  # the second time from the cache
        for text, font in cells:
            assert workbooks._clean(text, font) == without_controls(to_unicode(text, font))


def test_a_formula_without_its_value_reads_as_blank_never_zero(tmp_path):
    from openpyxl import load_workbook
    path = good_return(tmp_path / "a.xlsx")
    workbook = load_workbook(path)
    workbook["Thông tin"]["B7"] = "=B6-4"  # openpyxl stores no computed value
    workbook.save(path)
    row = read_sheets(path)["Thông tin"][6]
    assert row[0] == "Số người sau sắp xếp" and row[1:] in ([], [""], [None])


def test_a_file_name_that_is_not_utf8_is_read_and_printable(tmp_path):
    path = good_return(Path(os.fsdecode(os.fsencode(tmp_path) + b"/bao-cao-\xff.xlsx")))
    assert read_sheets(path)["Thôn"][3][0] == "Thôn Đông"
    assert display_name(path.name) == "bao-cao-\\xff.xlsx"  # the byte, visibly
    assert display_name("Ba\u0301o ca\u0301o\x1b[2J.xlsx") == "Báo cáo\\x1b[2J.xlsx"


# --- issue 13, class 4: what calamine lays out is bounded before it does ----------------------


def test_a_shared_string_counts_once_for_each_cell_that_shows_it(tmp_path):
    """calamine copies a shared string into every cell that refers to it."""
    small = read_sheets(shared_string_bomb(tmp_path / "small.xlsx", length=5_000, references=100))
    assert sum(row.count("A" * 5_000) for row in small["Thông tin"]) == 100
    for index in (0, 50):
        error = refusal(shared_string_bomb(tmp_path / f"bomb-{index}.xlsx", 200_000, 300, index=index))
        assert error.found.startswith(f"{TOO_MUCH_TEXT}: đến trang Thông tin, đọc ra đã hơn 57,")


def test_a_shared_string_is_never_counted_short_when_calamine_skips_one_before_it():
    """An `<si/>` holds no text and calamine skips it, so the strings after it move
    down one index: each index counts the longest string from there on."""
    table = b'<sst><si/><si><t>' + b"A" * 1000 + b'</t></si><si><t>b</t></si></sst>'
    sizes = workbooks._shared_string_sizes(table, "xl/sharedStrings.xml")
    assert sizes[0] >= 1000 and sizes[1] >= 1000 and sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize("aside, strings", [(b"<!-- <si> -->", 1), (b"<?pi <si>?>", 1),
                                            (b"<si><t><![CDATA[<si>]]></t></si>", 2)])
def test_shared_strings_with_asides_are_sized_by_the_walk(aside, strings):
    """A `<si>` in a comment or CDATA section is no string: it would move the others up."""
    table = b'<?xml version="1.0"?><sst>' + aside + b"<si><t>" + b"A" * 500 + b"</t></si></sst>"
    for written in (table, table.decode().encode("utf-16")):
        sizes = workbooks._shared_string_sizes(written, "xl/sharedStrings.xml")
        assert len(sizes) == strings and sizes[-1] >= 500


def test_a_broken_shared_string_table_is_refused():
    with pytest.raises(UnreadableWorkbook, match="phần xl/sharedStrings.xml đọc không được"):
        workbooks._shared_string_sizes(b"<sst><si><t>a</si></sst>", "xl/sharedStrings.xml")


@pytest.mark.parametrize("value", [b"<v>&#48;</v>", b"<x:v>0</x:v>", b"<v> 0 </v>"])
def test_every_way_of_writing_a_reference_counts(value):
    part = b'<worksheet><sheetData><row r="1"><c r="A1" t="s">' + value + b"</c></row></sheetData></worksheet>"
    sheet = workbooks._XlsxSheet("Thôn")
    workbooks._measure(part, sheet)
    assert sheet.references == {0: 1}
    quick = workbooks._plain_references(part)
    assert quick is None or quick == sheet.references


def test_text_a_sheet_holds_itself_counts_by_its_size(tmp_path):
    assert refusal(inline_string_bomb(tmp_path / "a.xlsx")).found.startswith(TOO_MUCH_TEXT)


def test_the_cells_of_every_sheet_count_together(tmp_path, monkeypatch):
    found = refusal(many_sheets(tmp_path / "many.xlsx")).found
    assert found.startswith("các trang tính cộng lại quá lớn: đến trang Trang 2 đã có 3.276.886 ô")
    assert read_sheets(many_sheets(tmp_path / "one.xlsx", sheets=1))  # one such sheet alone is read
    monkeypatch.setattr(workbooks, "MAX_WORKBOOK_CELLS", 20)  # each sheet of a return is within it, not all
    assert "cộng lại quá lớn" in refusal(good_return(tmp_path / "good.xlsx")).found


def test_ods_text_counts_once_for_each_cell_it_is_repeated_into(tmp_path):
    grid = read_sheets(ods_repeated_text(tmp_path / "small.ods", length=100, columns=3, rows=2))["Thôn"]
    assert grid == [["A" * 100] * 3] * 2  # calamine repeats the text: so does the count
    spaces = read_sheets(ods_repeated_spaces(tmp_path / "spaces.ods", spaces=5, columns=2))["Thôn"]
    assert spaces == [["A     B"] * 2]
    assert refusal(ods_repeated_text(tmp_path / "bomb.ods")).found.startswith(TOO_MUCH_TEXT)
    assert refusal(ods_repeated_spaces(tmp_path / "bomb-spaces.ods")).found.startswith(TOO_MUCH_TEXT)


@pytest.mark.parametrize("cells, found", [
    (xls_number(65535, 255), "trang Thôn quá lớn: 65.536 dòng × 256 cột"),
    (xls_mulrk(65535, 250, 255), "trang Thôn quá lớn: 65.536 dòng × 256 cột"),
    (xls_number(19_999, 100), "trang Thôn quá lớn: 20.000 dòng × 101 cột"),
])
def test_an_xls_is_measured_from_its_cell_records_before_calamine_reads_it(tmp_path, cells, found):
    assert refusal(xls_far_cells(tmp_path / "a.xls", cells)).found.startswith(found)


def test_an_xls_is_laid_out_by_its_cells_not_its_declared_dimensions(tmp_path):
    grid = read_sheets(xls_far_cells(tmp_path / "a.xls", xls_number(3, 3), dimensions=(65536, 256)))["Thôn"]
    assert (len(grid), len(grid[0])) == (4, 4)


def test_an_xls_shared_string_counts_once_for_each_cell_that_shows_it(tmp_path):
    path = xls_shared_string_bomb(tmp_path / "small.xls", length=20_000, references=100)
    stream = workbooks._compound_stream(path.read_bytes(), workbooks._XLS_STREAMS)
    assert workbooks._xls_globals(stream) == ([(stream.index(b"\x09\x08", 20), "Thôn")], [20_000])
    cells = [value for row in read_sheets(path)["Thôn"] for value in row if isinstance(value, str) and value]
    assert cells == ["A" * 20_000] * 100  # as counted: the string, across CONTINUE records, in each cell
    assert refusal(xls_shared_string_bomb(tmp_path / "bomb.xls")).found.startswith(
        f"{TOO_MUCH_TEXT}: đến trang Thôn, đọc ra đã hơn 228,")


def test_an_xls_whose_streams_cannot_be_found_is_refused(tmp_path):
    path = tmp_path / "a.xls"
    path.write_bytes(compound_file({"Khác": b"\0" * 5000}))
    assert "cắt cụt hoặc hỏng" in refusal(path).found
    data = bytearray(compound_file({"Workbook": xls_workbook(xls_number(0, 0))}))
    struct.pack_into("<I", data, 512 + 4, 1)  # the directory's sector follows itself: a loop
    path.write_bytes(bytes(data))
    assert "cắt cụt hoặc hỏng" in refusal(path).found


class _Panic(BaseException):
    """As calamine's Rust panics arrive: a BaseException, not an Exception."""


@pytest.mark.parametrize(("error", "blames_the_program"), [
    (TypeError("unsupported operand"), True),
    (AttributeError("'NoneType' object has no attribute 'text'"), True),
    (NameError("name 'x' is not defined"), True),
    (AssertionError(), True),
    (ValueError("invalid literal for int()"), False),
    (IndexError("list index out of range"), False),
    (_Panic("calamine panicked"), False),
])
def test_a_fault_of_the_program_is_not_blamed_on_the_file(tmp_path, monkeypatch, error, blames_the_program):
    from pipeline.intake import ingest

    path = tmp_path / "10171.xlsx"
    path.write_bytes(b"PK\x03\x04")

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(ingest, "sheets_in", broken)
    problem = ingest.read_return((path.name, path)).problem
    assert ("lỗi của chương trình" in problem.found) is blames_the_program
    assert ("tệp hỏng" in problem.found) is not blames_the_program
    # A clerk is told to save the file again only when the file is at fault.
    assert ("Lưu thành" in problem.fix) is not blames_the_program
    assert type(error).__name__ in problem.found
