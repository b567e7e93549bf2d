"""Stage 3: the valid returns added up into the period's statistics (`aggregate`)
and the Vietnamese sentences that state figures (`wording`).

Layer 3: imports `pipeline.intake`, `pipeline.core` and `pipeline.vn`."""
