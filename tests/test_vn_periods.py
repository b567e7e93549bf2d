import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.vn.periods import Period, PeriodError, PeriodKind, parse_period

M, Q, H, N, Y = PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.NINE_MONTHS, PeriodKind.YEAR

ACCEPTED = (
    "Các cách ghi được chấp nhận: 2020-11, 11/2020, tháng 11 năm 2020, Quý IV/2020, Quý 4 năm 2020, "
    "6 tháng đầu năm 2020, 6 tháng cuối năm 2020, 9 tháng năm 2020, Năm 2020."
)

_COUNTS = {M: 12, Q: 4, H: 2, N: 1, Y: 1}

periods = st.builds(
    lambda year, kind, seed: Period(year, kind, seed % _COUNTS[kind] + 1),
    st.integers(min_value=1001, max_value=9999),
    st.sampled_from(PeriodKind),
    st.integers(min_value=0, max_value=11),
)


@pytest.mark.parametrize(
    ("period", "code", "label", "press"),
    [
        (Period(2020, M, 11), "2020-11", "tháng 11 năm 2020", "tháng 11/2020"),
        (Period(2020, M, 1), "2020-01", "tháng 1 năm 2020", "tháng 1/2020"),
        (Period(2020, Q, 4), "2020-Q4", "quý IV năm 2020", "quý IV/2020"),
        (Period(2020, Q, 1), "2020-Q1", "quý I năm 2020", "quý I/2020"),
        (Period(2020, H, 1), "2020-H1", "6 tháng đầu năm 2020", "6 tháng đầu năm 2020"),
        (Period(2020, H, 2), "2020-H2", "6 tháng cuối năm 2020", "6 tháng cuối năm 2020"),
        (Period(2020, N, 1), "2020-9M", "9 tháng năm 2020", "9 tháng năm 2020"),
        (Period(2020, Y, 1), "2020", "năm 2020", "năm 2020"),
    ],
)
def test_code_and_labels(period: Period, code: str, label: str, press: str) -> None:
    assert period.code == code
    assert period.label() == label
    assert period.press_label() == press


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period(2020, M, 1), Period(2019, M, 12)),
        (Period(2020, M, 11), Period(2020, M, 10)),
        (Period(2020, Q, 1), Period(2019, Q, 4)),
        (Period(2020, Q, 3), Period(2020, Q, 2)),
        (Period(2020, H, 1), Period(2019, H, 2)),
        (Period(2020, H, 2), Period(2020, H, 1)),
        (Period(2020, N, 1), Period(2019, N, 1)),
        (Period(2020, Y, 1), Period(2019, Y, 1)),
    ],
)
def test_previous(period: Period, previous: Period) -> None:
    assert period.previous() == previous


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period(2020, M, 11), date(2020, 10, 15), date(2020, 11, 14)),
        (Period(2020, M, 1), date(2019, 12, 15), date(2020, 1, 14)),
        (Period(2020, Q, 1), date(2019, 12, 15), date(2020, 3, 14)),
        (Period(2020, Q, 4), date(2020, 9, 15), date(2020, 12, 14)),
        (Period(2020, H, 1), date(2019, 12, 15), date(2020, 6, 14)),
        (Period(2020, H, 2), date(2020, 6, 15), date(2020, 12, 14)),
        (Period(2020, N, 1), date(2019, 12, 15), date(2020, 9, 14)),
        (Period(2020, Y, 1), date(2019, 12, 15), date(2020, 12, 14)),
    ],
)
def test_cutoff_window(period: Period, start: date, end: date) -> None:
    assert period.cutoff_window() == (start, end)


@given(periods)
def test_consecutive_windows_meet(period: Period) -> None:
    start, end = period.cutoff_window()
    previous_start, previous_end = period.previous().cutoff_window()
    assert previous_start < start <= end
    if period.kind in (M, Q, H, Y):
        # These kinds tile the calendar: no day is missed or counted twice.
        assert previous_end + timedelta(days=1) == start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-11", Period(2020, M, 11)),
        ("2020-Q4", Period(2020, Q, 4)),
        ("2020-H1", Period(2020, H, 1)),
        ("2020-H2", Period(2020, H, 2)),
        ("2020-9M", Period(2020, N, 1)),
        ("2020", Period(2020, Y, 1)),
        ("11/2020", Period(2020, M, 11)),
        ("Tháng 11/2020", Period(2020, M, 11)),
        ("tháng 11 năm 2020", Period(2020, M, 11)),
        ("T11/2020", Period(2020, M, 11)),
        ("Quý IV/2020", Period(2020, Q, 4)),
        ("Quý 4 năm 2020", Period(2020, Q, 4)),
        ("quý IV năm 2020", Period(2020, Q, 4)),
        ("Q4/2020", Period(2020, Q, 4)),
        ("6 tháng đầu năm 2020", Period(2020, H, 1)),
        ("6 tháng cuối năm 2020", Period(2020, H, 2)),
        ("9 tháng năm 2020", Period(2020, N, 1)),
        ("9 tháng đầu năm 2020", Period(2020, N, 1)),
        ("Năm 2020", Period(2020, Y, 1)),
        # Case, spacing and normal form do not matter.
        ("  THÁNG   11 / 2020 ", Period(2020, M, 11)),
        ("tháng\xa011\xa0năm\xa02020", Period(2020, M, 11)),
        ("QUÝ iv/2020", Period(2020, Q, 4)),
        ("2020-q4", Period(2020, Q, 4)),
        ("2020-h2", Period(2020, H, 2)),
        ("2020-9m", Period(2020, N, 1)),
        ("06 tháng đầu năm 2020", Period(2020, H, 1)),
        ("6 THÁNG CUỐI NĂM 2020", Period(2020, H, 2)),
        ("Quí II/2021", Period(2021, Q, 2)),
        ("tháng 01/2021", Period(2021, M, 1)),
        ("1/2021", Period(2021, M, 1)),
        ("quý 1 năm 2021", Period(2021, Q, 1)),
    ],
)
def test_parse_period_forms(text: str, expected: Period) -> None:
    assert parse_period(text) == expected
    assert parse_period(unicodedata.normalize("NFD", text)) == expected
    assert parse_period(text.upper()) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "",
        "11/20",
        "Quý IIII/2020",
        "tháng mười một năm 2020",
        "6 tháng năm 2020",
        "2020-Q",
        "20-11",
        "11 2020",
        "Q4",
        "tháng 11",
        "2020/11",
    ],
)
def test_parse_period_refuses_unknown_forms(text: str) -> None:
    with pytest.raises(PeriodError) as error:
        parse_period(text)
    assert str(error.value) == f'Không hiểu kỳ báo cáo "{text.strip()}". {ACCEPTED}'


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("13/2020", "tháng phải từ 1 đến 12, nhận được 13"),
        ("0/2020", "tháng phải từ 1 đến 12, nhận được 0"),
        ("2020-13", "tháng phải từ 1 đến 12, nhận được 13"),
        ("Quý V/2020", "quý phải từ 1 đến 4, nhận được 5"),
        ("Quý 5 năm 2020", "quý phải từ 1 đến 4, nhận được 5"),
        ("2020-Q0", "quý phải từ 1 đến 4, nhận được 0"),
        ("2020-H3", "phải từ 1 đến 2, nhận được 3"),
        ("0999", "năm phải có 4 chữ số"),
    ],
)
def test_parse_period_refuses_impossible_periods(text: str, reason: str) -> None:
    with pytest.raises(PeriodError) as error:
        parse_period(text)
    message = str(error.value)
    assert message.startswith(f'Không hiểu kỳ báo cáo "{text}": ')
    assert reason in message
    assert message.endswith(ACCEPTED)


def test_error_message_shows_nfc_text() -> None:
    with pytest.raises(PeriodError) as error:
        parse_period(unicodedata.normalize("NFD", " Quý mười "))
    assert str(error.value) == f'Không hiểu kỳ báo cáo "Quý mười". {ACCEPTED}'


def test_period_error_is_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize(
    ("year", "kind", "number"),
    [
        (2020, M, 0),
        (2020, M, 13),
        (2020, Q, 5),
        (2020, H, 3),
        (2020, N, 2),
        (2020, Y, 0),
        (999, Y, 1),
        (2020, "MONTH", 1),
    ],
)
def test_invalid_period_cannot_be_built(year: int, kind: PeriodKind, number: int) -> None:
    with pytest.raises(PeriodError, match="Kỳ báo cáo không hợp lệ"):
        Period(year, kind, number)


def test_periods_are_frozen_and_ordered() -> None:
    period = Period(2020, M, 11)
    with pytest.raises(AttributeError):
        period.year = 2021  # type: ignore[misc]
    assert Period(2020, M, 10) < Period(2020, M, 11) < Period(2021, M, 1)
    assert Period(2020, M, 12) < Period(2020, Q, 1) < Period(2020, Y, 1)
    assert sorted([Period(2020, Y, 1), Period(2020, H, 1), Period(2020, M, 3)]) == [
        Period(2020, M, 3),
        Period(2020, H, 1),
        Period(2020, Y, 1),
    ]
    assert len({Period(2020, M, 11), parse_period("11/2020")}) == 1


@given(periods)
def test_parse_code_and_labels(period: Period) -> None:
    assert parse_period(period.code) == period
    assert parse_period(period.label()) == period
    assert parse_period(period.press_label()) == period
    assert parse_period(period.label().upper()) == period


@given(periods)
def test_labels_are_nfc(period: Period) -> None:
    assert unicodedata.is_normalized("NFC", period.label())
    assert unicodedata.is_normalized("NFC", period.press_label())


@given(st.integers(min_value=1001, max_value=9999), st.integers(min_value=1, max_value=12))
def test_twelve_months_back_is_same_month_last_year(year: int, month: int) -> None:
    period = Period(year, M, month)
    for _ in range(12):
        period = period.previous()
    assert period == Period(year - 1, M, month)


@given(periods)
def test_previous_keeps_kind_and_goes_back(period: Period) -> None:
    previous = period.previous()
    assert previous.kind == period.kind
    assert previous < period
