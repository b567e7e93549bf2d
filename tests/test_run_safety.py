"""What a run leaves behind: one run per period at a time, whole files only, the
same bytes from the same inputs, and a manifest that traces every file."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import ROOT, SAMPLE_INPUTS
from docx import Document

from pipeline.core import files
from pipeline.run.lock import RunLockedError, period_lock
from pipeline.run.manifest import MANIFEST_FILE
from pipeline.run.orchestrate import run_report
from pipeline.vn.periods import parse_period

PERIOD = parse_period("2020-11")


def run_command(*args: str, outputs: Path, inputs: Path = SAMPLE_INPUTS) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline", *args, "--period", PERIOD.code,
               "--inputs", str(inputs), "--outputs", str(outputs)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


def output_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, Path]:
    folders = []
    for name in ("first", "second"):
        outputs = tmp_path_factory.mktemp(name)
        done = run_command("report", outputs=outputs)
        assert done.returncode == 0, done.stdout + done.stderr
        folders.append(outputs / PERIOD.code)
    return folders[0], folders[1]


def test_the_same_inputs_give_byte_identical_outputs(two_runs):
    first, second = (output_files(folder) for folder in two_runs)
    assert first.keys() == second.keys()
    assert {name for name in first if name.endswith((".docx", ".xlsx"))}, "the run wrote documents"
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_manifest_traces_every_input_and_output(two_runs):
    folder = two_runs[0]
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["period"] == "2020-11"
    inputs = {entry["path"]: entry for entry in manifest["inputs"]}
    for path in sorted((SAMPLE_INPUTS / "2020-11").iterdir()):
        entry = inputs[f"2020-11/{path.name}"]
        assert entry["size"] == path.stat().st_size
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert inputs["don-vi.csv"]["status"] == "registry"
    assert inputs["2020-11/10222-chau-can.xlsx"]["status"] == "invalid"
    assert inputs["2020-11/10222-chau-can.xlsx"]["errors"] == 2
    superseded = inputs["2020-11/bao_cao_xa_hong_thai.xlsx"]
    assert superseded["status"] == "superseded"
    assert inputs[f"2020-11/{superseded['replaced_by']}"]["status"] == "valid"
    assert inputs[f"2020-11/{superseded['replaced_by']}"]["unit_code"] == superseded["unit_code"]
    written = {name for name in output_files(folder) if name != MANIFEST_FILE}
    recorded = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    assert recorded.keys() == written
    for name, digest in recorded.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert {"python", "pipeline", "docxtpl", "python-calamine"} <= manifest["tools"].keys()


def test_a_second_run_of_the_same_period_is_refused_and_told_who_holds_it(tmp_path):
    folder = tmp_path / PERIOD.code
    with period_lock(folder, "Kỳ báo cáo tháng 11 năm 2020"):
        done = run_command("report", outputs=tmp_path)
    assert done.returncode == 2
    assert f"tiến trình {os.getpid()}" in done.stderr
    assert "đang được chạy" in done.stderr
    assert not (folder / "bao-cao-so-ket.docx").exists()


def test_the_lock_is_released_after_a_run_and_when_its_holder_dies(tmp_path):
    folder = tmp_path / "x"
    with period_lock(folder, "Kỳ"):
        with pytest.raises(RunLockedError):
            with period_lock(folder, "Kỳ"):
                pass
    with period_lock(folder, "Kỳ"):
        pass
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from pipeline.run.lock import period_lock\n"
        f"with period_lock(Path({str(folder)!r}), 'Kỳ'):\n"
        "    print('held', flush=True); time.sleep(60)")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunLockedError, match=f"tiến trình {holder.pid}"):
            with period_lock(folder, "Kỳ"):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with period_lock(folder, "Kỳ"):
        pass


def test_the_workers_a_holder_forks_do_not_keep_its_lock_when_it_dies(tmp_path):
    """A killed run's pool workers may outlive it for a moment: the period is free at once."""
    folder = tmp_path / "x"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import os, time; from pathlib import Path; from pipeline.run.lock import period_lock\n"
        f"with period_lock(Path({str(folder)!r}), 'Kỳ'):\n"
        "    worker = os.fork()\n"
        "    if worker == 0:\n"
        "        time.sleep(60); os._exit(0)\n"
        "    print(worker, flush=True); time.sleep(60)")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    worker = int(holder.stdout.readline())
    try:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        os.kill(worker, 0)  # the worker is still alive…
        with period_lock(folder, "Kỳ"):  # …and the period is free
            pass
    finally:
        os.kill(worker, signal.SIGKILL)


def test_an_interrupted_run_leaves_the_previous_outputs_whole(tmp_path, monkeypatch):
    run_report(PERIOD, SAMPLE_INPUTS, tmp_path)
    folder = tmp_path / PERIOD.code
    before = output_files(folder)
    replaced = []
    real_replace = os.replace

    def replace_then_die(source, target):
        # The run dies while writing its third file.
        if len(replaced) == 2:
            raise KeyboardInterrupt
        replaced.append(target)
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        run_report(PERIOD, SAMPLE_INPUTS, tmp_path)
    after = output_files(folder)
    assert after == before, "every file is the previous run's, byte for byte"
    assert not [p for p in folder.rglob("*.tmp")], "no temporary file is left behind"
    for name in after:
        if name.endswith(".docx"):
            Document(folder / name)


def test_a_killed_run_leaves_only_whole_documents(tmp_path):
    done = run_command("report", outputs=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / PERIOD.code
    command = [sys.executable, "-m", "pipeline", "report", "--period", PERIOD.code,
               "--inputs", str(SAMPLE_INPUTS), "--outputs", str(tmp_path)]
    for delay in (0.8, 1.2, 1.6):
        victim = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        for path in folder.rglob("*.docx"):
            Document(path)
    # The next run cleans up after the killed ones and writes everything again.
    done = run_command("report", outputs=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not [p for p in folder.rglob("*.tmp")]
