"""The news item: sentences that follow the data and the record, figures worded as
the report words them, nobody from the severance lists, and three formats that
keep every piece of data intact."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from builders import PERIOD, SAMPLE_INPUTS, SETTINGS, UNITS, commune, result_of
from lxml import html as lxml_html

from pipeline.core.model import Person, Severance, Unit, Village
from pipeline.documents.news import news_blockers, news_context
from pipeline.figures.aggregate import aggregate
from pipeline.intake.meeting import load_meeting
from pipeline.intake.registry import load_registry
from pipeline.intake.settings import EMPTY_PERIOD_SETTINGS, load_period_settings, load_settings
from pipeline.render.templating import TEXT_TEMPLATES, make_environment, make_text_environment, render_text
from pipeline.run.orchestrate import validate_period

SAMPLE = load_meeting(SAMPLE_INPUTS / "2020-11").meeting
# Nothing said at the meeting: what is left is the item's own wording of the figures.
QUIET = dataclasses.replace(SAMPLE, opinions=(), conclusions=(), reviews="")
PERIOD_TEXT = load_period_settings(SAMPLE_INPUTS / "2020-11")
AN_BINH, DONG_HOA, PHU_MINH, NAM_TIEN = UNITS
PAID, PENDING = dt.date(2020, 11, 5), None
A = Person("Nguyễn Văn An", "Bí thư Huyện ủy")
B = Person("Trần Thị Bình", "Chủ tịch UBND huyện")
C = Person("Lê Văn Cường", "Phó Bí thư Thường trực Huyện ủy")
TRICKY = 'CTV "Minh" Lộc <b> & {{ x }} – Trung tâm VHTT&TT'


def village(name, kind="Thôn", after=2, merged=()):
    return Village(name, kind, merged, 3, 4, after)


def severance(name, paid_on=PAID, amount=10_000_000):
    return Severance(name, "Xã", "Phó Chỉ huy trưởng Quân sự", "Thôi việc", amount, paid_on)


def stats_of(returns, missing=(), units=UNITS):
    return aggregate(result_of(returns, missing), units, SETTINGS, PERIOD)


def text(stats=None, meeting=SAMPLE, period_text=EMPTY_PERIOD_SETTINGS) -> str:
    stats = stats or stats_of([commune(u, 7, [village(f"Thôn {u.code}")]) for u in UNITS])
    news = news_context(meeting, stats, SETTINGS, period_text)["news"]
    return "\n".join([news["headline"], news["lead"], news["photo_caption"], *news["paragraphs"], news["byline"]])


def tokens(words: str) -> set[str]:
    return set(re.findall(r"\S+", words))


# --- who was there ---------------------------------------------------------------


@pytest.mark.parametrize("chairs, sentence", [
    ((A,), "Đồng chí Nguyễn Văn An, Bí thư Huyện ủy chủ trì hội nghị."),
    ((A, B), "Đồng chí Nguyễn Văn An, Bí thư Huyện ủy và đồng chí Trần Thị Bình, Chủ tịch UBND huyện "
             "đồng chủ trì hội nghị."),
    ((A, B, C), "Các đồng chí Nguyễn Văn An, Bí thư Huyện ủy; Trần Thị Bình, Chủ tịch UBND huyện; "
                "Lê Văn Cường, Phó Bí thư Thường trực Huyện ủy đồng chủ trì hội nghị."),
])
def test_one_chair_or_several(chairs, sentence):
    assert sentence in text(meeting=dataclasses.replace(SAMPLE, chairs=chairs))


def attending(guests, groups):
    return dataclasses.replace(SAMPLE, attendance=dataclasses.replace(SAMPLE.attendance, guests=guests,
                                                                      groups=groups))


def test_one_guest_or_several_with_or_without_groups():
    one = text(meeting=attending((B,), ("lãnh đạo các phòng, ban",)))
    assert "Dự hội nghị có đồng chí Trần Thị Bình, Chủ tịch UBND huyện. Cùng dự có lãnh đạo các phòng, ban." in one
    two = text(meeting=attending((B, C), ()))
    assert ("Dự hội nghị có các đồng chí Trần Thị Bình, Chủ tịch UBND huyện; Lê Văn Cường, Phó Bí thư "
            "Thường trực Huyện ủy.") in two
    groups = text(meeting=attending((), ("Thường trực HĐND, UBND huyện", "lãnh đạo các phòng, ban")))
    assert "Dự hội nghị có Thường trực HĐND, UBND huyện; lãnh đạo các phòng, ban." in groups
    assert "Dự hội nghị" not in text(meeting=attending((), ()))


# --- the figures -------------------------------------------------------------------


def test_villages_are_called_what_the_data_calls_them():
    ap = text(stats_of([commune(u, 7, [village("Ấp 1", "Ấp"), village("Ấp 2", "Ấp", merged=("Ấp A", "Ấp B"))])
                        for u in UNITS]), QUIET)
    assert "ở ấp còn" in ap and "Đã sáp nhập 8 ấp thành 4 ấp; sau sắp xếp còn 8 ấp." in ap
    assert not re.search(r"\bthôn\b", ap.replace(SAMPLE.name, ""))
    thon = text(stats_of([commune(u, 7, [village("Thôn 1")]) for u in UNITS]), QUIET)
    assert "ở thôn còn" in thon and not re.search(r"\bấp\b", thon)


def test_everyone_on_target_is_said_positively_and_no_zero_is_printed():
    news = text(stats_of([commune(u, 7, [village("Thôn 1")]) for u in UNITS]))
    assert "Tất cả 4 xã, thị trấn đều bố trí đạt chỉ tiêu không quá 8 người/10 chức danh." in news
    assert "tất cả 4 thôn đều bố trí đạt chỉ tiêu không quá 2 người/3 chức danh" in news
    assert not {t for t in tokens(news) if re.fullmatch(r"\(?0[,.;)]*", t)}


def test_communes_short_of_target_are_named_then_counted():
    few = text(stats_of([commune(AN_BINH, 9), commune(DONG_HOA, 7), commune(PHU_MINH, 7), commune(NAM_TIEN, 7)]))
    assert "Có 3/4 xã, thị trấn đạt chỉ tiêu không quá 8 người/10 chức danh; còn xã An Bình chưa đạt." in few
    units = tuple(Unit(f"0{i}", f"Xã {i}", "Xã") for i in range(1, 7))
    many = text(stats_of([commune(u, 9 if i < 4 else 7) for i, u in enumerate(units)], units=units))
    assert "Có 2/6 xã đạt chỉ tiêu không quá 8 người/10 chức danh; còn 4 xã chưa đạt." in many
    alone = text(stats_of([commune(AN_BINH, 9)], units=(AN_BINH,)))
    assert "xã An Bình đã gửi báo cáo hợp lệ" in alone and "Xã An Bình chưa bố trí đạt chỉ tiêu" in alone


def test_unchanged_and_missing_returns():
    news = text(stats_of([commune(AN_BINH, 12, before=12)], [DONG_HOA], units=(AN_BINH, DONG_HOA)))
    assert "đến nay 1/2 xã đã gửi báo cáo hợp lệ" in news
    assert "vẫn là 12 người, không thay đổi so với trước sắp xếp" in news
    nobody = text(stats_of([], list(UNITS)))
    assert "đến nay chưa có xã nào gửi báo cáo hợp lệ để tổng hợp số liệu." in nobody
    assert "Sau sắp xếp" not in nobody


def test_merges_are_left_out_when_there_are_none():
    units = (AN_BINH, DONG_HOA)
    news = text(stats_of([commune(u, 7, [village("Thôn 1")]) for u in units], units=units), QUIET)
    assert "sáp nhập" not in news


@pytest.mark.parametrize("people, sentence", [
    ([], "Việc sắp xếp không phát sinh trường hợp nào phải thôi việc, nghỉ việc."),
    ([severance("Nguyễn Văn Tâm", amount=14_875_500)],
     "Có 1 người thôi việc, nghỉ việc do sắp xếp và đã được chi trả trợ cấp 14.875.500 đồng."),
    ([severance("Nguyễn Văn Tâm"), severance("Lê Thị Mai")],
     "Toàn bộ 2 người thôi việc, nghỉ việc do sắp xếp đã được chi trả trợ cấp với tổng số tiền 20.000.000 đồng."),
    ([severance("Nguyễn Văn Tâm", PENDING), severance("Lê Thị Mai", PENDING)],
     "Có 2 người thôi việc, nghỉ việc do sắp xếp; các đơn vị đang hoàn thiện hồ sơ để chi trả trợ cấp."),
    ([severance("Nguyễn Văn Tâm"), severance("Lê Thị Mai", PENDING)],
     "Có 2 người thôi việc, nghỉ việc do sắp xếp; đã chi trả trợ cấp cho 1 người với tổng số tiền "
     "10.000.000 đồng; các đơn vị đang hoàn thiện hồ sơ để chi trả cho 1 người còn lại."),
])
def test_severance_turns_with_the_data_and_never_names_anyone(people, sentence):
    news = text(stats_of([commune(AN_BINH, 7, [village("Thôn 1")], people)], units=(AN_BINH,)))
    assert sentence in news
    assert "Nguyễn Văn Tâm" not in news and "Lê Thị Mai" not in news


# --- the discussion and the conclusions ------------------------------------------


def test_opinions_read_as_reported_speech():
    news = text()
    assert "Tại hội nghị, các đại biểu đã thảo luận" in news
    # Protocol order: the guest from the Sở speaks first, named by title after the attendance named her.
    assert "\nĐồng chí Phó Giám đốc Sở Nội vụ thành phố Hà Nội đánh giá cao" in news
    assert news.count("Vũ Thị Ngọc Lan") == 1
    assert "\nCũng tại hội nghị, đồng chí Nguyễn Đình Chiến, Chủ tịch UBND xã Phú Túc phản ánh việc bố trí" in news
    assert "\nBên cạnh đó, đồng chí Đào Thị Thu Hà" in news
    assert "\nNgoài ra, đại diện Phòng Tài chính - Kế hoạch huyện cho biết" in news
    assert "kiêm nhiệm; đề nghị huyện cho phép" in news


def test_one_opinion_or_none():
    one = text(meeting=dataclasses.replace(SAMPLE, opinions=SAMPLE.opinions[:1]))
    assert "Thảo luận tại hội nghị, đồng chí Nguyễn Đình Chiến" in one and "các đại biểu" not in one
    none = dataclasses.replace(SAMPLE, opinions=())
    assert ("Báo cáo cũng chỉ ra một số tồn tại, hạn chế. " + PERIOD_TEXT.difficulties[0]) in \
        text(meeting=none, period_text=PERIOD_TEXT)
    assert "Báo cáo cũng chỉ ra" not in text(meeting=none) and "thảo luận" not in text(meeting=none)


def test_conclusions_take_a_second_sentence_when_many():
    two = text(meeting=dataclasses.replace(SAMPLE, conclusions=("ghi nhận kết quả", "yêu cầu các xã hoàn thành")))
    # The chair was named in full when he opened the meeting; then by title.
    assert "Kết luận hội nghị, đồng chí Bí thư Huyện ủy ghi nhận kết quả; yêu cầu các xã " \
           "hoàn thành." in two
    assert "Đồng chí Bí thư Huyện ủy cũng giao Phòng Nội vụ" in text()
    # Named in full once, by the photo caption the reader meets first.
    assert text().count("Phạm Đức Thắng") == 1 and "Phạm Đức Thắng" in SAMPLE.news.photo_caption
    assert "\nĐồng chí Bí thư Huyện ủy chủ trì hội nghị." in text()


@pytest.mark.parametrize("caption, chair, guest", [
    # The caption names the chair: the body by title.
    ("Đồng chí Phạm Đức Thắng, Bí thư Huyện ủy phát biểu kết luận hội nghị.", "đồng chí Bí thư Huyện ủy",
     "Vũ Thị Ngọc Lan, Phó Giám đốc"),
    # The caption names a title only: the body names the chair in full.
    ("Đồng chí Bí thư Huyện ủy phát biểu kết luận hội nghị.", "đồng chí Phạm Đức Thắng, Bí thư Huyện ủy",
     "Vũ Thị Ngọc Lan, Phó Giám đốc"),
    # The caption names the guest: she is by title in the attendance.
    ("Đồng chí Vũ Thị Ngọc Lan phát biểu tại hội nghị.", "đồng chí Phạm Đức Thắng, Bí thư Huyện ủy",
     "các đồng chí Phó Giám đốc Sở Nội vụ"),
    ("", "đồng chí Phạm Đức Thắng, Bí thư Huyện ủy", "Vũ Thị Ngọc Lan, Phó Giám đốc"),
])
def test_whoever_the_photo_caption_names_in_full_the_body_names_by_title(caption, chair, guest):
    meeting = dataclasses.replace(SAMPLE, news=dataclasses.replace(SAMPLE.news, photo_caption=caption))
    news = text(meeting=meeting)
    assert f"\n{chair[:1].upper()}{chair[1:]} chủ trì hội nghị." in news
    assert guest in news
    for name in ("Phạm Đức Thắng", "Vũ Thị Ngọc Lan"):
        assert news.count(name) == 1, name
    assert "Kết luận hội nghị" not in text(meeting=dataclasses.replace(SAMPLE, conclusions=()))


def test_lead_and_headline():
    news = news_context(SAMPLE, stats_of([commune(AN_BINH, 7)]), SETTINGS, PERIOD_TEXT)["news"]
    # The lead stands alone on a portal's front page: the body with its place.
    assert news["lead"].startswith("Ngày 18/11/2020, Ban Thường vụ Huyện ủy Phú Xuyên đã tổ chức Hội nghị sơ kết")
    assert news["lead"].endswith("đánh giá kết quả thực hiện Kết luận số 12-KL/HU ngày 02/3/2020 của Ban "
                                 "Thường vụ Huyện ủy.")
    assert news["headline"] == SAMPLE.news.headline
    untitled = dataclasses.replace(SAMPLE, news=dataclasses.replace(SAMPLE.news, headline=""))
    default = news_context(untitled, stats_of([commune(AN_BINH, 7)]), SETTINGS, PERIOD_TEXT)["news"]["headline"]
    # Body, stage and event in 80 characters: the body as the press shortens it
    # ("Ban Thường vụ Huyện ủy Phú Xuyên sơ kết …" is 91), not the place alone.
    assert default == "Huyện ủy Phú Xuyên sơ kết giai đoạn 1 sắp xếp người hoạt động không chuyên trách"
    assert len(SAMPLE.news.headline) <= 80
    own = dataclasses.replace(SAMPLE, news=dataclasses.replace(SAMPLE.news, headline="Tiêu đề riêng"))
    assert news_context(own, stats_of([commune(AN_BINH, 7)]), SETTINGS, PERIOD_TEXT)["news"]["headline"] == \
        "Tiêu đề riêng"


def test_the_file_s_author_is_the_body_as_the_lead_names_it():
    doc = news_context(SAMPLE, stats_of([commune(AN_BINH, 7)]), SETTINGS, PERIOD_TEXT)["doc"]
    assert doc["author"] == "Ban Thường vụ Huyện ủy Phú Xuyên"


def test_what_a_public_item_cannot_do_without():
    assert news_blockers(SAMPLE) == ()
    broken = dataclasses.replace(SAMPLE, name="", held_on=None, chairs=(Person("", "Bí thư Huyện ủy"),),
                                 news=dataclasses.replace(SAMPLE.news, byline=""))
    assert news_blockers(broken) == ("name", "date", "chair", "news.byline")
    with pytest.raises(ValueError):
        news_context(broken, stats_of([commune(AN_BINH, 7)]), SETTINGS, PERIOD_TEXT)


# --- the three formats ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_context(tmp_path_factory):
    settings = load_settings(SAMPLE_INPUTS)
    registry = load_registry(SAMPLE_INPUTS)
    validation = validate_period(PERIOD, SAMPLE_INPUTS, registry, tmp_path_factory.mktemp("outputs"))
    stats = aggregate(validation, registry, settings, PERIOD)
    return news_context(SAMPLE, stats, settings, PERIOD_TEXT)


def rendered(context, suffix: str) -> str:
    environment = make_environment() if suffix == "html" else make_text_environment()
    return render_text(environment, TEXT_TEMPLATES / f"tin-bai.{suffix}", context).decode("utf-8")


def test_sample_item_is_a_news_item_length(sample_context):
    assert 200 <= len(rendered(sample_context, "txt").split()) <= 900


def test_text_is_paragraphs_with_the_byline_last(sample_context):
    txt = rendered(sample_context, "txt")
    blocks = txt.rstrip("\n").split("\n\n")
    assert blocks[0] == sample_context["news"]["headline"] and blocks[-1] == "CTV Minh Lộc – Trung tâm VHTT&TT huyện"
    assert blocks[2] == f"[ẢNH: chèn ảnh hội nghị vào đây]\n{SAMPLE.news.photo_caption}"
    assert txt.endswith("\n") and "\n\n\n" not in txt


def test_html_is_plain_semantic_markup(sample_context):
    source = rendered(sample_context, "html")
    assert "VHTT&amp;TT" in source
    root = lxml_html.fragment_fromstring(source, create_parent="div")
    # No heading: the portal's title field takes the headline.
    assert {e.tag for e in root.iter()} - {"div"} <= {"p", "strong", "em", "figure", "figcaption"}
    assert not any(e.attrib for e in root.iter())
    assert root[0][0].tag == "strong" and root[-1][0].tag == "em"
    figure = root.find("figure")
    assert figure[0].text == "[ẢNH: chèn ảnh hội nghị vào đây]"
    assert figure[1].tag == "figcaption" and figure[1].text == SAMPLE.news.photo_caption


def test_data_survives_every_format(sample_context):
    news = dict(sample_context["news"], byline=TRICKY, headline=TRICKY)
    context = {"news": news}
    assert rendered(context, "txt").count(TRICKY) == 2
    source = rendered(context, "html")
    assert TRICKY not in source and "<b>" not in source
    assert "CTV &#34;Minh&#34; Lộc &lt;b&gt; &amp; {{ x }} – Trung tâm VHTT&amp;TT" in source
    root = lxml_html.fragment_fromstring(source, create_parent="div")
    assert root[-1].text_content() == TRICKY


@pytest.mark.parametrize("name, place, expected", [
    ("Ủy ban nhân dân tỉnh", "Hà Tĩnh",
     "Ủy ban nhân dân tỉnh Hà Tĩnh sơ kết sắp xếp người hoạt động không chuyên trách"),
    ("Ủy ban nhân dân tỉnh", "Bà Rịa - Vũng Tàu",
     "UBND tỉnh Bà Rịa - Vũng Tàu sơ kết sắp xếp người hoạt động không chuyên trách"),
    ("Ban Thường vụ Huyện ủy", "Phú Xuyên",
     "Huyện ủy Phú Xuyên sơ kết sắp xếp người hoạt động không chuyên trách"),
    # No name of the body fits: the place.
    ("Ban Thường vụ Thành ủy", "thành phố Hồ Chí Minh mở rộng",
     "thành phố Hồ Chí Minh mở rộng sơ kết sắp xếp người hoạt động không chuyên trách"),
])
def test_a_default_headline_names_the_body_within_80_characters(name, place, expected):
    meeting = dataclasses.replace(SAMPLE, news=dataclasses.replace(SAMPLE.news, headline=""),
                                  organiser=dataclasses.replace(SAMPLE.organiser, name=name, place=place))
    news = news_context(meeting, stats_of([commune(AN_BINH, 7)]), SETTINGS, EMPTY_PERIOD_SETTINGS)["news"]
    assert news["headline"] == expected
    assert len(expected) <= 80 or expected.startswith(place)


def test_the_lead_dates_the_meeting_as_official_texts_cite_dates():
    early = dataclasses.replace(SAMPLE, held_on=dt.date(2025, 9, 30))
    news = news_context(early, stats_of([commune(AN_BINH, 7)]), SETTINGS, PERIOD_TEXT)["news"]
    assert news["lead"].startswith("Ngày 30/9/2025, ")
    january = dataclasses.replace(SAMPLE, held_on=dt.date(2021, 1, 5))
    assert news_context(january, stats_of([commune(AN_BINH, 7)]), SETTINGS, PERIOD_TEXT)["news"]["lead"] \
        .startswith("Ngày 05/01/2021, ")


def test_partial_figures_state_their_base_once():
    villages = [village("Thôn 1", merged=("Thôn A", "Thôn B"))]
    stats = stats_of([commune(AN_BINH, 9, villages, [severance("Nguyễn Văn Tâm")]),
                      commune(DONG_HOA, 7, villages)], [PHU_MINH, NAM_TIEN])
    paragraphs = news_context(SAMPLE, stats, SETTINGS, PERIOD_TEXT)["news"]["paragraphs"]
    figures = [p for p in paragraphs if re.search(r"\d người", p)]
    assert len(figures) == 3
    # The receipt states it; the paragraph's next sentences point back to it.
    assert "đến nay 2/4 xã đã gửi báo cáo hợp lệ. Tại các xã này, số người" in figures[0]
    assert "Có 1 xã đạt chỉ tiêu" in figures[0]
    # Later paragraphs point back to it, each in its own words, never restating it.
    assert [p.count("2/4 xã") for p in figures] == [1, 0, 0]
    assert figures[1].startswith("Cũng tại các xã này, đã sáp nhập ")
    assert figures[2].startswith("Theo báo cáo của các xã này, có 1 người thôi việc")
    assert not any(re.search(r"đã [^,.;]*, đã ", p) for p in figures)


def test_complete_figures_state_no_base():
    paragraphs = news_context(SAMPLE, stats_of([commune(u, 7) for u in UNITS]), SETTINGS,
                              PERIOD_TEXT)["news"]["paragraphs"]
    figures = [p for p in paragraphs if re.search(r"\d người", p)]
    assert "cả 4/4 xã, thị trấn đã gửi báo cáo hợp lệ. Số người hoạt động" in figures[0]
    assert not any("Tại " in p or "này," in p for p in figures)
