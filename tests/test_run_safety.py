"""What a run leaves behind: one run per period at a time, whole files only, the
same bytes from the same inputs, and a manifest that traces every file."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import ROOT, SAMPLE_INPUTS, seed_receipts
from docx import Document

from pipeline.cli import main
from pipeline.core import files, parallel
from pipeline.intake import ingest
from pipeline.run.lock import RunLockedError, period_lock
from pipeline.run.manifest import MANIFEST_FILE
from pipeline.run.orchestrate import run_report
from pipeline.run.publish import PublishError, recover
from pipeline.run.receipts import LEDGER_FILE
from pipeline.vn.periods import parse_period

PERIOD = parse_period("2020-11")


def run_command(*args: str, outputs: Path, inputs: Path = SAMPLE_INPUTS) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline", *args, "--period", PERIOD.code,
               "--inputs", str(inputs), "--outputs", str(outputs)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


def output_files(folder: Path) -> dict[str, bytes]:
    """The files of the published set: the receipt ledger beside them is the office's
    record, kept across sets and never listed in one (`pipeline.run.receipts`)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != LEDGER_FILE}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, Path]:
    folders = []
    for name in ("first", "second"):
        outputs = tmp_path_factory.mktemp(name)
        seed_receipts(outputs)  # the same receipts: the ledger is the only place the clock may reach
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


# --- issue 13, classes 5-7: the run's environment ---------------------------------------
#
# Kept here rather than in tests/hostile_corpus.py, which holds input files: these cases
# are about the folders a run writes into. Kill points (os._exit in a subprocess): while
# writing the staging set, staged but not decided, decided, between the two renames,
# while carrying a person's files over, while deleting the old set. A full disk
# (ENOSPC injected at five writes of a report and in `forms`; a real small tmpfs). Links:
# a linked phan-hoi/, a linked output file, a linked period folder, a person's link
# carried over as a link. OUTPUTS equal to, inside or holding INPUTS. A rename refused
# (Windows, a folder open in Explorer). Edited outputs. Names: see the last section.

# A person's own files in the period folder: they survive every run.
USER_FILES = {"phan-hoi/ghi-chu.docx": b"ghi chu rieng", "ghi-chu.txt": "Gửi lại xã Châu Can.\n".encode(),
              "tu-lieu/anh.jpg": b"\xff\xd8anh"}
WITHDRAWN = "10222-chau-can.xlsx"  # withdrawn before the second run: its feedback sheet goes stale
STALE_SHEET = "phan-hoi/10222-chau-can.docx"


def program_files(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in output_files(folder).items() if name not in USER_FILES}


def assert_manifest_describes(folder: Path) -> None:
    """Every file the manifest lists, byte for byte, and every file the program wrote listed."""
    files_now = program_files(folder)
    manifest = json.loads(files_now.pop(MANIFEST_FILE))
    recorded = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    assert recorded.keys() == files_now.keys()
    for name, digest in recorded.items():
        assert hashlib.sha256(files_now[name]).hexdigest() == digest, name


def assert_no_leftovers(outputs: Path) -> None:
    assert sorted(p.name for p in outputs.iterdir() if not p.name.endswith(".lock")) == [PERIOD.code]


@pytest.fixture(scope="module")
def two_sets(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """Inputs for a second run that differs from the first, the outputs of the first
    run with a person's files added, and the two sets of program files."""
    root = tmp_path_factory.mktemp("sets")
    inputs = root / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    run_report(PERIOD, inputs, root / "old")
    old = program_files(root / "old" / PERIOD.code)
    (inputs / PERIOD.code / WITHDRAWN).unlink()
    run_report(PERIOD, inputs, root / "new")
    new = program_files(root / "new" / PERIOD.code)
    assert STALE_SHEET in old and STALE_SHEET not in new
    for name, data in USER_FILES.items():
        (root / "old" / PERIOD.code / name).parent.mkdir(exist_ok=True)
        (root / "old" / PERIOD.code / name).write_bytes(data)
    return inputs, root / "old", old, new


def copy_outputs(source: Path, tmp_path: Path) -> Path:
    shutil.copytree(source, tmp_path / "outputs", symlinks=True)
    return tmp_path / "outputs"


# Run in a session of its own, and killed whole (its pool workers too), as kill -9 would.
KILLER = """
import os, shutil, signal, sys
from pathlib import Path
from pipeline.run.orchestrate import run_report
from pipeline.vn.periods import parse_period

point, inputs, outputs = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
calls = []

def dying(function, at, counts=lambda *args: True, before=lambda *args: None):
    def wrapper(*args, **kwargs):
        if counts(*args):
            calls.append(point)
            if len(calls) == at:
                before(*args)
                os.killpg(os.getpgrp(), signal.SIGKILL)
        return function(*args, **kwargs)
    return wrapper

if point == "writing":  # the fifth file of the new set
    os.replace = dying(os.replace, 5)
elif point in ("staged", "decided", "between"):  # before the first, second, third rename of a folder
    Path.rename = dying(Path.rename, ("staged", "decided", "between").index(point) + 1)
elif point == "carrying":  # a person's second file moved over, the third not
    os.replace = dying(os.replace, 3, counts=lambda source, target: ".cu" in str(source))
elif point == "retiring":  # the old set half deleted
    first_file = lambda path: next(p for p in sorted(Path(path).rglob("*")) if p.is_file()).unlink()
    shutil.rmtree = dying(shutil.rmtree, 1, before=first_file)
run_report(parse_period("2020-11"), inputs, outputs)
"""

KILL_POINTS = {"writing": "old", "staged": "old", "decided": "new", "between": "new", "carrying": "new",
               "retiring": "new"}


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_run_killed_at_any_point_leaves_a_whole_set_and_loses_no_file(two_sets, tmp_path, point):
    inputs, old_outputs, old, new = two_sets
    outputs = copy_outputs(old_outputs, tmp_path)
    folder = outputs / PERIOD.code
    killed = subprocess.run([sys.executable, "-c", KILLER, point, str(inputs), str(outputs)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, start_new_session=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if folder.exists():  # absent only between the two renames, both sets then whole under hidden names
        assert program_files(folder) in (old, new)
        assert_manifest_describes(folder)
    else:
        assert point == "between"
    everywhere = {name: path.read_bytes() for name in USER_FILES for path in outputs.rglob("*")
                  if path.is_file() and path.as_posix().endswith(name)}
    assert everywhere == USER_FILES, "a person's files are somewhere, whole"
    recover(folder)  # what the next run does first
    assert program_files(folder) == {"old": old, "new": new}[KILL_POINTS[point]]
    assert_manifest_describes(folder)
    assert (folder / LEDGER_FILE).is_file(), "the receipts survive the kill"
    assert {name: (folder / name).read_bytes() for name in USER_FILES} == USER_FILES
    assert_no_leftovers(outputs)


def test_a_second_run_keeps_a_persons_files_and_drops_stale_sheets(two_sets, tmp_path):
    inputs, old_outputs, _, new = two_sets
    outputs = copy_outputs(old_outputs, tmp_path)
    folder = outputs / PERIOD.code
    edited_stale = folder / "phan-hoi" / "10222-chau-can.docx"
    edited_stale.write_bytes(edited_stale.read_bytes() + b"sua tay")  # edited since: no longer the program's
    run_report(PERIOD, inputs, outputs)
    assert program_files(folder) == {**new, STALE_SHEET: edited_stale.read_bytes()}
    assert {name: (folder / name).read_bytes() for name in USER_FILES} == USER_FILES
    assert_no_leftovers(outputs)


class FullDisk:
    """`open` in pipeline.core.files, failing with ENOSPC on the n-th write."""

    def __init__(self, at: int) -> None:
        self.at, self.count = at, 0

    def __call__(self, descriptor: int, mode: str):
        handle = open(descriptor, mode)  # noqa: SIM115 — closed by the caller's `with`
        self.count += 1
        if self.count == self.at:
            handle.close()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return handle


@pytest.mark.parametrize("at", [1, 2, 7, -2, -1])  # the first files, the run page, the manifest
def test_a_full_disk_at_any_write_leaves_the_old_set(two_sets, tmp_path, monkeypatch, at):
    inputs, old_outputs, old, new = two_sets
    outputs = copy_outputs(old_outputs, tmp_path)
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", sys.maxsize)  # one process counts the writes
    writes = len(new)  # one for each file of the set, the temporary files being the only writes
    monkeypatch.setattr(files, "open", FullDisk(at if at > 0 else writes + 1 + at), raising=False)
    with pytest.raises(OSError) as caught:
        run_report(PERIOD, inputs, outputs)
    assert caught.value.errno == errno.ENOSPC
    assert program_files(outputs / PERIOD.code) == old
    assert_no_leftovers(outputs)


def test_a_full_disk_while_adding_forms_leaves_the_set(two_sets, tmp_path, monkeypatch, capsys):
    _, old_outputs, old, _ = two_sets
    outputs = copy_outputs(old_outputs, tmp_path)
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", sys.maxsize)
    monkeypatch.setattr(files, "open", FullDisk(3), raising=False)
    assert main(["forms", "--period", PERIOD.code, "--inputs", str(SAMPLE_INPUTS), "--outputs", str(outputs)]) == 2
    assert f"Không truy cập được {outputs}: ổ đĩa đã đầy" in capsys.readouterr().err
    assert program_files(outputs / PERIOD.code) == old
    assert_no_leftovers(outputs)


@pytest.fixture
def small_disk(two_sets, tmp_path):
    """A disk half as big again as the old set (a block for every file, rounded up)."""
    blocks = sum(len(data) // 4096 + 1 for data in two_sets[2].values())
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={blocks * 6}k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("no tmpfs can be mounted here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_real_full_disk_leaves_the_old_set(two_sets, small_disk):
    """The old set takes two thirds of the disk: the new one cannot be staged beside it."""
    inputs, old_outputs, old, _ = two_sets
    outputs = small_disk / "outputs"
    shutil.copytree(old_outputs, outputs, symlinks=True)
    with pytest.raises(OSError) as caught:
        run_report(PERIOD, inputs, outputs)
    assert caught.value.errno == errno.ENOSPC
    assert program_files(outputs / PERIOD.code) == old
    assert {name: (outputs / PERIOD.code / name).read_bytes() for name in USER_FILES} == USER_FILES
    assert_no_leftovers(outputs)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("linked", ["phan-hoi", "bao-cao-so-ket.docx", "phan-hoi/10171-phu-xuyen.docx"])
def test_a_link_where_the_new_set_writes_refuses_the_run_and_nothing_behind_it_changes(two_sets, tmp_path, linked):
    inputs, old_outputs, old, _ = two_sets
    outputs = copy_outputs(old_outputs, tmp_path)
    elsewhere = tmp_path / "chia-se"
    elsewhere.mkdir()
    (elsewhere / "10171-phu-xuyen.docx").write_bytes(b"ban cua phong khac")
    (elsewhere / "y-kien.docx").write_bytes(b"y kien")
    place = outputs / PERIOD.code / linked
    shutil.rmtree(place) if place.is_dir() else place.unlink()
    place.symlink_to(elsewhere if linked == "phan-hoi" else elsewhere / "10171-phu-xuyen.docx")
    before, shared = snapshot(outputs / PERIOD.code), snapshot(elsewhere)
    with pytest.raises(PublishError, match=f"không do chương trình viết.*{linked}"):
        run_report(PERIOD, inputs, outputs)
    assert snapshot(outputs / PERIOD.code) == before and snapshot(elsewhere) == shared
    assert place.is_symlink()
    assert_no_leftovers(outputs)


def test_a_persons_link_is_carried_over_as_a_link(two_sets, tmp_path):
    inputs, old_outputs, _, new = two_sets
    outputs = copy_outputs(old_outputs, tmp_path)
    elsewhere = tmp_path / "chia-se"
    elsewhere.mkdir()
    (elsewhere / "y-kien.docx").write_bytes(b"y kien")
    (outputs / PERIOD.code / "chia-se").symlink_to(elsewhere)
    run_report(PERIOD, inputs, outputs)
    assert os.readlink(outputs / PERIOD.code / "chia-se") == str(elsewhere)
    assert snapshot(elsewhere) == {"y-kien.docx": b"y kien"}
    assert program_files(outputs / PERIOD.code) == new


def test_a_linked_period_folder_is_refused(tmp_path):
    elsewhere = tmp_path / "o-khac"
    elsewhere.mkdir()
    (elsewhere / "bao-cao-so-ket.docx").write_bytes(b"van ban khac")
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / PERIOD.code).symlink_to(elsewhere)
    with pytest.raises(PublishError, match="liên kết"):
        run_report(PERIOD, SAMPLE_INPUTS, tmp_path / "outputs")
    assert snapshot(elsewhere) == {"bao-cao-so-ket.docx": b"van ban khac"}


@pytest.mark.parametrize("outputs_at", [".", "2020-11", "kq", ".."])
def test_outputs_overlapping_inputs_are_refused(tmp_path, outputs_at):
    inputs = tmp_path / "data" / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    before = snapshot(tmp_path)
    outputs = inputs / outputs_at
    with pytest.raises(PublishError, match="trùng hoặc lồng"):
        run_report(PERIOD, inputs, outputs)
    link = tmp_path / "lien-ket"
    link.symlink_to(inputs)  # the same folder, by another path
    with pytest.raises(PublishError, match="trùng hoặc lồng"):
        run_report(PERIOD, inputs, link)
    link.unlink()
    assert snapshot(tmp_path) == before
    done = run_command("forms", inputs=inputs, outputs=outputs)
    assert done.returncode == 2 and "trùng hoặc lồng" in done.stderr
    assert snapshot(tmp_path) == before


def test_a_folder_that_cannot_be_renamed_keeps_the_old_set(two_sets, tmp_path, monkeypatch):
    """Windows refuses to rename a folder open in Explorer."""
    inputs, old_outputs, old, _ = two_sets
    outputs = copy_outputs(old_outputs, tmp_path)
    real_rename = Path.rename

    def refuse_the_period_folder(self, target):
        if self.name == PERIOD.code:
            raise PermissionError(errno.EACCES, "Access is denied")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_the_period_folder)
    with pytest.raises(PublishError, match="đang mở.*Kết quả cũ vẫn giữ nguyên"):
        run_report(PERIOD, inputs, outputs)
    assert program_files(outputs / PERIOD.code) == old
    assert {name: (outputs / PERIOD.code / name).read_bytes() for name in USER_FILES} == USER_FILES
    assert_no_leftovers(outputs)


# --- names: identity by the exact path ----------------------------------------------------

NAMES_ALIKE = {
    "nfc-nfd": ("Nam Ti\u1ebfn.xlsx", "Nam Tie\u0302\u0301n.xlsx"),
    "byte-or-backslash": (os.fsdecode(b"bao-cao-\xff.xlsx"), "bao-cao-\\xff.xlsx"),
    "two-bytes": (os.fsdecode(b"bao-cao-\xff.xlsx"), os.fsdecode(b"bao-cao-\xfe.xlsx")),
}


@pytest.mark.parametrize("names", NAMES_ALIKE.values(), ids=NAMES_ALIKE)
def test_two_files_that_display_alike_stay_two_files(tmp_path, names):
    from builders import info, make_inputs, village, write_return

    inputs = make_inputs(tmp_path)
    sent_by = dict(zip(names, ("00104", "00101")))
    for name, code in sent_by.items():
        write_return(inputs / PERIOD.code / name, info(code, {"00104": "Nam Tiến", "00101": "An Bình"}[code]),
                     [village("Thôn Một")], [])
    result = run_report(PERIOD, inputs, tmp_path / "outputs")
    shown = {outcome.file: outcome.code for outcome in result.validation.outcomes}
    assert sorted(shown.values()) == ["00101", "00104"], shown
    manifest = json.loads((tmp_path / "outputs" / PERIOD.code / MANIFEST_FILE).read_text(encoding="utf-8"))
    by_digest = {entry["sha256"]: entry for entry in manifest["inputs"]}
    for name, code in sent_by.items():
        entry = by_digest[hashlib.sha256((inputs / PERIOD.code / name).read_bytes()).hexdigest()]
        assert entry["unit_code"] == code and shown[entry["path"].removeprefix(f"{PERIOD.code}/")] == code
    sheets = {row.file: row.feedback for row in result.status_rows if row.file}
    assert sheets == {file: f"phan-hoi/{code}-{'nam-tien' if code == '00104' else 'an-binh'}.docx"
                      for file, code in shown.items()}


def test_the_manifest_vouches_for_the_bytes_read_not_for_the_file_as_it_ends(tmp_path, monkeypatch):
    """A clerk drops a corrected file over a return while the run goes on: the
    manifest records the bytes the figures came from, not the file it finds later."""
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    return_file = inputs / PERIOD.code / "10189.xlsx"
    read_bytes = return_file.read_bytes()
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", sys.maxsize)  # read in this process, so the patch holds
    read_file = ingest.read_file

    def read_then_replaced(path):
        data = read_file(path)
        if path == return_file:
            path.write_bytes(data + b"sua sau")  # replaced once read
        return data

    monkeypatch.setattr(ingest, "read_file", read_then_replaced)
    run_report(PERIOD, inputs, tmp_path / "outputs")
    manifest = json.loads((tmp_path / "outputs" / PERIOD.code / MANIFEST_FILE).read_text(encoding="utf-8"))
    entry = next(e for e in manifest["inputs"] if e["path"] == f"{PERIOD.code}/10189.xlsx")
    assert entry["sha256"] == hashlib.sha256(read_bytes).hexdigest() != hashlib.sha256(return_file.read_bytes()).hexdigest()
    assert entry["size"] == len(read_bytes)
    assert entry["status"] == "valid"


def test_a_return_that_cannot_be_opened_is_recorded_without_a_digest(tmp_path, monkeypatch):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", sys.maxsize)
    read_file = ingest.read_file

    def refuse(path):
        if path.name == "10189.xlsx":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return read_file(path)

    monkeypatch.setattr(ingest, "read_file", refuse)
    run_report(PERIOD, inputs, tmp_path / "outputs")
    manifest = json.loads((tmp_path / "outputs" / PERIOD.code / MANIFEST_FILE).read_text(encoding="utf-8"))
    entry = next(e for e in manifest["inputs"] if e["path"] == f"{PERIOD.code}/10189.xlsx")
    assert (entry["size"], entry["sha256"], entry["status"]) == (None, None, "invalid")
