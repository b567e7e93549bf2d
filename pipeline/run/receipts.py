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
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from pipeline.core.files import write_json
from pipeline.core.model import FileDigest
from pipeline.run.publish import recover, refuse_link

LEDGER_FILE = "so-nhan-bao-cao.json"
_FORMAT = 1

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


def read_ledger(folder: Path) -> dict[str, dict[str, object]]:
    """The ledger's entries by SHA-256: `received` (ISO time with its offset), the
    `file` name and `size` the bytes first came under. Empty when there is none."""
    path = folder / LEDGER_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["receipts"]
        for entry in entries.values():
            dt.datetime.fromisoformat(entry["received"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise _ledger_error(path, f"nội dung không đúng dạng ({type(error).__name__}: {error})") from error
    return dict(entries)


def receipt_days(entries: Mapping[str, Mapping[str, object]]) -> dict[str, dt.date]:
    """The day of each receipt, in the time zone it was recorded in."""
    return {sha: dt.datetime.fromisoformat(str(entry["received"])).date() for sha, entry in entries.items()}


def record_receipts(folder: Path, returns: Iterable[tuple[str, FileDigest]], clock: Clock) -> dict[str, dt.date]:
    """Add to the ledger the bytes it has not seen, received now; the receipt days of
    every return given. Call only while holding the period's lock."""
    refuse_link(folder)
    recover(folder)  # a killed run's half-switched folders hold the ledger to keep
    entries = read_ledger(folder)
    new = {digest.sha256: {"received": clock().isoformat(timespec="seconds"), "file": name, "size": digest.size}
           for name, digest in returns if digest.sha256 not in entries}
    if new:
        entries.update(new)
        write_json(folder / LEDGER_FILE, {"format": _FORMAT, "receipts": dict(sorted(entries.items()))})
    return receipt_days(entries)


def peek_receipts(folder: Path, returns: Iterable[tuple[str, FileDigest]], clock: Clock) -> dict[str, dt.date]:
    """As `record_receipts`, the ledger left as it is (a command that publishes nothing)."""
    days = receipt_days(read_ledger(folder))
    today = clock().date()
    return {digest.sha256: days.get(digest.sha256, today) for _, digest in returns}
