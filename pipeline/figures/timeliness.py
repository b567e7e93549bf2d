"""Whether each commune sent its return on time, from the receipts the run looked up.

A return's receipt is when the pipeline first saw its exact bytes, after the run
before (the receipt ledger, `pipeline.run.receipts`); the commune's receipt is that
of the file that counts for it (the latest of several bearing the same `Ngày lập`). Nothing here
reads a clock: overdue days run to the latest receipt, so the same returns give
the same statuses whenever the run happens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pipeline.core.model import (
    PeriodSettings,
    Punctuality,
    Receipt,
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


def punctuality(receipt: Receipt, deadline: date) -> Punctuality:
    """On time when first seen by the deadline; late when a run after the deadline
    had not yet found it; otherwise it may have come in time, unknown."""
    if receipt.seen_on <= deadline:
        return Punctuality.ON_TIME
    if receipt.looked_on is not None and receipt.looked_on > deadline:
        return Punctuality.LATE
    return Punctuality.UNKNOWN


def timeliness(validation: ValidationResult, registry: Sequence[Unit], receipts: Mapping[str, Receipt],
               cutoff: date, deadline: date) -> TimelinessSummary:
    """`receipts`: each return's receipt, by the SHA-256 of its bytes; a return read
    without bytes (an unreadable file) has no receipt and is not counted."""
    received: dict[str, Receipt] = {}
    for outcome in validation.outcomes:
        if outcome.code and outcome.status is not ReturnStatus.SUPERSEDED and outcome.digest:
            receipt = receipts[outcome.digest.sha256]
            if outcome.code not in received or receipt.seen_on > received[outcome.code].seen_on:
                received[outcome.code] = receipt
    as_of = max((receipts[o.digest.sha256].seen_on for o in validation.outcomes if o.digest), default=None)
    units = []
    for unit in registry:
        name = unit_name(unit.kind, unit.name)
        if unit.code in received:
            receipt = received[unit.code]
            kind = punctuality(receipt, deadline)
            late = days_late(receipt.seen_on, deadline) if kind is Punctuality.LATE else 0
            units.append(UnitTimeliness(unit.code, name, kind, receipt.seen_on, late))
        else:
            units.append(UnitTimeliness(unit.code, name, Punctuality.MISSING, None,
                                        days_late(as_of, deadline) if as_of else 0))
    count = {kind: sum(u.punctuality is kind for u in units) for kind in Punctuality}
    return TimelinessSummary(cutoff, deadline, as_of, tuple(units), count[Punctuality.ON_TIME],
                             count[Punctuality.LATE], count[Punctuality.UNKNOWN], count[Punctuality.MISSING],
                             sum(u.punctuality is Punctuality.MISSING and u.days_late > 0 for u in units))


def timeliness_text(unit: UnitTimeliness) -> str:
    """`đúng hạn`, `muộn 3 ngày`, `chưa rõ`, `chưa gửi (quá hạn 5 ngày)`, or `chưa gửi` while not yet due."""
    match unit.punctuality:
        case Punctuality.ON_TIME:
            return "đúng hạn"
        case Punctuality.LATE:
            return f"muộn {unit.days_late} ngày"
        case Punctuality.UNKNOWN:
            return "chưa rõ"
        case Punctuality.MISSING:
            return f"chưa gửi (quá hạn {unit.days_late} ngày)" if unit.days_late else "chưa gửi"
