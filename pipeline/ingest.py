"""Stage 1: find the period's returns and read every workbook into raw cell grids.

Nothing is interpreted here; a file that cannot be read becomes a `Problem` and
the other files go on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.contract import RETURN_EXTENSIONS
from pipeline.model import IngestResult, Problem, Workbook
from pipeline.workbooks import read_sheets

# Files the office itself keeps beside the returns; not worth a note.
OFFICE_FILES = frozenset({"bao-cao.yaml", "hoi-nghi.yaml"})


def is_lock_file(path: Path) -> bool:
    """Excel's `~$name.xlsx` and LibreOffice's `.~lock.name#` while a file is open."""
    return path.name.startswith(("~$", ".~lock."))


def ingest(period_dir: Path, on_progress: Callable[[int, int], None] | None = None) -> IngestResult:
    """`on_progress(done, total)` is called as files are read, for a progress bar."""
    workbooks: list[Workbook] = []
    unreadable: list[Problem] = []
    ignored: list[str] = []
    if not period_dir.is_dir():
        return IngestResult((), (), ())
    paths = sorted(period_dir.iterdir(), key=lambda p: p.name)
    for done, path in enumerate(paths, start=1):
        if on_progress:
            on_progress(done, len(paths))
        if not path.is_file() or is_lock_file(path) or path.name in OFFICE_FILES:
            continue
        if path.name.startswith(".") or path.suffix.lower() not in RETURN_EXTENSIONS:
            ignored.append(path.name)
            continue
        try:
            sheets = read_sheets(path)
        except Exception as error:  # calamine raises many kinds; any of them means unreadable
            unreadable.append(
                Problem(
                    file=path.name,
                    found=f"không mở được tệp ({type(error).__name__}: {str(error)[:200]})",
                    expected="một bảng tính Excel (.xlsx, .xls) hoặc .ods lưu đúng định dạng, không đặt mật khẩu",
                )
            )
            continue
        workbooks.append(Workbook(path, path.name, path.stat().st_mtime, sheets))
    return IngestResult(tuple(workbooks), tuple(unreadable), tuple(ignored))
