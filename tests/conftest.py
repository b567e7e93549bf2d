"""The two samples as an office prints them: each run once per test session and its
documents rendered by LibreOffice once, for the tests that read pages (page counts,
where lines break, what lands on which page).

Every page is also saved as an image (pdftoppm, 60 dpi) in
outputs/test-artifacts/<document>/<period>-<page>.png (not in git), for a person to
look at, before and after a change to the layout.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import ROOT, SAMPLE_INPUTS

from pipeline.render.pdf import convert_to_pdf, find_pdftotext, find_soffice
from pipeline.run.orchestrate import run_report
from pipeline.vn.periods import parse_period

SAMPLES = {"2020-11": SAMPLE_INPUTS, "2025-Q3": ROOT / "samples" / "tinh-an-giang" / "inputs"}
DOCUMENTS = ("bao-cao-so-ket.docx", "bien-ban-hoi-nghi.docx", "tin-bai.docx", "phu-luc.xlsx",
             "tinh-trang-bao-cao.xlsx")
# Feedback sheets read in the 2020 sample's tests by name, besides one of each kind.
SHEETS_2020 = ("10171-phu-xuyen", "10222-chau-can", "10198-hong-thai-tep-cu")
ARTIFACTS = ROOT / "outputs" / "test-artifacts"

needs_libreoffice = pytest.mark.skipif(
    find_soffice() is None or find_pdftotext() is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) hoặc poppler-utils chưa được cài (CI cài: libreoffice-writer-nogui, "
           "fonts-liberation, poppler-utils)")


@dataclass(frozen=True)
class Rendered:
    folder: Path  # outputs/<PERIOD> of the run
    pdfs: dict[str, Path]  # by the document's name without suffix; a feedback sheet's as `phan-hoi/<stem>`

    def source(self, name: str) -> Path:
        """The .docx or .xlsx a PDF was made from."""
        return next(p for p in (self.folder / f"{name}.docx", self.folder / f"{name}.xlsx") if p.is_file())


def _sheets(result, folder: Path) -> list[Path]:
    """One feedback sheet of each kind, the longest (most rows listed) and the named ones."""
    first: dict[object, Path] = {}
    for row in result.status_rows:
        if row.feedback:
            first.setdefault(row.status, folder / row.feedback)
    every = sorted((folder / "phan-hoi").glob("*.docx"))
    named = [folder / "phan-hoi" / f"{stem}.docx" for stem in SHEETS_2020]
    chosen = [*first.values(), max(every, key=lambda p: p.stat().st_size), *(p for p in named if p.is_file())]
    return list(dict.fromkeys(chosen))


def _page_images(pdf: Path, document: str, period: str) -> None:
    out = ARTIFACTS / document
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{period}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / period)], check=True)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Callable[[str], Rendered]:
    """`rendered(period)`: that sample's run and its PDFs, made on first use."""
    done: dict[str, Rendered] = {}

    def render(period: str) -> Rendered:
        if period not in done:
            outputs = tmp_path_factory.mktemp(f"outputs-{period}")
            result = run_report(parse_period(period), SAMPLES[period], outputs)
            folder = outputs / period
            sources = [folder / name for name in DOCUMENTS if (folder / name).is_file()]
            sheets = _sheets(result, folder)
            # Apart from the run's folder: a PDF beside its .docx would be read by the checker too.
            converted = convert_to_pdf([*sources, *sheets], tmp_path_factory.mktemp(f"pdf-{period}"))
            pdfs = {("phan-hoi/" if source in sheets else "") + pdf.stem: pdf
                    for source, pdf in zip([*sources, *sheets], converted, strict=True)}
            for name, pdf in pdfs.items():
                _page_images(pdf, name.replace("/", "-"), period)
            done[period] = Rendered(folder, pdfs)
        return done[period]

    return render
