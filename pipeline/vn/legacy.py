"""Vietnamese typed in the legacy 8-bit encodings, back to Unicode NFC.

Offices still type with fonts that draw Vietnamese letters over Latin-1 code points.
An .xlsx keeps the code points, not the look, so `Nam TiÕn` (TCVN3) or `Nam Tieán`
(VNI) only reads as "Nam Tiến" in the font the clerk used. Sources of the tables:

- TCVN3 (ABC): TCVN 5712:1993, table VN3 — the subset drawn by the ABC fonts
  (`.VnTime`, `.VnArial`...): one code per small letter, plus capitals Ă Â Ê Ô Ơ Ư Đ.
  The other capitals exist only as the "H" fonts (`.VnTimeH`...), which draw every
  code as a capital, so a capital with a tone shares the code of its small letter.
  These 74 codes agree with glibc iconv's TCVN5712-1 (the full VN1 table, which puts
  the other capitals in the codes VN3 leaves empty).
- VNI: the VNI for Windows character table (VNI Software): a letter is a base
  letter followed by one "mark" code, e.g. `a` + `ù` → á, `o` + `á` → ố; i, ơ, ư,
  ỵ and đ have codes of their own. Capitals use the capital base and the mark
  32 code points lower, as Latin-1 places its capitals.

Both encodings are written in the reader's terms: the Unicode code point equal to
the byte, which is what an .xlsx stores for text typed in those fonts.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum


class LegacyEncoding(Enum):
    TCVN3 = "TCVN3"
    # TCVN3 in an "H" font: the font draws every letter as a capital.
    TCVN3_UPPER = "TCVN3 (chữ hoa)"
    VNI = "VNI"


# --- TCVN 5712:1993 VN3 -------------------------------------------------
# Letter → code, in the order of the code table; tones in the table's order:
# grave, hook, tilde, acute, dot below.
_TCVN3: dict[str, str] = {
    "Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6", "Đ": "\xa7",
    "ă": "\xa8", "â": "\xa9", "ê": "\xaa", "ô": "\xab", "ơ": "\xac", "ư": "\xad", "đ": "\xae",
    "à": "\xb5", "ả": "\xb6", "ã": "\xb7", "á": "\xb8", "ạ": "\xb9",
    "ằ": "\xbb", "ẳ": "\xbc", "ẵ": "\xbd", "ắ": "\xbe", "ặ": "\xc6",
    "ầ": "\xc7", "ẩ": "\xc8", "ẫ": "\xc9", "ấ": "\xca", "ậ": "\xcb",
    "è": "\xcc", "ẻ": "\xce", "ẽ": "\xcf", "é": "\xd0", "ẹ": "\xd1",
    "ề": "\xd2", "ể": "\xd3", "ễ": "\xd4", "ế": "\xd5", "ệ": "\xd6",
    "ì": "\xd7", "ỉ": "\xd8", "ĩ": "\xdc", "í": "\xdd", "ị": "\xde",
    "ò": "\xdf", "ỏ": "\xe1", "õ": "\xe2", "ó": "\xe3", "ọ": "\xe4",
    "ồ": "\xe5", "ổ": "\xe6", "ỗ": "\xe7", "ố": "\xe8", "ộ": "\xe9",
    "ờ": "\xea", "ở": "\xeb", "ỡ": "\xec", "ớ": "\xed", "ợ": "\xee",
    "ù": "\xef", "ủ": "\xf1", "ũ": "\xf2", "ú": "\xf3", "ụ": "\xf4",
    "ừ": "\xf5", "ử": "\xf6", "ữ": "\xf7", "ứ": "\xf8", "ự": "\xf9",
    "ỳ": "\xfa", "ỷ": "\xfb", "ỹ": "\xfc", "ý": "\xfd", "ỵ": "\xfe",
}
# ASCII capitals and the seven capitals ABC fonts have codes for (Ă Â Ê Ô Ơ Ư Đ).
_TCVN3_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ\xa1\xa2\xa3\xa4\xa5\xa6\xa7")
_TCVN3_DECODE: dict[int, str] = {ord(code): letter for letter, code in _TCVN3.items()}

# --- VNI for Windows ------------------------------------------------------
# Small letters; tones as marks: acute ù, grave ø, hook û, tilde õ, dot below ï.
# With a circumflex the mark is â (á à å ã ä with a tone), with a breve ê (é è ú ü ë).
_VNI_SMALL: dict[str, str] = {
    "á": "a\xf9", "à": "a\xf8", "ả": "a\xfb", "ã": "a\xf5", "ạ": "a\xef",
    "ă": "a\xea", "ắ": "a\xe9", "ằ": "a\xe8", "ẳ": "a\xfa", "ẵ": "a\xfc", "ặ": "a\xeb",
    "â": "a\xe2", "ấ": "a\xe1", "ầ": "a\xe0", "ẩ": "a\xe5", "ẫ": "a\xe3", "ậ": "a\xe4",
    "é": "e\xf9", "è": "e\xf8", "ẻ": "e\xfb", "ẽ": "e\xf5", "ẹ": "e\xef",
    "ê": "e\xe2", "ế": "e\xe1", "ề": "e\xe0", "ể": "e\xe5", "ễ": "e\xe3", "ệ": "e\xe4",
    "í": "\xed", "ì": "\xec", "ỉ": "\xe6", "ĩ": "\xf3", "ị": "\xf2",
    "ó": "o\xf9", "ò": "o\xf8", "ỏ": "o\xfb", "õ": "o\xf5", "ọ": "o\xef",
    "ô": "o\xe2", "ố": "o\xe1", "ồ": "o\xe0", "ổ": "o\xe5", "ỗ": "o\xe3", "ộ": "o\xe4",
    "ơ": "\xf4", "ớ": "\xf4\xf9", "ờ": "\xf4\xf8", "ở": "\xf4\xfb", "ỡ": "\xf4\xf5", "ợ": "\xf4\xef",
    "ú": "u\xf9", "ù": "u\xf8", "ủ": "u\xfb", "ũ": "u\xf5", "ụ": "u\xef",
    "ư": "\xf6", "ứ": "\xf6\xf9", "ừ": "\xf6\xf8", "ử": "\xf6\xfb", "ữ": "\xf6\xf5", "ự": "\xf6\xef",
    "ý": "y\xf9", "ỳ": "y\xf8", "ỷ": "y\xfb", "ỹ": "y\xf5", "ỵ": "\xee",
    "đ": "\xf1",
}
# Every VNI code above 0x80 has its capital 0x20 lower, exactly as in Latin-1, so
# str.upper() gives the capital's codes (`aù` → `AÙ`, `ñ` → `Ñ`).
_VNI: dict[str, str] = _VNI_SMALL | {letter.upper(): code.upper() for letter, code in _VNI_SMALL.items()}
_VNI_DECODE: dict[str, str] = {code: letter for letter, code in _VNI.items()}

# Code points an 8-bit font can carry: Latin-1, and the 27 that Windows-1252
# (the code page of these fonts) puts at 0x80–0x9F (curly quotes, dashes...).
_CP1252_EXTRAS = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))
# Any other character: searched in C, since every text cell of a return is tested.
_BEYOND_8BIT = re.compile("[^\\x00-\\xff" + "".join(map(re.escape, sorted(_CP1252_EXTRAS))) + "]")


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """TCVN3 text → Unicode; `upper` for the H fonts, which draw every letter as a capital."""
    decoded = text.translate(_TCVN3_DECODE)
    return decoded.upper() if upper else decoded


def decode_vni(text: str) -> str:
    """VNI text → Unicode: a base letter and the mark after it become one letter."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            i += 2
        else:
            out.append(_VNI_DECODE.get(text[i], text[i]))
            i += 1
    return "".join(out)


def _unencodable(char: str, encoding: str) -> ValueError:
    return ValueError(f"{char!r} (U+{ord(char):04X}) has no code in {encoding}")


def encode_tcvn3(text: str, upper: bool = False) -> str:
    """Unicode → TCVN3, as typed in `.VnTime`; `upper` as typed in `.VnTimeH`.

    In an ordinary ABC font a capital with a tone (Á, Ế...) has no code: ValueError.
    In an H font it takes its small letter's code, which the font draws as a capital.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out.append(char)
        elif char in _TCVN3:
            out.append(_TCVN3[char])
        elif upper and char.lower() in _TCVN3:
            out.append(_TCVN3[char.lower()])
        else:
            raise _unencodable(char, "TCVN3 (.VnTimeH)" if upper else "TCVN3 (.VnTime)")
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode → VNI. Characters VNI cannot write raise ValueError."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out.append(char)
        elif char in _VNI:
            out.append(_VNI[char])
        else:
            raise _unencodable(char, "VNI")
    return "".join(out)


# --- fonts ---------------------------------------------------------------------
# Any `.Vn…` font is an ABC font. Without the dot only the common families are
# taken: the bare `Vn` prefix also starts names of other font families.
_TCVN3_UNDOTTED = frozenset({"vntime", "vntimeh", "vnarial", "vnarialh", "vnarial narrow", "vnarial narrowh"})
_VNI_FONT = re.compile(r"vni[-_ ]")


def encoding_of_font(font_name: str | None) -> LegacyEncoding | None:
    """`.VnTime` → TCVN3, `.VnTimeH` → TCVN3_UPPER, `VNI-Times` → VNI; None for other fonts."""
    if not font_name:
        return None
    name = " ".join(font_name.split()).casefold()
    if _VNI_FONT.match(name):
        return LegacyEncoding.VNI
    if name.startswith(".vn") or name in _TCVN3_UNDOTTED:
        # The H fonts are the same family names with a final H (`.VnArial NarrowH`).
        return LegacyEncoding.TCVN3_UPPER if name.endswith("h") else LegacyEncoding.TCVN3
    return None


# --- detection by content ------------------------------------------------------
# A syllable: onset + vowel nucleus + final consonant, with the spelling rules that
# mojibake breaks: which nuclei need a final (â, iê...), which finals follow which
# nuclei, and which vowel of the nucleus carries the tone.
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx]"
_CODA = "ng|nh|ch|[cmnpt]"
# Nucleus → positions of the vowel that may carry the tone. Where both occur (oa,
# oe, uy with no final), the old style (hòa) and the new one (hoà) are both in use.
_NEEDS_CODA: dict[str, frozenset[int]] = {
    "uyê": frozenset({2}), "iê": frozenset({1}), "yê": frozenset({1}), "uô": frozenset({1}),
    "ươ": frozenset({1}), "uâ": frozenset({1}), "oă": frozenset({1}),
    "ă": frozenset({0}), "â": frozenset({0}),
}
_MAY_CLOSE: dict[str, frozenset[int]] = {
    "oa": frozenset({0, 1}), "oe": frozenset({0, 1}), "uy": frozenset({0, 1}), "uê": frozenset({1}),
} | {vowel: frozenset({0}) for vowel in "aeêioôơuưy"}
# These end the syllable: their last vowel is the final (i, y, o, u), or the
# diphthong is the open form of iê, uô, ươ (ia, ua, ưa).
_OPEN: dict[str, frozenset[int]] = {
    nucleus: frozenset({1}) for nucleus in "iêu yêu uôi ươi ươu oai oao oay oeo uây uya uyu uơ".split()
} | {nucleus: frozenset({0}) for nucleus in "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu".split()}
_TONE_AT = _NEEDS_CODA | _MAY_CLOSE | _OPEN


def _alternatives(nuclei: dict[str, frozenset[int]]) -> str:
    return "|".join(sorted(nuclei, key=len, reverse=True))


_SYLLABLE = re.compile(
    rf"(?P<onset>{_ONSET})?(?:(?P<closed>{_alternatives(_NEEDS_CODA)})(?P<coda>{_CODA})"
    rf"|(?P<closable>{_alternatives(_MAY_CLOSE)})(?P<optional_coda>{_CODA})?"
    rf"|(?P<open>{_alternatives(_OPEN)}))"
)
# nh and ch follow front vowels, ng and c the others (anh and ang both occur).
_PALATAL_NUCLEI = frozenset({"ê", "i", "y", "uy", "uê"})
# Spelling of /k/, /ɣ/, /ŋ/: k, gh, ngh before i, e, ê (k before y too); c, g, ng elsewhere.
_FRONT_ONSETS = frozenset({"k", "gh", "ngh"})
_BACK_ONSETS = frozenset({"c", "g", "ng"})
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# After a stop (c, ch, p, t) only the rising (sắc) and heavy (nặng) tones occur.
_STOP_TONES = frozenset("\u0301\u0323")
_STOPS = frozenset({"c", "ch", "p", "t"})
_RARE_TONES = frozenset("\u0303\u0309")
# Words are split at spaces and ASCII punctuation only: the legacy codes for
# letters are Latin-1 symbols (`·` is ã in TCVN3), so they must stay inside words.
_SEPARATORS = re.compile(r"[\s!-/:-@\[-`{-~]+")
# The share of words that must read as Vietnamese once decoded.
_MIN_SCORE = 0.8


def _is_syllable(word: str) -> bool:
    """A Vietnamese syllable in lower, Title or UPPER case (NFC)."""
    if not word.isalpha() or word not in (word.lower(), word.upper(), word[0].upper() + word[1:].lower()):
        return False
    # Ð (U+00D0) looks like Đ and stands in for it in some genuine Unicode text.
    letters = word.lower().replace("ð", "đ")
    toned = [i for i, char in enumerate(letters) if _TONES & set(unicodedata.normalize("NFD", char))]
    if len(toned) > 1:
        return False
    bare = "".join(
        unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", char) if c not in _TONES))
        for char in letters
    )
    match = _SYLLABLE.fullmatch(bare)
    if match is None:
        return False
    group = next(name for name in ("closed", "closable", "open") if match.group(name))
    nucleus = match.group(group)
    coda = match.group("coda") or match.group("optional_coda") or ""
    onset = match.group("onset")
    # g + i is how "gi" + i is written (gì, gìn).
    front = nucleus[0] in "ieêy" and not (onset == "g" and nucleus[0] == "i")
    if (onset in _FRONT_ONSETS and not front) or (onset in _BACK_ONSETS and front):
        return False
    # The u of qu is already the glide: no o, u or ư after it (quốc, quơ are fine).
    if onset == "qu" and nucleus[0] in "ouư":
        return False
    # gi before ê + final spells the diphthong iê, its i shared with the onset (Giêng, giếng).
    sounded = "iê" if onset == "gi" and nucleus == "ê" and coda else nucleus
    if coda in ("nh", "ch") and sounded not in _PALATAL_NUCLEI | {"a", "oa"}:
        return False
    if coda in ("ng", "c") and sounded in _PALATAL_NUCLEI:
        return False
    if not toned:
        return True
    tone = next(c for c in unicodedata.normalize("NFD", letters[toned[0]]) if c in _TONES)
    if coda in _STOPS and tone not in _STOP_TONES:
        return False
    return toned[0] - match.start(group) in _TONE_AT[nucleus]


def _score(words: list[str]) -> float:
    return sum(map(_is_syllable, words)) / len(words)


def _beyond_8bit(text: str) -> bool:
    """True if some character no 8-bit font can carry: the text is Unicode already."""
    return _BEYOND_8BIT.search(text) is not None


def _typed_in_capitals(text: str) -> bool:
    """No small ASCII letter, and a capital inside a word (`PHßNG`, `L£`, not `T« B¸`).

    Capitals typed among small-letter TCVN3 codes only look right in an H font.
    """
    if any(char.isascii() and char.islower() for char in text):
        return False
    return any(char in _TCVN3_CAPITALS for word in _SEPARATORS.split(text) for char in word[1:])


def _decode(text: str, encoding: LegacyEncoding) -> str:
    if encoding is LegacyEncoding.VNI:
        return decode_vni(text)
    return decode_tcvn3(text, upper=encoding is LegacyEncoding.TCVN3_UPPER)


def _rare_tones(words: list[str]) -> int:
    """Letters with the hook or tilde tone, the two rarest in Vietnamese."""
    return sum(mark in _RARE_TONES for word in words for mark in unicodedata.normalize("NFD", word))


def detect_legacy(text: str) -> LegacyEncoding | None:
    """The legacy encoding `text` was typed in, judged by content; None if it is not legacy.

    Only the words with non-ASCII characters are evidence. The text is legacy when
    they do not all read as Vietnamese syllables as they stand, and decoding makes
    more of them read so, at least 80 %. When both encodings read equally well, the
    reading with fewer of the rare tones wins (TCVN3 reads VNI's ư as ử). A lone
    symbol (`×`, `©`) is no evidence, and text with a character beyond Latin-1 and
    Windows-1252 is Unicode already. Ambiguous text — every word a syllable both
    ways, like `Phó` (Unicode) or `Phú` (TCVN3) — is left as it stands.
    """
    if text.isascii() or _beyond_8bit(text):
        return None
    words = [w for w in _SEPARATORS.split(text) if not w.isascii() and (len(w) > 1 or w.isalpha())]
    if not words or (as_is := _score(words)) == 1:
        return None
    tcvn3 = LegacyEncoding.TCVN3_UPPER if _typed_in_capitals(text) else LegacyEncoding.TCVN3
    readings: list[tuple[float, int, LegacyEncoding]] = []
    for encoding in (tcvn3, LegacyEncoding.VNI):
        decoded = [_decode(w, encoding) for w in words]
        score = _score(decoded)
        if decoded != words and score > as_is and score >= _MIN_SCORE:
            readings.append((score, -_rare_tones(decoded), encoding))
    # max() keeps the first of equals: TCVN3, the more common of the two in offices.
    return max(readings, key=lambda reading: reading[:2])[2] if readings else None


def to_unicode(text: str, font: str | LegacyEncoding | None = None) -> str:
    """A text cell as the clerk saw it, in Unicode NFC.

    `font` is the cell's font name, or the encoding `legacy_font_cells` found for
    it. A legacy font decides, unless the text holds characters no 8-bit font can
    carry (Unicode typed into a cell left in `.VnTime`); otherwise the content
    decides. ASCII comes back as it is.
    """
    if text.isascii():
        return text
    encoding = font if isinstance(font, LegacyEncoding) else encoding_of_font(font)
    if encoding is None or _beyond_8bit(text):
        encoding = detect_legacy(text)
    decoded = text if encoding is None else _decode(text, encoding)
    return unicodedata.normalize("NFC", decoded)
