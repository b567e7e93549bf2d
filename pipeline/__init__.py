"""Tổng hợp báo cáo sắp xếp người hoạt động không chuyên trách: the returns the
communes send, turned into the office's documents.

The flow, one subpackage a stage, each importing only the layers under it:

    inputs/ ─▶ intake ─▶ figures ─▶ documents ─▶ run ─▶ outputs/
                 │          │           │
                 └──────────┴───── core, vn ────  render (Word, Jinja, PDF)

    layer  package      owns
    6      cli          the command line (`python -m pipeline`, `bao-cao`)
    5      run          one run of a period: orchestration, lock, manifest, progress
    4      documents    one module per document, each building its own context
    3      figures      aggregation of the valid returns and the wording of figures
    2      intake       finding, reading and checking returns; registry, settings, YAML
    2      render       Jinja environments, Word rendering, format check, lint, PDF
    1      core         typed data between stages, safe file writing, the process pool
    0      vn           Vietnamese text: numbers, money in words, dates, periods, sorting

`tests/test_layers.py` holds the same table and fails on an import that goes up
(or sideways between intake and render).
"""
