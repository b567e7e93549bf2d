"""One run per period at a time.

Two runs writing the same `outputs/<PERIOD>/` would interleave their documents.
The lock is an advisory `flock` on a file in that folder: the kernel releases it
when the holder exits, however it exits, so a killed run never leaves a stale
lock behind. The holder writes who it is into the file, so the run that is
refused can name it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

LOCK_FILE = ".dang-chay.lock"


class RunLockedError(Exception):
    """Another run holds the period."""


def _holder() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now().strftime("%H:%M:%S ngày %d/%m/%Y"),
        "command": " ".join(sys.argv),
    }


def _describe(lock_file: IO[str]) -> str:
    lock_file.seek(0)
    try:
        holder = json.loads(lock_file.read())
        return (f"tiến trình {holder['pid']} trên máy {holder['host']}, bắt đầu lúc {holder['started']} "
                f"(lệnh: {holder['command']})")
    except (ValueError, KeyError, TypeError):
        return "một lần chạy khác (chưa ghi được thông tin)"


@contextmanager
def period_lock(folder: Path, period_label: str) -> Iterator[None]:
    """Hold the period's output folder for the duration of the block."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    with open(path, "a+", encoding="utf-8") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLockedError(
                f"{period_label} đang được chạy bởi {_describe(lock_file)}. "
                f"Chờ lần chạy đó xong rồi chạy lại."
            ) from None
        try:
            lock_file.seek(0)
            lock_file.truncate()
            lock_file.write(json.dumps(_holder(), ensure_ascii=False))
            lock_file.flush()
            yield
        finally:
            lock_file.seek(0)
            lock_file.truncate()
            fcntl.flock(lock_file, fcntl.LOCK_UN)
