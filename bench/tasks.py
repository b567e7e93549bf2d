"""Workloads the benchmark times inside a fresh process: `python -m bench.tasks TASK ARG...`.

Each task imports what it needs, then times its work alone — `work_s` wall seconds
(`time.perf_counter`), `work_cpu_s` CPU seconds of the process and of the pool
workers it waited for — and prints one JSON object; the probe around it measures
the whole process. Tasks:

    ingest PERIOD_DIR                   the pipeline's stage 1 on every return
    validate PERIOD_DIR [RULES_DIR]     stage 2 on the returns stage 1 read (CPU seconds): each return checked,
                                        settled, weighed together; with RULES_DIR's quy-tac.yaml, or no rules
    calamine PERIOD_DIR                 the floor of reading: python-calamine reading every sheet of the same
                                        files into Python lists, nothing checked
    imported MODULES ARG...             which of MODULES (comma-separated) `python -m pipeline ARG...` imports
    jobs INPUTS PERIOD OUT [TEMPLATE]   the documents to render, pickled (not timed by the bench)
    render-project JOBS FOLDER          the pipeline writing those documents
    zip-floor SOURCE FOLDER             the documents and workbooks in SOURCE rewritten as zip files, nothing else
    kinds INPUTS PERIOD FOLDER [ROUNDS] each document and workbook of the run but the feedback sheets: writing it
                                        once, and its zip floor (CPU and wall seconds, each round's)
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import math
import pickle
import resource
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# A one-page document the run writes, rendered once per commune when the run
# prepares no feedback sheets (or another template is asked for).
STAND_IN_TEMPLATE = "tin-bai.docx"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _cpu_seconds() -> float:
    """This process's CPU seconds and its waited-for children's (a pool's workers, once it is shut down)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    start, start_cpu = time.perf_counter(), _cpu_seconds()
    details = work()
    return {"work_s": time.perf_counter() - start, "work_cpu_s": _cpu_seconds() - start_cpu, **details}


def ingest(period_dir: str) -> dict[str, Any]:
    from pipeline.intake.ingest import ingest as read_returns

    def work() -> dict[str, Any]:
        result = read_returns(Path(period_dir))
        return {"files": len(result.workbooks), "unreadable": len(result.unreadable)}

    return _timed(work)


def validate(period_dir: str, rules_dir: str = "") -> dict[str, Any]:
    """In this one process, so that its CPU clock holds all the work; the returns are
    read first, off the clock. There is no previous period: the change rules are left out."""
    from pipeline.intake.ingest import ingest as read_returns
    from pipeline.intake.outliers import flag_outliers
    from pipeline.intake.registry import load_registry
    from pipeline.intake.rules import NO_RULES, load_rules
    from pipeline.intake.validate import check_return, settle
    from pipeline.vn.periods import parse_period

    folder = Path(period_dir)
    period = parse_period(folder.name)
    registry = load_registry(folder.parent)
    units = {u.code: u for u in registry}
    rules = load_rules(Path(rules_dir), period.code)[0] if rules_dir else NO_RULES
    read = read_returns(folder)
    today = dt.date.today()

    def work() -> dict[str, Any]:
        checked = [check_return(workbook, units, period, today=today, rules=rules) for workbook in read.workbooks]
        settled = settle([*read.unreadable, *checked], registry, read.ignored)
        result = flag_outliers(settled, rules, None, period.previous(), "bench")
        return {"valid": len(result.accepted), "warnings": sum(len(o.warnings) for o in result.outcomes),
                "rules": len(rules.checks) + len(rules.z_scores) + len(rules.changes)}

    return _timed(work)


def calamine(period_dir: str) -> dict[str, Any]:
    """Every sheet of every return as Python lists, straight from python-calamine: what
    reading costs at the least, with no checking of any kind."""
    from python_calamine import CalamineWorkbook

    from pipeline.intake.contract import RETURN_EXTENSIONS

    paths = sorted(p for p in Path(period_dir).iterdir() if p.suffix.lower() in RETURN_EXTENSIONS)

    def work() -> dict[str, Any]:
        cells = 0
        for path in paths:
            with CalamineWorkbook.from_path(str(path)) as workbook:
                for name in workbook.sheet_names:
                    cells += sum(map(len, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)))
        return {"files": len(paths), "cells": cells}

    return _timed(work)


def imported(modules: str, *command: str) -> dict[str, Any]:
    """The modules of `modules` that a run of the pipeline imports: the floor of starting
    it imports those, and not a dependency the run never loads."""
    import contextlib
    import os

    from pipeline.cli import main as run_pipeline

    with open(os.devnull, "w", encoding="utf-8") as nowhere, contextlib.redirect_stdout(nowhere), \
            contextlib.redirect_stderr(nowhere):
        returncode = run_pipeline(list(command))
    return {"work_s": 0.0, "work_cpu_s": 0.0, "returncode": returncode,
            "imported": [module for module in modules.split(",") if module in sys.modules]}


def feedback_jobs(inputs: str, period: str, out: str, template: str = "") -> dict[str, Any]:
    """The feedback sheets the run prepares. If it prepares none — or with another
    `template` named — one job of the run from that template (by default
    STAND_IN_TEMPLATE) stands in, once per commune, under the sheets' names."""
    from dataclasses import replace

    from pipeline.documents.feedback import FEEDBACK_FOLDER, FEEDBACK_TEMPLATE
    from pipeline.documents.forms import form_file_name
    from pipeline.render.templating import TEMPLATES
    from pipeline.run.orchestrate import prepare
    from pipeline.vn.periods import parse_period

    prepared = prepare(parse_period(period), Path(inputs), Path(out).parent)

    def made_from(name: str) -> list[Any]:
        return [job for job in prepared.documents if job.template == TEMPLATES / name]

    jobs = made_from(FEEDBACK_TEMPLATE.name) if template in ("", FEEDBACK_TEMPLATE.name) else []
    if not jobs:
        template = template or STAND_IN_TEMPLATE
        found = made_from(template)
        if not found:
            used = ", ".join(sorted({job.template.name for job in prepared.documents}))
            raise SystemExit(f"Lần chạy không viết văn bản nào từ mẫu {template}; các mẫu được dùng: {used}")
        jobs = [replace(found[0], file_name=f"{FEEDBACK_FOLDER}/{form_file_name(r.unit).removesuffix('.xlsx')}.docx")
                for r in prepared.validation.accepted]
    Path(out).write_bytes(pickle.dumps(jobs))
    return {"work_s": 0.0, "documents": len(jobs), "template": jobs[0].template.name,
            "stand_in": jobs[0].template != FEEDBACK_TEMPLATE}


def _load_jobs(path: str) -> list[Any]:
    return pickle.loads(Path(path).read_bytes())


# The zip files a run writes: documents and workbooks.
ZIP_OUTPUTS = ("*.docx", "*.xlsx")


def _zip_files(folder: Path) -> list[Path]:
    return sorted(p for pattern in ZIP_OUTPUTS for p in folder.rglob(pattern))


def _written(folder: Path) -> dict[str, Any]:
    files = _zip_files(folder)
    return {"documents": len(files), "bytes": sum(p.stat().st_size for p in files)}


def render_project(jobs_file: str, folder: str) -> dict[str, Any]:
    from pipeline.run.orchestrate import write_jobs

    jobs, target = _load_jobs(jobs_file), Path(folder)

    def work() -> dict[str, Any]:
        write_jobs(jobs, target)
        return _written(target)

    return _timed(work)


def _entries(path: Path) -> list[tuple[str, bytes]]:
    """A zip file's entries, in memory: (name, bytes), in order."""
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def zip_floor(source: str, folder: str) -> dict[str, Any]:
    """Writing the rendered documents' entries, already in memory, as new zip files."""
    root, target = Path(source), Path(folder)
    documents = [(path.relative_to(root), _entries(path)) for path in _zip_files(root)]

    def work() -> dict[str, Any]:
        for relative, entries in documents:
            _write_zip(target / relative, entries)
        return _written(target)

    return _timed(work)


def _write_zip(path: Path, entries: list[tuple[str, bytes]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)


def document_kinds(inputs: str, period: str, folder: str, rounds: str = "3") -> dict[str, Any]:
    """Each document and workbook `report` writes, but the feedback sheets (measured apart,
    by the thousand): the CPU seconds of writing it once, and of writing its entries,
    already in memory, as a zip file (its floor). Each the median of `rounds` rounds, a
    round writing it as many times as take a fifth of a second, each time as a run
    writes it: once (`_per_write`)."""
    from dataclasses import replace

    from pipeline.documents.feedback import FEEDBACK_FOLDER
    from pipeline.figures.aggregate import statistics_json
    from pipeline.run.orchestrate import prepare, report_writers
    from pipeline.vn.periods import parse_period

    target = Path(folder)
    prepared = prepare(parse_period(period), Path(inputs), target)
    prepared = replace(prepared, documents=tuple(job for job in prepared.documents
                                                 if not job.file_name.startswith(f"{FEEDBACK_FOLDER}/")))
    kinds, rounds_of = {}, int(rounds)
    for writer in report_writers(prepared, target, statistics_json(prepared.statistics)):
        path = writer()  # the file to measure the zip floor of
        if not any(path.match(pattern) for pattern in ZIP_OUTPUTS):
            continue
        entries, floor = _entries(path), target / "zip" / path.name
        kinds[path.name] = {"bytes": path.stat().st_size, "render": _per_write(writer, rounds_of),
                            "zip_floor": _per_write(lambda: _write_zip(floor, entries), rounds_of)}
    return {"work_s": 0.0, "work_cpu_s": 0.0, "kinds": kinds}


def _per_write(write: Callable[[], Any], rounds: int) -> list[dict[str, float]]:
    """CPU and wall seconds per call of `write`, in each of `rounds` rounds of calls,
    every call with the process's caches emptied first (untimed): a run writes each of
    these files once, compiling its template and measuring its texts afresh."""
    caches = [found for found in gc.get_objects() if isinstance(found, functools._lru_cache_wrapper)]

    def cold_call() -> tuple[float, float]:
        for cache in caches:
            cache.cache_clear()
        start, start_wall = time.process_time(), time.perf_counter()
        write()
        return time.process_time() - start, time.perf_counter() - start_wall

    calls = max(1, math.ceil(0.2 / max(cold_call()[0], 1e-4)))
    per_call = []
    for _ in range(rounds):
        cpu, wall = (sum(column) for column in zip(*(cold_call() for _ in range(calls))))
        per_call.append({"cpu": cpu / calls, "wall": wall / calls})
    return per_call


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "ingest": ingest,
    "validate": validate,
    "calamine": calamine,
    "imported": imported,
    "jobs": feedback_jobs,
    "render-project": render_project,
    "zip-floor": zip_floor,
    "kinds": document_kinds,
}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__, file=sys.stderr)
        return 2
    from pipeline.core.process import set_up_process

    set_up_process()  # as `python -m pipeline` runs
    print(json.dumps(TASKS[sys.argv[1]](*sys.argv[2:]), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
