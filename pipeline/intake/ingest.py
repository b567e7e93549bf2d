"""Stage 1: find the period's returns and read every workbook into raw cell grids.

Nothing is interpreted here; a file that cannot be read becomes a `Problem` and
the other files go on.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pipeline.core.model import IngestResult, Problem, ReturnFiles, Workbook
from pipeline.core.parallel import ordered_map
from pipeline.intake.cells import without_controls
from pipeline.intake.contract import RETURN_EXTENSIONS
from pipeline.intake.workbooks import SAVE_AS_XLSX, UnreadableWorkbook, read_workbook

# Files the office itself keeps beside the returns; not worth a note.
OFFICE_FILES = frozenset({"bao-cao.yaml", "hoi-nghi.yaml"})


def is_lock_file(path: Path) -> bool:
    """Excel's `~$name.xlsx` and LibreOffice's `.~lock.name#` while a file is open."""
    return path.name.startswith(("~$", ".~lock."))


def display_name(name: str) -> str:
    """A file name (or path) from the file system as it can be printed and written
    anywhere: bytes that are not UTF-8 shown as �, NFC, control characters dropped."""
    return without_controls(unicodedata.normalize("NFC", os.fsencode(name).decode("utf-8", errors="replace")))


def read_return(entry: tuple[str, Path]) -> Workbook | Problem:
    """One return, (display name, path), read; a `Problem` when it cannot be."""
    name, path = entry
    try:
        return Workbook(path, name, read_workbook(path))
    except UnreadableWorkbook as error:
        return Problem(file=name, found=error.found, expected=error.expected, fix=error.fix)
    except OSError as error:
        return Problem(file=name, found=f"không mở được tệp ({without_controls(error.strerror or str(error))})",
                       expected="tệp đọc được", fix="Kiểm tra quyền đọc tệp, chép lại tệp vào thư mục rồi chạy lại")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 — a Rust panic in calamine arrives as a BaseException
        detail = without_controls(f"{type(error).__name__}: {error}")[:160]
        return Problem(file=name, found=f"tệp hỏng, không đọc được (chi tiết kỹ thuật: {detail})",
                       expected="một bảng tính Excel (.xlsx) lưu đúng định dạng", fix=SAVE_AS_XLSX)


def find_returns(period_dir: Path) -> ReturnFiles:
    """The returns in a period's folder, in name order, and the files that are not returns."""
    if not period_dir.is_dir():
        return ReturnFiles((), ())
    returns: list[tuple[str, Path]] = []
    ignored: list[str] = []
    for path in sorted(period_dir.iterdir(), key=lambda p: p.name):
        if not path.is_file() or is_lock_file(path) or path.name in OFFICE_FILES:
            continue
        name = display_name(path.name)
        if path.name.startswith(".") or path.suffix.lower() not in RETURN_EXTENSIONS:
            ignored.append(name)
        else:
            returns.append((name, path))
    return ReturnFiles(tuple(returns), tuple(ignored))


def ingest(period_dir: Path, on_progress: Callable[[int, int], None] | None = None) -> IngestResult:
    """Every return of the period read. `on_progress(done, total)` is called as files
    are read, for a progress bar."""
    files = find_returns(period_dir)
    workbooks: list[Workbook] = []
    unreadable: list[Problem] = []
    for read in ordered_map(read_return, files.returns, on_progress):
        if isinstance(read, Workbook):
            workbooks.append(read)
        else:
            unreadable.append(read)
    return IngestResult(tuple(workbooks), tuple(unreadable), files.ignored)
