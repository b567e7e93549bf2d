"""PDF copies: the sample report through LibreOffice once, read back with
poppler; missing LibreOffice, a hung one and a failed one, with stand-ins."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from builders import SAMPLE_INPUTS
from docx import Document

from pipeline.render.pdf import MISSING, PdfError, convert_to_pdf, find_soffice
from pipeline.run.orchestrate import run_report
from pipeline.vn.numbers import format_money
from pipeline.vn.periods import parse_period

needs_libreoffice = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) hoặc poppler-utils chưa được cài (CI cài: libreoffice-writer-nogui, "
           "fonts-liberation, poppler-utils)")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    result = run_report(parse_period("2020-11"), SAMPLE_INPUTS, tmp_path_factory.mktemp("outputs"))
    report = next(p for p in result.written if p.name == "bao-cao-so-ket.docx")
    before = report.read_bytes()
    pdfs = convert_to_pdf([report], tmp_path_factory.mktemp("pdf"))
    return result, report, before, pdfs


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


@needs_libreoffice
def test_report_pdf_has_its_pages(converted):
    _, _, _, pdfs = converted
    info = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3
    assert "(A4)" in info


@needs_libreoffice
def test_report_pdf_holds_the_text_and_figures(converted):
    result, report, _, pdfs = converted
    paid = format_money(result.statistics.severance.paid_amount)
    docx_text = " ".join(" ".join(p.text for p in Document(report).paragraphs).split())
    assert paid in docx_text  # the figure as the .docx writes it…
    text = pdf_text(pdfs[0])
    assert "BÁO CÁO" in text
    assert "25/27" in text
    # …is in the PDF (pdftotext may split a justified line's letters with spaces)
    assert "".join(paid.split()) in "".join(text.split())


@needs_libreoffice
def test_the_docx_stays_as_it_was(converted):
    _, report, before, pdfs = converted
    assert report.read_bytes() == before
    assert [p.name for p in pdfs] == ["bao-cao-so-ket.pdf"]


def stand_in(folder: Path, script: str) -> Path:
    """A fake `soffice` first on PATH."""
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    fake.chmod(0o755)
    return folder


def test_missing_libreoffice_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"x")
    with pytest.raises(PdfError) as error:
        convert_to_pdf([docx], tmp_path / "pdf")
    assert str(error.value) == MISSING == ("Không tìm thấy LibreOffice (soffice). "
                                           "Cài đặt: apt-get install libreoffice-writer-nogui fonts-liberation")


def test_a_hung_libreoffice_is_stopped(tmp_path, monkeypatch):
    fake = stand_in(tmp_path / "bin", "sleep 30 & sleep 30")  # a child too, as soffice has soffice.bin
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"x")
    started = time.monotonic()
    with pytest.raises(PdfError, match="sau 1 giây nên đã bị dừng"):
        convert_to_pdf([docx], tmp_path / "pdf", timeout=1)
    assert time.monotonic() - started < 10


def test_a_failed_conversion_keeps_the_previous_pdf(tmp_path, monkeypatch):
    fake = stand_in(tmp_path / "bin", "echo 'Error: source file could not be loaded' >&2; exit 1")
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"x")
    out = tmp_path / "pdf"
    out.mkdir()
    (out / "a.pdf").write_bytes(b"%PDF good")
    with pytest.raises(PdfError, match="không tạo được tệp PDF cho a.docx .*could not be loaded"):
        convert_to_pdf([docx], out)
    assert (out / "a.pdf").read_bytes() == b"%PDF good"


CONVERTER = r'''out=""; next=""
for arg in "$@"; do
  if [ "$next" = 1 ]; then out="$arg"; next=""; continue; fi
  case "$arg" in
    --outdir) next=1 ;;
    *.docx) name=$(basename "$arg" .docx); echo "convert $arg -> $out/$name.pdf using filter : writer_pdf_Export"
            printf '%%PDF-1.4 %s' "$name" > "$out/$name.pdf" ;;
  esac
done'''


def test_each_document_converted_moves_the_progress_on(tmp_path, monkeypatch):
    """LibreOffice prints a line as it takes each document: the bar follows it."""
    fake = stand_in(tmp_path / "bin", CONVERTER)
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    documents = []
    for name in ("a", "b", "c"):
        documents.append(tmp_path / f"{name}.docx")
        documents[-1].write_bytes(b"x")
    steps = []
    written = convert_to_pdf(documents, tmp_path / "pdf", on_done=lambda done, total: steps.append((done, total)))
    assert steps == [(1, 3), (2, 3), (3, 3)]
    assert [p.read_bytes() for p in written] == [b"%PDF-1.4 a", b"%PDF-1.4 b", b"%PDF-1.4 c"]
