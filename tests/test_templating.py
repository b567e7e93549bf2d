"""Compiled templates kept between runs: the same rendering, never a stale one."""

from __future__ import annotations

import collections

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.exceptions import SecurityError
from jinja2.runtime import Undefined
from jinja2.sandbox import SandboxedEnvironment

from pipeline.render import templating
from pipeline.render.templating import compile_template, make_environment, make_text_environment


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = FileSystemBytecodeCache(str(tmp_path))
    monkeypatch.setattr(templating, "_bytecode_cache", lambda: folder)
    return tmp_path


def test_a_cached_template_renders_as_a_freshly_compiled_one(cache):
    source = "{% for x in xs %}{{ x }} & {% endfor %}\n"
    first = compile_template(make_environment(), source, "a.html").render(xs=["<b>", "c"])
    assert list(cache.iterdir()), "the compiled code was kept"
    again = compile_template(make_environment(), source, "a.html").render(xs=["<b>", "c"])
    assert again == first == "&lt;b&gt; & c & "  # the markup environment drops the last newline


def test_a_changed_source_or_other_environment_is_compiled_anew(cache):
    compile_template(make_environment(), "{{ x }}", "a.txt")
    assert compile_template(make_environment(), "[{{ x }}]", "a.txt").render(x="&") == "[&amp;]"
    # Same name and source, other options: the text environment does not escape.
    assert compile_template(make_text_environment(), "[{{ x }}]", "a.txt").render(x="&") == "[&]"


def test_a_broken_template_is_refused_every_time(cache):
    for _ in range(2):
        with pytest.raises(TemplateSyntaxError):
            compile_template(make_environment(), "{% if %}", "broken.html")
    assert not list(cache.iterdir())


def test_without_a_cache_folder_templates_still_compile(monkeypatch):
    monkeypatch.setattr(templating, "_bytecode_cache", lambda: None)
    assert compile_template(make_environment(), "{{ 1 + 1 }}", "a.html").render() == "2"


# Keys a context may hold: data, a dict's own method names, Python's internals.
_KEYS = st.one_of(st.text(max_size=8), st.sampled_from(["items", "keys", "get", "pop", "__class__", "__len__",
                                                         "mro", "__init__", "fromkeys", "no", "name"]))


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(_KEYS, st.one_of(st.integers(), st.text(max_size=5)), max_size=4), attribute=_KEYS,
       kind=st.sampled_from([dict, collections.OrderedDict]))
def test_an_attribute_of_a_dict_is_looked_up_as_jinjas_sandbox_does(data, attribute, kind):
    """The quick path for a context's dicts gives what the sandbox gives: the value of
    a key, a dict's method, an undefined for anything else (a refusal for internals)."""
    obj = kind(data)
    ours, jinjas = make_environment().getattr(obj, attribute), SandboxedEnvironment(
        undefined=StrictUndefined).getattr(obj, attribute)
    if isinstance(jinjas, Undefined):
        assert isinstance(ours, Undefined) and ours._undefined_name == jinjas._undefined_name
        assert (ours._undefined_exception is SecurityError) == (jinjas._undefined_exception is SecurityError)
    else:
        assert ours == jinjas


def test_a_template_reads_a_dicts_keys_its_methods_and_refuses_its_internals():
    environment = make_environment()
    row = {"name": "Thôn Đông & Tây", "items": "a key named like a method"}
    assert compile_template(environment, "{{ row.name }}", "t").render(row=row) == "Thôn Đông &amp; Tây"
    assert compile_template(environment, "{{ row.items()|list|length }}", "t").render(row=row) == "2"
    for source in ("{{ row.missing }}", "{{ row.__class__ }}"):
        with pytest.raises((UndefinedError, SecurityError)):
            compile_template(environment, source, "t").render(row=row)
