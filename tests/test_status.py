import dataclasses
import datetime as dt

from builders import UNITS, commune
from openpyxl import load_workbook

from pipeline.core.model import Problem, ReturnOutcome, ReturnStatus, Severity, StatusRow, UnitStatus, ValidationResult
from pipeline.documents.status import IGNORED_MESSAGE, problem_text, status_rows, write_status_xlsx
from pipeline.vn.sorting import vn_sort_key

AN_BINH, DONG_HOA, PHU_MINH, NAM_TIEN = UNITS
B9 = Problem("dong-hoa.xlsx", "'Số người sau sắp xếp' ghi 'bảy' không hợp lệ", "số nguyên từ 0 đến 100.000",
             sheet="Thông tin", cell="B9", fix="Ghi 7 vào ô B9 (bằng chữ số, không ghi chữ 'bảy')")
UNKNOWN = Problem("la.xlsx", "mã đơn vị '99999' không có trong danh mục đơn vị", "mã đơn vị đúng như trong danh mục",
                  sheet="Thông tin", cell="B2", fix="Ghi lại ô B2 đúng mã của đơn vị trong danh mục")


def valid(unit, file=None, prepared_on=dt.date(2020, 11, 12)):
    data = commune(unit, 8)
    return ReturnOutcome(file or data.file, ReturnStatus.VALID, unit.code, unit.name, prepared_on, (), data)


def validation() -> ValidationResult:
    """An Bình valid, Đông Hòa invalid after an older file, Phú Minh missing, Nam Tiến
    valid; a file with an unknown code and a text file."""
    outcomes = (
        valid(AN_BINH, "an-binh.xlsx"),
        ReturnOutcome("dong-hoa-cu.xlsx", ReturnStatus.SUPERSEDED, DONG_HOA.code, DONG_HOA.name,
                      dt.date(2020, 11, 2)),
        ReturnOutcome("dong-hoa.xlsx", ReturnStatus.INVALID, DONG_HOA.code, DONG_HOA.name, dt.date(2020, 11, 9),
                      (B9,)),
        valid(NAM_TIEN, "=nam-tien.xlsx"),
        ReturnOutcome("la.xlsx", ReturnStatus.INVALID, None, None, dt.date(2020, 11, 3), (UNKNOWN,)),
    )
    accepted = tuple(o.data for o in outcomes if o.data)
    return ValidationResult(outcomes, accepted, (PHU_MINH,), ("ghi-chu.txt",))


FEEDBACK = {"an-binh.xlsx": "phan-hoi/00101-an-binh.docx", "dong-hoa.xlsx": "phan-hoi/00102-dong-hoa.docx",
            "dong-hoa-cu.xlsx": "phan-hoi/00102-dong-hoa-tep-cu.docx", "=nam-tien.xlsx": "phan-hoi/00104-nam-tien.docx"}


def test_one_row_per_commune_then_replaced_and_unmatched_files():
    rows = status_rows(validation(), UNITS, FEEDBACK)
    # Named as the report names them at the head of a cell, and in that name's order.
    assert [(r.name, r.status, r.file) for r in rows] == [
        ("Thị trấn Phú Minh", UnitStatus.MISSING, None),
        ("Xã An Bình", UnitStatus.VALID, "an-binh.xlsx"),
        ("Xã Đông Hòa", UnitStatus.INVALID, "dong-hoa.xlsx"),
        ("Xã Đông Hòa", UnitStatus.SUPERSEDED, "dong-hoa-cu.xlsx"),
        ("Xã Nam Tiến", UnitStatus.VALID, "=nam-tien.xlsx"),
        (None, UnitStatus.UNMATCHED, "ghi-chu.txt"),
        (None, UnitStatus.UNMATCHED, "la.xlsx"),
    ]


def test_registry_rows_are_in_vietnamese_order_whatever_the_registry_order():
    rows = status_rows(validation(), tuple(reversed(UNITS)), FEEDBACK)
    names = [r.name for r in rows if r.status is not UnitStatus.UNMATCHED]
    assert names == sorted(names, key=vn_sort_key)
    assert names.index("Xã Đông Hòa") < names.index("Xã Nam Tiến")  # đ after d, before n


def test_each_row_says_what_happened_in_vietnamese():
    rows = {(r.file, r.status): r for r in status_rows(validation(), UNITS, FEEDBACK)}
    invalid = rows["dong-hoa.xlsx", UnitStatus.INVALID]
    assert (invalid.errors, invalid.prepared_on) == (1, dt.date(2020, 11, 9))
    assert invalid.message.startswith("1 lỗi, chưa tổng hợp. Lỗi đầu tiên: Thông tin!B9: 'Số người sau")
    assert "Cách sửa: Ghi 7 vào ô B9" in invalid.message
    replaced = rows["dong-hoa-cu.xlsx", UnitStatus.SUPERSEDED]
    assert replaced.message.startswith("Đã được thay thế bằng tệp dong-hoa.xlsx (Ngày lập 09/11/2020)")
    assert rows[None, UnitStatus.MISSING].message == "Chưa gửi báo cáo."
    unknown = rows["la.xlsx", UnitStatus.UNMATCHED]
    assert (unknown.code, unknown.name, unknown.feedback) == (None, None, None)
    assert "'99999' không có trong danh mục" in unknown.message
    assert rows["ghi-chu.txt", UnitStatus.UNMATCHED].message == IGNORED_MESSAGE
    assert rows["an-binh.xlsx", UnitStatus.VALID].message == "Đã tổng hợp."


def test_rows_point_to_their_feedback_sheet():
    rows = status_rows(validation(), UNITS, FEEDBACK)
    assert {r.file: r.feedback for r in rows if r.feedback} == FEEDBACK


def test_a_valid_return_with_warnings_says_so():
    warning = Problem("a.xlsx", "số người sau sắp xếp (13) nhiều hơn trước sắp xếp (12)", "kiểm tra lại",
                      Severity.WARNING, "Thông tin", "B7", "Xem lại ô B6 và ô B7")
    outcome = ReturnOutcome("a.xlsx", ReturnStatus.VALID, AN_BINH.code, AN_BINH.name, None, (warning,),
                            commune(AN_BINH, 13))
    [row] = [r for r in status_rows(ValidationResult((outcome,), (outcome.data,), UNITS[1:]), UNITS, {})
             if r.file == "a.xlsx"]
    assert row.message == "Đã tổng hợp; 1 cảnh báo cần xem lại (số liệu cần xác minh)."
    # The warning itself is the row's figure to verify, printed once, in its own column.
    assert row.checks == (problem_text(warning),)


# --- the workbook -----------------------------------------------------------------------


def test_status_workbook_filters_freezes_and_keeps_data_as_text(tmp_path):
    rows = status_rows(validation(), UNITS, FEEDBACK)
    path = write_status_xlsx(rows, "TÌNH TRẠNG BÁO CÁO", tmp_path / "tinh-trang.xlsx")
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "TÌNH TRẠNG BÁO CÁO"
    assert sheet.row_dimensions[1].height >= 24  # room for capitals with their marks
    assert [c.value for c in sheet[3]] == ["STT", "Mã đơn vị", "Tên đơn vị", "Tình trạng", "Tệp báo cáo", "Số lỗi",
                                           "Ngày lập", "Ngày nhận", "Thời hạn", "Ghi chú", "Phiếu phản hồi",
                                           "Số liệu cần xác minh"]
    assert sheet.auto_filter.ref == f"A3:L{3 + len(rows)}"
    assert sheet.freeze_panes == "D4"
    assert [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)] == list(range(1, len(rows) + 1))
    data = [r[1:] for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(data) == len(rows)
    formula_like = next(r for r in sheet.iter_rows(min_row=4) if r[4].value == "=nam-tien.xlsx")
    assert formula_like[4].data_type == "s"
    assert data[1][:6] == ("00101", "Xã An Bình", "Hợp lệ", "an-binh.xlsx", 0, dt.datetime(2020, 11, 12))
    assert data[0][:6] == ("00103", "Thị trấn Phú Minh", "Chưa gửi", None, None, None)  # blank, not 0, when nothing came
    # Printed on A4 landscape, one page wide, the header row on every page, in Times New Roman.
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0 and sheet.print_title_rows == "$3:$3"
    assert round(sheet.page_margins.top * 25.4) == 30 and round(sheet.page_margins.left * 25.4) == 20
    assert {cell.font.name for row in sheet.iter_rows() for cell in row} == {"Times New Roman"}


def test_status_workbook_colours_the_status_and_formats_dates_and_notes(tmp_path):
    rows = status_rows(validation(), UNITS, FEEDBACK)
    path = write_status_xlsx(rows, "T", tmp_path / "tinh-trang.xlsx")
    lines = {line[3].value: line for line in load_workbook(path).active.iter_rows(min_row=4)}
    fills = {status: (line[3].fill.fill_type, line[3].fill.fgColor.rgb[-6:]) for status, line in lines.items()}
    assert fills == {"Hợp lệ": ("solid", "E2EFDA"), "Có lỗi": ("solid", "F8CBAD"), "Chưa gửi": ("solid", "FFE699"),
                     "Đã được thay thế": ("solid", "D9D9D9"), "Không xác định được đơn vị": ("solid", "F8CBAD")}
    valid = lines["Hợp lệ"]
    assert valid[6].number_format == "DD/MM/YYYY" and valid[7].number_format == "DD/MM/YYYY"  # Ngày lập, Ngày nhận
    # Text wraps in its narrow column; numbers and dates do not.
    assert valid[2].alignment.wrap_text and valid[9].alignment.wrap_text
    assert not valid[5].alignment.wrap_text and not valid[6].alignment.wrap_text
    assert all(cell.alignment.vertical == "top" and cell.border.left.style == "thin" for cell in valid)


def test_status_workbook_is_reproducible_and_drops_control_characters(tmp_path):
    rows = (*status_rows(validation(), UNITS, FEEDBACK),
            StatusRow(None, None, UnitStatus.UNMATCHED, "x\x07.xlsx", 1, None, "lỗi\x1b[2J", None))
    first = write_status_xlsx(rows, "T", tmp_path / "a.xlsx").read_bytes()
    assert write_status_xlsx(rows, "T", tmp_path / "b.xlsx").read_bytes() == first
    last = list(load_workbook(tmp_path / "a.xlsx").active.iter_rows(values_only=True))[-1]
    assert last[4] == "x.xlsx" and last[9] == "lỗi[2J"


def test_a_long_note_gets_a_row_high_enough_to_print_whole(tmp_path):
    rows = status_rows(validation(), UNITS, FEEDBACK)
    long = dataclasses.replace(rows[0], message="Lỗi đầu tiên: " + "ô B9 ghi sai, cần số nguyên; " * 12)
    path = write_status_xlsx((long, rows[1]), "TÌNH TRẠNG", tmp_path / "t.xlsx")
    sheet = load_workbook(path).active
    assert sheet.row_dimensions[4].height >= 4 * 15 > sheet.row_dimensions[5].height >= 15
    assert sheet.cell(4, 10).alignment.wrap_text  # the note, after STT and the receipt columns
