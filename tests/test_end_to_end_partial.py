"""A partial period, run with the real command: 5 of the sample's 27 communes have
sent their returns, and the previous period had 25. Every district-level figure of
the report, the minutes and the news item states its base, and the run page
compares only the units valid in both periods."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from builders import ROOT, SAMPLE_INPUTS
from docx import Document

PERIOD = "2020-11"
KEPT = ("10177-hong-minh.xlsx", "10189.xlsx", "10195.xlsx", "10201-hoang-long.xlsx", "10213.xlsx")
BASE = "5/27 xã"


def _report(inputs, outputs) -> str:
    command = [sys.executable, "-m", "pipeline", "report", "--period", PERIOD, "--inputs", str(inputs),
               "--outputs", str(outputs)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("partial")
    full = root / "full"
    _report(SAMPLE_INPUTS, full)
    inputs = root / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    for path in (inputs / PERIOD).glob("*.xlsx"):
        if path.name not in KEPT:
            path.unlink()
    outputs = root / "outputs"
    # Last period: the full sample's 25 valid communes.
    (outputs / "2020-10").mkdir(parents=True)
    shutil.copy(full / PERIOD / "tong-hop.json", outputs / "2020-10" / "tong-hop.json")
    return outputs / PERIOD, _report(inputs, outputs)


def _paragraphs(path) -> list[str]:
    return [p.text for p in Document(path).paragraphs]


def _with_figures(lines: list[str]) -> list[str]:
    return [line for line in lines if any(ch.isdigit() for ch in line)]


def test_the_report_states_the_base_of_every_district_figure(run):
    paragraphs = _paragraphs(run[0] / "bao-cao-so-ket.docx")
    start = paragraphs.index("II. KẾT QUẢ THỰC HIỆN")
    end = next(i for i, p in enumerate(paragraphs) if p.startswith("III. "))
    results = [p for p in paragraphs[start + 1:end] if not p[:2] in ("1.", "2.", "3.", "4.")]
    merges = [p for p in results if p.startswith("Thực hiện sắp xếp đơn vị hành chính")]  # the registry's, not a sum
    figures = [p for p in _with_figures(results) if p not in merges]
    assert len(figures) >= 6
    assert all(BASE in p for p in figures), [p for p in figures if BASE not in p]


def test_the_minutes_state_the_base_with_each_figure(run):
    lines = [p for p in _paragraphs(run[0] / "bien-ban-hoi-nghi.docx") if p.startswith("- ")]
    figures = [p for p in _with_figures(lines) if "người" in p and not p.startswith("- Thực hiện sắp xếp")]
    assert len(figures) >= 6
    assert all(BASE in p for p in figures), [p for p in figures if BASE not in p]


def test_the_news_item_states_the_base_in_each_paragraph_of_figures(run):
    paragraphs = (run[0] / "tin-bai.txt").read_text(encoding="utf-8").split("\n\n")
    figures = [p for p in paragraphs if re.search(r"\d người", p)]
    assert len(figures) >= 3
    assert all(BASE in p for p in figures), [p for p in figures if BASE not in p]


def test_the_press_officer_is_told(run):
    folder, stdout = run
    assert f"Tin bài nêu số liệu của {BASE}" in stdout
    assert f"Tin bài nêu số liệu của {BASE}" in (folder / "index.html").read_text(encoding="utf-8")


def test_the_run_page_compares_the_five_units_only(run):
    page = " ".join((run[0] / "index.html").read_text(encoding="utf-8").split())
    assert "So sánh với kỳ trước (tháng 10 năm 2020) chỉ trên 5 xã" in page
    assert "(kỳ này 5, kỳ trước 25)" in page
    # The five units' figures are the same in both periods' files: no change at all, not a fall of the other 20.
    changes = re.findall(r'<span class="change">([^<]*)</span>', page)
    assert changes[0] == "giảm 20 báo cáo"
    assert len(changes) > 4 and set(changes[1:]) == {"không đổi"}
