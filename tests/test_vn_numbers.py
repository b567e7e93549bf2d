from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.vn.numbers import (
    format_count,
    format_money,
    format_number,
    format_percent,
    format_ratio,
    from_roman,
    people_per_titles,
    percent_of,
    to_roman,
)


def parse_number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1149540875, None, "1.149.540.875"),
        (12.5, None, "12,5"),
        (-3, None, "-3"),
        (12.5, 2, "12,50"),
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (-1234567, None, "-1.234.567"),
        (5, 2, "5,00"),
        (12.0, None, "12"),
        (1234.5678, None, "1.234,57"),
        (0.1 + 0.2, None, "0,3"),
        (Decimal("12.50"), None, "12,5"),
        (Decimal("1E+3"), None, "1.000"),
        (Decimal("1234.5"), 0, "1.235"),
        (12.5, 0, "13"),
        (1149540875.25, 1, "1.149.540.875,3"),
    ],
)
def test_format_number(value: int | float | Decimal, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        # Half up, not Babel's half to even.
        (0.125, None, "0,13"),
        (2.675, None, "2,68"),
        (Decimal("0.5"), 0, "1"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
    ],
)
def test_format_number_rounds_half_up(value: float | Decimal, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_has_no_negative_zero() -> None:
    assert format_number(-0.001) == "0"
    assert format_number(-0.0) == "0"
    assert format_number(Decimal("-0.004"), 2) == "0,00"


@pytest.mark.parametrize("value", [True, "12", None, float("nan"), float("inf"), Decimal("NaN")])
def test_format_number_refuses_non_numbers(value: object) -> None:
    with pytest.raises(ValueError):
        format_number(value)  # type: ignore[arg-type]


def test_format_number_refuses_negative_decimals() -> None:
    with pytest.raises(ValueError, match="không được âm"):
        format_number(1, -1)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_format_number_int_round_trip(n: int) -> None:
    text = format_number(n)
    assert "," not in text
    assert parse_number(text) == n


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_format_number_two_places_round_trip(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value
    assert parse_number(format_number(value, 2)) == value


@given(st.floats(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False))
def test_format_number_float_is_half_up_rounding_of_its_repr(value: float) -> None:
    expected = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert parse_number(format_number(value)) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_format_number_groups_by_three(n: int) -> None:
    groups = format_number(n).split(".")
    assert 1 <= len(groups[0]) <= 3
    assert all(len(group) == 3 for group in groups[1:])


@pytest.mark.parametrize(
    ("ratio", "decimals", "expected"),
    [
        (0.331, 1, "33,1%"),
        (1, 1, "100,0%"),
        (1, 0, "100%"),
        (0, 1, "0,0%"),
        (Decimal("0.3315"), 1, "33,2%"),
        (0.0005, 1, "0,1%"),
        (0.125, 0, "13%"),
        (12.5, 1, "1.250,0%"),
        (-0.05, 1, "-5,0%"),
        (Decimal("0.33333"), 2, "33,33%"),
    ],
)
def test_format_percent(ratio: float | Decimal, decimals: int, expected: str) -> None:
    assert format_percent(ratio, decimals) == expected


def test_format_percent_has_no_space_before_sign() -> None:
    assert " " not in format_percent(0.5)
    assert "\xa0" not in format_percent(0.5)


@pytest.mark.parametrize(
    ("part", "whole", "decimals", "expected"),
    [
        (1, 3, 1, "33,3%"),
        (2, 3, 1, "66,7%"),
        (27, 27, 1, "100,0%"),
        (27, 27, 0, "100%"),
        (1, 8, 0, "13%"),
        (1, 8, 1, "12,5%"),
        (0, 5, 1, "0,0%"),
        (1, 2000, 1, "0,1%"),
        (5, 2, 0, "250%"),
    ],
)
def test_percent_of(part: int, whole: int, decimals: int, expected: str) -> None:
    assert percent_of(part, whole, decimals) == expected


def test_percent_of_zero_whole() -> None:
    with pytest.raises(ValueError, match="tổng bằng 0"):
        percent_of(1, 0)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_percent_of_agrees_with_exact_decimal(part: int, whole: int) -> None:
    exact = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert percent_of(part, whole) == format_number(exact, 1) + "%"


@pytest.mark.parametrize(
    ("n", "pad", "expected"),
    [
        (5, False, "5"),
        (5, True, "05"),
        (1, True, "01"),
        (9, True, "09"),
        (0, True, "0"),
        (0, False, "0"),
        (10, True, "10"),
        (12, False, "12"),
        (1234, False, "1.234"),
        (1234, True, "1.234"),
    ],
)
def test_format_count(n: int, pad: bool, expected: str) -> None:
    assert format_count(n, pad) == expected


@pytest.mark.parametrize("n", [-1, 1.0, "3", True])
def test_format_count_refuses(n: object) -> None:
    with pytest.raises(ValueError):
        format_count(n)  # type: ignore[arg-type]


def test_format_ratio() -> None:
    assert format_ratio(27, 27) == "27/27"
    assert format_ratio(5, 5, pad=True) == "05/05"
    assert format_ratio(5, 12, pad=True) == "05/12"
    assert format_ratio(1200, 1500) == "1.200/1.500"


def test_people_per_titles() -> None:
    assert people_per_titles(7, 10) == "7 người/10 chức danh"
    assert people_per_titles(7, 9, pad=True) == "07 người/09 chức danh"


def test_format_money() -> None:
    assert format_money(1149540875) == "1.149.540.875 đồng"
    assert format_money(0) == "0 đồng"
    assert "₫" not in format_money(5)


def test_format_money_refuses_fractions() -> None:
    with pytest.raises(ValueError, match="số nguyên"):
        format_money(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "roman"),
    [
        (1, "I"),
        (2, "II"),
        (3, "III"),
        (4, "IV"),
        (9, "IX"),
        (14, "XIV"),
        (40, "XL"),
        (1994, "MCMXCIV"),
        (3999, "MMMCMXCIX"),
    ],
)
def test_roman(n: int, roman: str) -> None:
    assert to_roman(n) == roman
    assert from_roman(roman) == n
    assert from_roman(f" {roman.lower()} ") == n


def test_roman_round_trip_whole_range() -> None:
    assert all(from_roman(to_roman(n)) == n for n in range(1, 4000))


@pytest.mark.parametrize("n", [0, -1, 4000])
def test_to_roman_out_of_range(n: int) -> None:
    with pytest.raises(ValueError, match="số La Mã"):
        to_roman(n)


@pytest.mark.parametrize("text", ["", "IIII", "VX", "IC", "MMMM", "ABC", "IVI", "4"])
def test_from_roman_refuses_non_canonical(text: str) -> None:
    with pytest.raises(ValueError, match="không phải là số La Mã"):
        from_roman(text)
