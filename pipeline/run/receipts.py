"""The receipt ledger, `outputs/<PERIOD>/so-nhan-bao-cao.json`: when the pipeline
first saw each return's exact bytes, by their SHA-256. File times are not trusted
(a copy, an unzip or a sync gives a file the time of the copy); what the run first
read is.

Where it lives and why: in the period folder, as a file the program keeps but the
manifest does not list. The publishing step carries every such file into each new
set whole (`pipeline.run.publish`, step 5), and no set ever holds a file of that
name, so publishing never replaces nor loses it. It is updated in place, outside
the staging, by one atomic rename, before anything of the new set is written: a run
killed at any point leaves either the old ledger or the new one, and the receipts
it recorded stand even when its documents were never published. A ledger inside
a set (listed in its manifest) would lose the receipts of every run killed before
publishing. Only the ledger holds clock time: documents show the receipt dates,
and a run over the same bytes finds the same first receipts.

A run sees a file, not its arrival: the file came after the previous run looked
(`looked`, kept with the ledger) and by this one. Each entry keeps both ends, so a
return first read after the deadline is late only when a run after the deadline
had not found it; the returns already in the folder at the first run have no
lower end (a ledger begun after the deadline cannot call them late).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from pipeline.core.files import write_json
from pipeline.core.model import FileDigest, Receipt
from pipeline.run.publish import recover, refuse_link

LEDGER_FILE = "so-nhan-bao-cao.json"
# 2: `looked` and each entry's `after`; a format-1 ledger reads with neither known.
_FORMAT = 2

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """Now, in the computer's time zone: the office's receipt day is its local day."""
    return dt.datetime.now().astimezone()


class LedgerError(Exception):
    """A receipt ledger that cannot be read; the message is for the office."""


def _ledger_error(path: Path, problem: str) -> LedgerError:
    return LedgerError(f"Không đọc được sổ nhận báo cáo {path}: {problem}. Sổ ghi lần đầu chương trình nhận được "
                       f"từng báo cáo; bỏ đi thì mọi báo cáo bị coi là nhận hôm nay. Lấy lại bản sao lưu của tệp "
                       f"(hoặc xóa tệp nếu chấp nhận điều đó) rồi chạy lại.")


def read_ledger(folder: Path) -> tuple[dict[str, dict[str, object]], str | None]:
    """The ledger's entries by SHA-256: `received` (ISO time with its offset), `after`
    (the run before, or None), the `file` name and `size` the bytes first came under;
    and when a run last looked. Empty and None when there is none."""
    path = folder / LEDGER_FILE
    if not path.is_file():
        return {}, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["receipts"]
        looked = data.get("looked")
        for moment in [looked, *(t for e in entries.values() for t in (e["received"], e.get("after")))]:
            if moment is not None:
                dt.datetime.fromisoformat(moment)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise _ledger_error(path, f"nội dung không đúng dạng ({type(error).__name__}: {error})") from error
    return dict(entries), looked


def _day(moment: object) -> dt.date | None:
    """The day of an ISO time, in the time zone it was recorded in."""
    return None if moment is None else dt.datetime.fromisoformat(str(moment)).date()


def receipts_of(entries: Mapping[str, Mapping[str, object]]) -> dict[str, Receipt]:
    return {sha: Receipt(_day(entry["received"]), _day(entry.get("after"))) for sha, entry in entries.items()}


def record_receipts(folder: Path, returns: Iterable[tuple[str, FileDigest]], clock: Clock) -> dict[str, Receipt]:
    """Add to the ledger the bytes it has not seen, received now and after the run
    before; note that this run looked. The receipts of every return given. Call only
    while holding the period's lock."""
    refuse_link(folder)
    recover(folder)  # a killed run's half-switched folders hold the ledger to keep
    entries, looked = read_ledger(folder)
    now = clock().isoformat(timespec="seconds")
    new = {digest.sha256: {"received": now, "after": looked, "file": name, "size": digest.size}
           for name, digest in returns if digest.sha256 not in entries}
    # Only days count, so a run on a day already noted, finding nothing new, leaves the file as it is.
    if new or _day(looked) != _day(now):
        entries.update(new)
        write_json(folder / LEDGER_FILE, {"format": _FORMAT, "looked": now, "receipts": dict(sorted(entries.items()))})
    return receipts_of(entries)


def peek_receipts(folder: Path, returns: Iterable[tuple[str, FileDigest]], clock: Clock) -> dict[str, Receipt]:
    """As `record_receipts`, the ledger left as it is (a command that publishes nothing)."""
    entries, looked = read_ledger(folder)
    known = receipts_of(entries)
    unseen = Receipt(clock().date(), _day(looked))
    return {digest.sha256: known.get(digest.sha256, unseen) for _, digest in returns}
