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
