"""Stage 3: add the valid returns up into one `Statistics` value."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

import pandas as pd

from pipeline.core.model import (
    CommuneLevel,
    CommuneMerge,
    CommuneRow,
    ReturnsSummary,
    ReturnStatus,
    Settings,
    SeveranceBucket,
    SeveranceSummary,
    StaffingGroup,
    Statistics,
    TimelinessSummary,
    Unit,
    UnitGroup,
    ValidationResult,
    VillageLevel,
    VillageMerge,
)
from pipeline.intake.contract import FORM_RESIGNATION, FORM_RETIREMENT, LEVEL_COMMUNE, LEVEL_VILLAGE
from pipeline.vn.periods import Period
from pipeline.vn.units import unit_name

_VILLAGE_NUMBERS = ["titles", "people_before", "people_after", "villages_before", "over_target"]


def _integers(columns: list[str]) -> dict[str, str]:
    """Explicit dtypes: an empty frame would otherwise hold objects, and a boolean
    mask over objects is read by pandas as a list of column names."""
    return dict.fromkeys(columns, "int64")


def _group(names: Iterable[str], kinds: Iterable[str]) -> UnitGroup:
    names = tuple(names)
    return UnitGroup(len(names), tuple(dict.fromkeys(kinds)), names)


def _units_group(frame: pd.DataFrame) -> UnitGroup:
    return _group(frame["display"], frame["kind"])


def _frames(result: ValidationResult) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    communes = pd.DataFrame(
        [
            {"code": r.unit.code, "name": r.unit.name, "kind": r.unit.kind,
             "display": unit_name(r.unit.kind, r.unit.name), "titles": r.commune_titles,
             "people_before": r.people_before, "people_after": r.people_after}
            for r in result.accepted
        ],
        columns=["code", "name", "kind", "display", "titles", "people_before", "people_after"],
    ).astype(_integers(["titles", "people_before", "people_after"]))
    villages = pd.DataFrame(
        [
            {"code": r.unit.code, "name": v.name, "kind": v.kind, "display": v.name,
             "former": v.merged_from, "villages_before": len(v.merged_from) or 1,
             "titles": v.titles, "people_before": v.people_before, "people_after": v.people_after}
            for r in result.accepted for v in r.villages
        ],
        columns=["code", "name", "kind", "display", "former", "villages_before", "titles",
                 "people_before", "people_after"],
    ).astype(_integers(["villages_before", "titles", "people_before", "people_after"]))
    severances = pd.DataFrame(
        [
            {"code": r.unit.code, "level": s.level, "form": s.form, "amount": s.amount,
             "paid": s.paid_on is not None}
            for r in result.accepted for s in r.severances
        ],
        columns=["code", "level", "form", "amount", "paid"],
    ).astype({"amount": "int64", "paid": "bool"})
    return communes, villages, severances


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


def _commune_level(communes: pd.DataFrame, settings: Settings) -> CommuneLevel:
    target = settings.commune_target
    groups = tuple(
        StaffingGroup(int(people), int(titles), _units_group(frame))
        for (people, titles), frame in communes.groupby(["people_after", "titles"], sort=True)
    )
    before, after = int(communes["people_before"].sum()), int(communes["people_after"].sum())
    return CommuneLevel(
        communes=_units_group(communes),
        titles=int(communes["titles"].sum()),
        people_before=before,
        people_after=after,
        reduction=before - after,
        groups=groups,
        over_target=_units_group(communes[communes["people_after"] > target.people] if target else communes[:0]),
        target=target,
    )


def _village_level(villages: pd.DataFrame, communes: pd.DataFrame, settings: Settings) -> VillageLevel:
    target = settings.village_target
    merged = villages[villages["former"].map(len) > 0]
    commune_names = dict(zip(communes["code"], communes["display"]))
    over = villages["people_after"] > target.people
    before, after = int(villages["people_before"].sum()), int(villages["people_after"].sum())
    # Former villages are taken to be of the kind of the village they formed.
    return VillageLevel(
        before=UnitGroup(int(villages["villages_before"].sum()), tuple(dict.fromkeys(villages["kind"])), ()),
        after=_units_group(villages),
        merged_former=UnitGroup(int(merged["villages_before"].sum()), tuple(dict.fromkeys(merged["kind"])),
                                tuple(name for former in merged["former"] for name in former)),
        merged_into=_units_group(merged),
        merges=tuple(
            VillageMerge(commune_names[row.code], row.name, row.kind, tuple(row.former))
            for row in merged.itertuples()
        ),
        titles=int(villages["titles"].sum()),
        people_before=before,
        people_after=after,
        reduction=before - after,
        meeting_target=_units_group(villages[~over]),
        over_target=_units_group(villages[over]),
        target=target,
    )


def _communes_merged(registry: Sequence[Unit]) -> tuple[CommuneMerge, ...]:
    # The registry names only the former units; they are taken to be of the new unit's kind.
    return tuple(
        CommuneMerge(unit_name(u.kind, u.name), u.kind, tuple(unit_name(u.kind, f) for f in u.merged_from))
        for u in registry if u.merged_from
    )


def _severance(severances: pd.DataFrame) -> SeveranceSummary:
    buckets = []
    for level in (LEVEL_COMMUNE, LEVEL_VILLAGE):
        for form in (FORM_RESIGNATION, FORM_RETIREMENT):
            rows = severances[(severances["level"] == level) & (severances["form"] == form)]
            paid = rows[rows["paid"]]
            pending = rows[~rows["paid"]]
            buckets.append(SeveranceBucket(level, form, len(rows), len(paid), len(pending),
                                           int(paid["amount"].sum()), int(pending["amount"].sum())))
    paid = severances[severances["paid"]]
    pending = severances[~severances["paid"]]
    return SeveranceSummary(tuple(buckets), len(severances), len(paid), len(pending),
                            int(paid["amount"].sum()), int(pending["amount"].sum()))


def _rows(communes: pd.DataFrame, villages: pd.DataFrame, severances: pd.DataFrame,
          settings: Settings) -> tuple[tuple[CommuneRow, ...], CommuneRow]:
    per_village = villages.assign(over_target=villages["people_after"] > settings.village_target.people)
    village_sums = per_village.groupby("code")[_VILLAGE_NUMBERS].sum()
    village_counts = per_village.groupby("code").size()
    paid = severances[severances["paid"]].groupby("code")["amount"].sum()
    cases = severances.groupby("code").size()

    def number(series: pd.Series, code: str) -> int:
        return int(series.get(code, 0))

    rows = []
    for c in communes.itertuples():
        v = village_sums.loc[c.code] if c.code in village_sums.index else None
        v_before = int(v["people_before"]) if v is not None else 0
        v_after = int(v["people_after"]) if v is not None else 0
        rows.append(CommuneRow(
            code=c.code, name=c.display, kind=c.kind, commune_titles=c.titles,
            people_before=c.people_before, people_after=c.people_after,
            reduction=c.people_before - c.people_after,
            villages_before=int(v["villages_before"]) if v is not None else 0,
            villages_after=number(village_counts, c.code),
            village_titles=int(v["titles"]) if v is not None else 0,
            village_people_before=v_before, village_people_after=v_after, village_reduction=v_before - v_after,
            villages_over_target=int(v["over_target"]) if v is not None else 0,
            severance_cases=number(cases, c.code), severance_paid=number(paid, c.code),
        ))
    numeric = [f.name for f in dataclasses.fields(CommuneRow) if f.type == "int"]
    totals = CommuneRow(code="", name="Tổng cộng", kind="",
                        **{key: sum(getattr(r, key) for r in rows) for key in numeric})
    return tuple(rows), totals


def aggregate(result: ValidationResult, registry: Sequence[Unit], settings: Settings,
              period: Period, timeliness: TimelinessSummary | None = None) -> Statistics:
    """`timeliness`: the communes' receipts against the deadline (`figures.timeliness`), carried as they are."""
    communes, villages, severances = _frames(result)
    rows, totals = _rows(communes, villages, severances, settings)
    return Statistics(
        period=period,
        returns=_returns(result, registry),
        commune=_commune_level(communes, settings),
        villages=_village_level(villages, communes, settings),
        communes_merged=_communes_merged(registry),
        severance=_severance(severances),
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
