"""Deadlines: working days skip weekends and the office's holidays; settings override the defaults."""

import datetime as dt

import pytest
from builders import ROOT
from hypothesis import given
from hypothesis import strategies as st

from pipeline.intake.settings import SettingsError, load_period_settings, load_settings
from pipeline.vn.deadlines import DEFAULT_WORKING_DAYS, add_working_days, cutoff_day, days_late, is_working_day
from pipeline.vn.periods import PeriodKind, parse_period

days = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
holiday_sets = st.frozensets(st.dates(dt.date(2000, 1, 1), dt.date(2100, 3, 31)), max_size=40)


@given(days, st.integers(0, 40), holiday_sets)
def test_the_deadline_is_the_countth_working_day_after_the_start(start, count, holidays):
    deadline = add_working_days(start, count, holidays)
    between = [start + dt.timedelta(days=n) for n in range(1, (deadline - start).days + 1)]
    assert sum(is_working_day(day, holidays) for day in between) == count
    if count:
        assert is_working_day(deadline, holidays)
        assert deadline.weekday() < 5 and deadline not in holidays


@given(days, st.integers(0, 20), holiday_sets, holiday_sets)
def test_more_holidays_never_bring_the_deadline_earlier(start, count, holidays, more):
    assert add_working_days(start, count, holidays | more) >= add_working_days(start, count, holidays)


@given(days, days)
def test_days_late_counts_calendar_days_past_the_deadline(received, deadline):
    late = days_late(received, deadline)
    assert late == max(0, (received - deadline).days)
    assert (late == 0) == (received <= deadline)


def test_the_cutoff_of_november_2020_falls_on_a_saturday_and_the_deadline_skips_the_weekend():
    period = parse_period("2020-11")
    assert cutoff_day(period) == dt.date(2020, 11, 14)
    assert add_working_days(cutoff_day(period), DEFAULT_WORKING_DAYS[PeriodKind.MONTH], ()) == dt.date(2020, 11, 17)


def test_the_national_day_holidays_of_2025_move_the_q3_deadline():
    period = parse_period("2025-Q3")
    assert cutoff_day(period) == dt.date(2025, 9, 14)  # a Sunday
    assert add_working_days(cutoff_day(period), 2, ()) == dt.date(2025, 9, 16)
    assert add_working_days(dt.date(2025, 8, 29), 2, (dt.date(2025, 9, 1), dt.date(2025, 9, 2))) == dt.date(2025, 9, 4)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2020, 1, 1), -1, ())


SETTINGS = ROOT / "inputs" / "don-vi-bao-cao.yaml"


def settings_with(tmp_path, extra: str):
    """The shipped settings with their `deadlines:` section replaced by `extra`."""
    shipped = SETTINGS.read_text(encoding="utf-8").split("# Hạn gửi báo cáo của các xã")[0]
    (tmp_path / "don-vi-bao-cao.yaml").write_text(shipped + extra, encoding="utf-8")
    return load_settings(tmp_path)


def test_the_settings_override_working_days_per_kind_and_list_holidays(tmp_path):
    rules = settings_with(tmp_path, "\ndeadlines:\n  working_days:\n    quarter: 5\n  holidays:\n"
                                    "    - 2025-09-02\n    - 2025-09-01\n").deadlines
    assert rules.working_days_for(PeriodKind.QUARTER) == 5
    assert rules.working_days_for(PeriodKind.MONTH) == DEFAULT_WORKING_DAYS[PeriodKind.MONTH]
    assert rules.holidays == (dt.date(2025, 9, 1), dt.date(2025, 9, 2))


@pytest.mark.parametrize(("extra", "named"), [
    ("\ndeadlines:\n  holidays: 2025-09-02\n", "deadlines.holidays"),
    ("\ndeadlines:\n  holidays:\n    - 2/9/2025\n", "deadlines.holidays"),
    ("\ndeadlines:\n  working_days:\n    month: 0\n", "deadlines.working_days.month"),
    ("\ndeadlines:\n  working_days:\n    year: hai\n", "deadlines.working_days.year"),
])
def test_a_wrong_deadline_setting_names_its_key(tmp_path, extra, named):
    with pytest.raises(SettingsError, match=named.replace(".", r"\.")):
        settings_with(tmp_path, extra)


def test_a_period_may_set_its_own_cutoff_and_deadline(tmp_path):
    (tmp_path / "bao-cao.yaml").write_text("cutoff: 2020-11-20\ndeadline: 2020-11-25\n", encoding="utf-8")
    settings = load_period_settings(tmp_path)
    assert (settings.cutoff, settings.deadline) == (dt.date(2020, 11, 20), dt.date(2020, 11, 25))


def test_the_shipped_settings_list_the_holidays_of_their_year():
    assert dt.date(2020, 9, 2) in load_settings(ROOT / "inputs").deadlines.holidays
    assert dt.date(2025, 9, 2) in load_settings(ROOT / "samples" / "tinh-an-giang" / "inputs").deadlines.holidays
