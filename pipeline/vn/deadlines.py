"""Deadlines of a report period: working days, holidays, days late. Pure functions, no clock.

Nghị định 09/2019/NĐ-CP fixes the data cut-off of each kind of period (the 14th of
its last month, see `Period.cutoff_window`) and leaves the deadline for sending to
the body that asks for the report. Provinces give communes a couple of working
days after the cut-off (a return due "before the 16th"); the office overrides the
number of working days per kind of period, or the dates of one period.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

from pipeline.vn.periods import Period, PeriodKind

# Saturday and Sunday (date.weekday() numbers): offices do not work them.
WEEKEND = frozenset({5, 6})

# Working days after the cut-off within which a commune sends its return.
DEFAULT_WORKING_DAYS: Mapping[PeriodKind, int] = {
    PeriodKind.MONTH: 2,
    PeriodKind.QUARTER: 2,
    PeriodKind.HALF: 2,
    PeriodKind.NINE_MONTHS: 2,
    PeriodKind.YEAR: 2,
}


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def add_working_days(start: date, count: int, holidays: Collection[date]) -> date:
    """The `count`-th working day after `start` (`start` itself when `count` is 0)."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count -= 1
    return day


def cutoff_day(period: Period) -> date:
    """The last day whose data the period's returns carry."""
    return period.cutoff_window()[1]


def days_late(received_on: date, deadline: date) -> int:
    """Calendar days past the deadline (0 when on time): "muộn 3 ngày" counts every day."""
    return max(0, (received_on - deadline).days)
