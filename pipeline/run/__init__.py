"""One run of a period: the stages chained (`orchestrate`), one run per period at a
time (`lock`), the record of what was read and written (`manifest`), and the
terminal's progress bar (`progress`).

Layer 5: imports every layer below; only `pipeline.cli` imports it."""
