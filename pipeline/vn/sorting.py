"""Sort keys for Vietnamese text: letter order first, then tone marks, then case.

Python's default order puts Đ, Â, Ơ after Z, and the plain Unicode collation treats
ă, đ, ư as variants of a, d, u; both are wrong for Vietnamese.
"""

import functools
import unicodedata
from typing import TypeAlias

# Vietnamese letter order, with f, j, w, z (loan words) after their Latin neighbours.
_ALPHABET: tuple[str, ...] = tuple("a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split())
_LETTER_RANK: dict[str, int] = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make a separate letter (ă â ê ô ơ ư), as opposed to tone marks.
_LETTER_MARKS = frozenset("\u0306\u0302\u031b")
# Tone order as the brief asks (the order taught for the six tones): none, huyền,
# sắc, hỏi, ngã, nặng. Dictionaries and CLDR use none, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK: dict[str, int] = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}

_DIGIT = 0
_LETTER = 1
_SEPARATOR = 2

_Word: TypeAlias = tuple[tuple[int, int], ...]
SortKey: TypeAlias = tuple[tuple[_Word, ...], tuple[int, ...], tuple[int, ...], str]
# What a base character and its marks add to a key: (_DIGIT, value, 0, 0), (_LETTER, rank,
# tone, case) or, for anything else, a separator.
_Unit: TypeAlias = tuple[int, int, int, int]
_BETWEEN_WORDS: _Unit = (_SEPARATOR, 0, 0, 0)


def _letter_rank(lower: str, marks: str) -> int:
    letter = unicodedata.normalize("NFC", lower + "".join(m for m in marks if m in _LETTER_MARKS))
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter]
    if lower in _LETTER_RANK:
        return _LETTER_RANK[lower]
    # Letters outside the Vietnamese alphabet go after it, in code point order.
    return len(_ALPHABET) + ord(lower[0])


def _clusters(text: str) -> list[tuple[str, str]]:
    """Each base character with the combining marks after it.

    Works on NFD: some letter-and-tone pairs (e.g. v + grave) have no precomposed
    form, so even NFC text can carry a mark as a separate code point.
    """
    clusters: list[tuple[str, str]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and clusters:
            base, marks = clusters[-1]
            clusters[-1] = (base, marks + char)
        else:
            clusters.append((char, ""))
    return clusters


def _unit(base: str, marks: str) -> _Unit:
    if base.isdecimal():
        return _DIGIT, unicodedata.decimal(base), 0, 0
    if base.isalpha():
        lower = base.lower()
        tone = next((_TONE_RANK[m] for m in marks if m in _TONE_RANK), 0)
        return _LETTER, _letter_rank(lower, marks), tone, 0 if base == lower else 1
    return _BETWEEN_WORDS


@functools.lru_cache(maxsize=4096)
def _character_unit(char: str) -> _Unit | None:
    """The unit of one character of NFC text, worked out once per character; None for
    one whose decomposition is not a base and its own marks (a mark, a character that
    decomposes into several bases): its marks could belong to a neighbour."""
    clusters = _clusters(char)
    if len(clusters) != 1 or unicodedata.combining(clusters[0][0]):
        return None
    return _unit(*clusters[0])


def _units(nfc: str) -> list[_Unit]:
    """The units of the text's clusters: character by character, each looked up, when every
    character is its own cluster (the decomposition of each begins with a base, so no mark
    is reordered across characters: the clusters are the same); else the clusters walked."""
    units = list(map(_character_unit, nfc))
    if None in units:
        return [_unit(base, marks) for base, marks in _clusters(nfc)]
    return units


# A run sorts the same names and file names for several lists (the status workbook, the
# run page's columns): each key is worked out once. Keys are tuples, safe to share.
@functools.lru_cache(maxsize=1 << 15)
def vn_sort_key(text: str) -> SortKey:
    """A key for `sorted`: `An < Ăn < Âu`, `Dân < Đại`, `Uy < Ưng`, `Ba < Bà < Bá`.

    Words are compared one by one (`Nam Phong < Nam Tiến < Nam Triều`), with
    punctuation and spaces only separating words. A run of digits compares as a
    number and before any letter (`Thôn 2 < Thôn 10 < Thôn A`). Tone marks of the
    whole string decide only between strings with the same letters, then case
    (lower first), then the NFC text itself, so distinct strings never tie.
    NFC and NFD input give the same key.
    """
    nfc = unicodedata.normalize("NFC", text)
    words: list[_Word] = []
    word: list[tuple[int, int]] = []
    number: int | None = None
    tones: list[int] = []
    cases: list[int] = []
    # A separator at the end closes the last word like any other.
    for kind, value, tone, case in [*_units(nfc), _BETWEEN_WORDS]:
        if kind == _DIGIT:
            # Built arithmetically: int() of a very long digit string is refused.
            number = (number or 0) * 10 + value
            continue
        if number is not None:
            word.append((_DIGIT, number))
            number = None
        if kind == _LETTER:
            word.append((_LETTER, value))
            tones.append(tone)
            cases.append(case)
        elif word:
            words.append(tuple(word))
            word = []
    return tuple(words), tuple(tones), tuple(cases), nfc


def person_name_key(full_name: str) -> tuple[SortKey, SortKey]:
    """Lists of people go by given name (the last word), then by the rest of the name."""
    parts = unicodedata.normalize("NFC", full_name).split()
    given = parts[-1] if parts else ""
    return vn_sort_key(given), vn_sort_key(" ".join(parts[:-1]))
