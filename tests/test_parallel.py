"""The pool changes who does the work, never what is written."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import SAMPLE_INPUTS

from pipeline.core import parallel
from pipeline.core.parallel import ordered_map
from pipeline.run.orchestrate import run_report
from pipeline.vn.periods import parse_period


def _square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_results_keep_input_order_and_progress_counts_every_item(monkeypatch):
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 2)
    progress = []
    results = list(ordered_map(_square_and_pid, list(range(200)), lambda done, total: progress.append((done, total))))
    assert [square for square, _ in results] == [n * n for n in range(200)]
    assert progress == [(n, 200) for n in range(1, 201)]
    if parallel._workers() > 1:
        assert {pid for _, pid in results} != {os.getpid()}, "the work went to the pool"


def _slow_first(number: int) -> int:
    if number == 0:
        time.sleep(1.5)
    return number


@pytest.mark.skipif(parallel._workers() < 2, reason="one core: the pool is never used")
def test_a_long_first_item_holds_back_the_results_not_the_count(monkeypatch):
    """The national report is written first and takes seconds: meanwhile the other
    worker's documents are counted, so the progress bar moves."""
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 2)
    counted = []
    results = ordered_map(_slow_first, list(range(64)), lambda done, total: counted.append(done))
    assert next(results) == 0
    counted_before_first_result = len(counted)
    assert list(results) == list(range(1, 64))
    assert counted == list(range(1, 65))
    # More than the first chunk's items (4 on 2 cores): others were counted while it ran.
    assert counted_before_first_result > 4, counted_before_first_result


def _fail_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven")
    return number


@pytest.mark.skipif(parallel._workers() < 2, reason="one core: the pool is never used")
def test_an_error_in_a_worker_reaches_the_caller_and_the_pool_ends(monkeypatch):
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 2)
    with pytest.raises(ValueError, match="seven"):
        list(ordered_map(_fail_on_seven, list(range(64))))
    assert gc.get_freeze_count() == 0, "the parent's objects are collected again"
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(parallel._workers() < 2, reason="one core: the pool is never used")
def test_a_caller_that_stops_early_ends_the_pool(monkeypatch):
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 2)
    results = ordered_map(_square_and_pid, list(range(200)))
    assert next(results)[0] == 0
    results.close()
    assert gc.get_freeze_count() == 0
    assert multiprocessing.active_children() == []


def test_the_functions_a_run_maps_can_go_to_a_spawned_worker(monkeypatch, tmp_path):
    """Forked workers inherit what they run; spawned ones (Windows) are sent it pickled."""
    from pipeline.run import orchestrate

    mapped = []

    def recording_map(function, items, on_done=None):
        mapped.append((function, items))
        return ordered_map(function, items, on_done)

    monkeypatch.setattr(orchestrate, "ordered_map", recording_map)
    run_report(parse_period("2020-11"), SAMPLE_INPUTS, tmp_path)
    assert len(mapped) == 2, "reading and writing"
    for function, items in mapped:
        pickle.loads(pickle.dumps((function, items[0])))


def test_small_batches_stay_in_this_process():
    assert {pid for _, pid in ordered_map(_square_and_pid, [1, 2, 3])} == {os.getpid()}


@pytest.mark.skipif(parallel._workers() < 2, reason="one core: the pool is never used")
def test_a_pooled_run_writes_the_same_bytes_as_a_one_process_run(tmp_path, monkeypatch):
    period = parse_period("2020-11")
    serial = run_report(period, SAMPLE_INPUTS, tmp_path / "serial")
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 2)
    pooled = run_report(period, SAMPLE_INPUTS, tmp_path / "pooled")

    def files(result, root):
        return [(path.relative_to(root).as_posix(), path.read_bytes()) for path in result.written]

    assert files(pooled, tmp_path / "pooled") == files(serial, tmp_path / "serial")
    pooled_names = {p.name for p in (tmp_path / "pooled" / period.code).iterdir()}
    assert pooled_names == {p.name for p in (tmp_path / "serial" / period.code).iterdir()}



@pytest.mark.skipif(parallel._workers() < 2 or not sys.platform.startswith("linux"),
                    reason="the pool and the parent-death signal")
def test_the_workers_of_a_killed_run_end_with_it(tmp_path):
    pids = tmp_path / "pids"
    runner = subprocess.Popen([sys.executable, "-c", (
        "import test_parallel\n"
        "from pipeline.core import parallel\n"
        "parallel.POOL_THRESHOLD = 2\n"
        f"list(parallel.ordered_map(test_parallel.record_and_sleep, [{str(pids)!r}] * 4))\n")],
        cwd=Path(__file__).parent)
    deadline = time.monotonic() + 30
    while len(_pids(pids)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _pids(pids)
    assert len(workers) >= 2, "the workers started"
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    deadline = time.monotonic() + 5
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "a worker outlived the killed run"


def record_and_sleep(pids_file: str) -> None:
    """A worker's long task: it says who it is, then outlasts the test unless ended."""
    with open(pids_file, "a") as handle:
        handle.write(f"{os.getpid()}\n")
    time.sleep(60)


def _pids(path: Path) -> set[int]:
    return {int(line) for line in path.read_text().split()} if path.exists() else set()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def collector_threshold(_: int) -> int:
    return gc.get_threshold()[0]


def test_pipeline_main_sets_the_collector_for_itself_and_its_forked_workers():
    """`pipeline.__main__` (what `python -m pipeline` runs): the run and every pool worker
    collect at COLLECTOR_THRESHOLD; a caller of `main`, such as this test, keeps its own setting."""
    from pipeline.core.process import COLLECTOR_THRESHOLD

    done = subprocess.run([sys.executable, "-c", (
        "import pipeline.__main__, test_parallel\n"
        "from pipeline.core import parallel\n"
        "parallel.POOL_THRESHOLD = 2\n"
        "print(sorted(set(parallel.ordered_map(test_parallel.collector_threshold, list(range(40))))))\n"
        "print(test_parallel.collector_threshold(0))\n")],
        cwd=Path(__file__).parent, capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == [f"[{COLLECTOR_THRESHOLD}]", str(COLLECTOR_THRESHOLD)]
    assert gc.get_threshold()[0] != COLLECTOR_THRESHOLD, "importing the pipeline changes nothing for its caller"


def test_a_spawned_worker_takes_the_run_s_collector_threshold():
    """A worker spawned on Windows imports neither `pipeline.__main__` nor the run's settings:
    its initializer sets them."""
    done = subprocess.run([sys.executable, "-c", (
        "import gc, os, test_parallel\n"
        "from pipeline.core import parallel\n"
        "parallel._start_worker(os.getppid(), test_parallel.collector_threshold, (12345, 10, 10))\n"
        "print(parallel._apply([0]))\n")],
        cwd=Path(__file__).parent, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[12345]"
