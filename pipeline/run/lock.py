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

# The descriptors of the locks this process holds. A forked child (a worker of the
# process pool) shares them, and a flock lasts while any process shares it: were
# the run killed, its workers would keep the period locked until they end too.
_held: set[int] = set()


def _let_go_in_child() -> None:
    """In a forked child, point each held lock's descriptor at /dev/null: the child no
    longer shares the lock, and the descriptor number stays valid for the file object
    that will close it."""
    if not _held:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for descriptor in _held:
        os.dup2(null, descriptor)
    os.close(null)
    _held.clear()


os.register_at_fork(after_in_child=_let_go_in_child)


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
        _held.add(lock_file.fileno())
        try:
            lock_file.seek(0)
            lock_file.truncate()
            lock_file.write(json.dumps(_holder(), ensure_ascii=False))
            lock_file.flush()
            yield
        finally:
            _held.discard(lock_file.fileno())
            lock_file.seek(0)
            lock_file.truncate()
            fcntl.flock(lock_file, fcntl.LOCK_UN)
