"""The benchmark's workloads measure what they say (the timings themselves are `make bench`'s)."""

from __future__ import annotations

from builders import SAMPLE_INPUTS

from bench.tasks import document_kinds


def test_every_document_and_workbook_but_the_feedback_sheets_is_timed_against_its_zip_floor(tmp_path):
    kinds = document_kinds(str(SAMPLE_INPUTS), "2020-11", str(tmp_path), "1")["kinds"]
    assert set(kinds) == {"bao-cao-so-ket.docx", "phu-luc.xlsx", "tinh-trang-bao-cao.xlsx", "bien-ban-hoi-nghi.docx",
                          "tin-bai.docx"}
    for name, kind in kinds.items():
        assert kind["bytes"] == (tmp_path / name).stat().st_size
        assert all(run["cpu"] > 0 and run["wall"] > 0 for run in (*kind["render"], *kind["zip_floor"]))
        assert (tmp_path / "zip" / name).stat().st_size > 0
