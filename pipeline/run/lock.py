"""One run per period at a time.

Two runs writing the same `outputs/<PERIOD>/` would interleave their documents.
The lock is the operating system's lock on a file: a POSIX record lock (`lockf`)
on Linux and macOS, `msvcrt.locking` on Windows. The system releases it when the
holder exits, however it exits, so a killed run never leaves a stale lock behind;
and neither kind passes to a child process, so the pool workers of a killed run
cannot keep the period locked (a `flock`, which a forked child shares, could).
The lock file sits beside the period folder, not in it (the folder holds only
documents, and a run replaces it whole), is opened without following links and
is removed on release.

The holder writes who it is into a small file beside the lock, so the run that is
refused can name it.
"""

from __future__ import annotations

import errno
import importlib
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from types import ModuleType

from pipeline.core.files import write_json

LOCK_SUFFIX = ".dang-chay.lock"
HOLDER_SUFFIX = ".dang-chay.json"
# What a refused non-blocking lock raises: EAGAIN or EACCES (POSIX), EACCES or EDEADLK (msvcrt).
_HELD_ELSEWHERE = frozenset({errno.EAGAIN, errno.EACCES, errno.EDEADLK})


# The lock files this process holds, by device and inode.
_held: set[tuple[int, int]] = set()


class RunLockedError(Exception):
    """Another run holds the period."""


def lock_paths(folder: Path) -> tuple[Path, Path]:
    """The lock file and the holder's note for the period folder `folder`: hidden files beside it."""
    return (folder.with_name(f".{folder.name}{LOCK_SUFFIX}"), folder.with_name(f".{folder.name}{HOLDER_SUFFIX}"))


def _module(name: str) -> ModuleType | None:
    """`fcntl` or `msvcrt` where the system has it (each exists on one family only)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _lock(descriptor: int) -> None:
    """Take the lock without waiting; OSError with a `_HELD_ELSEWHERE` errno when taken."""
    if (fcntl := _module("fcntl")) is not None:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    elif (msvcrt := _module("msvcrt")) is not None:
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    else:
        raise OSError(errno.ENOLCK, "hệ điều hành này không có cách khóa tệp mà chương trình dùng được")


def _identity(descriptor: int) -> tuple[int, int]:
    status = os.fstat(descriptor)
    return status.st_dev, status.st_ino


def _unlock(descriptor: int) -> None:
    """Windows asks for the region to be unlocked before the file is closed."""
    if _module("fcntl") is None and (msvcrt := _module("msvcrt")) is not None:
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)


def _open_lock_file(path: Path) -> int:
    # No O_TRUNC: the file holds nothing, and a refused run must not change it.
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, 0o644)


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
    descriptor = _open_lock_file(lock_file)
    identity = _identity(descriptor)
    try:
        if identity in _held:  # a record lock is the process's: taking it again would succeed
            raise OSError(errno.EAGAIN, "held by this process")
        _lock(descriptor)
    except OSError as error:
        os.close(descriptor)
        if error.errno in _HELD_ELSEWHERE:
            raise RunLockedError(
                f"{period_label} đang được chạy bởi {_describe(note)}. Chờ lần chạy đó xong rồi chạy lại."
            ) from None
        raise
    _held.add(identity)
    try:
        write_json(note, _holder())
        yield
    finally:
        _held.discard(identity)
        with suppress(FileNotFoundError):
            note.unlink()
        _remove_and_release(lock_file, descriptor)


def _remove_and_release(lock_file: Path, descriptor: int) -> None:
    """Remove the lock file while still holding it, then let go: a run that opened it
    before fails to lock it and says so; one that opens it after makes a new file,
    the work here being done. Windows removes no open file: there the lock goes
    first, and the file stays if another run has opened it since."""
    try:
        lock_file.unlink(missing_ok=True)
    except PermissionError:
        _unlock(descriptor)
        os.close(descriptor)
        with suppress(OSError):
            lock_file.unlink(missing_ok=True)
        return
    os.close(descriptor)  # releases the lock
