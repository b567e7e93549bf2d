"""Stages 1 and 2, from the files in inputs/ to checked returns: the input contract
(sheet, label and column names), finding and reading workbooks (xlsx, xls, ods,
legacy Vietnamese fonts), cells, the registry of units, the office's settings and
YAML files, the conference record, and validation.

Layer 2: imports `pipeline.core` and `pipeline.vn`; never `render` or anything above."""
