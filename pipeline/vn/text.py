"""Putting Vietnamese phrases into sentences."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations


def join_names(names: Iterable[str]) -> str:
    """`A`, `A và B`, `A, B và C`."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def capitalize(text: str) -> str:
    """The first letter upper case, the rest as written (`str.capitalize` would lower them)."""
    return text[:1].upper() + text[1:]


def in_running_text(label: str) -> str:
    """A form's label inside a sentence: `Số tháng công tác` → `số tháng công tác`."""
    return label[:1].lower() + label[1:]


# A title line of Times New Roman 14 pt bold holds about 71 characters on the
# 16 cm of an A4 portrait page (measured on the report's PDF); a margin is kept.
TITLE_LINE_CHARS = 64
# A title breaks before these words, which open a phrase (`… / ở cấp xã`), or
# after a comma; never inside a term of several words (`tổ / dân phố`).
_BREAK_BEFORE = frozenset({"việc", "người", "ở", "của", "về", "và", "trên", "tại", "theo", "trong", "đối"})
_TERMS = ("người hoạt động không chuyên trách", "tổ dân phố", "tiểu khu", "khu phố", "khu dân cư", "thị trấn",
          "đặc khu", "đơn vị hành chính")
# Where a title may break inside a long term, between the phrases it is made of
# (`… người hoạt động / không chuyên trách …`), by the word that opens the second.
_TERM_SEAMS = {"người hoạt động không chuyên trách": 3}


NO_BREAK_SPACE = "\u00a0"
_TERM_RE = re.compile("|".join(re.escape(term) for term in _TERMS), re.IGNORECASE)


def unbreakable_terms(text: str) -> str:
    """The terms of several words (`đặc khu`, `tổ dân phố`) held together by no-break
    spaces: a narrow table heading wraps between terms, never inside one."""
    return _TERM_RE.sub(lambda m: m.group(0).replace(" ", NO_BREAK_SPACE), text)


def _breaks(words: list[str]) -> list[int]:
    """The indexes of the words a line may start with."""
    inside: set[int] = set()
    seams: set[int] = set()
    lowered = [w.lower().strip(",") for w in words]
    for term in _TERMS:
        size = len(term.split())
        for i in range(len(words) - size + 1):
            if " ".join(lowered[i:i + size]) == term:
                inside.update(range(i + 1, i + size))
                if term in _TERM_SEAMS:
                    seams.add(i + _TERM_SEAMS[term])
    return [i for i in range(1, len(words))
            if i in seams or (i not in inside and (lowered[i] in _BREAK_BEFORE or words[i - 1].endswith(",")))]


def title_lines(text: str, width: int = TITLE_LINE_CHARS) -> str:
    """A title broken into as few lines as fit `width`, the longest as short as can be,
    at the places an official breaks it; the lines are joined by "\\n" (a line break)."""
    words = text.split()
    if len(text) <= width:
        return " ".join(words)
    breaks = _breaks(words)
    best: tuple[int, int, tuple[int, ...]] | None = None

    def lines_of(cuts: tuple[int, ...]) -> list[str]:
        edges = (0, *cuts, len(words))
        return [" ".join(words[a:b]) for a, b in zip(edges, edges[1:])]

    # Titles are short: every choice of up to three breaks is tried.
    for count in (1, 2, 3):
        for cuts in combinations(breaks, count):
            lengths = [len(line) for line in lines_of(cuts)]
            key = (max(lengths), -min(lengths), cuts)
            if max(lengths) <= width and (best is None or key < best):
                best = key
        if best is not None:
            return "\n".join(lines_of(best[2]))
    return " ".join(words)  # nowhere to break it well: the word processor wraps it
