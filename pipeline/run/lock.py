"""One run per period at a time.

Two runs writing the same `outputs/<PERIOD>/` would interleave their documents.
The lock is an operating-system file lock (`filelock`: flock on Linux and macOS,
LockFileEx on Windows), which the system releases when the holder exits, however
it exits, so a killed run never leaves a stale lock behind; a pool worker forked
by the holder does not inherit it. The lock file sits beside the period folder,
not in it (the folder holds only documents, and a run may replace it whole), is
opened without following links and is removed on release.

The holder writes who it is into a small file beside the lock, so the run that is
refused can name it.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.core.files import write_json

LOCK_SUFFIX = ".dang-chay.lock"
HOLDER_SUFFIX = ".dang-chay.json"


class RunLockedError(Exception):
    """Another run holds the period."""


def lock_paths(folder: Path) -> tuple[Path, Path]:
    """The lock file and the holder's note for the period folder `folder`: hidden files beside it."""
    return (folder.with_name(f".{folder.name}{LOCK_SUFFIX}"), folder.with_name(f".{folder.name}{HOLDER_SUFFIX}"))


def _holder() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now().strftime("%H:%M:%S ngày %d/%m/%Y"),
        "command": " ".join(sys.argv),
    }


def _describe(note: Path) -> str:
    try:
        holder = json.loads(note.read_text(encoding="utf-8"))
        return (f"tiến trình {holder['pid']} trên máy {holder['host']}, bắt đầu lúc {holder['started']} "
                f"(lệnh: {holder['command']})")
    except (OSError, ValueError, KeyError, TypeError):
        return "một lần chạy khác (chưa ghi được thông tin)"


@contextmanager
def period_lock(folder: Path, period_label: str) -> Iterator[None]:
    """Hold the period folder `folder` for the duration of the block."""
    lock_file, note = lock_paths(folder)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_file, blocking=False)
    try:
        lock.acquire()
    except Timeout:
        raise RunLockedError(
            f"{period_label} đang được chạy bởi {_describe(note)}. Chờ lần chạy đó xong rồi chạy lại."
        ) from None
    try:
        write_json(note, _holder())
        yield
    finally:
        with suppress(FileNotFoundError):
            note.unlink()
        lock.release()
