"""Article 9 of Nghị định 154/2025/NĐ-CP, computed: worked examples by hand from the
article's text (see `pipeline/intake/severance_basis.py` for the sources), and the
properties every amount must have."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pipeline.intake.severance_basis import (
    BASES,
    VILLAGE_CLAUSE,
    MissingInput,
    SeveranceInputs,
    nd154_amount,
    nd154_village_amount,
    years_of_service,
)

ND154 = BASES["nd154-2025"]


@pytest.mark.parametrize(("months", "years"), [
    (0, 0), (2, 0), (3, Fraction(1, 2)), (6, Fraction(1, 2)), (7, 1), (11, 1), (12, 1), (14, 1),
    (15, Fraction(3, 2)), (18, Fraction(3, 2)), (19, 2), (40, Fraction(7, 2)), (100, Fraction(17, 2)),
])
def test_odd_months_round_to_nothing_half_a_year_or_a_year(months, years):
    assert years_of_service(months) == years


# (allowance, months worked, months to retirement) → amount, clause; each worked by hand:
WORKED = [
    # a: 0,8 × 3.510.000 × 40 = 112.320.000; 40 months = 3 years 4 months = 3,5 years:
    #    1,5 × 3.510.000 × 3,5 = 18.427.500; 3 × 3.510.000 = 10.530.000 → 141.277.500
    ((3_510_000, 40, None), 141_277_500, "điểm a khoản 1 Điều 9"),
    # a, far from retirement: 0,8 × 2.340.000 × 50 = 93.600.000; 50 months = 4 years 2 months = 4 years:
    #    1,5 × 2.340.000 × 4 = 14.040.000; 3 × 2.340.000 = 7.020.000 → 114.660.000
    ((2_340_000, 50, 100), 114_660_000, "điểm a khoản 1 Điều 9"),
    # b: 0,8 × 3.000.000 × 30 months early = 72.000.000; 1,5 × 3.000.000 × 15 = 67.500.000;
    #    3 × 3.000.000 = 9.000.000 → 148.500.000
    ((3_000_000, 180, 30), 148_500_000, "điểm b khoản 1 Điều 9"),
    # c: 0,8 × 3.000.000 × 60 = 144.000.000; 100 months = 8 years 4 months = 8,5 years:
    #    1,5 × 3.000.000 × 8,5 = 38.250.000; 9.000.000 → 191.250.000
    ((3_000_000, 100, 120), 191_250_000, "điểm c khoản 1 Điều 9"),
    # khoản 2, at retirement age: 15 × 2.500.000
    ((2_500_000, 300, 0), 37_500_000, "khoản 2 Điều 9"),
    # a, odd đồng: 0,8 × 1.234.567 = 987.653,6; 1 month counts no year; 3 × 1.234.567 = 3.703.701
    #    → 4.691.354,6, rounded to 4.691.355
    ((1_234_567, 1, None), 4_691_355, "điểm a khoản 1 Điều 9"),
]


@pytest.mark.parametrize(("inputs", "amount", "clause"), WORKED)
def test_worked_examples(inputs, amount, clause):
    computed = ND154.amounts["Xã"](SeveranceInputs(*inputs))
    assert (computed.amount, computed.clause) == (amount, clause)


# Thôn, tổ dân phố (dantri.com.vn, 22/10/2025): under five years and under retirement age, point a's terms.
VILLAGE_WORKED = [
    # 0,8 × 2.106.000 × 30 = 50.544.000; 30 months = 2 years 6 months = 2,5 years:
    #    1,5 × 2.106.000 × 2,5 = 7.897.500; 3 × 2.106.000 = 6.318.000 → 64.759.500
    ((2_106_000, 30, None), 64_759_500),
    # 0,8 × 1.755.000 × 59 = 82.836.000; 59 months = 4 years 11 months = 5 years:
    #    1,5 × 1.755.000 × 5 = 13.162.500; 3 × 1.755.000 = 5.265.000 → 101.263.500
    ((1_755_000, 59, 200), 101_263_500),
]


@pytest.mark.parametrize(("inputs", "amount"), VILLAGE_WORKED)
def test_village_worked_examples(inputs, amount):
    computed = ND154.amounts["Thôn"](SeveranceInputs(*inputs))
    assert (computed.amount, computed.clause) == (amount, VILLAGE_CLAUSE)


@pytest.mark.parametrize("inputs", [(2_106_000, 60, 30), (2_106_000, 100, None), (2_106_000, 20, 0)])
def test_village_cases_whose_rule_was_not_read_are_not_computed(inputs):
    assert nd154_village_amount(SeveranceInputs(*inputs)) is None


def test_the_terms_name_what_was_counted():
    assert nd154_amount(SeveranceInputs(3_510_000, 40, None)).terms == (
        "0,8 × 40 tháng công tác + 1,5 × 3,5 năm công tác + 3 tháng tìm việc làm")
    assert nd154_amount(SeveranceInputs(3_000_000, 180, 30)).terms.startswith("0,8 × 30 tháng nghỉ sớm")


def test_five_years_of_service_need_the_months_to_retirement():
    with pytest.raises(MissingInput):
        nd154_amount(SeveranceInputs(3_000_000, 60, None))


def test_the_statement_names_the_decree():
    assert ND154.statement == ("Chế độ, chính sách đối với người hoạt động không chuyên trách thôi việc, nghỉ việc "
                               "được thực hiện theo Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về tinh "
                               "giản biên chế.")


allowances = st.integers(min_value=0, max_value=20_000_000)
months = st.integers(min_value=0, max_value=600)
to_retirement = st.integers(min_value=1, max_value=600)


@given(months)
def test_years_are_whole_or_half_and_never_far_from_the_months(worked):
    years = years_of_service(worked)
    assert (2 * years).denominator == 1
    assert worked // 12 <= years <= worked // 12 + 1
    assert years <= years_of_service(worked + 1)


@given(allowances, months, to_retirement)
def test_an_amount_is_at_least_the_job_search_allowance_and_at_most_the_formula_at_its_largest(
        allowance, worked, left):
    amount = nd154_amount(SeveranceInputs(allowance, worked, left)).amount
    assert 3 * allowance <= amount
    largest = Fraction(8, 10) * allowance * 60 + Fraction(15, 10) * allowance * (worked // 12 + 1) + 3 * allowance
    assert amount <= largest + 1


@given(allowances, months)
def test_at_retirement_age_it_is_fifteen_allowances_whatever_the_service(allowance, worked):
    assert nd154_amount(SeveranceInputs(allowance, worked, 0)).amount == 15 * allowance


@given(allowances, st.integers(min_value=0, max_value=58))
def test_under_five_years_one_more_month_never_pays_less(allowance, worked):
    shorter = nd154_amount(SeveranceInputs(allowance, worked, None)).amount
    assert shorter <= nd154_amount(SeveranceInputs(allowance, worked + 1, None)).amount


@given(allowances, st.integers(min_value=60, max_value=600), st.integers(min_value=1, max_value=59),
       st.integers(min_value=60, max_value=600))
def test_leaving_closer_to_retirement_never_pays_more_than_leaving_further(allowance, worked, near, far):
    closer = nd154_amount(SeveranceInputs(allowance, worked, near)).amount
    assert closer <= nd154_amount(SeveranceInputs(allowance, worked, far)).amount


@given(allowances, months, st.one_of(st.none(), to_retirement), st.integers(min_value=2, max_value=5))
def test_the_amount_grows_with_the_allowance(allowance, worked, left, factor):
    assume(worked < 60 or left is not None)
    one = nd154_amount(SeveranceInputs(allowance, worked, left)).amount
    scaled = nd154_amount(SeveranceInputs(allowance * factor, worked, left)).amount
    assert abs(scaled - factor * one) <= factor  # each rounded to the đồng once


@given(allowances, st.integers(min_value=0, max_value=59), st.one_of(st.none(), to_retirement))
def test_under_five_years_the_village_amount_is_the_commune_s(allowance, worked, left):
    given_ = SeveranceInputs(allowance, worked, left)
    assert nd154_village_amount(given_).amount == nd154_amount(given_).amount
