"""Make the province sample: tỉnh An Giang under the two-tier local government, 2025-Q3.

Writes `samples/tinh-an-giang/inputs/`:
- `don-vi.csv`: the province's 102 xã, phường, đặc khu, from the official list
  (`pipeline.intake.official_units`, the same as `make don-vi TINH="An Giang"`);
- `2025-Q3/*.xlsx`: one return per unit, each the blank form filled the way
  clerks fill it (`tools/make_sample.py`'s helpers), with invented figures:
  the part-time commune-level posts ended on 1/7/2025, so every unit keeps
  0 people at commune level and each of them left with severance under
  Nghị định 154/2025/NĐ-CP Điều 9, the amount computed from `Phụ cấp hàng tháng`,
  `Số tháng công tác`, `Số tháng đến tuổi nghỉ hưu`; ấp and khu phố are merged
  and their surplus staff leave too (village level: amounts not recomputed).

The settings (`don-vi-bao-cao.yaml`) and the period's texts (`2025-Q3/bao-cao.yaml`,
`hoi-nghi.yaml`) are written by hand and committed beside them.

The cases the run shows:
- phường Vĩnh Tế sends nothing;
- đặc khu Phú Quốc's first commune-level payment was entered 1.000.000 đồng short
  of what the decree gives: a cảnh báo names the row and both amounts.

Fixed seed, fixed document properties: a rerun gives byte-identical files.
People's names are invented. Rerun from the repository root:

    .venv/bin/python tools/make_province_sample.py
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_sample import (  # noqa: E402 - the district sample's helpers, one folder up the path
    People,
    Return,
    SeveranceRow,
    VillageRow,
    random_date,
    village_names,
    write_registry,
    write_returns,
)

from pipeline.core.model import Unit  # noqa: E402
from pipeline.documents.forms import form_file_name  # noqa: E402
from pipeline.intake.contract import (  # noqa: E402
    FORM_RESIGNATION,
    FORM_RETIREMENT,
    LEVEL_COMMUNE,
    LEVEL_VILLAGE,
    REGISTRY_FILES,
)
from pipeline.intake.official_units import find_province, province_units  # noqa: E402
from pipeline.intake.severance_basis import BASES, SeveranceInputs  # noqa: E402
from pipeline.vn.periods import parse_period  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = "An Giang"
INPUTS = ROOT / "samples" / "tinh-an-giang" / "inputs"
PERIOD = parse_period("2025-Q3")
SEED = 20250930
BASIS = BASES["nd154-2025"]

MISSING = "Vĩnh Tế"
SHORT_PAID = ("Phú Quốc", 1_000_000)
# Commune-level part-time posts before 1/7/2025, counted as they were (a merged unit had several communes' worth).
COMMUNE_TITLES = 10
PAID_FROM = date(2025, 7, 1)  # the two-tier model's first day: the severance was paid after it
WINDOW_START, WINDOW_END = PERIOD.cutoff_window()
# What An Giang's part-time staff were paid a month: 1,0 to 1,5 times the base salary of 2.340.000 đồng.
ALLOWANCES = (2_340_000, 2_808_000, 3_042_000, 3_276_000, 3_510_000)
VILLAGE_KIND = {"Xã": "Ấp", "Phường": "Khu phố", "Đặc khu": "Khu phố"}
VILLAGE_TITLES = 3
COMMUNE_LEVEL_TITLES = (
    "Phó Chỉ huy trưởng Quân sự", "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc", "Phó Bí thư Đoàn Thanh niên",
    "Phó Chủ tịch Hội Liên hiệp Phụ nữ", "Phó Chủ tịch Hội Nông dân", "Phó Chủ tịch Hội Cựu chiến binh",
    "Chủ tịch Hội Người cao tuổi", "Chủ tịch Hội Chữ thập đỏ", "Văn thư - Lưu trữ", "Thủ quỹ",
    "Phụ trách Đài truyền thanh", "Nhân viên thú y",
)
VILLAGE_LEVEL_TITLES = ("Phó Trưởng ấp", "Phó Trưởng khu phố", "Công an viên", "Trưởng Ban công tác Mặt trận")


def make_villages(rng: random.Random, unit: Unit) -> list[VillageRow]:
    """The unit's ấp or khu phố after the 2025 rearrangement: some formed from two or three."""
    kind = VILLAGE_KIND[unit.kind]
    taken: set[str] = set()
    villages = []
    for name in village_names(rng, kind, rng.randint(4, 7), taken):
        merged = tuple(village_names(rng, kind, rng.choice((0, 0, 2, 3)), taken))
        before = sum(rng.randint(3, 4) for _ in merged) if merged else rng.randint(3, 4)
        villages.append(VillageRow(name, kind, merged, VILLAGE_TITLES, before, rng.randint(2, 3)))
    return villages


def commune_severance(rng: random.Random, people: People, paid_on: date) -> SeveranceRow:
    """One part-time commune-level worker who left on 1/7/2025, paid as the decree computes."""
    allowance, worked = rng.choice(ALLOWANCES), rng.randint(8, 360)
    to_retirement = rng.choice((0, rng.randint(1, 59), rng.randint(60, 360)))
    given = SeveranceInputs(allowance, worked, None if worked < 60 and rng.random() < 0.5 else to_retirement)
    return SeveranceRow(people.name(), LEVEL_COMMUNE, rng.choice(COMMUNE_LEVEL_TITLES),
                        FORM_RETIREMENT if given.months_to_retirement == 0 else FORM_RESIGNATION,
                        BASIS.amount(given).amount, paid_on, *(getattr(given, key) for key in (
                            "monthly_allowance", "months_worked", "months_to_retirement")))


def village_severance(rng: random.Random, people: People, paid_on: date) -> SeveranceRow:
    return SeveranceRow(people.name(), LEVEL_VILLAGE, rng.choice(VILLAGE_LEVEL_TITLES), FORM_RESIGNATION,
                        rng.randint(60, 400) * 100_000, paid_on)


def make_return(rng: random.Random, people: People, unit: Unit) -> Return:
    prepared_on = random_date(rng, date(2025, 9, 8), WINDOW_END)
    villages = make_villages(rng, unit)
    ret = Return(unit=unit, file_name=form_file_name(unit), people_before=rng.randint(8, 14), people_after=0,
                 approved_on=date(2025, 6, 30), prepared_by=people.name(), prepared_on=prepared_on,
                 villages=villages, commune_titles=COMMUNE_TITLES)
    paid = lambda: random_date(rng, PAID_FROM, prepared_on)  # noqa: E731 - one draw per person
    ret.severances = [commune_severance(rng, people, paid()) for _ in range(ret.people_before)]
    ret.severances += [village_severance(rng, people, paid())
                       for _ in range(sum(v.people_before - v.people_after for v in villages))]
    return ret


def make_returns(units: tuple[Unit, ...]) -> list[Return]:
    rng = random.Random(SEED)
    people = People(rng)
    returns = [make_return(rng, people, unit) for unit in units if unit.name != MISSING]
    short = next(r for r in returns if r.unit.name == SHORT_PAID[0]).severances[0]
    short.amount -= SHORT_PAID[1]
    return returns


def check(units: tuple[Unit, ...], returns: list[Return]) -> None:
    """The shape the README and the tests rely on."""
    assert len(units) == 102 and len(returns) == len(units) - 1
    for ret in returns:
        commune_level = [s for s in ret.severances if s.level == LEVEL_COMMUNE]
        assert ret.people_after == 0 and len(commune_level) == ret.people_before
        village_left = sum(v.people_before - v.people_after for v in ret.villages)
        assert len(ret.severances) - len(commune_level) == village_left
        assert all(WINDOW_START <= s.paid_on <= ret.prepared_on for s in ret.severances)


def main() -> None:
    units = province_units(find_province(PROVINCE))
    returns = make_returns(units)
    check(units, returns)
    INPUTS.mkdir(parents=True, exist_ok=True)
    write_registry(INPUTS / REGISTRY_FILES[0], units)
    out_dir = INPUTS / PERIOD.code
    write_returns(returns, PERIOD, out_dir)
    print(f"{INPUTS / REGISTRY_FILES[0]}: {len(units)} đơn vị; {out_dir}: {len(returns)} tệp")


if __name__ == "__main__":
    main()
