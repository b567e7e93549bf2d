"""A period's outputs published as one set.

A run writes its whole set, `manifest.json` last, into a staging folder beside
the period's, `outputs/.<PERIOD>.dang-viet-<pid>/`, and then switches with
renames of whole folders. Whenever a run is killed or the disk fills up,
`outputs/<PERIOD>/` holds either the complete old set or the complete new set,
each with the manifest that describes it byte for byte:

1. staging written completely (a failure removes it; the old set is untouched);
2. the new set checked against the old folder: a file the program did not write
   (or that was edited since) where the new set needs to write refuses the run;
3. staging renamed `.<PERIOD>.moi` — from here on the switch is decided;
4. `<PERIOD>` renamed `.<PERIOD>.cu`, then `.<PERIOD>.moi` renamed `<PERIOD>`;
5. from `.<PERIOD>.cu`, every file the program did not write (a person's notes,
   a shared folder linked in) moved into the new `<PERIOD>`; the rest, files the
   old manifest records with the very bytes it records, deleted with the folder.

A run killed between two steps leaves hidden folders whose names say how far it
got; `recover`, called by the next run before anything else, finishes the switch
(or, before step 3, throws the staging away). Files the program did not write
are never deleted nor overwritten, and no link is ever followed to write or
delete: links are moved as they are.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from pipeline.run.manifest import MANIFEST_FILE, file_sha256, recorded_outputs

_STAGING = "dang-viet"  # `.<PERIOD>.dang-viet-<pid>`: being written, thrown away if left
_READY = "moi"  # `.<PERIOD>.moi`: complete, the switch decided
_RETIRED = "cu"  # `.<PERIOD>.cu`: the previous set, moved aside

_CLOSE_AND_RETRY = ("Có thể thư mục hoặc một tệp trong đó đang mở (Explorer, Word, Excel): "
                    "đóng lại rồi chạy lại.")


class PublishError(Exception):
    """The new set cannot take the old one's place; the old set is kept."""


def _hidden(folder: Path, stage: str) -> Path:
    return folder.with_name(f".{folder.name}.{stage}")


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _remove_tree(path: Path) -> None:
    """A folder this module made (never a link: rmtree refuses one and never follows those inside)."""
    if _real_dir(path):
        shutil.rmtree(path)


def _overlaps(first: Path, second: Path) -> bool:
    return first == second or first in second.parents or second in first.parents


def check_apart(inputs: Path, outputs: Path) -> None:
    """Refuse an outputs folder that is, holds or lies inside the inputs folder
    (compared where the links lead): a document could overwrite a return."""
    real_inputs, real_outputs = (Path(os.path.normcase(os.path.realpath(p))) for p in (inputs, outputs))
    if _overlaps(real_inputs, real_outputs):
        raise PublishError(f"Thư mục kết quả {outputs} trùng hoặc lồng với thư mục dữ liệu vào {inputs}: "
                           f"văn bản viết ra có thể đè lên báo cáo của các xã. Chọn thư mục kết quả riêng "
                           f"(ví dụ --outputs outputs) rồi chạy lại.")


def _entries(root: Path, relative: PurePosixPath = PurePosixPath()) -> Iterator[tuple[PurePosixPath, os.DirEntry]]:
    """Every entry under `root`, a folder before what it holds, links not followed."""
    with os.scandir(root / relative) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        yield relative / entry.name, entry
        if entry.is_dir(follow_symlinks=False):
            yield from _entries(root, relative / entry.name)


def _program_file(entry: os.DirEntry, recorded: tuple[int, str] | None) -> bool:
    """A regular file with exactly the size and bytes a manifest recorded for its path."""
    return (recorded is not None and entry.is_file(follow_symlinks=False)
            and entry.stat(follow_symlinks=False).st_size == recorded[0] and file_sha256(Path(entry.path)) == recorded[1])


def _written_by_program(folder: Path) -> Callable[[PurePosixPath, os.DirEntry], bool]:
    recorded = recorded_outputs(folder)

    def written(relative: PurePosixPath, entry: os.DirEntry) -> bool:
        if relative == PurePosixPath(MANIFEST_FILE):
            return entry.is_file(follow_symlinks=False)
        return _program_file(entry, recorded.get(relative.as_posix()))

    return written


def _blocked(new: Path, relative: PurePosixPath, is_folder: bool) -> bool:
    """Whether `relative` cannot move into `new` as it is: its place is taken (a
    folder may join a folder), or a folder on its way is a file there."""
    for parent in reversed(relative.parents[:-1]):
        if os.path.lexists(new / parent) and not _real_dir(new / parent):
            return True
    target = new / relative
    return os.path.lexists(target) and not (is_folder and _real_dir(target))


def _taken_by_new_set(old: Path, new: Path) -> list[str]:
    """What the old folder holds that the program did not write and the new set would replace."""
    written = _written_by_program(old)
    return [relative.as_posix() for relative, entry in _entries(old)
            if not written(relative, entry) and _blocked(new, relative, entry.is_dir(follow_symlinks=False))]


def _free_name(target: Path) -> Path:
    n = 1
    while os.path.lexists(candidate := target.with_name(f"{target.stem}.ban-cu-{n}{target.suffix}")):
        n += 1
    return candidate


def _carry_over(old: Path, new: Path) -> None:
    """Move into `new` everything of `old` the program did not write, and the files
    `new`'s manifest keeps; what is left in `old` the old manifest vouches for."""
    written = _written_by_program(old)
    kept = recorded_outputs(new)
    for relative, entry in _entries(old):
        source, target = old / relative, new / relative
        if entry.is_dir(follow_symlinks=False):
            if not os.path.lexists(target):
                target.mkdir(parents=True)  # its contents are sorted out one by one below
            continue
        if written(relative, entry) and (os.path.lexists(target) or relative.as_posix() not in kept):
            continue  # replaced by the new set, or stale: it goes with `old`
        if _blocked(new, relative, False):
            # Checked before the switch; only a file dropped in meanwhile gets here. Kept, renamed.
            target = _free_name(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def _switch(ready: Path, folder: Path) -> None:
    retired = _hidden(folder, _RETIRED)
    if os.path.lexists(folder):
        try:
            folder.rename(retired)
        except OSError as error:
            _remove_tree(ready)
            raise PublishError(f"Không thay được thư mục {folder} bằng kết quả mới ({error.strerror}). "
                               f"{_CLOSE_AND_RETRY} Kết quả cũ vẫn giữ nguyên.") from error
    try:
        ready.rename(folder)
    except OSError as error:
        if os.path.lexists(retired):
            retired.rename(folder)
        _remove_tree(ready)
        raise PublishError(f"Không đặt được kết quả mới vào {folder} ({error.strerror}). {_CLOSE_AND_RETRY} "
                           f"Kết quả cũ vẫn giữ nguyên.") from error
    _retire(retired, folder)


def _retire(retired: Path, folder: Path) -> None:
    if _real_dir(retired):
        _carry_over(retired, folder)
        _remove_tree(retired)


def _refuse_replacing(ready: Path, folder: Path) -> None:
    """Step 2: the old set may hold files the program did not write only where the new set has none."""
    if not _real_dir(folder):
        return
    taken = _taken_by_new_set(folder, ready)
    if taken:
        _remove_tree(ready)
        shown = ", ".join(taken[:5]) + (f" và {len(taken) - 5} tệp khác" if len(taken) > 5 else "")
        raise PublishError(f"Trong {folder} có tệp không do chương trình viết (hoặc đã bị sửa sau lần chạy "
                           f"trước) mà lần chạy này cần ghi đúng chỗ đó: {shown}. Chép các tệp đó sang chỗ khác "
                           f"hoặc đổi tên, rồi chạy lại. Kết quả cũ vẫn giữ nguyên.")


def recover(folder: Path) -> None:
    """Finish what a killed run left half done, the same way whatever the point it
    was killed at; call it only while holding the period's lock."""
    for leftover in sorted(folder.parent.glob(f".{folder.name}.{_STAGING}-*")):
        _remove_tree(leftover)
    ready, retired = _hidden(folder, _READY), _hidden(folder, _RETIRED)
    if _real_dir(ready) and not os.path.lexists(folder):
        ready.rename(folder)  # killed between the two renames of step 4
    if _real_dir(retired):
        if not os.path.lexists(folder):
            retired.rename(folder)
        else:
            _retire(retired, folder)
    if _real_dir(ready):  # killed after step 3, before step 4
        _refuse_replacing(ready, folder)
        _switch(ready, folder)


def refuse_link(folder: Path) -> None:
    if folder.is_symlink():
        raise PublishError(f"{folder} là một liên kết (symlink) tới {os.readlink(folder)}: chương trình không "
                           f"ghi hay xóa qua liên kết. Thay liên kết bằng một thư mục thật rồi chạy lại.")


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target, follow_symlinks=False)  # files are only ever replaced, never written in place
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


@contextmanager
def new_set(folder: Path, keep: Callable[[str], bool] = lambda relative: False) -> Iterator[tuple[Path, list[Path]]]:
    """Yield a staging folder and the files of the current set (paths inside the
    staging) that `keep(relative path)` takes into the new set; the block writes the
    rest, `manifest.json` last, and on leaving it the staging replaces `folder` as a
    whole. An error inside the block leaves `folder` as it was."""
    refuse_link(folder)
    recover(folder)
    staging = folder.with_name(f".{folder.name}.{_STAGING}-{os.getpid()}")
    staging.mkdir(parents=True)
    try:
        kept = []
        if _real_dir(folder):
            written = _written_by_program(folder)
            for relative, entry in _entries(folder):
                if keep(relative.as_posix()) and written(relative, entry):
                    _link_or_copy(folder / relative, staging / relative)
                    kept.append(staging / relative)
        yield staging, kept
    except BaseException:
        _remove_tree(staging)
        raise
    _refuse_replacing(staging, folder)
    ready = _hidden(folder, _READY)
    staging.rename(ready)
    _switch(ready, folder)


def published(path: Path, staging: Path, folder: Path) -> Path:
    """Where a file written into the staging folder is once published."""
    return folder / path.relative_to(staging)
