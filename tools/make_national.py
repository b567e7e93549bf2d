"""Make national-scale inputs for the benchmark: N communes, all returns valid.

Since 2025 a province aggregates its communes directly and the ministry all
3,321 of the country's; `make bench` runs the pipeline on sets like that. Writes,
into one inputs folder:
- `don-vi.csv`: N communes (xã, phường, a few đặc khu), codes unique, names
  invented but Vietnamese-looking, about one in four formed by a merger;
- `2020-11/<code>-<name>.xlsx`: one return per commune, 20–40 villages each
  (some merged, some over the staffing target), 0–3 severance rows — written
  with the sample's own writer (`make_sample.fill` on `pipeline.documents.forms.build_form`),
  so every file is the real form as a clerk fills it;
- the sample's settings, period text and conference record, unchanged.

Each commune draws from its own seeded generator, so a set is byte-identical on
every run and the first 300 communes of the 1,000 set are the 300 set. Writing
takes about 30 ms a file on one core (openpyxl builds the form), so the files
are written by a process pool and kept: `national_inputs(N)` reuses
`outputs/bench/inputs-<N>/` while its recorded key — a hash of the parameters
and of the code that writes the files — still matches.

From the repository root:

    .venv/bin/python tools/make_national.py 3321            # cached under outputs/bench/
    .venv/bin/python tools/make_national.py 5 --out /tmp/x  # a fresh folder
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from make_sample import (
    COMMUNE_TITLES,
    PERIOD,
    VILLAGE_TITLES,
    People,
    Return,
    SeveranceRow,
    VillageRow,
    fill,
    random_date,
    reductions,
    severance,
    village_names,
    write_registry,
)

from pipeline.core.files import write_workbook
from pipeline.core.model import Unit
from pipeline.documents.forms import build_form, form_file_name
from pipeline.intake.contract import LEVEL_COMMUNE, LEVEL_VILLAGE, PERIOD_SETTINGS_FILE, REGISTRY_FILES, SETTINGS_FILE
from pipeline.run.progress import ProgressBar

ROOT = Path(__file__).resolve().parent.parent
BENCH_OUTPUTS = ROOT / "outputs" / "bench"
SAMPLE_INPUTS = ROOT / "inputs"
# The period files the run reads besides the returns; the conference record lets
# the run write every document, minutes and news item included.
PERIOD_FILES = (PERIOD_SETTINGS_FILE, "hoi-nghi.yaml")
# Whatever changes the files written changes the cache key.
GENERATOR_SOURCES = (
    Path(__file__).resolve(),
    ROOT / "tools" / "make_sample.py",
    ROOT / "pipeline" / "documents" / "forms.py",
    ROOT / "pipeline" / "intake" / "contract.py",
    *(SAMPLE_INPUTS / name for name in (SETTINGS_FILE,)),
    *(SAMPLE_INPUTS / PERIOD.code / name for name in PERIOD_FILES),
)
KEY_FILE = ".generator-key"

SEED = 20250701
NATIONAL_COMMUNES = 3321
VILLAGES = (20, 40)
# Out of every 1,000 communes: phường, then đặc khu (13 of 3,321 in 2025); the rest xã.
WARD_PER_MILLE, SPECIAL_PER_MILLE = 190, 4
MERGED_SHARE = 0.25
MERGED_VILLAGE_SHARE = 0.1
OVER_TARGET_VILLAGE_SHARE = 0.05
PENDING_SHARE = 0.1
# What a commune calls its villages, by region: one kind per commune.
VILLAGE_KINDS_BY_COMMUNE = {"Xã": ("Thôn", "Thôn", "Thôn", "Ấp", "Bản", "Xóm"), "Phường": ("Tổ dân phố", "Khu phố"),
                            "Đặc khu": ("Thôn", "Khu dân cư")}

# Commune names: two syllables, as most are; 72 × 60 gives 4,320 distinct names.
COMMUNE_FIRST = (
    "An", "Ba", "Bảo", "Bình", "Cẩm", "Cao", "Chí", "Diễn", "Duy", "Đại", "Đan", "Điện", "Đoan", "Đông", "Đức",
    "Gia", "Giao", "Hà", "Hải", "Hàm", "Hiệp", "Hòa", "Hoài", "Hồng", "Hưng", "Hương", "Kỳ", "Khánh", "Kim",
    "Lạc", "Lam", "Lâm", "Liên", "Long", "Lương", "Mỹ", "Minh", "Nam", "Nghĩa", "Ngọc", "Nhân", "Ninh", "Phong",
    "Phú", "Phúc", "Phước", "Quang", "Quảng", "Quế", "Quỳnh", "Sơn", "Tam", "Tân", "Thạch", "Thái", "Thanh",
    "Thạnh", "Thiệu", "Thọ", "Thuận", "Tiên", "Tiến", "Trà", "Triệu", "Trung", "Tuy", "Văn", "Vĩnh", "Xuân",
    "Yên", "Ea", "Mường",
)
COMMUNE_SECOND = (
    "An", "Bình", "Cường", "Châu", "Chánh", "Dương", "Định", "Đông", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hiệp",
    "Hòa", "Hội", "Hưng", "Hương", "Khánh", "Lạc", "Lâm", "Lập", "Lộc", "Lợi", "Long", "Lương", "Mỹ", "Minh",
    "Nam", "Nghĩa", "Ninh", "Phong", "Phú", "Phúc", "Phước", "Quang", "Sơn", "Tân", "Thành", "Thạnh", "Thịnh",
    "Thọ", "Thuận", "Thủy", "Tiến", "Toàn", "Trạch", "Trung", "Trường", "Tú", "Tuấn", "Vân", "Viên", "Vinh",
    "Xá", "Xuyên", "Yên", "Khê", "Điền", "Cầu",
)


def units(count: int, seed: int = SEED) -> tuple[Unit, ...]:
    """The registry: codes rising by 3 as the national list's do; the first `count` of one fixed list."""
    names = [f"{a} {b}" for a in COMMUNE_FIRST for b in COMMUNE_SECOND if a != b]
    if count > len(names):
        raise ValueError(f"at most {len(names)} communes with distinct names, asked for {count}")
    random.Random(seed).shuffle(names)
    made = []
    for index, name in enumerate(names[:count]):
        rng = random.Random(f"{seed}-unit-{index}")
        draw = rng.randrange(1000)
        kind = "Phường" if draw < WARD_PER_MILLE else "Đặc khu" if draw < WARD_PER_MILLE + SPECIAL_PER_MILLE else "Xã"
        merged = ()
        if rng.random() < MERGED_SHARE:
            merged = tuple(f"{rng.choice(COMMUNE_FIRST)} {rng.choice(COMMUNE_SECOND)}" for _ in range(rng.randint(2, 3)))
            merged = tuple(dict.fromkeys(former for former in merged if former != name))
        made.append(Unit(f"{3 * index + 1:05d}", name, kind, merged))
    return tuple(made)


def make_villages(rng: random.Random, unit: Unit) -> list[VillageRow]:
    kind = rng.choice(VILLAGE_KINDS_BY_COMMUNE[unit.kind])
    taken: set[str] = set()
    villages = []
    for _ in range(rng.randint(*VILLAGES)):
        name = next(village_names(rng, kind, 1, taken))
        merged_from: tuple[str, ...] = ()
        before = rng.randint(3, 5)
        if rng.random() < MERGED_VILLAGE_SHARE:
            merged_from = tuple(village_names(rng, kind, rng.randint(2, 3), taken))
            before = sum(rng.randint(3, 5) for _ in merged_from)
        after = VILLAGE_TITLES if rng.random() < OVER_TARGET_VILLAGE_SHARE else 2
        villages.append(VillageRow(name, kind, merged_from, VILLAGE_TITLES, before, after))
    return villages


def make_severances(rng: random.Random, people: People, ret: Return) -> list[SeveranceRow]:
    """Up to three of the people who left, each at a level that had posts cut."""
    left = reductions(ret)
    rows = []
    for _ in range(rng.choices((0, 1, 2, 3), weights=(1, 4, 4, 2))[0]):
        level = LEVEL_COMMUNE if rng.random() < 0.45 else LEVEL_VILLAGE
        if left[level]:
            left[level] -= 1
            rows.append(severance(rng, people, ret, level))
    return rows


def make_return(unit: Unit, seed: int = SEED) -> Return:
    """One commune's return: its own generator, so it is the same in every set."""
    rng = random.Random(f"{seed}-return-{unit.code}")
    people = People(rng)
    ret = Return(
        unit=unit,
        file_name=form_file_name(unit),
        people_before=rng.randint(10, 14),
        people_after=rng.choice((7, 8, 8, 8, 9)),
        approved_on=random_date(rng, date(2020, 9, 15), date(2020, 10, 30)),
        prepared_by=people.name(),
        prepared_on=random_date(rng, date(2020, 11, 10), date(2020, 11, 17)),
        villages=make_villages(rng, unit),
        commune_titles=COMMUNE_TITLES,
    )
    ret.severances = make_severances(rng, people, ret)
    for row in ret.severances:
        if rng.random() < PENDING_SHARE:
            row.paid_on = None
    return ret


def write_return(job: tuple[Unit, int, Path]) -> Path:
    unit, seed, folder = job
    ret = make_return(unit, seed)
    workbook = build_form(unit, PERIOD)
    fill(workbook, ret)
    return write_workbook(workbook, folder / ret.file_name)


def write_inputs(count: int, inputs: Path, seed: int = SEED, workers: int | None = None,
                 on_done: Callable[[int, int], None] | None = None) -> Path:
    """Registry, settings and `count` returns in `inputs`, written by `workers` processes;
    `on_done(done, total)` after each return, for a progress bar."""
    registry = units(count, seed)
    period_dir = inputs / PERIOD.code
    period_dir.mkdir(parents=True, exist_ok=True)
    write_registry(inputs / REGISTRY_FILES[0], registry)
    shutil.copy(SAMPLE_INPUTS / SETTINGS_FILE, inputs / SETTINGS_FILE)
    for name in PERIOD_FILES:
        shutil.copy(SAMPLE_INPUTS / PERIOD.code / name, period_dir / name)
    jobs = [(unit, seed, period_dir) for unit in registry]
    workers = workers or os.cpu_count() or 1
    with contextlib.ExitStack() as stack:
        if workers == 1 or count < 50:
            written = map(write_return, jobs)
        else:
            # Ctrl-C is the parent's to answer, in one line: a worker that took it too would print a traceback.
            pool = stack.enter_context(ProcessPoolExecutor(workers, initializer=signal.signal,
                                                           initargs=(signal.SIGINT, signal.SIG_IGN)))
            # On leaving early (Ctrl-C), the returns not yet begun are dropped, not written first.
            stack.callback(pool.shutdown, cancel_futures=True)
            written = pool.map(write_return, jobs, chunksize=16)
        for done, _ in enumerate(written, start=1):
            if on_done:
                on_done(done, len(jobs))
    return inputs


def generator_key(count: int, seed: int) -> str:
    digest = hashlib.sha256(json.dumps({"communes": count, "seed": seed, "period": PERIOD.code}).encode())
    for source in GENERATOR_SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def national_inputs(count: int, seed: int = SEED, root: Path = BENCH_OUTPUTS, workers: int | None = None,
                    on_done: Callable[[int, int], None] | None = None) -> Path:
    """`root/inputs-<count>/`, written only when missing or made by other parameters or code."""
    inputs = root / f"inputs-{count}"
    key = generator_key(count, seed)
    if (inputs / KEY_FILE).is_file() and (inputs / KEY_FILE).read_text() == key:
        return inputs
    # Written beside, then swapped in: an interrupted run never leaves a half set behind a valid key.
    scratch = root / f".inputs-{count}.{os.getpid()}.tmp"
    shutil.rmtree(scratch, ignore_errors=True)
    write_inputs(count, scratch, seed, workers, on_done)
    (scratch / KEY_FILE).write_text(key)
    shutil.rmtree(inputs, ignore_errors=True)
    scratch.rename(inputs)
    return inputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Viết bộ dữ liệu vào cỡ toàn quốc cho `make bench`.")
    parser.add_argument("communes", type=int, nargs="?", default=NATIONAL_COMMUNES, help="số xã (mặc định 3321)")
    parser.add_argument("--out", type=Path, help="thư mục dữ liệu vào (mặc định: outputs/bench/inputs-<số xã>, "
                                                 "dùng lại nếu đã viết với cùng tham số)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, help="số tiến trình ghi tệp (mặc định: số lõi)")
    args = parser.parse_args(argv)
    progress = ProgressBar("Viết bộ dữ liệu")
    try:
        if args.out:
            inputs = write_inputs(args.communes, args.out, args.seed, args.workers, progress)
        else:
            inputs = national_inputs(args.communes, args.seed, workers=args.workers, on_done=progress)
    except KeyboardInterrupt:
        print("\nĐã dừng theo yêu cầu (Ctrl-C): bộ dữ liệu chưa viết xong.", file=sys.stderr)
        return 130
    print(inputs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
