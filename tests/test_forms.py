"""The blank return form: what a clerk receives must match what the reader expects."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
import shutil

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from builders import SAMPLE_INPUTS
from python_calamine import CalamineWorkbook

from pipeline.cli import main
from pipeline.core.files import write_workbook
from pipeline.core.model import Unit
from pipeline.documents.forms import (
    FORM_FIRST_DATA_ROW,
    FORM_HEADER_ROW,
    INFO_FIRST_ROW,
    INFO_HINT_COLUMN,
    INFO_LABEL_COLUMN,
    INFO_ROWS,
    INFO_VALUE_COLUMN,
    build_form,
    form_file_name,
    write_forms,
)
from pipeline.intake.contract import (
    FORMS_FOLDER,
    HEADER_SEARCH_ROWS,
    SETTINGS_FILE,
    INFO_FIELDS,
    INFO_SHEET,
    SEVERANCE_COLUMNS,
    SEVERANCE_SHEET,
    SHEETS,
    VILLAGE_COLUMNS,
    VILLAGE_SHEET,
    Field,
    FieldType,
)
from pipeline.intake.settings import load_settings
from pipeline.vn.periods import parse_period

UNIT = Unit("00123", "Nam Tiến", "Xã", ("Nam Phong", "Nam Triều"))
PERIOD = parse_period("2020-11")


@pytest.fixture(scope="module")
def form_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    [path] = write_forms([UNIT], PERIOD, tmp_path_factory.mktemp("forms"))
    return path


def _rows(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(path).get_sheet_by_name(sheet).to_python()


def _info_value(rows: list[list[object]], key: str) -> object:
    return rows[INFO_ROWS[key] - 1][INFO_VALUE_COLUMN - 1]


def test_file_name_is_code_and_folded_name(form_path: Path) -> None:
    assert form_path.name == "00123-nam-tien.xlsx"
    assert form_file_name(Unit("10201", "Đại  Thắng", "Xã")) == "10201-dai-thang.xlsx"
    assert not list(form_path.parent.glob("*.tmp")), "temporary file left behind"


def test_sheets_are_the_contract_sheets(form_path: Path) -> None:
    assert CalamineWorkbook.from_path(form_path).sheet_names == list(SHEETS)


def test_info_labels_and_hints_in_contract_order(form_path: Path) -> None:
    rows = _rows(form_path, INFO_SHEET)
    assert [INFO_ROWS[field.key] for field in INFO_FIELDS] == list(
        range(INFO_FIRST_ROW, INFO_FIRST_ROW + len(INFO_FIELDS))
    )
    for field in INFO_FIELDS:
        row = rows[INFO_ROWS[field.key] - 1]
        assert row[INFO_LABEL_COLUMN - 1] == field.label
        assert row[INFO_HINT_COLUMN - 1] == field.hint


def test_code_name_and_period_are_prefilled(form_path: Path) -> None:
    rows = _rows(form_path, INFO_SHEET)
    code = _info_value(rows, "code")
    assert code == "00123" and isinstance(code, str)
    assert _info_value(rows, "name") == "Nam Tiến"
    assert parse_period(str(_info_value(rows, "period"))) == PERIOD
    for key in ("commune_titles", "people_before", "people_after", "prepared_by", "prepared_on"):
        assert _info_value(rows, key) == ""


def test_code_cell_is_text_formatted(form_path: Path) -> None:
    cell = openpyxl.load_workbook(form_path)[INFO_SHEET].cell(INFO_ROWS["code"], INFO_VALUE_COLUMN)
    assert cell.number_format == "@"
    assert cell.data_type == "s"


@pytest.mark.parametrize(("sheet", "fields"), [(VILLAGE_SHEET, VILLAGE_COLUMNS), (SEVERANCE_SHEET, SEVERANCE_COLUMNS)])
def test_table_header_below_a_title(form_path: Path, sheet: str, fields: tuple[Field, ...]) -> None:
    assert 1 < FORM_HEADER_ROW <= HEADER_SEARCH_ROWS
    assert FORM_FIRST_DATA_ROW == FORM_HEADER_ROW + 1
    rows = _rows(form_path, sheet)
    assert rows[FORM_HEADER_ROW - 1] == [field.label for field in fields]
    assert all(value == "" for row in rows[: FORM_HEADER_ROW - 1] for value in row[1:])
    assert rows[0][0], "title row above the header is empty"
    assert len(rows) == FORM_HEADER_ROW, "a blank form has no data rows"


def _validations(path: Path, sheet: str) -> dict[str, list[DataValidation]]:
    """Validations of a table sheet by column letter; each must start at the first data row."""
    ws = openpyxl.load_workbook(path)[sheet]
    found: dict[str, list[DataValidation]] = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            assert cell_range.min_row == FORM_FIRST_DATA_ROW
            found.setdefault(get_column_letter(cell_range.min_col), []).append(dv)
    return found


def _list_choices(dv: DataValidation) -> tuple[str, ...]:
    assert dv.type == "list"
    assert dv.formula1.startswith('"') and dv.formula1.endswith('"')
    return tuple(dv.formula1[1:-1].split(","))


@pytest.mark.parametrize(
    ("sheet", "fields", "key"),
    [
        (VILLAGE_SHEET, VILLAGE_COLUMNS, "kind"),
        (SEVERANCE_SHEET, SEVERANCE_COLUMNS, "level"),
        (SEVERANCE_SHEET, SEVERANCE_COLUMNS, "form"),
    ],
)
def test_choice_columns_have_list_validation(form_path: Path, sheet: str, fields: tuple[Field, ...], key: str) -> None:
    index = next(i for i, field in enumerate(fields) if field.key == key)
    field = fields[index]
    [dv] = _validations(form_path, sheet)[get_column_letter(index + 1)]
    assert _list_choices(dv) == field.choices
    assert dv.showErrorMessage and dv.error and dv.prompt


@pytest.mark.parametrize(("sheet", "fields"), [(VILLAGE_SHEET, VILLAGE_COLUMNS), (SEVERANCE_SHEET, SEVERANCE_COLUMNS)])
def test_numeric_and_date_columns_are_validated_and_formatted(
    form_path: Path, sheet: str, fields: tuple[Field, ...]
) -> None:
    validations = _validations(form_path, sheet)
    ws = openpyxl.load_workbook(form_path)[sheet]
    for index, field in enumerate(fields):
        letter = get_column_letter(index + 1)
        number_format = ws.column_dimensions[letter].number_format
        if field.type in (FieldType.COUNT, FieldType.AMOUNT):
            [dv] = validations[letter]
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
            assert number_format == ("#,##0" if field.type is FieldType.AMOUNT else "0")
        elif field.type is FieldType.DATE:
            [dv] = validations[letter]
            assert dv.type == "date"
            assert number_format == "dd/mm/yyyy"
        elif field.type is FieldType.TEXT:
            assert number_format == "@"
    assert ws.freeze_panes == f"A{FORM_FIRST_DATA_ROW}"


def test_info_counts_and_dates_are_validated(form_path: Path) -> None:
    validations = openpyxl.load_workbook(form_path)[INFO_SHEET].data_validations.dataValidation
    by_cell = {str(dv.sqref): dv for dv in validations}
    for field in INFO_FIELDS:
        coordinate = f"{get_column_letter(INFO_VALUE_COLUMN)}{INFO_ROWS[field.key]}"
        if field.type is FieldType.COUNT:
            assert by_cell[coordinate].type == "whole"
        elif field.type is FieldType.DATE:
            assert by_cell[coordinate].type == "date"


def test_messages_are_vietnamese(form_path: Path) -> None:
    ws = openpyxl.load_workbook(form_path)[VILLAGE_SHEET]
    for dv in ws.data_validations.dataValidation:
        assert "«" in dv.error and "Cần:" in dv.prompt


def test_same_inputs_give_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(build_form(UNIT, PERIOD), first)
    write_workbook(build_form(UNIT, PERIOD), second)
    assert first.read_bytes() == second.read_bytes()
    properties = openpyxl.load_workbook(first).properties
    assert not properties.creator and not properties.lastModifiedBy  # no program named
    assert properties.created == properties.modified == datetime(2020, 11, 1)


def test_period_label_of_other_kinds_reads_back(tmp_path: Path) -> None:
    quarter = parse_period("Quý IV/2020")
    [path] = write_forms([UNIT], quarter, tmp_path)
    prefilled = str(_info_value(_rows(path, INFO_SHEET), "period"))
    assert prefilled == "Quý IV năm 2020", "the Roman numeral keeps its capitals"
    assert parse_period(prefilled) == quarter


@pytest.mark.parametrize("settings", ["written", "none", "unfinished", "broken", "unreadable"])
def test_the_forms_name_the_office_that_sends_them_never_the_program(tmp_path: Path, settings: str,
                                                                     monkeypatch) -> None:
    """Forms go out before the office's settings are finished: without them, with them
    half written or unreadable, the forms are still written, naming no author."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SAMPLE_INPUTS / "don-vi.csv", inputs)
    text = (SAMPLE_INPUTS / SETTINGS_FILE).read_text(encoding="utf-8")
    if settings == "written":
        (inputs / SETTINGS_FILE).write_text(text, encoding="utf-8")
    elif settings == "unfinished":
        (inputs / SETTINGS_FILE).write_text(text[:text.index("signer:")], encoding="utf-8")
    elif settings == "broken":
        (inputs / SETTINGS_FILE).write_text("issuer: [không đóng\n", encoding="utf-8")
    elif settings == "unreadable":  # a permission this test, run as any user, cannot take away
        (inputs / SETTINGS_FILE).write_text(text, encoding="utf-8")

        def refused(folder: Path) -> None:
            raise PermissionError(13, "Permission denied", str(folder / SETTINGS_FILE))

        monkeypatch.setattr("pipeline.intake.settings.load_settings", refused)
    assert main(["forms", "--period", "2020-11", "--inputs", str(inputs), "--outputs", str(tmp_path / "out")]) == 0
    forms = sorted((tmp_path / "out" / "2020-11" / FORMS_FOLDER).glob("*.xlsx"))
    assert len(forms) == 27
    expected = load_settings(SAMPLE_INPUTS).issuer if settings == "written" else ""
    for form in forms[:3]:
        properties = openpyxl.load_workbook(form).properties
        assert (properties.creator or "") == (properties.lastModifiedBy or "") == expected
        assert "pipeline" not in f"{properties.creator}{properties.title}".lower()
