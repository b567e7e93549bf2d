import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.intake.cells import cell_name, cell_text, parse_cell_date, parse_whole
from pipeline.vn.numbers import format_number


@pytest.mark.parametrize("row, column, name", [(0, 0, "A1"), (6, 5, "F7"), (9, 25, "Z10"), (0, 26, "AA1"),
                                               (2, 701, "ZZ3"), (0, 702, "AAA1")])
def test_cell_name(row, column, name):
    assert cell_name(row, column) == name


@pytest.mark.parametrize("raw, value", [(7, 7), (7.0, 7), ("7", 7), (" 12 ", 12), ("1.149.540.875", 1149540875),
                                        ("1,149,540", 1149540), ("14 875 500", 14875500), ("-3", -3)])
def test_whole_numbers_as_clerks_type_them(raw, value):
    assert parse_whole(raw) == value


@pytest.mark.parametrize("raw", [7.5, "7,5", "12,5", "bảy", "", True, "1.14", "1.1495", dt.date(2020, 1, 1)])
def test_not_whole_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        parse_whole(raw)


@given(st.integers(min_value=0, max_value=10**15))
def test_vietnamese_grouped_text_reads_back(n):
    assert parse_whole(format_number(n)) == n


def test_dates_from_cells_and_text():
    assert parse_cell_date(dt.datetime(2020, 11, 18, 0, 0)) == dt.date(2020, 11, 18)
    assert parse_cell_date("18/11/2020") == dt.date(2020, 11, 18)
    with pytest.raises(ValueError):
        parse_cell_date(44153.0)  # a bare serial number is not trusted as a date


def test_cell_text_shows_what_excel_shows():
    assert cell_text(10183.0) == "10183"
    assert cell_text("  Nam   Tiến ") == "Nam Tiến"
    assert cell_text(None) == ""
