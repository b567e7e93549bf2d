"""The run page: figures as the statistics hold them, the previous period
compared, data that cannot break out of the markup, links that stay in the
run's folder, and the same bytes for the same run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import unicodedata

import pytest
from builders import PERIOD, SETTINGS, UNITS, commune, result_of
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from pipeline.core.model import Severance, StatusRow, Unit, UnitStatus, Village
from pipeline.documents.run_page import (
    BAR_AREA,
    CHART_WIDTH,
    LABEL_WIDTH,
    RUN_PAGE_FILE,
    STATUS_ORDER,
    TEMPLATE,
    relative_link,
    run_page_context,
    write_run_page,
)
from pipeline.figures.aggregate import aggregate, statistics_json
from pipeline.render.templating import make_environment, render_text
from pipeline.vn.sorting import vn_sort_key

AN_BINH, DONG_HOA, PHU_MINH, NAM_TIEN = UNITS
HOSTILE = '<script>alert("x")</script> & \'Ấp\' {{ 7 * 7 }} {% raw %}</textarea>'
PAID = dt.date(2020, 11, 5)
NEWS_HTML = "<h1>Tin &amp; ảnh</h1>\n<p>Đoạn một.</p>"
NEWS_TEXT = "Tin & ảnh\n\nĐoạn một </script><script>alert(1)</script>\n"


def village(name, after=2, kind="Thôn"):
    return Village(name, kind, (), 3, 4, after)


def severance(level="Xã", paid_on=PAID, amount=10_000_000):
    return Severance("Nguyễn Văn A", level, "Phó Chỉ huy trưởng Quân sự", "Thôi việc", amount, paid_on)


def stats_of(returns, missing=(), units=UNITS):
    return aggregate(result_of(returns, missing), units, SETTINGS, PERIOD)


STATS = stats_of(
    [commune(AN_BINH, 7, [village("Thôn 1"), village("Thôn 2", after=3)], [severance(), severance(paid_on=None)]),
     commune(DONG_HOA, 9, [village("Thôn Đông")], [severance("Thôn", amount=5_000_000)]),
     commune(PHU_MINH, 8, [village("Tổ dân phố 1", kind="Tổ dân phố")])],
    missing=[NAM_TIEN],
)


def row(code, name, status=UnitStatus.VALID, file="x.xlsx", errors=0, prepared_on=dt.date(2020, 11, 12),
        message="", feedback=None):
    return StatusRow(code, name, status, file, errors, prepared_on, message, feedback)


ROWS = (
    row("00101", "An Bình", file="00101.xlsx"),
    row("00102", "Đông Hòa", UnitStatus.INVALID, "dong hoa #1.xlsx", 2, message="Lỗi ở ô B5.",
        feedback="phan-hoi/dong hoa #1.xlsx"),
    row("00103", "Phú Minh", file="00103.xlsx"),
    row("00104", "Nam Tiến", UnitStatus.MISSING, None, 0, None, "Chưa gửi báo cáo."),
    row("00102", "Đông Hòa", UnitStatus.SUPERSEDED, "dong hoa cu.xlsx", prepared_on=dt.date(2020, 11, 1)),
)
DOCUMENTS = ("tong-hop.json", "bao-cao-so-ket.docx", "tin-bai.docx", "tin-bai.html", "tin-bai.txt", "phu-luc.xlsx")


def context(stats=STATS, rows=ROWS, documents=DOCUMENTS, previous=None, news_html=NEWS_HTML, news_text=NEWS_TEXT,
            notes=()):
    return run_page_context(PERIOD, stats, rows, documents, previous, news_html, news_text, notes)


def render(**changes) -> str:
    return render_text(make_environment(), TEMPLATE, context(**changes)).decode("utf-8")


def parsed(page: str):
    return lxml_html.document_fromstring(page)


def figures(ctx) -> dict[str, dict]:
    return {f["key"]: f for f in ctx["figures"]}


# --- the figures -----------------------------------------------------------------


def test_figures_are_the_statistics():
    shown = figures(context())
    c, v, s = STATS.commune, STATS.villages, STATS.severance
    assert {key: f["value"] for key, f in shown.items()} == {
        "returns.valid": STATS.returns.valid,
        "commune.people_after": c.people_after,
        "commune.on_target": c.communes.count - c.over_target.count,
        "villages.after": v.after.count,
        "villages.people_after": v.people_after,
        "villages.on_target": v.meeting_target.count,
        "severance.cases": s.cases,
        "severance.paid_amount": s.paid_amount,
    }
    assert shown["returns.valid"]["shown"] == "3/4"
    assert shown["commune.people_after"]["shown"] == "24 người"
    assert shown["commune.people_after"]["detail"] == "Trước sắp xếp 36 người; giảm 12 người (33,3%)"
    assert shown["commune.on_target"]["shown"] == "2/3"
    assert shown["villages.after"]["shown"] == "4 thôn, tổ dân phố"
    assert shown["severance.paid_amount"]["shown"] == "15.000.000 đồng"
    assert shown["severance.paid_amount"]["detail"] == "Chưa chi trả: 10.000.000 đồng"


@pytest.mark.parametrize(("villages", "scope"), [
    ([village("Thôn 1"), village("Tổ dân phố 1", kind="Tổ dân phố")], "thôn, tổ dân phố"),
    ([village("Ấp 1", kind="Ấp"), village("Khu phố 2", kind="Khu phố")], "ấp, khu phố"),
    ([village("Bản Mòng", kind="Bản")], "bản"),
    # Past three kinds, the level's name, on the heading and in the figures.
    ([village(f"{kind} 1", kind=kind) for kind in ("Thôn", "Ấp", "Bản", "Xóm", "Khu phố")], "thôn, tổ dân phố"),
])
def test_the_page_names_the_village_level_as_the_documents_do(villages, scope):
    stats = stats_of([commune(AN_BINH, 7, villages)], units=(AN_BINH,))
    page = parsed(render(stats=stats))
    (kicker,) = page.xpath('//*[@class="kicker"]')
    assert kicker.text_content() == f"Sắp xếp người hoạt động không chuyên trách ở cấp xã, {scope}"
    (after,) = page.xpath('//*[@data-figure="villages.after"]//data')
    assert after.text_content() == f"{len(villages)} {scope}"
    before = figures(context(stats=stats))["villages.after"]["detail"]
    assert before == f"Trước sắp xếp {len(villages)} {scope}"


def test_the_page_shows_each_figure_with_its_value():
    page = parsed(render())
    for key, figure in figures(context()).items():
        (value,) = page.xpath(f'//*[@data-figure="{key}"]//data')
        assert value.get("value") == str(figure["value"])
        assert value.text_content() == figure["shown"]


def test_previous_period_change_is_shown_like_for_like():
    """Phú Minh was not valid last period: it is left out of every comparison, and
    the page says on which units the periods are compared."""
    before = stats_of([commune(AN_BINH, 8, [village("Thôn 1")]), commune(DONG_HOA, 9, [village("Thôn Đông")])],
                      missing=[PHU_MINH, NAM_TIEN])
    ctx = context(previous=statistics_json(before))
    shown = figures(ctx)
    assert ctx["comparison_note"] == ("So sánh với kỳ trước (tháng 10 năm 2020) chỉ trên 2 xã, thị trấn có báo cáo "
                                      "hợp lệ ở cả hai kỳ (kỳ này 3, kỳ trước 2).")
    assert shown["returns.valid"]["previous"] == {"shown": "2/4", "now": "", "change": "tăng 1 báo cáo"}
    # This period's 24 people include Phú Minh's 8: the same two units held 16.
    assert shown["commune.people_after"]["shown"] == "24 người"
    assert shown["commune.people_after"]["previous"] == {"shown": "17 người", "now": "16 người",
                                                         "change": "giảm 1 người"}
    assert shown["villages.people_after"]["previous"]["change"] == "tăng 3 người"
    assert shown["severance.paid_amount"]["previous"]["change"] == "tăng 15.000.000 đồng"
    assert ("Kỳ trước: 17 người; kỳ này, cùng các đơn vị đó: 16 người — giảm 1 người"
            in " ".join(parsed(render(previous=statistics_json(before))).text_content().split()))


def test_no_unit_valid_in_both_periods_no_comparison():
    before = stats_of([commune(NAM_TIEN, 8)], missing=[AN_BINH, DONG_HOA, PHU_MINH])
    ctx = context(previous=statistics_json(before))
    assert ctx["comparison_note"].startswith("Không có xã, thị trấn nào có báo cáo hợp lệ ở cả kỳ này và kỳ trước")
    assert all(f["previous"] is None for f in ctx["figures"] if f["key"] != "returns.valid")


def test_previous_period_change_on_the_same_units():
    fewer = stats_of([commune(AN_BINH, 7, [village("Thôn 1"), village("Thôn 2", after=3)],
                              [severance(), severance(paid_on=None)]),
                      commune(DONG_HOA, 9, [village("Thôn Đông")], [severance("Thôn", amount=5_000_000)]),
                      commune(PHU_MINH, 10, [village("Tổ dân phố 1", kind="Tổ dân phố")])], missing=[NAM_TIEN])
    ctx = context(previous=statistics_json(fewer))
    assert ctx["comparison_note"] == ""
    assert figures(ctx)["commune.people_after"]["previous"] == {"shown": "26 người", "now": "",
                                                                "change": "giảm 2 người"}
    assert figures(context(previous=statistics_json(STATS)))["severance.cases"]["previous"]["change"] == "không đổi"
    assert "Kỳ trước: 3/4 — không đổi" in " ".join(parsed(render(previous=statistics_json(fewer)))
                                                  .text_content().split())


def test_without_a_previous_period_the_page_says_so():
    ctx = context()
    assert ctx["comparison_note"] == "Chưa có số liệu của kỳ trước (tháng 10 năm 2020) để so sánh."
    assert all(f["previous"] is None for f in ctx["figures"])


def test_an_older_statistics_file_compares_what_it_has():
    previous = statistics_json(STATS)
    for unit in previous["rows"]:
        del unit["severance_cases"]
    ctx = context(previous=previous)
    assert "thiếu một số mục" in ctx["comparison_note"]
    assert figures(ctx)["severance.cases"]["previous"] is None
    assert figures(ctx)["commune.people_after"]["previous"]["change"] == "không đổi"


def test_a_period_without_valid_returns_still_has_a_page():
    empty = stats_of([], missing=UNITS)
    page = render(stats=empty, rows=(), documents=(), news_html=None, news_text=None)
    text = " ".join(parsed(page).text_content().split())
    assert "Chưa có báo cáo hợp lệ nào nên chưa có biểu đồ." in text
    assert "Kỳ này chưa có tin bài" in text
    assert figures(context(stats=empty))["returns.valid"]["shown"] == "0/4"


# --- the return status ------------------------------------------------------------


def test_status_rows_are_all_listed_with_their_feedback():
    page = parsed(render())
    lines = page.xpath('//table[@id="bang-tinh-hinh"]/tbody/tr')
    assert [tr.xpath("td")[1].text_content() for tr in lines] == [r.name for r in ROWS]
    assert [tr.xpath("td")[2].text_content() for tr in lines] == [r.status.value for r in ROWS]
    (link,) = lines[1].xpath(".//a")
    assert link.get("href") == "phan-hoi/dong%20hoa%20%231.xlsx"
    assert lines[3].xpath("td")[4].text_content() == ""  # nothing received: no error count
    summary = [li.text_content() for li in page.xpath('//ul[@class="chips"]/li')]
    assert summary == ["Hợp lệ: 2", "Có lỗi: 1", "Chưa gửi: 1", "Đã được thay thế: 1"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="aăâbdđeêioôơuưyAĐÂƯ áàảãạấầ0123456789", min_size=0, max_size=8),
                min_size=1, max_size=12))
def test_name_ranks_follow_the_vietnamese_order(names):
    ctx = context(rows=[row(str(i), name) for i, name in enumerate(names)])
    ranks = [r["sort"]["name"] for r in ctx["status"]["rows"]]
    assert sorted(ranks) == list(range(len(names)))
    by_rank = [names[i] for i in sorted(range(len(names)), key=lambda i: ranks[i])]
    blank = [n for n in by_rank if not n.strip()]
    assert by_rank == sorted((n for n in names if n.strip()), key=vn_sort_key) + blank


def test_status_ranks_put_what_needs_acting_on_first():
    ctx = context(rows=[row(str(i), "X", status) for i, status in enumerate(reversed(STATUS_ORDER))])
    assert [r["sort"]["status"] for r in ctx["status"]["rows"]] == list(reversed(range(len(STATUS_ORDER))))


def test_missing_dates_and_counts_sort_last():
    ranks = [r["sort"] for r in context()["status"]["rows"]]
    assert ranks[3]["date"] == len(ROWS) - 1
    assert ranks[3]["errors"] == len(ROWS) - 1
    assert ranks[4]["date"] == 0  # the earliest date


# --- escaping -----------------------------------------------------------------------


def test_hostile_names_stay_text_everywhere():
    hostile_unit = Unit("00105", HOSTILE, "Xã")
    stats = stats_of([commune(AN_BINH, 7, [village("Thôn 1")]), commune(hostile_unit, 9, [village(HOSTILE)])],
                     units=(AN_BINH, hostile_unit))
    rows = (row("00105", HOSTILE, UnitStatus.INVALID, f"{HOSTILE}.xlsx", 1, message=HOSTILE,
                feedback=f"phan-hoi/{HOSTILE}.xlsx"),)
    page = render(stats=stats, rows=rows, news_text=HOSTILE)
    document = parsed(page)
    assert "alert" not in "".join(s.text_content() for s in document.xpath("//script[not(@type)]"))
    assert len(document.xpath("//script")) == 2  # the page's own, and the news item's data
    cells = document.xpath('//table[@id="bang-tinh-hinh"]/tbody/tr/td')
    assert cells[1].text_content() == HOSTILE
    assert cells[3].text_content() == f"{HOSTILE}.xlsx"
    assert cells[6].text_content() == HOSTILE
    assert document.xpath("//svg//text[contains(., 'alert')]")[0].text_content() == f"xã {HOSTILE}"
    (data,) = document.xpath('//script[@type="application/json"]')
    assert json.loads(data.text_content()) == {"html": NEWS_HTML, "text": HOSTILE, "headline": HOSTILE}
    # The preview shows the headline above the body, as text.
    frame = lxml_html.document_fromstring(document.xpath('//iframe[@id="khung-tin-bai"]')[0].get("srcdoc"))
    assert frame.xpath("//h1")[0].text_content() == HOSTILE and not frame.xpath("//h1/script")
    assert "</script" not in data.text_content() and "</textarea" not in page.lower()


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), min_size=1, max_size=30))
def test_any_name_reads_back_as_written(name):
    page = parsed(render(rows=(row("1", name, file=name, message=name),), news_text=name))
    cells = page.xpath('//table[@id="bang-tinh-hinh"]/tbody/tr/td')
    expected = unicodedata.normalize("NFC", name)
    assert [cells[1].text_content(), cells[3].text_content(), cells[6].text_content()] == [expected] * 3
    (data,) = page.xpath('//script[@type="application/json"]')
    assert json.loads(data.text_content())["text"] == expected
    assert len(page.xpath("//script")) == 2


def test_the_news_item_is_framed_as_it_was_written():
    document = parsed(render())
    (frame,) = document.xpath("//iframe")
    assert frame.get("sandbox") == "allow-same-origin"  # no scripts inside the frame
    inner = lxml_html.document_fromstring(frame.get("srcdoc"))
    assert inner.xpath("//h1")[0].text_content() == "Tin & ảnh"
    assert inner.xpath("//p")[0].text_content() == "Đoạn một."


# --- links ---------------------------------------------------------------------------


def test_nothing_on_the_page_reaches_another_host():
    page = render()
    document = parsed(page)
    targets = [value for element in document.iter() if isinstance(element.tag, str)
               for name, value in element.attrib.items() if name in ("href", "src", "action", "data", "srcset")]
    inner = lxml_html.document_fromstring(document.xpath("//iframe")[0].get("srcdoc"))
    targets += [v for e in inner.iter() if isinstance(e.tag, str) for n, v in e.attrib.items() if n in ("href", "src")]
    assert targets
    for target in targets:
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//|^/", target, re.IGNORECASE), target
    assert not re.search(r"https?:|//[a-z]", page, re.IGNORECASE)
    assert not document.xpath("//*[@src]")  # no script, image or frame is loaded from a file either
    assert "default-src 'none'" in document.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")


def test_documents_are_grouped_and_linked_relatively():
    documents = context(documents=DOCUMENTS + ("bao-cao-so-ket.pdf", "ghi chu #2.csv"))["documents"]
    assert [d["title"] for d in documents] == [
        "Dự thảo báo cáo sơ kết (kèm phụ lục số liệu từng xã)", "Phụ lục số liệu từng xã (bảng tính)",
        "Tin bài đăng cổng thông tin điện tử", "Số liệu tổng hợp, cho các chương trình khác", "ghi chu #2"]
    assert [(link["format"], link["href"]) for link in documents[0]["links"]] == [
        ("Word", "bao-cao-so-ket.docx"), ("PDF", "bao-cao-so-ket.pdf")]
    assert [link["format"] for link in documents[2]["links"]] == ["Word", "HTML", "Chữ thuần"]
    assert documents[-1]["links"][0]["href"] == "ghi%20chu%20%232.csv"


@pytest.mark.parametrize("path", ["../2020-10/x.xlsx", "phan-hoi/../../x", "/etc/passwd", "\\\\server\\x", ""])
def test_links_must_stay_in_the_runs_folder(path):
    with pytest.raises(ValueError):
        relative_link(path)


@pytest.mark.parametrize("path, link", [
    ("phan-hoi/BC: xã A?.xlsx", "phan-hoi/BC%3A%20x%C3%A3%20A%3F.xlsx"),
    ("javascript:alert(1)", "javascript%3Aalert%281%29"),
    ("phan-hoi\\a.xlsx", "phan-hoi/a.xlsx"),
])
def test_a_link_never_reads_as_a_scheme(path, link):
    assert relative_link(path) == link


# --- charts --------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), min_size=1, max_size=6))
def test_bars_are_proportional_and_stay_in_the_chart(people):
    units = tuple(Unit(f"0{i:04d}", f"Xã {i}", "Xã") for i in range(len(people)))
    stats = stats_of([commune(u, after, before=before) for u, (before, after) in zip(units, people)], units=units)
    chart = context(stats=stats)["charts"][0]
    largest = max([b for b, _ in people] + [a for _, a in people] + [SETTINGS.commune_target.people])
    for line, (before, after) in zip(chart["rows"], people):
        widths = [sum(float(s["width"]) for s in bar["segments"]) for bar in line["bars"]]
        assert widths == pytest.approx([before / largest * BAR_AREA, after / largest * BAR_AREA], abs=0.1)
        for bar in line["bars"]:
            for segment in bar["segments"]:
                assert LABEL_WIDTH <= float(segment["x"]) and float(segment["x"]) + float(segment["width"]) \
                    <= LABEL_WIDTH + BAR_AREA + 0.1
            assert float(bar["text_x"]) < CHART_WIDTH
    assert LABEL_WIDTH <= float(chart["marker"]["x"]) <= LABEL_WIDTH + BAR_AREA


def test_charts_read_in_black_and_white():
    document = parsed(render())
    charts = document.xpath("//svg")
    assert [c.xpath("string(title)") for c in charts] == [
        "Người hoạt động không chuyên trách cấp xã, trước và sau sắp xếp",
        "Thôn, tổ dân phố bố trí đạt chỉ tiêu",
        "Người thôi việc, nghỉ việc do sắp xếp, theo cấp"]
    for chart in charts:
        fills = {r.get("fill") or r.get("class") for r in chart.xpath("rect[not(ancestor::pattern)]")}
        assert len(fills) == 2 and any(f.startswith("url(#") for f in fills)  # a pattern, not a second colour
        assert chart.xpath("text")  # every bar is labelled with its number
    labels = [t.text_content() for t in charts[2].xpath("text")]
    assert "Cấp xã" in labels and "Ở thôn, tổ dân phố" in labels


# --- writing the page ----------------------------------------------------------------


def sample_folder(tmp_path, previous: str | None = None):
    folder = tmp_path / "outputs" / "2020-11"
    folder.mkdir(parents=True)
    for name in DOCUMENTS:
        (folder / name).write_text(NEWS_HTML if name.endswith(".html") else NEWS_TEXT, encoding="utf-8")
    if previous is not None:
        (tmp_path / "outputs" / "2020-10").mkdir()
        (tmp_path / "outputs" / "2020-10" / "tong-hop.json").write_text(previous, encoding="utf-8")
    return folder, [folder / name for name in DOCUMENTS]


def test_write_reads_the_previous_period_beside_the_folder(tmp_path):
    folder, written = sample_folder(tmp_path, json.dumps(statistics_json(STATS)))
    path = write_run_page(folder, STATS, ROWS, written, notes=("Một lưu ý.",))
    assert path == folder / RUN_PAGE_FILE
    text = " ".join(parsed(path.read_text(encoding="utf-8")).text_content().split())
    assert "So sánh với kỳ trước: tháng 10 năm 2020." in text
    assert "Kỳ trước: 24 người — không đổi" in text
    assert "Một lưu ý." in text


def test_an_unreadable_previous_file_is_a_note_not_a_failure(tmp_path):
    folder, written = sample_folder(tmp_path, "{ không phải JSON")
    text = " ".join(parsed(write_run_page(folder, STATS, ROWS, written).read_text(encoding="utf-8"))
                    .text_content().split())
    assert "Không so sánh được với kỳ trước: tệp" in text and "không đúng định dạng JSON (dòng 1, cột 3)" in text
    assert "Chưa có số liệu của kỳ trước (tháng 10 năm 2020) để so sánh." in text


def test_a_pdf_is_linked_when_it_is_as_new_as_its_document(tmp_path):
    folder, written = sample_folder(tmp_path)
    fresh, stale = folder / "bao-cao-so-ket.pdf", folder / "tin-bai.pdf"
    fresh.write_bytes(b"%PDF")
    stale.write_bytes(b"%PDF")
    older = (folder / "tin-bai.docx").stat().st_mtime - 60
    os.utime(stale, (older, older))
    document = parsed(write_run_page(folder, STATS, ROWS, written).read_text(encoding="utf-8"))
    hrefs = [a.get("href") for a in document.xpath('//ul[@class="documents"]//a')]
    assert "bao-cao-so-ket.pdf" in hrefs and "tin-bai.docx" in hrefs
    assert "tin-bai.pdf" not in hrefs


def test_a_news_item_left_by_an_earlier_run_is_not_shown(tmp_path):
    folder, written = sample_folder(tmp_path)
    this_run = [p for p in written if p.stem != "tin-bai"]  # the record no longer allows a news item
    document = parsed(write_run_page(folder, STATS, ROWS, this_run).read_text(encoding="utf-8"))
    assert not [a for a in document.xpath('//ul[@class="documents"]//a') if a.get("href").startswith("tin-bai")]
    assert not document.xpath("//iframe") and not document.xpath("//button[@data-copy]")
    assert "Kỳ này chưa có tin bài" in document.text_content()


def test_same_run_same_bytes(tmp_path):
    folder, written = sample_folder(tmp_path, json.dumps(statistics_json(STATS)))
    first = write_run_page(folder, STATS, ROWS, written).read_bytes()
    assert write_run_page(folder, STATS, ROWS, written).read_bytes() == first
    assert first == unicodedata.normalize("NFC", first.decode("utf-8")).encode("utf-8")
    changed = dataclasses.replace(STATS, severance=dataclasses.replace(STATS.severance, cases=4))
    assert write_run_page(folder, changed, ROWS, written).read_bytes() != first
