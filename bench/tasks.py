"""Workloads the benchmark times inside a fresh process: `python -m bench.tasks TASK ARG...`.

Each task imports what it needs, then times its work alone (`work_s`, by
`time.perf_counter`) and prints one JSON object; the probe around it measures the
whole process. Tasks:

    ingest PERIOD_DIR                   the pipeline's stage 1 on every return
    validate PERIOD_DIR [RULES_DIR]     stage 2 on the returns stage 1 read (CPU seconds): each return checked,
                                        settled, weighed together; with RULES_DIR's quy-tac.yaml, or no rules
    pandas PERIOD_DIR                   pandas + openpyxl reading every sheet of the same files
    jobs INPUTS PERIOD OUT [TEMPLATE]   the documents to render, pickled (not timed by the bench)
    render-project JOBS FOLDER          the pipeline writing those documents
    render-naive JOBS FOLDER            one DocxTemplate opened, rendered and saved per document
    zip-floor SOURCE FOLDER             the documents in SOURCE rewritten as zip files, nothing else
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
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


def _timed(work: Callable[[], dict[str, Any]], clock: Callable[[], float] = time.perf_counter) -> dict[str, Any]:
    start = clock()
    details = work()
    return {"work_s": clock() - start, **details}


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

    return _timed(work, time.process_time)


def pandas(period_dir: str) -> dict[str, Any]:
    import openpyxl  # noqa: F401  (imported before the clock starts, as pandas would on first use)
    import pandas as pd

    from pipeline.intake.contract import RETURN_EXTENSIONS

    paths = sorted(p for p in Path(period_dir).iterdir() if p.suffix.lower() in RETURN_EXTENSIONS)

    def work() -> dict[str, Any]:
        cells = 0
        for path in paths:
            for frame in pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl").values():
                cells += frame.size
        return {"files": len(paths), "cells": cells}

    return _timed(work)


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


def _written(folder: Path) -> dict[str, Any]:
    files = [p for p in folder.rglob("*.docx")]
    return {"documents": len(files), "bytes": sum(p.stat().st_size for p in files)}


def render_project(jobs_file: str, folder: str) -> dict[str, Any]:
    from pipeline.run.orchestrate import write_jobs

    jobs, target = _load_jobs(jobs_file), Path(folder)

    def work() -> dict[str, Any]:
        write_jobs(jobs, target)
        return _written(target)

    return _timed(work)


def render_naive(jobs_file: str, folder: str) -> dict[str, Any]:
    from docxtpl import DocxTemplate

    from pipeline.render.templating import make_environment

    jobs, target = _load_jobs(jobs_file), Path(folder)
    environment = make_environment()

    def work() -> dict[str, Any]:
        for job in jobs:
            document = DocxTemplate(job.template)
            document.render(job.context, jinja_env=environment, autoescape=True)
            path = target / job.file_name
            path.parent.mkdir(parents=True, exist_ok=True)
            document.save(path)
        return _written(target)

    return _timed(work)


def zip_floor(source: str, folder: str) -> dict[str, Any]:
    """Writing the rendered documents' entries, already in memory, as new zip files."""
    root, target = Path(source), Path(folder)
    documents = []
    for path in sorted(root.rglob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            documents.append((path.relative_to(root), [(i.filename, archive.read(i)) for i in archive.infolist()]))

    def work() -> dict[str, Any]:
        for relative, entries in documents:
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in entries:
                    archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
        return _written(target)

    return _timed(work)


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "ingest": ingest,
    "validate": validate,
    "pandas": pandas,
    "jobs": feedback_jobs,
    "render-project": render_project,
    "render-naive": render_naive,
    "zip-floor": zip_floor,
}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(TASKS[sys.argv[1]](*sys.argv[2:]), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
