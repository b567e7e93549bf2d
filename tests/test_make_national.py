"""The benchmark's national input generator writes returns the pipeline accepts whole."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from builders import ROOT, RULES, RUN_DATE

from pipeline.core.model import ReturnStatus
from pipeline.intake.ingest import ingest
from pipeline.intake.registry import load_registry
from pipeline.intake.validate import validate

sys.path.insert(0, str(ROOT / "tools"))
import make_national  # noqa: E402  (tools/ is not a package)

COMMUNES = 5


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_national.write_inputs(COMMUNES, tmp_path_factory.mktemp("national") / "inputs", workers=1)


def test_every_return_is_valid_and_counted(inputs: Path) -> None:
    registry = load_registry(inputs)
    result = validate(ingest(inputs / make_national.PERIOD.code), registry, make_national.PERIOD, today=RUN_DATE,
                      rules=RULES)

    assert len(registry) == COMMUNES
    assert len({unit.code for unit in registry}) == COMMUNES
    assert [o.status for o in result.outcomes] == [ReturnStatus.VALID] * COMMUNES
    assert [p.message() for o in result.outcomes for p in o.problems] == []
    assert [r.unit for r in result.accepted] == list(registry)
    assert result.missing == ()
    low, high = make_national.VILLAGES
    assert all(low <= len(r.villages) <= high for r in result.accepted)
    assert sum(len(r.severances) for r in result.accepted) > 0


def test_same_parameters_give_the_same_bytes(inputs: Path, tmp_path: Path) -> None:
    again = make_national.write_inputs(COMMUNES, tmp_path / "again", workers=1)
    written = sorted(p.relative_to(inputs) for p in inputs.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((inputs / p).read_bytes() == (again / p).read_bytes() for p in written)


def test_a_smaller_set_is_the_start_of_a_larger_one() -> None:
    assert make_national.units(3) == make_national.units(7)[:3]
    unit = make_national.units(1)[0]
    assert make_national.make_return(unit) == make_national.make_return(unit)


def test_cached_set_is_reused_until_the_key_changes(tmp_path: Path) -> None:
    first = make_national.national_inputs(2, root=tmp_path, workers=1)
    marker = first / "marker"
    marker.write_text("kept")
    assert make_national.national_inputs(2, root=tmp_path, workers=1) == first
    assert marker.exists()
    make_national.national_inputs(2, seed=make_national.SEED + 1, root=tmp_path, workers=1)
    assert not marker.exists()
