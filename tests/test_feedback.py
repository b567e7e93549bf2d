"""Feedback sheets: contexts, file names, the template, and the sheets of the sample run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil

import pytest
from builders import PERIOD, RULES, RUN_DATE, SAMPLE_INPUTS, SETTINGS, UNITS, commune
from docx import Document
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from test_end_to_end import _number, _table, run  # noqa: F401 - `run` is the sample run's fixture

from pipeline.core.model import (
    Problem,
    ReturnOutcome,
    ReturnStatus,
    Severance,
    Severity,
    Unit,
    ValidationResult,
    Village,
)
from pipeline.documents.feedback import FEEDBACK_TEMPLATE, feedback_sheets
from pipeline.intake.contract import FORM_RESIGNATION, LEVEL_COMMUNE, LEVEL_VILLAGE
from pipeline.intake.ingest import ingest
from pipeline.intake.registry import load_registry
from pipeline.intake.settings import EMPTY_PERIOD_SETTINGS
from pipeline.intake.validate import validate
from pipeline.render.check import check_document
from pipeline.render.lint import lint_template
from pipeline.render.word import render_docx
from pipeline.vn.numbers import format_number
from pipeline.vn.sorting import vn_sort_key

AN_BINH, DONG_HOA, PHU_MINH, NAM_TIEN = UNITS
ISSUED = dataclasses.replace(EMPTY_PERIOD_SETTINGS, issued_on=dt.date(2020, 11, 18))
SETTINGS = dataclasses.replace(SETTINGS, signer=dataclasses.replace(SETTINGS.signer, name="Nguyễn Văn Khoa"))
B9 = Problem("dong-hoa.xlsx", "'Số người sau sắp xếp' ghi 'bảy' không hợp lệ", "số nguyên từ 0 đến 100.000",
             sheet="Thông tin", cell="B9", fix="Ghi 7 vào ô B9 (bằng chữ số, không ghi chữ 'bảy')")
MISSING_SHEET = Problem("dong-hoa.xlsx", "thiếu trang tính 'Thôi việc' (tệp có: Thông tin, Thôn)",
                        "trang tính tên 'Thôi việc' như trong biểu mẫu",
                        fix="Thêm trang tính tên 'Thôi việc' (sao từ biểu mẫu gửi kèm)")
WARNING = Problem("an-binh.xlsx", "số người sau (3) nhiều hơn trước (2)", "kiểm tra lại",
                  Severity.WARNING, "Thôn", "F5", "Xem lại ô E5 và ô F5", row_name="'Thôn Tây'", line=5)
# On a row of `Thôi việc`: the person named, as on the sheet.
ROW_7 = Problem("dong-hoa.xlsx", "'Số tiền' ghi 'mười triệu' không hợp lệ", "số nguyên từ 0 đến 10.000.000.000",
                sheet="Thôi việc", cell="E7", fix="Ghi lại ô E7 chỉ bằng chữ số", row_name="Ông (bà) 'Lê Văn Tám'",
                line=7)


def validation() -> ValidationResult:
    data = commune(AN_BINH, 8, villages=[Village("Thôn Đông", "Thôn", ("Đông Thượng", "Đông Hạ"), 3, 4, 2),
                                         Village("Tổ dân phố 1", "Tổ dân phố", (), 3, 2, 3)],
                   severances=[Severance("Lê Văn Tám", LEVEL_COMMUNE, "Phó Chỉ huy trưởng", FORM_RESIGNATION,
                                         14_875_500, dt.date(2020, 11, 1)),
                               Severance("Trần Thị Hoa", LEVEL_VILLAGE, "Trưởng thôn", FORM_RESIGNATION,
                                         2_000_000, None)])
    outcomes = (
        ReturnOutcome("an-binh.xlsx", ReturnStatus.VALID, AN_BINH.code, AN_BINH.name, dt.date(2020, 11, 12),
                      (WARNING,), data),
        ReturnOutcome("dong-hoa-cu.xlsx", ReturnStatus.SUPERSEDED, DONG_HOA.code, DONG_HOA.name,
                      dt.date(2020, 11, 2)),
        ReturnOutcome("dong-hoa.xlsx", ReturnStatus.INVALID, DONG_HOA.code, DONG_HOA.name, dt.date(2020, 11, 9),
                      (B9, MISSING_SHEET, ROW_7)),
        ReturnOutcome("la.xlsx", ReturnStatus.INVALID, None, None, None, (B9,)),
    )
    return ValidationResult(outcomes, (data,), (PHU_MINH, NAM_TIEN))


@pytest.fixture(scope="module")
def sheets():
    return feedback_sheets(validation(), UNITS, SETTINGS, ISSUED, PERIOD)


def context_of(sheets, name):
    return next(job.context for job in sheets.jobs if job.file_name == f"phan-hoi/{name}.docx")


def test_one_sheet_per_return_of_a_registry_commune(sheets):
    assert sheets.files == {"an-binh.xlsx": "phan-hoi/00101-an-binh.docx",
                            "dong-hoa-cu.xlsx": "phan-hoi/00102-dong-hoa-tep-cu.docx",
                            "dong-hoa.xlsx": "phan-hoi/00102-dong-hoa.docx"}
    assert [job.file_name for job in sheets.jobs] == list(sheets.files.values())
    assert {job.template for job in sheets.jobs} == {FEEDBACK_TEMPLATE}


@pytest.mark.parametrize(("status", "errors"), [
    (ReturnStatus.VALID, ()), (ReturnStatus.INVALID, (B9,)), (ReturnStatus.INVALID, (B9, MISSING_SHEET)),
    # Another file of the same date with other figures: not called an error, not counted either.
    (ReturnStatus.SAME_DATE, (dataclasses.replace(B9, found="trùng Ngày lập với tệp khác"),)),
])
def test_the_warnings_opening_says_whether_the_return_was_counted(status, errors):
    """A warning never holds a return back, but its errors may have: the sheet that says the
    return was not counted does not then say its figures still are."""
    data = commune(AN_BINH, 8) if status is ReturnStatus.VALID else None
    outcome = ReturnOutcome("an-binh.xlsx", status, AN_BINH.code, AN_BINH.name, dt.date(2020, 11, 12),
                            (*errors, WARNING), data)
    result = feedback_sheets(ValidationResult((outcome,), (data,) if data else (), ()), UNITS, SETTINGS, ISSUED,
                             PERIOD)
    sheet = result.jobs[0].context["sheet"]
    counted = status is ReturnStatus.VALID
    assert ("nên chưa được tổng hợp" in " ".join(sheet["intro"])) != counted
    assert sheet["checks_intro"].startswith("Các số liệu dưới đây vẫn được tổng hợp nhưng có điểm cần xác minh."
                                            if counted else
                                            "Ngoài các điểm nêu trên, các số liệu dưới đây có điểm cần xác minh.")
    assert len(sheet["checks"]) == 1


def test_file_names_are_sanitised_and_unique():
    units = (Unit("1/2", "Nam Tiến", "Xã"), Unit("1-2", "Nam  Tiến", "Xã"), Unit("CON", "..", "Xã"),
             Unit("../..", "A\\b", "Phường"))
    outcomes = tuple(ReturnOutcome(f"{i}.xlsx", ReturnStatus.INVALID, u.code, u.name, None, (B9,))
                     for i, u in enumerate(units))
    result = feedback_sheets(ValidationResult(outcomes, (), ()), units, SETTINGS, ISSUED, PERIOD)
    assert [job.file_name for job in result.jobs] == [
        "phan-hoi/1-2-nam-tien.docx", "phan-hoi/1-2-nam-tien-2.docx", "phan-hoi/con-tep.docx", "phan-hoi/a-b.docx"]


def test_an_invalid_return_lists_every_error_with_its_fix(sheets):
    sheet = context_of(sheets, "00102-dong-hoa")["sheet"]
    assert sheet["problems"] == [
        {"no": "1", "sheet": "Thông tin", "cell": "B9", "found": "“Số người sau sắp xếp” ghi “bảy” không hợp lệ",
         "expected": "Số nguyên từ 0 đến 100.000", "fix": "Ghi 7 vào ô B9 (bằng chữ số, không ghi chữ “bảy”)"},
        {"no": "2", "sheet": "", "cell": "", "found": "Thiếu trang tính “Thôi việc” (tệp có: Thông tin, Thôn)",
         "expected": "Trang tính tên “Thôi việc” như trong biểu mẫu",
         "fix": "Thêm trang tính tên “Thôi việc” (sao từ biểu mẫu gửi kèm)"},
        {"no": "3", "sheet": "Thôi việc", "cell": "E7",
         # The row named as the clerk knows it; its cell is in the column before, not again here.
         "found": "Ông (bà) “Lê Văn Tám” (dòng 7): “Số tiền” ghi “mười triệu” không hợp lệ",
         "expected": "Số nguyên từ 0 đến 10.000.000.000", "fix": "Ghi lại ô E7 chỉ bằng chữ số"},
    ]
    assert not sheet["confirms"]
    assert "có 3 lỗi nên chưa được tổng hợp" in sheet["intro"][0]
    assert sheet["closing"].endswith("./.")


def test_a_valid_return_shows_the_figures_read(sheets):
    context = context_of(sheets, "00101-an-binh")
    sheet = context["sheet"]
    assert sheet["confirms"] and not sheet["problems"]
    assert sheet["commune"] == ("Số chức danh: 10; số người trước sắp xếp: 12; số người sau sắp xếp: 8; "
                                "báo cáo không ghi ngày phê duyệt phương án. "
                                "Đạt chỉ tiêu không quá 8 người/10 chức danh.")
    assert sheet["villages_heading"] == "Thôn, tổ dân phố sau sắp xếp"
    assert sheet["villages"][0] == {"no": "1", "name": "Thôn Đông", "kind": "Thôn",
                                    "merged_from": "Đông Thượng và Đông Hạ", "titles": "3", "people_before": "4",
                                    "people_after": "2"}
    assert sheet["village_totals"] == {"label": "Cộng: 2 thôn, tổ dân phố", "titles": "6", "people_before": "6",
                                       "people_after": "5"}
    assert sheet["village_name_header"] == "Tên thôn, tổ dân phố"
    assert [s["level"] for s in sheet["severances"]] == ["Xã", "Thôn, tổ dân phố"]
    assert [s["amount"] for s in sheet["severances"]] == ["14.875.500", "2.000.000"]
    assert [s["paid_on"] for s in sheet["severances"]] == ["01/11/2020", "Chưa chi"]
    assert sheet["severance_total"] == "16.875.500"
    # Dashes under the numbered heading; the village by its name.
    assert sheet["checks"] == ["- “Thôn Tây” (dòng 5, ô F5) trên trang tính “Thôn”: số người sau (3) nhiều hơn "
                               "trước (2). Yêu cầu: kiểm tra lại. Xem lại ô E5 và ô F5."]
    assert "Ủy ban nhân dân xã An Bình" in sheet["checks_intro"] and "Phòng Nội vụ" in sheet["checks_intro"]
    # True of every kind of warning (a rule, an outlier, an amount off the legal basis, a hidden sheet).
    assert sheet["checks_intro"].startswith("Các số liệu dưới đây vẫn được tổng hợp nhưng có điểm cần xác minh.")
    # Which villages missed the target, by name; curly quotes as in print.
    assert sheet["notes"] == ["Chưa đạt chỉ tiêu không quá 2 người/3 chức danh ở thôn, tổ dân phố: tổ dân phố 1."]
    assert context["doc"]["recipients"] == ["- Ủy ban nhân dân xã An Bình;", "- Lưu: VT."]


@pytest.mark.parametrize("kinds, header, level", [
    (("Ấp",), "Tên ấp", "Ấp"),
    (("Khu phố", "Khu phố"), "Tên khu phố", "Khu phố"),
    (("Tiểu khu",), "Tên tiểu khu", "Tiểu khu"),
    (("Tổ dân phố", "Ấp"), "Tên ấp, tổ dân phố", "Ấp, tổ dân phố"),
    ((), "Tên thôn", "Thôn"),  # no village rows: the form's own level
])
def test_the_village_level_is_named_by_the_commune_s_own_kinds(kinds, header, level):
    villages = [Village(f"{kind} {n}", kind, (), 3, 3, 2) for n, kind in enumerate(kinds, start=1)]
    severances = [Severance("Lê Văn Tám", LEVEL_VILLAGE, "Trưởng ấp", FORM_RESIGNATION, 2_000_000, None),
                  Severance("Trần Thị Hoa", LEVEL_COMMUNE, "Phó Chỉ huy trưởng", FORM_RESIGNATION, 1_000_000, None)]
    data = commune(AN_BINH, 8, villages=villages, severances=severances)
    outcome = ReturnOutcome("an-binh.xlsx", ReturnStatus.VALID, AN_BINH.code, AN_BINH.name, dt.date(2020, 11, 12),
                            (), data)
    result = feedback_sheets(ValidationResult((outcome,), (data,), ()), UNITS, SETTINGS, ISSUED, PERIOD)
    sheet = context_of(result, "00101-an-binh")["sheet"]
    assert sheet["village_name_header"] == header
    assert [s["level"] for s in sheet["severances"]] == [level, "Xã"]


def test_a_superseded_return_names_the_file_that_replaced_it(sheets):
    sheet = context_of(sheets, "00102-dong-hoa-tep-cu")["sheet"]
    [intro] = sheet["intro"]
    assert "“dong-hoa-cu.xlsx”, Ngày lập 02/11/2020" in intro
    assert "“dong-hoa.xlsx” (Ngày lập 09/11/2020)" in intro and "được lấy theo tệp này" in intro
    # Each file is named once.
    assert intro.count("dong-hoa-cu.xlsx") == 1 and intro.count("dong-hoa.xlsx") == 1
    # Never a request to change the Ngày lập of a file the commune did not get wrong.
    assert "Ngày lập" not in context_of(sheets, "00102-dong-hoa-tep-cu")["sheet"]["closing"]
    assert "Tuy nhiên, tệp này còn lỗi" in intro  # the later file is itself invalid
    assert not sheet["problems"] and not sheet["confirms"]


def test_the_sheet_is_dated_like_the_report_never_today():
    dated = feedback_sheets(validation(), UNITS, SETTINGS, ISSUED, PERIOD).jobs[0].context["doc"]
    assert dated["place_date"] == "X, ngày 18 tháng 11 năm 2020"
    undated = feedback_sheets(validation(), UNITS, SETTINGS, EMPTY_PERIOD_SETTINGS, PERIOD).jobs[0].context["doc"]
    assert undated["place_date"] == "X, ngày      tháng      năm      "
    assert undated["number_line"] == "Số:       /TB-UBND"
    assert undated["type_name"] == "THÔNG BÁO"


@pytest.mark.parametrize("name", ["00101-an-binh", "00102-dong-hoa", "00102-dong-hoa-tep-cu"])
def test_the_template_takes_every_kind_of_sheet(sheets, name, tmp_path):
    context = context_of(sheets, name)
    assert lint_template(FEEDBACK_TEMPLATE, context) == []
    path = render_docx(FEEDBACK_TEMPLATE, context, tmp_path / f"{name}.docx")
    assert check_document(path) == []
    assert render_docx(FEEDBACK_TEMPLATE, context, tmp_path / "again.docx").read_bytes() == path.read_bytes()


# --- the sample run --------------------------------------------------------------------------


def table_with(document, header: str) -> list[list[str]]:
    table = next(t for t in document.tables if header in [c.text for c in t.rows[0].cells])
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_run_says_where_the_feedback_sheets_are(run):
    folder, stdout = run
    assert f"Phiếu phản hồi gửi từng đơn vị (27 tệp): {folder / 'phan-hoi'}" in stdout
    assert len(list((folder / "phan-hoi").glob("*.docx"))) == 27


def test_the_invalid_sample_sheet_lists_each_problem_with_its_fix(run):
    document = Document(run[0] / "phan-hoi" / "10222-chau-can.docx")
    header, b9, row9 = table_with(document, "Cách sửa")
    assert header == ["STT", "Trang tính", "Ô", "Nội dung sai", "Yêu cầu", "Cách sửa"]
    assert b9[:3] == ["1", "Thông tin", "B9"]
    assert "“bảy”" in b9[3] and b9[4] == "Số nguyên từ 0 đến 100.000"
    assert b9[5] == "Ghi 7 vào ô B9 (bằng chữ số, không ghi chữ “bảy”)"
    assert row9[:3] == ["2", "Thôn", "D9, E9, F9"]
    assert row9[3].startswith("“Thôn Thượng Thịnh” (dòng 9): điền chưa đủ, còn trống Số chức danh")
    assert row9[4] == "Điền đủ mọi cột bắt buộc của dòng, hoặc xóa cả dòng"
    assert all(cell in row9[5] for cell in ("D9", "E9", "F9"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả kiểm tra báo cáo tháng 11 năm 2020 của xã Châu Can" in text
    assert "Phú Xuyên, ngày 18 tháng 11 năm 2020" in "\n".join(c.text for c in document.tables[0]._cells)


def test_a_valid_sample_sheet_shows_the_figures_of_the_return(run):
    workbook = load_workbook(SAMPLE_INPUTS / "2020-11" / "BC Nam Tien T11.xlsx", data_only=True)
    info = {str(r[0]).strip().lower(): r[1] for r in workbook["Thông tin"].iter_rows(values_only=True) if r[0]}
    villages = _table(workbook["Thôn"], "tên thôn")
    people = _table(workbook["Thôi việc"], "họ và tên")
    document = Document(run[0] / "phan-hoi" / "10183-nam-tien.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert (f"Số chức danh: {_number(info['số chức danh cấp xã'])}; "
            f"số người trước sắp xếp: {_number(info['số người trước sắp xếp'])}; "
            f"số người sau sắp xếp: {_number(info['số người sau sắp xếp'])}") in text
    rows = table_with(document, "Tên thôn")[1:]
    assert [(r[1], r[4], r[5], r[6]) for r in rows[:-1]] == [
        (str(v["tên thôn"]).strip(), *(format_number(_number(v[k])) for k in ("số chức danh", "số người trước",
                                                                               "số người sau")))
        for v in villages]
    assert rows[-1][-1] == format_number(sum(_number(v["số người sau"]) for v in villages))
    rows = table_with(document, "Họ và tên")[1:]
    assert [(r[1], r[5]) for r in rows[:-1]] == [(str(p["họ và tên"]).strip(), format_number(_number(p["số tiền"])))
                                                for p in people]
    assert rows[-1][5] == format_number(sum(_number(p["số tiền"]) for p in people))


def test_a_sample_sheet_of_tieu_khu_names_them_so_in_both_tables(run):
    document = Document(run[0] / "phan-hoi" / "10171-phu-xuyen.docx")
    villages = table_with(document, "Tên tiểu khu")
    assert all(row[2] == "Tiểu khu" for row in villages[1:-1])
    people = table_with(document, "Họ và tên")
    assert {row[2] for row in people[1:-1]} == {"Xã", "Tiểu khu"}


def test_the_superseded_sample_file_gets_a_sheet_naming_the_later_file(run):
    document = Document(run[0] / "phan-hoi" / "10198-hong-thai-tep-cu.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "“bao_cao_xa_hong_thai_da_sua.xlsx”" in text and "được thay thế" in text


def test_the_status_workbook_of_the_sample(run):
    sheet = load_workbook(run[0] / "tinh-trang-bao-cao.xlsx").active
    # Read as Excel reads the text (openpyxl gives `_x005F_` in a file name as stored).
    table = CalamineWorkbook.from_path(run[0] / "tinh-trang-bao-cao.xlsx").get_sheet_by_index(0).to_python()
    rows = [tuple(r[1:]) for r in table[3:]]  # after STT
    statuses = [r[2] for r in rows]
    assert len(rows) == 28
    assert (statuses.count("Hợp lệ"), statuses.count("Có lỗi"), statuses.count("Chưa gửi"),
            statuses.count("Đã được thay thế")) == (25, 1, 1, 1)
    assert next(r for r in rows if r[2] == "Chưa gửi")[:2] == ("10207", "Xã Tri Thủy")
    replaced = next(r for r in rows if r[2] == "Đã được thay thế")
    assert replaced[3] == "bao_cao_xa_hong_thai.xlsx" and "bao_cao_xa_hong_thai_da_sua.xlsx" in replaced[8]
    invalid = next(r for r in rows if r[2] == "Có lỗi")
    assert invalid[:5] == ("10222", "Xã Châu Can", "Có lỗi", "10222-chau-can.xlsx", 2)
    assert invalid[9] == "phan-hoi/10222-chau-can.docx"
    names = [r[1] for r in rows]
    assert names == sorted(names, key=vn_sort_key)
    # Every unit named as the annex (and the report) names it.
    annex = {r[1]: r[2] for r in load_workbook(run[0] / "phu-luc.xlsx").active.iter_rows(min_row=6, values_only=True)
             if r[1]}
    assert len(annex) == 25 and all(annex[r[0]] == r[1] for r in rows if r[0] in annex)
    assert names[:2] == ["Thị trấn Phú Minh", "Thị trấn Phú Xuyên"]
    assert sheet.auto_filter.ref == "A3:L31" and sheet.freeze_panes == "D4"


# Values a clerk would type where the sheet asks for a figure it cannot know.
TYPED = {"Số chức danh": 3, "Số người trước": 4, "Số người sau": 2}


def test_a_clerk_can_fix_the_return_from_the_sheet_alone(run, tmp_path):
    document = Document(run[0] / "phan-hoi" / "10222-chau-can.docx")
    source = SAMPLE_INPUTS / "2020-11" / "10222-chau-can.xlsx"
    period_dir = tmp_path / "2020-11"
    period_dir.mkdir()
    target = shutil.copy(source, period_dir / source.name)
    workbook = load_workbook(target)
    for _, sheet, _, _, _, fix in table_with(document, "Cách sửa")[1:]:
        if typed := re.fullmatch(r"Ghi (\d+) vào ô ([A-Z]+\d+) .*", fix):
            workbook[sheet][typed[2]] = int(typed[1])
            continue
        places = re.findall(r"(Số [^,;]+?) vào ô ([A-Z]+\d+)", fix)
        assert places, fix
        for label, cell in places:
            workbook[sheet][cell] = TYPED[label]
    workbook.save(target)
    result = validate(ingest(period_dir), load_registry(SAMPLE_INPUTS), PERIOD, today=RUN_DATE, rules=RULES)
    [outcome] = result.outcomes
    assert outcome.status is ReturnStatus.VALID, [p.message() for p in outcome.problems]
    assert outcome.data.people_after == 7



def test_the_villages_short_of_their_target_are_named_under_their_table(run):
    document = Document(run[0] / "phan-hoi" / "10171-phu-xuyen.docx")
    body = [child for child in document.element.body.iterchildren() if child.tag.endswith(("}p", "}tbl"))]
    texts = ["<table>" if child.tag.endswith("}tbl") else Paragraph(child, document).text for child in body]
    texts = [t for t in texts if t.strip()]
    villages = texts.index("2. Tiểu khu sau sắp xếp")
    assert texts[villages + 1:villages + 4] == [
        "<table>",
        "Chưa đạt chỉ tiêu không quá 2 người/3 chức danh ở tiểu khu: tiểu khu Phượng Vực và Yên Lễ.",
        "3. Người thôi việc, nghỉ việc"]
