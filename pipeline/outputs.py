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
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

ZIP_EPOCH = datetime(1980, 1, 1)  # the earliest time a zip entry can carry


_TEMPORARY_SUFFIX = ".tmp"


def write_bytes(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    # A plain open rather than mkstemp, so the file gets the usual permissions.
    temporary = target.with_name(f".{target.name}.{os.getpid()}{_TEMPORARY_SUFFIX}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def remove_leftovers(folder: Path) -> None:
    """Temporary files of a run that was killed before it could tidy up; call it
    only while holding the period's lock, when no other run is writing."""
    for path in folder.rglob(f".*{_TEMPORARY_SUFFIX}"):
        path.unlink(missing_ok=True)


def write_json(target: Path, data: Any) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return write_bytes(target, text.encode("utf-8"))


def zip_entries(entries: Iterable[tuple[str, bytes]], stamp: datetime = ZIP_EPOCH) -> bytes:
    """An archive of (name, data) in that order, every entry dated `stamp`."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return archive.getvalue()


def reproducible_zip(data: bytes, stamp: datetime = ZIP_EPOCH) -> bytes:
    """The same archive with every entry dated `stamp`."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return zip_entries(((entry.filename, source.read(entry)) for entry in source.infolist()), stamp)


def write_workbook(workbook: Workbook, target: Path) -> Path:
    """openpyxl's own `save` stamps the current time into the properties and every
    zip entry; this keeps the workbook's properties and dates entries by them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return write_bytes(target, reproducible_zip(buffer.getvalue(), workbook.properties.modified or ZIP_EPOCH))
