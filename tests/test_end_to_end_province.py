"""Run the real command on the province sample (tỉnh An Giang, 2025-Q3, two-tier local
government, Nghị định 154/2025) and read what it wrote. The figures are checked against
a reading of the workbooks with openpyxl, and the severance amounts against the decree's
formula worked out here on its own."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from fractions import Fraction

import pytest
from builders import ROOT
from docx import Document
from openpyxl import load_workbook

from pipeline.render.pdf import convert_to_pdf, find_soffice
from pipeline.vn.numbers import format_money

INPUTS = ROOT / "samples" / "tinh-an-giang" / "inputs"
PERIOD = "2025-Q3"


def _table(sheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and str(r[0]).strip().lower() == "họ và tên")
    header = [str(c).strip().lower() if c else "" for c in rows[start]]
    return [dict(zip(header, r)) for r in rows[start + 1:] if any(c not in (None, "") for c in r)]


def _decree(allowance: int, worked: int, to_retirement: int | None) -> int:
    """Điều 9 as README states it, written out again for the check."""
    if to_retirement == 0:
        return 15 * allowance
    years, odd = divmod(worked, 12)
    years += 0 if odd < 3 else Fraction(1, 2) if odd <= 6 else 1
    counted = worked if worked < 60 else min(to_retirement, 60)
    return int(Fraction(8, 10) * allowance * counted + Fraction(3, 2) * allowance * years + 3 * allowance
               + Fraction(1, 2))


@pytest.fixture(scope="module")
def workbooks():
    found = {}
    for path in sorted((INPUTS / PERIOD).glob("*.xlsx")):
        book = load_workbook(path, data_only=True)
        info = {str(r[0]).strip().lower(): r[1] for r in book["Thông tin"].iter_rows(values_only=True) if r[0]}
        found[path.name] = (info, _table(book["Thôi việc"]))
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    outputs = tmp_path_factory.mktemp("outputs")
    command = [sys.executable, "-m", "pipeline", "report", "--period", PERIOD, "--inputs", str(INPUTS),
               "--outputs", str(outputs)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return outputs / PERIOD, done.stdout


def test_the_run_says_why_the_report_names_no_commune_merged_on_1_july_2025(run):
    """The sample's registry fills no «Sáp nhập từ»: the report says none merged, the run says
    to check it, since the period holds the day the communes were rearranged."""
    assert any("Trong kỳ không có đơn vị hành chính cấp xã nào thực hiện sáp nhập" in p
               for p in _paragraphs(run[0] / "bao-cao-so-ket.docx"))
    assert "Lưu ý: Danh mục đơn vị (don-vi.csv hoặc don-vi.xlsx) không ghi đơn vị nào ở cột «Sáp nhập từ»" in run[1]


def test_every_unit_but_the_missing_one_is_counted(run):
    assert "hợp lệ: 101/102 đơn vị" in run[1]
    assert "Chưa gửi báo cáo (1): Vĩnh Tế" in run[1]


def test_no_commune_keeps_part_time_staff_and_each_of_them_left_with_severance(run, workbooks):
    data = json.loads((run[0] / "tong-hop.json").read_text(encoding="utf-8"))
    before = sum(int(info["số người trước sắp xếp"]) for info, _ in workbooks.values())
    assert data["commune"]["people_after"] == 0
    assert data["commune"]["people_before"] == before
    commune_rows = [row for _, rows in workbooks.values() for row in rows if row["cấp"] == "Xã"]
    assert len(commune_rows) == before
    assert data["severance"]["cases"] == sum(len(rows) for _, rows in workbooks.values())


def test_every_commune_level_amount_but_one_is_the_decree_s(workbooks):
    off = [(name, row["số tiền"], _decree(row["phụ cấp hàng tháng"], row["số tháng công tác"],
                                          row["số tháng đến tuổi nghỉ hưu"]))
           for name, (_, rows) in workbooks.items() for row in rows if row["cấp"] == "Xã"
           if row["số tiền"] != _decree(row["phụ cấp hàng tháng"], row["số tháng công tác"],
                                        row["số tháng đến tuổi nghỉ hưu"])]
    assert [(name, computed - entered) for name, entered, computed in off] == [("31078-phu-quoc.xlsx", 1_000_000)]


def test_the_short_payment_is_a_warning_with_both_amounts(run, workbooks):
    entered = workbooks["31078-phu-quoc.xlsx"][1][0]["số tiền"]
    warnings = [line for line in run[1].splitlines() if line.strip().startswith("! Cảnh báo")]
    assert len(warnings) == 1
    assert "tệp 31078-phu-quoc.xlsx, trang Thôi việc, Ông (bà) 'Đào Ngọc Sơn' (dòng 4, ô E4)" in warnings[0]
    assert f"số tiền ghi {format_money(entered)}" in warnings[0]
    assert f"số tiền là {format_money(entered + 1_000_000)}" in warnings[0]
    assert "Nghị định số 154/2025/NĐ-CP" in warnings[0]
    # The province writes "ngàn": no amount in words with another spelling beside its report.
    sheet = " ".join(_paragraphs(run[0] / "phan-hoi" / "31078-phu-quoc.docx"))
    assert "nghìn" not in warnings[0] + sheet and "ngàn" not in warnings[0] + sheet
    # Point b: the months to retirement age (I4) decided the amount, so the fix names them too.
    assert ("Xem lại ô E4, G4, H4, I4: nếu phụ cấp hàng tháng, số tháng công tác và số tháng đến tuổi nghỉ hưu "
            "đúng") in sheet


def _paragraphs(path) -> list[str]:
    return [p.text for p in Document(path).paragraphs]


def _section(paragraphs: list[str], start: str, end: str) -> list[str]:
    first = next(i for i, p in enumerate(paragraphs) if p.startswith(start))
    return paragraphs[first + 1:next(i for i, p in enumerate(paragraphs) if p.startswith(end))]


def test_the_report_is_the_province_s(run):
    paragraphs = _paragraphs(run[0] / "bao-cao-so-ket.docx")
    text = "\n".join(paragraphs)
    assert "101/102 xã, phường, đặc khu" in text
    assert "UBND tỉnh An Giang" in text
    assert "Kính gửi: Bộ Nội vụ." in text
    # The positions were abolished: the section says so, and states no target (none is set).
    commune = " ".join(_section(paragraphs, "1. Sắp xếp người hoạt động", "2. Sắp xếp"))
    assert commune == ("Trước sắp xếp, 101/102 xã, phường, đặc khu đã báo cáo hợp lệ có 1.139 người hoạt động "
                       "không chuyên trách cấp xã, đảm nhiệm 1.010 chức danh. Sau sắp xếp, các chức danh này không "
                       "còn bố trí người đảm nhiệm; đã giải quyết chế độ cho toàn bộ 1.139 người.")
    severance = _section(paragraphs, "4. Thực hiện chế độ", "III. ")
    assert severance[0] == ("Chế độ, chính sách đối với người hoạt động không chuyên trách thôi việc, nghỉ việc "
                            "được thực hiện theo Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về tinh "
                            "giản biên chế.")


def test_no_district_words_in_the_province_s_documents(run):
    texts = ["\n".join(_paragraphs(path)) for path in sorted(run[0].glob("*.docx"))]
    texts.append((run[0] / "tin-bai.txt").read_text(encoding="utf-8"))
    for text in texts:
        assert "huyện" not in text.lower()
        assert "thị trấn" not in text.lower()
        assert "0 người/10 chức danh" not in text
        assert "không quá 1 người" not in text  # no commune target is set


def test_the_partial_figures_are_told_and_based(run):
    folder, stdout = run
    assert "Tin bài nêu số liệu của 101/102 xã, phường, đặc khu đã báo cáo hợp lệ" in stdout
    news = [p for p in (folder / "tin-bai.txt").read_text(encoding="utf-8").split("\n\n") if "người" in p
            and any(ch.isdigit() for ch in p) and "Ngày" not in p[:5]]
    # The first states the base; each later one points back to it.
    assert news and "101/102 xã, phường, đặc khu" in news[0]
    assert all("các xã, phường, đặc khu này" in p for p in news[1:])


def test_the_documents_pass_the_format_check(run):
    documents = sorted(run[0].glob("*.docx"))
    done = subprocess.run([sys.executable, "-m", "pipeline", "check", *map(str, documents)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout


def test_the_village_target_set_is_stated_and_its_columns_kept(run):
    # The commune target is off (no sentence on it, tested above); the village one is set.
    paragraphs = _paragraphs(run[0] / "bao-cao-so-ket.docx")
    assert any("đạt chỉ tiêu (không quá 3 người/3 chức danh)" in p for p in paragraphs)
    annex = Document(run[0] / "bao-cao-so-ket.docx").tables[-2]  # Phụ lục I; the last table is Phụ lục II's
    assert "Ấp, khu\u00a0phố chưa đạt" in [c.text for c in annex.rows[2].cells]  # named by the kinds counted
    sheet = load_workbook(run[0] / "phu-luc.xlsx").active
    header = [c.value for row in sheet.iter_rows(min_row=3, max_row=5) for c in row]
    assert "Ấp, khu phố" in header and "Ấp, khu phố chưa đạt chỉ tiêu" in header and "Số ấp, khu phố" in header
    assert not any(str(heading).startswith(("Số đơn vị", "Đơn vị")) for heading in header)  # a commune, in the report


def test_the_feedback_sheets_are_issued_and_signed_by_the_drafting_unit(run):
    document = Document(run[0] / "phan-hoi" / "31078-phu-quoc.docx")
    header = "\n".join(c.text for c in document.tables[0]._cells)
    assert "UBND TỈNH AN GIANG\nSỞ NỘI VỤ" in header and "Số:       /TB-SNV" in header
    signature = "\n".join(c.text for c in document.tables[-1]._cells)
    assert "GIÁM ĐỐC" in signature and "Nguyễn Thanh Sơn" in signature and "TM." not in signature
    text = "\n".join(p.text for p in document.paragraphs)
    # Dates as official texts write them; the warning under its numbered heading by a dash.
    assert "Ngày lập 11/9/2025" in text and "phê duyệt ngày 30/6/2025" in text
    assert "\n- Ông (bà) “Đào Ngọc Sơn” (dòng 4, ô E4) trên trang tính “Thôi việc”: " in text
    assert "\n1. " not in text.split("4. Số liệu cần xác minh")[1]


def test_the_news_item_names_the_province_and_states_the_base_once_a_paragraph(run):
    headline, lead, *paragraphs = (run[0] / "tin-bai.txt").read_text(encoding="utf-8").split("\n\n")
    assert len(headline) <= 80 and headline.startswith("Ủy ban nhân dân tỉnh An Giang sơ kết")
    assert lead.startswith("Ngày 30/9/2025, Ủy ban nhân dân tỉnh An Giang đã tổ chức Hội nghị sơ kết")
    figures = [p for p in paragraphs if "101/102" in p]
    assert figures and all(p.count("101/102") == 1 for p in figures)
    assert "đã gửi báo cáo hợp lệ. Tại các xã, phường, đặc khu này, " in figures[0]
    html = (run[0] / "tin-bai.html").read_text(encoding="utf-8")
    assert "<h1" not in html and html.index("<figure>") < html.index("<figcaption>") < html.index("</figure>")


def test_the_many_merged_villages_are_counted_and_listed_in_the_second_annex(run):
    """742 former ấp, khu phố: the report counts them by commune and points to
    Phụ lục II, which lists every merge, as the workbook's second sheet does."""
    data = json.loads((run[0] / "tong-hop.json").read_text(encoding="utf-8"))
    merges = data["villages"]["merges"]
    document = Document(run[0] / "bao-cao-so-ket.docx")
    paragraphs = [p.text for p in document.paragraphs]
    villages = _section(paragraphs, "2. Sắp xếp ấp, khu phố", "3. ")
    assert villages[0].endswith("Việc sáp nhập ấp, khu phố được thực hiện ở 100 xã, phường, đặc khu (chi tiết tại "
                                "Phụ lục II kèm theo).")
    assert len(villages[0]) < 600 and "Cụ thể" not in villages[0]
    assert paragraphs.index("Phụ lục I") < paragraphs.index("Phụ lục II")
    assert "DANH SÁCH ẤP, KHU PHỐ SÁP NHẬP" in paragraphs
    assert len(document.sections) == 3
    table = document.tables[-1]
    # A heading row, a row per merge, and the totals, which give the text's count.
    assert len(table.rows) == 1 + len(merges) + 1 == 1 + 301 + 1
    first = merges[0]
    assert [c.text for c in table.rows[1].cells] == [
        "1", "Phường Bình Đức", "Khu phố Phượng Ninh và Kim Châu", "Khu phố Lạc Khê"]
    assert first["into"] == "Khu phố Lạc Khê" and first["commune"] == "phường Bình Đức"
    former = sum(len(m["former"]) for m in merges)
    assert f"đã sáp nhập {former} ấp, khu phố thành {len(merges)} ấp, khu phố" in villages[0]
    totals = (f"{former} ấp, khu phố", f"{len(merges)} ấp, khu phố")
    assert [c.text for c in table.rows[-1].cells] == ["Tổng cộng", "Tổng cộng", *totals] == [
        "Tổng cộng", "Tổng cộng", "742 ấp, khu phố", "301 ấp, khu phố"]
    book = load_workbook(run[0] / "phu-luc.xlsx")
    assert book.sheetnames == ["Phụ lục I", "Phụ lục II"]
    sheet = book["Phụ lục II"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(rows) == 302 and rows[0] == (1, "Phường Bình Đức", "Khu phố Phượng Ninh và Kim Châu",
                                            "Khu phố Lạc Khê")
    assert rows[-1] == (None, "Tổng cộng", *totals)
    assert all(cell.font.bold for cell in sheet[4 + 301][1:])
    assert sheet.auto_filter.ref == "A3:D304"  # the merges, not their total
    assert sheet["A1"].value == "DANH SÁCH ẤP, KHU PHỐ SÁP NHẬP" and sheet["A2"].value.startswith("(Kèm theo Báo cáo")
    assert sheet.print_title_rows == "$3:$3" and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1


@pytest.mark.parametrize("name", ["bao-cao-so-ket.docx", "bien-ban-hoi-nghi.docx"])
def test_the_province_s_header_breaks_where_officials_break_it(run, name):
    """As the settings' `issuer.name` lines; the minutes' record names the same body on one line."""
    header = Document(run[0] / name).tables[0].cell(0, 0)
    # No cơ quan chủ quản: the issuer heads the column, with no empty line above it.
    assert header.paragraphs[0].text == "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG"


needs_libreoffice = pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                                       reason="LibreOffice (soffice) hoặc poppler-utils chưa được cài")


@needs_libreoffice
def test_the_printed_report_and_minutes_as_a_chief_reads_them(run, tmp_path):
    """Rendered by LibreOffice: the issuer level with the Quốc hiệu; the report's
    section II without the merged villages' names, and Phụ lục II's pages numbered
    on their own; the minutes on two pages, the signatures with the closing line."""
    sources = [run[0] / "bao-cao-so-ket.docx", run[0] / "bien-ban-hoi-nghi.docx"]
    report, minutes = (_pages(pdf) for pdf in convert_to_pdf(sources, tmp_path))
    for document in (report, minutes):
        first = _lines(document[0])
        assert first[0].startswith("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert first[1].startswith("TỈNH AN GIANG Độc lập - Tự do - Hạnh phúc")
    heading = next(line for page in report for line in _lines(page) if line.startswith("2. Sắp xếp ấp"))
    assert not heading.endswith((" khu", " đặc"))  # a term stays whole where the heading wraps
    annex = next(i for i, page in enumerate(report) if "Phụ lục I" in _lines(page)[:2])
    merges = next(i for i, page in enumerate(report) if "Phụ lục II" in _lines(page)[:2])
    assert annex < merges and "Khu phố Phượng Ninh" not in "".join(report[:annex])
    assert "đặc khu" in report[annex] and not re.search(r"đặc(?! khu)", report[annex])  # the heading keeps the term
    assert _lines(report[merges + 1])[0] == "2"  # Phụ lục II's second page: numbered from 1
    # The last merge, then the totals, on the report's last page.
    assert "".join(_lines(report[-1])[-2].split()).startswith("301")
    assert _lines(report[-1])[-1].split() == ["Tổng", "cộng", "742", "ấp,", "khu", "phố", "301", "ấp,", "khu", "phố"]
    assert len(minutes) == 2
    last = _lines(minutes[-1])
    closing = next(i for i, line in enumerate(last) if line.startswith("Hội nghị kết thúc vào"))
    assert last[closing + 1] == "THƯ KÝ CHỦ TỌA"


def _pages(pdf) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.rstrip("\f").split("\f")


def _lines(page: str) -> list[str]:
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


def test_the_minutes_name_the_report_as_its_trich_yeu_does(run):
    title = Document(run[0] / "bao-cao-so-ket.docx").core_properties.title
    minutes = " ".join(_paragraphs(run[0] / "bien-ban-hoi-nghi.docx"))
    assert f"trình bày dự thảo Báo cáo {title[0].lower()}{title[1:]}." in minutes
