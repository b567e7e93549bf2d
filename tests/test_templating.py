"""Compiled templates kept between runs: the same rendering, never a stale one."""

from __future__ import annotations

import pytest
from jinja2 import TemplateSyntaxError
from jinja2.bccache import FileSystemBytecodeCache

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
