"""Read the registry of commune-level units (`don-vi.csv` or `don-vi.xlsx`)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pipeline.core.model import Unit
from pipeline.intake.cells import cell_name, code_text, without_controls
from pipeline.intake.contract import REGISTRY_COLUMNS, REGISTRY_FILES, clean_text, label_key, split_names
from pipeline.intake.workbooks import UnreadableWorkbook, read_sheets
from pipeline.vn.units import COMMUNE_KINDS, canonical_kind


class RegistryError(Exception):
    """The registry cannot be used; without it nothing can be checked."""


def find_registry(inputs: Path) -> Path:
    for name in REGISTRY_FILES:
        if (inputs / name).is_file():
            return inputs / name
    raise RegistryError(
        f"Không tìm thấy danh mục đơn vị trong {inputs}: cần tệp {' hoặc '.join(REGISTRY_FILES)}."
    )


def _csv_rows(path: Path) -> list[list[Any]]:
    # utf-8-sig: Excel saves CSV "UTF-8" with a byte-order mark.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            return list(reader)
        except csv.Error:  # a field over the csv module's limit, a NUL byte…
            raise RegistryError(
                f"Danh mục đơn vị {path.name}, dòng {reader.line_num}: không đọc được dòng này "
                f"(một ô quá dài hoặc có ký tự lạ: tệp có thể hỏng hoặc không phải CSV). "
                f"Mở tệp bằng Excel, lưu lại dạng CSV UTF-8 rồi chạy lại."
            ) from None
        except UnicodeDecodeError:
            raise RegistryError(
                f"Danh mục đơn vị {path.name}: tệp không lưu bằng mã UTF-8. "
                f"Trong Excel chọn Lưu thành → CSV UTF-8 (phân cách bằng dấu phẩy) rồi chạy lại."
            ) from None


def _rows(path: Path) -> list[list[Any]]:
    if path.suffix.lower() == ".csv":
        return _csv_rows(path)
    try:
        sheets = read_sheets(path)
    except UnreadableWorkbook as error:
        raise RegistryError(f"Không đọc được danh mục đơn vị {path.name}: {error.found}. {error.fix}.") from None
    return next(iter(sheets.values()), [])


def load_registry(inputs: Path) -> tuple[Unit, ...]:
    path = find_registry(inputs)
    try:
        rows = _rows(path)
    except OSError as error:
        reason = without_controls(error.strerror or type(error).__name__)
        raise RegistryError(f"Không mở được danh mục đơn vị {path} ({reason}). "
                            f"Kiểm tra tệp có đó và đọc được rồi chạy lại.") from None
    if not rows:
        raise RegistryError(f"Danh mục đơn vị {path.name} trống.")

    header = [label_key(str(v)) for v in rows[0]]
    columns: dict[str, int] = {}
    for column in REGISTRY_COLUMNS:
        if label_key(column.label) in header:
            columns[column.key] = header.index(label_key(column.label))
        elif column.required:
            raise RegistryError(f"Danh mục đơn vị {path.name} thiếu cột '{column.label}' ở dòng 1.")

    def value(row: list[Any], key: str) -> Any:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else ""

    units: list[Unit] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        code = code_text(value(row, "code"))
        name = clean_text(str(value(row, "name")))
        if not code and not name:
            continue
        kind = canonical_kind(str(value(row, "kind")))
        where = f"Danh mục đơn vị {path.name}, dòng {number}"
        if not code or not name:
            raise RegistryError(f"{where}: thiếu mã hoặc tên đơn vị.")
        if kind not in COMMUNE_KINDS:
            col = cell_name(number - 1, columns["kind"])
            raise RegistryError(
                f"{where} (ô {col}): loại đơn vị '{value(row, 'kind')}' không hợp lệ, "
                f"cần một trong: {', '.join(COMMUNE_KINDS)}."
            )
        if code in seen:
            raise RegistryError(f"{where}: mã {code} trùng với dòng {seen[code]}.")
        seen[code] = number
        units.append(Unit(code, name, kind, split_names(str(value(row, "merged_from")))))
    if not units:
        raise RegistryError(f"Danh mục đơn vị {path.name} không có đơn vị nào.")
    return tuple(units)
