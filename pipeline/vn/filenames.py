"""File names built from Vietnamese data: `10183-nam-tien`, safe on every system.

A name from a registry or a return may hold anything (`/`, `..`, control
characters, `CON`); the stems made here are plain lower-case ASCII words joined
by hyphens, so they cannot leave their folder, and open on Windows too.
"""

import re
import unicodedata
from collections.abc import Iterable

# Well under Windows' 255 per name and its 260 for a whole path.
MAX_STEM_LENGTH = 80
FALLBACK_STEM = "tep"
# Names Windows keeps for devices, whatever the extension (`con.docx` is refused).
_RESERVED = frozenset({"con", "prn", "aux", "nul"} | {f"{device}{n}" for device in ("com", "lpt") for n in range(10)})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str) -> str:
    """`Thị trấn Phú Xuyên` → `thi-tran-phu-xuyen`: diacritics dropped (đ → d),
    lower case, every run of other characters one hyphen; "" when nothing is left."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return _NOT_WORD.sub("-", plain).strip("-")


def file_stem(*parts: str, max_length: int = MAX_STEM_LENGTH) -> str:
    """`file_stem("10183", "Nam Tiến")` → `10183-nam-tien`: the parts slugged and
    joined, cut at a hyphen to at most `max_length`, never empty nor a device name."""
    stem = "-".join(slug for slug in map(ascii_slug, parts) if slug)
    if len(stem) > max_length:
        cut = stem[:max_length + 1]
        stem = cut[:cut.rfind("-")] if "-" in cut else stem[:max_length]
        stem = stem.rstrip("-")
    if not stem:
        return FALLBACK_STEM
    if stem in _RESERVED:
        return f"{stem}-{FALLBACK_STEM}"
    return stem


def unique_stems(stems: Iterable[str]) -> tuple[str, ...]:
    """The stems in order, a repeat made unique with `-2`, `-3`… (so a few
    characters longer); compared without case, since Windows and macOS file
    systems do not tell `A` from `a`."""
    taken: set[str] = set()
    result = []
    for stem in stems:
        candidate, n = stem, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.casefold())
        result.append(candidate)
    return tuple(result)
