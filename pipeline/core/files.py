"""Writing output files.

Everything is written to a temporary file beside the target and renamed into
place, so an interrupted run never leaves a half-written document where a good
one was. Office files are zip archives; their entries get a fixed timestamp so
the same inputs give byte-identical files.
"""

from __future__ import annotations

import io
import json
import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported where a workbook is written: checking returns never does
    from openpyxl import Workbook

ZIP_EPOCH = datetime(1980, 1, 1)  # the earliest time a zip entry can carry


_TEMPORARY_SUFFIX = ".tmp"


# A new file, never an existing one nor the target of a link planted at its name.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def write_bytes(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    # A plain open rather than mkstemp, so the file gets the usual permissions.
    temporary = target.with_name(f".{target.name}.{os.getpid()}{_TEMPORARY_SUFFIX}")
    temporary.unlink(missing_ok=True)  # one a killed process of the same id left; unlink never follows a link
    try:
        with open(os.open(temporary, _CREATE, 0o666), "wb") as handle:
            handle.write(data)
        # A rename replaces a link at `target` itself, never the file it points at.
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def write_json(target: Path, data: Any) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return write_bytes(target, text.encode("utf-8"))


# --- zip archives ------------------------------------------------------------------
#
# A small writer that gives, byte for byte, what `zipfile.ZipFile(buffer, "w",
# ZIP_DEFLATED)` gives for `writestr(ZipInfo(name, date_time=stamp), data)` (Python
# 3.11's zipfile.py: `ZipInfo.FileHeader`, `_ZipWriteFile`, `_write_end_record`).
# It exists so an entry deflated once (a template's styles, theme, settings…) can
# go into many archives without being deflated again: `zipfile` has no way to take
# data already compressed. tests/test_outputs.py checks it against `zipfile`.

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")  # structCentralDir
_END_RECORD = struct.Struct("<4s4H2LH")  # structEndArchive
_VERSION = 20  # zipfile's DEFAULT_VERSION: "made by" and "needed to extract" for deflate
_CREATED_ON = 0 if sys.platform == "win32" else 3  # MS-DOS or Unix, as ZipInfo decides
_UTF8_NAME = 1 << 11  # general purpose flag bit 11, set only for a name that is not ASCII
_PERMISSIONS = 0o600 << 16  # ?rw-------, what zipfile gives an entry without attributes
_LARGEST = (1 << 31) - 1  # zipfile's ZIP64_LIMIT; beyond it (or 65,535 entries) it writes
#                           ZIP64 records, which this writer does not


@dataclass(frozen=True, slots=True)
class Deflated:
    """One zip entry, compressed: everything its headers record but the date."""

    name: bytes  # as stored: ASCII, else UTF-8 with the flag saying so
    flags: int
    crc: int
    size: int
    data: bytes  # deflated


def deflate(name: str, data: bytes) -> Deflated:
    """The entry as `zipfile` compresses it; it can go into any number of archives."""
    # ZipInfo ends a name at its first NUL (a virus trick), and on Windows turns "\\" into "/".
    name = name.partition("\0")[0]
    if os.sep != "/":
        name = name.replace(os.sep, "/")
    try:
        stored, flags = name.encode("ascii"), 0
    except UnicodeEncodeError:
        stored, flags = name.encode("utf-8"), _UTF8_NAME
    # zipfile switches to ZIP64 headers once the size may pass `_LARGEST` (its 1.05 margin).
    if len(data) * 1.05 > _LARGEST:
        raise ValueError(f"{name}: {len(data)} bytes would need ZIP64 headers")
    # zipfile feeds the data to one compressor in one `compress` call, then `flush`es:
    # raw deflate (wbits -15, no zlib header), default level and memory.
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush()
    return Deflated(stored, flags, zlib.crc32(data), len(data), deflated)


def zip_deflated(entries: Iterable[Deflated], stamp: datetime = ZIP_EPOCH) -> bytes:
    """An archive of the entries in that order, every entry dated `stamp`."""
    if stamp.year < 1980:
        raise ValueError("ZIP does not support timestamps before 1980")
    date = (stamp.year - 1980) << 9 | stamp.month << 5 | stamp.day  # MS-DOS date and time,
    time = stamp.hour << 11 | stamp.minute << 5 | stamp.second // 2  # to the even second
    archive = bytearray()
    directory = bytearray()
    count = 0
    for entry in entries:
        offset = len(archive)
        # Local header, name, data; no extra field, no data descriptor (the sizes are
        # known: zipfile writes to a seekable buffer and goes back to fill them in).
        archive += _LOCAL_HEADER.pack(b"PK\x03\x04", _VERSION, 0, entry.flags, zipfile.ZIP_DEFLATED, time, date,
                                      entry.crc, len(entry.data), entry.size, len(entry.name), 0)
        archive += entry.name
        archive += entry.data
        # Its central directory record: the same fields, plus who made it, no extra,
        # comment, disk or internal attributes, the permissions and where it starts.
        directory += _CENTRAL_HEADER.pack(b"PK\x01\x02", _VERSION, _CREATED_ON, _VERSION, 0, entry.flags,
                                          zipfile.ZIP_DEFLATED, time, date, entry.crc, len(entry.data),
                                          entry.size, len(entry.name), 0, 0, 0, 0, _PERMISSIONS, offset)
        directory += entry.name
        count += 1
    start = len(archive)
    if count > 0xFFFF or start > _LARGEST or len(directory) > _LARGEST:
        raise ValueError("the archive would need ZIP64 records")
    # End of central directory: one disk, the count twice, size and offset, no comment.
    end = _END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    return bytes(archive + directory + end)


def zip_entries(entries: Iterable[tuple[str, bytes]], stamp: datetime = ZIP_EPOCH) -> bytes:
    """An archive of (name, data) in that order, every entry dated `stamp`."""
    return zip_deflated((deflate(name, data) for name, data in entries), stamp)


def reproducible_zip(data: bytes, stamp: datetime = ZIP_EPOCH) -> bytes:
    """The same archive with every entry dated `stamp`."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return zip_entries(((entry.filename, source.read(entry)) for entry in source.infolist()), stamp)


class _Entries:
    """Stands in for the zip openpyxl's `ExcelWriter` writes into, keeping each entry
    (name, bytes) in order: zipped once afterwards, with fixed dates, instead of
    zipped with the clock's dates and then zipped again."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def writestr(self, name: str | zipfile.ZipInfo, data: str | bytes) -> None:
        name = name.filename if isinstance(name, zipfile.ZipInfo) else name
        self.entries.append((name, data.encode("utf-8") if isinstance(data, str) else data))

    def write(self, filename: str, arcname: str) -> None:  # a worksheet, from openpyxl's temporary file
        self.writestr(arcname, Path(filename).read_bytes())

    def namelist(self) -> list[str]:
        return [name for name, _ in self.entries]

    def close(self) -> None:
        pass


def write_workbook(workbook: Workbook, target: Path) -> Path:
    """openpyxl's own `save` stamps the current time into the properties and every
    zip entry; this keeps the workbook's properties and dates entries by them."""
    from openpyxl.writer.excel import ExcelWriter

    archive = _Entries()
    ExcelWriter(workbook, archive).save()
    return write_bytes(target, zip_entries(archive.entries, workbook.properties.modified or ZIP_EPOCH))
