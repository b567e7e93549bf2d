"""Stage 3: add the valid returns up into one `Statistics` value."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from pipeline.core.model import (
    CommuneLevel,
    CommuneMerge,
    CommuneReturn,
    CommuneRow,
    ReturnsSummary,
    ReturnStatus,
    Settings,
    Severance,
    SeveranceBucket,
    SeveranceSummary,
    StaffingGroup,
    Statistics,
    TimelinessSummary,
    Unit,
    UnitGroup,
    ValidationResult,
    Village,
    VillageLevel,
    VillageMerge,
)
from pipeline.intake.contract import FORM_RESIGNATION, FORM_RETIREMENT, LEVEL_COMMUNE, LEVEL_VILLAGE
from pipeline.vn.periods import Period
from pipeline.vn.units import unit_name


def _group(names: Iterable[str], kinds: Iterable[str]) -> UnitGroup:
    names = tuple(names)
    return UnitGroup(len(names), tuple(dict.fromkeys(kinds)), names)


def _communes_group(returns: Sequence[CommuneReturn]) -> UnitGroup:
    return _group((unit_name(r.unit.kind, r.unit.name) for r in returns), (r.unit.kind for r in returns))


def _villages_group(villages: Sequence[Village]) -> UnitGroup:
    return _group((v.name for v in villages), (v.kind for v in villages))


def _villages_before(village: Village) -> int:
    return len(village.merged_from) or 1


def _returns(result: ValidationResult, registry: Sequence[Unit]) -> ReturnsSummary:
    names = {u.code: unit_name(u.kind, u.name) for u in registry}
    used = [o for o in result.outcomes if o.status is not ReturnStatus.SUPERSEDED]
    # A commune may have several: returns of the same `Ngày lập`, or none with one read.
    invalid_codes = dict.fromkeys(o.code for o in used if o.status is not ReturnStatus.VALID and o.code)
    return ReturnsSummary(
        expected=len(registry),
        received=len({o.code for o in result.outcomes if o.code}),
        valid=len(result.accepted),
        invalid=tuple(names[c] for c in invalid_codes),
        missing=tuple(names[u.code] for u in result.missing),
        superseded=tuple(o.file for o in result.outcomes if o.status is ReturnStatus.SUPERSEDED),
    )


def _commune_level(accepted: Sequence[CommuneReturn], settings: Settings) -> CommuneLevel:
    target = settings.commune_target
    by_staffing: dict[tuple[int, int], list[CommuneReturn]] = {}
    for r in accepted:
        by_staffing.setdefault((r.people_after, r.commune_titles), []).append(r)
    groups = tuple(StaffingGroup(people, titles, _communes_group(by_staffing[people, titles]))
                   for people, titles in sorted(by_staffing))
    before, after = sum(r.people_before for r in accepted), sum(r.people_after for r in accepted)
    return CommuneLevel(
        communes=_communes_group(accepted),
        titles=sum(r.commune_titles for r in accepted),
        people_before=before,
        people_after=after,
        reduction=before - after,
        groups=groups,
        over_target=_communes_group([r for r in accepted if target and r.people_after > target.people]),
        target=target,
    )


def _village_level(accepted: Sequence[CommuneReturn], settings: Settings) -> VillageLevel:
    target = settings.village_target
    villages = [v for r in accepted for v in r.villages]
    merged = [(r, v) for r in accepted for v in r.villages if v.merged_from]
    merged_villages = [v for _, v in merged]
    commune_names = {r.unit.code: unit_name(r.unit.kind, r.unit.name) for r in accepted}
    before, after = sum(v.people_before for v in villages), sum(v.people_after for v in villages)
    # Former villages are taken to be of the kind of the village they formed.
    return VillageLevel(
        before=UnitGroup(sum(map(_villages_before, villages)), tuple(dict.fromkeys(v.kind for v in villages)), ()),
        after=_villages_group(villages),
        merged_former=UnitGroup(sum(map(_villages_before, merged_villages)),
                                tuple(dict.fromkeys(v.kind for v in merged_villages)),
                                tuple(name for v in merged_villages for name in v.merged_from)),
        merged_into=_villages_group(merged_villages),
        merges=tuple(VillageMerge(commune_names[r.unit.code], v.name, v.kind, tuple(v.merged_from))
                     for r, v in merged),
        titles=sum(v.titles for v in villages),
        people_before=before,
        people_after=after,
        reduction=before - after,
        meeting_target=_villages_group([v for v in villages if target and v.people_after <= target.people]),
        over_target=_villages_group([v for v in villages if target and v.people_after > target.people]),
        target=target,
    )


def _communes_merged(registry: Sequence[Unit]) -> tuple[CommuneMerge, ...]:
    # The registry names only the former units; they are taken to be of the new unit's kind.
    return tuple(
        CommuneMerge(unit_name(u.kind, u.name), u.kind, tuple(unit_name(u.kind, f) for f in u.merged_from))
        for u in registry if u.merged_from
    )


def _severance(accepted: Sequence[CommuneReturn]) -> SeveranceSummary:
    severances = [s for r in accepted for s in r.severances]

    def summed(rows: list[Severance]) -> tuple[int, int, int, int, int]:
        paid = [s.amount for s in rows if s.paid_on is not None]
        pending = [s.amount for s in rows if s.paid_on is None]
        return len(rows), len(paid), len(pending), sum(paid), sum(pending)

    buckets = tuple(SeveranceBucket(level, form, *summed([s for s in severances if s.level == level and s.form == form]))
                    for level in (LEVEL_COMMUNE, LEVEL_VILLAGE) for form in (FORM_RESIGNATION, FORM_RETIREMENT))
    return SeveranceSummary(buckets, *summed(severances))


def _rows(accepted: Sequence[CommuneReturn], settings: Settings) -> tuple[tuple[CommuneRow, ...], CommuneRow]:
    # By code, as the same code's villages and severances would be added up wherever they came from.
    villages: dict[str, list[Village]] = {}
    severances: dict[str, list[Severance]] = {}
    for r in accepted:
        villages.setdefault(r.unit.code, []).extend(r.villages)
        severances.setdefault(r.unit.code, []).extend(r.severances)
    target = settings.village_target
    rows = []
    for r in accepted:
        own, cases = villages[r.unit.code], severances[r.unit.code]
        v_before, v_after = sum(v.people_before for v in own), sum(v.people_after for v in own)
        rows.append(CommuneRow(
            code=r.unit.code, name=unit_name(r.unit.kind, r.unit.name), kind=r.unit.kind,
            commune_titles=r.commune_titles, people_before=r.people_before, people_after=r.people_after,
            reduction=r.people_before - r.people_after,
            villages_before=sum(map(_villages_before, own)),
            villages_after=len(own),
            village_titles=sum(v.titles for v in own),
            village_people_before=v_before, village_people_after=v_after, village_reduction=v_before - v_after,
            villages_over_target=sum(v.people_after > target.people for v in own) if target else 0,
            severance_cases=len(cases), severance_paid=sum(s.amount for s in cases if s.paid_on is not None),
        ))
    numeric = [f.name for f in dataclasses.fields(CommuneRow) if f.type == "int"]
    totals = CommuneRow(code="", name="Tổng cộng", kind="",
                        **{key: sum(getattr(r, key) for r in rows) for key in numeric})
    return tuple(rows), totals


def aggregate(result: ValidationResult, registry: Sequence[Unit], settings: Settings,
              period: Period, timeliness: TimelinessSummary | None = None) -> Statistics:
    """`timeliness`: the communes' receipts against the deadline (`figures.timeliness`), carried as they are."""
    rows, totals = _rows(result.accepted, settings)
    return Statistics(
        period=period,
        returns=_returns(result, registry),
        commune=_commune_level(result.accepted, settings),
        villages=_village_level(result.accepted, settings),
        communes_merged=_communes_merged(registry),
        severance=_severance(result.accepted),
        rows=rows,
        totals=totals,
        timeliness=timeliness,
    )


# Most of a national run's statistics are these, thousands of rows of them: answered first.
_JSON_LEAVES = frozenset({int, float, str, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _JSON_LEAVES:
        return value
    if isinstance(value, Period):
        return {"code": value.code, "label": value.label()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def statistics_json(stats: Statistics) -> dict[str, Any]:
    """`tong-hop.json`: the statistics as plain JSON values."""
    return _plain(stats)
