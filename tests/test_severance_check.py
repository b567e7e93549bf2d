"""The severance check: a row of `Thôi việc` weighed against the office's legal basis,
alone and inside the validation of a whole return."""

from __future__ import annotations

import pytest
from builders import PERIOD, RUN_DATE, UNITS, info, severance, village, write_return
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.model import ReturnStatus, Severance, Severity
from pipeline.documents.forms import FORM_HEADER_ROW, build_form
from pipeline.intake.contract import SEVERANCE_COLUMNS, SEVERANCE_SHEET
from pipeline.intake.ingest import ingest
from pipeline.intake.rules import NO_RULES
from pipeline.intake.severance_basis import BASES, SeveranceInputs
from pipeline.intake.severance_check import severance_warning
from pipeline.intake.validate import validate

ND154 = BASES["nd154-2025"]
CELLS = {"amount": "E4", "monthly_allowance": "G4", "months_worked": "H4", "months_to_retirement": "I4"}
WHO = "Ông (bà) 'Trần Văn Bình'"



def row(amount, allowance=3_510_000, months=40, to_retirement=None, level="Xã"):
    return Severance("Trần Văn Bình", level, "Văn thư - Lưu trữ", "Thôi việc", amount, None,
                     allowance, months, to_retirement)


def test_an_amount_as_the_decree_computes_it_raises_nothing():
    assert severance_warning(row(141_277_500), ND154, "a.xlsx", 4, CELLS, WHO) is None


def test_a_different_amount_is_a_warning_naming_the_row_and_both_amounts_in_digits():
    """In digits only: which amounts are also written in words (and with "nghìn" or "ngàn")
    is the office's style, for its report."""
    warning = severance_warning(row(120_000_000), ND154, "a.xlsx", 4, CELLS, WHO)
    assert (warning.severity, warning.sheet, warning.cell) == (Severity.WARNING, SEVERANCE_SHEET, "E4")
    assert warning.found == (
        "Văn thư - Lưu trữ, số tiền ghi 120.000.000 đồng; "
        "theo điểm a khoản 1 Điều 9 Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về tinh giản biên "
        "chế, với phụ cấp 3.510.000 đồng/tháng (0,8 × 40 tháng công tác + 1,5 × 3,5 năm công tác + 3 tháng tìm "
        "việc làm), số tiền là 141.277.500 đồng")
    assert "nghìn" not in warning.message() and "ngàn" not in warning.message()
    assert "141.277.500" in warning.expected
    assert warning.fix == ("Xem lại ô E4, G4, H4: nếu phụ cấp hàng tháng và số tháng công tác đúng thì ghi "
                           "141.277.500 vào ô E4; nếu số tiền đã chi đúng theo quyết định của cấp có thẩm quyền "
                           "thì sửa ô G4, H4 cho khớp quyết định đó")
    assert "141.277.500 đồng)" in warning.expected and ":" not in warning.expected
    assert warning.message().startswith(
        "Cảnh báo (tệp a.xlsx, trang Thôi việc, Ông (bà) 'Trần Văn Bình' (dòng 4, ô E4)): Văn thư - Lưu trữ, số tiền")


ALL_THREE = ("E4, G4, H4, I4: nếu phụ cấp hàng tháng, số tháng công tác và số tháng đến tuổi nghỉ hưu đúng",
             "sửa ô G4, H4, I4 cho")
AT_RETIREMENT = ("E4, G4, I4: nếu phụ cấp hàng tháng và số tháng đến tuổi nghỉ hưu đúng", "sửa ô G4, I4 cho")
SERVICE_ONLY = ("E4, G4, H4: nếu phụ cấp hàng tháng và số tháng công tác đúng", "sửa ô G4, H4 cho")


@pytest.mark.parametrize(("allowance", "months", "to_retirement", "clause", "named"), [
    (3_042_000, 132, 7, "điểm b khoản 1 Điều 9", ALL_THREE),  # fewer than 60 months left: those months count
    (3_000_000, 180, 59, "điểm b khoản 1 Điều 9", ALL_THREE),
    (3_000_000, 180, 200, "điểm c khoản 1 Điều 9", ALL_THREE),  # 60 months or more left: 60 count
    (3_000_000, 40, 0, "khoản 2 Điều 9", AT_RETIREMENT),  # at retirement age: allowances, whatever the service
    (3_000_000, 240, 0, "khoản 2 Điều 9", AT_RETIREMENT),
    # Under five years of service: the months left, when filled, kept the case out of khoản 2 (I4 = 0).
    (3_000_000, 40, None, "điểm a khoản 1 Điều 9", SERVICE_ONLY),
    (3_000_000, 40, 1, "điểm a khoản 1 Điều 9", ALL_THREE),
    (3_000_000, 40, 200, "điểm a khoản 1 Điều 9", ALL_THREE),
])
def test_the_fix_names_exactly_the_cells_that_chose_and_gave_the_amount(allowance, months, to_retirement, clause,
                                                                        named):
    warning = severance_warning(row(1_000, allowance, months, to_retirement), ND154, "a.xlsx", 4, CELLS, WHO)
    assert clause in warning.found
    review, correct = named
    assert warning.fix.startswith(f"Xem lại ô {review} thì ghi ")
    assert f"thẩm quyền thì {correct} khớp quyết định đó" in warning.fix


@pytest.mark.parametrize(("entered", "flagged"), [
    (141_277_500 - 999, False), (141_277_500 + 999, False), (141_278_000, False),
    (141_277_500 - 1_000, True), (141_277_500 + 1_000, True), (0, True),
])
def test_amounts_rounded_to_the_thousand_agree(entered, flagged):
    assert (severance_warning(row(entered), ND154, "a.xlsx", 4, CELLS, WHO) is not None) == flagged


@pytest.mark.parametrize("case", [
    dict(basis=None), dict(allowance=None, months=None),
    # At village level the rule was read only for under five years' service before retirement age.
    dict(level="Thôn", months=60, to_retirement=30), dict(level="Thôn", months=20, to_retirement=0),
])
def test_nothing_is_weighed_without_a_basis_with_the_columns_blank_or_where_the_rule_is_unknown(case):
    basis = case.pop("basis", ND154)
    assert severance_warning(row(1, **case), basis, "a.xlsx", 4, CELLS, WHO) is None


def test_a_village_amount_under_five_years_is_weighed_and_the_warning_cites_the_village_rule():
    assert severance_warning(row(141_277_500, level="Thôn"), ND154, "a.xlsx", 4, CELLS, WHO) is None
    warning = severance_warning(row(120_000_000, level="Thôn"), ND154, "a.xlsx", 4, CELLS, WHO)
    assert ("theo quy định về người hoạt động không chuyên trách ở thôn, tổ dân phố chưa đến tuổi nghỉ hưu, có "
            "dưới 05 năm công tác, tại Nghị định số 154/2025/NĐ-CP ngày 15/6/2025") in warning.found
    assert "số tiền là 141.277.500 đồng" in warning.found


def test_one_input_without_the_other_asks_for_it():
    warning = severance_warning(row(1, months=None), ND154, "a.xlsx", 4, CELLS, WHO)
    assert warning.cell == "H4" and "thiếu 'Số tháng công tác'" in warning.found
    assert warning.fix == "Ghi số tháng công tác vào ô H4 (bằng chữ số)"


def test_five_years_of_service_ask_for_the_months_to_retirement():
    warning = severance_warning(row(1, months=62), ND154, "a.xlsx", 4, CELLS, WHO)
    assert warning.cell == "I4"
    assert "thiếu 'Số tháng đến tuổi nghỉ hưu' (có 62 tháng công tác (từ đủ 60 tháng))" in warning.found


def test_an_old_form_without_the_column_is_told_to_add_it():
    cells = {k: v for k, v in CELLS.items() if k != "months_to_retirement"}
    warning = severance_warning(row(1, months=62), ND154, "a.xlsx", 4, cells, WHO)
    assert warning.cell is None
    assert "cột mới có tiêu đề 'Số tháng đến tuổi nghỉ hưu'" in warning.fix and "dòng 4" in warning.fix


@given(st.integers(min_value=0, max_value=20_000_000), st.integers(min_value=0, max_value=59),
       st.integers(min_value=0, max_value=10**10))
def test_a_warning_is_raised_exactly_when_the_amount_is_a_thousand_or_more_off(allowance, months, entered):
    computed = ND154.amounts["Xã"](SeveranceInputs(allowance, months, None)).amount
    warning = severance_warning(row(entered, allowance, months), ND154, "a.xlsx", 4, CELLS, WHO)
    assert (warning is None) == (abs(entered - computed) < 1_000)


# --- inside a return --------------------------------------------------------------


def checked(folder, basis):
    ingested = ingest(folder)
    return validate(ingested, UNITS, PERIOD, today=RUN_DATE, rules=NO_RULES, basis=basis).outcomes


def filled(name, amount, allowance=3_510_000, months=40, level="Xã"):
    return {**severance(name, amount=amount, level=level, title="Văn thư - Lưu trữ"),
            "monthly_allowance": allowance, "months_worked": months}


def test_a_return_under_the_basis_keeps_its_figures_and_gains_a_warning(tmp_path):
    write_return(tmp_path / "a.xlsx", info(), [village("Thôn Một")],
                 [filled("Trần Văn Bình", 141_277_500), filled("Lê Thị Mai", "120.000.000")])
    [outcome] = checked(tmp_path, ND154)
    assert outcome.status is ReturnStatus.VALID
    [warning] = outcome.warnings
    # header on row 3, the second person on row 5; `Số tiền` is column E
    assert (warning.cell, warning.row_place) == ("E5", "Ông (bà) 'Lê Thị Mai' (dòng 5, ô E5)")
    assert [s.monthly_allowance for s in outcome.data.severances] == [3_510_000, 3_510_000]
    assert [s.amount for s in outcome.data.severances] == [141_277_500, 120_000_000]


def test_without_a_basis_the_same_return_has_no_warning(tmp_path):
    write_return(tmp_path / "a.xlsx", info(), [village("Thôn Một")], [filled("Lê Thị Mai", 120_000_000)])
    [outcome] = checked(tmp_path, None)
    assert outcome.status is ReturnStatus.VALID and not outcome.warnings


def test_a_form_without_the_new_columns_reads_as_before(tmp_path):
    write_return(tmp_path / "a.xlsx", info(), [village("Thôn Một")], [severance("Lê Thị Mai")],
                 drop_columns=("monthly_allowance", "months_worked", "months_to_retirement"))
    [outcome] = checked(tmp_path, ND154)
    assert outcome.status is ReturnStatus.VALID and not outcome.warnings
    assert outcome.data.severances[0].months_worked is None


def test_a_wrong_allowance_is_an_error_located_like_any_amount(tmp_path):
    write_return(tmp_path / "a.xlsx", info(), [village("Thôn Một")], [filled("Lê Thị Mai", 1, allowance="ba triệu")])
    [outcome] = checked(tmp_path, ND154)
    assert outcome.status is ReturnStatus.INVALID
    assert [(p.sheet, p.cell) for p in outcome.errors] == [(SEVERANCE_SHEET, "G4")]


def test_the_blank_form_has_the_new_columns():
    sheet = build_form(UNITS[0], PERIOD)[SEVERANCE_SHEET]
    headers = [cell.value for cell in next(sheet.iter_rows(min_row=FORM_HEADER_ROW, max_row=FORM_HEADER_ROW))]
    assert headers[:len(SEVERANCE_COLUMNS)] == [f.label for f in SEVERANCE_COLUMNS]
    assert {"Phụ cấp hàng tháng", "Số tháng công tác", "Số tháng đến tuổi nghỉ hưu"} <= set(headers)
