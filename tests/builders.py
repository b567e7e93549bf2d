"""Build return workbooks and input folders for tests, broken ones included."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pipeline.core.model import (
    CommuneReturn,
    ReturnOutcome,
    ReturnStatus,
    Settings,
    Signer,
    Style,
    Target,
    Unit,
    ValidationResult,
)
from pipeline.intake.contract import (
    INFO_FIELDS,
    INFO_SHEET,
    SEVERANCE_COLUMNS,
    SEVERANCE_SHEET,
    VILLAGE_COLUMNS,
    VILLAGE_SHEET,
)
from pipeline.intake.rules import load_rules
from pipeline.vn.periods import parse_period

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = ROOT / "inputs"

UNITS = (
    Unit("00101", "An Bình", "Xã"),
    Unit("00102", "Đông Hòa", "Xã"),
    Unit("00103", "Phú Minh", "Thị trấn"),
    Unit("00104", "Nam Tiến", "Xã", ("Nam Phong", "Nam Triều")),
)


def info(code: str = "00101", name: str = "An Bình", **values: Any) -> dict[str, Any]:
    base = {
        "code": code, "name": name, "period": "11/2020", "commune_titles": 10,
        "people_before": 12, "people_after": 8, "approved_on": dt.date(2020, 9, 1),
        "prepared_by": "Lê Thị Hoa", "prepared_on": dt.date(2020, 11, 12),
    }
    base.update(values)
    return base


def village(name: str, kind: str = "Thôn", merged: str = "", titles: Any = 3, before: Any = 4,
            after: Any = 2) -> dict[str, Any]:
    return {"name": name, "kind": kind, "merged_from": merged, "titles": titles,
            "people_before": before, "people_after": after}


def severance(name: str, level: str = "Xã", form: str = "Thôi việc", amount: Any = 10_000_000,
              paid_on: Any = dt.date(2020, 11, 1), title: str = "Phó Chỉ huy trưởng Quân sự") -> dict[str, Any]:
    return {"full_name": name, "level": level, "title": title, "form": form, "amount": amount,
            "paid_on": paid_on}


def write_return(path: Path, info_values: dict[str, Any], villages: list[dict[str, Any]],
                 severances: list[dict[str, Any]], *, header_row: int = 3,
                 drop_sheets: tuple[str, ...] = (), drop_columns: tuple[str, ...] = (),
                 drop_labels: tuple[str, ...] = (), severance_order: tuple[str, ...] | None = None) -> Path:
    """A return with a title block above each header, like the real forms."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    if INFO_SHEET not in drop_sheets:
        sheet = workbook.create_sheet(INFO_SHEET)
        sheet.append(["BIỂU BÁO CÁO"])
        for field in INFO_FIELDS:
            if field.key not in drop_labels:
                sheet.append([field.label, info_values.get(field.key)])
    tables = ((VILLAGE_SHEET, VILLAGE_COLUMNS, villages, None),
              (SEVERANCE_SHEET, SEVERANCE_COLUMNS, severances, severance_order))
    for name, columns, rows, order in tables:
        if name in drop_sheets:
            continue
        sheet = workbook.create_sheet(name)
        fields = [f for f in columns if f.key not in drop_columns]
        if order:  # the columns `order` names first, in its order; the others after them
            fields.sort(key=lambda f: order.index(f.key) if f.key in order else len(order))
        sheet.cell(1, 1, f"DANH SÁCH {name.upper()}")
        for c, field in enumerate(fields, start=1):
            sheet.cell(header_row, c, field.label)
        for r, row in enumerate(rows, start=header_row + 1):
            for c, field in enumerate(fields, start=1):
                sheet.cell(r, c, row.get(field.key))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_registry(inputs: Path, units: tuple[Unit, ...] = UNITS) -> Path:
    inputs.mkdir(parents=True, exist_ok=True)
    lines = ["Mã đơn vị,Tên đơn vị,Loại,Sáp nhập từ"]
    lines += [f"{u.code},{u.name},{u.kind},{'; '.join(u.merged_from)}" for u in units]
    path = inputs / "don-vi.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def make_inputs(root: Path, units: tuple[Unit, ...] = UNITS) -> Path:
    """An inputs folder with the sample's settings and period text and a small registry."""
    inputs = root / "inputs"
    write_registry(inputs, units)
    shutil.copy(SAMPLE_INPUTS / "don-vi-bao-cao.yaml", inputs / "don-vi-bao-cao.yaml")
    shutil.copy(SAMPLE_INPUTS / "quy-tac.yaml", inputs / "quy-tac.yaml")
    (inputs / "2020-11").mkdir(exist_ok=True)
    shutil.copy(SAMPLE_INPUTS / "2020-11" / "bao-cao.yaml", inputs / "2020-11" / "bao-cao.yaml")
    return inputs


# --- typed stage data, for tests that start after validation -------------

PERIOD = parse_period("2020-11")
# The run's date in tests: a fixed clock, a few days after the sample's latest `Ngày lập`.
RUN_DATE = dt.date(2020, 11, 20)
# The rules the program ships (inputs/quy-tac.yaml).
RULES = load_rules(SAMPLE_INPUTS, PERIOD.code)[0]
SETTINGS = Settings(
    parent_body="", issuer="ỦY BAN NHÂN DÂN HUYỆN X", issuer_short="UBND huyện X", is_party=False,
    place="X", drafting_unit="Phòng Nội vụ", symbol="BC-UBND",
    signer=Signer("TM. ỦY BAN NHÂN DÂN", "", "CHỦ TỊCH", "A"), addressee="Sở Nội vụ", recipients=(),
    commune_target=Target(8, 10), village_target=Target(2, 3), style=Style(),
)


def commune(unit, after, villages=(), severances=(), before=12, titles=10):
    return CommuneReturn(f"{unit.code}.xlsx", unit, PERIOD, titles, before, after, None, "A",
                         dt.date(2020, 11, 12), tuple(villages), tuple(severances))


def result_of(returns, missing=()):
    outcomes = tuple(ReturnOutcome(r.file, ReturnStatus.VALID, r.unit.code, r.unit.name, r.prepared_on, (), r)
                     for r in returns)
    return ValidationResult(outcomes, tuple(returns), tuple(missing))


# --- two places for one thing: sheets copied under names that read alike, hidden tabs -----

SHEET_STATES = ("visible", "hidden", "veryHidden")


def retitle(sheet: Any, title: str) -> None:
    """Name a sheet `title` even when another differs only by case, as Excel refuses
    and a file can still hold: openpyxl would number it (`THÔN1`)."""
    sheet._WorkbookChild__title = title


def copy_sheet(workbook: Workbook, name: str, title: str, state: str = "visible") -> Any:
    """A copy of the sheet `name`, last among the tabs, titled `title`, in `state`."""
    copy = workbook.copy_worksheet(workbook[name])
    retitle(copy, title)
    copy.sheet_state = state
    return copy


# When the shipped sample's returns reached the office, for runs that must give the
# reviewed bytes: every file the day after the cut-off; a run the day after the
# deadline finds nothing more; Hồng Thái's corrected file comes in late after it.
_ICT = dt.timezone(dt.timedelta(hours=7))
SAMPLE_RECEIVED = dt.datetime(2020, 11, 16, 8, 30, tzinfo=_ICT)
SAMPLE_LOOKED_AFTER_DEADLINE = dt.datetime(2020, 11, 18, 9, 0, tzinfo=_ICT)
SAMPLE_LATE = {"bao_cao_xa_hong_thai_da_sua.xlsx": dt.datetime(2020, 11, 19, 14, 0, tzinfo=_ICT)}


def seed_receipts(outputs: Path, inputs: Path = SAMPLE_INPUTS, period: str = "2020-11") -> None:
    """Enter the period's returns in the receipt ledger as received at the sample's
    fixed times, as runs on those days would have: the clock is then out of the run."""
    from pipeline.core.model import FileDigest
    from pipeline.run.receipts import record_receipts

    returns = [(path.name, FileDigest.of(path.read_bytes())) for path in sorted((inputs / period).glob("*.xlsx"))]
    record_receipts(outputs / period, [r for r in returns if r[0] not in SAMPLE_LATE], clock=lambda: SAMPLE_RECEIVED)
    record_receipts(outputs / period, [], clock=lambda: SAMPLE_LOOKED_AFTER_DEADLINE)
    for name, digest in returns:
        if name in SAMPLE_LATE:
            record_receipts(outputs / period, [(name, digest)], clock=lambda: SAMPLE_LATE[name])
