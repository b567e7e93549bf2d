"""Run one command and measure it: `python -m bench.probe -- CMD ARG...`.

A fresh probe per measurement, because `getrusage(RUSAGE_CHILDREN)` reports the
largest child a process has ever waited for: in a probe that waits for one
command only, it is that command's peak (its own or its largest descendant's).
A process pool's workers each count alone there, so the probe also samples the
resident memory of the whole process tree and keeps the highest sum.

Prints one JSON object: wall seconds, CPU seconds (user + system of the command
and every descendant it waited for, pool workers included), both peaks in bytes, the exit status and
the command's output (the workloads in `bench.tasks` print their own JSON there).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time

# Seconds between samples. A scan of /proc costs a few milliseconds of a core the
# measured command could use; peaks shorter than this are missed by the sum, and
# ru_maxrss still catches a single process's.
SAMPLE_INTERVAL = 0.2
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:  # the process is gone since the listing
        return None


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every descendant."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (stat := _read(f"/proc/{entry.name}/stat")):
            # The command name may hold spaces and parentheses; the fields after its last ")" do not.
            children.setdefault(int(stat.rsplit(b")", 1)[1].split()[1]), []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        if statm := _read(f"/proc/{pid}/statm"):
            total += int(statm.split()[1]) * PAGE_SIZE
            stack.extend(children.get(pid, ()))
    return total


def sampled(command: list[str], cwd: str | None = None,
            timeout: float | None = None) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run `command`: its completed process (output as bytes), wall seconds, and the
    highest resident memory of its whole process tree, sampled, in bytes."""
    peak = 0
    done = threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)

    def sample() -> None:
        nonlocal peak
        while not done.wait(SAMPLE_INTERVAL):
            peak = max(peak, tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        wall = time.perf_counter() - start
    finally:
        if process.poll() is None:  # timed out: the run is stopped, not left running
            process.kill()
            process.communicate()
        done.set()
        sampler.join()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), wall, peak


def measure(command: list[str]) -> dict[str, object]:
    done, wall, peak = sampled(command)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    largest = children.ru_maxrss * 1024  # KiB on Linux
    return {
        "wall_s": wall,
        "cpu_s": children.ru_utime + children.ru_stime,
        "peak_rss_bytes": largest,
        "peak_tree_rss_bytes": max(peak, largest),
        "returncode": done.returncode,
        "stdout": done.stdout.decode("utf-8", "replace"),
        "stderr_tail": done.stderr.decode("utf-8", "replace")[-2000:],
    }


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("Cách dùng: python -m bench.probe -- LỆNH [THAM SỐ...]", file=sys.stderr)
        return 2
    print(json.dumps(measure(args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
