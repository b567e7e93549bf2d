"""Make the sample inputs: one district (huyện Phú Xuyên, Hà Nội), period 2020-11.

Writes
- `inputs/don-vi.csv`: the registry of the district's 27 communes (25 xã, 2 thị
  trấn; xã Nam Tiến formed from Nam Phong and Nam Triều), UTF-8 with a BOM as
  Excel saves it;
- `inputs/2020-11/*.xlsx`: the communes' returns, each a blank form from
  `pipeline.documents.forms.build_form` filled in the way clerks fill it: file names of
  their own choosing, counts typed as text, a reordered table, an extra title
  row, stray spaces, the period written in different accepted forms.

The cases the pipeline must handle:
- xã Tri Thủy sends nothing;
- xã Châu Can's return is invalid (a count typed as a word, a village row half
  filled) and must be left out whole;
- xã Hồng Thái sent two files; the later `Ngày lập` wins and its figures differ
  from the earlier file's, so counting both would show;
- xã Phú Túc and Đại Xuyên keep 9 people at commune level (target 8 per 10 titles).

The figures hang together: in every return, at each level, the `Thôi việc` sheet
lists one person for every post cut — as many rows at level Xã as the commune's
people before less after, as many at level Thôn as its villages' reductions
added up — each with an amount and, but for a few (`PENDING`) not yet paid, a
date of payment between the plan's approval and the return's date. Hồng Thái's
earlier file keeps one more person at commune level and so lists one fewer.

Everything is drawn from a fixed seed and the workbooks carry fixed document
properties, so a rerun gives byte-identical files. People's names are invented.

Rerun from the repository root:

    .venv/bin/python tools/make_sample.py
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.files import write_workbook
from pipeline.core.model import Unit
from pipeline.documents.forms import (
    FORM_HEADER_ROW,
    INFO_ROWS,
    INFO_VALUE_COLUMN,
    NUMBER_FORMATS,
    build_form,
    form_file_name,
)
from pipeline.intake.contract import (
    FORM_RESIGNATION,
    FORM_RETIREMENT,
    INFO_FIELDS,
    INFO_SHEET,
    LEVEL_COMMUNE,
    LEVEL_VILLAGE,
    MERGE_SEPARATOR,
    REGISTRY_FILES,
    SEVERANCE_COLUMNS,
    SEVERANCE_SHEET,
    VILLAGE_COLUMNS,
    VILLAGE_SHEET,
    Field,
    FieldType,
)
from pipeline.intake.official_units import registry_csv
from pipeline.vn.periods import Period, parse_period
from pipeline.vn.units import COMMUNE_KINDS, VILLAGE_KINDS

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
PERIOD = parse_period("2020-11")
SEED = 20201118

JOIN = f"{MERGE_SEPARATOR} "
TOWN = "Thị trấn"
COMMUNE = "Xã"
VILLAGE_KIND = "Thôn"
TOWN_VILLAGE_KIND = "Tiểu khu"
VILLAGE_TITLES = 3
COMMUNE_TITLES = 10

UNITS: tuple[Unit, ...] = tuple(
    Unit(code, name, kind, tuple(merged.split(JOIN)) if merged else ())
    for code, name, kind, merged in (
        ("10171", "Phú Xuyên", TOWN, ""),
        ("10174", "Phú Minh", TOWN, ""),
        ("10177", "Hồng Minh", COMMUNE, ""),
        ("10180", "Phượng Dực", COMMUNE, ""),
        ("10183", "Nam Tiến", COMMUNE, JOIN.join(("Nam Phong", "Nam Triều"))),
        ("10186", "Tri Trung", COMMUNE, ""),
        ("10189", "Đại Thắng", COMMUNE, ""),
        ("10192", "Phú Túc", COMMUNE, ""),
        ("10195", "Văn Hoàng", COMMUNE, ""),
        ("10198", "Hồng Thái", COMMUNE, ""),
        ("10201", "Hoàng Long", COMMUNE, ""),
        ("10204", "Quang Trung", COMMUNE, ""),
        ("10207", "Tri Thủy", COMMUNE, ""),
        ("10210", "Đại Xuyên", COMMUNE, ""),
        ("10213", "Phú Yên", COMMUNE, ""),
        ("10216", "Bạch Hạ", COMMUNE, ""),
        ("10219", "Quang Lãng", COMMUNE, ""),
        ("10222", "Châu Can", COMMUNE, ""),
        ("10225", "Minh Tân", COMMUNE, ""),
        ("10228", "Phúc Tiến", COMMUNE, ""),
        ("10231", "Thụy Phú", COMMUNE, ""),
        ("10234", "Văn Nhân", COMMUNE, ""),
        ("10237", "Khai Thái", COMMUNE, ""),
        ("10240", "Sơn Hà", COMMUNE, ""),
        ("10243", "Tân Dân", COMMUNE, ""),
        ("10246", "Vân Từ", COMMUNE, ""),
        ("10249", "Chuyên Mỹ", COMMUNE, ""),
    )
)

MISSING = "Tri Thủy"
INVALID = "Châu Can"
TWICE = "Hồng Thái"
OVER_TARGET = ("Phú Túc", "Đại Xuyên")
OVER_TARGET_VILLAGES = 20
# Severance not yet paid (blank `Ngày chi trả`), per level.
PENDING = {LEVEL_COMMUNE: 4, LEVEL_VILLAGE: 9}

# Villages formed by merging, per commune: (new name, former names).
MERGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Nam Tiến": ("Thôn Đông", ("Thôn Đông Thượng", "Thôn Đông Hạ")),
    "Phú Xuyên": ("Tiểu khu Phú Mỹ", ("Tiểu khu Mỹ Lâm", "Tiểu khu Phú Thịnh")),
    "Tri Trung": ("Thôn Trung Hòa", ("Thôn Trung", "Thôn Hòa Xá", "Thôn Hòa Xuyên")),
    "Hoàng Long": ("Thôn Văn Lãng", ("Thôn Văn Giáp", "Thôn Lãng Xuyên")),
    "Hồng Thái": ("Thôn Tân Hòa", ("Thôn Tân Độ", "Thôn Hòa Bình", "Thôn Bình Lạc")),
}

# How each clerk names the file; the rest follow _NAME_STYLES in turn.
FILE_NAMES: dict[str, str] = {
    "Nam Tiến": "BC Nam Tien T11.xlsx",
    "Văn Hoàng": "10195.xlsx",
    "Bạch Hạ": "Báo cáo KCT Bạch Hạ.xlsx",
    "Phú Xuyên": "BC TT Phu Xuyen thang 11.2020.xlsx",
    "Phú Minh": "Phu Minh - bao cao T11.xlsx",
}
TWICE_FILES = ("bao_cao_xa_hong_thai.xlsx", "bao_cao_xa_hong_thai_da_sua.xlsx")
TWICE_DATES = (date(2020, 11, 11), date(2020, 11, 16))
_NAME_STYLES = (
    lambda unit, slug: form_file_name(unit),
    lambda unit, slug: f"bao cao sap xep KCT xa {slug.replace('-', ' ')}.xlsx",
    lambda unit, slug: f"KCT_{slug.replace('-', '_')}_11-2020.xlsx",
    lambda unit, slug: f"{unit.code}.xlsx",
    lambda unit, slug: f"BAO CAO {slug.replace('-', ' ').upper()}.xlsx",
)

# `Kỳ báo cáo` as clerks retype it; the others keep the form's prefilled label.
PERIOD_TEXTS: dict[str, str] = {
    "Hồng Minh": "11/2020",
    "Phượng Dực": "11/2020",
    "Tri Trung": "Tháng 11/2020",
    "Đại Thắng": "tháng 11 năm 2020",
    "Quang Trung": "11/2020",
    "Phúc Tiến": "Tháng 11/2020",
    "Tân Dân": "tháng 11 năm 2020",
}
INFO_COUNTS_AS_TEXT = ("Văn Hoàng",)
VILLAGE_COUNTS_AS_TEXT = ("Phượng Dực",)
AMOUNT_AS_TEXT = ("Khai Thái", 14_875_500)
REORDERED = ("Sơn Hà", ("full_name", "title", "level", "form", "paid_on", "amount"))
EXTRA_TITLE_ROW = "Quang Lãng"
NO_APPROVAL_DATE = ("Thụy Phú", "Vân Từ", "Phú Yên")

FAMILY = ("Nguyễn",) * 6 + ("Trần",) * 3 + ("Lê",) * 3 + (
    "Phạm", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh", "Phùng", "Đào", "Lương", "Hà",
)
MALE_MIDDLE = ("Văn", "Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Công", "Đình", "Xuân", "Ngọc", "Thanh")
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Kim", "Minh")
MALE_GIVEN = (
    "Hùng", "Dũng", "Tuấn", "Thắng", "Sơn", "Hải", "Long", "Cường", "Toàn", "Khánh", "Bình", "Hưng", "Thành",
    "Quân", "Tùng", "Nam", "Trung", "Hiếu", "Lộc", "Thịnh", "Việt", "Chiến", "Huy", "Đạt",
)
FEMALE_GIVEN = (
    "Lan", "Hương", "Hoa", "Mai", "Nga", "Phương", "Thủy", "Hà", "Hiền", "Huyền", "Liên", "Loan", "Yến", "Dung",
    "Hằng", "Thảo", "Trang", "Nhung", "Oanh", "Tuyết",
)

# Village names: two syllables, as in the district's own (`Phú Đôi`, `Mễ Sơn`).
FIRST_SYLLABLES = (
    "An", "Bình", "Cát", "Đồng", "Gia", "Khánh", "Lạc", "Mỹ", "Nhân", "Phúc", "Quang", "Thái",
    "Vĩnh", "Xuân", "Yên", "Đại", "Kim", "Ngọc", "Mễ", "Cổ", "Thượng", "Tiên", "Hoàng", "Phượng",
)
SECOND_SYLLABLES = (
    "Đôi", "Ninh", "Sơn", "Thịnh", "Trì", "Viên", "Khê", "Điền", "Nội", "Cầu", "Dương", "Châu",
    "Phong", "Lễ", "Vực", "Tảo", "Mai", "Chợ", "Xuyên", "Duệ",
)

COMMUNE_LEVEL_TITLES = (
    "Phó Chỉ huy trưởng Quân sự",
    "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc",
    "Phó Bí thư Đoàn Thanh niên",
    "Phó Chủ tịch Hội Liên hiệp Phụ nữ",
    "Phó Chủ tịch Hội Nông dân",
    "Phó Chủ tịch Hội Cựu chiến binh",
    "Chủ tịch Hội Người cao tuổi",
    "Chủ tịch Hội Chữ thập đỏ",
    "Phó Trưởng Công an xã (bán chuyên trách)",
    "Văn thư - Lưu trữ",
    "Thủ quỹ",
    "Phụ trách Đài truyền thanh",
    "Nhân viên thú y",
)
VILLAGE_LEVEL_TITLES = (
    "Phó Trưởng thôn",
    "Công an viên",
    "Trưởng Ban công tác Mặt trận",
    "Bí thư Chi bộ",
    "Trưởng thôn",
)
TOWN_VILLAGE_LEVEL_TITLES = (
    "Phó Trưởng tiểu khu",
    "Công an viên",
    "Trưởng Ban công tác Mặt trận",
    "Bí thư Chi bộ",
)

WINDOW_START, WINDOW_END = PERIOD.cutoff_window()


@dataclass
class VillageRow:
    name: str
    kind: str
    merged_from: tuple[str, ...]
    titles: int | None
    people_before: int | None
    people_after: int | None


@dataclass
class SeveranceRow:
    full_name: str
    level: str
    title: str
    form: str
    amount: int
    paid_on: date | None
    # What the amount is computed from, when the clerk fills it in (the 2025 returns do).
    monthly_allowance: int | None = None
    months_worked: int | None = None
    months_to_retirement: int | None = None


@dataclass
class Return:
    """What one file says, before the clerk's typing habits are applied."""

    unit: Unit
    file_name: str
    people_before: int
    people_after: int | str
    approved_on: date | None
    prepared_by: str
    prepared_on: date
    villages: list[VillageRow]
    severances: list[SeveranceRow] = field(default_factory=list)
    commune_titles: int = COMMUNE_TITLES


class People:
    """Invented, distinct full names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def name(self) -> str:
        while True:
            if self.rng.random() < 0.5:
                middle, given = self.rng.choice(MALE_MIDDLE), self.rng.choice(MALE_GIVEN)
            else:
                middle, given = self.rng.choice(FEMALE_MIDDLE), self.rng.choice(FEMALE_GIVEN)
            full = f"{self.rng.choice(FAMILY)} {middle} {given}"
            if full not in self.used:
                self.used.add(full)
                return full


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def village_names(rng: random.Random, prefix: str, count: int, taken: set[str]) -> Iterator[str]:
    made = 0
    while made < count:
        first, second = rng.choice(FIRST_SYLLABLES), rng.choice(SECOND_SYLLABLES)
        name = f"{prefix} {first} {second}"
        if name not in taken:
            taken.add(name)
            made += 1
            yield name


def make_villages(rng: random.Random, unit: Unit) -> list[VillageRow]:
    town = unit.kind == TOWN
    kind = TOWN_VILLAGE_KIND if town else VILLAGE_KIND
    count = rng.randint(6, 8) if town else rng.randint(5, 7)
    merge = MERGES.get(unit.name)
    taken = {merge[0], *merge[1]} if merge else set()
    villages = [
        VillageRow(name, kind, (), VILLAGE_TITLES, rng.randint(3, 5), 2)
        for name in village_names(rng, kind, count - bool(merge), taken)
    ]
    if merge:
        before = sum(rng.randint(3, 5) for _ in merge[1])
        villages.insert(rng.randint(0, len(villages)), VillageRow(merge[0], kind, merge[1], VILLAGE_TITLES, before, 2))
    return villages


def severance(rng: random.Random, people: People, ret: Return, level: str) -> SeveranceRow:
    """One person who left at `level`, paid between the plan's approval and the return's date."""
    town = ret.unit.kind == TOWN
    titles = COMMUNE_LEVEL_TITLES if level == LEVEL_COMMUNE else TOWN_VILLAGE_LEVEL_TITLES if town else VILLAGE_LEVEL_TITLES
    first_paid = max(WINDOW_START, ret.approved_on or WINDOW_START)
    return SeveranceRow(
        full_name=people.name(),
        level=level,
        title=rng.choice(titles),
        form=FORM_RESIGNATION if rng.random() < 0.7 else FORM_RETIREMENT,
        amount=rng.randint(30_000, 600_000) * 100,
        paid_on=random_date(rng, first_paid, min(ret.prepared_on, WINDOW_END)),
    )


def reductions(ret: Return) -> dict[str, int]:
    """The posts cut at each level: people before less people after."""
    return {
        LEVEL_COMMUNE: ret.people_before - int(ret.people_after),
        LEVEL_VILLAGE: sum(v.people_before - v.people_after for v in ret.villages),
    }


def departures(rng: random.Random, people: People, ret: Return) -> list[SeveranceRow]:
    """One row per person who left: commune level first, then the villages."""
    return [severance(rng, people, ret, level) for level, cut in reductions(ret).items() for _ in range(cut)]


def file_names() -> dict[str, str]:
    names = dict(FILE_NAMES)
    others = [u for u in UNITS if u.name not in names and u.name not in (MISSING, TWICE)]
    for i, unit in enumerate(others):
        slug = form_file_name(unit).removesuffix(".xlsx").split("-", 1)[1]
        names[unit.name] = _NAME_STYLES[i % len(_NAME_STYLES)](unit, slug)
    return names


def make_returns() -> list[Return]:
    """Every file of the sample, in a fixed order; Hồng Thái's earlier file first."""
    rng = random.Random(SEED)
    people = People(rng)
    names = file_names()
    returns: list[Return] = []
    for unit in UNITS:
        if unit.name == MISSING:
            continue
        prepared_on = TWICE_DATES[1] if unit.name == TWICE else random_date(rng, date(2020, 11, 10), date(2020, 11, 17))
        after = 9 if unit.name in OVER_TARGET else rng.choice((7, 8, 8))
        ret = Return(
            unit=unit,
            file_name=TWICE_FILES[1] if unit.name == TWICE else names[unit.name],
            people_before=rng.randint(10, 14),
            people_after=after,
            approved_on=None if unit.name in NO_APPROVAL_DATE else random_date(
                rng, date(2020, 9, 15), date(2020, 10, 30)
            ),
            prepared_by=people.name(),
            prepared_on=prepared_on,
            villages=make_villages(rng, unit),
        )
        returns.append(ret)

    counted = [r for r in returns if r.unit.name != INVALID]
    for village in rng.sample([v for r in counted for v in r.villages], OVER_TARGET_VILLAGES):
        village.people_after = 3
    for ret in returns:
        ret.severances = departures(rng, people, ret)
    for level, count in PENDING.items():
        for row in rng.sample([s for r in counted for s in r.severances if s.level == level], count):
            row.paid_on = None

    spoil(rng, next(r for r in returns if r.unit.name == INVALID))
    amount_row = next(r for r in returns if r.unit.name == AMOUNT_AS_TEXT[0]).severances[0]
    amount_row.amount = AMOUNT_AS_TEXT[1]
    add_stray_spaces(returns)

    later = next(r for r in returns if r.unit.name == TWICE)
    returns.insert(returns.index(later), earlier_version(later))
    return returns


def spoil(rng: random.Random, ret: Return) -> None:
    """A count typed as a word and a village row left half filled."""
    ret.people_after = "bảy"
    taken = {v.name for v in ret.villages}
    name = next(village_names(rng, VILLAGE_KIND, 1, taken))
    ret.villages.append(VillageRow(name, VILLAGE_KIND, (), None, None, None))


def add_stray_spaces(returns: list[Return]) -> None:
    minh_tan = next(r for r in returns if r.unit.name == "Minh Tân")
    minh_tan.villages[1].name = f"  {minh_tan.villages[1].name} "
    minh_tan.villages[2].kind = f"{minh_tan.villages[2].kind} "
    bach_ha = next(r for r in returns if r.unit.name == "Bạch Hạ")
    bach_ha.prepared_by = f" {bach_ha.prepared_by}"
    for row in bach_ha.severances[:1]:
        row.full_name = row.full_name.replace(" ", "  ", 1)


def earlier_version(later: Return) -> Return:
    """The first file Hồng Thái sent: one more person kept, a village and payments not yet final."""
    first = copy.deepcopy(later)
    first.file_name = TWICE_FILES[0]
    first.prepared_on = TWICE_DATES[0]
    first.people_after = int(later.people_after) + 1
    next(v for v in first.villages if v.people_after == 2).people_after = 3
    first.villages[-1].people_before += 1
    # The person kept does not appear; payments made after the first file was
    # written were still pending in it.
    kept = max(i for i, row in enumerate(later.severances) if row.level == LEVEL_COMMUNE)
    first.severances = [
        replace(row, amount=row.amount - 1_250_000 if i == 0 else row.amount,
                paid_on=row.paid_on if row.paid_on and row.paid_on <= first.prepared_on else None)
        for i, row in enumerate(later.severances) if i != kept
    ]
    return first


# --- writing ---------------------------------------------------------------


def shifted(cell_range: CellRange, rows: int = 0, columns: int = 0) -> CellRange:
    # A validation's ranges are hashed by position: build new ones, never shift in place.
    moved = CellRange(cell_range.coord)
    moved.shift(col_shift=columns, row_shift=rows)
    return moved


def insert_title_row(ws: Worksheet, text: str) -> None:
    """Insert a row under the title, as Excel would: merges, validations and panes move too."""
    merged = [CellRange(r.coord) for r in ws.merged_cells.ranges]
    for cell_range in merged:
        ws.unmerge_cells(cell_range.coord)
    ws.insert_rows(2)
    heights = {row: dim.height for row, dim in ws.row_dimensions.items() if row >= 2}
    for row, height in sorted(heights.items(), reverse=True):
        ws.row_dimensions[row + 1].height = height
    ws.row_dimensions[2].height = None
    for cell_range in merged:
        if cell_range.min_row >= 2:
            cell_range.shift(row_shift=1)
        ws.merge_cells(cell_range.coord)
    for dv in ws.data_validations.dataValidation:
        dv.sqref = MultiCellRange([shifted(r, rows=1) for r in dv.sqref.ranges])
    ws.freeze_panes = f"A{FORM_HEADER_ROW + 2}"
    note = ws.cell(row=2, column=1, value=text)
    note.font = copy.copy(ws.cell(row=3, column=1).font)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ws.max_column)


def reorder_columns(ws: Worksheet, header_row: int, order: tuple[str, ...]) -> None:
    """Put the table's columns in another order, with their widths, formats and validations."""
    old = {ws.cell(header_row, column).value: column for column in range(1, len(order) + 1)}
    moves = {old[label]: new for new, label in enumerate(order, start=1)}
    dims = {
        column: (ws.column_dimensions[get_column_letter(column)].width,
                 ws.column_dimensions[get_column_letter(column)].number_format)
        for column in moves
    }
    for column, new in moves.items():
        letter = get_column_letter(new)
        ws.cell(header_row, new).value = order[new - 1]
        ws.column_dimensions[letter].width, ws.column_dimensions[letter].number_format = dims[column]
    for dv in ws.data_validations.dataValidation:
        # A validation outside the reordered columns (the optional ones after them) stays put.
        dv.sqref = MultiCellRange([shifted(r, columns=moves.get(r.min_col, r.min_col) - r.min_col)
                                   for r in dv.sqref.ranges])


def header_columns(ws: Worksheet, fields: tuple[Field, ...]) -> tuple[int, dict[str, int]]:
    """The header row and each field's column, found as a reader would find them."""
    labels = {f.label: f.key for f in fields}
    for row in range(1, FORM_HEADER_ROW + 2):
        found = {labels[c.value]: c.column for c in ws[row] if c.value in labels}
        if len(found) == len(fields):
            return row, found
    raise ValueError(f"no header row on {ws.title}")


def put(ws: Worksheet, row: int, column: int, value: object, kind: FieldType, as_text: bool = False) -> None:
    # Excel gives typed cells the column's format; a number pasted as text keeps "@".
    cell = ws.cell(row=row, column=column, value=str(value) if as_text and value is not None else value)
    if value is not None:
        cell.number_format = "@" if as_text else NUMBER_FORMATS[kind]


def fill(wb: Workbook, ret: Return) -> None:
    name = ret.unit.name
    info = wb[INFO_SHEET]
    values = {
        "commune_titles": ret.commune_titles,
        "people_before": ret.people_before,
        "people_after": ret.people_after,
        "approved_on": ret.approved_on,
        "prepared_by": ret.prepared_by,
        "prepared_on": ret.prepared_on,
    }
    if name in PERIOD_TEXTS:
        values["period"] = PERIOD_TEXTS[name]
    for f in INFO_FIELDS:
        if f.key in values:
            as_text = name in INFO_COUNTS_AS_TEXT and f.type is FieldType.COUNT
            put(info, INFO_ROWS[f.key], INFO_VALUE_COLUMN, values[f.key], f.type, as_text)

    villages, severances = wb[VILLAGE_SHEET], wb[SEVERANCE_SHEET]
    if name == EXTRA_TITLE_ROW:
        note = f"(Kèm theo Báo cáo ngày {ret.prepared_on:%d/%m/%Y} của UBND xã {name})"
        insert_title_row(villages, note)
        insert_title_row(severances, note)
    if name == REORDERED[0]:
        labels = {f.key: f.label for f in SEVERANCE_COLUMNS}
        reorder_columns(severances, FORM_HEADER_ROW, tuple(labels[key] for key in REORDERED[1]))

    header, columns = header_columns(villages, VILLAGE_COLUMNS)
    for row, village in enumerate(ret.villages, start=header + 1):
        record = {
            "name": village.name, "kind": village.kind, "merged_from": JOIN.join(village.merged_from) or None,
            "titles": village.titles, "people_before": village.people_before, "people_after": village.people_after,
        }
        for f in VILLAGE_COLUMNS:
            as_text = name in VILLAGE_COUNTS_AS_TEXT and f.type is FieldType.COUNT
            put(villages, row, columns[f.key], record[f.key], f.type, as_text)

    header, columns = header_columns(severances, SEVERANCE_COLUMNS)
    for row, severance in enumerate(ret.severances, start=header + 1):
        for f in SEVERANCE_COLUMNS:
            value = getattr(severance, f.key)
            if name == AMOUNT_AS_TEXT[0] and f.key == "amount" and value == AMOUNT_AS_TEXT[1]:
                put(severances, row, columns[f.key], f"{value:,}".replace(",", "."), f.type, as_text=True)
            else:
                put(severances, row, columns[f.key], value, f.type)

    # Excel stamps the clerk's last save; the form's creation stays as sent.
    wb.properties.lastModifiedBy = ret.prepared_by.strip()
    wb.properties.modified = datetime.combine(ret.prepared_on, time(16, 30))


def write_registry(path: Path, units: Iterable[Unit] = UNITS) -> None:
    path.write_bytes(registry_csv(tuple(units)))


def check(returns: list[Return]) -> None:
    """The sample must keep the shape its users rely on."""
    counted = [r for r in returns if r.unit.name != INVALID and r.file_name != TWICE_FILES[0]]
    assert len(counted) == len(UNITS) - 2
    assert all(unit.kind in COMMUNE_KINDS for unit in UNITS)
    assert all(v.kind.strip() in VILLAGE_KINDS for r in returns for v in r.villages)
    assert sorted(r.unit.name for r in counted if r.people_after == 9) == sorted(OVER_TARGET)
    for ret in (r for r in returns if r.unit.name != INVALID):
        left = {level: sum(s.level == level for s in ret.severances) for level in reductions(ret)}
        assert left == reductions(ret), (ret.file_name, left, reductions(ret))
    assert len({r.file_name for r in returns}) == len(returns)
    assert len(next(r for r in counted if r.unit.name == TWICE).severances) >= 2
    for ret in counted:
        assert all(v.people_after <= v.people_before for v in ret.villages)


def write_returns(returns: list[Return], period: Period, out_dir: Path) -> None:
    """Each return on the blank form of its unit, filled as its clerk fills it."""
    for ret in returns:
        workbook = build_form(ret.unit, period)
        fill(workbook, ret)
        write_workbook(workbook, out_dir / ret.file_name)


def main() -> None:
    returns = make_returns()
    check(returns)
    write_registry(INPUTS / REGISTRY_FILES[0])
    out_dir = INPUTS / PERIOD.code
    write_returns(returns, PERIOD, out_dir)
    print(f"{INPUTS / REGISTRY_FILES[0]}: {len(UNITS)} đơn vị; {out_dir}: {len(returns)} tệp")


if __name__ == "__main__":
    main()
