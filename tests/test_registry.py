import pytest
from builders import UNITS, write_registry
from openpyxl import Workbook

from pipeline.intake.registry import RegistryError, load_registry


def test_csv_with_bom_keeps_codes_and_merges(tmp_path):
    write_registry(tmp_path)
    units = load_registry(tmp_path)
    assert units == UNITS
    assert units[0].code == "00101"


def test_xlsx_registry(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["mã đơn vị", "TÊN ĐƠN VỊ", "Loại"])
    sheet.append(["00101", "An Bình", "xã"])
    workbook.save(tmp_path / "don-vi.xlsx")
    assert load_registry(tmp_path)[0].kind == "Xã"


@pytest.mark.parametrize("rows, message", [
    ("Mã đơn vị,Tên đơn vị\n1,A\n", "thiếu cột 'Loại'"),
    ("Mã đơn vị,Tên đơn vị,Loại\n1,A,Làng\n", "ô C2"),
    ("Mã đơn vị,Tên đơn vị,Loại\n1,A,Xã\n1,B,Xã\n", "trùng với dòng 2"),
    ("Mã đơn vị,Tên đơn vị,Loại\n", "không có đơn vị nào"),
])
def test_broken_registry_is_explained(tmp_path, rows, message):
    (tmp_path / "don-vi.csv").write_text(rows, encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_registry(tmp_path)


def test_missing_registry(tmp_path):
    with pytest.raises(RegistryError, match="don-vi.csv hoặc don-vi.xlsx"):
        load_registry(tmp_path)
