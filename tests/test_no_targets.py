"""Targets switched off: an office that sets no target at a level (`targets.commune: none`,
`targets.village: none`) gets no sentence, column, figure or chart about one, in any
output; with a target set, each is there. Unit by unit, then the 2020 sample run with
both targets switched off."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys

import pytest
from builders import PERIOD, ROOT, SAMPLE_INPUTS, SETTINGS, UNITS, commune, result_of, seed_receipts
from docx import Document
from openpyxl import load_workbook
from test_settings import edited

from pipeline.core.model import Village
from pipeline.documents.annex import annex_columns, write_annex_xlsx
from pipeline.documents.feedback import feedback_sheets
from pipeline.documents.run_page import run_page_context
from pipeline.figures.aggregate import aggregate
from pipeline.figures.wording import Wording
from pipeline.intake.settings import EMPTY_PERIOD_SETTINGS, SettingsError, load_settings

AN_BINH, DONG_HOA, PHU_MINH, NAM_TIEN = UNITS
NO_TARGETS = dataclasses.replace(SETTINGS, commune_target=None, village_target=None)
NO_VILLAGE_TARGET = dataclasses.replace(SETTINGS, village_target=None)
TARGET_WORDS = re.compile(r"chỉ tiêu|chưa đạt", re.IGNORECASE)


def returns():
    # Over both targets of SETTINGS (8 people; 2 per village), so that a target would be spoken of.
    return [commune(u, 9, [Village(f"Thôn {u.code}", "Thôn", (), 3, 4, 3)]) for u in UNITS]


def stats(settings):
    return aggregate(result_of(returns()), UNITS, settings, PERIOD)


def test_settings_take_none_at_either_level(tmp_path):
    settings = load_settings(edited(tmp_path, "  village:\n    people: 2\n    titles: 3\n", "  village: none\n"))
    assert settings.village_target is None and settings.commune_target is not None


def test_a_target_neither_set_nor_none_is_named_with_its_key(tmp_path):
    with pytest.raises(SettingsError, match=r"dòng \d+, khóa 'targets.village': cần hai khóa con `people`, `titles`, "
                                            r"hoặc `none`"):
        load_settings(edited(tmp_path, "  village:\n    people: 2\n    titles: 3\n", "  village: khong\n"))


def test_without_a_village_target_no_village_is_counted_over_or_on_it():
    s = stats(NO_VILLAGE_TARGET)
    assert s.villages.target is None
    assert (s.villages.meeting_target.count, s.villages.over_target.count) == (0, 0)
    assert {r.villages_over_target for r in (*s.rows, s.totals)} == {0}
    assert s.commune.over_target.count == 4  # the commune target still holds


def test_the_wording_speaks_of_the_targets_set_and_only_those():
    def sentences(settings):
        w = Wording(stats(settings), settings.style, "Phòng Nội vụ")
        return {"report": " ".join(w.commune_level() + w.village_level()), "minutes": " ".join(w.key_figures())}

    with_targets, commune_only, none = sentences(SETTINGS), sentences(NO_VILLAGE_TARGET), sentences(NO_TARGETS)
    for text in with_targets.values():
        assert "không quá 8 người/10 chức danh" in text and "không quá 2 người/3 chức danh" in text
    for text in commune_only.values():
        assert "không quá 8 người/10 chức danh" in text and "2 người/3 chức danh" not in text
    for text in none.values():
        assert not TARGET_WORDS.search(text), text


def test_the_feedback_sheet_names_no_village_over_a_target_not_set():
    def sheet_of(settings):
        sheets = feedback_sheets(result_of(returns()[:1]), UNITS, settings, EMPTY_PERIOD_SETTINGS, PERIOD)
        [sheet] = [job.context["sheet"] for job in sheets.jobs if job.context["sheet"].get("confirms")]
        return sheet

    assert sheet_of(SETTINGS)["notes"] and "chỉ tiêu" in sheet_of(SETTINGS)["commune"]
    sheet = sheet_of(NO_TARGETS)
    assert sheet["notes"] == [] and not TARGET_WORDS.search(sheet["commune"])


def test_the_annex_workbook_has_the_column_only_with_a_village_target(tmp_path):
    s = stats(NO_TARGETS)
    assert annex_columns(True).count("villages_over_target") == 1
    assert "villages_over_target" not in annex_columns(False)
    path = write_annex_xlsx(s.rows, s.totals, "TỔNG HỢP", "thôn", False, tmp_path / "phu-luc.xlsx",
                            communes="xã")
    cells = [str(c.value) for row in load_workbook(path).active.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if TARGET_WORDS.search(c)]


def test_the_run_page_shows_no_figure_or_chart_on_a_target_not_set():
    def page(settings):
        return run_page_context(PERIOD, stats(settings), (), (), None, "", "", ())

    keys = [f["key"] for f in page(SETTINGS)["figures"]]
    assert "commune.on_target" in keys and "villages.on_target" in keys
    bare = page(NO_TARGETS)
    assert not [f["key"] for f in bare["figures"] if f["key"].endswith("on_target")]
    assert not TARGET_WORDS.search(json.dumps(bare, ensure_ascii=False, default=str))


# --- the 2020 sample, both targets switched off -------------------------------------


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("no-targets")
    inputs = root / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    settings = inputs / "don-vi-bao-cao.yaml"
    text = settings.read_text(encoding="utf-8")
    text, replaced = re.subn(r"(?m)^  commune:\n    people: \d+\n    titles: \d+\n", "  commune: none\n", text)
    text, again = re.subn(r"(?m)^  village:\n    people: \d+\n    titles: \d+\n", "  village: none\n", text)
    assert (replaced, again) == (1, 1)
    settings.write_text(text, encoding="utf-8")
    # The meeting's conclusions are the office's own words, and speak of the target: the office
    # switching its targets off rewrites them too.
    meeting = inputs / "2020-11" / "hoi-nghi.yaml"
    words = meeting.read_text(encoding="utf-8")
    assert words.count("đúng chỉ tiêu") == 1
    meeting.write_text(words.replace("đúng chỉ tiêu", "đúng quy định"), encoding="utf-8")
    outputs = root / "outputs"
    seed_receipts(outputs, inputs)
    command = [sys.executable, "-m", "pipeline", "report", "--period", "2020-11", "--inputs", str(inputs),
               "--outputs", str(outputs)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return outputs / "2020-11"


def _docx_text(path) -> str:
    document = Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_no_document_of_the_run_speaks_of_a_target(run):
    texts = {path.name: _docx_text(path) for path in sorted(run.glob("*.docx"))}
    texts |= {path.name: _docx_text(path) for path in sorted((run / "phan-hoi").glob("*.docx"))}
    texts |= {name: (run / name).read_text(encoding="utf-8") for name in ("tin-bai.txt", "tin-bai.html", "index.html")}
    texts |= {name: "\n".join(str(c.value) for row in load_workbook(run / name).active.iter_rows() for c in row)
              for name in ("phu-luc.xlsx", "tinh-trang-bao-cao.xlsx")}
    assert "bao-cao-so-ket.docx" in texts and len(texts) > 5
    spoken = {name: TARGET_WORDS.findall(text) for name, text in texts.items() if TARGET_WORDS.search(text)}
    assert spoken == {}


def test_the_report_s_annex_has_no_target_column(run):
    report = Document(run / "bao-cao-so-ket.docx")
    header = [c.text for c in report.tables[-1].rows[2].cells]
    assert not any("chưa đạt" in cell for cell in header) and len(report.tables[-1].columns) == 13


def test_the_figures_record_no_target(run):
    data = json.loads((run / "tong-hop.json").read_text(encoding="utf-8"))
    assert data["commune"]["target"] is None and data["villages"]["target"] is None
