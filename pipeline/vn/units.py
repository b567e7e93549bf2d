"""Kinds of administrative unit below the district: communes and villages, and how texts name them."""

import unicodedata
from collections.abc import Iterable

from pipeline.vn.numbers import format_count
from pipeline.vn.text import join_names

# Canonical display names, in the fixed order texts list them (`xã, thị trấn`).
COMMUNE_KINDS: tuple[str, ...] = ("Xã", "Phường", "Thị trấn", "Đặc khu")
VILLAGE_KINDS: tuple[str, ...] = (
    "Thôn",
    "Ấp",
    "Bản",
    "Xóm",
    "Tổ dân phố",
    "Tiểu khu",
    "Khu phố",
    "Khu dân cư",
    "Khối",
)
_ORDER: tuple[str, ...] = COMMUNE_KINDS + VILLAGE_KINDS

# Only the two abbreviations that addresses and returns use everywhere
# ("TT. Phú Minh", "TDP số 3"); shorter ones like "P." or "X." are too ambiguous.
_ABBREVIATIONS: dict[str, str] = {"tt": "Thị trấn", "tdp": "Tổ dân phố"}


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return " ".join(folded.split()).rstrip(".")


_LOOKUP: dict[str, str] = {_fold(kind): kind for kind in _ORDER} | _ABBREVIATIONS


def canonical_kind(text: str) -> str | None:
    """`" THỊ TRẤN "`, `"thị trấn"` (NFC or NFD), `"TT"` → `"Thị trấn"`; None if unknown."""
    return _LOOKUP.get(_fold(text))


def _require_kind(text: str) -> str:
    kind = canonical_kind(text)
    if kind is None:
        shown = unicodedata.normalize("NFC", text.strip())
        raise ValueError(f'Không rõ loại đơn vị "{shown}". Các loại được chấp nhận: {", ".join(_ORDER)}.')
    return kind


def kinds_phrase(kinds: Iterable[str]) -> str:
    """The distinct kinds, lower case, in canonical order: {Thị trấn, Xã} → `xã, thị trấn`.

    A single string is taken as one kind, not as a sequence of letters.
    """
    # Each distinct text once (a return's thirty villages name two or three kinds), in the order
    # given, so that of two unknown kinds the first is the one reported.
    found = {_require_kind(kind) for kind in dict.fromkeys([kinds] if isinstance(kinds, str) else kinds)}
    if not found:
        raise ValueError("Chưa có loại đơn vị nào để ghi.")
    return ", ".join(kind.lower() for kind in _ORDER if kind in found)


# A text names the level below the commune by the kinds it holds, up to this many; beyond,
# by the level's general name, which law uses for every kind ("thôn, làng, ấp, bản… gọi
# chung là thôn; tổ dân phố, khu phố, khối phố, tiểu khu… gọi chung là tổ dân phố",
# Thông tư 04/2012/TT-BNV): a list of many kinds repeated in every sentence reads as noise.
VILLAGE_KINDS_NAMED_AT_MOST = 3
VILLAGE_LEVEL = "thôn, tổ dân phố"


def village_level_phrase(kinds: Iterable[str]) -> str:
    """`thôn, tiểu khu` as `kinds_phrase` names them, or `thôn, tổ dân phố` for more
    than `VILLAGE_KINDS_NAMED_AT_MOST` kinds."""
    phrase = kinds_phrase(kinds)
    return phrase if len(phrase.split(", ")) <= VILLAGE_KINDS_NAMED_AT_MOST else VILLAGE_LEVEL


def count_units(count: int, kinds: Iterable[str], pad: bool = False) -> str:
    """`14 xã, thị trấn`, `133 ấp`; with `pad`, `05 xã`."""
    return f"{format_count(count, pad)} {kinds_phrase(kinds)}"


def unit_name(kind: str, name: str) -> str:
    """`xã Nam Tiến`: the kind in lower case before the name, as running text writes it."""
    canonical = _require_kind(kind)
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise ValueError(f'Thiếu tên của {canonical.lower()}.')
    return f"{canonical.lower()} {cleaned}"


def _leading_kind(words: list[str]) -> tuple[str, int] | None:
    """The kind the name's first words spell, and how many words it takes."""
    for size in (3, 2, 1):
        if len(words) > size and (kind := canonical_kind(" ".join(words[:size]))) in _ORDER:
            return kind, size
    return None


def kind_of(name: str) -> str | None:
    """`phường Bình Đức` → `Phường`: the kind a unit's name starts with; None if it starts with none."""
    found = _leading_kind(name.split())
    return found[0] if found else None


def in_sentence(name: str) -> str:
    """`Thôn Đông Thượng` → `thôn Đông Thượng`: a unit's name as it stands inside a
    sentence, its kind word in lower case (Nghị định 30/2020, Phụ lục II); a name
    that does not start with a kind is left as it is."""
    words = name.split()
    found = _leading_kind(words)
    if not found:
        return name
    return " ".join([*(w.lower() for w in words[:found[1]]), *words[found[1]:]])


def join_unit_names(names: Iterable[str]) -> str:
    """`Thôn Đông Thượng`, `Thôn Đông Hạ` → `Thôn Đông Thượng và Đông Hạ`: the names as a list
    (`A, B và C`), a kind word said once for the names after it of the same kind
    (`thôn An, Bình và tổ dân phố 3`). After the first name a kind word is in lower case,
    inside the phrase; a name without one stands as it is."""
    joined: list[str] = []
    previous = None
    for name in names:
        words = name.split()
        found = _leading_kind(words)
        kind = found[0] if found else None
        if joined and kind is not None and kind == previous:
            joined.append(" ".join(words[found[1]:]))
        else:
            joined.append(in_sentence(name) if joined else name)
        previous = kind
    return join_names(joined)
