"""The annex workbook (phụ lục): one row per commune and the district's total."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.core.model import CommuneRow
from pipeline.documents.sheets import (
    CELL,
    FIRST_COLUMN,
    TEXT,
    Heading,
    finish_sheet,
    first_data_row,
    fit_row,
    lay_out_sheet,
    new_workbook,
    set_widths,
    titled_sheet,
)
from pipeline.render.xlsx import CellFormat, Workbook, Worksheet
from pipeline.vn.numbers import format_number
from pipeline.vn.text import capitalize


def annex_columns(villages_target: bool) -> tuple[str, ...]:
    """The CommuneRow fields, a column each. Without a village target (`villages_target`
    false) there is no column of villages over it."""
    columns = ("code", "name", "commune_titles", "people_before", "people_after", "reduction", "villages_before",
               "villages_after", "village_titles", "village_people_before", "village_people_after",
               "village_reduction", "villages_over_target", "severance_cases", "severance_paid")
    return columns if villages_target else tuple(c for c in columns if c != "villages_over_target")


def annex_headings(villages: str, communes: str, villages_target: bool) -> list[list[str | Heading]]:
    """Three header rows over `annex_columns`, as the report's annex heads them: what a
    column counts over "Trước", "Sau", "Giảm", under the level it counts at, the village
    level named by the kinds the data holds (`thôn, tổ dân phố`)."""
    # The villages counted are named as such: "đơn vị" is a commune in the report and its annex.
    over = [Heading(f"{capitalize(villages)} chưa đạt chỉ tiêu", rows=2)] if villages_target else []
    return [
        [Heading("Mã đơn vị", rows=3), Heading(f"Tên {communes}", rows=3), Heading("Cấp xã", columns=4),
         Heading(capitalize(villages), columns=7 if villages_target else 6),
         Heading("Thôi việc, nghỉ việc", columns=2)],
        [Heading("Số chức danh", rows=2), Heading("Số người", columns=3), Heading(f"Số {villages}", columns=2),
         Heading("Số chức danh", rows=2), Heading("Số người", columns=3), *over, Heading("Số người", rows=2),
         Heading("Số tiền đã chi trả (đồng)", rows=2)],
        ["Trước", "Sau", "Giảm", "Trước", "Sau", "Trước", "Sau", "Giảm"],
    ]


_MONEY_FORMAT = '#,##0;-#,##0;"–"'
_TEXT_WIDTHS = {"code": 7, "name": 19}  # the text columns; the others are numbers
_MONEY_COLUMN = "severance_paid"
_NUMBER_WIDTH = 7.5
_NUMBER_PADDING = 1.5


def _formats(bold: bool) -> dict[str, CellFormat]:
    """Each column's format in a commune's row (`bold`: the total's): the text, the counts, the money."""
    text = dataclasses.replace(TEXT, bold=bold)
    count = dataclasses.replace(CELL, bold=bold, number_format="#,##0")
    money = dataclasses.replace(count, number_format=_MONEY_FORMAT)
    return {key: text if key in _TEXT_WIDTHS else money if key == _MONEY_COLUMN else count
            for key in annex_columns(villages_target=True)}


_FORMATS, _TOTAL_FORMATS = _formats(False), _formats(True)


def write_annex_xlsx(rows: Sequence[CommuneRow], totals: CommuneRow, title: str, villages: str,
                     villages_target: bool, target: Path, subtitle: str = "", author: str = "",
                     merges: Mapping[str, Any] | None = None, *, communes: str) -> Path:
    """`subtitle`: `(Kèm theo Báo cáo số … ngày …)`; `author`: the issuing body;
    `villages_target`: a village target is set (the column of villages over it);
    `communes`: the kinds of the units listed (`xã, thị trấn`), as the report's annex names them;
    `merges`: the report's second annex (`pipeline.documents.report.merges_annex`),
    a second sheet named by its label when it has rows, the first then "Phụ lục I"."""
    columns = annex_columns(villages_target)
    workbook = new_workbook()
    listed = bool(merges and merges["rows"])
    sheet = titled_sheet(workbook, FIRST_SHEET if listed else ONE_SHEET, title,
                         annex_headings(villages, communes, villages_target), subtitle)
    first = first_data_row(sheet)
    listed_rows = [*rows, totals]
    for line, row in enumerate(listed_rows, start=first):
        formats = _TOTAL_FORMATS if row is totals else _FORMATS
        name = capitalize(row.name)  # cased as in the report
        for column, key in enumerate(columns, start=FIRST_COLUMN):
            sheet.write(line, column, name if key == "name" else getattr(row, key), formats[key])
        fit_row(sheet, line, [(name, _TEXT_WIDTHS["name"])])
    _border_total_stt(sheet, first + len(rows))
    # Each number column as wide as its widest number grouped by thousands (never `###`),
    # its header wrapped above it; the names wrap: A4 landscape prints the type at 75 % or more.
    widths = {key: max(len(format_number(getattr(r, key))) for r in listed_rows) + _NUMBER_PADDING
              for key in columns if key not in _TEXT_WIDTHS}
    set_widths(sheet, [_TEXT_WIDTHS.get(key) or max(widths[key], _NUMBER_WIDTH) for key in columns])
    if listed:
        _merges_sheet(workbook, merges, subtitle)
    return finish_sheet(workbook, sheet, len(rows), len(columns), 3, target, author)


ONE_SHEET = "Phụ lục"
FIRST_SHEET = "Phụ lục I"
_MERGE_KEYS = ("commune", "former", "into")
_MERGE_WIDTHS = (25, 60, 25)


def _border_total_stt(sheet: Worksheet, line: int) -> None:
    """The totals row has no STT, but its cell there is bordered as the row's others."""
    sheet.write(line, 1, None, _TOTAL_FORMATS["name"])


def _merges_sheet(workbook: Workbook, merges: Mapping[str, Any], subtitle: str) -> None:
    """The merged villages, one line per village formed, then their totals: the second
    sheet, laid out and printed as the first."""
    headings = [merges["commune_heading"], merges["former_heading"], merges["into_heading"]]
    sheet = titled_sheet(workbook, merges["label"], merges["title"], [headings], subtitle)
    first = first_data_row(sheet)
    set_widths(sheet, _MERGE_WIDTHS)
    totals = {**merges["totals"], "commune": merges["totals"]["name"]}  # last, as in the report
    listed = [*merges["rows"], totals]
    for offset, row in enumerate(listed):
        text = _TOTAL_FORMATS["name"] if row is totals else TEXT
        for column, key in enumerate(_MERGE_KEYS, start=FIRST_COLUMN):
            sheet.write(first + offset, column, row[key], text)
        fit_row(sheet, first + offset, [(row[key], width) for key, width in zip(_MERGE_KEYS, _MERGE_WIDTHS)])
    _border_total_stt(sheet, first + len(merges["rows"]))
    lay_out_sheet(sheet, len(merges["rows"]), len(_MERGE_KEYS), 1)
