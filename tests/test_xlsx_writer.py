"""`pipeline.render.xlsx`: what it writes reads back, in openpyxl and python-calamine, as
the cells, formats and print setup it was given; the same workbook, the same bytes."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from pipeline.render.check import check_workbook
from pipeline.render.printed_workbook import read_printed_workbook
from pipeline.render.xlsx import SPREADSHEET_MAIN as MAIN
from pipeline.render.xlsx import CellFormat, CellRange, Margins, Workbook, cell_ref, write_xlsx

# Every value is written in every format, a big number in a date's too, which openpyxl warns of.
pytestmark = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")

FORMATS = [
    CellFormat(),
    CellFormat(bold=True, size=13, vertical="center", wrap=True),
    CellFormat(italic=True, horizontal="center", vertical="top", border=True),
    CellFormat(border=True, number_format="#,##0"),
    CellFormat(bold=True, border=True, number_format='#,##0;-#,##0;"–"'),
    CellFormat(vertical="top", border=True, number_format="DD/MM/YYYY"),
    CellFormat(vertical="top", wrap=True, border=True, fill="F8CBAD"),
    CellFormat(fill="E2EFDA", horizontal="right"),
]
VALUES = ["Xã Hồng Thái", "=1+1", "-5 người", "@x", "  lề  ", "dòng 1\ndòng 2", "A & B <C> 'D' \"E\"", 0, 12, -7,
          2.5, dt.date(2020, 11, 16), dt.date(1900, 3, 1), None, "", 1_149_540_875]


def _workbook(title: str = "Trang 'một' & <hai>") -> Workbook:
    workbook = Workbook("Times New Roman", 12)
    workbook.title, workbook.creator = "TIÊU ĐỀ", "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN"
    sheet = workbook.add_sheet(title)
    for row, value in enumerate(VALUES, start=1):
        for column, format in enumerate(FORMATS, start=1):
            sheet.write(row, column, value, format)
    sheet.merge(CellRange(20, 1, 21, 3))
    sheet.write(20, 1, "gộp", FORMATS[2])
    sheet.widths.update({1: 5, 2: 10.5, 30: 7})
    sheet.heights.update({1: 30, 2: 28.5, 40: 14})
    sheet.frozen_at = (4, 3)
    sheet.auto_filter = CellRange(3, 1, 19, 8)
    sheet.title_rows = (3, 3)
    sheet.margins = Margins(top=30 / 25.4, bottom=15 / 25.4, left=20 / 25.4, right=20 / 25.4, header=0.4,
                            footer=0.4)
    workbook.add_sheet("Thứ hai").write(1, 1, "x")
    return workbook


def test_cells_read_back_as_written(tmp_path):
    path = write_xlsx(_workbook(), tmp_path / "so.xlsx")
    sheet = load_workbook(path).worksheets[0]
    for row, value in enumerate(VALUES, start=1):
        for column, format in enumerate(FORMATS, start=1):
            cell = sheet.cell(row, column)
            expected = dt.datetime.combine(value, dt.time()) if isinstance(value, dt.date) else value
            if isinstance(value, dt.date) and format.number_format != "DD/MM/YYYY":
                expected = (value - dt.date(1899, 12, 30)).days  # a date shows as one only in a date format
            if not (isinstance(value, (int, float)) and format.number_format == "DD/MM/YYYY"):  # a date
                assert cell.value == (None if value == "" else expected), (row, column)
            if isinstance(value, str) and value:
                assert cell.data_type == "s"  # never a formula, whatever it starts with
            font, alignment = cell.font, cell.alignment
            assert (font.name, font.sz, bool(font.b), bool(font.i)) == ("Times New Roman", format.size or 12,
                                                                        format.bold, format.italic)
            assert (alignment.horizontal or "", alignment.vertical or "", bool(alignment.wrap_text)) == (
                format.horizontal, format.vertical, format.wrap)
            assert {getattr(cell.border, side).style for side in ("left", "right", "top", "bottom")} == (
                {"thin"} if format.border else {None})
            assert (cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else "") == format.fill
            assert cell.number_format == (format.number_format or "General")


def test_text_reads_back_in_calamine_as_written(tmp_path):
    path = write_xlsx(_workbook(), tmp_path / "so.xlsx")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in rows[:7]] == VALUES[:7]


def test_the_sheet_s_layout_and_print_setup_read_back(tmp_path):
    path = write_xlsx(_workbook(), tmp_path / "so.xlsx")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert book.sheetnames == ["Trang 'một' & <hai>", "Thứ hai"]
    assert (book.properties.title, book.properties.creator, book.properties.lastModifiedBy) == (
        "TIÊU ĐỀ", "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN", "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN")
    assert [str(cells) for cells in sheet.merged_cells.ranges] == ["A20:C21"]
    assert {key: d.width for key, d in sheet.column_dimensions.items() if d.customWidth} == {"A": 5, "B": 10.5,
                                                                                            "AD": 7}
    assert {row: sheet.row_dimensions[row].height for row in (1, 2, 40)} == {1: 30, 2: 28.5, 40: 14}
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows) == ("C4", "A3:H19", "$3:$3")
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_options.horizontalCentered
    assert round(sheet.page_margins.top * 25.4, 6) == 30 and round(sheet.page_margins.left * 25.4, 6) == 20
    printed = read_printed_workbook(path).sheets[0]
    assert (printed.title_rows, printed.filter_row, printed.fit_to_width, printed.fit_to_height) == ((3, 3), 3, 1, 0)


@pytest.mark.parametrize("frozen_at, shown", [(None, None), ((1, 1), None), ((4, 1), "A4"), ((1, 3), "C1"),
                                              ((6, 4), "D6")])
def test_panes_freeze_rows_columns_both_or_none(tmp_path, frozen_at, shown):
    workbook = _workbook()
    workbook.sheets[0].frozen_at = frozen_at
    assert load_workbook(write_xlsx(workbook, tmp_path / "so.xlsx")).worksheets[0].freeze_panes == shown


def test_every_part_is_well_formed_xml_and_the_same_workbook_gives_the_same_bytes(tmp_path):
    first = write_xlsx(_workbook(), tmp_path / "a.xlsx").read_bytes()
    assert write_xlsx(_workbook(), tmp_path / "b.xlsx").read_bytes() == first
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        for name in archive.namelist():
            etree.fromstring(archive.read(name))
            assert archive.getinfo(name).date_time == (1980, 1, 1, 0, 0, 0)


def test_what_xml_cannot_hold_is_left_out_not_a_broken_file(tmp_path):
    workbook = _workbook("Trang\x01 một")
    workbook.sheets[0].write(1, 1, "a\x00b\x1fc\ud800d\r\ne")
    sheet = load_workbook(write_xlsx(workbook, tmp_path / "so.xlsx")).worksheets[0]
    assert sheet.title == "Trang một" and sheet.cell(1, 1).value == "abcd\r\ne"


def test_a_truth_value_is_refused_not_written_as_a_number(tmp_path):
    workbook = _workbook()
    workbook.sheets[0].write(1, 1, True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="A1"):
        write_xlsx(workbook, tmp_path / "so.xlsx")


def test_a_printed_workbook_passes_the_format_check(tmp_path):
    workbook = Workbook("Times New Roman", 12)
    workbook.creator = "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN"
    sheet = workbook.add_sheet("Phụ lục")
    sheet.write(3, 1, "STT", CellFormat(bold=True, border=True))
    sheet.write(4, 1, 1, CellFormat(border=True))
    sheet.title_rows, sheet.auto_filter = (3, 3), CellRange(3, 1, 4, 1)
    sheet.margins = Margins(top=30 / 25.4, bottom=15 / 25.4, left=20 / 25.4, right=20 / 25.4, header=0.4, footer=0.4)
    assert check_workbook(write_xlsx(workbook, tmp_path / "phu-luc.xlsx")) == []


@pytest.mark.parametrize("row, column, ref", [(1, 1, "A1"), (7, 6, "F7"), (3, 26, "Z3"), (3, 27, "AA3"),
                                              (1, 702, "ZZ1"), (1, 703, "AAA1")])
def test_cell_ref(row, column, ref):
    assert cell_ref(row, column) == ref


@pytest.mark.parametrize("title", ["", "a/b", "a\\b", "Phụ lục [1]", "Hỏi?", "*", "Trang: 1", "x" * 32])
def test_a_sheet_title_excel_refuses_is_refused_before_writing(title):
    with pytest.raises(ValueError, match="Tên trang tính không hợp lệ"):
        Workbook("Times New Roman", 12).add_sheet(title)


# The order ECMA-376 Part 1 gives the children of each element the writer writes (only
# those it may write): Excel repairs a file whose children come in another order.
SCHEMA_ORDER = {
    "worksheet": ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "autoFilter",
                  "mergeCells", "printOptions", "pageMargins", "pageSetup"],
    "workbook": ["workbookPr", "bookViews", "sheets", "definedNames", "calcPr"],
    "styleSheet": ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles"],
    "border": ["left", "right", "top", "bottom", "diagonal"],
    "sheetView": ["pane", "selection"],
    "c": ["v", "is"],
    "xf": ["alignment"],
}


def test_every_element_s_children_come_in_the_schema_s_order(tmp_path):
    with zipfile.ZipFile(write_xlsx(_workbook(), tmp_path / "so.xlsx")) as archive:
        for name in archive.namelist():
            for element in etree.fromstring(archive.read(name)).iter():
                order = SCHEMA_ORDER.get(etree.QName(element).localname)
                if order is not None:
                    children = [etree.QName(child).localname for child in element]
                    assert set(children) <= set(order), (name, children)
                    assert children == sorted(children, key=order.index), (name, children)


def test_the_first_sheet_is_the_one_shown_on_opening(tmp_path):
    with zipfile.ZipFile(write_xlsx(_workbook(), tmp_path / "so.xlsx")) as archive:
        views = [etree.fromstring(archive.read(f"xl/worksheets/sheet{n}.xml")).find(f".//{{{MAIN}}}sheetView")
                 for n in (1, 2)]
    assert [view.get("tabSelected") for view in views] == ["1", None]


@pytest.mark.parametrize("moment, serial", [
    (dt.date(1900, 1, 1), 1), (dt.date(1900, 2, 28), 59), (dt.date(1900, 3, 1), 61),  # Excel's 29/2/1900 is 60
    (dt.date(2020, 11, 16), 44151), (dt.datetime(2020, 11, 16, 18, 0), 44151.75)])
def test_a_date_is_excel_s_serial_day(tmp_path, moment, serial):
    workbook = Workbook("Times New Roman", 12)
    workbook.add_sheet("Ngày").write(1, 1, moment)
    with zipfile.ZipFile(write_xlsx(workbook, tmp_path / "so.xlsx")) as archive:
        value = etree.fromstring(archive.read("xl/worksheets/sheet1.xml")).find(f".//{{{MAIN}}}v").text
    assert float(value) == serial


@pytest.mark.parametrize("value", [float("nan"), float("inf"), dt.date(1899, 12, 31), b"x", [1]])
def test_a_value_excel_cannot_hold_is_refused_naming_its_cell(tmp_path, value):
    workbook = Workbook("Times New Roman", 12)
    workbook.add_sheet("Trang").write(3, 2, value)
    with pytest.raises(TypeError, match="B3"):
        write_xlsx(workbook, tmp_path / "so.xlsx")


def test_a_sheet_title_already_taken_in_any_case_or_emptied_of_what_xml_cannot_hold_is_refused():
    workbook = Workbook("Times New Roman", 12)
    workbook.add_sheet("Phụ lục")
    for title in ("PHỤ LỤC", "phụ lục", "\x01", "'Trích'"):
        with pytest.raises(ValueError, match="Tên trang tính không hợp lệ"):
            workbook.add_sheet(title)
    assert workbook.add_sheet("Phụ\x01 lục II").title == "Phụ lục II"
