"""Page images of a period's documents, for a person to look at.

    python tools/page_images.py OUTPUT_PERIOD_FOLDER LABEL

converts the report, minutes, news item, both workbooks and a few feedback
sheets to PDF with LibreOffice (one call) and writes PNG pages at 60 dpi with
pdftoppm into ``outputs/test-artifacts/LABEL/`` (git-ignored), so a "before"
and an "after" set can be compared side by side.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.render.pdf import convert_to_pdf  # noqa: E402

DOCUMENTS = ("bao-cao-so-ket.docx", "bien-ban-hoi-nghi.docx", "tin-bai.docx", "phu-luc.xlsx",
             "tinh-trang-bao-cao.xlsx")
FEEDBACK_SHEETS = 3


def main(folder: Path, label: str) -> Path:
    out = ROOT / "outputs" / "test-artifacts" / label
    out.mkdir(parents=True, exist_ok=True)
    sources = [folder / name for name in DOCUMENTS if (folder / name).is_file()]
    sources += sorted((folder / "phan-hoi").glob("*.docx"))[:FEEDBACK_SHEETS]
    for pdf in convert_to_pdf(sources, out):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / pdf.stem)], check=True)
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), sys.argv[2]))
