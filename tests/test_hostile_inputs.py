"""Broken and hostile inputs beside the good returns, in one run of the real command.

The run over the sample and the corpus of `hostile_corpus` must finish (exit 0),
name every file with a message — in the terminal and in the status workbook — and
write the same documents as a run over the sample alone: no figure moves because
of a bad file. Both runs happen once for the module.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from builders import ROOT, SAMPLE_INPUTS, info, make_inputs, severance, village, write_return
from docx import Document
from hostile_corpus import CASES, DUPLICATE, HOSTILE_NAME, HOSTILE_VILLAGE, SECRET_MARKER, write_corpus
from jinja2.exceptions import SecurityError
from openpyxl import load_workbook

from bench.probe import sampled
from pipeline.render.check import _PROGRAM_WORD
from pipeline.render.templating import make_environment, make_text_environment, render_text
from pipeline.render.word import render_docx
from pipeline.run.orchestrate import run_report
from pipeline.vn.periods import parse_period
from pipeline.vn.units import in_sentence, join_unit_names

PERIOD = "2020-11"
GIB_IN_KIB = 1024 * 1024  # ru_maxrss is in kibibytes on Linux
DOCUMENTS = ("bao-cao-so-ket.docx", "bien-ban-hoi-nghi.docx", "tin-bai.docx", "tin-bai.html", "tin-bai.txt",
             "phu-luc.xlsx")
STATUS_WORKBOOK = "tinh-trang-bao-cao.xlsx"


def report_command(root: Path) -> tuple[subprocess.CompletedProcess, int]:
    """The run, and the most memory its whole process tree (pool workers included)
    held at once, in KiB, sampled."""
    command = [sys.executable, "-m", "pipeline", "report", "--period", PERIOD,
               "--inputs", str(root / "inputs"), "--outputs", str(root / "outputs")]
    # The timeout only keeps a hung run from hanging the suite; nothing is timed.
    done, _, tree_peak = sampled(command, cwd=str(ROOT), timeout=600)
    return (subprocess.CompletedProcess(command, done.returncode, done.stdout.decode(), done.stderr.decode()),
            tree_peak // 1024)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(SAMPLE_INPUTS, root / "inputs")
    done, _ = report_command(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "outputs" / PERIOD


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SAMPLE_INPUTS, root / "inputs")
    secret = root / "secret.txt"  # outside the inputs: only the XXE case points at it
    secret.write_text(SECRET_MARKER, encoding="utf-8")
    write_corpus(root / "inputs" / PERIOD, secret)
    done, tree_peak_kib = report_command(root)
    # The largest resident set of any one child so far, this run's included; and the
    # whole tree's, which a single process's high mark misses when workers share the load.
    peak_kib = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, tree_peak_kib)
    return done, root / "outputs" / PERIOD, peak_kib


def lines_naming(stdout: str, name: str) -> list[str]:
    return [line for line in stdout.splitlines() if name in line]


def docx_text(path: Path) -> list[str]:
    document = Document(path)
    return [p.text for p in document.paragraphs] + [cell.text for t in document.tables for cell in t._cells]


def document_content(path: Path) -> object:
    if path.suffix == ".docx":
        return docx_text(path)
    if path.suffix == ".xlsx":
        return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in load_workbook(path)]
    return path.read_bytes()


def test_the_run_completes(hostile):
    done, folder, _ = hostile
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert all((folder / name).is_file() for name in DOCUMENTS)


def test_the_corpus_has_every_kind_of_case():
    assert len(CASES) >= 30
    assert len({case.file for case in CASES}) == len(CASES)
    assert {case.treatment for case in CASES} == {"error", "superseded", "ignored", "silent"}


@pytest.mark.parametrize("case", CASES, ids=[case.shown for case in CASES])
def test_every_file_is_named_in_the_terminal_with_its_message(hostile, case):
    done, _, _ = hostile
    lines = lines_naming(done.stdout, case.shown)
    if case.treatment == "silent":
        assert case.shown not in done.stdout + done.stderr
    elif case.treatment == "ignored":
        assert any("Bỏ qua" in line for line in lines), lines
    else:
        assert any(case.expect in line for line in lines), (case.expect, lines)
        assert case.treatment != "error" or any("Lỗi" in line for line in lines)


def test_every_file_is_in_the_status_workbook_with_a_message(hostile):
    _, folder, _ = hostile
    rows = list(load_workbook(folder / STATUS_WORKBOOK).active.iter_rows(values_only=True))
    header = next(row for row in rows if "Tệp báo cáo" in row and "Ghi chú" in row)
    file_column, note_column = header.index("Tệp báo cáo"), header.index("Ghi chú")
    notes = {row[file_column]: row[note_column] for row in rows if row[file_column]}
    for case in CASES:
        if case.treatment == "silent":
            assert case.shown not in notes
        else:
            assert notes.get(case.shown), case.shown
    assert HOSTILE_VILLAGE in notes[HOSTILE_NAME]


def test_no_repair_instruction_speaks_the_program_s_words(hostile):
    """Every repair instruction the corpus draws out is written as an office writes to a
    commune: no "gõ", no "(đây là cảnh báo)". The feedback sheets carry those of the
    files a commune is known for; the status workbook's notes carry every file's first."""
    _, folder, _ = hostile
    sheets = sorted((folder / "phan-hoi").glob("*.docx"))
    texts = {sheet.name: docx_text(sheet) for sheet in sheets}
    # The workbook also shows the hostile names literally ("{{", "true"): only its fixes are weighed.
    fixes = [str(value).split("Cách sửa:", 1)[1] for row in
             load_workbook(folder / STATUS_WORKBOOK).active.iter_rows(values_only=True)
             for value in row if "Cách sửa:" in str(value)]
    assert len(sheets) > 27 and len(fixes) > 20
    spoken = {(name, word) for name, lines in [*texts.items(), (STATUS_WORKBOOK, fixes)] for text in lines
              for word in _PROGRAM_WORD.findall(text)}
    assert not spoken


def test_no_figure_changes_because_of_the_bad_files(hostile, baseline):
    _, folder, _ = hostile
    statistics, expected = (json.loads((f / "tong-hop.json").read_text(encoding="utf-8")) for f in (folder, baseline))
    # The corpus's copies of sample returns are listed as replaced; nothing else differs.
    superseded = statistics["returns"].pop("superseded")
    replaced = [case.file for case in CASES if case.treatment == "superseded"]
    assert DUPLICATE in replaced
    assert sorted(superseded) == sorted(expected["returns"].pop("superseded") + replaced)
    assert statistics == expected
    for name in DOCUMENTS:
        assert document_content(folder / name) == document_content(baseline / name), name


def test_the_external_entity_is_never_read(hostile):
    done, folder, _ = hostile
    assert SECRET_MARKER not in done.stdout + done.stderr
    for path in (p for p in folder.rglob("*") if p.is_file()):
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                contents = [archive.read(entry) for entry in archive.infolist()]
        else:
            contents = [path.read_bytes()]
        assert not any(SECRET_MARKER.encode() in content for content in contents), path


def test_names_are_printed_literally_and_controls_never(hostile):
    done, _, _ = hostile
    assert HOSTILE_NAME in done.stdout and HOSTILE_VILLAGE in done.stdout
    assert "Thôn 49" not in done.stdout and "Xã 49" not in done.stdout
    assert not any(ch in done.stdout + done.stderr for ch in "\x1b\x07\u202e")
    assert "[2J]0;x12" in done.stdout  # the cell, shown without what would have cleared the screen


def test_peak_memory_stays_under_a_gibibyte(hostile):
    _, _, peak_kib = hostile
    assert peak_kib < GIB_IN_KIB


# --- data never renders as a template -------------------------------------------------------

TEMPLATE_VILLAGE = 'Thôn {{ 7*7 }} & <b>"Mới"</b>'
TEMPLATE_FORMER = ("Thôn {% if true %}Cũ{% endif %}", "Thôn 'Hạ' & {{ range(3) }}")


def test_template_syntax_in_a_village_name_reaches_the_documents_literally(tmp_path):
    inputs = make_inputs(tmp_path)
    shutil.copy(SAMPLE_INPUTS / PERIOD / "hoi-nghi.yaml", inputs / PERIOD / "hoi-nghi.yaml")
    write_return(inputs / PERIOD / "00101.xlsx", info(),
                 [village(TEMPLATE_VILLAGE, merged="; ".join(TEMPLATE_FORMER)), village("Thôn Tây")],
                 [severance("Trần Văn Tú")])
    result = run_report(parse_period(PERIOD), inputs, tmp_path / "outputs")
    texts = {path.name: "\n".join(docx_text(path)) if path.suffix == ".docx" else path.read_text(encoding="utf-8")
             for path in result.written if path.suffix in (".docx", ".txt")}
    report = texts["bao-cao-so-ket.docx"]
    # Inside a sentence the kind is written in lower case (`thôn {{ 7*7 }} …`); the rest is literal.
    # The merged villages as one list, their kind said once (`thôn {% if true %}Cũ{% endif %} và 'Hạ' & …`).
    assert in_sentence(TEMPLATE_VILLAGE) in report and in_sentence(join_unit_names(TEMPLATE_FORMER)) in report
    for name, text in texts.items():
        assert "Thôn 49" not in text and "Thôn Cũ" not in text and "range(0, 3)" not in text, name


# --- templates that reach beyond their data -----------------------------------------------

HOSTILE_TEMPLATES = (
    ("{{ ''.__class__.__mro__ }}", "'__class__'"),
    ("{{ cycler.__init__.__globals__ }}", "'__init__'"),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}", "'__globals__'"),
    ("{{ '{0.__class__}'.format(1) }}", "'__class__'"),
    ('{% include "/etc/passwd" %}', "đọc tệp khác ('/etc/passwd')"),
    ('{% extends "../don-vi-bao-cao.yaml" %}', "đọc tệp khác"),
)


@pytest.mark.parametrize("source, named", HOSTILE_TEMPLATES)
def test_a_text_template_reaching_beyond_its_data_is_refused_by_name(tmp_path, source, named):
    template = tmp_path / "tin-bai.txt"
    template.write_text(source, encoding="utf-8")
    for environment in (make_text_environment(), make_environment()):
        with pytest.raises(SecurityError) as caught:
            render_text(environment, template, {})
        assert str(caught.value).startswith("Mẫu tin-bai.txt bị từ chối: mẫu đòi ")
        assert named in str(caught.value)


@pytest.mark.parametrize("source, named", HOSTILE_TEMPLATES[:2])
def test_a_word_template_reaching_beyond_its_data_is_refused_by_name(tmp_path, source, named):
    template = tmp_path / "bao-cao-so-ket.docx"
    document = Document()
    document.add_paragraph(source)
    document.save(template)
    with pytest.raises(SecurityError) as caught:
        render_docx(template, {}, tmp_path / "out.docx")
    assert str(caught.value).startswith("Mẫu bao-cao-so-ket.docx bị từ chối: mẫu đòi dùng ")
    assert named in str(caught.value)
    assert not (tmp_path / "out.docx").exists()
