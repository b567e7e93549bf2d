"""A progress bar on the terminal for the steps of a run that take more than a moment.

Drawn only when the stream is a terminal, so logs and CI output stay clean, and
only once the step has gone on for a second, so a quick step stays silent. The
estimate of the time left is the pace so far applied to what is left, once a
twentieth of the work is done (of the items, unless the step says what share of
its work is done).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from pipeline.vn.dates import format_duration

_WIDTH = 30
_REFRESH_SECONDS = 0.1
_QUIET_SECONDS = 1.0  # a step shorter than this draws nothing
# No estimate before this share of the work is done: a run writes its biggest
# documents first, and a pool hands results back in bursts, so the pace of the
# first few items said "20 giờ" of a step that took a minute.
_ESTIMATE_AFTER = 1 / 20

# What a run asks of its caller: for a step's label, a callback `(done, total)`, or None.
Phases = Callable[[str], Callable[[int, int], None] | None]


def no_progress(label: str) -> None:
    """The `Phases` of a run nobody watches."""
    return None


class ProgressBar:
    """`Viết văn bản [#########.........] 120/400, còn khoảng 40 giây`, redrawn in place.
    Made when its step starts: the estimate counts from then."""

    def __init__(self, label: str, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.clock = clock
        self.started = clock()
        self.drawn_at: float | None = None
        self.width = 0  # of the last line drawn, to clear it

    def __call__(self, done: int, total: int, share: float | None = None) -> None:
        """`done` of `total` items; `share`, when the items differ in size, the part of
        the step's work done (it may move while an item is under way): the bar and the
        estimate follow it, the count stays in items."""
        if not self.enabled or not total:
            return
        now = self.clock()
        if done < total and (now - self.started < _QUIET_SECONDS
                             or self.drawn_at is not None and now - self.drawn_at < _REFRESH_SECONDS):
            return
        if done >= total:
            if self.drawn_at is not None:
                self.stream.write("\r" + " " * self.width + "\r")
                self.stream.flush()
            return
        self.drawn_at = now
        if share is None:
            share, filled = done / total, _WIDTH * done // total
        else:
            filled = min(_WIDTH, int(_WIDTH * share))
        line = f"{self.label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{total}"
        if share >= _ESTIMATE_AFTER:
            line += f", còn khoảng {format_duration((now - self.started) / share * (1 - share))}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)
