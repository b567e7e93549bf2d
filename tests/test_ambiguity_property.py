"""Issue 13: whatever is duplicated, reordered or hidden in a valid return, its
figures are the clean return's, or the return is invalid and says why. Never a
different total.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter

from builders import PERIOD, RULES, RUN_DATE, UNITS, copy_sheet, info, severance, village, write_return
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pipeline.core.model import ReturnStatus
from pipeline.intake.contract import INFO_FIELDS, SEVERANCE_SHEET, SHEETS, VILLAGE_SHEET
from pipeline.intake.ingest import ingest
from pipeline.intake.validate import validate

TABLES = (VILLAGE_SHEET, SEVERANCE_SHEET)
HEADER_ROW = 3  # builders' returns: a title, a blank row, the header, then the rows
FIRST_LABEL_ROW = 2
VILLAGES = [village("Thôn Đông", merged="Thôn Đông Thượng; Thôn Đông Hạ"), village("Thôn Tây", before=5),
            village("Tổ dân phố 3", kind="Tổ dân phố", after=3)]
SEVERANCES = [severance("Trần Văn Tú"), severance("Lê Thị Mai", level="Thôn", title="Phó Trưởng thôn", paid_on=None,
                                                  amount=6_250_000)]
SPELLINGS = {"space": lambda name: name, "capitals": str.upper,
             "decomposed": lambda name: unicodedata.normalize("NFD", name)}

MUTATION = st.one_of(
    st.tuples(st.just("shuffle labels"), st.randoms(use_true_random=False)),
    st.tuples(st.just("shuffle rows"), st.sampled_from(TABLES), st.randoms(use_true_random=False)),
    st.tuples(st.just("label again"), st.sampled_from(INFO_FIELDS), st.booleans()),
    st.tuples(st.just("row again"), st.sampled_from(TABLES), st.integers(0, 1)),
    st.tuples(st.just("column again"), st.sampled_from(TABLES), st.integers(1, 6)),
    st.tuples(st.just("sheet again"), st.sampled_from(SHEETS), st.sampled_from(sorted(SPELLINGS)),
              st.sampled_from(["visible", "hidden", "veryHidden"]), st.booleans()),
    st.tuples(st.just("hide sheet"), st.sampled_from(SHEETS), st.sampled_from(["hidden", "veryHidden"])),
    st.tuples(st.just("hide row"), st.sampled_from(SHEETS), st.integers(1, 8)),
    st.tuples(st.just("other sheet"), st.booleans()),
)


def _other_value(value):
    if isinstance(value, bool) or value is None:
        return "x"
    if isinstance(value, (int, dt.date)):
        return value + (dt.timedelta(days=1) if isinstance(value, dt.date) else 1)
    return f"{value} khác"


def _mutate(workbook, index: int, mutation: tuple) -> None:
    """Apply one mutation; `index` makes each added sheet's name unique."""
    kind, *args = mutation
    if kind == "shuffle labels":
        _shuffle(workbook[SHEETS[0]], FIRST_LABEL_ROW, args[0])
    elif kind == "shuffle rows":
        _shuffle(workbook[args[0]], HEADER_ROW + 1, args[1])
    elif kind == "label again":
        field, same = args
        sheet = workbook[SHEETS[0]]
        value = next((row[1].value for row in sheet.iter_rows() if row[0].value == field.label), None)
        sheet.append([field.label, value if same else _other_value(value)])
    elif kind == "row again":
        sheet = workbook[args[0]]
        sheet.append([cell.value for cell in sheet[HEADER_ROW + 1 + args[1]]])
    elif kind == "column again":
        sheet = workbook[args[0]]
        column = sheet.max_column + 1
        for r in range(HEADER_ROW, sheet.max_row + 1):
            sheet.cell(r, column, sheet.cell(r, args[1]).value)
    elif kind == "sheet again":
        name, spelling, state, changed = args
        copy = copy_sheet(workbook, name, SPELLINGS[spelling](name) + " " * index, state)
        if changed:
            copy.cell(HEADER_ROW + 1, 4).value = 99  # a count on every sheet of builders' returns
    elif kind == "hide sheet":
        workbook[args[0]].sheet_state = args[1]
    elif kind == "hide row":
        workbook[args[0]].row_dimensions[args[1]].hidden = True
    elif kind == "other sheet":
        sheet = workbook.create_sheet(f"Ghi chú {index}")
        sheet.append(["Số người sau sắp xếp", 99])
        sheet.sheet_state = "hidden" if args[0] else "visible"


def _shuffle(sheet, first_row: int, random) -> None:
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=first_row)]
    random.shuffle(rows)
    for r, values in enumerate(rows, start=first_row):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c).value = value


def figures(data):
    """What a return says, the order of its rows aside."""
    return (data.unit, data.period, data.commune_titles, data.people_before, data.people_after, data.approved_on,
            data.prepared_by, data.prepared_on, Counter(data.villages), Counter(data.severances))


def checked(path):
    [outcome] = validate(ingest(path.parent), UNITS, PERIOD, today=RUN_DATE, rules=RULES).outcomes
    return outcome


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_a_valid_return_mutated_keeps_its_figures_or_says_why_it_cannot(tmp_path_factory, mutations):
    folder = tmp_path_factory.mktemp("mutated")
    clean = checked(write_return(folder / "clean" / "x.xlsx", info(), VILLAGES, SEVERANCES))
    assert clean.status is ReturnStatus.VALID
    path = write_return(folder / "mutated" / "x.xlsx", info(), VILLAGES, SEVERANCES)
    workbook = load_workbook(path)
    for index, mutation in enumerate(mutations, start=1):
        _mutate(workbook, index, mutation)
    # Excel keeps one sheet visible, and openpyxl cannot save a workbook without one.
    assume(any(sheet.sheet_state == "visible" for sheet in workbook.worksheets))
    workbook.save(path)
    outcome = checked(path)
    if outcome.status is ReturnStatus.VALID:
        assert figures(outcome.data) == figures(clean.data), mutations
    else:
        assert outcome.status is ReturnStatus.INVALID and outcome.data is None
        assert outcome.errors, mutations
        assert all(p.sheet and p.found and p.fix for p in outcome.errors), outcome.errors
