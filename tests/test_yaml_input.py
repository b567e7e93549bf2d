"""Whatever the office's YAML files hold, reading them gives a Vietnamese message
naming the file, the line and the key — never a crash, never gigabytes.

Each hostile text is added at the end of the sample's settings, narrative and
meeting record in turn: YAML reads the whole file before any key is looked up.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builders import ROOT, SAMPLE_INPUTS

from pipeline.intake.meeting import MEETING_FILE, load_meeting
from pipeline.intake.settings import SettingsError, load_period_settings, load_settings
from pipeline.intake.yaml_input import MAX_YAML_BYTES, MAX_YAML_DEPTH, load_yaml

PERIOD = "2020-11"
SETTINGS, NARRATIVE = "don-vi-bao-cao.yaml", "bao-cao.yaml"
ALIAS = "bí danh YAML"


def _nested(depth: int) -> bytes:
    return "".join(f"{'  ' * level}tang{level}:\n" for level in range(depth)).encode() + b"  " * depth + b"x: 1\n"


def _laughs() -> bytes:
    """Each list ten aliases of the one before: `lol9` would be a thousand million strings."""
    lines = ['lol0: &lol0 "lol"'] + [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]" for n in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


# (id, text added, the key named, what the message says; the line is the added text's first).
HOSTILE = [
    ("date-not-on-calendar", b"han_chot: 2020-11-31\n", "han_chot", "ngày '2020-11-31' không có trên lịch"),
    ("month-13", b"han_chot: !!timestamp 2020-13-01\n", "han_chot", "không có trên lịch"),
    ("bad-int-tag", b"so_nguoi: !!int 12a\n", "so_nguoi", "giá trị '12a' không phải một số"),
    ("bad-float-tag", b"ty_le: !!float 1,5\n", "ty_le", "giá trị '1,5' không phải một số"),
    ("int-too-long", b"so: " + b"9" * 5000 + b"\n", "so", "không phải một số"),
    ("python-tag", b"lenh: !!python/object/apply:os.system ['id']\n", "lenh", "kiểu !!python/object/apply:os.system"),
    ("local-tag", b"ten: !rieng abc\n", "ten", "kiểu !rieng"),
    ("deep-flow", b"sau: " + b"[" * 200 + b"]" * 200 + b"\n", "sau", f"lồng nhau quá {MAX_YAML_DEPTH} tầng"),
    ("deep-block", _nested(40), "tang0", f"lồng nhau quá {MAX_YAML_DEPTH} tầng"),
    ("alias", b"goc: &goc [1, 2]\nchep: *goc\n", "chep", ALIAS),
    ("alias-bomb", _laughs(), "lol1", ALIAS),
    ("alias-of-text", b'dai: &dai "' + b"x" * 1000 + b'"\nchep: [*dai, *dai]\n', "chep", ALIAS),
    ("tab-indent", b"muc:\n\tcon: 1\n", "muc", "ký tự Tab"),
    ("control-character", b"ghi_chu: a\x07b\n", "ghi_chu", "ký tự điều khiển"),
    ("invalid-utf8", b"ghi_chu: Th\xf4n\n", "ghi_chu", "không phải bảng mã UTF-8"),
    ("duplicate-key", b"trung: 1\ntrung: 2\n", "trung", "khóa ghi hai lần"),
    ("unclosed", b"mo: [1, 2\n", "mo", "sai cú pháp YAML"),
]


def _copy(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    return inputs


def _target(inputs: Path, file: str) -> Path:
    return inputs / file if file == SETTINGS else inputs / PERIOD / file


def _append(inputs: Path, file: str, text: bytes) -> int:
    """`text` added on a line of its own; the number of its first line."""
    path = _target(inputs, file)
    data = path.read_bytes().rstrip(b"\n") + b"\n"
    path.write_bytes(data + text)
    return data.count(b"\n") + 1


def _message(inputs: Path, file: str) -> str:
    """What reading `file` says, the way the run reads it."""
    if file == MEETING_FILE:
        record = load_meeting(inputs / PERIOD)
        assert record.meeting is None  # the record is held back whole
        return record.problems[0]
    with pytest.raises(SettingsError) as caught:
        load_settings(inputs) if file == SETTINGS else load_period_settings(inputs / PERIOD)
    return str(caught.value)


def names_a_line_of(message: str, line: int, text: bytes) -> bool:
    """Whether `message` names a line of `text`, added from line `line`."""
    found = re.search(r"dòng (\d+)", message)
    return bool(found) and line <= int(found[1]) < line + text.count(b"\n")


@pytest.mark.parametrize("file", [SETTINGS, NARRATIVE, MEETING_FILE])
@pytest.mark.parametrize("case, text, key, says", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_every_problem_names_the_file_the_line_and_the_key(tmp_path, file, case, text, key, says):
    inputs = _copy(tmp_path)
    line = _append(inputs, file, text)
    message = _message(inputs, file)
    assert message.startswith(f"Tệp {file}"), message
    assert says in message and f"khóa '{key}" in message, message
    assert names_a_line_of(message, line, text), (line, message)


@pytest.mark.parametrize("file", [SETTINGS, NARRATIVE, MEETING_FILE])
def test_a_file_too_big_is_refused_unread(tmp_path, file):
    inputs = _copy(tmp_path)
    _append(inputs, file, b"# " + b"x" * MAX_YAML_BYTES + b"\n")
    message = _message(inputs, file)
    assert message.startswith(f"Tệp {file} quá lớn") and "tối đa 512 KB" in message


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    """Nine levels of ten aliases each, and one more use: never built."""
    path = tmp_path / SETTINGS
    path.write_bytes(_laughs() + b"bom: *lol9\n")
    with pytest.raises(SettingsError, match=ALIAS):
        load_yaml(path)


# --- values of the wrong type, per file: each named with its line --------------------------

WRONG_TYPES = [
    (SETTINGS, '  short_name: "UBND huyện Phú Xuyên"', "  short_name: yes", "issuer.short_name", "đúng/sai"),
    (SETTINGS, "    people: 8\n", "    people: [8]\n", "targets.commune.people", "cần một số nguyên dương"),
    (SETTINGS, "  kind: state", "  kind: {a: 1}", "issuer.kind", "cần một dòng chữ"),
    (NARRATIVE, "issued_on: 2020-11-18", 'issued_on: "18/11/2020"', "issued_on", "cần một ngày dạng YYYY-MM-DD"),
    (NARRATIVE, "subject: ", "subject: no #", "subject", "đúng/sai"),
]


def _replace(inputs: Path, file: str, old: str, new: str) -> int:
    path = _target(inputs, file)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("file, old, new, key, says", WRONG_TYPES)
def test_a_value_of_the_wrong_type_is_named_with_its_line(tmp_path, file, old, new, key, says):
    inputs = _copy(tmp_path)
    line = _replace(inputs, file, old, new)
    message = _message(inputs, file)
    assert message.startswith(f"Tệp {file}, dòng {line}, khóa '{key}': "), message
    assert says in message


@pytest.mark.parametrize("old, new, key, says", [
    ('venue: "Hội trường Huyện ủy"', "venue: yes", "venue", "đúng/sai"),
    ("date: 2020-11-18", 'date: [2020, 11, 18]', "date", "cần một ngày"),
    ("    report: true\n", "    report: 1\n", "presentations[2].report", "cần true hoặc false"),
])
def test_a_record_value_of_the_wrong_type_is_named_with_its_line(tmp_path, old, new, key, says):
    inputs = _copy(tmp_path)
    line = _replace(inputs, MEETING_FILE, old, new)
    record = load_meeting(inputs / PERIOD)
    assert record.meeting is not None  # the rest of the record is still read
    assert any(p.startswith(f"Tệp {MEETING_FILE}, dòng {line}, khóa '{key}': ") and says in p
               for p in record.problems), record.problems


# --- end to end, through the real command ---------------------------------------------------


def run_report(inputs: Path, outputs: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline", "report", "--period", PERIOD, "--inputs", str(inputs),
               "--outputs", str(outputs)]
    return subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.mark.parametrize("file, text, says", [
    (SETTINGS, b"han_chot: 2020-11-31\n", "không có trên lịch"),
    (SETTINGS, _laughs(), ALIAS),
    (NARRATIVE, b"so_nguoi: !!int 12a\n", "không phải một số"),
    (NARRATIVE, b"sau: " + b"[" * 5000 + b"]" * 5000 + b"\n", "lồng nhau quá"),
])
def test_a_broken_settings_or_narrative_file_stops_the_run_with_exit_2(tmp_path, file, text, says):
    inputs = _copy(tmp_path)
    line = _append(inputs, file, text)
    done = run_report(inputs, tmp_path / "outputs")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"Không thể chạy: Tệp {file}") and says in done.stderr
    assert names_a_line_of(done.stderr, line, text) and "khóa '" in done.stderr
    assert not (tmp_path / "outputs" / PERIOD / "bao-cao-so-ket.docx").exists()


@pytest.mark.parametrize("text, says", [
    (b"han_chot: 2020-11-31\n", "không có trên lịch"),
    (_laughs(), ALIAS),
    (b"muc:\n\tcon: 1\n", "ký tự Tab"),
])
def test_a_broken_meeting_record_holds_back_the_minutes_and_news_not_the_report(tmp_path, text, says):
    inputs = _copy(tmp_path)
    line = _append(inputs, MEETING_FILE, text)
    done = run_report(inputs, tmp_path / "outputs")
    assert done.returncode == 0, done.stdout + done.stderr
    folder = tmp_path / "outputs" / PERIOD
    assert (folder / "bao-cao-so-ket.docx").is_file() and (folder / "phu-luc.xlsx").is_file()
    notes = [line for line in done.stdout.splitlines() if line.startswith("Lưu ý: ")]
    assert any(note.startswith(f"Lưu ý: Tệp {MEETING_FILE}") and says in note and names_a_line_of(note, line, text)
               and "khóa '" in note for note in notes), notes
    assert any("Chưa viết biên bản hội nghị và tin bài" in note for note in notes), notes
    assert not any(folder.glob("bien-ban-hoi-nghi.*")) and not any(folder.glob("tin-bai.*"))
