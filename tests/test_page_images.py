"""tools/page_images.py's side-by-side index of pages before and after a change."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

from builders import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import page_images  # noqa: E402  (tools/ is not a package)


class _Rows(HTMLParser):
    """The index's rows: each one's cells, an image's source or the cell's text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "img":
            self.rows[-1].append(dict(attrs)["src"])

    def handle_data(self, data):
        if self.rows and data.strip() and self.lasttag in ("td", "th"):
            self.rows[-1].append(data.strip())


def test_the_index_sets_each_page_before_beside_after(tmp_path):
    def pages(document: str, side: str, count: int) -> list[Path]:
        return [tmp_path / document / side / f"trang-{n}.png" for n in range(1, count + 1)]

    index = page_images.index_html({
        "phu-luc": {"before": pages("phu-luc", "before", 2), "after": pages("phu-luc", "after", 1)},
        "phan-hoi-10171-phu-xuyen": {"after": pages("phan-hoi-10171-phu-xuyen", "after", 1)},
    }, tmp_path)
    parser = _Rows()
    parser.feed(index)
    assert parser.rows == [
        ["Trước (0 trang)", "Sau (1 trang)"],
        ["(không có trang này)", "phan-hoi-10171-phu-xuyen/after/trang-1.png"],
        ["Trước (2 trang)", "Sau (1 trang)"],
        ["phu-luc/before/trang-1.png", "phu-luc/after/trang-1.png"],
        ["phu-luc/before/trang-2.png", "(không có trang này)"],
    ]
    assert '<html lang="vi">' in index and "<h2>phu-luc</h2>" in index
