import datetime as dt
import os

import pytest
from builders import RULES, RUN_DATE, UNITS, info, severance, village, write_return
from legacy_workbooks import write_legacy_return

from pipeline.core.model import ReturnStatus, Severity
from pipeline.intake.ingest import ingest
from pipeline.intake.validate import validate
from pipeline.vn.legacy import LegacyEncoding
from pipeline.vn.periods import parse_period

PERIOD = parse_period("2020-11")
GOOD_VILLAGES = [village("Thôn Đông", merged="Thôn Đông Thượng; Thôn Đông Hạ"), village("Thôn Tây")]


def run(folder):
    return validate(ingest(folder), UNITS, PERIOD, today=RUN_DATE, rules=RULES)


def only_outcome(folder):
    result = run(folder)
    assert len(result.outcomes) == 1
    return result.outcomes[0]


def messages(outcome, severity=Severity.ERROR):
    return [p for p in outcome.problems if p.severity is severity]


def test_valid_return_is_typed(tmp_path):
    write_return(tmp_path / "a.xlsx", info(people_before="12", approved_on="01/09/2020"), GOOD_VILLAGES,
                 [severance("Trần Văn Tú", amount="14.875.500")])
    result = run(tmp_path)
    [data] = result.accepted
    assert data.unit.code == "00101"
    assert data.people_before == 12
    assert data.approved_on == dt.date(2020, 9, 1)
    assert data.villages[0].merged_from == ("Thôn Đông Thượng", "Thôn Đông Hạ")
    assert data.severances[0].amount == 14_875_500
    assert [u.code for u in result.missing] == ["00102", "00103", "00104"]


def test_labels_and_headers_match_whatever_case_space_and_normal_form(tmp_path):
    import unicodedata
    path = write_return(tmp_path / "a.xlsx", info(), GOOD_VILLAGES, [severance("A")], header_row=5,
                        severance_order=("amount", "paid_on", "full_name", "level", "title", "form"))
    from openpyxl import load_workbook
    workbook = load_workbook(path)
    sheet = workbook["Thôn"]
    sheet.cell(5, 1).value = "  " + unicodedata.normalize("NFD", "TÊN THÔN") + " "
    workbook["Thông tin"].cell(2, 1).value = "mã  đơn vị"
    workbook.save(path)
    assert only_outcome(tmp_path).status is ReturnStatus.VALID


def test_count_typed_as_word_is_located(tmp_path):
    write_return(tmp_path / "x.xlsx", info(people_after="bảy"), GOOD_VILLAGES, [])
    outcome = only_outcome(tmp_path)
    assert outcome.status is ReturnStatus.INVALID
    [problem] = messages(outcome)
    assert (problem.sheet, problem.cell) == ("Thông tin", "B7")
    assert "bảy" in problem.found and "số nguyên" in problem.expected
    assert problem.message().startswith("Lỗi (tệp x.xlsx, trang Thông tin, ô B7)")


@pytest.mark.parametrize("value", [-1, 2.5, "3,5", "abc", 100_001, "9.999.999.999"])
def test_village_count_must_be_whole_and_not_negative(tmp_path, value):
    write_return(tmp_path / "x.xlsx", info(), [village("Thôn Một", after=value)], [])
    [problem] = messages(only_outcome(tmp_path))
    assert problem.location == "Thôn!F4"


def test_missing_sheet_label_and_column_are_named(tmp_path):
    write_return(tmp_path / "a.xlsx", info(), GOOD_VILLAGES, [], drop_sheets=("Thôi việc",))
    write_return(tmp_path / "b.xlsx", info(), GOOD_VILLAGES, [], drop_labels=("prepared_on",))
    write_return(tmp_path / "c.xlsx", info(), GOOD_VILLAGES, [], drop_columns=("people_after",))
    result = run(tmp_path)
    found = {o.file: " ".join(p.found for p in o.problems) for o in result.outcomes}
    assert "thiếu trang tính 'Thôi việc'" in found["a.xlsx"]
    assert "thiếu dòng 'Ngày lập'" in found["b.xlsx"]
    assert "'Số người sau'" in found["c.xlsx"]
    assert not result.accepted


def test_wrong_period_unknown_code_and_wrong_name(tmp_path):
    write_return(tmp_path / "p.xlsx", info(period="Quý IV/2020"), GOOD_VILLAGES, [])
    write_return(tmp_path / "c.xlsx", info(code="99999"), GOOD_VILLAGES, [])
    write_return(tmp_path / "n.xlsx", info(code="00102", name="An Bình"), GOOD_VILLAGES, [])
    result = run(tmp_path)
    by_file = {o.file: messages(o)[0] for o in result.outcomes}
    assert "quý IV năm 2020" in by_file["p.xlsx"].found and "tháng 11 năm 2020" in by_file["p.xlsx"].expected
    assert "99999" in by_file["c.xlsx"].found
    assert "Đông Hòa" in by_file["n.xlsx"].found
    assert not result.accepted


def test_half_filled_rows_and_duplicate_villages(tmp_path):
    rows = [village("Thôn Một"), {"name": "Thôn Hai", "kind": "Thôn"}, village("thôn một ")]
    write_return(tmp_path / "x.xlsx", info(), rows, [{"full_name": "Lê Văn Tám", "amount": 5}])
    problems = messages(only_outcome(tmp_path))
    assert [p.location for p in problems] == ["Thôn!D5, E5, F5", "Thôn!A6", "Thôi việc!B4, C4, D4"]
    assert "hai lần" in problems[1].found


def test_amount_not_whole_and_unknown_choices(tmp_path):
    write_return(tmp_path / "x.xlsx", info(), [village("A", kind="Làng")],
                 [severance("B", amount=1500.5, form="Nghỉ hưu"), severance("C", amount=10**12 + 1)])
    cells = [p.location for p in messages(only_outcome(tmp_path))]
    assert cells == ["Thôn!B4", "Thôi việc!D4", "Thôi việc!E4", "Thôi việc!E5"]


def test_more_people_after_than_before_or_titles_is_a_warning(tmp_path):
    write_return(tmp_path / "x.xlsx", info(people_before=8, people_after=11),
                 [village("A", titles=3, before=2, after=4)], [])
    outcome = only_outcome(tmp_path)
    assert outcome.status is ReturnStatus.VALID
    assert len(messages(outcome, Severity.WARNING)) == 4


def test_later_return_supersedes_earlier_and_nothing_counts_twice(tmp_path):
    old = write_return(tmp_path / "old.xlsx", info(people_after=9, prepared_on=dt.date(2020, 11, 10)),
                       GOOD_VILLAGES, [])
    write_return(tmp_path / "new.xlsx", info(people_after=7, prepared_on=dt.date(2020, 11, 15)), GOOD_VILLAGES, [])
    os.utime(old, (2_000_000_000, 2_000_000_000))  # file time only breaks ties of Ngày lập
    result = run(tmp_path)
    statuses = {o.file: o.status for o in result.outcomes}
    assert statuses == {"old.xlsx": ReturnStatus.SUPERSEDED, "new.xlsx": ReturnStatus.VALID}
    [data] = result.accepted
    assert data.people_after == 7


def test_a_broken_latest_return_is_not_replaced_by_the_older_figures(tmp_path):
    write_return(tmp_path / "old.xlsx", info(prepared_on=dt.date(2020, 11, 10)), GOOD_VILLAGES, [])
    write_return(tmp_path / "new.xlsx", info(people_after="?", prepared_on=dt.date(2020, 11, 15)),
                 GOOD_VILLAGES, [])
    result = run(tmp_path)
    assert not result.accepted
    assert {o.file: o.status for o in result.outcomes}["new.xlsx"] is ReturnStatus.INVALID


def test_unreadable_file_lock_file_and_other_files(tmp_path):
    write_return(tmp_path / "good.xlsx", info(), GOOD_VILLAGES, [])
    (tmp_path / "broken.xlsx").write_text("not a workbook")
    (tmp_path / "~$good.xlsx").write_bytes(b"lock")
    (tmp_path / "ghi-chu.txt").write_text("x")
    result = run(tmp_path)
    assert [o.file for o in result.outcomes if o.status is ReturnStatus.INVALID] == ["broken.xlsx"]
    assert result.ignored == ("ghi-chu.txt",)
    assert len(result.accepted) == 1


@pytest.mark.parametrize("name", ["bao-cao.yaml", "hoi-nghi.yaml", "quy-tac.yaml", "xac-nhan.yaml"])
def test_the_offices_own_files_in_the_period_folder_are_not_reported_as_stray(tmp_path, name):
    write_return(tmp_path / "good.xlsx", info(), GOOD_VILLAGES, [])
    (tmp_path / name).write_text("# cua van phong\n", encoding="utf-8")
    assert run(tmp_path).ignored == ()


def test_code_stored_as_number_still_matches_registry_code_with_zeros(tmp_path):
    write_return(tmp_path / "a.xlsx", info(code=101), GOOD_VILLAGES, [])
    assert only_outcome(tmp_path).code == "00101"


def test_name_with_kind_prefix_matches(tmp_path):
    write_return(tmp_path / "a.xlsx", info(code="00103", name="Thị trấn Phú Minh"), GOOD_VILLAGES, [])
    assert only_outcome(tmp_path).status is ReturnStatus.VALID


@pytest.mark.parametrize("encoding, with_font", [
    (LegacyEncoding.TCVN3, True), (LegacyEncoding.TCVN3, False), (LegacyEncoding.VNI, True),
    (LegacyEncoding.VNI, False)])
def test_a_return_typed_in_a_legacy_encoding_matches_its_registry_entry(tmp_path, encoding, with_font):
    write_legacy_return(tmp_path / "cu.xlsx", encoding, with_font,
                        info(code="00102", name="Đông Hòa"),
                        [village("Thôn Đông Thượng"), village("Thôn Hạ")],
                        [severance("Nguyễn Thị Hương", amount=7_250_000)])
    result = run(tmp_path)
    [data] = result.accepted
    assert data.unit.name == "Đông Hòa"
    assert [v.name for v in data.villages] == ["Thôn Đông Thượng", "Thôn Hạ"]
    assert data.severances[0].full_name == "Nguyễn Thị Hương"
    assert data.severances[0].amount == 7_250_000


@pytest.mark.parametrize("encoding", [LegacyEncoding.TCVN3, LegacyEncoding.VNI])
def test_labels_and_headers_typed_in_a_legacy_font_are_read_too(tmp_path, encoding):
    write_legacy_return(tmp_path / "cu.xlsx", encoding, True, info(code="00102", name="Đông Hòa"),
                        [village("Thôn Đông")], [], every_text=True)
    assert only_outcome(tmp_path).status is ReturnStatus.VALID


# --- how to fix: every problem tells the clerk what to do, in the cell it names ----------


def assert_fix_names_its_cells(problem):
    assert problem.fix.strip(), problem
    for cell in (problem.cell or "").split(", "):
        assert cell in problem.fix, (cell, problem.fix)


def test_every_problem_of_the_invalid_sample_says_how_to_fix_it():
    from builders import SAMPLE_INPUTS

    from pipeline.intake.registry import load_registry

    result = validate(ingest(SAMPLE_INPUTS / "2020-11"), load_registry(SAMPLE_INPUTS), PERIOD, today=RUN_DATE,
                      rules=RULES)
    [outcome] = [o for o in result.outcomes if o.file == "10222-chau-can.xlsx"]
    fixes = {p.location: p.fix for p in outcome.problems}
    assert fixes["Thông tin!B9"].startswith("Ghi 7 vào ô B9")
    assert "D9" in fixes["Thôn!D9, E9, F9"] and "xóa cả dòng 9" in fixes["Thôn!D9, E9, F9"]
    for problem in outcome.problems:
        assert_fix_names_its_cells(problem)


BROKEN = {
    "words-and-signs": (info(people_after="bảy", people_before="mười hai", commune_titles=-1,
                             prepared_on="31/02/2020", approved_on="x", prepared_by=""), GOOD_VILLAGES, [], {}),
    "identity": (info(code="99999", period="Quý IV/2020"), GOOD_VILLAGES, [], {}),
    "name": (info(code="00102", name="An Bình"), GOOD_VILLAGES, [], {}),
    "rows": (info(), [village("A", kind="Làng"), {"name": "B", "kind": "Thôn"}, {"merged_from": "x"},
                      village("a", after=2.5), village("C", titles="", before="", after="")],
             [severance("B", amount=1500.5, form="Nghỉ hưu"), severance("C", amount=10**12 + 1),
              severance("D", amount="9.999.999.999.999", level="Huyện", paid_on="hôm qua")], {}),
    "structure": (info(), GOOD_VILLAGES, [], {"drop_sheets": ("Thôi việc",), "drop_labels": ("prepared_on",),
                                              "drop_columns": ("people_after",)}),
    "warnings": (info(people_after=13), [village("X", titles=2, before=1, after=3)], [], {}),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_every_problem_of_a_broken_return_says_how_to_fix_it(tmp_path, case):
    info_values, villages, severances, options = BROKEN[case]
    write_return(tmp_path / "x.xlsx", info_values, villages, severances, **options)
    outcome = only_outcome(tmp_path)
    assert outcome.problems
    for problem in outcome.problems:
        assert_fix_names_its_cells(problem)


def test_fixes_say_exactly_what_to_type(tmp_path):
    write_return(tmp_path / "x.xlsx", info(code="99999", name="Đông Hòa", people_after="bảy"), GOOD_VILLAGES, [])
    fixes = {p.location: p.fix for p in only_outcome(tmp_path).problems}
    assert fixes["Thông tin!B7"] == "Ghi 7 vào ô B7 (bằng chữ số, không ghi chữ 'bảy')"
    assert fixes["Thông tin!B2"].startswith("Ghi 00102 vào ô B2")


def test_a_misnamed_sheet_is_to_be_renamed(tmp_path):
    from openpyxl import load_workbook

    path = write_return(tmp_path / "x.xlsx", info(), GOOD_VILLAGES, [])
    workbook = load_workbook(path)
    workbook["Thôn"].title = "Thon"
    workbook.save(path)
    [problem] = messages(only_outcome(tmp_path))
    assert problem.fix.startswith("Đổi tên trang tính 'Thon' thành 'Thôn'")


def test_an_unreadable_file_says_how_to_fix_it(tmp_path):
    (tmp_path / "broken.xlsx").write_text("not a workbook")
    [problem] = only_outcome(tmp_path).problems
    assert problem.fix


def test_a_return_for_another_period_never_replaces_one_for_this_period(tmp_path):
    write_return(tmp_path / "thang-11.xlsx", info(prepared_on=dt.date(2020, 11, 10)), GOOD_VILLAGES, [])
    write_return(tmp_path / "thang-10.xlsx", info(period="10/2020", prepared_on=dt.date(2020, 11, 20)),
                 GOOD_VILLAGES, [])
    result = run(tmp_path)
    assert {o.file: o.status for o in result.outcomes} == {
        "thang-11.xlsx": ReturnStatus.VALID, "thang-10.xlsx": ReturnStatus.SUPERSEDED}
    assert len(result.accepted) == 1
