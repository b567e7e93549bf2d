"""The plausibility rules (quy-tac.yaml): parsing, the evaluator, every operator,
missing values, the outlier rules with and without a previous period, and the
office's confirmations (xac-nhan.yaml)."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from builders import PERIOD, RULES, RUN_DATE, SAMPLE_INPUTS, UNITS, info, severance, village, write_return
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pipeline.core.model import ReturnStatus, Severity, Unit
from pipeline.intake.confirmations import apply_confirmations, load_confirmations
from pipeline.intake.contract import INFO_SHEET, SEVERANCE_SHEET, VILLAGE_SHEET
from pipeline.intake.ingest import ingest
from pipeline.intake.outliers import flag_outliers, read_statistics, robust_z_scores
from pipeline.intake.rules import (
    BinOp,
    Neg,
    Num,
    ReturnValues,
    RuleSyntaxError,
    apply_checks,
    evaluate,
    load_rules,
    parse_comparison,
    parse_expression,
    parse_number,
    shown,
)
from pipeline.intake.validate import _RowCells, validate
from pipeline.intake.yaml_input import SettingsError
from pipeline.vn.numbers import format_number

VILLAGES = [village("Thôn Đông"), village("Thôn Tây")]


def rules_file(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "quy-tac.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def one_rule(check: str, sheet: str = "Thông tin", severity: str = "cảnh báo", message: str = "sai {ô}") -> str:
    return (f"rules:\n  thu:\n    sheet: {sheet}\n    check: \"{check}\"\n    severity: {severity}\n"
            f"    message: \"{message}\"\n")


def run(folder: Path, rules=RULES):
    return validate(ingest(folder), UNITS, PERIOD, today=RUN_DATE, rules=rules)


# --- parsing ---------------------------------------------------------------------


@pytest.mark.parametrize(("check", "line", "says"), [
    ("Số người sau sắp xếp <= ", 4, "cuối biểu thức"),
    ("Số người sau sắp xếp <= 1.5", 4, "1.5"),
    ("Số người sau sắp xếp", 4, "phép so sánh"),
    ("Số người sau sắp xếp < 3 < 4", 4, "mỗi quy tắc một phép so sánh"),
    ("Họ và tên > 0", 4, "không hiểu 'Họ và tên > 0'"),
    ("(Số người sau sắp xếp <= 3", 4, "')'"),
    ("Số người sau sắp xếp trong khoảng [1; ]", 4, "ở ']'"),
])
def test_a_wrong_check_names_its_line_and_key(tmp_path, check, line, says):
    rules_file(tmp_path, one_rule(check))
    with pytest.raises(SettingsError) as error:
        load_rules(tmp_path, PERIOD.code)
    assert f"dòng {line}, khóa 'rules.thu.check'" in str(error.value) and says in str(error.value)


@pytest.mark.parametrize(("text", "key", "says"), [
    (one_rule("Số tiền <= 5", sheet="Huyện"), "rules.thu.sheet", "Huyện"),
    (one_rule("Số người sau sắp xếp <= 5", severity="nguy hiểm"), "rules.thu.severity", "lỗi, cảnh báo"),
    (one_rule("Số người sau sắp xếp <= 5", message="{Số tiền thưởng}"), "rules.thu.message", "Số tiền thưởng"),
    (one_rule("Số người sau sắp xếp <= 5", message="thiếu } ngoặc"), "rules.thu.message", "ngoặc nhọn"),
    ("rules:\n  Quy Tac:\n    check: \"Số người sau sắp xếp <= 5\"\n", "rules.Quy Tac", "chữ thường"),
    ("outliers:\n  x:\n    compare: kỳ trước\n    value: tổng(Số tiền)\n    percent: 30\n    message: a\n",
     "outliers.x.value", "tong-hop.json"),
    ("outliers:\n  x:\n    value: Số người sau sắp xếp\n    threshold: 0\n    message: a\n",
     "outliers.x.threshold", "số dương"),
    (one_rule("Số người sau sắp xếp <= 5") + "outliers:\n  thu:\n    value: Số người sau sắp xếp\n"
                                            "    threshold: 3\n    message: a\n", "outliers.thu", "đã dùng"),
])
def test_a_wrong_rule_names_its_key(tmp_path, text, key, says):
    rules_file(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        load_rules(tmp_path, PERIOD.code)
    assert f"khóa '{key}'" in str(error.value) and "dòng " in str(error.value) and says in str(error.value)


def test_a_wrong_rules_file_stops_the_run_with_exit_2(tmp_path, capsys):
    from builders import make_inputs

    from pipeline.cli import main

    inputs = make_inputs(tmp_path)
    rules_file(inputs, one_rule("Số người sau sắp xếp =< 3"))
    assert main(["validate", "--period", PERIOD.code, "--inputs", str(inputs), "--outputs", str(tmp_path / "out")]) == 2
    assert "quy-tac.yaml, dòng 4" in capsys.readouterr().err


def test_the_shipped_rules_read(tmp_path):
    rules, notes = load_rules(SAMPLE_INPUTS, PERIOD.code)
    assert notes == () and len(rules.checks) == 5 and len(rules.z_scores) == 3 and len(rules.changes) == 2
    _, missing = load_rules(tmp_path, PERIOD.code)
    assert "Chưa có tệp" in missing[0] and "quy-tac.yaml" in missing[0]


def test_a_period_overrides_rules_by_key(tmp_path):
    shutil.copy(SAMPLE_INPUTS / "quy-tac.yaml", tmp_path / "quy-tac.yaml")
    rules_file(tmp_path / PERIOD.code, one_rule("Số tiền <= 10.000.000", sheet="Thôi việc").replace(
        "thu:", "tro-cap-moi-nguoi:") + "  moi:\n    check: Số chức danh cấp xã = 10\n    message: a\n"
        "  nguoi-sau-khong-tang:\n    enabled: false\n")
    rules, _ = load_rules(tmp_path, PERIOD.code)
    keys = [r.key for r in rules.checks]
    assert "nguoi-sau-khong-tang" not in keys and "moi" in keys and len(keys) == 5
    [ceiling] = [r for r in rules.checks if r.key == "tro-cap-moi-nguoi"]
    assert ceiling.comparison.wording == "Số tiền không lớn hơn 10.000.000"


# --- the evaluator ------------------------------------------------------------------

LEAF = st.integers(min_value=-10**6, max_value=10**6)


def trees():
    return st.recursive(LEAF.map(Num), lambda inner: st.one_of(
        inner.map(Neg), st.tuples(st.sampled_from("+-*/"), inner, inner).map(lambda t: BinOp(*t))), max_leaves=12)


def written(expr) -> str:
    """The expression as the office would type it, fully bracketed, numbers in Vietnamese."""
    if isinstance(expr, Num):
        text = format_number(abs(expr.value))
        return f"(-{text})" if expr.value < 0 else text
    if isinstance(expr, Neg):
        return f"-({written(expr.operand)})"
    return f"({written(expr.left)} {expr.op} {written(expr.right)})"


def exact(expr):
    """The value by plain Fraction arithmetic; None on a division by zero."""
    if isinstance(expr, Num):
        return Fraction(expr.value)
    if isinstance(expr, Neg):
        value = exact(expr.operand)
        return None if value is None else -value
    left, right = exact(expr.left), exact(expr.right)
    if left is None or right is None or (expr.op == "/" and right == 0):
        return None
    return {"+": left + right, "-": left - right, "*": left * right, "/": left / right if right else None}[expr.op]


@hypothesis_settings(max_examples=200, deadline=None)
@given(trees())
def test_the_evaluator_computes_what_the_office_typed_exactly(expr):
    assert evaluate(parse_expression(written(expr)), ReturnValues({}, {}, {})) == exact(expr)


@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=0, max_value=99))
def test_numbers_read_as_vietnamese_write_them(whole, cents):
    assert parse_number(format_number(whole)) == whole
    assert parse_number(f"{whole},{cents:02d}") == whole + Fraction(cents, 100)


@pytest.mark.parametrize("text", ["1.5", "1,000,000", "12.34.567", "abc", "1.0000"])
def test_numbers_written_otherwise_are_refused(text):
    assert parse_number(text) is None


def test_names_match_whatever_the_case_spacing_and_longest_first():
    ref = parse_expression("  số NGƯỜI sau   sắp xếp ")
    assert ref.key == "people_after" and ref.sheet == INFO_SHEET
    row = parse_expression("Số người sau", VILLAGE_SHEET)
    assert row.key == "people_after" and row.sheet == VILLAGE_SHEET
    total = parse_expression("tổng( Số tiền )")
    assert (total.kind, total.sheet, total.key) == ("sum", SEVERANCE_SHEET, "amount")
    with pytest.raises(RuleSyntaxError):
        parse_expression("Số người sau", INFO_SHEET)  # a column of Thôn, not of Thông tin
    with pytest.raises(RuleSyntaxError):
        parse_expression("Số tiềnx", SEVERANCE_SHEET)


# --- each operator, on one return ----------------------------------------------------

OPERATORS = [  # (operator, right side, holds for 8 people after)
    ("<", "9", True), ("<", "8", False), ("<=", "8", True), ("≤", "7", False), (">", "7", True), (">", "8", False),
    (">=", "8", True), ("≥", "9", False), ("=", "8", True), ("==", "7", False), ("!=", "7", True),
    ("≠", "8", False), ("trong khoảng", "[8; 9]", True), ("trong khoảng", "[1; 7]", False),
    ("trong khoảng", "[9; 100]", False),
]


@pytest.mark.parametrize(("operator", "right", "holds"), OPERATORS)
def test_each_operator(operator, right, holds):
    comparison = parse_comparison(f"Số người sau sắp xếp {operator} {right}")
    values = ReturnValues({"people_after": 8}, {}, {})
    assert comparison.holds(values)[0] is holds and comparison.fails(values) is not holds


@pytest.mark.parametrize(("severity", "status"), [("lỗi", ReturnStatus.INVALID), ("cảnh báo", ReturnStatus.VALID)])
def test_an_error_rule_rejects_the_return_and_a_warning_counts_it(tmp_path, severity, status):
    rules_file(tmp_path / "rules", one_rule("Số tiền <= 20.000.000", "Thôi việc", severity,
                                            "trợ cấp của {Họ và tên} là {Số tiền} đồng, quá {phải} ({ô})"))
    rules, _ = load_rules(tmp_path / "rules", PERIOD.code)
    write_return(tmp_path / "in" / "x.xlsx", info(), VILLAGES,
                 [severance("Lê Văn Tám", amount=5_000_000), severance("Hà Văn Chín", amount=1_149_540_875)])
    [outcome] = run(tmp_path / "in", rules).outcomes
    assert outcome.status is status
    [problem] = [p for p in outcome.problems if p.rule]
    assert problem.severity.value.lower() == severity and problem.location == "Thôi việc!E5"
    assert problem.found == "trợ cấp của Hà Văn Chín là 1.149.540.875 đồng, quá 20.000.000 (E5)"
    assert problem.expected == "Số tiền không lớn hơn 20.000.000" and "E5" in problem.fix
    assert (problem.rule, problem.value) == ("thu", "1.149.540.875")


def test_the_default_ceiling_catches_a_billion_for_one_person(tmp_path):
    write_return(tmp_path / "x.xlsx", info(), VILLAGES, [severance("Hà Văn Chín", amount=1_149_540_875)])
    [outcome] = run(tmp_path).outcomes
    [warning] = outcome.warnings
    assert outcome.status is ReturnStatus.VALID and warning.rule == "tro-cap-moi-nguoi"
    assert "1.149.540.875 đồng" in warning.found and warning.location == "Thôi việc!E4"


def test_the_default_staffing_rules_warn_on_each_row(tmp_path):
    write_return(tmp_path / "x.xlsx", info(people_before=8, people_after=11),
                 [village("A", titles=3, before=2, after=4), village("B"), village("C", titles=1, after=2)], [])
    [outcome] = run(tmp_path).outcomes
    found = sorted((w.rule, w.location) for w in outcome.warnings)
    assert found == [("nguoi-sau-khong-qua-chuc-danh", "Thông tin!B7"), ("nguoi-sau-khong-tang", "Thông tin!B7"),
                     ("thon-nguoi-sau-khong-qua-chuc-danh", "Thôn!F4"),
                     ("thon-nguoi-sau-khong-qua-chuc-danh", "Thôn!F6"), ("thon-nguoi-sau-khong-tang", "Thôn!F4")]


# --- missing values --------------------------------------------------------------------


def test_a_blank_or_wrong_field_leaves_its_rule_out(tmp_path):
    write_return(tmp_path / "x.xlsx", info(people_after="bảy", people_before=5),
                 [village("A", titles=3, before=2, after="")], [])
    [outcome] = run(tmp_path).outcomes
    assert not [p for p in outcome.problems if p.rule]  # only the cells' own errors
    assert {p.location for p in outcome.errors} >= {"Thông tin!B7"}


@pytest.mark.parametrize("figures", [
    {"people_after": None}, {"people_after": "x"}, {"people_after": 9, "commune_titles": 0},
])
def test_a_missing_figure_or_a_division_by_zero_does_not_apply(figures):
    rule = parse_comparison("Số người sau sắp xếp / Số chức danh cấp xã <= 1")
    values = ReturnValues({"people_after": 9, "commune_titles": 10, **figures}, {}, {})
    assert rule.holds(values)[0] is None and not rule.fails(values)


def test_a_sum_over_a_table_with_a_missing_value_does_not_apply():
    rows = [{"amount": 5}, {"amount": None}]
    values = ReturnValues({}, {SEVERANCE_SHEET: rows}, {})
    assert evaluate(parse_expression("tổng(Số tiền)"), values) is None
    assert evaluate(parse_expression("số dòng(Thôi việc)"), values) == 2
    assert evaluate(parse_expression("số dòng(Thôn)"), values) is None  # the sheet was not read


def test_checks_on_rows_name_each_row(tmp_path):
    rules = load_rules(SAMPLE_INPUTS, PERIOD.code)[0].checks
    columns = {"titles": 3, "people_before": 4, "people_after": 5}  # D, E, F
    rows = [{"name": f"T{i}", "titles": 3, "people_before": 4, "people_after": after,
             "_cells": _RowCells(i - 1, columns, f"Thôn 'T{i}'")} for i, after in ((5, 2), (6, 4))]
    values = ReturnValues({}, {VILLAGE_SHEET: rows}, {}, lambda row, key: row["_cells"][key])
    [problem] = apply_checks(rules, values, "x.xlsx")
    assert problem.found == "số người sau (4) nhiều hơn số chức danh (3)" and problem.cell == "F6"
    assert problem.row_place == "Thôn 'T6' (dòng 6, ô F6)"


# --- outliers ----------------------------------------------------------------------------

VALUES = st.lists(st.integers(min_value=0, max_value=10**6), min_size=5, max_size=40)


@hypothesis_settings(deadline=None)
@given(VALUES, st.integers(min_value=-10**6, max_value=10**6), st.integers(min_value=1, max_value=1000))
def test_z_scores_do_not_depend_on_the_unit_or_origin(values, shift, scale):
    assert robust_z_scores([v * scale + shift for v in values]) == robust_z_scores(values)


@hypothesis_settings(deadline=None)
@given(VALUES, st.randoms())
def test_z_scores_do_not_depend_on_the_order(values, random):
    shuffled = list(enumerate(values))
    random.shuffle(shuffled)
    scores = robust_z_scores(values)
    assert [scores[i] for i, _ in shuffled] == robust_z_scores([v for _, v in shuffled])


@hypothesis_settings(deadline=None)
@given(st.lists(st.integers(min_value=100, max_value=200), min_size=5, max_size=40))
def test_a_value_far_from_the_others_stands_out(values):
    scores = robust_z_scores([*values, 10**9])
    assert scores[-1] > Fraction(7, 2) and all(abs(z) <= scores[-1] for z in scores)


def test_equal_values_have_no_outlier_and_a_mad_of_zero_falls_back_to_the_mean_deviation():
    assert robust_z_scores([5] * 7) == [0] * 7
    scores = robust_z_scores([8] * 14 + [7] * 9 + [9] * 2)  # the sample's people per title, times ten
    assert scores[0] == 0 and 1 < abs(scores[-1]) < Fraction(7, 2)


MORE_UNITS = (*UNITS, Unit("00105", "Đông Lỗ", "Xã"), Unit("00106", "Tây Hồ", "Phường"))


def accepted(tmp_path: Path, amounts: list[int], people_after: list[int]):
    """One valid return for each of the first units, with these figures."""
    for unit, amount, after in zip(MORE_UNITS, amounts, people_after):
        write_return(tmp_path / f"{unit.code}.xlsx", info(code=unit.code, name=unit.name, people_after=after),
                     VILLAGES, [severance("A", amount=amount)])
    return validate(ingest(tmp_path), MORE_UNITS, PERIOD, today=RUN_DATE, rules=RULES)


def test_an_outlier_among_the_units_is_flagged_where_its_figure_was_read(tmp_path):
    rules_file(tmp_path / "r", "outliers:\n  tro-cap-binh-quan:\n    value: tổng(Số tiền) / số dòng(Thôi việc)\n"
                               "    threshold: 3.5\n    message: \"bình quân {giá trị}, trung vị {trung vị} ({ô})\"\n")
    rules, _ = load_rules(tmp_path / "r", PERIOD.code)
    result = accepted(tmp_path / "in", [10_000_000, 11_000_000, 12_000_000, 13_000_000, 900_000_000], [8] * 5)
    flagged = flag_outliers(result, rules, None, PERIOD.previous(), "chưa có")
    assert flagged.notes == ()
    [(outcome, warning)] = [(o, w) for o in flagged.outcomes for w in o.warnings if w.rule == "tro-cap-binh-quan"]
    assert outcome.data.severances[0].amount == 900_000_000 and warning.location == "Thôi việc!E4"
    assert warning.found == "bình quân 900.000.000, trung vị 12.000.000 (E4)" and warning.value == "900.000.000"


def test_too_few_units_for_a_median_say_so(tmp_path):
    result = accepted(tmp_path, [10_000_000, 900_000_000], [8, 8])
    flagged = flag_outliers(result, RULES, None, PERIOD.previous(), "chưa có tệp")
    assert not [w for o in flagged.outcomes for w in o.warnings if w.rule == "tro-cap-binh-quan"]
    assert any("tro-cap-binh-quan" in note and "cần ít nhất 5" in note for note in flagged.notes)


def previous_statistics(folder: Path, people_after: dict[str, int]) -> Path:
    path = folder / "tong-hop.json"
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"code": code, "people_after": after, "village_people_after": 4} for code, after in people_after.items()]
    path.write_text(json.dumps({"rows": rows}), encoding="utf-8")
    return path


def test_a_change_since_the_previous_period_is_flagged(tmp_path):
    result = accepted(tmp_path / "in", [10_000_000] * 4, [8, 8, 5, 8])
    path = previous_statistics(tmp_path / "out", {"00101": 8, "00102": 11, "00103": 8})  # 00104: new this period
    previous, problem = read_statistics(path)
    flagged = flag_outliers(result, RULES, previous, PERIOD.previous(), "")
    found = {o.code: [(w.rule, w.found) for w in o.warnings] for o in flagged.outcomes}
    assert found == {"00101": [], "00102": [], "00104": [],
                     "00103": [("nguoi-sau-so-ky-truoc", "số người sau sắp xếp là 5, kỳ trước là 8 (giảm 37,5%)")]}
    assert problem is None and not any("kỳ trước" in note for note in flagged.notes)


@pytest.mark.parametrize(("content", "says"), [
    (None, "chưa có"), ("{not json", "không đúng định dạng JSON"), ("[1, 2]", "không chứa số liệu tổng hợp"),
    ("{\"returns\": {}}", "không có số liệu từng đơn vị"),
])
def test_without_a_usable_previous_period_the_change_rules_are_left_out_once(tmp_path, content, says):
    result = accepted(tmp_path / "in", [10_000_000] * 2, [8, 2])
    path = tmp_path / "out" / "tong-hop.json"
    if content is not None:
        path.parent.mkdir()
        path.write_text(content, encoding="utf-8")
    previous, problem = read_statistics(path)
    flagged = flag_outliers(result, RULES, previous, PERIOD.previous(), problem or "chưa có tệp")
    [note] = [n for n in flagged.notes if "so với kỳ trước" in n]
    assert says in note and "nguoi-sau-so-ky-truoc" in note
    assert not [w for o in flagged.outcomes for w in o.warnings if w.rule.endswith("ky-truoc")]


# --- confirmations ------------------------------------------------------------------------


def confirmations_file(folder: Path, entries: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "xac-nhan.yaml"
    path.write_text("confirmed:\n" + entries, encoding="utf-8")
    return path


ENTRY = ("  - unit: \"00101\"\n    rule: tro-cap-moi-nguoi\n    value: {value}\n    by: Trần Văn Bình\n"
         "    date: 2020-11-20\n")


@pytest.mark.parametrize("value", ["1.149.540.875", "1149540875", "\"1.149.540.875\""])
def test_a_confirmed_warning_is_no_longer_flagged(tmp_path, value):
    write_return(tmp_path / "in" / "x.xlsx", info(), VILLAGES, [severance("Hà Văn Chín", amount=1_149_540_875)])
    confirmations_file(tmp_path / "p", ENTRY.format(value=value))
    confirmed = apply_confirmations(run(tmp_path / "in"), load_confirmations(tmp_path / "p", RULES,
                                                                             {u.code: u for u in UNITS}))
    [outcome] = confirmed.outcomes
    assert outcome.warnings == () and outcome.status is ReturnStatus.VALID
    [note] = confirmed.notes
    assert "00101 – quy tắc tro-cap-moi-nguoi, giá trị 1.149.540.875 (Trần Văn Bình, 20/11/2020)" in note


def test_a_changed_value_reopens_the_warning(tmp_path):
    write_return(tmp_path / "in" / "x.xlsx", info(), VILLAGES, [severance("Hà Văn Chín", amount=1_149_540_876)])
    confirmations_file(tmp_path / "p", ENTRY.format(value="1.149.540.875"))
    confirmed = apply_confirmations(run(tmp_path / "in"), load_confirmations(tmp_path / "p", RULES,
                                                                             {u.code: u for u in UNITS}))
    [warning] = confirmed.outcomes[0].warnings
    assert warning.value == "1.149.540.876" and confirmed.notes == ()


@pytest.mark.parametrize(("entry", "key", "says"), [
    (ENTRY.format(value="1.149.540.875").replace("\"00101\"", "00101"), "confirmed[2].unit", "ngoặc kép"),
    (ENTRY.format(value="một tỷ"), "confirmed[2].value", "1.149.540.875"),
    (ENTRY.format(value="1").replace("tro-cap-moi-nguoi", "khong-co"), "confirmed[2].rule", "khong-co"),
    (ENTRY.format(value="1").replace("    date: 2020-11-20\n", ""), "confirmed[2].date", "ngày"),
    (ENTRY.format(value="1").replace("    by: Trần Văn Bình\n", ""), "confirmed[2].by", "thiếu"),
])
def test_a_wrong_confirmation_names_its_key(tmp_path, entry, key, says):
    confirmations_file(tmp_path, ENTRY.format(value="5") + entry)
    with pytest.raises(SettingsError) as error:
        load_confirmations(tmp_path, RULES, {u.code: u for u in UNITS})
    assert f"khóa '{key}'" in str(error.value) and says in str(error.value)


def test_an_error_cannot_be_confirmed(tmp_path):
    rules_file(tmp_path, one_rule("Số người sau sắp xếp <= 5", severity="lỗi"))
    rules, _ = load_rules(tmp_path, PERIOD.code)
    confirmations_file(tmp_path, ENTRY.format(value="8").replace("tro-cap-moi-nguoi", "thu"))
    with pytest.raises(SettingsError, match="là lỗi"):
        load_confirmations(tmp_path, rules, {u.code: u for u in UNITS})


def test_shown_values():
    assert [shown(v) for v in (None, 1149540875, Fraction(4, 5), Fraction(2, 3), Fraction(10, 1))] == \
        ["(trống)", "1.149.540.875", "0,8", "0,67", "10"]
    assert Severity.WARNING.value == "Cảnh báo"


# --- end to end: where people look ------------------------------------------------------------


def test_a_warning_shows_where_people_look_until_it_is_confirmed(tmp_path, capsys):
    from builders import make_inputs
    from docx import Document
    from openpyxl import load_workbook

    from pipeline.cli import main

    inputs, outputs = make_inputs(tmp_path), tmp_path / "outputs"
    write_return(inputs / PERIOD.code / "an-binh.xlsx", info(), VILLAGES,
                 [severance("Hà Văn Chín", title="Phó Trưởng thôn", level="Thôn", amount=1_149_540_875)])
    write_return(inputs / PERIOD.code / "dong-hoa.xlsx", info(code="00102", name="Đông Hòa"), VILLAGES, [])
    command = ["report", "--period", PERIOD.code, "--inputs", str(inputs), "--outputs", str(outputs)]
    folder = outputs / PERIOD.code

    assert main(command) == 0
    printed = capsys.readouterr().out
    assert "quy tắc tro-cap-moi-nguoi, giá trị 1.149.540.875" in printed and "Số liệu cần xác minh: 1" in printed
    sheet = "\n".join(p.text for p in Document(folder / "phan-hoi" / "00101-an-binh.docx").paragraphs)
    assert "Số liệu cần xác minh" in sheet
    assert "\n- Ông (bà) “Hà Văn Chín” (dòng 4, ô E4) trên trang tính “Thôi việc”: trợ cấp (" in sheet
    assert "Số liệu cần xác minh" not in "\n".join(
        p.text for p in Document(folder / "phan-hoi" / "00102-dong-hoa.docx").paragraphs)
    rows = {r[1]: r for r in load_workbook(folder / "tinh-trang-bao-cao.xlsx").active.iter_rows(min_row=4,
                                                                                                values_only=True)}
    assert "Thôi việc!E4" in rows["00101"][11] and "giá trị 1.149.540.875" in rows["00101"][11]  # after STT
    assert rows["00102"][11] is None
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'id="xac-minh"' in page and "1.149.540.875 đồng" in page

    confirmations_file(inputs / PERIOD.code, ENTRY.format(value="1.149.540.875"))
    assert main(command) == 0
    printed = capsys.readouterr().out
    assert "Số liệu cần xác minh" not in printed and "Số liệu đã xác nhận (xac-nhan.yaml)" in printed
    sheet = "\n".join(p.text for p in Document(folder / "phan-hoi" / "00101-an-binh.docx").paragraphs)
    assert "Số liệu cần xác minh" not in sheet
    assert 'id="xac-minh"' not in (folder / "index.html").read_text(encoding="utf-8")


@given(st.lists(st.fractions(min_value=-10**6, max_value=10**6, max_denominator=10**6), min_size=1, max_size=50))
def test_the_median_is_exact(values):
    import statistics

    from pipeline.intake.outliers import median

    assert median(values) == statistics.median(values)
