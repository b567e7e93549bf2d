"""Run the real command on the shipped sample and read what it wrote.

The figures are checked against totals this test computes on its own, with
openpyxl rather than the pipeline's reader, straight from the workbooks.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

import pytest
from builders import ROOT, SAMPLE_INPUTS, seed_receipts
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from pipeline.run.receipts import LEDGER_FILE
from pipeline.vn.numbers import format_money, format_number
from pipeline.vn.words import money_in_words

PERIOD_DIR = SAMPLE_INPUTS / "2020-11"


# --- an independent reading of the sample ---------------------------------------


def _number(value) -> int | None:
    text = str(value).strip().replace(".", "")
    return int(float(text)) if text.replace(".0", "").isdigit() else None


def _table(sheet, first_header: str) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if any(str(c).strip().lower() == first_header for c in r if c))
    header = [str(c).strip().lower() if c else "" for c in rows[start]]
    return [dict(zip(header, r)) for r in rows[start + 1:] if any(c not in (None, "") for c in r)]


@dataclass
class Oracle:
    valid: int = 0
    people_before: int = 0
    people_after: int = 0
    villages_after: int = 0
    villages_before: int = 0
    village_people_after: int = 0
    severance_cases: int = 0
    paid: int = 0
    severance_names: set[str] = field(default_factory=set)


def independent_totals() -> Oracle:
    latest: dict[str, tuple] = {}
    for path in sorted(PERIOD_DIR.glob("*.xlsx")):
        workbook = load_workbook(path, data_only=True)
        info = {str(r[0]).strip().lower(): r[1] for r in workbook["Thông tin"].iter_rows(values_only=True) if r[0]}
        villages = _table(workbook["Thôn"], "tên thôn")
        people = _table(workbook["Thôi việc"], "họ và tên")
        counts = [_number(info["số người trước sắp xếp"]), _number(info["số người sau sắp xếp"])]
        counts += [_number(v[k]) for v in villages for k in ("số chức danh", "số người trước", "số người sau")]
        valid = all(c is not None for c in counts)
        code = str(info["mã đơn vị"]).strip()
        key = info["ngày lập"]
        if code not in latest or key > latest[code][0]:
            latest[code] = (key, valid, info, villages, people)
    oracle = Oracle()
    for _, valid, info, villages, people in latest.values():
        if not valid:
            continue
        oracle.valid += 1
        oracle.people_before += _number(info["số người trước sắp xếp"])
        oracle.people_after += _number(info["số người sau sắp xếp"])
        oracle.villages_after += len(villages)
        oracle.villages_before += sum(max(1, len([x for x in str(v["sáp nhập từ"] or "").split(";") if x.strip()]))
                                      for v in villages)
        oracle.village_people_after += sum(_number(v["số người sau"]) for v in villages)
        oracle.severance_cases += len(people)
        oracle.paid += sum(_number(p["số tiền"]) for p in people if p["ngày chi trả"])
        oracle.severance_names |= {str(p["họ và tên"]).strip() for p in people}
    return oracle


# --- the run ----------------------------------------------------------------


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    outputs = tmp_path_factory.mktemp("outputs")
    seed_receipts(outputs)  # the receipts as of November 2020, not of the day the test runs
    command = [sys.executable, "-m", "pipeline", "report", "--period", "2020-11",
               "--inputs", str(SAMPLE_INPUTS), "--outputs", str(outputs)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return outputs / "2020-11", done.stdout


@pytest.fixture(scope="module")
def oracle():
    return independent_totals()


@pytest.fixture(scope="module")
def report(run):
    return Document(run[0] / "bao-cao-so-ket.docx")


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_summary_names_the_invalid_superseded_and_missing(run):
    stdout = run[1]
    assert "hợp lệ: 25/27" in stdout
    assert "10222-chau-can.xlsx" in stdout and "ô B9" in stdout
    assert "bao_cao_xa_hong_thai.xlsx: đã được thay thế" in stdout
    assert "Chưa gửi báo cáo (1): Tri Thủy" in stdout


def test_json_figures_equal_the_independent_reading(run, oracle):
    data = json.loads((run[0] / "tong-hop.json").read_text(encoding="utf-8"))
    assert data["returns"]["valid"] == oracle.valid == 25
    assert data["commune"]["people_before"] == oracle.people_before
    assert data["commune"]["people_after"] == oracle.people_after
    assert data["villages"]["after"]["count"] == oracle.villages_after
    assert data["villages"]["before"]["count"] == oracle.villages_before
    assert data["villages"]["people_after"] == oracle.village_people_after
    assert data["severance"]["cases"] == oracle.severance_cases
    assert data["severance"]["paid_amount"] == oracle.paid


def test_report_text_states_the_figures(report, oracle):
    text = body_text(report)
    assert "được tổng hợp từ báo cáo hợp lệ của 25/27 xã, thị trấn" in text
    assert "(Kèm theo Báo cáo số       /BC-UBND ngày 18 tháng 11 năm 2020 của UBND huyện Phú Xuyên)" in text
    assert f"còn {format_number(oracle.people_after)} người, giảm {format_number(oracle.people_before - oracle.people_after)} người" in text
    assert f"sau sắp xếp còn {format_number(oracle.villages_after)} thôn, tiểu khu" in text
    assert f"{format_money(oracle.paid)} (bằng chữ: {money_in_words(oracle.paid)})" in text
    assert text.count("bằng chữ") == 1  # the office's setting: the grand total only
    assert "sáp nhập xã Nam Phong và Nam Triều thành xã Nam Tiến" in text
    assert "xã Tri Thủy chưa gửi; số liệu dưới đây" in text
    assert "{{" not in text and "{%" not in text


def test_report_states_no_legal_basis_when_the_settings_name_none(report):
    # The 2020 district periods paid under their own rules; the settings name no basis.
    text = body_text(report)
    assert "Nghị định số 154" not in text
    assert "được thực hiện theo" not in text


def test_report_never_names_the_people_who_left(report, oracle):
    text = body_text(report)
    assert not [name for name in oracle.severance_names if name in text]


TWIP = 635  # EMU; Word stores lengths in twips, so 15 mm is stored as 14.99 mm


def within_mm(length: int, low: float, high: float) -> bool:
    return Mm(low) - TWIP <= length <= Mm(high) + TWIP


def test_report_layout_is_decree_30(report):
    first = report.sections[0]
    assert within_mm(first.page_width, 210, 210) and within_mm(first.page_height, 297, 297)
    assert within_mm(first.top_margin, 20, 25) and within_mm(first.bottom_margin, 20, 25)
    assert within_mm(first.left_margin, 30, 35) and within_mm(first.right_margin, 15, 20)
    annex = report.sections[-1]
    assert annex.page_width > annex.page_height
    fonts = {run.font.name for p in report.paragraphs for run in p.runs} - {None}
    assert fonts <= {"Times New Roman"}
    assert report.styles["Normal"].font.name == "Times New Roman"
    texts = [p.text.strip() for p in report.paragraphs]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(c.text for t in report.tables for c in t._cells)
    assert "BÁO CÁO" in texts
    assert any(t.endswith("./.") for t in texts)


def test_annex_table_has_every_commune_and_totals(report, oracle):
    table = report.tables[-1]
    text = [[c.text for c in row.cells] for row in table.rows]
    assert "Tổng cộng" in text[-1]
    assert "Thôn, tiểu\u00a0khu" in text[0]  # named by the kinds the sample holds, each term unbroken
    assert text[3][1] == "Thị trấn Phú Xuyên"  # under three heading rows
    assert format_number(oracle.people_after) in text[-1]
    assert sum(1 for row in text if row[0].strip().isdigit()) == oracle.valid
    assert "Thôn, tiểu\u00a0khu chưa đạt" in text[2]  # the sample sets a village target
    assert text[2][3:6] == ["Trước", "Sau", "Giảm"]


def test_annex_workbook_stores_numbers(run, oracle):
    sheet = load_workbook(run[0] / "phu-luc.xlsx")["Phụ lục"]
    rows = [r[1:] for r in sheet.iter_rows(min_row=6, values_only=True)]  # under three header rows, after STT
    assert len(rows) == oracle.valid + 1
    totals = rows[-1]
    assert totals[1] == "Tổng cộng"
    assert oracle.people_after in totals and oracle.paid in totals
    assert sheet.freeze_panes == "D6"
    assert sheet["A2"].value.startswith("(Kèm theo Báo cáo số") and rows[0][1] == "Thị trấn Phú Xuyên"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$5"
    assert sheet.auto_filter.ref == f"A5:P{5 + oracle.valid}"


def test_annex_workbook_is_bordered_with_grouped_numbers_and_a_bold_total(run):
    sheet = load_workbook(run[0] / "phu-luc.xlsx")["Phụ lục"]
    first, total = sheet[6], sheet[sheet.max_row]
    assert all(cell.border.left.style == cell.border.bottom.style == "thin" for cell in (*first, *total))
    assert first[1].number_format == "General" and first[3].number_format == "#,##0"
    assert total[3].number_format == "#,##0"
    assert not any(cell.font.b for cell in first) and all(cell.font.b for cell in total)


def test_annex_workbook_names_the_units_as_the_report_s_annex_does(run, report):
    sheet = load_workbook(run[0] / "phu-luc.xlsx")["Phụ lục"]
    header = [c.value for row in sheet.iter_rows(min_row=3, max_row=5) for c in row if c.value]
    annex_header = [c.text.replace("\u00a0", " ") for c in report.tables[-1].rows[0].cells]
    assert "Tên xã, thị trấn" in header and "Tên xã, thị trấn" in annex_header and "Tên đơn vị" not in header


def test_annex_workbook_shows_a_dash_for_no_money_paid_and_keeps_the_number(run):
    sheet = load_workbook(run[0] / "phu-luc.xlsx")["Phụ lục"]
    paid = [row[-1] for row in sheet.iter_rows(min_row=6)]
    assert {cell.number_format for cell in paid} == {'#,##0;-#,##0;"–"'}
    assert {cell.number_format for cell in sheet[6][3:-1]} == {"#,##0"}  # counts show their 0
    assert all(isinstance(cell.value, int) for cell in paid)  # a number still, for sums and filters


# --- the same bytes as the reviewed run --------------------------------------------

HASHES = ROOT / "tests" / "data" / "sample-2020-11.sha256"


def test_outputs_are_the_reviewed_bytes(run):
    """Every file the sample run writes, byte for byte, as when the hashes were last
    reviewed: a refactoring changes none of them. A change that means to alter the
    documents rewrites the list with `UPDATE_SAMPLE_HASHES=1 make test`, and the
    commit shows which files changed."""
    folder = run[0]
    # The receipt ledger notes the clock time each run looked (tests/test_receipts.py).
    lines = [f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder).as_posix()}"
             for path in sorted(folder.rglob("*"))
             if path.is_file() and not path.name.startswith(".") and path.name != LEDGER_FILE]
    if os.environ.get("UPDATE_SAMPLE_HASHES"):
        HASHES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == HASHES.read_text(encoding="utf-8").splitlines()


# --- the report's section II, as the office chief reads it -------------------------------


def _section_two(document) -> list[str]:
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("II. KẾT QUẢ THỰC HIỆN")
    return paragraphs[start + 1:next(i for i, p in enumerate(paragraphs) if p.startswith("III. "))]


def test_the_returns_are_told_once_against_the_deadline(report):
    """One sentence opens section II: the returns against the deadline (the ledger's
    receipts: xã Hồng Thái's corrected return came two days late), then the base."""
    assert _section_two(report)[0] == (
        "Đối chiếu với hạn gửi báo cáo (ngày 17/11/2020), có 25/27 xã, thị trấn gửi đúng hạn; xã Hồng Thái gửi "
        "muộn; xã Tri Thủy chưa gửi; số liệu dưới đây được tổng hợp từ báo cáo hợp lệ của 25/27 xã, thị trấn "
        "(báo cáo của xã Châu Can còn sai sót, đang được rà soát, gửi lại).")
    assert body_text(report).count("đúng hạn") == 1


def test_the_base_is_stated_once_in_each_subsection(report):
    text = " ".join(_section_two(report))
    # The opening sentence (on time, then the base), then the first figure of sections 1, 2 and 4.
    assert text.count("25/27 xã, thị trấn") == 2 + 3
    assert text.count("25/27 xã, thị trấn đã báo cáo hợp lệ") == 3
    assert "So với chỉ tiêu không quá 8 người/10 chức danh, có 23/25 xã, thị trấn đạt" in text


def test_the_few_merged_villages_are_named_in_the_text_and_there_is_one_annex(report, run):
    text = " ".join(_section_two(report))
    assert "Cụ thể, đã sáp nhập tiểu khu Mỹ Lâm và Phú Thịnh thành tiểu khu Phú Mỹ" in text
    paragraphs = [p.text for p in report.paragraphs]
    assert "Phụ lục" in paragraphs and "Phụ lục I" not in paragraphs and "Phụ lục II" not in paragraphs
    assert len(report.sections) == 2
    assert load_workbook(run[0] / "phu-luc.xlsx").sheetnames == ["Phụ lục"]
