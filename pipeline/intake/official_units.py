"""The registry of a province's current commune-level units, written from the
official 2025 list that the `vietnam-provinces` package maintains (34 provinces,
3.321 xã, phường, đặc khu since 1/7/2025): `python -m pipeline don-vi --tinh "An Giang"`.

The office keeps what the list cannot know: the `Sáp nhập từ` entries of an existing
registry are carried over, unit by unit, by code.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import vietnam_provinces
from vietnam_provinces import Province, Ward

from pipeline.core.files import write_bytes
from pipeline.core.model import Unit
from pipeline.intake.contract import MERGE_SEPARATOR, REGISTRY_COLUMNS, REGISTRY_FILES, label_key
from pipeline.intake.registry import load_registry
from pipeline.vn.units import canonical_kind

# The official codes of communes are five digits, leading zeros kept (Hà Nội's start 00).
CODE_DIGITS = 5
_CITY_PREFIX = "Thành phố "


class UnknownProvince(ValueError):
    """A name that is none of the 34 provinces; the message lists them."""


# The date the package's list was taken from the official source, for the manifest.
DATA_VERSION = vietnam_provinces.__data_version__


def data_version() -> str:
    """`2025.10.1 (dữ liệu 2025-10-18)`: the package, and the date its list was taken."""
    return f"{vietnam_provinces.__version__} (dữ liệu {DATA_VERSION})"


def _fold(name: str) -> str:
    """Case, spacing, and the marks of Vietnamese letters aside: `ha noi` finds `Hà Nội`."""
    decomposed = unicodedata.normalize("NFD", label_key(name).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _short(name: str) -> str:
    """`Thành phố Hà Nội` → `Hà Nội`: how an office names its own province."""
    return name.removeprefix(_CITY_PREFIX)


def province_names() -> tuple[str, ...]:
    return tuple(province.name for province in Province.iter_all())


def find_province(name: str) -> Province:
    """The province `name` means (`An Giang`, `Hà Nội`, `TP Hồ Chí Minh`, `ha noi`)."""
    wanted = _fold(name)
    for prefix in ("thanh pho ", "tp. ", "tp ", "tinh "):
        wanted = wanted.removeprefix(prefix)
    for province in Province.iter_all():
        if _fold(_short(province.name)) == wanted:
            return province
    raise UnknownProvince(
        f"Không có tỉnh, thành phố tên '{unicodedata.normalize('NFC', name).strip()}' trong danh mục 34 tỉnh, thành "
        f"phố (gói vietnam-provinces {data_version()}). Ghi một trong: {', '.join(map(_short, province_names()))}."
    )


def _unit(ward: Ward) -> Unit:
    kind = canonical_kind(ward.division_type.value)
    name = ward.name.removeprefix(f"{kind} ") if kind else ward.name
    return Unit(f"{int(ward.code):0{CODE_DIGITS}d}", unicodedata.normalize("NFC", name), kind or "")


def province_units(province: Province) -> tuple[Unit, ...]:
    """The province's communes, by code."""
    return tuple(sorted((_unit(ward) for ward in Ward.iter_by_province(province.code)), key=lambda u: u.code))


def registry_csv(units: tuple[Unit, ...]) -> bytes:
    """`don-vi.csv` as Excel saves "CSV UTF-8": a byte-order mark, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.label for column in REGISTRY_COLUMNS])
    for unit in units:
        record = {"code": unit.code, "name": unit.name, "kind": unit.kind,
                  "merged_from": f"{MERGE_SEPARATOR} ".join(unit.merged_from)}
        writer.writerow([record[column.key] for column in REGISTRY_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_province_registry(inputs: Path, name: str) -> tuple[Path, Province, tuple[Unit, ...]]:
    """Write `inputs/don-vi.csv` for the province `name`, keeping the `Sáp nhập từ` of the
    registry already there (raises RegistryError when that one cannot be read: it is
    the office's own work, never overwritten blind)."""
    province = find_province(name)
    existing = inputs / REGISTRY_FILES[0]
    kept = {unit.code: unit.merged_from for unit in load_registry(inputs)} if existing.is_file() else {}
    units = tuple(Unit(u.code, u.name, u.kind, kept.get(u.code, ())) for u in province_units(province))
    return write_bytes(existing, registry_csv(units)), province, units
