"""Whole numbers and amounts of money in Vietnamese words, by the accounting convention.

Groups of three digits are read from the left; all-zero groups are skipped; a group
that is not the leading one is read in full (`không trăm`, `linh`). Above a billion
the number of tỷ is itself read as a number, so 1.500 tỷ is `một nghìn năm trăm tỷ`.
"""

import unicodedata

from pipeline.vn.numbers import require_int

_DIGITS: tuple[str, ...] = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_LIMIT = 10**15
_BILLION = 10**9

_ZERO_TENS_OPTIONS = ("linh", "lẻ")
_THOUSAND_OPTIONS = ("nghìn", "ngàn")
_FOUR_OPTIONS = ("tư", "bốn")


def _choose(option: str, allowed: tuple[str, ...], name: str) -> str:
    # Options may arrive from a settings file typed in NFD.
    value = unicodedata.normalize("NFC", option) if isinstance(option, str) else option
    if value not in allowed:
        choices = ", ".join(f'"{choice}"' for choice in allowed)
        raise ValueError(f"Tùy chọn {name} phải là một trong {choices}, nhận được {option!r}.")
    return value


def _read_triple(value: int, full: bool, zero_tens: str, four: str) -> list[str]:
    """Words for 0 < value < 1000; `full` reads a zero hundreds digit as `không trăm`."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            # `linh`/`lẻ` only bridges a hundreds word to a lone units digit.
            words += [zero_tens, _DIGITS[units]] if words else [_DIGITS[units]]
        return words
    words += ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append(four)
    elif units:
        words.append(_DIGITS[units])
    return words


def _read_below_billion(value: int, leading: bool, zero_tens: str, thousand: str, four: str) -> list[str]:
    words: list[str] = []
    for scale, scale_word in ((10**6, "triệu"), (10**3, thousand), (1, "")):
        group = value // scale % 1000
        if group == 0:
            continue
        words += _read_triple(group, not leading, zero_tens, four)
        if scale_word:
            words.append(scale_word)
        leading = False
    return words


def number_in_words(n: int, *, zero_tens: str = "linh", thousand: str = "nghìn", four: str = "tư") -> str:
    """`2014` → `hai nghìn không trăm mười bốn`, for 0 ≤ n < 10**15, lower case.

    House-style options: `zero_tens` "linh" or "lẻ"; `thousand` "nghìn" or "ngàn";
    `four` "tư" or "bốn" (units 4 after tens ≥ 2 only).
    """
    value = require_int(n, "Số cần đọc")
    if not 0 <= value < _LIMIT:
        raise ValueError(f"Chỉ đọc được số từ 0 đến 999.999.999.999.999, nhận được {value}.")
    zero_tens = _choose(zero_tens, _ZERO_TENS_OPTIONS, "zero_tens")
    thousand = _choose(thousand, _THOUSAND_OPTIONS, "thousand")
    four = _choose(four, _FOUR_OPTIONS, "four")
    if value == 0:
        return _DIGITS[0]
    billions, rest = divmod(value, _BILLION)
    words: list[str] = []
    if billions:
        words += _read_below_billion(billions, True, zero_tens, thousand, four) + ["tỷ"]
    words += _read_below_billion(rest, not billions, zero_tens, thousand, four)
    return " ".join(words)


def money_in_words(amount: int, *, zero_tens: str = "linh", thousand: str = "nghìn", four: str = "tư") -> str:
    """`1005` → `Một nghìn không trăm linh năm đồng`; options as for `number_in_words`."""
    words = number_in_words(amount, zero_tens=zero_tens, thousand=thousand, four=four)
    return f"{words[0].upper()}{words[1:]} đồng"
