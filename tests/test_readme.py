"""The README documents the input contract; this fails when they disagree."""

import re

import pytest
from builders import ROOT

from pipeline.core.parallel import POOL_THRESHOLD
from pipeline.intake.contract import INFO_FIELDS, REGISTRY_COLUMNS, SEVERANCE_COLUMNS, VILLAGE_COLUMNS
from pipeline.vn.filters import FILTERS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def table_after(marker: str) -> list[list[str]]:
    match = re.search(rf"<!-- contract:{marker} -->\n((?:\|.*\|\n)+)", README)
    assert match, f"README has no table after <!-- contract:{marker} -->"
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in match.group(1).splitlines()]
    return [rows[0]] + rows[2:]  # drop the |---| line


@pytest.mark.parametrize("marker, fields", [
    ("registry", REGISTRY_COLUMNS), ("villages", VILLAGE_COLUMNS), ("severance", SEVERANCE_COLUMNS)])
def test_column_tables_match_the_contract(marker, fields):
    assert table_after(marker)[0] == [f.label for f in fields]


def test_info_table_matches_the_contract():
    rows = table_after("info")[1:]
    assert [r[0] for r in rows] == [f.label for f in INFO_FIELDS]
    assert [r[2] == "có" for r in rows] == [f.required for f in INFO_FIELDS]


def test_readme_names_the_commands():
    for command in ("make report PERIOD=2020-11", "make test", "make forms PERIOD=2020-11"):
        assert command in README


def test_the_files_that_start_a_pool_are_counted_as_the_code_counts_them():
    counts = re.findall(r"nhiều tệp \(từ (\d+) trở lên\)|khi có từ (\d+) báo cáo hay văn bản trở lên", README)
    assert sorted(int(a or b) for a, b in counts) == [POOL_THRESHOLD, POOL_THRESHOLD]


def test_every_filter_is_documented_with_an_example():
    documented = set(re.findall(r"^\| `(\w+)` \|", README, flags=re.MULTILINE))
    assert documented == set(FILTERS)


@pytest.mark.parametrize("template", sorted((ROOT / "templates_docx").glob("*.docx")), ids=lambda p: p.name)
def test_readme_lists_exactly_the_variables_each_template_uses(template):
    from pipeline.render.lint import leaf_variables

    match = re.search(rf"<!-- variables:{re.escape(template.name)} -->\n- [^:]*: (.*)\n", README)
    assert match, f"README does not list the variables of {template.name}"
    assert re.findall(r"`([^`]+)`", match.group(1)) == leaf_variables(template)
