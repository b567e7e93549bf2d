"""`make don-vi`: a province's registry written from the official 2025 list."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
from builders import ROOT

from pipeline.core.model import Unit
from pipeline.intake.official_units import (
    UnknownProvince,
    find_province,
    province_names,
    province_units,
    registry_csv,
    write_province_registry,
)
from pipeline.intake.registry import RegistryError, load_registry
from pipeline.run.manifest import tool_versions
from pipeline.vn.legacy import to_unicode


def test_the_whole_country_is_34_provinces_and_3321_communes():
    assert len(province_names()) == 34
    units = [u for name in province_names() for u in province_units(find_province(name))]
    assert Counter(u.kind for u in units) == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}
    assert len({u.code for u in units}) == 3321
    assert all(len(u.code) == 5 and u.code.isdigit() for u in units)


def test_every_official_name_reads_as_itself_not_as_a_legacy_font():
    # A return's `Tên đơn vị` goes through the legacy-font detection: `Cù Lao Giêng` once read as TCVN3.
    names = [u.name for name in province_names() for u in province_units(find_province(name))]
    assert [name for name in names if to_unicode(name) != name] == []


@pytest.mark.parametrize("name", ["An Giang", "an giang", "  AN   GIANG ", "Tỉnh An Giang", "an giang"])
def test_a_province_is_found_whatever_the_case_spacing_and_prefix(name):
    assert find_province(name).name == "An Giang"


@pytest.mark.parametrize("name", ["Hà Nội", "Thành phố Hà Nội", "TP Hà Nội", "ha noi", "HA NOI"])
def test_a_city_is_found_with_or_without_thanh_pho(name):
    assert find_province(name).name == "Thành phố Hà Nội"


def test_an_unknown_province_lists_the_valid_names():
    with pytest.raises(UnknownProvince) as error:
        find_province("Hà Tây")
    message = str(error.value)
    assert message.startswith("Không có tỉnh, thành phố tên 'Hà Tây' trong danh mục 34 tỉnh, thành phố")
    assert "An Giang" in message and "Hồ Chí Minh" in message and "Cà Mau" in message


def test_an_giang_names_drop_the_kind_and_keep_it_in_its_column():
    units = province_units(find_province("An Giang"))
    assert len(units) == 102 and Counter(u.kind for u in units) == {"Xã": 85, "Phường": 14, "Đặc khu": 3}
    assert Unit("30307", "Long Xuyên", "Phường") in units
    assert any(u.kind == "Đặc khu" and u.name == "Phú Quốc" for u in units)
    assert [u.code for u in units] == sorted(u.code for u in units)


def test_hanoi_codes_keep_their_leading_zeros(tmp_path):
    write_province_registry(tmp_path, "Hà Nội")
    assert load_registry(tmp_path)[0].code.startswith("000")


def test_the_written_registry_reads_back_as_written(tmp_path):
    path, province, units = write_province_registry(tmp_path, "An Giang")
    assert path == tmp_path / "don-vi.csv" and province.name == "An Giang"
    assert path.read_bytes().startswith("\ufeffMã đơn vị,Tên đơn vị,Loại,Sáp nhập từ\r\n".encode())
    assert load_registry(tmp_path) == units


def test_the_merges_the_office_wrote_are_kept_and_the_rest_follows_the_list(tmp_path):
    official = province_units(find_province("An Giang"))
    edited = (Unit(official[0].code, "Tên cũ sai", "Xã", ("Bình Đức cũ", "Mỹ Hòa")), *official[1:5],
              Unit("99999", "Đơn vị đã giải thể", "Xã", ("X",)))
    (tmp_path / "don-vi.csv").write_bytes(registry_csv(edited))
    _, _, units = write_province_registry(tmp_path, "An Giang")
    assert units[0] == Unit(official[0].code, official[0].name, official[0].kind, ("Bình Đức cũ", "Mỹ Hòa"))
    assert "99999" not in {u.code for u in units} and len(units) == 102
    assert load_registry(tmp_path)[0].merged_from == ("Bình Đức cũ", "Mỹ Hòa")


def test_an_unreadable_registry_is_never_overwritten(tmp_path):
    (tmp_path / "don-vi.csv").write_text("Mã,Tên\n1,A\n", encoding="utf-8")
    with pytest.raises(RegistryError):
        write_province_registry(tmp_path, "An Giang")
    assert (tmp_path / "don-vi.csv").read_text(encoding="utf-8") == "Mã,Tên\n1,A\n"


def test_the_manifest_records_the_list_and_its_date():
    versions = tool_versions()
    assert versions["vietnam-provinces"] != "unknown"
    assert versions["vietnam-provinces-data"].startswith("2025-")


def _command(*args, cwd):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    return subprocess.run([sys.executable, "-m", "pipeline", "don-vi", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")


def test_the_command_writes_the_registry_and_says_what_it_wrote(tmp_path):
    done = _command("--tinh", "An Giang", "--inputs", str(tmp_path / "tinh"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "An Giang, 102 đơn vị (85 xã, 14 phường, 3 đặc khu)" in done.stdout
    assert "vietnam-provinces 2025" in done.stdout
    assert len(load_registry(tmp_path / "tinh")) == 102


def test_the_command_refuses_an_unknown_province_with_exit_2(tmp_path):
    done = _command("--tinh", "Hà Tây", "--inputs", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "Ghi một trong: Hà Nội" in done.stderr
    assert not (tmp_path / "don-vi.csv").exists()


def test_the_make_target_passes_the_province_through_the_environment():
    recipe = subprocess.run(["make", "-n", "don-vi", 'TINH=Xứ "Lạ"; rm -rf x'], cwd=ROOT, capture_output=True,
                            text=True, encoding="utf-8").stdout
    assert '-m pipeline don-vi --tinh "$TINH" --inputs "$INPUTS"' in recipe
    assert "Lạ" not in recipe and "rm -rf" not in recipe
