"""A progress bar on the terminal for steps that can take more than a second.

Drawn only when the stream is a terminal, so logs and CI output stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 30
_REFRESH_SECONDS = 0.1


class ProgressBar:
    """`Đọc báo cáo [#########.........] 120/400`, redrawn in place."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.drawn_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        now = time.monotonic()
        if done < total and now - self.drawn_at < _REFRESH_SECONDS:
            return
        self.drawn_at = now
        filled = _WIDTH * done // total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\r" + " " * (len(self.label) + _WIDTH + 24) + "\r")
        self.stream.flush()
