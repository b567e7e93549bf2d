"""The warnings the office has checked: `inputs/<PERIOD>/xac-nhan.yaml`.

Each entry names a unit, a rule and the value the warning showed, with who
checked it and when. A warning with that unit, rule and value is no longer
flagged; once the figure changes, the entry no longer matches and the warning is
back: a confirmation is for one figure, never for a rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from pipeline.core.model import Severity, Unit, ValidationResult
from pipeline.intake.rules import RULES_FILE, RuleSet, parse_number, shown
from pipeline.intake.yaml_input import SettingsError, YamlReader, load_yaml
from pipeline.vn.dates import format_short_date

CONFIRMATIONS_FILE = "xac-nhan.yaml"
SECTION = "confirmed"


@dataclass(frozen=True)
class Confirmation:
    unit: str  # the unit's code
    rule: str
    value: str  # as the warning writes it: `1.149.540.875`, `0,8`
    by: str
    on: dt.date

    @property
    def match(self) -> tuple[str, str, str]:
        return self.unit, self.rule, self.value


def _value(reader: YamlReader) -> str:
    value = reader.data.get("value")
    number = parse_number(value) if isinstance(value, str) else value
    if isinstance(number, float):
        number = Fraction(str(number))
    if isinstance(number, bool) or not isinstance(number, (int, Fraction)):
        raise reader.fail("value", "cần số liệu đúng như cảnh báo ghi, ví dụ 1.149.540.875 hoặc 0,8")
    return shown(number)


def _unit(reader: YamlReader, units: Mapping[str, Unit]) -> str:
    code = reader.text("unit")
    if code not in units:
        raise reader.fail("unit", f"mã đơn vị '{code}' không có trong danh mục (mã bắt đầu bằng số 0 thì đặt trong "
                                  f"ngoặc kép, ví dụ \"00101\")")
    return code


def _rule(reader: YamlReader, rules: RuleSet) -> str:
    key = reader.text("rule")
    severity = rules.severity(key)
    if severity is None:
        raise reader.fail("rule", f"không có quy tắc '{key}' trong {RULES_FILE}")
    if severity is Severity.ERROR:
        raise reader.fail("rule", f"quy tắc '{key}' là lỗi, không phải cảnh báo: báo cáo phải được sửa, không xác "
                                  f"nhận được")
    return key


def load_confirmations(period_dir: Path, rules: RuleSet, units: Mapping[str, Unit]) -> tuple[Confirmation, ...]:
    """The period's confirmations; none when there is no file. Raises `SettingsError`
    naming the line of an entry that cannot be right."""
    path = period_dir / CONFIRMATIONS_FILE
    if not path.is_file():
        return ()
    data, lines = load_yaml(path)
    if data is not None and not isinstance(data, dict):
        raise SettingsError(f"Tệp {path.name}: cần mục '{SECTION}:' với danh sách các số liệu đã xác nhận, như "
                            f"README hướng dẫn.")
    root = YamlReader(path, data, lines=lines)
    entries = root.data.get(SECTION) or []
    if not isinstance(entries, list):
        raise root.fail(SECTION, "cần một danh sách, mỗi số liệu đã xác nhận bắt đầu bằng dấu -")
    confirmations = []
    for number, entry in enumerate(entries, start=1):
        reader = YamlReader(path, entry, f"{SECTION}[{number}].", lines)
        if not isinstance(entry, dict):
            raise root.fail(f"{SECTION}[{number}]", "cần các khóa unit, rule, value, by, date")
        on = reader.date("date")
        if on is None:
            raise reader.fail("date", "cần ngày xác nhận dạng YYYY-MM-DD, ví dụ 2020-11-20")
        confirmations.append(Confirmation(_unit(reader, units), _rule(reader, rules), _value(reader),
                                          reader.text("by"), on))
    return tuple(confirmations)


def apply_confirmations(result: ValidationResult, confirmations: tuple[Confirmation, ...]) -> ValidationResult:
    """`result` without the warnings the office has confirmed, and a note of them."""
    by_match = {c.match: c for c in confirmations}
    applied: dict[tuple[str, str, str], Confirmation] = {}
    outcomes = []
    for outcome in result.outcomes:
        kept = []
        for problem in outcome.problems:
            found = by_match.get((outcome.code or "", problem.rule, problem.value))
            if found and problem.severity is Severity.WARNING:
                applied[found.match] = found
            else:
                kept.append(problem)
        outcomes.append(dataclasses.replace(outcome, problems=tuple(kept)) if len(kept) < len(outcome.problems)
                        else outcome)
    if not applied:
        return result
    listed = "; ".join(f"{c.unit} – quy tắc {c.rule}, giá trị {c.value} ({c.by}, {format_short_date(c.on)})"
                       for c in applied.values())
    note = f"Số liệu đã xác nhận ({CONFIRMATIONS_FILE}), không còn cảnh báo: {listed}."
    return dataclasses.replace(result, outcomes=tuple(outcomes), notes=(*result.notes, note))
