"""How a process that runs the pipeline is set up: `python -m pipeline`, and the
benchmark's workloads, which measure what a run does."""

from __future__ import annotations

import gc

# A run keeps most of what it allocates (cells, XML trees, documents): at Python's default
# threshold of 700 allocations the collector walked them 1,350 times in a 1,000-commune
# report, a tenth of its CPU time. At 10,000: 81 times, the run 8 % faster, 11 MB larger.
COLLECTOR_THRESHOLD = 10_000


def set_up_process() -> None:
    """For the whole process (the pool's workers take its threshold: `core.parallel`),
    not for a caller of `pipeline.cli.main` such as a test."""
    gc.set_threshold(COLLECTOR_THRESHOLD)
