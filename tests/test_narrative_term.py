"""The office's own paragraphs (bao-cao.yaml) and the term the figures give the level
below the commune: a mismatch is a note of the run (terminal and run page)."""

from __future__ import annotations

import shutil

import pytest
from types import SimpleNamespace
from builders import SAMPLE_INPUTS

from pipeline.run.orchestrate import commune_merge_notes, prepare
from pipeline.vn.periods import parse_period

PERIOD = parse_period("2020-11")


def notes_with(tmp_path, old: str, new: str) -> list[str]:
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    narrative = inputs / PERIOD.code / "bao-cao.yaml"
    text = narrative.read_text(encoding="utf-8")
    assert old in text
    narrative.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [n for n in prepare(PERIOD, inputs, tmp_path / "outputs").notes if "gọi cấp dưới xã" in n]


def test_the_sample_narrative_agrees_with_its_figures(tmp_path):
    assert notes_with(tmp_path, "trách ở cấp xã", "trách ở cấp xã") == []


@pytest.mark.parametrize("written", ["thôn, tổ dân phố", "thôn, xóm, tổ dân phố", "bản, tiểu khu", "thôn, bản, tiểu khu",
                                     "thôn, tiểu khu, khối"])
def test_another_term_in_a_paragraph_is_a_note_naming_file_key_and_both_terms(tmp_path, written):
    [note] = notes_with(tmp_path, "cấp xã, thôn, tiểu khu trên", f"cấp xã, {written} trên")
    assert "bao-cao.yaml, mục direction, đoạn 1" in note
    assert f"ghi «{written}»" in note and "«thôn, tiểu khu»" in note


def test_the_same_term_in_capitals_is_no_note(tmp_path):
    assert notes_with(tmp_path, "cấp xã, thôn, tiểu khu trên", "cấp xã, Thôn, tiểu khu trên") == []


@pytest.mark.parametrize("code, noted", [("2025-Q3", True), ("2025-07", True), ("2025-H2", True), ("2025", True),
                                         ("2025-06", False), ("2025-08", False), ("2026-Q1", False),
                                         ("2020-11", False)])
def test_a_period_holding_1_july_2025_with_no_commune_merged_is_a_note(code, noted):
    none_merged, merged = SimpleNamespace(communes_merged=()), SimpleNamespace(communes_merged=("Nam Tiến",))
    assert bool(commune_merge_notes(parse_period(code), none_merged)) is noted
    assert commune_merge_notes(parse_period(code), merged) == []
