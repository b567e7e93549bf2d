"""Dates and times as Decree 30/2020 writes them, and lenient parsing of typed dates."""

import re
import unicodedata
from datetime import date, time

_ACCEPTED_FORMS = "18/11/2020, 18-11-2020, 18.11.2020, 2020-11-18, ngày 18 tháng 11 năm 2020"

# Day-month-year with one separator used twice; the year must have four digits.
_DMY = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(?:ngày\s*)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


def format_date(d: date) -> str:
    """`ngày 05 tháng 02 năm 2021`, `ngày 18 tháng 3 năm 2020`.

    Decree 30 pads days under 10 and the months 1 and 2 (so they cannot be
    extended by hand into 10–12); other months are written as they are.
    """
    return f"ngày {d.day:02d} tháng {_decree_month(d)} năm {d.year}"


def _decree_month(d: date) -> str:
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def format_cited_date(d: date) -> str:
    """`18/11/2020`, `02/3/2020`, `05/02/2021`: the short form with Decree 30's padding,
    as official texts cite a dated document (`Kết luận số 12-KL/HU ngày 02/3/2020`)."""
    return f"{d.day:02d}/{_decree_month(d)}/{d.year}"


def format_place_date(place: str, d: date) -> str:
    """`Phú Xuyên, ngày 18 tháng 11 năm 2020`."""
    return f"{unicodedata.normalize('NFC', place).strip()}, {format_date(d)}"


def format_short_date(d: date, pad: bool = True) -> str:
    """`05/02/2021`; with `pad=False`, `5/2/2021`."""
    if pad:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day}/{d.month}/{d.year}"


def format_time(t: time) -> str:
    """`8 giờ 05 phút` (hour unpadded, minutes padded), as in minutes of meetings."""
    return f"{t.hour} giờ {t.minute:02d} phút"


def parse_date(text: str) -> date:
    """Read a date as clerks type it: `18/11/2020`, `18-11-2020`, `18.11.2020`,
    `2020-11-18` or `ngày 18 tháng 11 năm 2020` (any case, NFC or NFD).

    Two-digit years are refused: `20` could be 1920 or 2020.
    """
    shown = unicodedata.normalize("NFC", text.strip())
    cleaned = " ".join(shown.casefold().split())
    if match := _DMY.fullmatch(cleaned):
        day, month, year = match.group(1, 3, 4)
    elif match := _ISO.fullmatch(cleaned):
        year, month, day = match.groups()
    elif match := _WORDS.fullmatch(cleaned):
        day, month, year = match.groups()
    else:
        raise ValueError(
            f'Không hiểu ngày "{shown}". Các cách ghi được chấp nhận: {_ACCEPTED_FORMS} (năm ghi đủ 4 chữ số).'
        )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f'Ngày "{shown}" không có trên lịch.') from None


def format_duration(seconds: float) -> str:
    """`5 giây`, `45 giây`, `1 phút 20 giây`, `12 phút`, `1 giờ 05 phút`: rounded as a
    person would say an estimate (to 5 seconds under a minute, 10 under ten minutes,
    whole minutes above)."""
    seconds = max(0, round(seconds))
    if seconds < 10:
        return f"{max(seconds, 1)} giây"
    if seconds < 60:
        return f"{min(55, 5 * round(seconds / 5))} giây"
    if seconds < 600:
        minutes, rest = divmod(10 * round(seconds / 10), 60)
        return f"{minutes} phút {rest} giây" if rest else f"{minutes} phút"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} phút"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} giờ {minutes:02d} phút"
