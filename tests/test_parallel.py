"""The pool changes who does the work, never what is written."""

from __future__ import annotations

import os

import pytest

from builders import SAMPLE_INPUTS
from pipeline import parallel
from pipeline.lock import LOCK_FILE
from pipeline.parallel import ordered_map
from pipeline.run import run_report
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
    pooled_names = {p.name for p in (tmp_path / "pooled" / period.code).iterdir()} - {LOCK_FILE}
    assert pooled_names == {p.name for p in (tmp_path / "serial" / period.code).iterdir()} - {LOCK_FILE}
