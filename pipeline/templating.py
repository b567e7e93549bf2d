"""The Jinja environments every template renders in: one for markup (Word XML,
HTML), one for plain text. Both are sandboxed, strict and carry the same filters."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from pipeline.vn.filters import register_filters

TEXT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates_text"


def _sandboxed(**options: Any) -> SandboxedEnvironment:
    return register_filters(SandboxedEnvironment(undefined=StrictUndefined, **options))


def make_environment() -> SandboxedEnvironment:
    """Sandboxed (a template cannot reach Python internals), autoescaped (a name
    holding `&` or `<` stays intact in the XML) and strict (a misspelt variable is
    an error, not a blank in an official document)."""
    return _sandboxed(autoescape=True)


def make_text_environment() -> SandboxedEnvironment:
    """As `make_environment`, but for plain text: nothing is escaped, so `&` stays
    `&`; block tags take their own line without leaving it blank."""
    return _sandboxed(autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_text(environment: SandboxedEnvironment, template: Path, context: dict[str, Any]) -> bytes:
    """A text or HTML template, rendered to UTF-8 in NFC like every text we write."""
    text = environment.from_string(template.read_text(encoding="utf-8")).render(context)
    return unicodedata.normalize("NFC", text).encode("utf-8")
