"""Turn raw cell values into typed values, the way clerks actually type them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.intake.contract import clean_text
from pipeline.vn.dates import parse_date

# Thousands may be grouped with dots (Vietnamese), commas or spaces: 1.149.540.875
_GROUPED = re.compile(r"^[+-]?\d{1,3}([., \u00a0])\d{3}(\1\d{3})*$")
_PLAIN = re.compile(r"^[+-]?\d+$")
# C0 and C1 control characters (but tab and line breaks, which clean_text folds into
# spaces) and the bidirectional overrides: nobody types them into a return, a terminal
# obeys them (clear screen, retitle, reorder the line) and Word XML cannot hold them.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def cell_name(row: int, column: int) -> str:
    """Zero-based (row, column) → `F7`."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"{letters}{row + 1}"


def without_controls(text: str) -> str:
    """`text` with control characters removed, so it prints and writes as what it says."""
    return _CONTROLS.sub("", text)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """Text as shown in Excel: whole floats without `.0`."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_text(str(value))


def code_text(value: Any) -> str:
    """Codes stay text; a code Excel stored as a number comes back without `.0`."""
    return cell_text(value)


def parse_whole(value: Any) -> int:
    """A whole number from a number cell or text like `1.149.540.875`.

    Raises ValueError for anything else (fractions, words, dates); the sign is
    kept so the caller can say "negative" rather than "not a number".
    """
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError
    if isinstance(value, str):
        text = clean_text(value)
        if _PLAIN.match(text):
            return int(text)
        if _GROUPED.match(text):
            return int(re.sub(r"[., \u00a0]", "", text))
    raise ValueError


def parse_cell_date(value: Any) -> dt.date:
    """A date cell, or a date typed as text (`18/11/2020`)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise ValueError
