"""The workbooks printed (issue 15): `tinh-trang-bao-cao.xlsx` and `phu-luc.xlsx` of the
district sample and of the province sample (about 100 communes), rendered by LibreOffice
on A4 landscape one page wide. The type must print at 75 % of its size or more, and no
wrapped cell may run out of its row (its last line drawn over the next row's text).
Page images go to outputs/test-artifacts/ (not in git) for a person to look at."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from builders import ROOT, SAMPLE_INPUTS

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from pipeline.documents.annex import write_annex_xlsx
from pipeline.documents.forms import build_form
from pipeline.documents.sheets import (
    FIRST_COLUMN,
    HEADER_ROW,
    LINE_POINTS,
    Heading,
    finish_sheet,
    first_data_row,
    fit_row,
    HEADING,
    set_widths,
    new_workbook,
    titled_sheet,
    wrapped_lines,
)
from pipeline.core.model import CommuneRow, Unit
from pipeline.render.pdf import convert_to_pdf, find_soffice
from pipeline.render.xlsx import CellFormat, stored_text
from pipeline.run.orchestrate import run_report
from pipeline.vn.periods import parse_period

needs_libreoffice = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) hoặc poppler-utils chưa được cài")
PROVINCE_INPUTS = ROOT / "samples" / "tinh-an-giang" / "inputs"
ARTIFACTS = ROOT / "outputs" / "test-artifacts" / "workbooks"
WORKBOOKS = ("tinh-trang-bao-cao", "phu-luc")
SAMPLES = {"huyen": ("2020-11", SAMPLE_INPUTS), "tinh": ("2025-Q3", PROVINCE_INPUTS)}
CODE = re.compile(r"\d{5}")  # a unit's code: the same 12-point type in every workbook
READABLE = 0.75


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (xMin, yMin, xMax, yMax, text)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    box = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [[(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in box.findall(page)]
            for page in out.split("<page ")[1:]]


def _code_height(pdf: Path) -> float:
    return statistics.median(w[3] - w[1] for page in _words(pdf) for w in page if CODE.fullmatch(w[4]))


def _overlapping(pdf: Path) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other: a wrapped cell's line below its row's bottom."""
    found = []
    for page in _words(pdf):
        page.sort()
        for i, a in enumerate(page):
            for b in page[i + 1:]:
                if b[0] >= a[2]:
                    break
                width, height = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
                smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                if width > 0 and height > 0 and width * height > 0.3 * smaller:
                    found.append((a[4], b[4]))
    return found


def _printed_lines(pdf: Path) -> list[dict[int, int]]:
    """By sheet, the lines each data row prints, by its STT: the text's distinct tops between
    its STT and the next. A page's last row, with no STT under it, is left out."""
    sheets: list[dict[int, int]] = []
    for page in _words(pdf):
        left = min(w[0] for w in page)
        numbers = sorted((w for w in page if w[4].isdigit() and w[0] < left + 20), key=lambda w: w[1])
        for this, below in zip(numbers, numbers[1:]):
            if this[4] == "1" or not sheets:
                sheets.append({})
            tops = sorted(w[1] for w in page if this[1] - 1 <= w[1] < below[1] - 1)
            sheets[-1][int(this[4])] = 1 + sum(1 for a, b in zip(tops, tops[1:]) if b - a > 2)
    return sheets


def _given_lines(xlsx: Path) -> list[dict[int, int]]:
    """By sheet, the lines each data row's height holds, by its STT."""
    return [{row[0].value: round((sheet.row_dimensions[row[0].row].height or 0) / LINE_POINTS)
             for row in sheet.iter_rows(min_col=1, max_col=1) if isinstance(row[0].value, int)}
            for sheet in load_workbook(xlsx).worksheets]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("print")
    sources = []
    for sample, (period, inputs) in SAMPLES.items():
        folder = run_report(parse_period(period), inputs, root / sample).written[0].parent
        for stem in WORKBOOKS:
            sources.append(shutil.copy(folder / f"{stem}.xlsx", root / f"{sample}-{stem}.xlsx"))
    # The same type in a workbook narrow enough to print at 100 %.
    workbook = new_workbook()
    sheet = titled_sheet(workbook, "Mẫu", "MẪU", [["Mã đơn vị"]])
    sheet.write(HEADER_ROW + 1, 2, "10171")
    sources.append(finish_sheet(workbook, sheet, 1, 1, 1, root / "reference.xlsx"))
    sources.append(_escapes_workbook(root / "escapes.xlsx"))
    sources.append(_wrapping_workbook(root / "wrapping.xlsx"))
    sources.append(_annex_paying_nothing(root / "nothing-paid.xlsx"))
    found = {pdf.stem: pdf for pdf in convert_to_pdf(sources, root / "pdf")}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stem, pdf in found.items():
        subprocess.run(["pdftoppm", "-r", "70", "-f", "1", "-l", "1", "-png", str(pdf), str(ARTIFACTS / stem)],
                       check=True)
    return found


# Text that a reader of the file could take for an escaped character (`_xHHHH_`).
ESCAPE_LIKE = (
    "_x0041_",  # Excel and python-calamine read "A"
    "_x004a_",  # small hex digits too
    "_xa_",  # LibreOffice reads a line break
    "bao_cao_xa_hong_thai.xlsx",
    "_X0041_",
    "a_x0041__x0042_b",
    "_x0041_x0042_",
    "_xa_x0041_",
    "ends with _x1EA0_",
    "_x005F_ already escaped",
    "_x_ _x00411_ _x0041 _xg_ x0041_",  # no escape in them
)


def _escapes_workbook(target: Path) -> Path:
    workbook = new_workbook()
    sheet = titled_sheet(workbook, "Mẫu", "MẪU _x0041_", [["Tệp _xa_"]])
    for offset, text in enumerate(ESCAPE_LIKE, start=1):
        sheet.write(HEADER_ROW + offset, 2, text)
    sheet.widths[2] = 40
    return finish_sheet(workbook, sheet, len(ESCAPE_LIKE), 1, 1, target)


def test_text_that_looks_escaped_reads_back_as_written(tmp_path):
    rows = CalamineWorkbook.from_path(_escapes_workbook(tmp_path / "escapes.xlsx")).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "MẪU _x0041_"
    assert rows[HEADER_ROW - 1][1] == "Tệp _xa_"
    assert [row[1] for row in rows[HEADER_ROW:]] == list(ESCAPE_LIKE)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet="_xX0aF5g \n&<>'\"\r\x01", max_size=30))
def test_any_text_reads_back_as_written_but_what_xml_cannot_hold(tmp_path, text):
    workbook = new_workbook()
    sheet = titled_sheet(workbook, "Mẫu", "MẪU", [["Chữ"]])
    sheet.write(HEADER_ROW + 1, 2, text)
    path = finish_sheet(workbook, sheet, 1, 1, 1, tmp_path / "chu.xlsx")
    read = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()[HEADER_ROW][1]
    assert read == text.replace("\x01", "")
    # openpyxl reads an inline string as stored, `_x005F_` not undone; "" is an empty cell.
    assert (load_workbook(path).active.cell(HEADER_ROW + 1, 2).value or "") == stored_text(text)


def test_a_form_s_text_reads_back_as_written(tmp_path):
    unit = Unit("10171", "Hồng_x0041_Thái", "Xã")
    target = tmp_path / "form.xlsx"
    build_form(unit, parse_period("2020-11")).save(target)
    values = {cell for row in CalamineWorkbook.from_path(target).get_sheet_by_index(0).to_python() for cell in row}
    assert "Hồng_x0041_Thái" in values


@needs_libreoffice
def test_libreoffice_prints_text_that_looks_escaped_as_written(pdfs):
    text = subprocess.run(["pdftotext", "-layout", str(pdfs["escapes"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("MẪU _x0041_", "Tệp _xa_", "bao_cao_xa_hong_thai.xlsx", "a_x0041__x0042_b", "_xa_x0041_"):
        assert expected in text


def _annex_paying_nothing(target: Path) -> Path:
    """Two communes, one paying nothing, the other 1.500.000 đồng to one person."""
    counts = dict(commune_titles=10, people_before=12, people_after=9, reduction=3, villages_before=5,
                  villages_after=4, village_titles=3, village_people_before=15, village_people_after=12,
                  village_reduction=3, villages_over_target=0)
    rows = [CommuneRow("10171", "thị trấn Phú Xuyên", "Thị trấn", **counts, severance_cases=0, severance_paid=0),
            CommuneRow("10174", "xã Phú Minh", "Xã", **counts, severance_cases=1, severance_paid=1_500_000)]
    totals = CommuneRow("", "Tổng cộng", "", **{key: 2 * value for key, value in counts.items()},
                        severance_cases=1, severance_paid=1_500_000)
    return write_annex_xlsx(rows, totals, "PHỤ LỤC", "thôn, tổ dân phố", True, target,
                            communes="xã, thị trấn")


@needs_libreoffice
def test_the_annex_prints_a_dash_where_nothing_was_paid_and_zero_where_nobody_left(pdfs):
    lines = subprocess.run(["pdftotext", "-layout", str(pdfs["nothing-paid"]), "-"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    [nothing] = [line.split() for line in lines if "10171" in line]
    [paid] = [line.split() for line in lines if "10174" in line]
    assert nothing[-2:] == ["0", "–"]
    assert paid[-1] in ("1.500.000", "1,500,000")  # grouped as the reader's locale groups thousands


def test_grouped_headings_are_merged_bordered_and_repeated_on_each_page(tmp_path):
    workbook = new_workbook()
    sheet = titled_sheet(workbook, "Mẫu", "MẪU", [
        [Heading("Tên", rows=2), Heading("Cấp xã", columns=2), Heading("Ghi chú", rows=2)],
        ["Trước", "Sau"],
    ])
    assert first_data_row(sheet) == HEADER_ROW + 2
    for offset in range(2):
        sheet.write(HEADER_ROW + 2 + offset, 2, f"Xã {offset}")
    # Every cell under a merged heading is written bordered: Excel and LibreOffice draw a merged
    # cell's edges from them (openpyxl reads back only the edges).
    assert all(format is HEADING for row, cells in sheet.rows() if row in (3, 4) for _, _, format in cells)
    assert sum(len(cells) for row, cells in sheet.rows() if row in (3, 4)) == 10
    sheet = load_workbook(finish_sheet(workbook, sheet, 2, 4, 1, tmp_path / "nhom.xlsx")).active
    assert {str(cells) for cells in sheet.merged_cells.ranges} >= {"A3:A4", "B3:B4", "C3:D3", "E3:E4"}
    assert [sheet.cell(HEADER_ROW + 1, c).value for c in (3, 4)] == ["Trước", "Sau"]
    assert [sheet.cell(r, 1).value for r in (5, 6)] == [1, 2]
    assert sheet.print_title_rows == "$3:$4" and sheet.freeze_panes == "B5" and sheet.auto_filter.ref == "A4:E6"


@needs_libreoffice
def test_every_header_row_of_the_annex_prints_on_each_page(pdfs):
    pages = subprocess.run(["pdftotext", "-layout", str(pdfs["tinh-phu-luc"]), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    # Phụ lục II (the merged villages, headed "… sau sáp nhập") ends with a total too.
    merges = [page for page in pages if "sau sáp nhập" in page]
    annex = [page for page in pages if page not in merges and (
        "Tổng cộng" in page or re.search(r"^\s*\d+\s+\d{5}\s", page, re.M))]
    assert len(annex) > 1 and len(merges) > 1
    assert all("Cấp xã" in page and "Số người" in page and "Trước" in page for page in annex)
    assert all("STT" in page and "Tên xã, phường, đặc" in page for page in merges)  # its heading, on each page


@needs_libreoffice
@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("stem", WORKBOOKS)
def test_a_workbook_prints_one_page_wide_at_a_readable_size(pdfs, sample, stem):
    scale = _code_height(pdfs[f"{sample}-{stem}"]) / _code_height(pdfs["reference"])
    assert scale >= READABLE, f"{sample}-{stem}: {scale:.0%}"


@needs_libreoffice
@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("stem", WORKBOOKS)
def test_no_wrapped_cell_runs_out_of_its_row(pdfs, sample, stem):
    assert _overlapping(pdfs[f"{sample}-{stem}"]) == []


# (text, column width, lines), each as LibreOffice prints it (`test_libreoffice_prints_the_lines_estimated`).
WRAPPED = (
    ("Xã Bạch Hạ", 14, 1),
    ("Thị trấn Phú Minh", 14, 2),
    ("Phường Vĩnh Thông", 14, 2),  # ư, ờ from a wider font where Liberation Serif lacks them
    # Capitals are wider than small letters.
    ("BAO CAO CHUYEN MY.xlsx", 15, 3),
    ("bao cao chuyen my.xlsx", 15, 2),
    # After a hyphen, or a slash, not before a digit.
    ("phan-hoi/10198-hong-thai-tep-cu.docx", 15, 3),
    # A piece longer than a line is cut where the line is full.
    ("bao_cao_xa_hong_thai_da_sua.xlsx", 15, 2),
    ("một\nhai", 25, 2),
    ("Đã được thay thế bằng tệp bao_cao_xa_hong_thai_da_sua.xlsx (Ngày lập 16/11/2020); tệp này không được "
     "tổng hợp.", 25, 5),
    ("Thông tin!B9: Số người sau sắp xếp ghi “bảy” không hợp lệ. Cần: số nguyên từ 0 đến 100.000.", 28, 4),
    ("chưa gửi (quá hạn 2210 ngày)", 10, 3),
    ("Đã tổng hợp; 2 cảnh báo cần xem lại (số liệu cần xác minh).", 25, 3),
    ("Thôn Đông Thượng và thôn Đông Hạ", 60, 1),
)
_WRAPPED_WIDTHS = sorted({width for _, width, _ in WRAPPED})
WRAPPED_TEXT = CellFormat(vertical="top", wrap=True)


def _wrapping_workbook(target: Path) -> Path:
    """Each of `WRAPPED` on a row of its own, in the column as wide as it says, as high as estimated."""
    workbook = new_workbook()
    sheet = titled_sheet(workbook, "Mẫu", "MẪU", [[f"Rộng {width}" for width in _WRAPPED_WIDTHS]])
    for offset, (text, width, _) in enumerate([*WRAPPED, ("", 10, 1)]):
        column = FIRST_COLUMN + _WRAPPED_WIDTHS.index(width)
        sheet.write(first_data_row(sheet) + offset, column, text, WRAPPED_TEXT)
        fit_row(sheet, first_data_row(sheet) + offset, [(text, width)])
    set_widths(sheet, _WRAPPED_WIDTHS)
    return finish_sheet(workbook, sheet, len(WRAPPED) + 1, len(_WRAPPED_WIDTHS), 1, target)


@pytest.mark.parametrize("text, width, lines", [("", 10, 1), *WRAPPED])
def test_wrapped_lines(text, width, lines):
    assert wrapped_lines(text, width) == lines


@needs_libreoffice
def test_libreoffice_prints_the_lines_estimated(pdfs):
    printed = _printed_lines(pdfs["wrapping"])[0]
    assert [printed[number] for number in range(1, len(WRAPPED) + 1)] == [lines for _, _, lines in WRAPPED]


@needs_libreoffice
@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("stem", WORKBOOKS)
def test_rows_hold_their_printed_lines_with_few_to_spare(pdfs, sample, stem):
    """No row shorter than its text; at most one in twenty a line taller."""
    given = _given_lines(pdfs[f"{sample}-{stem}"].parents[1] / f"{sample}-{stem}.xlsx")
    printed = _printed_lines(pdfs[f"{sample}-{stem}"])
    rows = [(given[sheet][number], lines) for sheet, lines_by in enumerate(printed)
            for number, lines in lines_by.items()]
    assert rows and [row for row in rows if row[1] > row[0]] == []
    assert len([row for row in rows if row[0] > row[1]]) <= len(rows) / 20


def test_wrapped_lines_grow_with_the_text_and_shrink_with_the_width():
    text = "Đã được thay thế bằng tệp bao_cao_xa_hong_thai_da_sua.xlsx (Ngày lập 16/11/2020)"
    assert [wrapped_lines(text, width) for width in (60, 30, 15)] == sorted(
        wrapped_lines(text, width) for width in (60, 30, 15))
    assert wrapped_lines(text + " " + text, 30) >= wrapped_lines(text, 30)
