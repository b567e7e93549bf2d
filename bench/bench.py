"""`make bench`: how the pipeline's cost grows from one district to the whole country.

Measures, each in a fresh process (see `bench.probe`), CPU seconds (user + system,
pool workers included: wall time on a shared 2-core machine is too noisy) and wall
seconds, the median of several runs, and sets each against its physical floor:
1. the sample run against starting Python and importing the project's dependencies
   that the run imports;
   the province sample; the sample run beside the hostile files of
   `tests/hostile_corpus.py`, its peak memory against 1 GiB (issue 13);
2. at each size (300, 1,000 and 3,321 communes by default), on inputs from
   `tools/make_national.py` (cached under outputs/bench/):
   - `validate` against python-calamine merely reading the same files;
   - the whole run (`report`) against that read plus rewriting the run's documents
     and workbooks, their bytes already in memory, as zip files;
3. writing one feedback sheet per commune at the largest size against the zip floor
   of the same sheets;
4. checking the returns with the default rules (inputs/quy-tac.yaml) against none;
5. writing each other document and workbook of a run at the largest size (the report
   with its annex, the minutes, the news item, phu-luc.xlsx, the status workbook)
   against the zip floor of the same file.
Prints a table (Markdown, to paste into the README) and writes outputs/bench/bench.json.

    .venv/bin/python -m bench.bench --sizes 300,1000,3321
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib.metadata import packages_distributions, version
from pathlib import Path
from typing import Any

from bench.tasks import STAND_IN_TEMPLATE
from pipeline.documents.feedback import FEEDBACK_TEMPLATE
from pipeline.intake.registry import load_registry
from pipeline.vn.numbers import format_number

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
import hostile_corpus  # noqa: E402  (tests/ is not a package)
import make_national  # noqa: E402  (tools/ is not a package)

OUT = ROOT / "outputs" / "bench"
PYTHON = sys.executable
PERIOD = make_national.PERIOD.code
SAMPLE_INPUTS = ROOT / "inputs"
# The province sample: about a hundred communes reporting straight to the Sở Nội vụ.
PROVINCE_INPUTS = ROOT / "samples" / "tinh-an-giang" / "inputs"
PROVINCE_PERIOD = "2025-Q3"
DEFAULT_SIZES = (300, 1000, make_national.NATIONAL_COMMUNES)
GIB = 2**30

# Targets of issue 17, in CPU seconds against each floor (2-core, 24 GiB machine).
SAMPLE_OVER_FLOOR_MAX = 2.0
VALIDATE_OVER_READ_MAX = 2.5
RUN_OVER_READ_AND_ZIP_MAX = 2.5
RENDER_OVER_ZIP_MAX = 2.0
# Issue 7.
PEAK_MEMORY_MAX = 1.5 * GIB
# Issue 13: whatever the inputs, a run stays under this, pool workers included.
HOSTILE_PEAK_MEMORY_MAX = 1 * GIB
# Cost ∝ communes^k between the smallest and largest size; "linear" allows some slack for noise.
GROWTH_EXPONENT_MAX = 1.1
# Target of issue 14: the default rules add at most a fifth to checking the returns.
RULES_OVER_PLAIN_MAX = 1.2


@dataclass
class Measurement:
    key: str
    label: str
    communes: int | None
    cpu_seconds: float  # median of `runs`
    wall_seconds: float  # median of `runs`
    runs: list[dict[str, float]]  # each run's cpu and wall seconds
    peak_rss_bytes: int  # the largest single process
    peak_tree_rss_bytes: int  # the whole process tree, sampled
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Ratio:
    key: str
    label: str
    communes: int | None
    value: float
    target: str
    met: bool | None  # None: shown to follow the cost, the target is set at another size


def dependency_modules() -> list[str]:
    """The import names of the project's runtime dependencies, from pyproject.toml."""
    wanted = {_normalise(re.split(r"[\s<>=!~\[;]", spec, maxsplit=1)[0])
              for spec in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    return sorted(module for module, dists in packages_distributions().items()
                  if not module.startswith("_") and any(_normalise(d) in wanted for d in dists))


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def probe(command: list[str]) -> dict[str, Any]:
    """One run of `command` in a fresh probe process; stops the bench if it fails."""
    done = subprocess.run([PYTHON, "-m", "bench.probe", "--", *command], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout)
    if result["returncode"] != 0:
        raise SystemExit(f"Lệnh thất bại (mã {result['returncode']}): {' '.join(command)}\n{result['stderr_tail']}")
    return result


def measure(key: str, label: str, command: list[str], communes: int | None = None, repeat: int = 1,
            before_each: Callable[[], None] | None = None, work: bool = False,
            read_output: Callable[[str], dict[str, Any]] | None = None) -> Measurement:
    """Medians of `repeat` runs; `work` takes the task's own timing of its work (its imports and
    the loading of its inputs excluded) instead of the whole process's; `read_output` picks
    details from the last run's terminal output."""
    print(f"  … {label}" + (f" ({communes} xã)" if communes else ""), file=sys.stderr, flush=True)
    results = []
    for _ in range(repeat):
        if before_each:
            before_each()
        results.append(probe(command))
    timed = [{"cpu": json.loads(r["stdout"])["work_cpu_s"], "wall": json.loads(r["stdout"])["work_s"]} if work
             else {"cpu": r["cpu_s"], "wall": r["wall_s"]} for r in results]
    details = json.loads(results[-1]["stdout"]) if work else {}
    if read_output:
        details.update(read_output(results[-1]["stdout"]))
    return _measurement(key, label, communes, timed, max(r["peak_rss_bytes"] for r in results),
                        max(r["peak_tree_rss_bytes"] for r in results), details)


def _measurement(key: str, label: str, communes: int | None, timed: list[dict[str, float]], peak: int,
                 tree_peak: int, details: dict[str, Any]) -> Measurement:
    """The runs `timed` (CPU and wall seconds each) as a measurement of their medians."""
    return Measurement(key, label, communes, statistics.median(t["cpu"] for t in timed),
                       statistics.median(t["wall"] for t in timed), timed, peak, tree_peak, details)


def fresh(folder: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(folder, ignore_errors=True)


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and bytes: equal digests, identical outputs."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def valid_returns(output: str) -> dict[str, Any]:
    """The CLI's `hợp lệ: 300/300 đơn vị`, so a run that silently rejected returns shows."""
    found = re.search(r"hợp lệ: (\d+)/(\d+)", output)
    return {"valid": int(found.group(1)), "expected": int(found.group(2))} if found else {}


def report_command(inputs: Path, outputs: Path, period: str = PERIOD) -> list[str]:
    # What `make report` runs; make itself is left out so a touched pyproject.toml never reinstalls mid-bench.
    return [PYTHON, "-m", "pipeline", "report", "--period", period, "--inputs", str(inputs), "--outputs", str(outputs)]


def province_sample(runs: Path, repeat: int) -> Measurement:
    """`make report PERIOD=2025-Q3 INPUTS=samples/tinh-an-giang/inputs`: one province office's run."""
    return measure("province_sample_run", f"Chạy mẫu tỉnh (make report PERIOD={PROVINCE_PERIOD} "
                                          f"INPUTS={PROVINCE_INPUTS.relative_to(ROOT).as_posix()})",
                   report_command(PROVINCE_INPUTS, runs / "province", PROVINCE_PERIOD),
                   len(load_registry(PROVINCE_INPUTS)), repeat, fresh(runs / "province"), read_output=valid_returns)


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "memory_bytes": memory,
        "load_average_at_start": os.getloadavg(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "packages": {name: version(name) for name in ("python-calamine", "openpyxl", "docxtpl", "lxml")},
        "commit": commit.stdout.strip(),
        "started": datetime.now().isoformat(timespec="seconds"),
    }


def validate_command(inputs: Path, outputs: Path) -> list[str]:
    return [PYTHON, "-m", "pipeline", "validate", "--period", PERIOD, "--inputs", str(inputs), "--outputs", str(outputs)]


def run(sizes: list[int], render_size: int, template: str | None, repeat_small: int,
        repeat_large: int) -> dict[str, Any]:
    """Every measurement, in the order of the issue; the folders it writes are emptied first."""
    measurements: list[Measurement] = []
    ratios: list[Ratio] = []
    inputs_made: dict[int, float] = {}
    runs = OUT / "runs"

    # The dependencies were byte-compiled when pip installed them; the project's own
    # modules are compiled now, as Python does on a first run wherever
    # PYTHONDONTWRITEBYTECODE is not set: both sides of the ratio start from bytecode.
    compileall.compile_dir(ROOT / "pipeline", quiet=1)
    print("1. Chạy mẫu và sàn khởi động", file=sys.stderr)
    # The floor imports the dependencies the sample run imports: one it never loads
    # (pandas, kept for the manifest's list of tools) would flatter the ratio.
    dependencies = dependency_modules()
    modules = json.loads(probe([PYTHON, "-m", "bench.tasks", "imported", ",".join(dependencies),
                                *report_command(SAMPLE_INPUTS, runs / "sample")[3:]])["stdout"])["imported"]
    floor = measure("import_floor", "Sàn: khởi động Python, nạp các thư viện mà lần chạy nạp",
                    [PYTHON, "-c", f"import {', '.join(modules)}"], repeat=repeat_small)
    floor.details.update(modules=modules, not_imported=sorted(set(dependencies) - set(modules)))
    sample = measure("sample_run", "Chạy mẫu (make report PERIOD=2020-11)",
                     report_command(SAMPLE_INPUTS, runs / "sample"), len(load_registry(SAMPLE_INPUTS)),
                     repeat_small, fresh(runs / "sample"))
    measurements += [floor, sample, province_sample(runs, repeat_small)]
    ratios.append(_ratio("sample_over_import_floor", "Chạy mẫu / sàn khởi động", None,
                         sample.cpu_seconds / floor.cpu_seconds, at_most=SAMPLE_OVER_FLOOR_MAX))
    hostile, hostile_memory = hostile_run(repeat_small)
    measurements.append(hostile)

    national: dict[int, Measurement] = {}
    memory: list[Ratio] = [hostile_memory]
    for size in sizes:
        print(f"2. {size} xã", file=sys.stderr)
        start = time.perf_counter()
        inputs = make_national.national_inputs(size)
        inputs_made[size] = time.perf_counter() - start
        repeat = repeat_small if size < make_national.NATIONAL_COMMUNES else repeat_large
        national_size = size == make_national.NATIONAL_COMMUNES
        read = measure("read_floor", "Sàn: python-calamine chỉ đọc các tệp",
                       [PYTHON, "-m", "bench.tasks", "calamine", str(inputs / PERIOD)], size, repeat)
        checked = measure("validate", "Chỉ kiểm tra (validate)", validate_command(inputs, runs / f"{size}-validate"),
                          size, repeat, fresh(runs / f"{size}-validate"),
                          read_output=valid_returns)
        # validate writes a feedback sheet per commune and the status workbook: the
        # floor of writing those bytes, beside the read floor the ratio uses.
        checked_zip = measure("validate_zip_floor", "Sàn: ghi lại các tệp validate viết dạng zip",
                              [PYTHON, "-m", "bench.tasks", "zip-floor", str(runs / f"{size}-validate"),
                               str(runs / f"{size}-validate-zip")],
                              size, repeat, fresh(runs / f"{size}-validate-zip"), work=True)
        target = runs / str(size)
        national[size] = run_measure = measure("national_run", "Chạy toàn bộ (report)", report_command(inputs, target),
                                               size, repeat, fresh(target), read_output=valid_returns)
        run_measure.details["outputs_sha256"] = tree_digest(target)
        if run_measure.details.get("valid") != size:
            print(f"  ! chỉ {run_measure.details.get('valid')}/{size} báo cáo hợp lệ", file=sys.stderr)
        zipped = measure("zip_floor", "Sàn: ghi lại các tệp .docx, .xlsx của lần chạy dạng zip",
                         [PYTHON, "-m", "bench.tasks", "zip-floor", str(target), str(runs / f"{size}-zip")],
                         size, repeat, fresh(runs / f"{size}-zip"), work=True)
        measurements += [read, checked, checked_zip, run_measure, zipped]
        ratios += [
            # The targets are the national run's; smaller runs show how the fixed start-up weighs.
            _ratio("validate_over_read_floor", "validate / sàn đọc", size, checked.cpu_seconds / read.cpu_seconds,
                   at_most=VALIDATE_OVER_READ_MAX, applies=national_size),
            _ratio("validate_over_read_and_zip_floor", "validate / (sàn đọc + sàn zip của các tệp nó viết)", size,
                   checked.cpu_seconds / (read.cpu_seconds + checked_zip.cpu_seconds)),
            _ratio("run_over_read_and_zip_floor", "report / (sàn đọc + sàn zip)", size,
                   run_measure.cpu_seconds / (read.cpu_seconds + zipped.cpu_seconds),
                   at_most=RUN_OVER_READ_AND_ZIP_MAX, applies=national_size),
        ]
        memory.append(_ratio("run_peak_memory_gib", "Bộ nhớ đỉnh của lần chạy (GiB, cả cây tiến trình)", size,
                             run_measure.peak_tree_rss_bytes / GIB, at_most=PEAK_MEMORY_MAX / GIB))
    if len(sizes) > 1:
        low, high = min(sizes), max(sizes)
        exponent = math.log(national[high].cpu_seconds / national[low].cpu_seconds) / math.log(high / low)
        ratios.append(_ratio("growth_exponent", f"Số mũ tăng giây CPU theo số xã ({low} → {high})", None, exponent,
                             at_most=GROWTH_EXPONENT_MAX, note=" (tuyến tính: 1)"))

    print(f"3. Viết {render_size} phiếu", file=sys.stderr)
    inputs = make_national.national_inputs(render_size)
    render = OUT / "render"
    shutil.rmtree(render, ignore_errors=True)
    render.mkdir(parents=True)
    jobs = render / "jobs.pickle"
    prepared = json.loads(probe([PYTHON, "-m", "bench.tasks", "jobs", str(inputs), PERIOD, str(jobs),
                                 *([template] if template else [])])["stdout"])
    template = prepared["template"]
    render_repeat = repeat_small if render_size < make_national.NATIONAL_COMMUNES else repeat_large
    project = measure("render_project", f"Viết phiếu ({template})",
                      [PYTHON, "-m", "bench.tasks", "render-project", str(jobs), str(render / "project")],
                      render_size, render_repeat, fresh(render / "project"), work=True)
    floor_zip = measure("render_zip_floor", "Sàn: ghi lại các phiếu đó dạng zip",
                        [PYTHON, "-m", "bench.tasks", "zip-floor", str(render / "project"), str(render / "zip")],
                        render_size, render_repeat, fresh(render / "zip"), work=True)
    measurements += [project, floor_zip]
    ratios.append(_ratio("render_over_zip_floor", "Viết phiếu / sàn zip", render_size,
                         project.cpu_seconds / floor_zip.cpu_seconds, at_most=RENDER_OVER_ZIP_MAX))
    checking, checking_ratio = rules_cost(render_size, repeat_small)
    measurements += checking
    ratios.append(checking_ratio)
    kinds, kinds_ratios = document_kinds(render_size, repeat_small)
    measurements += kinds
    ratios += [*kinds_ratios, *memory]
    return {
        "period": PERIOD,
        "sizes": sizes,
        "render": {"communes": render_size, "documents": prepared["documents"], "template": template,
                   "stand_in": prepared["stand_in"]},
        "inputs_seconds": inputs_made,
        "measurements": [asdict(m) for m in measurements],
        "ratios": [asdict(r) for r in ratios],
    }


def rules_cost(size: int, repeat: int) -> tuple[list[Measurement], Ratio]:
    """Checking `size` returns with the shipped rules and with none (medians of `repeat`, CPU seconds)."""
    print(f"4. Quy tắc kiểm tra số liệu ({size} xã)", file=sys.stderr)
    period_dir = make_national.national_inputs(size) / PERIOD
    task = [PYTHON, "-m", "bench.tasks", "validate", str(period_dir)]
    plain = measure("validate_plain", "Kiểm tra báo cáo đã đọc, không có quy tắc", task, size, repeat, work=True)
    ruled = measure("validate_rules", "Kiểm tra báo cáo đã đọc, với quy tắc mặc định",
                    [*task, str(SAMPLE_INPUTS)], size, repeat, work=True)
    return [plain, ruled], _ratio("rules_over_plain", "Kiểm tra có quy tắc / không quy tắc", size,
                                  ruled.cpu_seconds / plain.cpu_seconds, at_most=RULES_OVER_PLAIN_MAX)


def document_kinds(size: int, repeat: int) -> tuple[list[Measurement], list[Ratio]]:
    """Writing each document and workbook of a run of `size` communes but the feedback
    sheets (measured by the thousand above) against its zip floor: seconds per file
    written as a run writes it once (its template compiled too), medians of `repeat`
    rounds in one process."""
    print(f"5. Viết từng loại văn bản ({size} xã)", file=sys.stderr)
    folder = OUT / "kinds"
    shutil.rmtree(folder, ignore_errors=True)
    inputs = make_national.national_inputs(size)
    done = probe([PYTHON, "-m", "bench.tasks", "kinds", str(inputs), PERIOD, str(folder), str(repeat)])
    measurements, ratios = [], []
    for name, kind in json.loads(done["stdout"])["kinds"].items():
        details = {"file": name, "bytes": kind["bytes"], "communes": size}
        render = _measurement(f"render {name}", f"Viết {name} ({format_number(size)} xã), mỗi lần", None,
                              kind["render"], done["peak_rss_bytes"], done["peak_tree_rss_bytes"], details)
        floor = _measurement(f"zip_floor {name}", f"Sàn: ghi lại {name} dạng zip, mỗi lần", None, kind["zip_floor"],
                             done["peak_rss_bytes"], done["peak_tree_rss_bytes"], dict(details))
        measurements += [render, floor]
        ratios.append(_ratio(f"render_over_zip_floor {name}", f"Viết {name} / sàn zip", size,
                             render.cpu_seconds / floor.cpu_seconds, at_most=RENDER_OVER_ZIP_MAX))
    return measurements, ratios


def hostile_run(repeat: int) -> tuple[Measurement, Ratio]:
    """The sample run with every file of the hostile corpus beside the returns (zip
    and XML bombs, far cells, text repeated into millions of cells...): its time, and
    its peak memory against the bound of issue 13."""
    root = OUT / "hostile"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(SAMPLE_INPUTS, root / "inputs")
    secret = root / "secret.txt"  # outside the inputs: only the XXE case points at it
    secret.write_text(hostile_corpus.SECRET_MARKER, encoding="utf-8")
    cases = hostile_corpus.write_corpus(root / "inputs" / PERIOD, secret)
    run_measure = measure("hostile_run", f"Chạy mẫu cùng {len(cases)} tệp xấu (tests/hostile_corpus.py)",
                          report_command(root / "inputs", root / "outputs"), len(load_registry(SAMPLE_INPUTS)),
                          repeat, fresh(root / "outputs"), read_output=valid_returns)
    memory = _ratio("hostile_peak_memory_gib", "Bộ nhớ đỉnh khi có tệp xấu (GiB, cả cây tiến trình)", None,
                    run_measure.peak_tree_rss_bytes / GIB, at_most=HOSTILE_PEAK_MEMORY_MAX / GIB)
    return run_measure, memory


def _ratio(key: str, label: str, communes: int | None, value: float, *, at_most: float | None = None,
           at_least: float | None = None, note: str = "", applies: bool = True) -> Ratio:
    if at_most is not None:
        target, met = f"≤ {format_number(at_most)}{note}", value <= at_most
    elif at_least is not None:
        target, met = f"≥ {format_number(at_least)}{note}", value >= at_least
    else:  # shown beside a target's ratio, to read it by
        return Ratio(key, label, communes, value, "", None)
    if not applies:
        return Ratio(key, label, communes, value, f"({target} ở cỡ toàn quốc)", None)
    return Ratio(key, label, communes, value, target, met)


# --- the table ------------------------------------------------------------------


def _seconds(value: float) -> str:
    if value < 0.1:  # a single small file's writing: "0,00 s" would say nothing
        return _milliseconds(value)
    return f"{format_number(value, 2 if value < 10 else 1)} s"


def _milliseconds(value: float) -> str:
    return f"{format_number(value * 1000, 2 if value < 0.01 else 1)} ms"


def _mib(value: int) -> str:
    return f"{format_number(value / 2**20, 0)} MiB"


def table(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"Máy: {m['cpu']}, {m['cores_usable']} lõi, {format_number(m['memory_bytes'] / GIB, 0)} GiB; "
        f"Python {m['python']}; {m['system']}; commit {m['commit']}; {m['started']}; tải trung bình "
        f"(1/5/15 phút) lúc bắt đầu {' / '.join(format_number(x, 2) for x in m['load_average_at_start'])}, "
        f"lúc xong {' / '.join(format_number(x, 2) for x in result['load_average_at_end'])}.",
        "",
        "Giây CPU (người dùng + hệ thống, cả các tiến trình con của vùng xử lý song song) và giây đồng hồ: trung vị "
        "của các lần đo. Cả tiến trình (khởi động, nạp thư viện) với các lệnh chạy và sàn đọc; chỉ phần việc với "
        "viết phiếu, sàn zip và kiểm tra báo cáo đã đọc.",
        "",
        "| Phép đo | Số xã | Lần đo | Giây CPU | Giây đồng hồ | CPU mỗi xã | Bộ nhớ đỉnh (1 tiến trình / cả cây) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["measurements"]:
        communes = row["communes"]
        per = _milliseconds(row["cpu_seconds"] / communes) if communes else ""
        lines.append(f"| {row['label']} | {format_number(communes) if communes else ''} | {len(row['runs'])} "
                     f"| {_seconds(row['cpu_seconds'])} | {_seconds(row['wall_seconds'])} | {per} "
                     f"| {_mib(row['peak_rss_bytes'])} / {_mib(row['peak_tree_rss_bytes'])} |")
    lines += ["", "| So sánh (giây CPU) | Số xã | Giá trị | Mục tiêu | Đạt |", "|---|---:|---:|---|:---:|"]
    for ratio in result["ratios"]:
        communes = format_number(ratio["communes"]) if ratio["communes"] else ""
        lines.append(f"| {ratio['label']} | {communes} | {format_number(ratio['value'], 2)} | {ratio['target']} "
                     f"| {'—' if ratio['met'] is None else '✓' if ratio['met'] else '✗'} |")
    render = result["render"]
    if render["stand_in"]:
        lines += ["", f"Lần chạy chưa viết phiếu từ mẫu {FEEDBACK_TEMPLATE.name}: phép đo viết phiếu dùng mẫu thay thế "
                      f"{render['template']}, mỗi xã một văn bản."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench", description="Đo hiệu năng của chương trình.")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="các cỡ (số xã), cách nhau bởi dấu phẩy; mặc định 300,1000,3321")
    parser.add_argument("--render-size", type=int, help="số phiếu phản hồi viết ở phép đo 3 (mặc định: cỡ lớn nhất)")
    parser.add_argument("--template", help=f"mẫu Word cho phép đo 3 (mặc định: phiếu phản hồi {FEEDBACK_TEMPLATE.name} "
                                           f"nếu lần chạy viết phiếu, không thì {STAND_IN_TEMPLATE})")
    parser.add_argument("--repeat", type=int, default=5,
                        help="số lần đo mỗi phép dưới cỡ toàn quốc (lấy trung vị)")
    parser.add_argument("--repeat-national", type=int, default=3,
                        help=f"số lần đo mỗi phép ở cỡ toàn quốc ({make_national.NATIONAL_COMMUNES} xã)")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    about = machine()  # before the bench loads the machine itself
    started = time.perf_counter()
    result = {"machine": about, **run(sizes, args.render_size or max(sizes), args.template, args.repeat,
                                         args.repeat_national)}
    result["bench_seconds"] = time.perf_counter() - started
    result["load_average_at_end"] = os.getloadavg()
    text = table(result)
    result["table"] = text
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(text)
    print(f"\nĐã ghi {OUT / 'bench.json'} (đo trong {_seconds(result['bench_seconds'])}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
