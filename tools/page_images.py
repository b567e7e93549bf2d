"""Page images of a period's documents, for a person to look at.

    python tools/page_images.py OUTPUT_PERIOD_FOLDER LABEL

converts the report, minutes, news item, both workbooks and a few feedback
sheets to PDF with LibreOffice (one call) and writes PNG pages at 60 dpi with
pdftoppm into ``outputs/test-artifacts/LABEL/<document>/`` (git-ignored).

    python tools/page_images.py --compare BEFORE_PERIOD_FOLDER AFTER_PERIOD_FOLDER

does the same for two runs of a period (before and after a change) and writes each
document's pages into ``outputs/test-artifacts/<document>/before/`` and ``…/after/``,
with ``outputs/test-artifacts/index.html`` showing them side by side, page by page.
"""

from __future__ import annotations

import html
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.render.pdf import convert_to_pdf  # noqa: E402

ARTIFACTS = ROOT / "outputs" / "test-artifacts"
DOCUMENTS = ("bao-cao-so-ket.docx", "bien-ban-hoi-nghi.docx", "tin-bai.docx", "phu-luc.xlsx",
             "tinh-trang-bao-cao.xlsx")
FEEDBACK_SHEETS = 3
SIDES = {"before": "Trước", "after": "Sau"}


def _sources(folder: Path) -> list[Path]:
    sources = [folder / name for name in DOCUMENTS if (folder / name).is_file()]
    return sources + sorted((folder / "phan-hoi").glob("*.docx"))[:FEEDBACK_SHEETS]


def _pages(pdf: Path, out: Path) -> list[Path]:
    """`pdf`'s pages as PNG files in `out`, the images of an earlier call removed."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("trang-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / "trang")], check=True)
    return sorted(out.glob("trang-*.png"))


def main(folder: Path, label: str) -> Path:
    out = ARTIFACTS / label
    out.mkdir(parents=True, exist_ok=True)
    for pdf in convert_to_pdf(_sources(folder), out):
        _pages(pdf, out / pdf.stem)
    return out


def compare(before: Path, after: Path) -> Path:
    """Both runs' pages under each document's folder, and the index that sets them side by side."""
    documents: dict[str, dict[str, list[Path]]] = {}
    for side, folder in (("before", before), ("after", after)):
        sources = _sources(folder)
        # A feedback sheet's folder named as the tests name it (tests/conftest.py).
        names = {s.stem: f"phan-hoi-{s.stem}" if s.parent.name == "phan-hoi" else s.stem for s in sources}
        with tempfile.TemporaryDirectory() as pdfs:
            for pdf in convert_to_pdf(sources, Path(pdfs)):
                name = names[pdf.stem]
                documents.setdefault(name, {})[side] = _pages(pdf, ARTIFACTS / name / side)
    index = ARTIFACTS / "index.html"
    index.write_text(index_html(documents, ARTIFACTS), encoding="utf-8")
    return index


def index_html(documents: Mapping[str, Mapping[str, Sequence[Path]]], base: Path) -> str:
    """A page per document: a row per page number, its image before and after (or a
    note where one run has no such page, or no such document)."""
    def cell(pages: Sequence[Path], number: int) -> str:
        if number >= len(pages):
            return "<td>(không có trang này)</td>"
        source = html.escape(pages[number].relative_to(base).as_posix())
        return f'<td><a href="{source}"><img src="{source}" alt="trang {number + 1}"></a></td>'

    parts = ['<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
             "<title>Ảnh trang văn bản: trước và sau thay đổi</title>\n"
             "<style>img{max-width:100%;border:1px solid #999}td{vertical-align:top;width:50%}"
             "table{width:100%;border-collapse:collapse}</style>\n</head>\n<body>\n"
             "<h1>Ảnh trang văn bản: trước và sau thay đổi</h1>\n"]
    for name, sides in sorted(documents.items()):
        count = max(len(sides.get(side, ())) for side in SIDES)
        parts.append(f"<h2>{html.escape(name)}</h2>\n<table>\n<tr>"
                     + "".join(f"<th>{title} ({len(sides.get(side, ()))} trang)</th>" for side, title in SIDES.items())
                     + "</tr>\n")
        for number in range(count):
            parts.append("<tr>" + "".join(cell(sides.get(side, ()), number) for side in SIDES) + "</tr>\n")
        parts.append("</table>\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"] and len(sys.argv) == 4:
        print(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    elif len(sys.argv) == 3:
        print(main(Path(sys.argv[1]), sys.argv[2]))
    else:
        sys.exit(__doc__)
