"""Stage 4: one module per document, each building the context its template needs
from the statistics: the report (`report`), the conference minutes (`minutes`), the
news item (`news`), a feedback sheet per commune (`feedback`), the annex and the
return-status workbooks (`annex`, `status`, on the shared `sheets`), blank return
forms (`forms`) and the run page (`run_page`).

Layer 4: imports `figures`, `intake`, `render`, `core` and `vn`."""
