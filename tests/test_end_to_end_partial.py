"""A partial period, run with the real command: 5 of the sample's 27 communes have
sent their returns, and the previous period had 25. The report and the minutes
state the base of their district-level figures once for each group of them, the
news item in each paragraph of figures, and the run page
compares only the units valid in both periods."""

from __future__ import annotations

import itertools
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


def _subsections(paragraphs: list[str]) -> list[list[str]]:
    """Section II's paragraphs cut at its headings `1.` … `4.`; the first part opens the section."""
    start = paragraphs.index("II. KẾT QUẢ THỰC HIỆN")
    end = next(i for i, p in enumerate(paragraphs) if p.startswith("III. "))
    parts: list[list[str]] = [[]]
    for p in paragraphs[start + 1:end]:
        if p[:2] in ("1.", "2.", "3.", "4."):
            parts.append([])
        else:
            parts[-1].append(p)
    return parts


def test_the_report_states_the_base_once_in_each_subsection(run):
    """The section opens on the base, and each subsection's first figure states it
    again; the figures after it speak of the same units without repeating it."""
    opening, commune, villages, merges, severance = _subsections(_paragraphs(run[0] / "bao-cao-so-ket.docx"))
    assert len(opening) == 1 and "báo cáo hợp lệ của 5/27 xã" in opening[0]
    assert not any(BASE in p for p in merges)  # the registry's merges, not a sum of returns
    for part in (commune, villages, severance):
        figures = _with_figures(part)
        assert len(figures) >= 2
        assert BASE in figures[0], figures[0]
        assert " ".join(figures).count(BASE) == 1, figures
    text = " ".join(commune + villages + severance)
    # "All" and "none" name the units they count, never all the district's.
    assert "Tất cả 5 xã đã bố trí" in text and "tất cả các" not in text.lower()


def test_the_minutes_state_the_base_once_for_each_group_of_figures(run):
    paragraphs = _paragraphs(run[0] / "bien-ban-hoi-nghi.docx")
    first = paragraphs.index("Báo cáo nêu các kết quả chủ yếu:") + 1
    figures = list(itertools.takewhile(lambda p: p.startswith("- "), paragraphs[first:]))
    assert len(figures) >= 8
    openers = ("- Số liệu dưới đây", "- Tổng số chức danh người hoạt động không chuyên trách cấp xã",
               "- Tại", "- Tổng số người hoạt động không chuyên trách thôi việc")
    opening = [p for p in figures if p.startswith(openers)]
    assert len(opening) == 4 and all(BASE in p for p in opening), opening
    assert not any(BASE in p for p in figures if p not in opening), figures


def test_the_news_item_states_the_base_once_and_points_back_to_it(run):
    """The first paragraph of figures states the base; each later one points back to it
    ("Cũng tại các xã này", "Theo báo cáo của các xã này") rather than restating it."""
    paragraphs = (run[0] / "tin-bai.txt").read_text(encoding="utf-8").split("\n\n")
    figures = [p for p in paragraphs if re.search(r"\d người", p)]
    assert len(figures) >= 3
    assert BASE in figures[0]
    assert all(BASE not in p and "các xã này, " in p for p in figures[1:]), figures[1:]


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
