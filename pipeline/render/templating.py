"""The Jinja environments every template renders in: one for markup (Word XML,
HTML), one for plain text. Both are sandboxed, strict and carry the same filters.

A template that reaches for Python's internals (`''.__class__`) or for another
file (`{% include %}`) is refused with a Vietnamese `SecurityError`;
`naming_template` puts the template's name in front of it.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BaseLoader, Environment, StrictUndefined, Template
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import SandboxedEnvironment

from pipeline.vn.filters import register_filters

_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = _ROOT / "templates_docx"  # Word templates, edited by the office
TEXT_TEMPLATES = _ROOT / "templates_text"

_ONLY_THE_DATA = "mẫu văn bản chỉ được dùng số liệu chương trình đưa vào"


class _NoFiles(BaseLoader):
    """`{% include %}`, `{% import %}` and `{% extends %}` would read another file."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, None]:
        raise SecurityError(f"mẫu đòi đọc tệp khác ('{template}'): mọi nội dung phải nằm ngay trong mẫu")


# What a dict has as attributes: `d.items` is the method, as in Jinja's sandbox.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, its refusals worded for the office."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`row.name` of a context's dict straight from the dict. The sandbox gets there
        too, but only after `getattr` fails, and the exception doubled the cost of
        writing a feedback sheet's rows."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass  # the sandbox's own undefined, named as ever
        return super().getattr(obj, attribute)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        return self.undefined(f"mẫu đòi dùng '{attribute}', phần bên trong của Python (của kiểu "
                              f"{type(obj).__name__}): {_ONLY_THE_DATA}", name=attribute, obj=obj, exc=SecurityError)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if not self.is_safe_callable(obj):
            raise SecurityError(f"mẫu đòi gọi {getattr(obj, '__name__', type(obj).__name__)}, một hàm không an "
                                f"toàn: {_ONLY_THE_DATA}")
        return super().call(context, obj, *args, **kwargs)


def _sandboxed(**options: Any) -> SandboxedEnvironment:
    return register_filters(_Sandbox(undefined=StrictUndefined, loader=_NoFiles(), **options))


def make_environment() -> SandboxedEnvironment:
    """Sandboxed (a template cannot reach Python internals nor other files),
    autoescaped (a name holding `&` or `<` stays intact in the XML) and strict (a
    misspelt variable is an error, not a blank in an official document)."""
    return _sandboxed(autoescape=True)


def make_text_environment() -> SandboxedEnvironment:
    """As `make_environment`, but for plain text: nothing is escaped, so `&` stays
    `&`; block tags take their own line without leaving it blank."""
    return _sandboxed(autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@functools.cache
def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's own cache of compiled templates: a folder of this user's in the temporary
    directory, private to them (Jinja refuses one anybody else could write). None
    where there is no such folder: templates are then compiled every run."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def compile_template(environment: Environment, source: str, name: str) -> Template:
    """`environment.from_string(source)`, named `name` in errors and tracebacks.
    Parsing and compiling is most of a short run's template work, so the compiled
    code is kept in Jinja's bytecode cache for the next run, keyed by the name, the
    environment's options and Jinja's version, and checked against the source."""
    cache = _bytecode_cache()
    options = (environment.autoescape, environment.trim_blocks, environment.lstrip_blocks,
               environment.keep_trailing_newline, jinja2.__version__)
    bucket = None if cache is None else cache.get_bucket(environment, f"{name}|{options}", name, source)
    code = None if bucket is None else bucket.code
    if code is None:
        code = environment.compile(source, name=name, filename=name)
        if cache is not None and bucket is not None:
            bucket.code = code
            try:
                cache.set_bucket(bucket)
            except OSError:
                pass  # a full or read-only disk costs only compiling again next time
    return environment.template_class.from_code(environment, code, environment.make_globals(None))


@contextmanager
def naming_template(template: Path) -> Iterator[None]:
    """A refusal of the sandbox raised inside says which template it was."""
    try:
        yield
    except SecurityError as error:
        raise SecurityError(f"Mẫu {template.name} bị từ chối: {error}") from None


def render_text(environment: SandboxedEnvironment, template: Path, context: dict[str, Any]) -> bytes:
    """A text or HTML template, rendered to UTF-8 in NFC like every text we write."""
    with naming_template(template):
        text = compile_template(environment, template.read_text(encoding="utf-8"), template.name).render(context)
    return unicodedata.normalize("NFC", text).encode("utf-8")
