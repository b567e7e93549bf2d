"""Putting Vietnamese phrases into sentences."""

from __future__ import annotations

from collections.abc import Iterable


def join_names(names: Iterable[str]) -> str:
    """`A`, `A và B`, `A, B và C`."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def capitalize(text: str) -> str:
    """The first letter upper case, the rest as written (`str.capitalize` would lower them)."""
    return text[:1].upper() + text[1:]
