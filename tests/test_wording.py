import dataclasses
import datetime as dt
import functools
import re

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from builders import PERIOD, SETTINGS, UNITS, commune, result_of

from pipeline.core.model import (
    Punctuality,
    ReturnOutcome,
    ReturnStatus,
    Severance,
    Style,
    TimelinessSummary,
    Unit,
    UnitTimeliness,
    Village,
)
from pipeline.figures.aggregate import aggregate
from pipeline.figures.wording import (
    MERGED_COMMUNES_NAMED_AT_MOST,
    MERGED_NAMED_AT_MOST,
    MERGES_ANNEX,
    MERGES_SENTENCE_MAX_CHARS,
    SHORT_NAMED_AT_MOST,
    STAFFING_LEVELS_WRITTEN_AT_MOST,
    Wording,
)
from pipeline.render.check import village_terms
from pipeline.vn.text import NO_BREAK_SPACE, join_names, unbreakable_terms
from pipeline.vn.units import unit_name

AN_BINH, DONG_HOA, PHU_MINH, NAM_TIEN = UNITS
PAID = dt.date(2020, 11, 1)


def wording(returns, missing=(), units=UNITS, style=Style()):
    stats = aggregate(result_of(returns, missing), units, SETTINGS, PERIOD)
    return Wording(stats, style, "Phòng Nội vụ")


def ap(name, after=2, merged=()):
    return Village(name, "Ấp", merged, 3, 4, after)


def test_join_names():
    assert join_names([]) == ""
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B và C"


def test_all_returns_valid_reads_naturally():
    w = wording([commune(u, 7) for u in UNITS])
    assert w.receipt() == ["Số liệu dưới đây được tổng hợp từ báo cáo hợp lệ của 4/4 xã, thị trấn."]


def test_one_missing_commune_is_named_singular():
    w = wording([commune(u, 7) for u in UNITS if u is not DONG_HOA], [DONG_HOA])
    # One sentence with its base: returns are the office's bookkeeping.
    assert w.receipt() == ["Số liệu dưới đây được tổng hợp từ báo cáo hợp lệ của 3/4 xã, thị trấn "
                           "(xã Đông Hòa chưa gửi báo cáo)."]


def test_commune_groups_are_named_by_their_kinds():
    w = wording([commune(AN_BINH, 7), commune(PHU_MINH, 7), commune(NAM_TIEN, 9), commune(DONG_HOA, 7)])
    assert w.staffing_groups() == ("sau sắp xếp, 3 xã, thị trấn bố trí 7 người/10 chức danh; "
                                   "1 xã bố trí 9 người/10 chức danh")
    assert w.commune_target() == ["So với chỉ tiêu không quá 8 người/10 chức danh, có 3/4 xã, thị trấn đạt; "
                                  "còn 1 xã chưa đạt (xã Nam Tiến)."]


def test_everyone_on_target_is_said_positively_not_as_zero():
    w = wording([commune(u, 7, [ap("Ấp 1")]) for u in UNITS])
    text = " ".join(w.commune_level() + w.village_level())
    assert not re.search(r"(?<![\d.])0 ", text)
    assert "Tất cả 4 xã, thị trấn đã bố trí người hoạt động không chuyên trách cấp xã đạt chỉ tiêu" in text
    assert "Sau sắp xếp, tất cả 4 xã, thị trấn đều bố trí 7 người/10 chức danh." in text
    assert "Tất cả 4 ấp đã bố trí" in text


def test_villages_are_called_by_the_kinds_the_data_holds():
    w = wording([commune(AN_BINH, 7, [ap("Ấp Một", merged=("Ấp A", "Ấp B")), ap("Ấp Hai", after=3)])],
                units=(AN_BINH,))
    text = " ".join(w.village_level())
    assert "thôn" not in text
    assert "đã sáp nhập 2 ấp thành 1 ấp, sau sắp xếp còn 2 ấp (giảm 1 ấp)" in text
    assert "Có 1 ấp bố trí không quá 2 người/3 chức danh theo chỉ tiêu; còn 1 ấp chưa đạt" in text


def test_past_three_village_kinds_every_figure_names_the_level_one_way():
    """Many kinds repeated in every sentence read as noise: the level's name, «thôn, tổ dân
    phố», in every figure; a group of one kind keeps it ("2 bản"), a single kind being no list."""
    kinds = ["Ấp", "Bản", "Xóm", "Khu phố"]
    villages = [Village(f"{kind} {n}", kind, (f"{kind} {n}A", f"{kind} {n}B") if kind == "Bản" else (), 3, 4, 2)
                for n, kind in enumerate(kinds)]
    w = wording([commune(AN_BINH, 7, villages)], units=(AN_BINH,))
    text = " ".join([*w.village_level(), *w.key_figures(), w.staff_scope])
    assert "trước sắp xếp có 5 thôn, tổ dân phố; đã sáp nhập 2 bản thành 1 bản" in text.lower()
    assert "sau sắp xếp còn 4 thôn, tổ dân phố" in text
    assert set(village_terms(text)) == {"thôn, tổ dân phố"}


@pytest.mark.parametrize(("kinds", "merged", "term"), [
    (["Thôn", "Ấp", "Khu phố"], ["Thôn", "Ấp"], "thôn, ấp, khu phố"),  # two of three merged: the period's term
    (["Thôn", "Ấp", "Khu phố"], ["Ấp"], "thôn, ấp, khu phố"),
    (["Thôn", "Tiểu khu"], ["Thôn", "Tiểu khu"], "thôn, tiểu khu"),
    (["Thôn", "Ấp", "Bản", "Khu phố", "Xóm"], ["Thôn", "Ấp"], "thôn, tổ dân phố"),
])
def test_every_list_of_village_kinds_in_a_document_is_one_term(kinds, merged, term):
    """A group of several kinds is named by the period's term, never by a list of its own
    («4 thôn, ấp» beside «3 thôn, ấp, khu phố» would name the level two ways)."""
    villages = [Village(f"{kind} {n}", kind, (f"{kind} {n}A", f"{kind} {n}B") if kind in merged else (), 3, 4, 2)
                for n, kind in enumerate(kinds)]
    w = wording([commune(AN_BINH, 7, villages, [Severance("A", "Thôn", "T", "Thôi việc", 1, PAID)])],
                units=(AN_BINH,))
    text = " ".join([*w.village_level(), *w.key_figures(), *w.severance(), w.press_villages(), w.staff_scope])
    assert set(village_terms(text)) == {term}
    kind = merged[0].lower() if len(merged) == 1 else term  # one kind merged: named by it
    assert f"đã sáp nhập {2 * len(merged)} {kind} thành {len(merged)} {kind}" in text


def test_no_merges_and_no_severance():
    units = (Unit("1", "A", "Xã"),)
    w = wording([commune(units[0], 7, [ap("Ấp 1")])], units=units)
    assert w.village_merges().startswith("Trong kỳ không có ấp nào sáp nhập")
    assert w.commune_merges() == ["Trong kỳ không có đơn vị hành chính cấp xã nào thực hiện sáp nhập."]
    assert w.severance()[0].startswith("Trong kỳ không có người hoạt động không chuyên trách nào")


def test_severance_amounts_are_followed_by_words():
    sev = [Severance("A", "Xã", "T", "Thôi việc", 1_149_540_875, PAID),
           Severance("B", "Thôn", "T", "Nghỉ việc", 21_000_000, None)]
    w = wording([commune(AN_BINH, 7, [ap("Ấp 1")], sev)], units=(AN_BINH,))
    lines = w.severance()
    assert lines[0] == ("Tổng số người hoạt động không chuyên trách thôi việc, nghỉ việc do sắp xếp là 2 người, "
                        "trong đó: cấp xã 1 người, ở ấp 1 người; thôi việc 1 người, nghỉ việc 1 người.")
    # By default only the grand total paid is written in words, "bằng chữ" in lower case.
    assert ("1.149.540.875 đồng (bằng chữ: Một tỷ một trăm bốn mươi chín triệu năm trăm bốn mươi nghìn "
            "tám trăm bảy mươi lăm đồng)") in lines[1]
    assert lines[2].startswith("Còn 1 người chưa được chi trả, số tiền 21.000.000 đồng; ")
    assert " ".join(lines).count("bằng chữ") == 1
    every = wording([commune(AN_BINH, 7, [ap("Ấp 1")], sev)], units=(AN_BINH,),
                    style=dataclasses.replace(Style(), money_in_words="all")).severance()
    assert every[2].startswith("Còn 1 người chưa được chi trả, số tiền 21.000.000 đồng (bằng chữ: Hai mươi "
                               "mốt triệu đồng)")
    none = wording([commune(AN_BINH, 7, [ap("Ấp 1")], sev)],
                   style=dataclasses.replace(Style(), money_in_words="none")).severance()
    assert "bằng chữ" not in " ".join(none)
    assert "bằng chữ" not in " ".join(w.key_figures())  # the minutes never write money in words


@pytest.mark.parametrize("missing", [(), (DONG_HOA,)])
def test_everyone_paid_is_said_of_the_cases_above_without_claiming_the_amounts_complete(missing):
    """The returns show a payment for each case, not that each is the full entitlement;
    with a unit missing, "all" would also take in cases nobody reported."""
    sev = [Severance("A", "Xã", "T", "Thôi việc", 105_000, PAID), Severance("B", "Thôn", "T", "Nghỉ việc", 1, PAID)]
    w = wording([commune(u, 7, severances=sev) for u in UNITS if u not in missing], missing)
    lines = w.severance()
    assert lines[-1] == "Đến nay, tất cả các trường hợp trên đã được chi trả trợ cấp."
    one = wording([commune(AN_BINH, 7, severances=sev[:1])], units=(AN_BINH,)).severance()
    assert one[-1] == "Đến nay, trường hợp trên đã được chi trả trợ cấp."
    assert "đầy đủ" not in " ".join(lines)
    assert ("của 3/4 xã, thị trấn đã báo cáo hợp lệ là" in lines[0]) == bool(missing)


def test_house_style_pads_counts_and_reads_le():
    style = dataclasses.replace(Style(), pad_counts=True, zero_tens="lẻ")
    sev = [Severance("A", "Xã", "T", "Thôi việc", 105_000, PAID)]
    w = wording([commune(u, 7, severances=sev if u is AN_BINH else ()) for u in UNITS], style=style)
    assert "04/04 xã, thị trấn" in w.receipt()[0]
    assert "Một trăm lẻ năm nghìn đồng" in " ".join(w.severance())
    assert "07 người/10 chức danh" in w.staffing_groups()


def test_reduction_wording_when_nothing_changed():
    w = wording([commune(AN_BINH, 12, before=12)], units=(AN_BINH,))
    assert "không thay đổi so với trước sắp xếp" in w.commune_level()[0]


# --- the returns against the deadline (Statistics.timeliness) --------------------------------

DEADLINE = dt.date(2020, 11, 17)


def timely(w, **punctuality):
    """`w` with a timeliness summary: each unit's name → Punctuality (default on time)."""
    units = tuple(UnitTimeliness(u.code, unit_name(u.kind, u.name), punctuality.get(u.name, Punctuality.ON_TIME),
                                 None, 0) for u in UNITS)
    counts = [sum(u.punctuality is p for u in units) for p in Punctuality]
    summary = TimelinessSummary(dt.date(2020, 11, 14), DEADLINE, DEADLINE, units, *counts, 0)
    return Wording(dataclasses.replace(w.stats, timeliness=summary), w.style, w.drafting_unit)


def test_the_receipt_tells_the_returns_against_the_deadline_in_one_sentence():
    w = timely(wording([commune(u, 7) for u in UNITS if u is not DONG_HOA], [DONG_HOA]),
               **{"Đông Hòa": Punctuality.MISSING, "Nam Tiến": Punctuality.LATE})
    assert w.receipt() == ["Đối chiếu với hạn gửi báo cáo (ngày 17/11/2020), có 2/4 xã, thị trấn gửi đúng hạn; "
                           "xã Nam Tiến gửi muộn; xã Đông Hòa chưa gửi; số liệu dưới đây được tổng hợp từ báo cáo "
                           "hợp lệ của 3/4 xã, thị trấn."]
    # The minutes restate the figures and their base, not when the returns came in.
    assert w.key_figures()[0] == ("Số liệu dưới đây được tổng hợp từ báo cáo hợp lệ của 3/4 xã, thị trấn "
                                  "(xã Đông Hòa chưa gửi báo cáo).")


def test_every_return_on_time_or_none():
    everyone = timely(wording([commune(u, 7) for u in UNITS]))
    assert everyone.receipt()[0].startswith("Đối chiếu với hạn gửi báo cáo (ngày 17/11/2020), tất cả 4 xã, thị "
                                            "trấn đã gửi đúng hạn; số liệu")
    late = timely(wording([commune(u, 7) for u in UNITS]), **{u.name: Punctuality.LATE for u in UNITS})
    # More than three late are counted, not named; "none" names the kinds of all the units.
    assert late.receipt()[0].startswith("Đối chiếu với hạn gửi báo cáo (ngày 17/11/2020), chưa có xã, thị trấn "
                                        "nào gửi đúng hạn; 4 xã, thị trấn gửi muộn; số liệu")


def test_returns_not_known_on_time_are_neither_called_late_nor_on_time():
    some = timely(wording([commune(u, 7) for u in UNITS]),
                  **{"Nam Tiến": Punctuality.UNKNOWN, "Đông Hòa": Punctuality.LATE})
    assert some.receipt()[0].startswith("Đối chiếu với hạn gửi báo cáo (ngày 17/11/2020), có 2/4 xã, thị trấn gửi "
                                        "đúng hạn; xã Đông Hòa gửi muộn; xã Nam Tiến chưa xác định được ngày gửi; "
                                        "số liệu")
    # None on time, but some may have been: no "chưa có ... nào gửi đúng hạn".
    none_known = timely(wording([commune(u, 7) for u in UNITS]),
                        **{u.name: Punctuality.UNKNOWN if u is AN_BINH else Punctuality.LATE for u in UNITS})
    assert none_known.receipt()[0].startswith("Đối chiếu với hạn gửi báo cáo (ngày 17/11/2020), xã Đông Hòa, "
                                              "thị trấn Phú Minh và xã Nam Tiến gửi muộn; xã An Bình chưa xác định được ngày gửi; số liệu")
    # Nothing known against the deadline (the program first ran after it): nothing said of it.
    unknown = timely(wording([commune(u, 7) for u in UNITS if u is not DONG_HOA], [DONG_HOA]),
                     **{u.name: Punctuality.UNKNOWN for u in UNITS if u is not DONG_HOA}, **{"Đông Hòa": Punctuality.MISSING})
    assert unknown.receipt() == ["Số liệu dưới đây được tổng hợp từ báo cáo hợp lệ của 3/4 xã, thị trấn "
                                 "(xã Đông Hòa chưa gửi báo cáo)."]


# --- the base, once for each group of figures --------------------------------------------------

def test_a_partial_report_states_the_base_once_in_each_part():
    sev = [Severance("A", "Xã", "T", "Thôi việc", 1_000_000, PAID), Severance("B", "Xã", "T", "Thôi việc", 2, None)]
    w = wording([commune(u, 9 if u is NAM_TIEN else 7, [ap(f"Ấp {u.code}", after=3)], sev)
                 for u in UNITS if u is not DONG_HOA], [DONG_HOA])
    base = "3/4 xã, thị trấn đã báo cáo hợp lệ"
    for part in (w.commune_level(), w.village_level(), w.severance()):
        assert base in part[0] and not any(base in line for line in part[1:]), part
    # What follows counts the units reported, never "all the district's".
    assert w.commune_target() == ["So với chỉ tiêu không quá 8 người/10 chức danh, có 2/3 xã, thị trấn đạt; "
                                  "còn 1 xã chưa đạt (xã Nam Tiến)."]
    assert w.village_level()[2].startswith("Chưa có ấp nào bố trí đạt chỉ tiêu")
    assert w.severance()[1].startswith("Đã chi trả trợ cấp cho 3 người")


# --- many merged villages: counted in the text, listed in the annex -----------------------------

def test_few_merged_villages_are_named_many_are_counted_and_left_to_the_annex():
    few = wording([commune(AN_BINH, 7, [ap("Ấp Một", merged=("Ấp A", "Ấp B"))])], units=(AN_BINH,))
    assert few.merges_listed_inline
    assert "Cụ thể, đã sáp nhập ấp A và B thành ấp Một (xã An Bình)." in few.village_merges()
    per_commune = MERGED_NAMED_AT_MOST // 2 + 1  # two former villages a merge: over the threshold in all
    many = wording([commune(u, 7, [ap(f"Ấp {u.code}-{i}", merged=(f"Ấp X{i}", f"Ấp Y{i}"))
                                   for i in range(per_commune)]) for u in (AN_BINH, PHU_MINH)],
                   units=(AN_BINH, PHU_MINH))
    assert not many.merges_listed_inline
    text = many.village_merges()
    assert "Ấp X" not in text and "ấp X" not in text and "Cụ thể" not in text
    assert text.endswith(f"Việc sáp nhập ấp được thực hiện ở 2 xã, thị trấn (chi tiết tại {MERGES_ANNEX} kèm theo).")
    assert f"đã sáp nhập {4 * per_commune} ấp thành {2 * per_commune} ấp" in text


@pytest.mark.parametrize(("merges", "name_length", "named"), [
    (4, 30, True), (4, 60, True), (4, 120, False), (12, 30, False), (12, 60, False),
])
def test_few_merged_villages_with_long_names_are_counted_when_the_sentence_would_outgrow_a_paragraph(
        merges, name_length, named):
    """Under `MERGED_NAMED_AT_MOST` former villages, but names long enough that naming
    them all makes one sentence of more than `MERGES_SENTENCE_MAX_CHARS`: the annex lists them."""
    filler = ("Đông Thượng Hạ Vĩnh Long An " * 10)[:name_length]
    villages = [ap(f"Ấp {i} {filler}", merged=(f"Ấp X{i} {filler}", f"Ấp Y{i} {filler}")) for i in range(merges)]
    w = wording([commune(AN_BINH, 7, villages)], units=(AN_BINH,))
    text = w.village_merges()
    assert w.stats.villages.merged_former.count <= MERGED_NAMED_AT_MOST
    assert w.merges_listed_inline == ("Cụ thể" in text) == named
    assert max(len(sentence) for sentence in re.split(r"(?<=\.) (?=[A-ZĐ])", text)) <= MERGES_SENTENCE_MAX_CHARS


def test_a_heading_wraps_between_terms_never_inside_one():
    assert unbreakable_terms("Tên xã, phường, đặc khu") == f"Tên xã, phường, đặc{NO_BREAK_SPACE}khu"
    assert unbreakable_terms("Thôn, Tổ dân phố sáp nhập") == (
        f"Thôn, Tổ{NO_BREAK_SPACE}dân{NO_BREAK_SPACE}phố sáp nhập")
    assert unbreakable_terms("Ấp sáp nhập") == "Ấp sáp nhập"


# --- a province's lists: named while a sentence can hold them, counted beyond ----------------


def province(count, merged=0, kind="Xã"):
    """`count` units, the first `merged` of them each formed from three former ones."""
    return tuple(Unit(f"{n:05d}", f"Đơn vị {n}", "Phường" if n % 2 else kind,
                      tuple(f"Cũ {n}-{k}" for k in range(3)) if n < merged else ())
                 for n in range(count))


@pytest.mark.parametrize("merged", [1, 2, MERGED_COMMUNES_NAMED_AT_MOST // 3])
def test_mergers_of_up_to_twenty_units_are_written_out(merged):
    units = province(12, merged)
    w = wording([commune(u, 7) for u in units], units=units)
    [line] = w.commune_merges()
    assert line.count(" thành ") == merged and "sáp nhập xã Cũ 0-0, Cũ 0-1 và Cũ 0-2 thành xã Đơn vị 0" in line
    assert line.endswith(f"không chuyên trách của {join_names([unit_name(u.kind, u.name) for u in units[:merged]])} "
                         f"được tính theo đơn vị sau sáp nhập.")
    assert w.press_commune_merges().count(" thành ") == merged


@pytest.mark.parametrize("merged, former, formed", [
    (MERGED_COMMUNES_NAMED_AT_MOST // 3 + 1, "21 đơn vị", "7 xã, phường"),
    (101, "303 đơn vị", "101 xã, phường"),
])
def test_more_units_merged_are_counted_in_the_report_minutes_and_news(merged, former, formed):
    """A province whose communes were nearly all formed by merging: one sentence each,
    not a page of clauses and names. The registry does not say what kind a former unit
    was (a thị trấn may have gone into a xã): the former ones are `đơn vị`."""
    units = province(110, merged)
    w = wording([commune(u, 7) for u in units], units=units)
    assert w.commune_merges() == [
        f"Thực hiện sắp xếp đơn vị hành chính cấp xã, đã sáp nhập {former} thành {formed}. Người hoạt động "
        f"không chuyên trách của các đơn vị trước sáp nhập được tính theo đơn vị sau sáp nhập."]
    assert w.press_commune_merges() == (f"Về sắp xếp đơn vị hành chính cấp xã, đã sáp nhập {former} thành "
                                        f"{formed}.")


def test_units_merged_into_one_kind_are_counted_as_that_kind():
    units = tuple(Unit(f"{n:05d}", f"Đơn vị {n}", "Xã", (f"A{n}", f"B{n}")) for n in range(11))
    w = wording([commune(u, 7) for u in units], units=units)
    assert w.press_commune_merges() == "Về sắp xếp đơn vị hành chính cấp xã, đã sáp nhập 22 đơn vị thành 11 xã."


@pytest.mark.parametrize("short, named", [(1, True), (SHORT_NAMED_AT_MOST, True), (SHORT_NAMED_AT_MOST + 1, False),
                                          (300, False)])
def test_communes_short_of_the_target_are_named_up_to_twenty(short, named):
    units = province(320)
    w = wording([commune(u, 9 if n < short else 7) for n, u in enumerate(units)], units=units)
    [line] = w.commune_target()
    assert line.endswith(f"chưa đạt ({join_names([unit_name(u.kind, u.name) for u in units[:short]])}).") is named
    assert line.count("Đơn vị") == (short if named else 0)
    assert f"còn {short} xã, phường chưa đạt" in line or (short == 1 and "còn 1 xã chưa đạt" in line)


@pytest.mark.parametrize("invalid, missing", [(0, 3), (3, 0), (4, 0), (0, 4), (30, 40)])
def test_returns_left_out_are_named_up_to_three_as_late_ones_are(invalid, missing):
    """Without receipts the sentence names who sent nothing; with them `punctuality`
    does, up to three: returns still wrong are named up to three too."""
    units = province(100)
    absent, wrong, good = units[:missing], units[missing:missing + invalid], units[missing + invalid:]
    result = result_of([commune(u, 7) for u in good], absent)
    result = dataclasses.replace(result, outcomes=result.outcomes + tuple(
        ReturnOutcome(f"{u.code}.xlsx", ReturnStatus.INVALID, u.code, u.name, None) for u in wrong))
    [line] = Wording(aggregate(result, units, SETTINGS, PERIOD), Style(), "Phòng Nội vụ").receipt()
    for group, said in ((wrong, " còn sai sót"), (absent, " chưa gửi báo cáo")):
        if group:
            shown = join_names([unit_name(u.kind, u.name) for u in group]) if len(group) <= 3 else \
                f"{len(group)} xã, phường"
            assert shown + said in line, line


def test_up_to_six_staffing_levels_are_written_one_by_one():
    units = province(12)
    w = wording([commune(u, 3 + n % STAFFING_LEVELS_WRITTEN_AT_MOST) for n, u in enumerate(units)], units=units)
    assert w.staffing_groups() == "sau sắp xếp, " + "; ".join(
        f"2 {'xã' if people % 2 else 'phường'} bố trí {people} người/10 chức danh" for people in range(3, 9))


def test_more_staffing_levels_are_written_as_a_range_for_each_number_of_titles():
    """A province's communes keep many different numbers: one clause per number of titles."""
    units = province(40)
    returns = [commune(u, 3 + n % 8, titles=10) for n, u in enumerate(units[:30])] + \
              [commune(u, 9, titles=12) for u in units[30:35]] + [commune(u, 11, titles=14) for u in units[35:]]
    w = wording(returns, units=units)
    assert w.staffing_groups() == ("sau sắp xếp, 30 xã, phường bố trí từ 3 đến 10 người/10 chức danh; "
                                   "5 xã, phường bố trí 9 người/12 chức danh; 5 xã, phường bố trí 11 người/14 chức danh")


# The longest sentence any of the documents' paragraphs may hold, whatever the number of communes.
SENTENCE_MAX_CHARS = 1200


@hypothesis_settings(max_examples=25, deadline=None)
@given(st.data())
def test_no_sentence_grows_with_the_number_of_communes(data):
    """A district of 20 communes or a province of 400: a list in a sentence names its
    units while it is short and counts them beyond, so no sentence of the report, the
    minutes or the news item outgrows a paragraph."""
    size = data.draw(st.integers(1, 400), label="communes")
    draw = functools.partial(data.draw, st.integers(0, 3))
    units = tuple(Unit(f"{n:05d}", f"Đơn vị Số {n}", ("Xã", "Phường", "Thị trấn", "Đặc khu")[n % 4],
                       tuple(f"Cũ {n}-{k}" for k in range(draw() + 1)) if draw() == 0 else ())
                  for n in range(size))
    returns, missing, wrong = [], [], []
    for n, unit in enumerate(units):
        fate = draw()
        if fate == 0 and n:
            (missing if draw() < 2 else wrong).append(unit)
            continue
        villages = [ap(f"Ấp {n}-{k}", after=draw() + 1, merged=tuple(f"Ấp cũ {n}-{k}-{m}" for m in range(draw())))
                    for k in range(draw() + 1)]
        returns.append(commune(unit, 5 + data.draw(st.integers(0, 9)), villages,
                               titles=data.draw(st.sampled_from([10, 12, 14]))))
    result = result_of(returns, missing)
    result = dataclasses.replace(result, outcomes=result.outcomes + tuple(
        ReturnOutcome(f"{u.code}.xlsx", ReturnStatus.INVALID, u.code, u.name, None) for u in wrong))
    w = Wording(aggregate(result, units, SETTINGS, PERIOD), Style(), "Phòng Nội vụ")
    paragraphs = [*w.receipt(), *w.commune_level(), *w.village_level(), *w.commune_merges(), *w.severance(),
                  *w.key_figures(), w.press_receipt(), w.press_commune(), w.press_commune_target(),
                  w.press_villages(), w.press_commune_merges()]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=\.) (?=[A-ZĐ])", p)]
    longest = max(sentences, key=len)
    assert len(longest) <= SENTENCE_MAX_CHARS, longest
