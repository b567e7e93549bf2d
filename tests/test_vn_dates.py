import unicodedata
from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.vn.dates import format_cited_date, format_date, format_place_date, format_short_date, format_time, parse_date


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2021, 2, 5), "ngày 05 tháng 02 năm 2021"),
        (date(2020, 3, 18), "ngày 18 tháng 3 năm 2020"),
        (date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
        (date(2020, 11, 18), "ngày 18 tháng 11 năm 2020"),
        (date(2020, 12, 1), "ngày 01 tháng 12 năm 2020"),
        (date(2020, 10, 10), "ngày 10 tháng 10 năm 2020"),
        (date(2020, 9, 9), "ngày 09 tháng 9 năm 2020"),
    ],
)
def test_format_date(d: date, expected: str) -> None:
    assert format_date(d) == expected


@given(st.dates(min_value=date(1000, 1, 1)))
def test_format_date_padding_rule(d: date) -> None:
    _, day, _, month, _, year = format_date(d).split()
    assert len(day) == 2
    assert len(month) == (2 if d.month <= 2 or d.month >= 10 else 1)
    assert (int(day), int(month), int(year)) == (d.day, d.month, d.year)


def test_format_place_date() -> None:
    assert format_place_date("Phú Xuyên", date(2020, 11, 18)) == "Phú Xuyên, ngày 18 tháng 11 năm 2020"
    assert format_place_date("Phú Xuyên", date(2021, 2, 5)) == "Phú Xuyên, ngày 05 tháng 02 năm 2021"
    nfd = unicodedata.normalize("NFD", " Phú Xuyên ")
    assert format_place_date(nfd, date(2020, 11, 18)) == "Phú Xuyên, ngày 18 tháng 11 năm 2020"


def test_format_cited_date() -> None:
    # The padding of `format_date`: days under 10, and the months 1 and 2.
    assert format_cited_date(date(2020, 3, 2)) == "02/3/2020"
    assert format_cited_date(date(2021, 2, 5)) == "05/02/2021"
    assert format_cited_date(date(2025, 9, 30)) == "30/9/2025"
    assert format_cited_date(date(2020, 11, 18)) == "18/11/2020"


def test_format_short_date() -> None:
    assert format_short_date(date(2020, 11, 18)) == "18/11/2020"
    assert format_short_date(date(2021, 2, 5)) == "05/02/2021"
    assert format_short_date(date(2021, 2, 5), pad=False) == "5/2/2021"
    assert format_short_date(date(2021, 3, 5)) == "05/03/2021"


def test_format_time() -> None:
    assert format_time(time(14, 0)) == "14 giờ 00 phút"
    assert format_time(time(8, 5)) == "8 giờ 05 phút"
    assert format_time(time(0, 30)) == "0 giờ 30 phút"


@pytest.mark.parametrize(
    "text",
    [
        "18/11/2020",
        "18-11-2020",
        "18.11.2020",
        "2020-11-18",
        "ngày 18 tháng 11 năm 2020",
        "Ngày 18 tháng 11 năm 2020",
        "NGÀY 18 THÁNG 11 NĂM 2020",
        "18 tháng 11 năm 2020",
        " 18 / 11 / 2020 ",
        "18/11/2020\xa0",
        unicodedata.normalize("NFD", "ngày 18 tháng 11 năm 2020"),
    ],
)
def test_parse_date_forms(text: str) -> None:
    assert parse_date(text) == date(2020, 11, 18)


def test_parse_date_short_day_and_month() -> None:
    assert parse_date("5/2/2021") == date(2021, 2, 5)
    assert parse_date("ngày 05 tháng 02 năm 2021") == date(2021, 2, 5)
    assert parse_date("2021-2-5") == date(2021, 2, 5)


@pytest.mark.parametrize(
    "text", ["18/11/20", "18-11/2020", "2020/11/18", "18 11 2020", "hôm nay", "", "18/11", "11/2020", "2020-11"]
)
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="Các cách ghi được chấp nhận: 18/11/2020, 18-11-2020, 18.11.2020"):
        parse_date(text)


def test_parse_date_error_shows_nfc_text() -> None:
    with pytest.raises(ValueError) as error:
        parse_date(unicodedata.normalize("NFD", " hôm nay "))
    assert str(error.value).startswith('Không hiểu ngày "hôm nay".')


@pytest.mark.parametrize("text", ["31/02/2020", "29/02/2021", "00/01/2020", "18/13/2020"])
def test_parse_date_refuses_impossible_dates(text: str) -> None:
    with pytest.raises(ValueError, match="không có trên lịch"):
        parse_date(text)


@given(st.dates(min_value=date(1000, 1, 1)))
def test_parse_date_reads_what_we_write(d: date) -> None:
    assert parse_date(format_date(d)) == d
    assert parse_date(format_short_date(d)) == d
    assert parse_date(format_short_date(d, pad=False)) == d
    assert parse_date(d.isoformat()) == d
