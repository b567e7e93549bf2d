"""Report periods (month, quarter, half-year, nine months, year): codes, labels, cut-off windows."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import total_ordering

from pipeline.vn.numbers import from_roman, to_roman

_ACCEPTED_FORMS = (
    "2020-11, 11/2020, tháng 11 năm 2020, Quý IV/2020, Quý 4 năm 2020, "
    "6 tháng đầu năm 2020, 6 tháng cuối năm 2020, 9 tháng năm 2020, Năm 2020"
)
_MIN_YEAR = 1000
_MAX_YEAR = 9999


@total_ordering
class PeriodKind(Enum):
    """Kinds of report period, ordered from the shortest to the longest."""

    MONTH = 1
    QUARTER = 2
    HALF = 3
    NINE_MONTHS = 4
    YEAR = 5

    # Ordered so that `Period` (order=True) can compare periods of different kinds.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PeriodKind):
            return NotImplemented
        return self.value < other.value


# Largest `number` of each kind; NINE_MONTHS and YEAR have only number 1.
_COUNT_PER_YEAR: dict[PeriodKind, int] = {
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.HALF: 2,
    PeriodKind.NINE_MONTHS: 1,
    PeriodKind.YEAR: 1,
}
_MONTHS_PER_PERIOD: dict[PeriodKind, int] = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF: 6,
    PeriodKind.NINE_MONTHS: 9,
    PeriodKind.YEAR: 12,
}
_NUMBER_NAMES: dict[PeriodKind, str] = {
    PeriodKind.MONTH: "tháng",
    PeriodKind.QUARTER: "quý",
    PeriodKind.HALF: "số thứ tự nửa năm (1: 6 tháng đầu, 2: 6 tháng cuối)",
    PeriodKind.NINE_MONTHS: "số thứ tự của kỳ 9 tháng",
    PeriodKind.YEAR: "số thứ tự của kỳ năm",
}


class PeriodError(ValueError):
    """A report period that cannot be read or does not exist; the message is for the clerk."""


def _invalid_reason(year: object, kind: object, number: object) -> str | None:
    if not isinstance(kind, PeriodKind):
        return f"loại kỳ {kind!r} không có"
    if isinstance(year, bool) or not isinstance(year, int) or not _MIN_YEAR <= year <= _MAX_YEAR:
        return f"năm phải có 4 chữ số, nhận được {year!r}"
    limit = _COUNT_PER_YEAR[kind]
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= limit:
        allowed = "là 1" if limit == 1 else f"từ 1 đến {limit}"
        return f"{_NUMBER_NAMES[kind]} phải {allowed}, nhận được {number!r}"
    return None


@dataclass(frozen=True, order=True)
class Period:
    """One report period; `number` is the month, quarter or half (1 for nine months and year)."""

    year: int
    kind: PeriodKind
    number: int

    def __post_init__(self) -> None:
        if reason := _invalid_reason(self.year, self.kind, self.number):
            raise PeriodError(f"Kỳ báo cáo không hợp lệ: {reason}.")

    @property
    def code(self) -> str:
        """`2020-11`, `2020-Q4`, `2020-H1`, `2020-9M`, `2020`: also the folder name for the period."""
        match self.kind:
            case PeriodKind.MONTH:
                return f"{self.year}-{self.number:02d}"
            case PeriodKind.QUARTER:
                return f"{self.year}-Q{self.number}"
            case PeriodKind.HALF:
                return f"{self.year}-H{self.number}"
            case PeriodKind.NINE_MONTHS:
                return f"{self.year}-9M"
            case PeriodKind.YEAR:
                return str(self.year)

    def label(self) -> str:
        """As official text writes it: `tháng 11 năm 2020`, `quý IV năm 2020`, `6 tháng đầu năm 2020`."""
        match self.kind:
            case PeriodKind.MONTH:
                return f"tháng {self.number} năm {self.year}"
            case PeriodKind.QUARTER:
                return f"quý {to_roman(self.number)} năm {self.year}"
            case PeriodKind.HALF:
                return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
            case PeriodKind.NINE_MONTHS:
                return f"9 tháng năm {self.year}"
            case PeriodKind.YEAR:
                return f"năm {self.year}"

    def press_label(self) -> str:
        """As the press writes it: `tháng 11/2020`, `quý IV/2020`; other kinds as `label()`."""
        match self.kind:
            case PeriodKind.MONTH:
                return f"tháng {self.number}/{self.year}"
            case PeriodKind.QUARTER:
                return f"quý {to_roman(self.number)}/{self.year}"
            case _:
                return self.label()

    def previous(self) -> "Period":
        """The period of the same kind just before: 2020-01 → 2019-12, 2020-9M → 2019-9M."""
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, _COUNT_PER_YEAR[self.kind])

    def cutoff_window(self) -> tuple[date, date]:
        """Data cut-off window (Decree 09/2019 as provinces apply it), both ends included.

        The rule in the reference — from the 15th of the month before the period's
        first month to the 14th of its last month — is written out for month,
        quarter, first half and year; we assume the second half (15/6 to 14/12) and
        nine months (15/12 of the previous year to 14/9) follow the same rule.
        """
        months = _MONTHS_PER_PERIOD[self.kind]
        last_month = self.number * months
        first_month = last_month - months + 1
        if first_month == 1:
            start = date(self.year - 1, 12, 15)
        else:
            start = date(self.year, first_month - 1, 15)
        return start, date(self.year, last_month, 14)


def _quarter_number(text: str) -> int:
    return int(text) if text.isdigit() else from_roman(text)


# Each form clerks type: a pattern over the cleaned text and how to read its number.
_FORMS: tuple[tuple[re.Pattern[str], PeriodKind, Callable[[re.Match[str]], int]], ...] = tuple(
    (re.compile(pattern), kind, reader)
    for pattern, kind, reader in (
        (r"(?P<year>\d{4})-(?P<n>\d{1,2})", PeriodKind.MONTH, lambda m: int(m["n"])),
        (r"(?:(?:tháng|t) ?)?(?P<n>\d{1,2}) ?[/.-] ?(?P<year>\d{4})", PeriodKind.MONTH, lambda m: int(m["n"])),
        (r"(?:tháng|t) ?(?P<n>\d{1,2}) năm (?P<year>\d{4})", PeriodKind.MONTH, lambda m: int(m["n"])),
        (r"(?P<year>\d{4})-q(?P<n>\d)", PeriodKind.QUARTER, lambda m: int(m["n"])),
        # "quí" is the older spelling of "quý", still common in typed returns.
        (
            r"(?:quý|quí|q) ?(?P<n>[ivx]+|\d{1,2}) ?(?:[/.-] ?|năm )(?P<year>\d{4})",
            PeriodKind.QUARTER,
            lambda m: _quarter_number(m["n"]),
        ),
        (r"(?P<year>\d{4})-h(?P<n>\d)", PeriodKind.HALF, lambda m: int(m["n"])),
        # Counts are often padded in official texts: "06 tháng đầu năm".
        (
            r"0?6 tháng (?P<half>đầu|cuối) năm (?P<year>\d{4})",
            PeriodKind.HALF,
            lambda m: 1 if m["half"] == "đầu" else 2,
        ),
        (r"(?P<year>\d{4})-9m", PeriodKind.NINE_MONTHS, lambda m: 1),
        (r"0?9 tháng (?:đầu )?năm (?P<year>\d{4})", PeriodKind.NINE_MONTHS, lambda m: 1),
        (r"(?:năm )?(?P<year>\d{4})", PeriodKind.YEAR, lambda m: 1),
    )
)


def parse_period(text: str) -> Period:
    """Read a period as code or as clerks type it (`Quý IV/2020`, `T11/2020`, `Năm 2020`, ...).

    Case, spacing and Unicode normal form do not matter.
    """
    cleaned = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    cleaned = " ".join(cleaned.split())
    shown = unicodedata.normalize("NFC", text.strip())
    for pattern, kind, read_number in _FORMS:
        if match := pattern.fullmatch(cleaned):
            try:
                number = read_number(match)
            except ValueError:
                # A malformed Roman numeral ("IIII") is an unknown form, not a wrong number.
                break
            year = int(match["year"])
            if reason := _invalid_reason(year, kind, number):
                raise PeriodError(
                    f'Không hiểu kỳ báo cáo "{shown}": {reason}. Các cách ghi được chấp nhận: {_ACCEPTED_FORMS}.'
                )
            return Period(year, kind, number)
    raise PeriodError(f'Không hiểu kỳ báo cáo "{shown}". Các cách ghi được chấp nhận: {_ACCEPTED_FORMS}.')
