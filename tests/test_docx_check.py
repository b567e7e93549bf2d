"""The format checker on every document the sample run writes, and on copies of
the report broken one rule at a time (so the checker itself is tested)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import SAMPLE_INPUTS
from hypothesis import given, settings
from hypothesis import strategies as st
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from pipeline.cli import house_rules, main
from pipeline.render.check import (
    _PROGRAM_WORD,
    MOTTO,
    NATIONAL_TITLE,
    PARTY_TITLE,
    HouseRules,
    Violation,
    check_document,
    check_paths,
    date_problems,
    format_report,
    number_problems,
    village_terms,
)
from pipeline.run.orchestrate import run_report
from pipeline.vn.periods import parse_period
from pipeline.vn.units import VILLAGE_KINDS, kinds_phrase

BODY_STYLES = ("VBNoiDung", "VBNoiDungTrangKy", "VBNoiDungNghieng", "VBDeMucI", "VBDeMuc1", "VBKetThuc")


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    result = run_report(parse_period("2020-11"), SAMPLE_INPUTS, tmp_path_factory.mktemp("outputs"))
    return result.written[0].parent


@pytest.fixture(scope="module")
def report(run_folder) -> Path:
    return run_folder / "bao-cao-so-ket.docx"


# --- editing copies -----------------------------------------------------------------


def paragraphs(document) -> list[Paragraph]:
    """Every paragraph, also in tables, in document order."""
    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def find(document, start: str) -> Paragraph:
    return next(p for p in paragraphs(document) if p.text.startswith(start))


def body(document) -> list[Paragraph]:
    return [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.pStyle is not None
            and p._p.pPr.pStyle.val in BODY_STYLES]


def remove(paragraph: Paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def edited(report: Path, target: Path, *changes: Callable) -> Path:
    document = Document(report)
    for change in changes:
        change(document)
    document.save(target)
    return target


def rules(violations: list[Violation]) -> list[str]:
    return [v.rule for v in violations]


# --- the documents of the sample run ---------------------------------------------------


def test_every_document_of_the_sample_run_passes(run_folder):
    documents = sorted(run_folder.rglob("*.docx"))
    assert documents, "the sample run wrote no .docx"
    results = check_paths(documents, house=house_rules(SAMPLE_INPUTS))
    assert not any(results.values()), format_report(results)


# --- the office's own settings ------------------------------------------------------------

SAMPLE_ISSUER = ("ỦY BAN NHÂN DÂN", "HUYỆN PHÚ XUYÊN")


def test_the_settings_give_the_checker_the_money_rule_and_every_issuer_name():
    assert house_rules(SAMPLE_INPUTS) == HouseRules("total", (SAMPLE_ISSUER, ("PHÒNG NỘI VỤ",)))


# The report's sentence on the money paid (its base is stated once, in the sentence before).
PAID = "Đã chi trả trợ cấp cho"


def money_twice(d):
    find(d, PAID).add_run(" Cấp xã 390.254.300 đồng (bằng chữ: Ba trăm chín mươi triệu đồng).")


@pytest.mark.parametrize("setting, change, flagged", [
    ("total", None, False), ("all", money_twice, False), ("total", money_twice, True), ("none", None, True),
])
def test_amounts_in_words_follow_the_setting(report, tmp_path, setting, change, flagged):
    path = edited(report, tmp_path / "tien.docx", *([change] if change else []))
    violations = [v for v in check_document(path, HouseRules(setting, (SAMPLE_ISSUER,)))
                  if v.rule == "money_in_words"]
    assert bool(violations) == flagged, violations
    if flagged:
        assert f"(«{setting}»)" in violations[0].message and f"«{PAID[:30]}" in violations[0].where


@pytest.mark.parametrize("configured, flagged", [
    (SAMPLE_ISSUER, False),
    (("ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN",), True),
    (("ỦY BAN NHÂN DÂN HUYỆN", "PHÚ XUYÊN"), True),
    (("PHÒNG NỘI VỤ",), False),  # another issuer's name: not judged on this document
])
def test_the_issuer_breaks_where_the_settings_break_it(report, configured, flagged):
    violations = [v for v in check_document(report, HouseRules("total", (configured,))) if v.rule == "issuer_lines"]
    assert bool(violations) == flagged, violations
    if flagged:
        assert "«ỦY BAN NHÂN DÂN» / «HUYỆN PHÚ XUYÊN»" in violations[0].message


@pytest.mark.parametrize("sentence, flagged", [
    ("Lỗi (tệp a.xlsx, trang Thôn): thôn “Thôn Tây”: số người sau nhiều hơn trước.", True),
    ("Số chức danh: 10; số người sau: 8.", False),
    ("Tổng số tiền 5.000 đồng (bằng chữ: Năm nghìn đồng), trong đó: cấp xã 2 người.", False),
    ("Hội nghị bắt đầu lúc 08:30, kết thúc lúc 10:45: đã thống nhất.", False),
    ("Yêu cầu: số tiền đúng như Điều 9: 5.000 đồng.", True),
])
def test_a_sentence_with_two_colons_is_caught(report, tmp_path, sentence, flagged):
    path = edited(report, tmp_path / "colon.docx", lambda d: find(d, PAID).add_run(" " + sentence))
    violations = [v for v in check_document(path) if "hai dấu hai chấm" in v.message]
    assert bool(violations) == flagged, violations


def test_check_without_readable_settings_skips_their_rules_with_a_note(report, tmp_path, capsys):
    assert main(["check", "--inputs", str(tmp_path), str(report)]) == 0
    out = capsys.readouterr().out
    assert "Lưu ý: không đọc được" in out and "không kiểm tra số tiền ghi bằng chữ" in out
    assert "Không có lỗi thể thức." in out


def test_the_check_says_how_far_it_is_while_a_document_is_checked(report, run_folder):
    """A national report takes seconds to check: the bar moves while it is checked, by
    the files' sizes, and never backwards."""
    annex = run_folder / "phu-luc.xlsx"
    calls: list[tuple[int, int, float]] = []
    check_paths([report, annex], lambda done, total, share: calls.append((done, total, share)))
    shares = [share for _, _, share in calls]
    assert shares == sorted(shares) and calls[-1] == (2, 2, 1.0)
    report_share = report.stat().st_size / (report.stat().st_size + annex.stat().st_size)
    during = [share for done, _, share in calls if done == 0]
    assert len(during) >= 20 and 0 < during[0] < during[-1] <= report_share
    assert (1, 2, pytest.approx(report_share)) in calls


def test_report_of_a_clean_file_says_so(report):
    text = format_report(check_paths([report]))
    assert f"{report}: Không có lỗi thể thức." in text
    assert text.endswith("không có lỗi thể thức.")


# --- broken copies: each caught, precisely ---------------------------------------------


def letter(d):
    d.sections[0].page_width, d.sections[0].page_height = Inches(8.5), Inches(11)


def left_margin_20(d):
    d.sections[0].left_margin = Mm(20)


def arial_run(d):
    find(d, "Tổng số người").runs[0].font.name = "Arial"


def calibri_via_defaults(d):
    styles = d.styles.element
    fonts = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), "Calibri")
    for name in ("Normal", "VB Nội dung"):
        rpr = d.styles[name].element.rPr
        rpr.remove(rpr.find(qn("w:rFonts")))


def national_title_lowercase(d):
    find(d, NATIONAL_TITLE).runs[0].text = NATIONAL_TITLE.lower()


def national_title_not_bold(d):
    find(d, NATIONAL_TITLE).runs[0].bold = False


def motto_en_dashes(d):
    find(d, MOTTO).runs[0].text = MOTTO.replace("-", "–")


def number_without_colon(d):
    find(d, "Số:").text = "Số 05/BC-UBND"


def number_unpadded(d):
    find(d, "Số:").text = "Số: 5/BC-UBND"


def date_day_unpadded(d):
    find(d, "Phú Xuyên, ngày").text = "Phú Xuyên, ngày 5 tháng 11 năm 2020"


def date_month_padded(d):
    find(d, "Phú Xuyên, ngày").text = "Phú Xuyên, ngày 05 tháng 03 năm 2020"


def date_not_italic(d):
    find(d, "Phú Xuyên, ngày").runs[0].italic = False


def title_left(d):
    find(d, "BÁO CÁO").alignment = WD_ALIGN_PARAGRAPH.LEFT


def subject_not_bold(d):
    find(d, "Sơ kết giai đoạn").runs[0].bold = False


def body_left_aligned(d):
    find(d, "Tổng số người").alignment = WD_ALIGN_PARAGRAPH.LEFT


def body_style_left_aligned(d):
    d.styles["VB Nội dung"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


def body_indent_2cm(d):
    find(d, "Tổng số người").paragraph_format.first_line_indent = Cm(2)


def body_double_spaced(d):
    find(d, "Tổng số người").paragraph_format.line_spacing = 2.0


def body_no_space_between(d):
    find(d, "Tổng số người").paragraph_format.space_after = Pt(0)


def body_12pt(d):
    find(d, "Tổng số người").runs[0].font.size = Pt(12)


def body_red(d):
    find(d, "Tổng số người").runs[0].font.color.rgb = RGBColor(0xFF, 0, 0)


def number_on_first_page(d):
    d.sections[0].different_first_page_header_footer = False


def page_number_in_footer(d):
    header = d.sections[0].header._element
    d.sections[0].footer._element.append(copy.deepcopy(header.find(qn("w:p"))))


def end_mark_missing(d):
    closing = find(d, "Trên đây là báo cáo")
    closing.runs[-1].text = closing.runs[-1].text.replace("./.", ".")


def heading_skipped(d):
    find(d, "III. ĐÁNH GIÁ CHUNG").runs[0].text = "IV. ĐÁNH GIÁ CHUNG"


def heading_lowercase(d):
    find(d, "I. TÌNH HÌNH").runs[0].text = "I. Tình hình triển khai thực hiện"


def recipients_plain(d):
    run = find(d, "Nơi nhận:").runs[0]
    run.bold, run.italic = False, False


def recipients_12pt(d):
    find(d, "- Như trên").runs[0].font.size = Pt(12)


def signer_name_upper(d):
    find(d, "Nguyễn Văn Khoa").runs[0].text = "NGUYỄN VĂN KHOA"


def annex_font_9pt(d):
    find(d, "Tổng cộng").runs[0].font.size = Pt(9)


BROKEN = [
    pytest.param(letter, ["page_size"], "khổ giấy 215,9 × 279,4 mm; cần A4", "mục 1", id="letter"),
    pytest.param(left_margin_20, ["margins"], "lề trái 20 mm, cần 30–35 mm", "mục 1", id="left-margin"),
    pytest.param(arial_run, ["font"], "phông Arial; cần Times New Roman", "«Tổng số người", id="arial-run"),
    pytest.param(calibri_via_defaults, ["font"], "phông Calibri; cần Times New Roman. (do định dạng mặc định "
                 "của tài liệu (docDefaults): kiểu «VB Nội dung» không đặt phông riêng; cùng lỗi ở", "mục 1",
                 id="calibri-via-docdefaults"),
    pytest.param(national_title_lowercase, ["national_title"], "Quốc hiệu phải viết in hoa", "«cộng hòa",
                 id="quoc-hieu-lowercase"),
    pytest.param(national_title_not_bold, ["national_title"], "Quốc hiệu phải đậm", "«CỘNG HÒA",
                 id="quoc-hieu-not-bold"),
    pytest.param(motto_en_dashes, ["motto"], "cần đúng «Độc lập - Tự do - Hạnh phúc»", "«Độc lập",
                 id="motto-dashes"),
    pytest.param(number_without_colon, ["number"], "thiếu dấu hai chấm sau «Số»; cần dạng «Số: 05/BC-UBND»",
                 "«Số 05/BC-UBND»", id="number-colon"),
    pytest.param(number_unpadded, ["number"], "số dưới 10 phải có số 0 ở đầu: «05»", "«Số: 5", id="number-zero"),
    pytest.param(date_day_unpadded, ["date"], "ngày dưới 10 phải có số 0 ở đầu: «ngày 05»", "«Phú Xuyên",
                 id="date-day"),
    pytest.param(date_month_padded, ["date"], "tháng 3 không có số 0 ở đầu", "«Phú Xuyên", id="date-month"),
    pytest.param(date_not_italic, ["date"], "dòng địa danh, ngày tháng phải nghiêng", "«Phú Xuyên",
                 id="date-italic"),
    pytest.param(title_left, ["title"], "tên loại văn bản phải căn giữa", "«BÁO CÁO»", id="title-centred"),
    pytest.param(subject_not_bold, ["subject"], "trích yếu phải đậm", "«Sơ kết", id="subject-bold"),
    pytest.param(body_left_aligned, ["body"], "đoạn văn phải căn đều hai bên", "«Tổng số người", id="body-left"),
    pytest.param(body_style_left_aligned, ["body"], "(do kiểu «VB Nội dung»; cùng lỗi ở", "mục 1, đoạn",
                 id="body-style-left"),
    pytest.param(body_indent_2cm, ["body"], "thụt đầu dòng 2 cm; cần 1 cm hoặc 1,27 cm", "«Tổng số người",
                 id="body-indent"),
    pytest.param(body_double_spaced, ["body"], "giãn dòng 2 dòng; cần từ một dòng", "«Tổng số người",
                 id="body-line-spacing"),
    pytest.param(body_no_space_between, ["body"], "khoảng cách giữa các đoạn 0 pt; cần tối thiểu 6 pt",
                 "«Tổng số người", id="body-spacing"),
    pytest.param(body_12pt, ["body"], "nội dung: cỡ chữ 12 pt; cần 13–14 pt", "«Tổng số người", id="body-size"),
    pytest.param(body_red, ["color"], "chữ màu #FF0000", "«Tổng số người", id="colour"),
    pytest.param(number_on_first_page, ["page_number"], "trang 1 không được đánh số", "đầu trang của mục 1",
                 id="page-number-first-page"),
    pytest.param(page_number_in_footer, ["page_number"], "không ở chân trang", "chân trang của mục 1",
                 id="page-number-footer"),
    pytest.param(end_mark_missing, ["end_mark"], "kết thúc bằng dấu «./.»", "«Trên đây là", id="end-mark"),
    pytest.param(heading_skipped, ["heading", "heading"], "đề mục «IV.» sai thứ tự; cần «III.»", "«IV. ĐÁNH",
                 id="heading-order"),
    pytest.param(heading_lowercase, ["heading"], "phải viết in hoa", "«I. Tình hình", id="heading-case"),
    pytest.param(recipients_plain, ["recipients", "recipients"], "«Nơi nhận:» phải đậm", "«Nơi nhận:»",
                 id="noi-nhan-bold-italic"),
    pytest.param(recipients_12pt, ["recipients"], "dòng nơi nhận: cỡ chữ 12 pt; cần 11 pt", "«- Như trên",
                 id="noi-nhan-list-size"),
    pytest.param(signer_name_upper, ["signature"], "họ tên người ký viết chữ thường", "«NGUYỄN VĂN KHOA»",
                 id="signer-name"),
    pytest.param(annex_font_9pt, ["body"], "bảng số liệu: cỡ chữ 9 pt; cần 10–14 pt", "mục 2, bảng",
                 id="annex-table-size"),
]


@pytest.mark.parametrize("change, expected_rules, message, where", BROKEN)
def test_a_broken_copy_is_caught_precisely(report, tmp_path, change, expected_rules, message, where):
    violations = check_document(edited(report, tmp_path / "copy.docx", change))
    assert rules(violations) == expected_rules, format_report({Path("copy.docx"): violations})
    assert message in violations[0].message
    assert where in violations[0].where


def test_recipients_not_bold_italic_names_both(report, tmp_path):
    messages = [v.message for v in check_document(edited(report, tmp_path / "c.docx", recipients_plain))]
    assert messages == ["«Nơi nhận:» phải đậm.", "«Nơi nhận:» phải nghiêng."]


def test_a_file_that_is_not_a_docx_is_reported(tmp_path):
    path = tmp_path / "hong.docx"
    path.write_text("không phải docx", encoding="utf-8")
    assert rules(check_document(path)) == ["file"]


# --- the pieces of the rules --------------------------------------------------------------


@pytest.mark.parametrize("text, party, problems", [
    ("Số: 05/BC-UBND", False, []),
    ("Số:       /BC-UBND", False, []),
    ("Số: 127/QĐ-UBND", False, []),
    ("Số 05/BC-UBND", False, ["thiếu dấu hai chấm sau «Số»"]),
    ("Số: 5/BC-UBND", False, ["số dưới 10 phải có số 0 ở đầu: «05»"]),
    ("Số: 05-BC/UBND", False, ["giữa số và ký hiệu dùng dấu «/», không dùng «-»"]),
    ("Số: 05 / BC-UBND", False, ["không đúng dạng (không có khoảng trắng quanh «/» và «-»)"]),
    ("Số 127-BC/HU", True, []),
    ("Số       -BC/HU", True, []),
    ("Số: 127/BC-HU", True, ["văn bản của Đảng không có dấu hai chấm sau «Số»",
                             "giữa số và tên loại dùng dấu gạch nối «-», không dùng «/»"]),
])
def test_number_line_forms(text, party, problems):
    assert number_problems(text, party) == problems


@pytest.mark.parametrize("text, problems", [
    ("Phú Xuyên, ngày 05 tháng 02 năm 2021", []),
    ("Phú Xuyên, ngày 18 tháng 3 năm 2020", []),
    ("Phú Xuyên, ngày 29 tháng 6 năm 2019", []),
    ("Phú Xuyên, ngày 05 tháng 01 năm 2020", []),
    ("Phú Xuyên, ngày      tháng      năm      ", []),
    ("Phú Xuyên, ngày 5 tháng 11 năm 2020", ["ngày dưới 10 phải có số 0 ở đầu: «ngày 05»"]),
    ("Phú Xuyên, ngày 05 tháng 1 năm 2020", ["tháng 1 và 2 có số 0 ở đầu: «tháng 01»"]),
    ("Phú Xuyên, ngày 05 tháng 03 năm 2020",
     ["tháng 3 không có số 0 ở đầu (chỉ tháng 1, 2 viết 01, 02): «tháng 3»"]),
    ("Phú Xuyên ngày 05 tháng 3 năm 2020", ["không đúng dạng «Địa danh, ngày 05 tháng 02 năm 2021»"]),
])
def test_place_and_date_leading_zero_rule(text, problems):
    assert date_problems(text) == problems


# --- Party layout (§2) ----------------------------------------------------------------------


def set_size(d, style: str, points: float) -> None:
    d.styles[style].font.size = Pt(points)


def party_layout(d):
    """The report turned into a Huyện ủy report, as §2 lays it out."""
    find(d, NATIONAL_TITLE).runs[0].text = PARTY_TITLE
    remove(find(d, MOTTO))  # the rule under the motto is now under the Party title
    find(d, "UBND THÀNH PHỐ").runs[0].text = "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI"
    issuer = find(d, "ỦY BAN NHÂN DÂN\nHUYỆN")
    issuer.runs[0].text = "HUYỆN ỦY PHÚ XUYÊN"
    star = Paragraph(issuer._p.getnext(), issuer._parent)  # the rule under the issuer becomes `*`
    star._p.pPr.remove(star._p.pPr.find(qn("w:pBdr")))
    star._p.pPr.remove(star._p.pPr.find(qn("w:ind")))
    star.style = d.styles["VB Cơ quan chủ quản"]
    star.add_run("*")
    find(d, "Số:").text = "Số 127-BC/HU"
    find(d, "TM. ỦY BAN").runs[0].text = "T/M BAN THƯỜNG VỤ"
    find(d, "KT. CHỦ TỊCH").runs[0].text = "K/T BÍ THƯ"
    find(d, "PHÓ CHỦ TỊCH").runs[0].text = "PHÓ BÍ THƯ"
    set_size(d, "VB Quốc hiệu", 15)
    set_size(d, "VB Cơ quan chủ quản", 14)
    set_size(d, "VB Cơ quan ban hành", 14)
    set_size(d, "VB Tên loại", 15)
    heading = d.styles["VB Nơi nhận"].font  # HD 36's samples: 14, upright, underlined; lines 12
    heading.size, heading.bold, heading.italic, heading.underline = Pt(14), False, False, True
    set_size(d, "VB Nơi nhận - dòng", 12)


def test_party_layout_is_accepted(report, tmp_path):
    violations = check_document(edited(report, tmp_path / "dang.docx", party_layout))
    assert violations == [], format_report({Path("dang.docx"): violations})


@pytest.mark.parametrize("change, expected_rules, message", [
    (lambda d: setattr(find(d, "Số 127"), "text", "Số: 127/BC-HU"), ["number"],
     "văn bản của Đảng không có dấu hai chấm sau «Số»; giữa số và tên loại dùng dấu gạch nối «-», "
     "không dùng «/»; cần dạng «Số 127-BC/HU»"),
    (lambda d: set_size(d, "VB Quốc hiệu", 13), ["national_title"], "cỡ chữ 13 pt; cần 15 pt"),
    (lambda d: remove(find(d, "*")), ["issuer"], "thiếu dấu «*» dưới tên cấp ủy ban hành"),
    (lambda d: setattr(find(d, "T/M BAN").runs[0], "text", "TM. BAN THƯỜNG VỤ"), ["signature"],
     "văn bản của Đảng viết «T/M»"),
    (lambda d: setattr(d.styles["VB Nơi nhận"].font, "underline", False), ["recipients"],
     "«Nơi nhận:» phải gạch chân"),
])
def test_a_broken_party_copy_is_caught(report, tmp_path, change, expected_rules, message):
    violations = check_document(edited(report, tmp_path / "dang.docx", party_layout, change))
    assert rules(violations) == expected_rules, format_report({Path("dang.docx"): violations})
    assert message in violations[0].message


def test_state_rules_do_not_apply_to_a_party_document(report, tmp_path):
    """No Quốc hiệu, no Tiêu ngữ, no colon: right for §2, so nothing to report."""
    violations = check_document(edited(report, tmp_path / "dang.docx", party_layout))
    assert not {"motto", "national_title", "number"} & set(rules(violations))


# --- minutes ------------------------------------------------------------------------------------

MINUTES_LINES = [
    "Thời gian bắt đầu: 8 giờ 00 phút, ngày 18 tháng 11 năm 2020.",
    "Địa điểm: Hội trường Ủy ban nhân dân huyện Phú Xuyên.",
    "Thành phần tham dự: lãnh đạo Ủy ban nhân dân huyện, Chủ tịch Ủy ban nhân dân các xã, thị trấn.",
    "Chủ trì (chủ tọa): ông Nguyễn Văn Khoa, Phó Chủ tịch Ủy ban nhân dân huyện.",
    "Thư ký (người ghi biên bản): bà Trần Thị Hoa, chuyên viên Phòng Nội vụ.",
    "Nội dung (theo diễn biến cuộc họp/hội nghị/hội thảo):",
    "Hội nghị nghe báo cáo sơ kết việc sắp xếp người hoạt động không chuyên trách tháng 11 năm 2020.",
    "Cuộc họp kết thúc vào 11 giờ 00 phút, ngày 18 tháng 11 năm 2020./.",
]


def minutes_layout(lines: list[str]) -> Callable:
    """The report turned into minutes (Mẫu 1.9): fields, closing line, THƯ KÝ |
    CHỦ TỌA, Nơi nhận under them; no place-and-date line."""

    def change(d):
        find(d, "BÁO CÁO").runs[0].text = "BIÊN BẢN"
        find(d, "Sơ kết giai đoạn").text = "Hội nghị sơ kết việc sắp xếp người hoạt động không chuyên trách"
        find(d, "Số:").text = "Số:       /BB-UBND"
        find(d, "Phú Xuyên, ngày").text = ""
        remove(find(d, "Kính gửi"))
        paras = body(d)
        for para, text in zip(paras, lines):
            para.style = d.styles["VB Nội dung"]
            para.text = text
        for para in paras[len(lines):]:
            remove(para)
        table = next(t for t in d.tables if t.rows[0].cells[0].text.startswith("Nơi nhận"))
        left, right = table.rows[0].cells
        for para in reversed(left.paragraphs):  # Nơi nhận moves under the signatures
            table._tbl.addnext(copy.deepcopy(para._p))
        for cell, signer, name in ((left, "THƯ KÝ", "Trần Thị Hoa"), (right, "CHỦ TỌA", "Nguyễn Văn Khoa")):
            for para in cell.paragraphs:
                remove(para)
            cell.add_paragraph(signer, "VB Chữ ký - chức vụ")
            cell.add_paragraph(name, "VB Chữ ký - họ tên")

    return change


def test_minutes_layout_is_accepted(report, tmp_path):
    violations = check_document(edited(report, tmp_path / "bien-ban.docx", minutes_layout(MINUTES_LINES)))
    assert violations == [], format_report({Path("bien-ban.docx"): violations})


def test_minutes_with_fields_out_of_order_are_caught(report, tmp_path):
    swapped = [MINUTES_LINES[1], MINUTES_LINES[0], *MINUTES_LINES[2:]]
    violations = check_document(edited(report, tmp_path / "bien-ban.docx", minutes_layout(swapped)))
    assert rules(violations) == ["minutes_fields"]
    assert violations[0].message.startswith("mục «Địa điểm» phải đứng sau mục «Thời gian bắt đầu»")
    assert "«Địa điểm: Hội trường" in violations[0].where


def test_minutes_without_closing_line_or_secretary_are_caught(report, tmp_path):
    lines = [*MINUTES_LINES[:-1], "Hội nghị thống nhất các nội dung trên./."]
    violations = check_document(edited(report, tmp_path / "bien-ban.docx", minutes_layout(lines),
                                       lambda d: setattr(find(d, "THƯ KÝ"), "text", "NGƯỜI GHI")))
    assert rules(violations) == ["minutes_closing", "minutes_signatures"]
    assert "thiếu chữ ký «THƯ KÝ»" in violations[1].message


def test_minutes_number_must_say_bb(report, tmp_path):
    violations = check_document(edited(report, tmp_path / "bien-ban.docx", minutes_layout(MINUTES_LINES),
                                       lambda d: setattr(find(d, "Số:"), "text", "Số:       /BC-UBND")))
    assert rules(violations) == ["number"]
    assert "ký hiệu «BC» không khớp tên loại «BIÊN BẢN»: cần «BB»" in violations[0].message


# --- documents that are not official documents ------------------------------------------------


def plain_document(path: Path, width=Mm(210), height=Mm(297)) -> Path:
    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.sections[0].page_width, document.sections[0].page_height = width, height
    document.add_paragraph("Huyện Phú Xuyên sơ kết việc sắp xếp người hoạt động không chuyên trách")
    document.add_paragraph("Nội dung tin bài, không có Quốc hiệu, không có nơi nhận.")
    document.save(path)
    return path


def test_a_news_item_is_held_to_font_and_paper_only(tmp_path):
    assert check_document(plain_document(tmp_path / "tin-bai.docx")) == []
    letter_size = check_document(plain_document(tmp_path / "tin-bai-letter.docx", Inches(8.5), Inches(11)))
    assert rules(letter_size) == ["page_size"]


def test_a_news_item_in_calibri_is_caught(tmp_path):
    path = plain_document(tmp_path / "tin-bai.docx")
    document = Document(path)
    document.styles["Normal"].element.rPr.remove(document.styles["Normal"].element.rPr.find(qn("w:rFonts")))
    document.save(path)
    violations = check_document(path)
    assert set(rules(violations)) == {"font"}
    assert "qua theme minorHAnsi" in violations[0].message


@pytest.mark.parametrize("text, words", [
    ("Gõ 7 vào ô B9.", ["Gõ"]),
    ("Xem lại ô E5 rồi gõ lại số đúng.", ["gõ"]),
    ("Nếu đúng thì không phải sửa (đây là cảnh báo).", ["đây là cảnh báo"]),
    ("Nhấp đúp vào tên trang rồi GÕ tên mới.", ["Nhấp đúp", "GÕ"]),
    ("Ghi 7 vào ô B9; ngõ 5 phố Huế.", []),
    ("Giá trị None, True hay {{ tên }}.", ["None", "True", "{{"]),
    ("Nonetheless Trueman", []),
])
def test_program_words_are_whole_words(text, words):
    assert _PROGRAM_WORD.findall(text) == words


@pytest.mark.parametrize("text, terms", [
    # Every kind a return may hold, "bản" and "khối" among them, is one list, also broken across a title's lines.
    ("ở cấp xã, thôn, ấp, bản, xóm, tổ dân phố, khu phố, khu dân cư, khối.",
     ["thôn, ấp, bản, xóm, tổ dân phố, khu phố, khu dân cư, khối"]),
    ("Sắp xếp thôn, ấp,\nbản, xóm, tổ dân phố, khu phố,\nkhu dân cư", ["thôn, ấp, bản, xóm, tổ dân phố, khu phố, khu dân cư"]),
    ("ở bản, tiểu khu, tổ dân phố", ["bản, tiểu khu, tổ dân phố"]),
    # A table's heading: capitalised, no-break spaces inside a kind.
    ("Thôn, ấp, bản, xóm, tổ\xa0dân\xa0phố, khu\xa0phố", ["thôn, ấp, bản, xóm, tổ dân phố, khu phố"]),
    ("Số Bản, Tiểu khu", ["bản, tiểu khu"]),
    ("Các Văn bản, thôn, tiểu khu", ["thôn, tiểu khu"]),
    ("ở khối, tổ dân phố và ở thôn, bản", ["khối, tổ dân phố", "thôn, bản"]),
    # Words that only start like a kind are no list.
    ("các văn bản, thôn, tiểu khu", ["thôn, tiểu khu"]),
    ("đã cơ bản, tổ dân phố, khu phố", ["tổ dân phố, khu phố"]),
    ("khối lượng, thôn", []),
    ("sau khi sáp nhập tiểu khu, khối lượng công việc tăng", []),
    ("ở thôn, bản đồ địa chính", []),
    ("ở thôn, ấp, bản trên địa bàn; thôn, khối thi đua", ["thôn, ấp, bản"]),
    # The words before and after are read across any whitespace too.
    ("Văn\nbản, thôn, tiểu khu", ["thôn, tiểu khu"]),
    ("các văn\xa0bản, tổ dân phố, thôn", ["tổ dân phố, thôn"]),
    ("Biên bản, tiểu khu, thôn", ["tiểu khu, thôn"]),
    ("đã căn bản, thôn, xóm", ["thôn, xóm"]),
    ("ở tiểu khu, khối\nlượng lớn", []),
    ("thôn,  \n tiểu khu", ["thôn, tiểu khu"]),
    ("ở thôn, tiểu khuôn viên", []),
    ("một thôn, một bản", []),
])
def test_village_terms_are_whole_lists_of_kinds(text, terms):
    assert village_terms(text) == terms


def test_one_term_written_with_bản_and_across_lines_is_one_term(report, tmp_path):
    """A province whose returns hold bản has the whole list in the title (broken across
    lines) and in the body: one term, no finding."""
    document = Document(report)
    term = "thôn, ấp, bản, xóm, tổ dân phố"
    written = re.compile(r"thôn,\s+tiểu\s+khu", re.IGNORECASE)
    cells = [p for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    body = [p for p in [*document.paragraphs, *cells] if written.search(p.text)]
    for paragraph in body:
        first, *rest = paragraph.runs
        first.text = written.sub(term, paragraph.text)
        for run in rest:
            run.text = ""
    body[0].runs[-1].add_break()
    body[0].add_run("Ở thôn, ấp,")
    body[0].runs[-1].add_break()
    body[0].add_run("bản, xóm, tổ dân phố.")
    path = tmp_path / "bao-cao-so-ket.docx"
    document.save(path)
    assert not any(written.search(p.text) for p in Document(path).paragraphs)
    assert [v for v in check_document(path) if v.rule == "wording"] == []
    body[1].runs[-1].text += " Ở bản, tiểu khu."
    document.save(path)
    [found] = [v for v in check_document(path) if v.rule == "wording"]
    assert found.message == ("văn bản gọi cấp dưới xã bằng nhiều cách: «thôn, ấp, bản, xóm, tổ dân phố»; "
                             "«bản, tiểu khu».")


@settings(max_examples=200, deadline=None)
@given(kinds=st.lists(st.sampled_from(VILLAGE_KINDS), min_size=2, max_size=len(VILLAGE_KINDS), unique=True),
       spaces=st.lists(st.sampled_from([" ", "\n", "\xa0", " \n "]), min_size=40, max_size=40),
       capital=st.booleans())
def test_the_programs_own_term_is_one_term_however_it_is_laid_out(kinds, spaces, capital):
    """Whatever kinds a period's returns hold, the phrase the documents use for them is
    found whole, as one term: broken across a title's lines, held by no-break spaces in a
    table's heading, capitalised at the start of a heading."""
    term = kinds_phrase(kinds)
    laid_out = "".join(f"{word}{spaces[i]}" for i, word in enumerate(term.split(" "))).rstrip()
    if capital:
        laid_out = laid_out[0].upper() + laid_out[1:]
    for text in (f"ở cấp xã, {laid_out} trên địa bàn.", f"{laid_out}\n", f"Số {laid_out} chưa đạt"):
        assert village_terms(text) == [term]
