"""Stage 1: find the period's returns and read every workbook into raw cell grids.

Nothing is interpreted here; a file that cannot be read becomes a `Problem` and
the other files go on.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pipeline.core.model import FileDigest, IngestResult, Problem, ReturnFiles, UnreadableFile, Workbook
from pipeline.core.parallel import ordered_map
from pipeline.intake.cells import without_controls
from pipeline.intake.confirmations import CONFIRMATIONS_FILE
from pipeline.intake.contract import PERIOD_SETTINGS_FILE, RETURN_EXTENSIONS
from pipeline.intake.meeting import MEETING_FILE
from pipeline.intake.rules import RULES_FILE
from pipeline.intake.workbooks import SAVE_AS_XLSX, UnreadableWorkbook, read_file, sheets_in

# Files the office itself keeps beside the returns; not worth a note.
OFFICE_FILES = frozenset({PERIOD_SETTINGS_FILE, MEETING_FILE, RULES_FILE, CONFIRMATIONS_FILE})


def is_lock_file(path: Path) -> bool:
    """Excel's `~$name.xlsx` and LibreOffice's `.~lock.name#` while a file is open."""
    return path.name.startswith(("~$", ".~lock."))


# Every control character, line breaks and tabs too: in a file name they would forge
# lines in the terminal summary; and the bidirectional overrides.
_NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return match[0].encode("unicode_escape").decode("ascii")


def display_name(name: str) -> str:
    """A file name (or path) from the file system as it can be printed and written
    anywhere, NFC, what cannot be shown written out visibly: a byte that is not
    UTF-8 as `\\xff`, a control character as `\\r`, `\\n`, `\\x1b`… Two names may
    display alike (NFC and NFD forms of one name): `find_returns` tells them apart."""
    text = unicodedata.normalize("NFC", os.fsencode(name).decode("utf-8", errors="backslashreplace"))
    return _NAME_CONTROLS.sub(_escaped, text)


def _every_code_point(name: str) -> str:
    """The name with every character that is not printable ASCII written as its code point."""
    text = os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return re.sub(r"[^\x20-\x7e]", _escaped, text)


def display_names(paths: list[Path]) -> dict[Path, str]:
    """Each file's display name, different for different files: of files that would
    display alike, the one whose name is already as displayed keeps it, the others
    show every code point (`Tie\\u0302\\u0301n`), numbered if even that is alike."""
    names: dict[Path, str] = {}
    taken: set[str] = set()
    alike = Counter(display_name(path.name) for path in paths)
    for path in sorted(paths, key=lambda p: (display_name(p.name) != p.name, os.fsencode(p.name))):
        name = display_name(path.name)
        if alike[name] > 1 and name != path.name:
            name = _every_code_point(path.name)
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name} (tệp thứ {n})"
        taken.add(candidate)
        names[path] = candidate
    return names


# Exceptions that only a mistake in this program raises while reading; everything a
# damaged file can cause is caught as that (zip, XML, calamine, struct, ValueError ...).
PROGRAM_ERRORS = (TypeError, AttributeError, NameError, AssertionError, ImportError)


def read_return(entry: tuple[str, Path]) -> Workbook | UnreadableFile:
    """One return, (display name, path), read once: its sheets and the digest of the
    bytes they came from; an `UnreadableFile` when it cannot be read."""
    name, path = entry
    digest = None
    try:
        data = read_file(path)
        digest = FileDigest.of(data)
        return Workbook(path, name, sheets_in(data, path.suffix), digest)
    except UnreadableWorkbook as error:
        problem = Problem(file=name, found=error.found, expected=error.expected, fix=error.fix)
    except OSError as error:
        problem = Problem(file=name, found=f"không mở được tệp ({without_controls(error.strerror or str(error))})",
                          expected="tệp đọc được",
                          fix="Kiểm tra quyền đọc tệp, chép lại tệp vào thư mục rồi chạy lại")
    except (KeyboardInterrupt, SystemExit):
        raise
    except PROGRAM_ERRORS as error:
        # A fault of this program, not of the file: the clerk must not be told to save it again.
        detail = without_controls(f"{type(error).__name__}: {error}")[:160]
        problem = Problem(file=name, found=f"chương trình gặp lỗi khi đọc tệp này (lỗi của chương trình, không phải "
                                           f"của tệp; chi tiết kỹ thuật: {detail})",
                          expected="chương trình đọc được tệp",
                          fix="Xã không cần sửa tệp; văn phòng báo lỗi này, kèm tệp, cho người phụ trách chương trình")
    except BaseException as error:  # noqa: BLE001 — a Rust panic in calamine arrives as a BaseException
        detail = without_controls(f"{type(error).__name__}: {error}")[:160]
        problem = Problem(file=name, found=f"tệp hỏng, không đọc được (chi tiết kỹ thuật: {detail})",
                          expected="một bảng tính Excel (.xlsx) lưu đúng định dạng", fix=SAVE_AS_XLSX)
    return UnreadableFile(problem, digest)


def find_returns(period_dir: Path) -> ReturnFiles:
    """The returns in a period's folder, in name order, and the files that are not
    returns; each named by a display name no other file of the folder has, so that
    the name is as good a key as the path."""
    if not period_dir.is_dir():
        return ReturnFiles((), ())
    returns: list[tuple[str, Path]] = []
    ignored: list[str] = []
    paths = sorted((path for path in period_dir.iterdir()
                    if path.is_file() and not is_lock_file(path) and path.name not in OFFICE_FILES),
                   key=lambda p: p.name)
    names = display_names(paths)
    for path in paths:
        name = names[path]
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
    unreadable: list[UnreadableFile] = []
    for read in ordered_map(read_return, files.returns, on_progress):
        if isinstance(read, Workbook):
            workbooks.append(read)
        else:
            unreadable.append(read)
    return IngestResult(tuple(workbooks), tuple(unreadable), files.ignored)
