"""The minutes: the context follows the form and the report's own sentences, and
both templates (state, Party) render it in the right layout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile

import pytest
from builders import PERIOD, SAMPLE_INPUTS, SETTINGS, UNITS, commune, result_of
from docx import Document
from docx.shared import Pt

from pipeline.core.model import Organiser, Person, Presentation, Severance, Village
from pipeline.documents.minutes import BLANK, PARTY_TEMPLATE, STATE_TEMPLATE, minutes_context, minutes_template
from pipeline.figures.aggregate import aggregate
from pipeline.figures.wording import Wording
from pipeline.intake.meeting import load_meeting
from pipeline.render.templating import TEMPLATES
from pipeline.render.word import render_docx

SAMPLE = load_meeting(SAMPLE_INPUTS / "2020-11").meeting
TRICKY = 'Hội nghị "Đông & Tây" <số 1> {{ x }}'
MANDATORY = ("Thời gian bắt đầu:", "Địa điểm:", "Thành phần tham dự:", "Chủ trì:",
             "Thư ký:", "Nội dung hội nghị:", "Hội nghị kết thúc vào")


@pytest.fixture(scope="module")
def stats():
    villages = [Village("Thôn Một", "Thôn", ("Thôn A", "Thôn B"), 3, 5, 2), Village("Thôn Hai", "Thôn", (), 3, 4, 3)]
    severances = [Severance("Nguyễn Văn Tâm", "Xã", "T", "Thôi việc", 14_875_500, dt.date(2020, 11, 5))]
    returns = [commune(UNITS[0], 7, villages, severances), commune(UNITS[1], 9), commune(UNITS[2], 8)]
    return aggregate(result_of(returns, [UNITS[3]]), UNITS, SETTINGS, PERIOD)


def state(meeting=SAMPLE, **changes):
    organiser = Organiser(False, "UBND huyện", "UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN",
                          "BB-UBND", "5", "", ("Lưu: VT, Hồ sơ.",))
    return dataclasses.replace(meeting, organiser=dataclasses.replace(organiser, **changes))


def test_the_organiser_chooses_the_layout():
    assert minutes_template(SAMPLE) == PARTY_TEMPLATE
    assert minutes_template(state()) == STATE_TEMPLATE


def test_header_follows_the_organiser(stats):
    party = minutes_context(SAMPLE, stats, SETTINGS)["doc"]
    assert party["number_line"] == "Số       -BB/HU"
    assert party["place_date"] == "Phú Xuyên, ngày 18 tháng 11 năm 2020"
    assert party["issuer"] == "HUYỆN ỦY PHÚ XUYÊN" and party["type_name"] == "BIÊN BẢN"
    assert party["recipients"][-1] == "- Lưu Văn phòng Huyện ủy."
    numbered = dataclasses.replace(SAMPLE, organiser=dataclasses.replace(SAMPLE.organiser, number="127"))
    assert minutes_context(numbered, stats, SETTINGS)["doc"]["number_line"] == "Số 127-BB/HU"
    doc = minutes_context(state(), stats, SETTINGS)["doc"]
    assert doc["number_line"] == "Số: 05/BB-UBND"
    assert doc["place_date"] == "X, ngày 18 tháng 11 năm 2020"  # the settings' place when none is given


def test_the_report_s_issuer_breaks_as_the_settings_break_it(stats):
    """The record names the organiser on one line; when it is the report's issuer, the
    header breaks it where `issuer.name` does. Another body stays as the record writes it."""
    settings = dataclasses.replace(SETTINGS, issuer_lines=("ỦY BAN NHÂN DÂN", "HUYỆN PHÚ XUYÊN"))
    assert minutes_context(state(), stats, settings)["doc"]["issuer"] == "ỦY BAN NHÂN DÂN\nHUYỆN PHÚ XUYÊN"
    assert minutes_context(SAMPLE, stats, settings)["doc"]["issuer"] == "HUYỆN ỦY PHÚ XUYÊN"
    assert minutes_context(state(), stats, SETTINGS)["doc"]["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN"


def test_fields_of_the_form(stats):
    meeting = minutes_context(SAMPLE, stats, SETTINGS)["meeting"]
    assert meeting["start"] == "8 giờ 00 phút, ngày 18 tháng 11 năm 2020"
    assert meeting["end"] == "11 giờ 30 phút, ngày 18 tháng 11 năm 2020"
    assert meeting["chair"] == "Đồng chí Phạm Đức Thắng, Bí thư Huyện ủy"
    assert meeting["secretary"] == "Đồng chí Đỗ Thị Thanh Huyền, Chánh Văn phòng Huyện ủy"
    assert meeting["attendees"][0] == "- Đồng chí Vũ Thị Ngọc Lan, Phó Giám đốc Sở Nội vụ thành phố Hà Nội;"
    assert meeting["attendees"][2] == "- Các đồng chí Ủy viên Ban Thường vụ Huyện ủy;"
    assert meeting["attendees"][-1].endswith("xã, thị trấn.")
    assert meeting["concluded_by"] == "Đồng chí Phạm Đức Thắng, Bí thư Huyện ủy"
    assert [c[-1] for c in meeting["conclusions"]] == [";", ";", ";", "."]
    assert meeting["conclusions"][0].startswith("- Ghi nhận, biểu dương")
    third = meeting["opinions"][2]
    assert third["speaker"] == "- Đại diện Phòng Tài chính - Kế hoạch huyện:"
    assert third["points"][0].startswith("+ Cho biết kinh phí") and third["points"][-1].endswith("31/12/2020.")


def test_key_figures_are_the_reports_sentences_after_its_presenter(stats):
    proceedings = minutes_context(SAMPLE, stats, SETTINGS)["meeting"]["proceedings"]
    assert [bool(p["figures"]) for p in proceedings] == [False, True, False]
    assert proceedings[1]["text"].startswith("Đồng chí Trần Quốc Việt, Trưởng phòng Nội vụ huyện trình bày")
    wording = Wording(stats, SETTINGS.style, SETTINGS.drafting_unit)
    # The minutes restate the report's sentences, never with money in words.
    report = " ".join(wording.receipt() + wording.commune_level() + wording.village_level()
                      + wording.commune_merges() + wording.severance(in_words=False))
    figures = [line.removeprefix("- ") for line in proceedings[1]["figures"]]
    assert len(figures) >= 6 and all(line in report for line in figures)
    assert "14.875.500 đồng" in " ".join(figures)


def test_without_a_marked_presenter_the_figures_still_come_first(stats):
    unmarked = dataclasses.replace(SAMPLE, presentations=tuple(
        Presentation(p.speaker, p.content, False) for p in SAMPLE.presentations))
    proceedings = minutes_context(unmarked, stats, SETTINGS)["meeting"]["proceedings"]
    assert proceedings[0]["text"] == "Hội nghị nghe báo cáo sơ kết tháng 11 năm 2020."
    assert proceedings[0]["figures"] and not any(p["figures"] for p in proceedings[1:])


def test_what_the_record_left_out_is_a_blank_to_fill_by_hand(stats):
    empty = dataclasses.replace(SAMPLE, name="", venue="", held_on=None, starts_at=None, ends_at=None, chairs=(),
                                secretary=Person("", "Chánh Văn phòng Huyện ủy"), conclusions=(),
                                attendance=dataclasses.replace(SAMPLE.attendance, guests=(), groups=()))
    context = minutes_context(empty, stats, SETTINGS)
    meeting = context["meeting"]
    assert context["doc"]["subject"] == BLANK and meeting["venue"] == BLANK and meeting["chair"] == BLANK
    assert meeting["start"] == f"{BLANK} giờ {BLANK}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    assert meeting["secretary"] == f"Đồng chí {BLANK}, Chánh Văn phòng Huyện ủy"
    assert meeting["attendees"] == meeting["conclusions"] == [f"- {BLANK}"]
    assert context["doc"]["place_date"] == f"Phú Xuyên, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    assert context["signers"] == {"secretary": "", "chair": ""}


# --- the rendered documents -----------------------------------------------------


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def cells(table) -> list[list[str]]:
    return [[p.text for p in cell.paragraphs if p.text] for cell in table._cells]


@pytest.fixture(scope="module")
def party(stats, tmp_path_factory):
    meeting = dataclasses.replace(SAMPLE, name=TRICKY)
    path = tmp_path_factory.mktemp("minutes") / "bien-ban.docx"
    return Document(render_docx(TEMPLATES / PARTY_TEMPLATE, minutes_context(meeting, stats, SETTINGS), path))


@pytest.fixture(scope="module")
def state_document(stats, tmp_path_factory):
    path = tmp_path_factory.mktemp("minutes") / "bien-ban.docx"
    return Document(render_docx(TEMPLATES / STATE_TEMPLATE, minutes_context(state(), stats, SETTINGS), path))


@pytest.mark.parametrize("which", ["party", "state_document"])
def test_mandatory_fields_in_order(which, request):
    texts = paragraphs(request.getfixturevalue(which))
    found = [next(i for i, t in enumerate(texts) if t.startswith(label)) for label in MANDATORY]
    assert found == sorted(found)
    assert texts[0] == "BIÊN BẢN"
    assert texts[found[-1]].endswith("năm 2020./.")
    assert "Báo cáo nêu các kết quả chủ yếu:" in texts and "Ý kiến thảo luận tại hội nghị:" in texts
    assert not any("{{" in t or "{%" in t for t in texts if t != TRICKY)  # the name holds a literal {{ x }}


@pytest.mark.parametrize("which", ["party", "state_document"])
def test_signatures_then_recipients(which, request):
    signatures = cells(request.getfixturevalue(which).tables[-1])
    assert signatures[0][0] == "THƯ KÝ" and signatures[1][0] == "CHỦ TỌA"
    assert signatures[0][-1] == "Đỗ Thị Thanh Huyền" and signatures[1][-1] == "Phạm Đức Thắng"
    assert signatures[-1][0] == "Nơi nhận:"


def test_party_layout(party):
    header = cells(party.tables[0])
    assert header[0] == ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "HUYỆN ỦY PHÚ XUYÊN", "*"]
    assert header[1] == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert header[2] == ["Số       -BB/HU"] and header[3] == ["Phú Xuyên, ngày 18 tháng 11 năm 2020"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in str(header)
    styles = party.styles
    assert styles["VB Tiêu đề Đảng"].font.size == Pt(15) and styles["VB Tiêu đề Đảng"].font.bold
    assert styles["VB Cơ quan chủ quản"].font.size == Pt(14) and not styles["VB Cơ quan chủ quản"].font.bold
    assert styles["VB Cơ quan ban hành"].font.size == Pt(14) and styles["VB Cơ quan ban hành"].font.bold
    assert styles["VB Địa danh, ngày tháng"].font.italic
    assert styles["VB Tên loại"].font.size == Pt(16) and styles["VB Nội dung"].font.size == Pt(14)
    assert paragraphs(party)[2] == "-----"


def test_state_layout_is_form_1_9(state_document):
    header = cells(state_document.tables[0])
    assert header[0] == ["UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN"]
    assert header[1] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header[2] == ["Số: 05/BB-UBND"] and header[3] == []  # no place-and-date line in Mẫu 1.9
    assert cells(state_document.tables[-1])[-1][-1] == "- Lưu: VT, Hồ sơ."


def test_data_is_escaped_not_interpreted(party):
    assert TRICKY in paragraphs(party)
    fonts = {run.font.name for p in party.paragraphs for run in p.runs} - {None}
    assert fonts <= {"Times New Roman"}


def test_rendering_is_reproducible(stats, tmp_path):
    context = minutes_context(SAMPLE, stats, SETTINGS)
    first = render_docx(TEMPLATES / PARTY_TEMPLATE, context, tmp_path / "a.docx").read_bytes()
    assert render_docx(TEMPLATES / PARTY_TEMPLATE, context, tmp_path / "b.docx").read_bytes() == first
    with zipfile.ZipFile(tmp_path / "a.docx") as archive:
        assert "{{" not in archive.read("word/document.xml").decode("utf-8")
