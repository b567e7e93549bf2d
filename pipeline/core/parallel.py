"""Both cores for the big runs: reading thousands of returns, writing thousands of
feedback sheets. Results come back in input order, so a run's outputs are the
same bytes whether one process or several did the work.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a pool costs more (forking workers, pickling) than it saves.
# Measured on 2 cores, `report`, medians of five to seven runs, wall / CPU seconds without
# a pool and with one: the 27-commune sample 1.00 / 1.10 and 1.03 / 1.32; 40 communes
# 0.96 / 1.05 and 0.93 / 1.20; 64 communes 1.32 / 1.41 and 1.18 / 1.57; the 102-unit
# province sample 2.10 / 2.20 and 1.80 / 2.49.
POOL_THRESHOLD = 40


def _workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ordered_map(function: Callable[[Item], Result], items: Sequence[Item],
                on_done: Callable[[int, int], None] | None = None) -> Iterator[Result]:
    """`map(function, items)`, in a process pool when it pays; `on_done(done, total)`
    after each item (in a pool, as soon as it is done, whatever its place: a first item
    that takes long, such as the national report, holds back the results, not the count).
    `function` must be a module-level function (it is pickled)."""
    total = len(items)
    workers = _workers()
    if total < POOL_THRESHOLD or workers < 2:
        yield from _counted(map(function, items), total, on_done)
        return
    # Imported only for a pool: a district's run never starts one.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with the modules already imported, in milliseconds.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    # `function` goes to each worker once, with its arguments (a partial holding the
    # registry): sent with every chunk, it cost a pickling per chunk, more with each commune.
    # The collector's threshold too: a worker spawned (Windows) does not run `pipeline.__main__`.
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                             initargs=(os.getpid(), function, gc.get_threshold())) as pool:
        size = max(1, min(32, total // (workers * 8)))
        chunks = [items[start:start + size] for start in range(0, total, size)]
        # The workers fork at the first submit. Frozen meanwhile, what they inherit is left
        # out of their collections, which would otherwise copy every page they walk (national
        # report: 7 % fewer page faults, 0.6 s less CPU in the workers).
        gc.freeze()
        try:
            futures = [pool.submit(_apply, chunk) for chunk in chunks]
        finally:
            gc.unfreeze()
        yield from _in_order(futures, [len(chunk) for chunk in chunks], on_done)


def _in_order(futures: list[Future[list[Result]]], sizes: list[int],
              on_done: Callable[[int, int], None] | None) -> Iterator[Result]:
    """The chunks' results in order; their items counted as each chunk finishes. Stopped
    early (an error, Ctrl-C), the chunks not started are cancelled, as `Executor.map` does."""
    from concurrent.futures import FIRST_COMPLETED, wait

    total, done = sum(sizes), 0
    uncounted = dict(zip(futures, sizes))  # each chunk's size until its items are counted

    def count(finished: Iterable[Future[list[Result]]]) -> None:
        nonlocal done
        for future in finished:
            for _ in range(uncounted.pop(future, 0)):  # popped: each chunk counted once
                done += 1
                if on_done:
                    on_done(done, total)

    try:
        for future in futures:
            while not future.done():
                count(wait(uncounted, return_when=FIRST_COMPLETED).done)
            count([future])
            yield from future.result()
    finally:
        for future in futures:
            future.cancel()


_function: Callable[[Any], Any]  # in a worker, what `_apply` calls: set by `_start_worker`


def _start_worker(parent: int, function: Callable[[Any], Any], collector_threshold: tuple[int, int, int]) -> None:
    global _function
    _end_with_parent(parent)
    _function = function
    gc.set_threshold(*collector_threshold)


def _apply(chunk: Sequence[Any]) -> list[Any]:
    return [_function(item) for item in chunk]


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _end_with_parent(parent: int) -> None:
    """A worker ends when the run that started it does: a killed run's workers must
    not go on writing documents beside the next run's. Ctrl-C is the run's to
    answer (one line, its outputs kept): a worker that took it too would print a
    traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes  # only where a pool starts

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the run died before the kernel was asked
        os._exit(1)


def _counted(results: Iterable[Result], total: int,
             on_done: Callable[[int, int], None] | None) -> Iterator[Result]:
    for done, result in enumerate(results, start=1):
        if on_done:
            on_done(done, total)
        yield result
