"""Faults of the machine, not of the returns: the run says what is wrong with which
path and what to do, in Vietnamese, exits 2 (130 for Ctrl-C), never shows a
traceback, and leaves the previous outputs as they were."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import ROOT, SAMPLE_INPUTS, make_inputs

from pipeline import cli
from pipeline.core import files
from pipeline.run.lock import lock_paths

PERIOD = "2020-11"


def report(outputs: Path, inputs: Path = SAMPLE_INPUTS) -> list[str]:
    return ["report", "--period", PERIOD, "--inputs", str(inputs), "--outputs", str(outputs)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """Outputs of an earlier good run, which no fault may touch."""
    outputs = tmp_path_factory.mktemp("previous")
    assert cli.main(report(outputs)) == cli.EXIT_OK
    return outputs


def copy_of(previous: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    outputs = tmp_path / "outputs"
    for name, data in snapshot(previous).items():
        (outputs / name).parent.mkdir(parents=True, exist_ok=True)
        (outputs / name).write_bytes(data)
    return outputs, snapshot(outputs)


def test_outputs_that_is_a_file(tmp_path, capsys):
    outputs = tmp_path / "ket-qua"
    outputs.write_text("ghi chú của tôi", encoding="utf-8")
    assert cli.main(report(outputs)) == cli.EXIT_FAILED
    error = capsys.readouterr().err
    assert str(outputs) in error and "không phải thư mục" in error
    assert outputs.read_text(encoding="utf-8") == "ghi chú của tôi"


def test_outputs_inside_a_file(tmp_path, capsys):
    parent = tmp_path / "tep"
    parent.write_text("x", encoding="utf-8")
    assert cli.main(report(parent / "outputs")) == cli.EXIT_FAILED
    assert "không phải thư mục" in capsys.readouterr().err


@pytest.mark.parametrize(("code", "words"), [
    (errno.EACCES, "không có quyền ghi"),
    (errno.EPERM, "không có quyền ghi"),
    (errno.EROFS, "chỉ cho đọc"),
    (errno.ENOSPC, "ổ đĩa đã đầy"),
    (errno.EIO, "lỗi hệ thống"),
])
def test_a_folder_that_refuses_writes_keeps_the_previous_outputs(previous, tmp_path, monkeypatch, capsys, code,
                                                                   words):
    """Root passes every permission check, so the refusal is the system's answer
    injected where every output file is put in place."""
    outputs, before = copy_of(previous, tmp_path)

    def refuse(source, target):
        raise OSError(code, os.strerror(code), str(target))

    monkeypatch.setattr(files.os, "replace", refuse)
    assert cli.main(report(outputs)) == cli.EXIT_FAILED
    error = capsys.readouterr().err
    assert words in error and str(outputs) in error
    assert "Traceback" not in error
    assert snapshot(outputs) == before


def test_a_directory_where_the_lock_file_goes(tmp_path, capsys):
    lock_file, _ = lock_paths(tmp_path / PERIOD)
    lock_file.mkdir(parents=True)
    assert cli.main(report(tmp_path)) == cli.EXIT_FAILED
    error = capsys.readouterr().err
    assert str(lock_file) in error and "là một thư mục" in error


def test_a_symlink_where_the_lock_file_goes_is_not_followed(tmp_path, capsys):
    target = tmp_path / "so-tay.txt"
    target.write_text("ghi chép riêng", encoding="utf-8")
    lock_file, _ = lock_paths(tmp_path / "outputs" / PERIOD)
    lock_file.parent.mkdir(parents=True)
    lock_file.symlink_to(target)
    code = cli.main(report(tmp_path / "outputs"))
    assert target.read_text(encoding="utf-8") == "ghi chép riêng"
    assert code == cli.EXIT_FAILED
    assert "liên kết" in capsys.readouterr().err


@pytest.mark.parametrize("row", [
    'Mã đơn vị,Tên đơn vị,Loại\n10177,"' + "x" * 200_000 + '",Xã\n',
    "Mã đơn vị,Tên đơn vị,Loại\n10177," + "x" * 200_000 + ",Xã\n",
    'Mã đơn vị,Tên đơn vị,Loại\n10177,"' + "dài " * 40_000,
])
def test_a_registry_field_the_csv_reader_refuses(tmp_path, capsys, row):
    inputs = make_inputs(tmp_path)
    (inputs / "don-vi.csv").write_text(row, encoding="utf-8")
    assert cli.main(report(tmp_path / "outputs", inputs)) == cli.EXIT_FAILED
    error = capsys.readouterr().err
    assert "don-vi.csv, dòng 2" in error and "CSV UTF-8" in error


def test_a_registry_in_another_encoding(tmp_path, capsys):
    """Excel's "Unicode Text" is UTF-16."""
    inputs = make_inputs(tmp_path)
    (inputs / "don-vi.csv").write_bytes("Mã đơn vị,Tên đơn vị,Loại\n10177,Hồng Minh,Xã\n".encode("utf-16"))
    assert cli.main(report(tmp_path / "outputs", inputs)) == cli.EXIT_FAILED
    assert "không lưu bằng mã UTF-8" in capsys.readouterr().err


def test_a_console_without_vietnamese_letters_gets_utf8(tmp_path):
    """Windows consoles and pipes often default to cp1252: the first Vietnamese word
    would crash the run with UnicodeEncodeError."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run([sys.executable, "-m", "pipeline", *report(tmp_path)], capture_output=True, cwd=ROOT,
                          timeout=300, env=env)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "Kỳ báo cáo: tháng 11 năm 2020" in done.stdout.decode("utf-8")


def test_ctrl_c_prints_one_line_exits_130_and_keeps_the_previous_outputs(previous, tmp_path):
    """Ctrl-C reaches the whole process group, the pool's workers included, while
    they are reading: one Vietnamese line, no traceback from any process."""
    outputs, before = copy_of(previous, tmp_path)
    inputs = make_inputs(tmp_path)
    for n in range(40):
        (inputs / PERIOD / f"bao-cao-{n}.xlsx").write_bytes((SAMPLE_INPUTS / PERIOD / "10189.xlsx").read_bytes())
    code = (
        "import signal, sys, time\n"
        # A terminal delivers Ctrl-C to a program that takes it; a suite started in the background
        # by a shell without job control would hand its children SIGINT ignored.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from pipeline.core import parallel\n"
        "from pipeline.run import orchestrate\n"
        "parallel.POOL_THRESHOLD = 2\n"
        "read = orchestrate.read_return\n"
        "def slow(entry):\n"
        "    print('reading', flush=True); time.sleep(1); return read(entry)\n"
        "orchestrate.read_return = slow\n"
        "from pipeline.cli import main\n"
        f"sys.exit(main({report(outputs, inputs)!r}))\n")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout.readline().startswith("reading")
        time.sleep(0.3)
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
        _, error = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == cli.EXIT_INTERRUPTED
    assert "Traceback" not in error
    assert error.strip() == "Đã dừng theo yêu cầu (Ctrl-C)."
    assert snapshot(outputs) == before
