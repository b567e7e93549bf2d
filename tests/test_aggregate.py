import dataclasses
import datetime as dt
import json

from builders import PERIOD, SETTINGS, UNITS, commune, result_of
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pipeline.core.model import Severance, Village
from pipeline.figures.aggregate import aggregate, statistics_json


def sample_stats():
    an_binh, dong_hoa, phu_minh, nam_tien = UNITS
    returns = [
        commune(an_binh, 7, [Village("Thôn Đông", "Thôn", ("Đông Thượng", "Đông Hạ"), 3, 5, 2),
                             Village("Thôn Tây", "Thôn", (), 3, 4, 3)],
                [Severance("A", "Xã", "Chức danh", "Thôi việc", 10_000_000, dt.date(2020, 11, 1)),
                 Severance("B", "Thôn", "Chức danh", "Nghỉ việc", 5_000_000, None)]),
        commune(phu_minh, 9, [Village("Tiểu khu 1", "Tiểu khu", ("TK 1", "TK 2", "TK 3"), 3, 6, 2)],
                [Severance("C", "Thôn", "Chức danh", "Thôi việc", 7_500_000, dt.date(2020, 10, 1))]),
        commune(nam_tien, 7),
    ]
    return aggregate(result_of(returns, [dong_hoa]), UNITS, SETTINGS, PERIOD)


def test_returns_summary():
    stats = sample_stats()
    assert (stats.returns.expected, stats.returns.received, stats.returns.valid) == (4, 3, 3)
    assert stats.returns.missing == ("xã Đông Hòa",)


def test_commune_level_groups_named_by_kind():
    c = sample_stats().commune
    assert (c.titles, c.people_before, c.people_after, c.reduction) == (30, 36, 23, 13)
    assert [(g.people, g.titles, g.units.count, g.units.kinds) for g in c.groups] == [
        (7, 10, 2, ("Xã",)), (9, 10, 1, ("Thị trấn",))]
    assert c.over_target.names == ("thị trấn Phú Minh",)


def test_village_level_counts_merges_and_target():
    v = sample_stats().villages
    assert (v.before.count, v.after.count) == (6, 3)
    assert (v.merged_former.count, v.merged_into.count) == (5, 2)
    assert v.merged_into.kinds == ("Thôn", "Tiểu khu")
    assert (v.people_before, v.people_after, v.reduction) == (15, 7, 8)
    assert (v.meeting_target.count, v.over_target.names) == (2, ("Thôn Tây",))
    assert v.merges[1].commune == "thị trấn Phú Minh"


def test_commune_merges_come_from_the_registry():
    [merge] = sample_stats().communes_merged
    assert merge.into == "xã Nam Tiến" and merge.former == ("xã Nam Phong", "xã Nam Triều")


def test_severance_by_level_form_and_payment():
    s = sample_stats().severance
    assert (s.cases, s.paid_cases, s.pending_cases) == (3, 2, 1)
    assert (s.paid_amount, s.pending_amount) == (17_500_000, 5_000_000)
    assert s.at_level("Thôn").paid_amount == 7_500_000
    assert s.of_form("Nghỉ việc") == 1


def test_json_is_plain_and_complete():
    data = json.loads(json.dumps(statistics_json(sample_stats()), ensure_ascii=False))
    assert data["period"] == {"code": "2020-11", "label": "tháng 11 năm 2020"}
    assert data["totals"]["people_after"] == 23
    assert len(data["rows"]) == 3


def test_no_returns_gives_zero_totals():
    stats = aggregate(result_of([], UNITS), UNITS, SETTINGS, PERIOD)
    assert stats.totals.people_after == 0 and stats.commune.groups == ()
    assert stats.severance.paid_amount == 0


counts = st.integers(min_value=0, max_value=40)
villages = st.lists(
    st.builds(lambda n, kind, merged, t, b, a: Village(f"V{n}", kind, tuple(f"F{n}.{i}" for i in range(merged)),
                                                          t, b, a),
              st.integers(0, 10_000), st.sampled_from(["Thôn", "Tổ dân phố", "Ấp"]), st.integers(0, 3),
              counts, counts, counts),
    max_size=6, unique_by=lambda v: v.name)
severances = st.lists(
    st.builds(Severance, st.just("X"), st.sampled_from(["Xã", "Thôn"]), st.just("T"),
              st.sampled_from(["Thôi việc", "Nghỉ việc"]), st.integers(0, 10**11),
              st.one_of(st.none(), st.just(dt.date(2020, 11, 1)))),
    max_size=5)


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(counts, counts, villages, severances), min_size=len(UNITS), max_size=len(UNITS)))
def test_invariants_sums_equal_totals_and_reductions_are_differences(data):
    returns = [commune(unit, after, vs, ss, before=before)
               for unit, (before, after, vs, ss) in zip(UNITS, data)]
    stats = aggregate(result_of(returns), UNITS, SETTINGS, PERIOD)
    for field in dataclasses.fields(stats.totals):
        if field.type == "int":
            assert getattr(stats.totals, field.name) == sum(getattr(r, field.name) for r in stats.rows)
    for row in (*stats.rows, stats.totals):
        assert row.reduction == row.people_before - row.people_after
        assert row.village_reduction == row.village_people_before - row.village_people_after
    assert stats.commune.people_after == stats.totals.people_after
    assert stats.villages.after.count == sum(len(v) for _, _, v, _ in data)
    assert stats.villages.meeting_target.count + stats.villages.over_target.count == stats.villages.after.count
    assert sum(g.units.count for g in stats.commune.groups) == len(UNITS)
    s = stats.severance
    assert s.paid_amount + s.pending_amount == sum(x.amount for _, _, _, ss in data for x in ss)
    assert sum(b.cases for b in s.buckets) == s.cases == s.paid_cases + s.pending_cases
    assert s.paid_amount == stats.totals.severance_paid
