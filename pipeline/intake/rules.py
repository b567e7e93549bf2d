"""Plausibility rules over a return's figures, as the office writes them in
`inputs/quy-tac.yaml` (a period may override rules by key in
`inputs/<PERIOD>/quy-tac.yaml`).

A check rule compares two sides over one return's numeric fields
(`Số người sau sắp xếp <= Số người trước sắp xếp`), on `Thông tin` or on each
row of `Thôn` or `Thôi việc`; `lỗi` makes the return invalid, `cảnh báo` counts
it but asks the clerk to verify. The outlier rules (`outliers.py`) weigh the
returns together: far from the other units, or moved too much since the previous
period.

Expressions are parsed here into a small tree of frozen dataclasses (picklable:
they travel to the pool's workers) and walked by `evaluate`; nothing is ever
handed to Python's `eval`. Arithmetic is exact (`Fraction`), so a bound is met or
not whatever the platform. A field that is blank or wrong, or a division by zero,
leaves its rule out for that return or row: the cell has its own message.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from pipeline.core.model import Problem, Severity
from pipeline.intake.contract import (
    INFO_FIELDS,
    INFO_SHEET,
    SEVERANCE_COLUMNS,
    SEVERANCE_SHEET,
    VILLAGE_COLUMNS,
    VILLAGE_SHEET,
    Field,
    FieldType,
    clean_text,
    label_key,
)
from pipeline.intake.yaml_input import SettingsError, YamlReader, load_yaml
from pipeline.vn.dates import format_short_date
from pipeline.vn.numbers import format_number

RULES_FILE = "quy-tac.yaml"
SEVERITIES = {"lỗi": Severity.ERROR, "cảnh báo": Severity.WARNING}
COMPARE_UNITS, COMPARE_PREVIOUS = "các đơn vị khác", "kỳ trước"
SHEET_FIELDS: dict[str, tuple[Field, ...]] = {
    INFO_SHEET: INFO_FIELDS, VILLAGE_SHEET: VILLAGE_COLUMNS, SEVERANCE_SHEET: SEVERANCE_COLUMNS,
}
TABLES = (VILLAGE_SHEET, SEVERANCE_SHEET)
_NUMERIC = (FieldType.COUNT, FieldType.AMOUNT)
# A rule's key is written in xac-nhan.yaml and on the status sheet: plain letters, digits and dashes.
_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# `1.149.540.875`, `150000000`, `0,5`: dots group thousands, a comma starts the decimals.
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
_BAD_NUMBER = re.compile(r"\d[\d.,]*")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SUM_WORD, ROWS_WORD, BETWEEN = "tổng", "số dòng", "trong khoảng"
CELL_WORD = "ô"

Number = int | Fraction


# --- expressions -------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A figure of a return: a field (`sheet` `Thông tin`, or the rule's row), the sum
    of a table's column (`tổng(Số tiền)`), or a table's number of rows (`số dòng(Thôn)`)."""

    kind: str  # FIELD, SUM or ROWS
    sheet: str
    key: str = ""


FIELD, SUM, ROWS = "field", "sum", "rows"


# The inner nodes compare by identity: each is the key of its compiled function (`compiled`),
# found in a few nanoseconds where hashing a tree would walk it for every row checked.
@dataclass(frozen=True, eq=False)
class Num:
    value: Number


@dataclass(frozen=True, eq=False)
class Neg:
    operand: Expr


@dataclass(frozen=True, eq=False)
class BinOp:
    op: str  # + - * /
    left: Expr
    right: Expr


Expr = Ref | Num | Neg | BinOp

def _divide(a: Number, b: Number) -> Number | None:
    return None if b == 0 else Fraction(a) / b


_ARITHMETIC: dict[str, Callable[[Number, Number], Number | None]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": _divide,
}


def evaluate(expr: Expr, values: ReturnValues) -> Number | None:
    """The value of `expr` over a return's figures (its current row, for a field of a
    table); None when a figure is missing (blank, wrong) or a division is by zero:
    the rule then does not apply."""
    return compiled(expr)(values)


def whole_or_none(value: Any) -> Number | None:
    return value if type(value) is int else None  # a bool, a text, a wrong cell: missing


@functools.lru_cache(maxsize=4096)
def compiled(expr: Expr) -> Callable[[ReturnValues], Number | None]:
    """`expr` as a function of a return's figures, made once where it runs (a pool's
    worker receives the tree, which pickles; the functions would not): the tree is
    walked once per process, not once per return and row."""
    if isinstance(expr, Num):
        value = expr.value
        return lambda values: value
    if isinstance(expr, Ref):
        key = expr.key
        if expr.kind == FIELD and expr.sheet == INFO_SHEET:
            return lambda values: found if type(found := values.info.get(key)) is int else None
        if expr.kind == FIELD:
            return lambda values: found if type(found := values.row.get(key)) is int else None
        return lambda values: values.total(expr)
    if isinstance(expr, Neg):
        operand = compiled(expr.operand)

        def negated(values: ReturnValues) -> Number | None:
            value = operand(values)
            return None if value is None else -value
        return negated
    left, right = compiled(expr.left), compiled(expr.right)
    apply = _ARITHMETIC[expr.op]

    def combined(values: ReturnValues) -> Number | None:
        a = left(values)
        if a is None:
            return None
        b = right(values)
        return None if b is None else apply(a, b)
    return combined


def refs(expr: Expr) -> list[Ref]:
    """The figures `expr` reads, left to right."""
    if isinstance(expr, Ref):
        return [expr]
    if isinstance(expr, Neg):
        return refs(expr.operand)
    if isinstance(expr, BinOp):
        return refs(expr.left) + refs(expr.right)
    return []


def shown(value: Any) -> str:
    """A figure as the messages write it: `1.149.540.875`, `0,8`, `12/11/2020`."""
    if value is None:
        return "(trống)"
    if isinstance(value, Fraction):
        return format_number(value.numerator if value.denominator == 1 else as_decimal(value))
    if isinstance(value, int):
        return format_number(value)
    if hasattr(value, "toordinal"):
        return format_short_date(value)
    return str(value)


class RuleSyntaxError(ValueError):
    """What is wrong with an expression, in Vietnamese, without the file's place (the loader adds it)."""


@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "ref", "op", "cmp", "between", "end"
    value: Any
    start: int
    end: int


_COMPARISONS = {"<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", "!=": "!=", "≠": "!=", "==": "=", "=": "=",
                "<": "<", ">": ">"}
_PUNCTUATION = "+-*/()[];"


def _names(sheet: str) -> list[tuple[str, Ref]]:
    """The figures a rule on `sheet` may name: `Thông tin`'s numeric fields, the row's
    numeric columns, and the sums and row counts of the tables; longest first, so
    `Số người sau sắp xếp` is never read as `Số người sau` and more."""
    names = [(label_key(f.label), Ref(FIELD, INFO_SHEET, f.key)) for f in INFO_FIELDS if f.type in _NUMERIC]
    if sheet != INFO_SHEET:
        names += [(label_key(f.label), Ref(FIELD, sheet, f.key)) for f in SHEET_FIELDS[sheet] if f.type in _NUMERIC]
    for table in TABLES:
        names += [(f"{SUM_WORD}({label_key(f.label)})", Ref(SUM, table, f.key))
                  for f in SHEET_FIELDS[table] if f.type in _NUMERIC]
        names.append((f"{ROWS_WORD}({label_key(table)})", Ref(ROWS, table)))
    return sorted(names, key=lambda item: -len(item[0]))


def numeric_labels(sheet: str) -> str:
    """The names a rule on `sheet` may use, for the messages."""
    fields = [f.label for f in INFO_FIELDS if f.type in _NUMERIC]
    if sheet != INFO_SHEET:
        fields += [f.label for f in SHEET_FIELDS[sheet] if f.type in _NUMERIC]
    sums = [f"{SUM_WORD}({f.label})" for t in TABLES for f in SHEET_FIELDS[t] if f.type in _NUMERIC]
    return ", ".join([*fields, *sums, *(f"{ROWS_WORD}({t})" for t in TABLES)])


def _number(text: str) -> Number:
    whole, _, decimals = text.replace(".", "").partition(",")
    return Fraction(f"{whole}.{decimals}") if decimals else int(whole)


def parse_number(text: str) -> Number | None:
    """`1.149.540.875` → 1149540875, `0,5` → 1/2; None when not a number written that way."""
    cleaned = clean_text(text)
    return _number(cleaned) if _NUMBER.fullmatch(cleaned) else None


def _tokens(text: str, sheet: str) -> list[_Token]:
    # Matching is on the folded text; Vietnamese letters fold one to one, so places agree.
    folded = label_key(text)
    names = _names(sheet)
    tokens, i = [], 0
    while i < len(folded):
        if folded[i].isspace():
            i += 1
            continue
        if folded.startswith(BETWEEN, i):
            tokens.append(_Token("between", BETWEEN, i, i + len(BETWEEN)))
            i += len(BETWEEN)
            continue
        comparison = next((c for c in _COMPARISONS if folded.startswith(c, i)), None)
        if comparison:
            tokens.append(_Token("cmp", _COMPARISONS[comparison], i, i + len(comparison)))
            i += len(comparison)
            continue
        if folded[i] in _PUNCTUATION:
            tokens.append(_Token("op", folded[i], i, i + 1))
            i += 1
            continue
        if folded[i].isdigit():
            number, written = _NUMBER.match(folded, i), _BAD_NUMBER.match(folded, i)
            if number is None or written is None or written.end() != number.end():
                raise RuleSyntaxError(f"số '{written[0] if written else folded[i]}' viết sai: viết số như "
                                      f"1.149.540.875 (dấu chấm ngăn hàng nghìn) hoặc 0,5 (dấu phẩy trước phần lẻ)")
            tokens.append(_Token("num", _number(number[0]), i, number.end()))
            i = number.end()
            continue
        found = next(((written, ref) for written, ref in ((_spaced(name, folded, i), ref) for name, ref in names)
                      if folded.startswith(written, i) and not _continues(folded, i + len(written))), None)
        if found is None:
            rest = text[i:i + 30] if len(text) == len(folded) else folded[i:i + 30]
            raise RuleSyntaxError(f"không hiểu '{rest}' (ký tự thứ {i + 1}): cần tên một cột số ({numeric_labels(sheet)}), "
                                  f"một số, dấu + - * / ( ) hoặc một phép so sánh (<, <=, >, >=, =, !=, "
                                  f"{BETWEEN} [a; b])")
        tokens.append(_Token("ref", found[1], i, i + len(found[0])))
        i += len(found[0])
    tokens.append(_Token("end", None, len(folded), len(folded)))
    return tokens


def _spaced(name: str, folded: str, i: int) -> str:
    """`tổng(số tiền)` as written at `i`, spaces allowed inside the brackets: `tổng( số tiền )`."""
    if "(" not in name:
        return name
    head, _, inner = name.partition("(")
    found = re.compile(re.escape(head) + r" ?\( ?" + re.escape(inner.rstrip(")")) + r" ?\)").match(folded, i)
    return found[0] if found else name


def _continues(folded: str, end: int) -> bool:
    """Whether a name is only the start of a longer word (`số tiềnx`)."""
    return end < len(folded) and folded[end].isalnum()


class _Parser:
    """Recursive descent: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*;
    unary := '-' unary | number | name | '(' sum ')'."""

    def __init__(self, text: str, sheet: str) -> None:
        self.text = text
        self.tokens = _tokens(text, sheet)
        self.at = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, expected: str) -> RuleSyntaxError:
        token = self.token
        here = "cuối biểu thức" if token.kind == "end" else f"'{label_key(self.text)[token.start:token.end]}' " \
                                                          f"(ký tự thứ {token.start + 1})"
        return RuleSyntaxError(f"ở {here} cần {expected}")

    def expect(self, value: str, expected: str) -> _Token:
        if self.token.kind != "op" or self.token.value != value:
            raise self.fail(expected)
        return self.take()

    def sum(self) -> Expr:
        expr = self.product()
        while self.token.kind == "op" and self.token.value in "+-":
            expr = BinOp(self.take().value, expr, self.product())
        return expr

    def product(self) -> Expr:
        expr = self.unary()
        while self.token.kind == "op" and self.token.value in "*/":
            expr = BinOp(self.take().value, expr, self.unary())
        return expr

    def unary(self) -> Expr:
        token = self.token
        if token.kind == "op" and token.value == "-":
            self.take()
            return Neg(self.unary())
        if token.kind == "num":
            return Num(self.take().value)
        if token.kind == "ref":
            return self.take().value
        if token.kind == "op" and token.value == "(":
            self.take()
            expr = self.sum()
            self.expect(")", "dấu ')' đóng ngoặc")
            return expr
        raise self.fail("một số, tên một cột số hoặc dấu '('")

    def end(self) -> None:
        if self.token.kind != "end":
            raise self.fail("hết biểu thức")

    def source(self, start: int, end: int) -> str:
        """The text of tokens [start, end), as written."""
        text = self.text if len(self.text) == len(label_key(self.text)) else label_key(self.text)
        return text[self.tokens[start].start:self.tokens[end - 1].end]


def parse_expression(text: str, sheet: str = INFO_SHEET) -> Expr:
    """An arithmetic expression over the figures a rule on `sheet` may name."""
    parser = _Parser(clean_text(text), sheet)
    expr = parser.sum()
    parser.end()
    return expr


@dataclass(frozen=True, eq=False)
class Comparison:
    """`left operator right`; for `trong khoảng`, `right` is the two bounds."""

    left: Expr
    operator: str
    right: tuple[Expr, ...]
    wording: str  # the comparison as a clerk reads it: `Số tiền từ 1.000.000 đến 150.000.000`

    def fails(self, values: ReturnValues) -> bool:
        """Whether its figures are all there and it does not hold: `holds`, without the values."""
        return _compiled_failure(self)(values)

    def holds(self, values: ReturnValues) -> tuple[bool | None, Number | None, list[Number | None]]:
        """(whether it holds, None when it does not apply; the left value; the right values)."""
        left = evaluate(self.left, values)
        right = [evaluate(side, values) for side in self.right]
        if left is None or any(value is None for value in right):
            return None, left, right
        if self.operator == BETWEEN:
            return right[0] <= left <= right[1], left, right
        return _COMPARE[self.operator](left, right[0]), left, right


_COMPARE: dict[str, Callable[[Number, Number], bool]] = {
    "<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "=": operator.eq, "!=": operator.ne,
}
@functools.lru_cache(maxsize=1024)
def _compiled_failure(comparison: Comparison) -> Callable[[ReturnValues], bool]:
    left, sides = compiled(comparison.left), [compiled(side) for side in comparison.right]
    if comparison.operator == BETWEEN:
        low, high = sides

        def outside(values: ReturnValues) -> bool:
            value, lowest, highest = left(values), low(values), high(values)
            return None not in (value, lowest, highest) and not lowest <= value <= highest
        return outside
    compare, [right] = _COMPARE[comparison.operator], sides

    def broken(values: ReturnValues) -> bool:
        value, other = left(values), right(values)
        return value is not None and other is not None and not compare(value, other)
    return broken


_COMPARE_WORDS = {"<=": "không lớn hơn", "<": "nhỏ hơn", ">=": "không nhỏ hơn", ">": "lớn hơn", "=": "bằng",
                  "!=": "khác"}


def parse_comparison(text: str, sheet: str = INFO_SHEET) -> Comparison:
    """`left op right` or `left trong khoảng [low; high]`, exactly one comparison."""
    parser = _Parser(clean_text(text), sheet)
    left = parser.sum()
    left_text = parser.source(0, parser.at) if parser.at else ""
    token = parser.token
    if token.kind == "between":
        parser.take()
        parser.expect("[", f"dấu '[' mở khoảng, ví dụ {BETWEEN} [1.000.000; 150.000.000]")
        low_at = parser.at
        low = parser.sum()
        low_text = parser.source(low_at, parser.at)
        parser.expect(";", "dấu ';' giữa hai đầu khoảng")
        high_at = parser.at
        high = parser.sum()
        high_text = parser.source(high_at, parser.at)
        parser.expect("]", "dấu ']' đóng khoảng")
        parser.end()
        return Comparison(left, BETWEEN, (low, high), f"{left_text} từ {low_text} đến {high_text}")
    if token.kind != "cmp":
        raise parser.fail(f"một phép so sánh: <, <=, >, >=, =, != hoặc {BETWEEN} [a; b]")
    parser.take()
    right_at = parser.at
    right = parser.sum()
    if parser.token.kind in ("cmp", "between"):
        raise parser.fail("hết biểu thức: mỗi quy tắc một phép so sánh (viết hai quy tắc, hoặc dùng "
                          f"{BETWEEN} [a; b])")
    parser.end()
    return Comparison(left, token.value, (right,),
                      f"{left_text} {_COMPARE_WORDS[token.value]} {parser.source(right_at, parser.at)}")


# --- message templates -----------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A message with `{tên}` places, checked when the file is read."""

    parts: tuple[tuple[bool, str], ...]  # (is a place, literal text or the place's folded name)

    def render(self, values: Mapping[str, str]) -> str:
        return "".join(values[text] if place else text for place, text in self.parts)


def parse_template(text: str, names: Sequence[str]) -> Template:
    """`names`: the places the message may use (folded)."""
    parts: list[tuple[bool, str]] = []
    at = 0
    for found in _PLACEHOLDER.finditer(text):
        parts.append((False, text[at:found.start()]))
        name = label_key(found[1])
        if name not in names:
            raise RuleSyntaxError(f"không có chỗ điền '{{{found[1]}}}'; dùng được: "
                                  + ", ".join(f"{{{n}}}" for n in names))
        parts.append((True, name))
        at = found.end()
    parts.append((False, text[at:]))
    if any("{" in literal or "}" in literal for place, literal in parts if not place):
        raise RuleSyntaxError("dấu ngoặc nhọn { } chỉ dùng quanh tên chỗ điền, ví dụ {Số tiền}")
    return Template(tuple(p for p in parts if p[0] or p[1]))


def _sides(comparison: Comparison) -> tuple[str, ...]:
    """The places for the two sides' values: `{trái}` and `{phải}`, or `{trái}`, `{từ}`, `{đến}`."""
    return ("trái", "từ", "đến") if comparison.operator == BETWEEN else ("trái", "phải")


def template_names(sheet: str, extra: Sequence[str]) -> list[str]:
    """What a check rule's message on `sheet` may name: every field of `Thông tin` and of the row."""
    fields = list(INFO_FIELDS) + (list(SHEET_FIELDS[sheet]) if sheet != INFO_SHEET else [])
    return [*(label_key(f.label) for f in fields), *extra, CELL_WORD]


# --- the rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRule:
    key: str
    sheet: str  # Thông tin: once per return; Thôn, Thôi việc: on each row
    comparison: Comparison
    severity: Severity
    message: Template


@dataclass(frozen=True)
class ZScoreRule:
    """The unit's `value` far from the other units': |robust z| above `threshold`, and
    more than `percent` % away from the median (units that hardly differ, as when most
    report the same, have large z-scores for small differences no clerk need explain)."""

    key: str
    value: Expr
    label: str  # the value as written, for the messages
    threshold: Fraction
    percent: Fraction
    message: Template


@dataclass(frozen=True)
class ChangeRule:
    """The unit's `value` changed by more than `percent` % since the previous period."""

    key: str
    value: Expr
    label: str
    percent: Fraction
    message: Template


@dataclass(frozen=True)
class RuleSet:
    checks: tuple[CheckRule, ...] = ()
    z_scores: tuple[ZScoreRule, ...] = ()
    changes: tuple[ChangeRule, ...] = ()
    files: tuple[str, ...] = ()  # the files read, base first

    def severity(self, key: str) -> Severity | None:
        """The severity of the rule `key`; None when there is none (outlier rules only warn)."""
        for rule in self.checks:
            if rule.key == key:
                return rule.severity
        return Severity.WARNING if any(r.key == key for r in (*self.z_scores, *self.changes)) else None


NO_RULES = RuleSet()

# What an outlier rule's message may name.
Z_PLACES = ("giá trị", "trung vị")
CHANGE_PLACES = ("giá trị", "kỳ trước", "thay đổi")
# The figures of `tong-hop.json`'s rows, by what a rule names: a change rule can only compare these.
STORED_FIGURES: dict[Ref, str] = {
    Ref(FIELD, INFO_SHEET, "commune_titles"): "commune_titles",
    Ref(FIELD, INFO_SHEET, "people_before"): "people_before",
    Ref(FIELD, INFO_SHEET, "people_after"): "people_after",
    Ref(SUM, VILLAGE_SHEET, "titles"): "village_titles",
    Ref(SUM, VILLAGE_SHEET, "people_before"): "village_people_before",
    Ref(SUM, VILLAGE_SHEET, "people_after"): "village_people_after",
    Ref(ROWS, VILLAGE_SHEET): "villages_after",
    Ref(ROWS, SEVERANCE_SHEET): "severance_cases",
}


def _positive(reader: YamlReader, key: str) -> Fraction:
    value = reader.data.get(key)
    if isinstance(value, str):
        value = parse_number(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)) or not value > 0:
        raise reader.fail(key, "cần một số dương, ví dụ 3,5 hoặc 30")
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _parsed(reader: YamlReader, key: str, parse: Callable[[str], Any]) -> Any:
    text = reader.text(key)
    try:
        return parse(text)
    except RuleSyntaxError as error:
        raise reader.fail(key, str(error)) from None


def _check_rule(key: str, reader: YamlReader) -> CheckRule:
    sheets = {label_key(s): s for s in SHEET_FIELDS}
    sheet_text = reader.text("sheet", required=False, default=INFO_SHEET)
    sheet = sheets.get(label_key(sheet_text))
    if sheet is None:
        raise reader.fail("sheet", f"trang '{sheet_text}' không có, cần một trong: {', '.join(SHEET_FIELDS)}")
    comparison = _parsed(reader, "check", lambda text: parse_comparison(text, sheet))
    severity = SEVERITIES[reader.choice("severity", tuple(SEVERITIES), "cảnh báo")]
    message = _parsed(reader, "message", lambda text: parse_template(text, template_names(sheet, _sides(comparison))))
    return CheckRule(key, sheet, comparison, severity, message)


def _outlier_rule(key: str, reader: YamlReader) -> ZScoreRule | ChangeRule:
    compare = reader.choice("compare", (COMPARE_UNITS, COMPARE_PREVIOUS), COMPARE_UNITS)
    label = reader.text("value")
    value = _parsed(reader, "value", parse_expression)
    if compare == COMPARE_UNITS:
        message = _parsed(reader, "message", lambda text: parse_template(text, [*Z_PLACES, CELL_WORD]))
        percent = _positive(reader, "percent") if "percent" in reader.data else Fraction(0)
        return ZScoreRule(key, value, label, _positive(reader, "threshold"), percent, message)
    unstored = [r for r in refs(value) if r not in STORED_FIGURES]
    if unstored:
        raise reader.fail("value", "so với kỳ trước chỉ dùng được các số có trong tong-hop.json của kỳ trước: "
                                   "Số chức danh cấp xã, Số người trước sắp xếp, Số người sau sắp xếp, "
                                   "tổng(Số chức danh), tổng(Số người trước), tổng(Số người sau), số dòng(Thôn), "
                                   "số dòng(Thôi việc)")
    message = _parsed(reader, "message", lambda text: parse_template(text, [*CHANGE_PLACES, CELL_WORD]))
    return ChangeRule(key, value, label, _positive(reader, "percent"), message)


def _entries(path: Path, section: str) -> dict[str, tuple[YamlReader, YamlReader]]:
    """The rules of one section of one file by key, each as (its section's reader, its own)."""
    data, lines = load_yaml(path)
    if data is not None and not isinstance(data, dict):
        raise SettingsError(f"Tệp {path.name}: cần các mục 'rules:' và 'outliers:' như tệp mẫu.")
    root = YamlReader(path, data, lines=lines)
    if not root.data.get(section):
        return {}
    parent = root.section(section)
    found = {}
    for key in parent.data:
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise parent.fail(str(key), "tên quy tắc chỉ gồm chữ thường không dấu, chữ số và dấu gạch nối, ví dụ "
                                        "tro-cap-moi-nguoi")
        found[key] = (parent, parent.section(key))
    return found


def load_rules(inputs: Path, period_code: str) -> tuple[RuleSet, tuple[str, ...]]:
    """The rules of `inputs/quy-tac.yaml`, each rule of `inputs/<PERIOD>/quy-tac.yaml`
    replacing the one of the same key (or adding one; `enabled: false` turns one off),
    and what the run should say about them. Raises `SettingsError` naming the line
    of a wrong rule."""
    base, override = inputs / RULES_FILE, inputs / period_code / RULES_FILE
    if not base.is_file():
        note = (f"Chưa có tệp {base}: chưa kiểm tra tính hợp lý của số liệu (quy tắc, số liệu khác thường). "
                f"Chép tệp {RULES_FILE} mẫu của chương trình vào thư mục đó (xem README, mục “Quy tắc kiểm tra "
                f"số liệu”).")
        files = [override] if override.is_file() else []
        notes = (note,)
    else:
        files, notes = [base, *([override] if override.is_file() else [])], ()
    sections: dict[str, dict[str, tuple[YamlReader, YamlReader]]] = {"rules": {}, "outliers": {}}
    for path in files:
        for section, entries in sections.items():
            entries.update(_entries(path, section))
    checks, z_scores, changes = [], [], []
    for key in sections["rules"].keys() & sections["outliers"].keys():
        parent, _ = sections["outliers"][key]
        raise parent.fail(key, "tên quy tắc này đã dùng ở mục rules: đặt tên khác")
    for section, entries in sections.items():
        for key, (_, reader) in entries.items():
            if not reader.flag("enabled", True):
                continue
            if section == "rules":
                checks.append(_check_rule(key, reader))
            else:
                rule = _outlier_rule(key, reader)
                (z_scores if isinstance(rule, ZScoreRule) else changes).append(rule)
    return RuleSet(tuple(checks), tuple(z_scores), tuple(changes), tuple(str(p) for p in files)), notes


# --- applying the check rules to one return -------------------------------------------


class ReturnValues:
    """A return's figures as the rules read them: `Thông tin` by field key, each
    table's rows (None when the sheet could not be read), and `row`, the row a rule
    on a table is at; a value that is not a whole number (blank, wrong) is missing.
    `cells`: (sheet, key) → where it was read; `totals`: sums and row counts known
    beforehand (a previous period's, which has no rows)."""

    def __init__(self, info: Mapping[str, Any], tables: Mapping[str, Sequence[Mapping[str, Any]] | None],
                 cells: Mapping[tuple[str, str], str],
                 row_cell: Callable[[Mapping[str, Any], str], str] | None = None,
                 totals: Mapping[Ref, Number | None] | None = None) -> None:
        self.info, self.tables, self.cells = info, tables, cells
        self.row_cell = row_cell
        self.row: Mapping[str, Any] = {}
        self.totals: dict[Ref, Number | None] = dict(totals or {})

    def at(self, row: Mapping[str, Any] | None) -> ReturnValues:
        """These figures, at `row` (None: at none, for a rule on `Thông tin`)."""
        self.row = row or {}
        return self

    def total(self, ref: Ref) -> Number | None:
        if ref not in self.totals:
            self.totals[ref] = self._total(ref)
        return self.totals[ref]

    def _total(self, ref: Ref) -> Number | None:
        rows = self.tables.get(ref.sheet)
        if rows is None:
            return None
        if ref.kind == ROWS:
            return len(rows)
        values = [r.get(ref.key) for r in rows]
        return sum(values) if all(type(v) is int for v in values) else None

    def where(self, ref: Ref, row: Mapping[str, Any] | None = None) -> str | None:
        """The cell of a field, the cells of a column; None for a count of rows."""
        if ref.kind == FIELD and ref.sheet != INFO_SHEET:
            return self.row_cell(row, ref.key) if self.row_cell and row is not None else None
        return self.cells.get((ref.sheet, ref.key)) if ref.kind != ROWS else None

    def text(self, sheet: str, key: str, row: Mapping[str, Any] | None) -> str:
        """A field's value for a message; `(sai)` for one that could not be read."""
        found = (self.info if sheet == INFO_SHEET else row or {}).get(key)
        readable = found is None or isinstance(found, (int, str, Fraction)) or hasattr(found, "toordinal")
        return shown(found) if readable else "(sai)"


def as_decimal(value: Number) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(value.numerator) / Decimal(value.denominator)


def verify_fix(cells: Sequence[str], sheets: Sequence[str]) -> str:
    """How to answer a warning: a right figure stays, a wrong one is written again."""
    where = f"ô {' và ô '.join(cells)}" if cells else f"trang {' và trang '.join(sheets)}"
    return f"Kiểm tra lại {where}: nếu số liệu đúng thì giữ nguyên; nếu sai thì ghi lại số đúng"


def _unique(items: Sequence[str | None]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def apply_checks(rules: Sequence[CheckRule], values: ReturnValues, file: str) -> list[Problem]:
    """Every check rule on `Thông tin` once and on each row of its table; a rule whose
    figures are not all there does not apply (the cells have their own messages)."""
    problems = []
    for rule in rules:
        rows: Sequence[Mapping[str, Any] | None] = [None] if rule.sheet == INFO_SHEET else \
            (values.tables.get(rule.sheet) or [])
        for row in rows:
            if rule.comparison.fails(values.at(row)):
                _, left, right = rule.comparison.holds(values)
                problems.append(_problem(rule, values, row, left, right, file))
    return problems


def _problem(rule: CheckRule, values: ReturnValues, row: Mapping[str, Any] | None, left: Number,
             right: list[Number | None], file: str) -> Problem:
    comparison = rule.comparison
    left_refs = refs(comparison.left)
    all_refs = left_refs + [r for side in comparison.right for r in refs(side)]
    cells = _unique([values.where(r, row) for r in all_refs])
    sheets = _unique([r.sheet for r in all_refs]) or [rule.sheet]
    sheet = left_refs[0].sheet if left_refs else rule.sheet
    cell = next((c for c in (values.where(r, row) for r in left_refs) if c), None)
    places = {label_key(f.label): values.text(s, f.key, row)
              for s in dict.fromkeys((INFO_SHEET, rule.sheet)) for f in SHEET_FIELDS[s]}
    places.update(zip(_sides(comparison), [shown(left), *map(shown, right)]))
    places[CELL_WORD] = cell or ""
    if rule.severity is Severity.WARNING:
        fix = verify_fix(cells, sheets)
    else:
        where = f"ô {' và ô '.join(cells)}" if cells else f"trang {' và trang '.join(sheets)}"
        fix = f"Kiểm tra lại {where} và ghi lại số đúng theo yêu cầu"
    # A row read from a sheet carries its name and line (`_cells`); a row built otherwise names none.
    on_row = (row or {}).get("_cells")
    return Problem(file, rule.message.render(places), comparison.wording, rule.severity, sheet, cell, fix,
                   rule.key, shown(left), row_name=getattr(on_row, "name", ""), line=getattr(on_row, "line", 0))
