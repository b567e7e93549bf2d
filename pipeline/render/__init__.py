"""Turning a template and a ready-made context into a file, and checking the file:
the sandboxed Jinja environments, Word templates compiled once and rendered many
times, the printed workbooks written as Office Open XML, the Nghị định 30/2020 format
checker (and its reading of workbooks), the template lint and PDF conversion by
LibreOffice. Knows nothing of returns or figures.

Layer 2: imports `pipeline.core` and `pipeline.vn`; never `intake` or anything above."""
