"""The checks a file passes before calamine reads it, and what reading gives back."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import pipeline.workbooks as workbooks
from builders import info, village, write_return
from hostile_corpus import (
    DTD,
    FIRST_SHEET,
    GIB,
    MIB,
    SECRET_MARKER,
    _strip_declaration,
    compound_file,
    encrypted_xlsx,
    huge_ods,
    laughing_styles,
    many_villages,
    rewrite_zip,
    zip_bomb,
)
from legacy_workbooks import write_legacy_return
from pipeline.cells import cell_name, without_controls
from pipeline.ingest import display_name
from pipeline.legacy_fonts import legacy_font_cells, legacy_fonts_in_xlsx
from pipeline.vn.legacy import LegacyEncoding
from pipeline.workbooks import UnreadableWorkbook, check_file, read_sheets


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
    (tmp_path / "cu.xls").write_bytes(data)
    check_file(tmp_path / "cu.xls")  # an .xls: passes on to calamine
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
    workbooks._measure(b"<worksheet><sheetData>" + xml + b"</sheetData></worksheet>", sheet)
    assert (sheet.rows, sheet.columns) == (max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1)
    path = good_return(tmp_path / "p.xlsx")
    rewrite_zip(path, path, {FIRST_SHEET: lambda old: old.split(b"<sheetData>")[0] + b"<sheetData>" + xml
                             + b"</sheetData>" + old.split(b"</sheetData>")[1]})
    grid = read_sheets(path)["Thông tin"]
    assert (len(grid), max(len(row) for row in grid)) == (sheet.rows, sheet.columns)


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
        legacy_fonts_in_xlsx(tmp_path / "xxe.xlsx")
    rewrite_zip(path, tmp_path / "lol.xlsx", {"xl/styles.xml": laughing_styles})
    with pytest.raises(ElementTree.ParseError, match="amplification"):
        legacy_fonts_in_xlsx(tmp_path / "lol.xlsx")


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
    assert display_name(path.name) == "bao-cao-\ufffd.xlsx"
    assert display_name("Ba\u0301o ca\u0301o\x1b[2J.xlsx") == "Báo cáo[2J.xlsx"
