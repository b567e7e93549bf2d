"""Numbers as Vietnamese official texts write them: `1.149.540.875`, `12,5`, `33,1%`."""

import functools
import numbers
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

_LOCALE = Locale.parse("vi_VN")
# Without an explicit precision a float is shown with at most this many decimals.
_DEFAULT_DECIMALS = 2

_ROMAN_SYMBOLS: tuple[tuple[int, str], ...] = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_ROMAN_MAX = 3999


def require_int(value: object, what: str = "Giá trị") -> int:
    """Return `value` as an int, refusing bools, floats and text.

    Integral types other than int (e.g. numpy integers from a spreadsheet reader)
    are accepted because they are exact.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{what} phải là số nguyên, nhận được {value!r}.")
    return int(value)


def _to_decimal(value: int | float | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        # The shortest repr is what the clerk typed, so 2.675 rounds up to 2,68.
        result = Decimal(repr(value))
    else:
        result = Decimal(require_int(value, "Giá trị cần định dạng"))
    if not result.is_finite():
        raise ValueError(f"Không định dạng được giá trị {value!r}: không phải là một số hữu hạn.")
    return result


def _require_places(decimals: int) -> int:
    places = require_int(decimals, "Số chữ số thập phân")
    if places < 0:
        raise ValueError(f"Số chữ số thập phân không được âm, nhận được {places}.")
    return places


def _round_half_up(value: Decimal, places: int) -> Decimal:
    # Enough precision that quantize never fails on large amounts.
    with localcontext() as context:
        context.prec = max(28, value.adjusted() + places + 2)
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # -0,00 would otherwise print as "-0".
    return abs(rounded) if rounded.is_zero() else rounded


@functools.cache
def _pattern(places: int, trim: bool) -> NumberPattern:
    """Parsed once: Babel's `format_decimal` would parse the pattern on every call."""
    fraction = ("#" if trim else "0") * places
    return parse_pattern(f"#,##0.{fraction}" if places else "#,##0")


def _format_decimal(value: Decimal, places: int, trim: bool) -> str:
    """Round half up (Babel would round half to even), then let Babel group the digits."""
    return _pattern(places, trim).apply(_round_half_up(value, places), _LOCALE)


# typed: 1, 1.0 and True are equal keys but print differently.
@functools.lru_cache(maxsize=65536, typed=True)
def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """`1149540875` → `1.149.540.875`, `12.5` → `12,5`; with `decimals=2`, `12.5` → `12,50`.

    Without `decimals`, whole numbers print without decimals and other values with
    at most two, trailing zeros dropped.
    """
    number = _to_decimal(value)
    if decimals is not None:
        return _format_decimal(number, _require_places(decimals), trim=False)
    if isinstance(value, numbers.Integral):
        return _format_decimal(number, 0, trim=False)
    return _format_decimal(number, _DEFAULT_DECIMALS, trim=True)


def format_percent(ratio: float | Decimal, decimals: int = 1) -> str:
    """A fraction as a percentage: `0.331` → `33,1%`, `1` → `100,0%` (no space before %)."""
    return _format_decimal(_to_decimal(ratio) * 100, _require_places(decimals), trim=False) + "%"


def percent_of(part: int, whole: int, decimals: int = 1) -> str:
    """`percent_of(1, 3)` → `33,3%`, rounded half up exactly (integer arithmetic)."""
    numerator = require_int(part, "Phần")
    denominator = require_int(whole, "Tổng")
    places = _require_places(decimals)
    if denominator == 0:
        raise ValueError(f"Không tính được tỷ lệ phần trăm của {numerator} trên tổng bằng 0.")
    scaled = abs(numerator) * 100 * 10**places
    magnitude = (2 * scaled + abs(denominator)) // (2 * abs(denominator))
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    return _format_decimal(Decimal(sign * magnitude).scaleb(-places), places, trim=False) + "%"


def format_count(n: int, pad: bool = False) -> str:
    """`5` → `5` (padded `05`, a house style for small counts), `1234` → `1.234`.

    Only 1..9 are padded: `00` is not written in official texts.
    """
    count = require_int(n, "Số lượng")
    if count < 0:
        raise ValueError(f"Số lượng không được âm, nhận được {count}.")
    if pad and 1 <= count <= 9:
        return f"0{count}"
    return format_number(count)


def format_ratio(part: int, whole: int, pad: bool = False) -> str:
    """`27/27`, padded `05/05`."""
    return f"{format_count(part, pad)}/{format_count(whole, pad)}"


def people_per_titles(people: int, titles: int, pad: bool = False) -> str:
    """`7 người/10 chức danh`."""
    return f"{format_count(people, pad)} người/{format_count(titles, pad)} chức danh"


def format_money(amount: int) -> str:
    """`1.149.540.875 đồng` — the word, never the ₫ sign, as in official texts."""
    return f"{format_number(require_int(amount, 'Số tiền'))} đồng"


def to_roman(n: int) -> str:
    """`4` → `IV` (quarters are written in Roman numerals: `quý IV`)."""
    value = require_int(n, "Số La Mã")
    if not 1 <= value <= _ROMAN_MAX:
        raise ValueError(f"Chỉ viết được số La Mã từ 1 đến {_ROMAN_MAX}, nhận được {value}.")
    parts: list[str] = []
    for amount, symbol in _ROMAN_SYMBOLS:
        count, value = divmod(value, amount)
        parts.append(symbol * count)
    return "".join(parts)


def from_roman(s: str) -> int:
    """`IV` → `4`; case-insensitive, only the canonical spelling (`IIII` is refused)."""
    text = s.strip().upper()
    total = 0
    position = 0
    for amount, symbol in _ROMAN_SYMBOLS:
        while text.startswith(symbol, position):
            total += amount
            position += len(symbol)
    # Greedy reading accepts e.g. "IIII" or "VX"; only the canonical form round-trips.
    if not text or position != len(text) or total > _ROMAN_MAX or to_roman(total) != text:
        raise ValueError(f'"{s}" không phải là số La Mã hợp lệ (từ I đến MMMCMXCIX).')
    return total
