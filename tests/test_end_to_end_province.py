"""Run the real command on the province sample (tỉnh An Giang, 2025-Q3, two-tier local
government, Nghị định 154/2025) and read what it wrote. The figures are checked against
a reading of the workbooks with openpyxl, and the severance amounts against the decree's
formula worked out here on its own."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
from builders import ROOT
from docx import Document
from openpyxl import load_workbook

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
    assert news and all("101/102 xã, phường, đặc khu" in p for p in news)


def test_the_documents_pass_the_format_check(run):
    documents = sorted(run[0].glob("*.docx"))
    done = subprocess.run([sys.executable, "-m", "pipeline", "check", *map(str, documents)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout


def test_the_village_target_set_is_stated_and_its_columns_kept(run):
    # The commune target is off (no sentence on it, tested above); the village one is set.
    paragraphs = _paragraphs(run[0] / "bao-cao-so-ket.docx")
    assert any("đạt chỉ tiêu (không quá 3 người/3 chức danh)" in p for p in paragraphs)
    assert "Số đơn vị chưa đạt" in [c.text for c in Document(run[0] / "bao-cao-so-ket.docx").tables[-1].rows[1].cells]
    sheet = load_workbook(run[0] / "phu-luc.xlsx").active
    assert "Số ấp, khu phố chưa đạt chỉ tiêu" in [c.value for row in sheet.iter_rows(max_row=6) for c in row]


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
