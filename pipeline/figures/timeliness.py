"""Whether each commune sent its return on time, from the receipts the run looked up.

A return's receipt is when the pipeline first saw its exact bytes (the receipt
ledger, `pipeline.run.receipts`); the commune's receipt is that of the file that
counts for it (the latest of several bearing the same `Ngày lập`). Nothing here
reads a clock: overdue days run to the latest receipt, so the same returns give
the same statuses whenever the run happens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pipeline.core.model import (
    PeriodSettings,
    Punctuality,
    ReturnStatus,
    Settings,
    TimelinessSummary,
    Unit,
    UnitTimeliness,
    ValidationResult,
)
from pipeline.vn.deadlines import add_working_days, cutoff_day, days_late
from pipeline.vn.periods import Period
from pipeline.vn.units import unit_name


def period_dates(period: Period, settings: Settings, period_settings: PeriodSettings) -> tuple[date, date]:
    """The cut-off and the deadline: the period's own when bao-cao.yaml gives them,
    otherwise the settings' working days after the cut-off, holidays skipped."""
    cutoff = period_settings.cutoff or cutoff_day(period)
    rules = settings.deadlines
    deadline = period_settings.deadline or add_working_days(cutoff, rules.working_days_for(period.kind),
                                                            rules.holidays)
    return cutoff, deadline


def timeliness(validation: ValidationResult, registry: Sequence[Unit], receipts: Mapping[str, date],
               cutoff: date, deadline: date) -> TimelinessSummary:
    """`receipts`: the day each return was received, by the SHA-256 of its bytes; a
    return read without bytes (an unreadable file) has no receipt and is not counted."""
    received: dict[str, date] = {}
    for outcome in validation.outcomes:
        if outcome.code and outcome.status is not ReturnStatus.SUPERSEDED and outcome.digest:
            day = receipts[outcome.digest.sha256]
            received[outcome.code] = max(day, received.get(outcome.code, day))
    all_receipts = [receipts[o.digest.sha256] for o in validation.outcomes if o.digest]
    as_of = max(all_receipts, default=None)
    units = []
    for unit in registry:
        name = unit_name(unit.kind, unit.name)
        if unit.code in received:
            late = days_late(received[unit.code], deadline)
            units.append(UnitTimeliness(unit.code, name, Punctuality.LATE if late else Punctuality.ON_TIME,
                                        received[unit.code], late))
        else:
            units.append(UnitTimeliness(unit.code, name, Punctuality.MISSING, None,
                                        days_late(as_of, deadline) if as_of else 0))
    count = {kind: sum(u.punctuality is kind for u in units) for kind in Punctuality}
    return TimelinessSummary(cutoff, deadline, as_of, tuple(units), count[Punctuality.ON_TIME],
                             count[Punctuality.LATE], count[Punctuality.MISSING],
                             sum(u.punctuality is Punctuality.MISSING and u.days_late > 0 for u in units))


def timeliness_text(unit: UnitTimeliness) -> str:
    """`đúng hạn`, `muộn 3 ngày`, `chưa gửi (quá hạn 5 ngày)`, or `chưa gửi` while not yet due."""
    match unit.punctuality:
        case Punctuality.ON_TIME:
            return "đúng hạn"
        case Punctuality.LATE:
            return f"muộn {unit.days_late} ngày"
        case Punctuality.MISSING:
            return f"chưa gửi (quá hạn {unit.days_late} ngày)" if unit.days_late else "chưa gửi"
