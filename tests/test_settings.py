import shutil

import pytest
from builders import SAMPLE_INPUTS

from pipeline.intake.settings import SettingsError, load_period_settings, load_settings


def test_sample_settings_load():
    settings = load_settings(SAMPLE_INPUTS)
    assert settings.issuer == "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN"
    assert not settings.is_party
    assert settings.commune_target.people == 8 and settings.village_target.titles == 3
    assert settings.recipients[-1] == "Lưu: VT, NV."
    assert settings.style.zero_tens == "linh"


def test_sample_period_text_loads():
    text = load_period_settings(SAMPLE_INPUTS / "2020-11")
    assert text.direction and text.tasks and text.stage == "giai đoạn 1"


def edited(tmp_path, old, new):
    shutil.copy(SAMPLE_INPUTS / "don-vi-bao-cao.yaml", tmp_path / "don-vi-bao-cao.yaml")
    path = tmp_path / "don-vi-bao-cao.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("old, new, message", [
    ("    people: 8\n", "    people: tám\n", "khóa 'targets.commune.people': cần một số nguyên dương"),
    ('  zero_tens: "linh"', '  zero_tens: "le"', "khóa 'style.zero_tens'"),
    ("  kind: state", "  kind: province", "khóa 'issuer.kind'"),
    ('  name: "Nguyễn Văn Khoa"', '  name: ""', "khóa 'signer.name': thiếu giá trị"),
    ("signer:\n", "signer: [\n", "sai cú pháp YAML"),
])
def test_broken_settings_name_file_and_key(tmp_path, old, new, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        load_settings(edited(tmp_path, old, new))


def test_party_issuer(tmp_path):
    assert load_settings(edited(tmp_path, "  kind: state", "  kind: party")).is_party


def test_no_legal_basis_named_recomputes_nothing():
    settings = load_settings(SAMPLE_INPUTS)
    assert (settings.severance_basis, settings.legal_basis) == ("", "")


def test_a_legal_basis_named_gives_the_report_its_sentence(tmp_path):
    settings = load_settings(edited(tmp_path, 'severance_basis: ""', "severance_basis: nd154-2025"))
    assert settings.severance_basis == "nd154-2025"
    assert settings.legal_basis.endswith("theo Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về tinh "
                                         "giản biên chế.")


def test_an_unknown_legal_basis_is_named_with_its_line_and_the_known_ones(tmp_path):
    with pytest.raises(SettingsError) as error:
        load_settings(edited(tmp_path, 'severance_basis: ""', "severance_basis: nd29-2023"))
    line = next(number for number, text in enumerate(
        (tmp_path / "don-vi-bao-cao.yaml").read_text(encoding="utf-8").splitlines(), start=1)
        if text.startswith("severance_basis"))
    assert str(error.value) == (f"Tệp don-vi-bao-cao.yaml, dòng {line}, khóa 'severance_basis': giá trị 'nd29-2023' "
                                f"không hợp lệ, cần một trong: nd154-2025.")
