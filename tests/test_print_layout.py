"""The documents as an office chief and a press officer read them (issue 15): the
sample rendered by LibreOffice once per session (conftest.py), then page counts, where lines
break (`pdftotext -layout`) and what lands on which page; and the checker's rules
on wording and on the workbooks' print setup."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES, SHEETS_2020, needs_libreoffice
from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.page import PageMargins

from pipeline.cli import house_rules
from pipeline.render.check import check_document, check_paths, check_workbook, format_report

SHEETS = SHEETS_2020


@pytest.fixture(scope="module")
def run_folder(rendered) -> Path:
    return rendered("2020-11").folder


@pytest.fixture(scope="module")
def pdfs(rendered) -> dict[str, Path]:
    return {name.removeprefix("phan-hoi/"): pdf for name, pdf in rendered("2020-11").pdfs.items()}


def pages(pdf: Path) -> list[str]:
    """Each page's text as laid out, lines kept."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.rstrip("\f").split("\f")


def lines(page: str) -> list[str]:
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


def joined(text: str) -> str:
    """The text with every space removed: pdftotext spreads a justified line's letters."""
    return "".join(text.split())


@needs_libreoffice
def test_the_report_is_five_pages_and_a_one_page_annex(pdfs):
    report = pages(pdfs["bao-cao-so-ket"])
    assert len(report) == 6
    annex = report[-1]
    assert "Phụ lục" in annex and "Tổng cộng" in annex
    assert all(f"Xã{name}" in joined(annex) for name in ("PhúTúc", "ChuyênMỹ"))  # the first and last rows
    assert not re.search(r"^\s*\d+\s*$", annex, re.M)  # the annex's only page shows no page number


@needs_libreoffice
def test_the_report_header_and_title_break_where_an_official_breaks_them(pdfs):
    first = lines(pages(pdfs["bao-cao-so-ket"])[0])
    assert any(line.startswith("ỦY BAN NHÂN DÂN Độc lập") for line in first)  # beside the motto, alone
    assert any(line == "HUYỆN PHÚ XUYÊN" for line in first)
    assert "Sơ kết giai đoạn 1 việc sắp xếp" in first
    assert "người hoạt động không chuyên trách ở cấp xã, thôn, tiểu khu" in first
    title = first[first.index("BÁO CÁO") + 1:first.index("Kính gửi: Sở Nội vụ thành phố Hà Nội.")]
    assert len(title) == 2 and not any(line.endswith((" tổ", " tiểu")) for line in title)


@needs_libreoffice
def test_the_report_signature_stays_with_its_closing_and_money_is_in_words_once(pdfs):
    report = pages(pdfs["bao-cao-so-ket"])
    body = joined(" ".join(report[:-1]))
    assert body.count("bằngchữ") == 1 and "Bằngchữ" not in body
    closing = next(page for page in report if "Trên đây là báo cáo" in page)
    assert "Nguyễn Văn Khoa" in closing and "Nơi nhận:" in closing


@needs_libreoffice
@pytest.mark.parametrize("stem", SHEETS)
def test_each_feedback_sheet_is_signed_by_the_head_of_the_drafting_unit(pdfs, stem):
    """A sheet listing few rows is one page; Phú Xuyên's lists every one of its 26
    departures and runs on, its signature never alone on the last page."""
    sheet = pages(pdfs[stem])
    text, last = lines(sheet[0]), lines(sheet[-1])
    assert text[0].startswith("UBND HUYỆN PHÚ XUYÊN") and text[1].startswith("PHÒNG NỘI VỤ")
    assert "TRƯỞNG PHÒNG" in sheet[-1] and "Trần Quốc Việt" in sheet[-1]
    assert len(sheet) == (2 if stem == "10171-phu-xuyen" else 1)
    assert not last[0].startswith(("TRƯỞNG PHÒNG", "Nơi nhận")), "a last page holding only the signature"
    whole = "\f".join(sheet)
    assert "TM. ỦY BAN NHÂN DÂN" not in whole and "KT. CHỦ TỊCH" not in whole
    assert not any(word in joined(whole) for word in ("Gõ", "đọcđược", "«"))


@needs_libreoffice
def test_no_page_of_the_minutes_holds_only_the_signatures(pdfs):
    minutes = pages(pdfs["bien-ban-hoi-nghi"])
    last = minutes[-1]
    assert "CHỦ TỌA" in last and "Hội nghị kết thúc vào" in last
    assert "Chủ trì (chủ tọa)" not in joined(" ".join(minutes)) and "sốliệunêutrên" not in joined(" ".join(minutes))


@needs_libreoffice
def test_the_news_item_puts_the_photo_above_its_caption(pdfs):
    text = lines(" ".join(pages(pdfs["tin-bai"])))
    assert len(text[0]) <= 80  # the headline
    placeholder = next(i for i, line in enumerate(text) if line.startswith("[ẢNH"))
    assert text[placeholder + 1].startswith("Đồng chí Phạm Đức Thắng")


# --- the checker's wording and workbook rules ----------------------------------------------


@pytest.mark.parametrize("period", SAMPLES)
def test_the_sample_documents_and_workbooks_pass_the_checker(rendered, period):
    """Every document of either sample, every feedback sheet included, with the office's settings."""
    folder = rendered(period).folder
    paths = [*folder.glob("*.docx"), *folder.glob("phan-hoi/*.docx"), *folder.glob("*.xlsx")]
    assert len(paths) > 5
    results = check_paths(paths, house=house_rules(SAMPLES[period]))
    assert not any(results.values()), format_report(results)


def test_the_checker_catches_what_a_reader_would(run_folder, tmp_path):
    document = Document(run_folder / "bao-cao-so-ket.docx")
    paragraphs = [p for p in document.paragraphs if p.text.startswith("Tổng số chức danh")]
    paragraphs[0].runs[0].text = "Ở thôn, tổ dân phố, số liệu đọc được là 5 (Bằng chữ: Năm)."
    document.core_properties.author = "pipeline"
    document.save(tmp_path / "copy.docx")
    messages = " ".join(v.message for v in check_document(tmp_path / "copy.docx") if v.rule == "wording")
    assert "«thôn, tổ dân phố»" in messages and "«thôn, tiểu khu»" in messages
    assert "số liệu đọc được" in messages and "«(bằng chữ: …)»" in messages
    assert "cơ quan ban hành" in messages


def test_the_checker_catches_a_headline_too_long(run_folder, tmp_path):
    document = Document(run_folder / "tin-bai.docx")
    document.paragraphs[0].runs[0].text = "Tiêu đề " * 12
    document.save(tmp_path / "tin.docx")
    assert any("tiêu đề tin bài dài" in v.message for v in check_document(tmp_path / "tin.docx"))


def margins_of_the_screen(sheet) -> None:
    sheet.page_margins = PageMargins()  # openpyxl's, Excel's "Normal"


def portrait(sheet) -> None:
    sheet.page_setup.orientation = "portrait"


def pages_wide(sheet) -> None:
    sheet.page_setup.fitToWidth = 2


def no_repeated_header(sheet) -> None:
    sheet._print_rows = None  # openpyxl's setter ignores None


def a_cell_in_arial(sheet) -> None:
    next(cell for row in sheet.iter_rows() for cell in row if cell.value is not None).font = Font(name="Arial")


@pytest.mark.parametrize("workbook", ["phu-luc.xlsx", "tinh-trang-bao-cao.xlsx"])
@pytest.mark.parametrize("change, message", [
    (margins_of_the_screen, "lề trang in: lề trên 25,4 mm, cần 20–25 mm"),
    (portrait, "cần in khổ A4, trang ngang."),
    (pages_wide, "cần co vừa một trang theo chiều ngang"),
    (no_repeated_header, "cần lặp lại dòng tiêu đề cột"),
    (a_cell_in_arial, "phông chữ Arial, Times New Roman"),
])
def test_each_fault_of_a_workbook_print_setup_is_caught(run_folder, tmp_path, workbook, change, message):
    book = load_workbook(run_folder / workbook)
    change(book.worksheets[0])
    book.save(tmp_path / workbook)
    found = check_workbook(tmp_path / workbook)
    assert [v.message for v in found if message in v.message] and len(found) == 1, found
    assert found[0].where == f"trang tính «{book.worksheets[0].title}»"


def test_a_workbook_without_print_setup_is_caught(tmp_path):
    workbook = Workbook()
    workbook.active["A1"] = "x"
    workbook.save(tmp_path / "plain.xlsx")
    # …and its author is the library that wrote it, not the issuing body.
    assert {v.rule for v in check_workbook(tmp_path / "plain.xlsx")} == {"print", "fonts", "wording"}
