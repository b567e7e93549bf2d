"""The documents as an office chief and a press officer read them (issue 15): both
samples (2020-11, the district; 2025-Q3, the province) rendered by LibreOffice once
per session (conftest.py, which keeps page images in outputs/test-artifacts/), then
page counts, where lines break (`pdftotext -layout`, or with the columns apart) and
what lands on which page; and the checker's rules on wording and on the workbooks'
print setup."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES, SHEETS_2020, needs_libreoffice
from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.page import PageMargins

from pipeline.cli import house_rules
from pipeline.render.check import (
    check_document,
    check_paths,
    check_text_version,
    check_workbook,
    format_report,
    text_versions,
)
from pipeline.render.pdf import page_texts

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
def test_the_report_header_and_title_break_where_an_official_breaks_them(pdfs):
    first = lines(pages(pdfs["bao-cao-so-ket"])[0])
    assert any(line.startswith("ỦY BAN NHÂN DÂN Độc lập") for line in first)  # beside the motto, alone
    assert any(line == "HUYỆN PHÚ XUYÊN" for line in first)
    # Balanced (47/42 characters), at the seam of the long term, not 31/58.
    assert "Sơ kết giai đoạn 1 việc sắp xếp người hoạt động" in first
    assert "không chuyên trách ở cấp xã, thôn, tiểu khu" in first
    title = first[first.index("BÁO CÁO") + 1:first.index("Kính gửi: Sở Nội vụ thành phố Hà Nội.")]
    assert len(title) == 2 and not any(line.endswith((" tổ", " tiểu")) for line in title)


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
def test_the_report_s_signature_page_carries_its_last_proposal(pdfs):
    signed = next(page for page in pages(pdfs["bao-cao-so-ket"]) if "TM. ỦY BAN NHÂN DÂN" in page)
    assert "ĐềnghịSởNộivụtổchứctậphuấn" in joined(signed) and "Trênđâylàbáocáosơkết" in joined(signed)


@needs_libreoffice
def test_no_page_of_the_minutes_holds_only_the_signatures(pdfs):
    minutes = pages(pdfs["bien-ban-hoi-nghi"])
    last = minutes[-1]
    assert "CHỦ TỌA" in last and "Hội nghị kết thúc vào" in last
    # The chair's last conclusion goes with them: the last page is not the closing line alone.
    assert "Đềnghịcácxã,thịtrấnlàmtốtcôngtáctưtưởng" in joined(last)
    assert "Chủ trì (chủ tọa)" not in joined(" ".join(minutes)) and "sốliệunêutrên" not in joined(" ".join(minutes))


@needs_libreoffice
def test_the_news_item_puts_the_photo_above_its_caption(pdfs):
    text = lines(" ".join(pages(pdfs["tin-bai"])))
    assert len(text[0]) <= 80  # the headline
    placeholder = next(i for i, line in enumerate(text) if line.startswith("[ẢNH"))
    assert text[placeholder + 1].startswith("Đồng chí Phạm Đức Thắng")


# --- both samples, every document ------------------------------------------------------------

PAGE_COUNTS = {
    "2020-11": {"bao-cao-so-ket": 6, "bien-ban-hoi-nghi": 4, "tin-bai": 2, "phu-luc": 1, "tinh-trang-bao-cao": 2},
    "2025-Q3": {"bao-cao-so-ket": 17, "bien-ban-hoi-nghi": 2, "tin-bai": 1, "phu-luc": 14, "tinh-trang-bao-cao": 6},
}
# The annex lists each unit that reported validly, one row each; the province's 301
# merges of ấp, khu phố are listed in a second annex (Phụ lục II) after it.
ANNEX = {"2020-11": {"pages": 1, "rows": 25, "merges_pages": 0},
         "2025-Q3": {"pages": 4, "rows": 101, "merges_pages": 10}}
SIGNER = {"2020-11": "Nguyễn Văn Khoa", "2025-Q3": "Lê Hoàng Phúc"}
# The header's left column, as the office's settings break it (the minutes: the organiser's).
ISSUER = {"2020-11": ["UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN", "HUYỆN PHÚ XUYÊN"],
          "2025-Q3": ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG"]}
MINUTES_ISSUER = {"2020-11": ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "HUYỆN ỦY PHÚ XUYÊN"], "2025-Q3": ISSUER["2025-Q3"]}
# Feedback sheets are the drafting unit's notices.
SHEET_ISSUER = {"2020-11": ["UBND HUYỆN PHÚ XUYÊN", "PHÒNG NỘI VỤ"], "2025-Q3": ["UBND TỈNH AN GIANG", "SỞ NỘI VỤ"]}
SHEET_SIGNER = {"2020-11": "Trần Quốc Việt", "2025-Q3": "Nguyễn Thanh Sơn"}
# The last column's heading, on every printed page of a workbook one page wide.
LAST_COLUMN = {"phu-luc": "(đồng)", "tinh-trang-bao-cao": "Số liệu cần xác minh"}


def columns_apart(pdf: Path) -> list[list[str]]:
    """Each page's lines as pdftotext reads them by default: the columns of a table (the
    header's two) one after the other, not side by side."""
    return [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in page_texts(pdf)]


def in_a_row(page: list[str], wanted: list[str]) -> bool:
    """`wanted` are lines of the page, one after the other: a column printed as set."""
    return any(page[i:i + len(wanted)] == wanted for i in range(len(page)))


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_each_document_has_its_pages(rendered, period):
    found = {name: len(pages(pdf)) for name, pdf in rendered(period).pdfs.items() if "/" not in name}
    assert found == PAGE_COUNTS[period]


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_the_report_opens_with_its_header_and_title_on_page_one(rendered, period):
    pdf = rendered(period).pdfs["bao-cao-so-ket"]
    first = columns_apart(pdf)[0]
    assert in_a_row(first, ISSUER[period])
    laid_out = lines(pages(pdf)[0])
    # The issuer's name starts level with the Quốc hiệu (Nghị định 30): under its parent
    # body's line where it has one, its second line then beside the motto.
    assert any(line.startswith(f"{ISSUER[period][1]} Độc lập - Tự do - Hạnh phúc") for line in laid_out)
    title = laid_out[laid_out.index("BÁO CÁO") + 1:next(i for i, line in enumerate(laid_out)
                                                        if line.startswith("Kính gửi:"))]
    # The trích yếu on two lines, neither ending inside a compound ("tổ / dân phố", "đặc / khu").
    assert len(title) == 2 and not any(line.endswith((" tổ", " tiểu", " đặc", " khu phố,")) for line in title)


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_the_village_heading_breaks_in_balanced_lines(rendered, period):
    """Not "… ở thôn, / tiểu khu" nor "… ở ấp, khu / phố": a term never alone on a line."""
    text = lines(" \f".join(pages(rendered(period).pdfs["bao-cao-so-ket"])))
    first = next(i for i, line in enumerate(text) if line.startswith("2. Sắp xếp"))
    assert text[first].endswith("người hoạt động"), text[first:first + 2]
    assert text[first + 1].startswith("không chuyên trách ở") and len(text[first + 1]) >= 0.6 * len(text[first])


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_the_report_signature_stands_with_its_closing_line_before_the_annex(rendered, period):
    report = pages(rendered(period).pdfs["bao-cao-so-ket"])
    body = report[:len(report) - ANNEX[period]["pages"] - ANNEX[period]["merges_pages"]]
    closing = body[-1]
    assert "Trên đây là báo cáo" in closing and "./." in closing
    assert "Nơi nhận:" in closing and SIGNER[period] in closing
    assert joined(" ".join(body)).count("bằngchữ") == 1


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
@pytest.mark.parametrize("document", ["bao-cao-so-ket", "bien-ban-hoi-nghi", "tin-bai"])
def test_the_text_runs_on_to_the_last_page_leaving_no_page_half_empty(rendered, period, document):
    """Only the last paragraph keeps with the closing line and signatures: a page before
    them is as full as the text allows (not a section moved whole to the next page)."""
    printed = pages(rendered(period).pdfs[document])
    if document == "bao-cao-so-ket":
        printed = printed[:len(printed) - ANNEX[period]["pages"] - ANNEX[period]["merges_pages"]]
    filled = [len(lines(page)) for page in printed]
    assert all(n >= 0.65 * max(filled) for n in filled[:-1]), filled


# A row of the annex: its number, then a unit.
UNIT_ROW = re.compile(r"^\s*(\d+)\s+(?:Xã|Phường|Thị trấn|Đặc khu)\b", re.M)


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_the_annex_numbers_its_own_pages_and_repeats_its_header_row(rendered, period):
    """Nghị định 30: an annex's pages are numbered on their own, none on its first; the
    header row on each page; every unit once, in order; the total on the last page."""
    report = pages(rendered(period).pdfs["bao-cao-so-ket"])
    start = len(report) - ANNEX[period]["pages"] - ANNEX[period]["merges_pages"]
    annex = report[start:start + ANNEX[period]["pages"]]
    assert lines(annex[0])[0].startswith("Phụ lục")
    assert not any(line.startswith("Phụ lục") for page in report[:start] for line in lines(page)[:2])
    for number, page in enumerate(annex, start=1):
        numbers = re.findall(r"^\s*(\d+)\s*$", page, re.M)
        assert numbers == ([] if number == 1 else [str(number)])
        assert "STT" in page and "(đồng)" in page
        # The heading whole above the rows: in a heading repeated with a merged cell taller than
        # its rows, LibreOffice printed that cell's last line ("chưa đạt") over the first row.
        heading = lines(page)[:next(i for i, line in enumerate(lines(page)) if UNIT_ROW.match(line))]
        assert "chưa đạt" in " ".join(heading), page
    rows = [int(n) for page in annex for n in UNIT_ROW.findall(page)]
    assert rows == list(range(1, ANNEX[period]["rows"] + 1))
    assert "Tổng cộng" in annex[-1] and "Tổng cộng" not in " ".join(annex[:-1])


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_the_minutes_close_with_their_line_signatures_and_recipients_together(rendered, period):
    pdf = rendered(period).pdfs["bien-ban-hoi-nghi"]
    first = columns_apart(pdf)[0]
    assert in_a_row(first, MINUTES_ISSUER[period]) and "BIÊN BẢN" in first
    last = columns_apart(pdf)[-1]
    closing = next(i for i, line in enumerate(last) if "kết thúc vào" in line)
    assert last[closing].endswith("./.") and {"THƯ KÝ", "CHỦ TỌA", "Nơi nhận:"} <= set(last[closing:])


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_the_news_item_prints_its_headline_first_and_its_byline_last(rendered, period):
    sample = rendered(period)
    plain = [line for line in (sample.folder / "tin-bai.txt").read_text(encoding="utf-8").splitlines() if line]
    headline, byline = plain[0], plain[-1]
    printed = columns_apart(sample.pdfs["tin-bai"])
    assert len(headline) <= 80
    assert joined(" ".join(printed[0][:2])).startswith(joined(headline))  # on at most two lines
    # Its two lines balanced, not a phrase left dangling on the second.
    first, second = (len(line) for line in printed[0][:2])
    assert min(first, second) >= 0.6 * max(first, second), printed[0][:2]
    text = [line for page in printed for line in page]
    placeholder = next(i for i, line in enumerate(text) if line.startswith("[ẢNH"))
    assert text[placeholder + 1].startswith("Đồng chí")  # its caption under it
    assert text[-1] == byline and len(printed[-1]) > 2  # the byline, with the end of the text


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_each_feedback_sheet_opens_with_its_issuer_and_ends_with_its_signer(rendered, period):
    sample = rendered(period)
    sheets = [pdf for name, pdf in sample.pdfs.items() if name.startswith("phan-hoi/")]
    assert len(sheets) >= 2
    for pdf in sheets:
        printed = columns_apart(pdf)
        assert in_a_row(printed[0], SHEET_ISSUER[period]), pdf.name
        assert "THÔNG BÁO" in printed[0]
        last = printed[-1]
        assert SHEET_SIGNER[period] in last and any(line.endswith("./.") for line in last), pdf.name


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
@pytest.mark.parametrize("workbook", LAST_COLUMN)
def test_a_workbook_prints_one_page_wide_with_its_header_row_on_each_page(rendered, period, workbook):
    printed = pages(rendered(period).pdfs[workbook])
    # The province's annex workbook prints its second sheet, the merged villages, after the first.
    printed = list(itertools.takewhile(lambda page: not page.lstrip().startswith("DANH SÁCH"), printed))
    for page in printed:
        assert "STT" in page and LAST_COLUMN[workbook] in page
    numbers = [int(n) for page in printed for n in re.findall(r"^\s*(\d+)\s+\d{5}\b", page, re.M)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= ANNEX[period]["rows"]


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


# The feedback sheet's tables: the villages read, the people who left.
FEEDBACK_TABLE_HEADINGS = (
    ("2. ", ("Loại", "Sáp nhập từ", "Số chức danh", "Số người trước", "Số người sau")),
    ("3. Người thôi việc", ("Họ và tên", "Cấp", "Chức danh", "Hình thức", "Số tiền (đồng)", "Ngày chi trả")),
)


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_the_feedback_tables_headings_break_between_words(rendered, period):
    """Each word of a heading whole in the heading's lines, between the table's title and its first row."""
    sheets = [pdf for name, pdf in rendered(period).pdfs.items() if name.startswith("phan-hoi/")]
    checked = 0
    for pdf in sheets:
        laid_out = lines("\n".join(pages(pdf)))
        for title, headings in FEEDBACK_TABLE_HEADINGS:
            start = next((i for i, line in enumerate(laid_out) if line.startswith(title)), None)
            end = next((i for i, line in enumerate(laid_out) if start is not None and i > start
                        and re.match(r"1 \S", line)), None)
            words = " ".join(laid_out[start + 1:end]).split() if end else []
            if "STT" not in words:  # no table under the title
                continue
            missing = [word for heading in headings for word in heading.split() if word not in words]
            assert missing == [], (pdf.name, title, laid_out[start + 1:end])
            checked += 1
    assert checked >= 2


def margins_of_the_screen(sheet) -> None:
    sheet.page_margins = PageMargins()  # openpyxl's, Excel's "Normal"


def portrait(sheet) -> None:
    sheet.page_setup.orientation = "portrait"


def pages_wide(sheet) -> None:
    sheet.page_setup.fitToWidth = 2


def no_repeated_header(sheet) -> None:
    sheet._print_rows = None  # openpyxl's setter ignores None


def columns_repeated_not_rows(sheet) -> None:
    sheet._print_rows = None
    sheet.print_title_cols = "A:C"


def a_cell_in_arial(sheet) -> None:
    next(cell for row in sheet.iter_rows() for cell in row if cell.value is not None).font = Font(name="Arial")


@pytest.mark.parametrize("workbook", ["phu-luc.xlsx", "tinh-trang-bao-cao.xlsx"])
@pytest.mark.parametrize("change, message", [
    (margins_of_the_screen, "lề trang in: lề trên 25,4 mm, cần 20–25 mm"),
    (portrait, "cần in khổ A4, trang ngang."),
    (pages_wide, "cần co vừa một trang theo chiều ngang"),
    (no_repeated_header, "cần lặp lại dòng tiêu đề cột"),
    (columns_repeated_not_rows, "cần lặp lại dòng tiêu đề cột"),
    (a_cell_in_arial, "phông chữ Arial, Times New Roman"),
])
def test_each_fault_of_a_workbook_print_setup_is_caught(run_folder, tmp_path, workbook, change, message):
    book = load_workbook(run_folder / workbook)
    change(book.worksheets[0])
    book.save(tmp_path / workbook)
    found = check_workbook(tmp_path / workbook)
    assert [v.message for v in found if message in v.message] and len(found) == 1, found
    assert found[0].where == f"trang tính «{book.worksheets[0].title}»"


@pytest.mark.parametrize("rows", ["3:3", "3:4", "4:5"])
def test_print_titles_repeating_part_of_a_header_of_several_rows_are_caught(run_folder, tmp_path, rows):
    book = load_workbook(run_folder / "phu-luc.xlsx")
    assert book.worksheets[0].print_title_rows == "$3:$5" and check_workbook(run_folder / "phu-luc.xlsx") == []
    book.worksheets[0].print_title_rows = rows
    book.save(tmp_path / "phu-luc.xlsx")
    first, last = rows.split(":")
    assert [v.message for v in check_workbook(tmp_path / "phu-luc.xlsx")] == [
        f"chỉ lặp lại dòng {first}–{last} ở đầu mỗi trang in; tiêu đề cột gồm dòng 3–5: cần lặp lại cả."]


def test_a_workbook_without_print_setup_is_caught(tmp_path):
    workbook = Workbook()
    workbook.active["A1"] = "x"
    workbook.save(tmp_path / "plain.xlsx")
    # …and its author is the library that wrote it, not the issuing body.
    assert {v.rule for v in check_workbook(tmp_path / "plain.xlsx")} == {"print", "fonts", "wording"}


@pytest.mark.parametrize("period", SAMPLES)
def test_the_news_item_text_versions_are_checked_beside_it(rendered, period):
    news = rendered(period).folder / "tin-bai.docx"
    assert [p.name for p in text_versions(news)] == ["tin-bai.html", "tin-bai.txt"]
    assert all(check_text_version(version) == [] for version in text_versions(news))


@pytest.mark.parametrize("suffix, change, message", [
    (".txt", lambda text: "Tiêu đề dài" * 9 + text[text.index("\n"):], "tiêu đề tin bài dài 99 ký tự; tối đa 80."),
    (".html", lambda text: "<h1>Tiêu đề</h1>\n" + text, "đoạn HTML có thẻ <h1>"),
    (".html", lambda text: text.replace("Cùng dự", "Gõ Cùng dự", 1), "có chữ «Gõ» của chương trình"),
    (".txt", lambda text: text + "\nNếu sai thì gõ lại số đúng.\n", "có chữ «gõ» của chương trình"),
    (".txt", lambda text: text + "\nNếu đúng thì không phải sửa (đây là cảnh báo).\n",
     "có chữ «đây là cảnh báo» của chương trình"),
    (".txt", lambda text: text + "\nỞ thôn, tổ dân phố và thôn, tiểu khu.\n",
     "văn bản gọi cấp dưới xã bằng nhiều cách: «thôn, tiểu khu»; «thôn, tổ dân phố»."),
])
def test_a_fault_in_a_text_version_is_caught_with_the_document(run_folder, tmp_path, suffix, change, message):
    for name in ("tin-bai.docx", "tin-bai.html", "tin-bai.txt"):
        shutil.copy2(run_folder / name, tmp_path / name)
    version = tmp_path / f"tin-bai{suffix}"
    version.write_text(change(version.read_text(encoding="utf-8")), encoding="utf-8")
    found = check_paths([tmp_path / "tin-bai.docx"], pages=False)[tmp_path / "tin-bai.docx"]
    assert [v.rule for v in found] == ["wording"] and message in found[0].message, found
    assert found[0].where.startswith(version.name)
