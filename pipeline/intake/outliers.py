"""The rules that weigh the accepted returns together (`outliers:` in quy-tac.yaml):
a unit's figure far from the other units' (a robust z-score), or moved too much
since the previous period (its `tong-hop.json`). They only warn: whether a return
counts never depends on the other communes' returns.

The robust z-score of Iglewicz and Hoaglin: z = 0.6745 (x − median) / MAD, MAD
the median of |x − median|. When more than half the units share one value the MAD
is 0; the mean absolute deviation then stands in (z = (x − median) / (1.253314 ·
mean |x − median|)), and units all equal have no outlier.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from pipeline.core.model import CommuneReturn, Problem, ReturnOutcome, ReturnStatus, Severity, ValidationResult
from pipeline.intake.contract import INFO_FIELDS, INFO_SHEET, SEVERANCE_SHEET, VILLAGE_SHEET
from pipeline.intake.rules import (
    CELL_WORD,
    FIELD,
    STORED_FIGURES,
    ChangeRule,
    Number,
    ReturnValues,
    RuleSet,
    ZScoreRule,
    as_decimal,
    evaluate,
    refs,
    shown,
    verify_fix,
    whole_or_none,
)
from pipeline.vn.numbers import format_percent
from pipeline.vn.periods import Period

# Fewer units than this, and a median says little about any of them.
MIN_UNITS = 5
MAD_SCALE = Fraction("0.6745")
MEAN_AD_SCALE = Fraction("1.253314")


def median(values: Sequence[Number]) -> Fraction:
    """Exact (the median of two whole numbers may be a half), sorted on floats first:
    comparing fractions is slow, and only values a float cannot tell apart need it."""
    ordered = sorted(values, key=lambda v: (float(v), v))
    half = len(ordered) // 2
    return Fraction(ordered[half]) if len(ordered) % 2 else Fraction(ordered[half - 1] + ordered[half], 2)


def robust_z_scores(values: Sequence[Number]) -> list[Fraction]:
    """Each value's robust z-score against all of `values` (0 for all when they are all equal)."""
    middle = median(values)
    deviations = [abs(v - middle) for v in values]
    spread = median(deviations) / MAD_SCALE
    if not spread:
        spread = MEAN_AD_SCALE * sum(deviations) / len(values)
    if not spread:
        return [Fraction(0)] * len(values)
    return [(v - middle) / spread for v in values]


def return_values(data: CommuneReturn) -> ReturnValues:
    """An accepted return's figures, as the check rules read the cells."""
    info = {f.key: getattr(data, f.key) for f in INFO_FIELDS if hasattr(data, f.key)}
    tables = {VILLAGE_SHEET: [vars(v) for v in data.villages], SEVERANCE_SHEET: [vars(s) for s in data.severances]}
    return ReturnValues(info, tables, data.cells)


def read_statistics(path: Path) -> tuple[Mapping[str, Any] | None, str | None]:
    """A run's `tong-hop.json`: (its data, None); (None, None) when there is none;
    (None, why it cannot be used) when it cannot be read."""
    if not path.is_file():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return None, f"tệp {path} không đúng định dạng JSON (dòng {error.lineno}, cột {error.colno})"
    except (OSError, UnicodeDecodeError):
        return None, f"không đọc được tệp {path}"
    if isinstance(data, dict):
        return data, None
    return None, f"tệp {path} không chứa số liệu tổng hợp"


# One counted return: its place among the outcomes, its outcome, its figures, the rule's value.
_Measured = tuple[int, ReturnOutcome, ReturnValues, Number]


def _warning(rule: ZScoreRule | ChangeRule, measured: _Measured, places: dict[str, str], expected: str) -> Problem:
    _, outcome, values, value = measured
    first = refs(rule.value)[:1]
    sheet = first[0].sheet if first else INFO_SHEET
    cell = values.where(first[0]) if first else None
    places = {**places, "giá trị": shown(value), CELL_WORD: cell or ""}
    return Problem(outcome.file, rule.message.render(places), expected, Severity.WARNING, sheet, cell,
                   verify_fix([cell] if cell else [], [sheet]), rule.key, shown(value))


def _z_score_warnings(rule: ZScoreRule, measured: list[_Measured]) -> list[tuple[int, Problem]]:
    values = [value for *_, value in measured]
    centre = median(values)
    middle = shown(centre)
    expected = f"{rule.label} gần với các đơn vị khác (trung vị của các đơn vị: {middle})"
    return [(m[0], _warning(rule, m, {"trung vị": middle}, expected))
            for m, z in zip(measured, robust_z_scores(values))
            if abs(z) > rule.threshold and abs(m[3] - centre) * 100 > rule.percent * abs(centre)]


def _stored(row: Mapping[str, Any]) -> ReturnValues:
    """A unit's figures as the previous period's `tong-hop.json` stored them."""
    info = {ref.key: row.get(name) for ref, name in STORED_FIGURES.items() if ref.kind == FIELD}
    totals = {ref: whole_or_none(row.get(name)) for ref, name in STORED_FIGURES.items() if ref.kind != FIELD}
    return ReturnValues(info, {}, {}, totals=totals)


def _change_warnings(rule: ChangeRule, measured: list[_Measured], previous: Mapping[str, Mapping[str, Any]],
                     previous_period: Period) -> list[tuple[int, Problem]]:
    found = []
    for m in measured:
        _, outcome, _, value = m
        row = previous.get(outcome.code or "")
        before = evaluate(rule.value, _stored(row)) if row else None
        if not before:  # not reported then, or 0: no percentage to speak of
            continue
        change = Fraction(value - before) / abs(before)
        if abs(change) * 100 > rule.percent:
            moved = f"{'tăng' if change > 0 else 'giảm'} {format_percent(as_decimal(abs(change)))}"
            expected = (f"{rule.label} thay đổi không quá {shown(rule.percent)}% so với {previous_period.label()} "
                        f"({shown(before)})")
            found.append((m[0], _warning(rule, m, {"kỳ trước": shown(before), "thay đổi": moved}, expected)))
    return found


def _previous_rows(previous: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]] | None:
    rows = previous.get("rows") if previous is not None else None
    if not isinstance(rows, list):
        return None
    return {row["code"]: row for row in rows if isinstance(row, dict) and isinstance(row.get("code"), str)}


def _measure(expr: Any, counted: list[tuple[int, ReturnOutcome, ReturnValues]]) -> list[_Measured]:
    """The returns for which `expr` has a value (its figures there, no division by zero)."""
    return [(i, o, values, v) for i, o, values in counted if (v := evaluate(expr, values.at(None))) is not None]


def flag_outliers(result: ValidationResult, rules: RuleSet, previous: Mapping[str, Any] | None,
                  previous_period: Period, unavailable: str = "") -> ValidationResult:
    """`result` with the outlier rules' warnings added to the counted returns' outcomes.
    `previous`: the previous period's `tong-hop.json`, or None and `unavailable`
    saying why: without it the change rules are left out, and the notes say so once."""
    counted = [(i, o, return_values(o.data)) for i, o in enumerate(result.outcomes)
               if o.status is ReturnStatus.VALID and o.data is not None]
    notes, found = list(result.notes), []
    for rule in rules.z_scores:
        measured = _measure(rule.value, counted)
        if len(measured) < MIN_UNITS:
            notes.append(f"Quy tắc {rule.key} (so với các đơn vị khác) chưa áp dụng: mới có {len(measured)} đơn vị "
                         f"có số liệu, cần ít nhất {MIN_UNITS}.")
            continue
        found += _z_score_warnings(rule, measured)
    rows = _previous_rows(previous)
    if rules.changes and rows is None:
        keys = ", ".join(rule.key for rule in rules.changes)
        why = "tệp kết quả kỳ trước không có số liệu từng đơn vị" if previous is not None else unavailable
        notes.append(f"Quy tắc so với kỳ trước ({keys}) chưa áp dụng: {why}.")
    for rule in rules.changes if rows is not None else ():
        found += _change_warnings(rule, _measure(rule.value, counted), rows, previous_period)
    added: dict[int, list[Problem]] = {}
    for index, problem in found:
        added.setdefault(index, []).append(problem)
    outcomes = tuple(dataclasses.replace(o, problems=(*o.problems, *added[i])) if i in added else o
                     for i, o in enumerate(result.outcomes))
    return dataclasses.replace(result, outcomes=outcomes, notes=tuple(notes))
