"""The compiled renderer gives the documents docxtpl gives: every shipped template
with the contexts of the sample run, a template using what the shipped ones do
not (footnotes, drawings, tables whose grid docxtpl mends), hostile values."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import re
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import SAMPLE_INPUTS
from docx import Document
from docxtpl import DocxTemplate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree
from test_template_lint import broken

from pipeline.core.files import reproducible_zip
from pipeline.core.jobs import DocumentJob, Format
from pipeline.core.model import Organiser
from pipeline.documents.minutes import STATE_TEMPLATE, minutes_context
from pipeline.documents.news import HEADLINE_LINE_CHARS
from pipeline.intake.meeting import load_meeting
from pipeline.intake.settings import load_settings
from pipeline.render import word
from pipeline.render.templating import TEMPLATES, make_environment
from pipeline.render.word import CompiledDocxTemplate, _NotStatic, _StaticText, _tables_need_fixing, compiled
from pipeline.run.orchestrate import compile_shared_templates, prepare
from pipeline.vn.periods import parse_period
from pipeline.vn.text import title_lines

PERIOD = parse_period("2020-11")
NEWS = TEMPLATES / "tin-bai.docx"
CONTEXTS_PER_TEMPLATE = 3  # a per-commune template has one context per commune; a few tell as much


def naive(template: Path, context: dict[str, Any]) -> bytes:
    """The document as docxtpl renders it, one DocxTemplate per document."""
    document = DocxTemplate(template)
    document.render(context, jinja_env=make_environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def fast(template: Path, context: dict[str, Any]) -> bytes:
    return CompiledDocxTemplate(template, make_environment()).render(context)


def entries(document: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return [(entry.filename, archive.read(entry)) for entry in archive.infolist()]


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def assert_same_document(expected: bytes, actual: bytes) -> None:
    expected_entries, actual_entries = entries(expected), entries(actual)
    assert [name for name, _ in actual_entries] == [name for name, _ in expected_entries]
    for (name, want), (_, got) in zip(expected_entries, actual_entries):
        if name.endswith((".xml", ".rels")):
            assert canonical(got) == canonical(want), name
        else:
            assert got == want, name
    assert actual == expected  # and, as both are zipped alike, the same bytes


@pytest.fixture(scope="module")
def sample_contexts(tmp_path_factory) -> dict[Path, list[dict[str, Any]]]:
    """Each Word template's contexts as the sample run builds them."""
    prepared = prepare(PERIOD, SAMPLE_INPUTS, tmp_path_factory.mktemp("outputs"))
    contexts: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for job in prepared.documents:
        if job.format is Format.DOCX:
            contexts[job.template].append(job.context)
    # The sample's conference is held by the Party committee; the state layout
    # gets the same conference held by the district's People's Committee.
    meeting = load_meeting(SAMPLE_INPUTS / PERIOD.code).meeting
    state = Organiser(False, "UBND huyện", "UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN",
                      "BB-UBND", "5", "", ("Lưu: VT, Hồ sơ.",))
    contexts[TEMPLATES / STATE_TEMPLATE].append(minutes_context(
        dataclasses.replace(meeting, organiser=state), prepared.statistics, load_settings(SAMPLE_INPUTS)))
    return contexts


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.docx")), ids=lambda path: path.name)
def test_every_template_renders_as_docxtpl_renders_it(template, sample_contexts):
    contexts = sample_contexts.get(template)
    assert contexts, f"no context of the sample run uses {template.name}: add one here"
    renderer = CompiledDocxTemplate(template, make_environment())
    for context in contexts[:CONTEXTS_PER_TEMPLATE]:
        assert_same_document(naive(template, context), renderer.render(context))


def test_the_same_context_gives_the_same_bytes(sample_contexts):
    report = TEMPLATES / "bao-cao-so-ket.docx"
    context = sample_contexts[report][0]
    renderer = CompiledDocxTemplate(report, make_environment())
    first = renderer.render(context)
    assert renderer.render(context) == first
    assert fast(report, context) == first  # compiled again: still the same


# --- what the shipped templates do not use --------------------------------------------------

_DRAWING = ('<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="7" name="Ảnh"/>'
            '</wp:inline></w:drawing></w:r>')
_GRID = '<w:tblPr/><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>'
_EXTRAS = (
    # a drawing repeated by a loop: docxtpl renumbers the drawings' ids
    '<w:p><w:r><w:t>{%p for p in news.paragraphs[:3] %}</w:t></w:r></w:p>'
    f'<w:p>{_DRAWING}<w:r><w:t>Ảnh {{{{ loop.index }}}}</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>{%p endfor %}</w:t></w:r></w:p>'
    # more cells than columns, then fewer: docxtpl mends the grid
    f'<w:tbl>{_GRID}<w:tr><w:tc><w:p><w:r><w:t>{{%tc for p in news.paragraphs %}}</w:t></w:r></w:p></w:tc>'
    '<w:tc><w:p><w:r><w:t>{{ p[:12] }}</w:t></w:r></w:p></w:tc>'
    '<w:tc><w:p><w:r><w:t>{%tc endfor %}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    f'<w:tbl>{_GRID}<w:tr><w:tc><w:p><w:r><w:t>{{{{ news.byline }}}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    '<w:p/>'
)
_FOOTNOTES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              '<w:footnote w:id="1"><w:p><w:r><w:t>{{ news.byline }}{{ "\\t" }}{{ news.headline }}</w:t></w:r></w:p>'
              '</w:footnote></w:footnotes>')


def _with_extras(tmp_path: Path) -> Path:
    """The news template with footnotes, drawings and mended tables."""
    target = tmp_path / "mau-them.docx"
    with zipfile.ZipFile(NEWS) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in source.infolist():
            data = source.read(entry).decode("utf-8")
            if entry.filename == "word/document.xml":
                data = data.replace("<w:sectPr>", _EXTRAS + "<w:sectPr>", 1)
            elif entry.filename == "[Content_Types].xml":
                data = data.replace("</Types>", '<Override PartName="/word/footnotes.xml" ContentType="application/'
                                                'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
                                                "</Types>")
            elif entry.filename == "word/_rels/document.xml.rels":
                data = data.replace("</Relationships>", '<Relationship Id="rIdFootnotes" Type="http://schemas.'
                                                        'openxmlformats.org/officeDocument/2006/relationships/'
                                                        'footnotes" Target="footnotes.xml"/></Relationships>')
            copy.writestr(entry, data.encode("utf-8"))
        copy.writestr("word/footnotes.xml", _FOOTNOTES.encode("utf-8"))
    return target


def test_footnotes_drawings_and_mended_tables_as_docxtpl_does(tmp_path, sample_contexts):
    template = _with_extras(tmp_path)
    context = sample_contexts[NEWS][0]
    rendered = fast(template, context)
    assert_same_document(naive(template, context), rendered)
    document = dict(entries(rendered))
    assert b'id="1001"' in document["word/document.xml"] and b'id="1003"' in document["word/document.xml"]
    assert context["news"]["byline"] in "".join(etree.fromstring(document["word/footnotes.xml"]).itertext())
    tables = Document(io.BytesIO(rendered)).tables
    assert len(tables[0].columns) == len(context["news"]["paragraphs"]) and len(tables[1].columns) == 1


_CELL = st.tuples(st.integers(0, 3), st.sampled_from(["", "", "0", "02", "-1", " 2", "2.5", "x"]))  # (span, odd value)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(columns=st.integers(0, 4), rows=st.lists(st.lists(_CELL, max_size=5), max_size=4))
def test_a_table_said_not_to_need_mending_is_one_docxtpl_leaves_alone(columns, rows):
    """The shortcut that spares calling `fix_tables` is never wrong."""
    def cell(span: int, odd: str) -> str:
        value = odd or str(span)
        return f'<w:tc><w:tcPr><w:gridSpan w:val="{value}"/></w:tcPr></w:tc>' if span or odd else "<w:tc/>"

    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(columns))
    body = "".join("<w:tr>" + "".join(cell(*c) for c in row) + "</w:tr>" for row in rows)
    xml = (f'<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f'<w:tbl><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl></w:body>')
    tree = etree.fromstring(xml)
    if not _tables_need_fixing(tree):
        fixed = DocxTemplate(NEWS).fix_tables(xml)
        assert etree.tostring(fixed, method="c14n") == etree.tostring(tree, method="c14n")


# --- hostile values --------------------------------------------------------------------------

_PIECES = ["<", ">", "&", '"', "'", "&amp;", "{{ 7*7 }}", "{% if %}", "{%p if x %}", "{{", "}}", "%}", "{_{",
           "]]>", "<w:t>", "\n", "\t", " ", "Đ", "ữ", "a"]
_HOSTILE = st.one_of(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=10).map("".join),
    st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"), min_size=1, max_size=20),
)


def as_docxtpl_shows(value: str) -> str:
    """docxtpl turns its escaped braces back after rendering, values included."""
    return value.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_HOSTILE)
def test_hostile_values_come_out_literally_as_with_docxtpl(sample_contexts, value):
    context = sample_contexts[NEWS][0]
    news = {**context["news"], "headline": value, "photo_caption": "", "byline": f"{value} – {value}",
            "paragraphs": [value, *context["news"]["paragraphs"][1:]]}
    hostile = {**context, "news": news}
    rendered = fast(NEWS, hostile)
    assert_same_document(naive(NEWS, hostile), rendered)
    texts = [paragraph.text for paragraph in Document(io.BytesIO(rendered)).paragraphs]
    shown = as_docxtpl_shows(value)
    # The headline is printed broken into balanced lines (its words kept as they are).
    assert texts[0] == as_docxtpl_shows(title_lines(value, HEADLINE_LINE_CHARS))
    assert texts[2] == shown and texts[-1] == f"{shown} – {shown}"


# --- core properties ---------------------------------------------------------------------------

_PROPERTY_TEXT = st.one_of(
    st.text(max_size=260),
    st.lists(st.sampled_from(["Thôn Đông", "&", "<", ">", '"', "'", "\t", "\n", "\r", "\x0b", "\ufffe", "{{",
                              "\u0085", "\ue000", "x" * 200]), max_size=6).map("".join),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.tuples(*[_PROPERTY_TEXT] * len(word.RENDERED_PROPERTIES)))
def test_core_properties_spliced_are_what_python_docx_writes(values):
    renderer = compiled(TEMPLATES / "phan-hoi.docx")
    spliced = renderer._core_xml_spliced(values)
    try:
        expected = renderer._core_element_xml(values)
    except ValueError:  # more than 255 characters, or a character lxml refuses
        assert spliced is None
        return
    assert spliced in (None, expected)
    if all(len(value) <= 255 and "\r" not in value and not word._changed_by_parsing(value.encode("utf-8", "replace"))
           for value in values):
        assert spliced == expected  # every value python-docx writes as it is goes the quick way


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.docx")), ids=lambda path: path.name)
def test_a_property_of_text_alone_is_rendered_once_and_the_others_every_time(template):
    renderer = compiled(template)
    sources = dict(zip(word.RENDERED_PROPERTIES, renderer._properties))
    core = Document(template).core_properties
    for name, rendered in sources.items():
        assert isinstance(rendered, str) is ("{" not in getattr(core, name)), name
    assert renderer._core_cuts is not None


# --- errors and the cache --------------------------------------------------------------------


def test_a_misspelt_variable_names_the_template(tmp_path, sample_contexts):
    template = broken(tmp_path, "{{ doc.issuer }}", "{{ doc.isuer }}")
    renderer = CompiledDocxTemplate(template, make_environment())
    with pytest.raises(UndefinedError) as caught:
        renderer.render(sample_contexts[TEMPLATES / "bao-cao-so-ket.docx"][0])
    assert "isuer" in str(caught.value)
    assert caught.value.__notes__ == ["Lỗi trong mẫu mau.docx (phần word/document.xml)."]


def test_a_syntax_error_names_the_template_and_its_place(tmp_path):
    template = broken(tmp_path, "{{ doc.issuer }}", "{{ doc.issuer }")
    with pytest.raises(TemplateSyntaxError) as caught:
        CompiledDocxTemplate(template, make_environment())
    assert caught.value.name == "mau.docx/word/document.xml"
    assert any("{{ doc.issuer }" in line for line in caught.value.docx_context)
    assert caught.value.__notes__ == ["Lỗi trong mẫu mau.docx (phần word/document.xml)."]


def test_a_template_reaching_beyond_its_data_is_refused_by_name(tmp_path, sample_contexts):
    template = broken(tmp_path, "{{ doc.issuer }}", "{{ ''.__class__.__mro__ }}")
    with pytest.raises(SecurityError) as caught:
        fast(template, sample_contexts[TEMPLATES / "bao-cao-so-ket.docx"][0])
    assert str(caught.value).startswith("Mẫu mau.docx bị từ chối: mẫu đòi dùng '__class__'")


def test_a_template_is_compiled_once_until_it_changes(tmp_path):
    template = tmp_path / "tin-bai.docx"
    template.write_bytes(NEWS.read_bytes())
    first = compiled(template)
    assert compiled(template) is first
    template.write_bytes(_with_extras(tmp_path).read_bytes())  # edited in Word
    assert compiled(template) is not first


def test_a_template_several_documents_share_is_compiled_before_the_pool_forks(tmp_path):
    shared, single = tmp_path / "phieu.docx", tmp_path / "bao-cao.docx"
    shared.write_bytes(NEWS.read_bytes())
    single.write_bytes(NEWS.read_bytes())
    jobs = [DocumentJob(shared, {}, "a.docx"), DocumentJob(shared, {}, "b.docx"), DocumentJob(single, {}, "c.docx"),
            DocumentJob(single, {}, "c.html", Format.HTML)]
    compiled_before = word._compiled.cache_info().misses
    compile_shared_templates(jobs)
    assert word._compiled.cache_info().misses == compiled_before + 1, "only the shared template, once"
    hits = word._compiled.cache_info().hits
    compiled(shared)
    assert word._compiled.cache_info().hits == hits + 1, "the workers find it compiled"


# --- the body spliced as rendered, without parsing it ------------------------------------------

_SPLICE_PIECES = ["", "<", ">", "&", '"', "'", "&#34;", "&amp;", "&quot;", "]]>", "<w:t>", "</w:t>", "></",
                  "\x7f", "\u2028", "{_{", "Đ", "ữ", " ", "a"]
# At most one of these a document: a tab or line break (docxtpl's listing) or a character
# XML cannot hold or reads otherwise. The core properties refuse the latter (the document
# is then refused, spliced or not), so those go only where the body shows them.
_LISTING = ["\n", "\t", "\a", "\f", "docPr"]
_UNHELD = ["\r", "\x0b", "\x01", "\ufffe", "\uffff", "\x00", "\ud800"]
# Listing characters the core properties would refuse too.
_REFUSED_BY_PROPERTIES = ["\a", "\f", *_UNHELD]
_SPLICE_VALUES = st.lists(st.sampled_from(_SPLICE_PIECES), max_size=6).map("".join)


def _replaced_texts(value: Any, texts: Iterator[str]) -> Any:
    """`value` with every text in it (keys left alone) taken in turn from `texts`."""
    if isinstance(value, str):
        return next(texts)
    if isinstance(value, dict):
        return {key: _replaced_texts(item, texts) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_replaced_texts(item, texts) for item in value)
    return value


def _parsed_through_lxml(renderer: CompiledDocxTemplate) -> CompiledDocxTemplate:
    unspliced = copy.copy(renderer)
    unspliced._body_splice = None
    return unspliced


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.docx")), ids=lambda path: path.name)
def test_every_shipped_template_is_spliced(template):
    assert compiled(template)._body_splice is not None


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.docx")), ids=lambda path: path.name)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(texts=st.lists(_SPLICE_VALUES, min_size=1, max_size=40), special=st.sampled_from(["", *_LISTING, *_UNHELD]))
def test_a_spliced_body_is_the_bytes_lxml_writes(template, sample_contexts, texts, special):
    """Every text of the sample's context replaced by quotes, markup, empty text, characters
    XML cannot hold…: the document spliced is the document parsed and written by lxml."""
    renderer = compiled(template)
    original = sample_contexts[template][0]
    context = _replaced_texts(original, itertools.cycle([*texts[:-1], texts[-1] + special]))
    if special in _REFUSED_BY_PROPERTIES:
        context["doc"] = original["doc"]  # the core properties, which would refuse it
    expected = _parsed_through_lxml(renderer).render(context)
    assert renderer.render(context) == expected


# Pieces of a rendered body as docxtpl's `resolve_listing` reads it: paragraphs with and
# without properties, runs, texts holding its characters or not, markup between paragraphs.
_LISTING_TEXT = st.lists(st.sampled_from(["a", "Đ", " ", "\n", "\t", "\a", "\f", "<w:br/>", "&lt;"]),
                         max_size=5).map("".join)
_LISTING_RUN = st.builds(lambda properties, text: f"<w:r>{properties}<w:t xml:space=\"preserve\">{text}</w:t></w:r>",
                         st.sampled_from(["", "<w:rPr><w:b/></w:rPr>"]), _LISTING_TEXT)
_LISTING_PARAGRAPH = st.builds(lambda start, properties, runs: f"{start}{properties}{''.join(runs)}</w:p>",
                               st.sampled_from(["<w:p>", '<w:p w:rsidR="00A1">']),
                               st.sampled_from(["", '<w:pPr><w:jc w:val="center"/></w:pPr>']),
                               st.lists(_LISTING_RUN, max_size=3))
_LISTING_BODY = st.lists(st.one_of(_LISTING_PARAGRAPH, st.sampled_from(["<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>",
                                                                       "\n", "<w:sectPr/>",
                                                                       # a paragraph inside another (a text box)
                                                                       "<w:p><w:r><w:pict><w:t>\t", "<w:p w:x=\"1\">"])),
                         max_size=8).map("".join)


@settings(max_examples=600, deadline=None)
@given(xml=_LISTING_BODY)
def test_listing_characters_are_resolved_as_docxtpl_resolves_them(xml):
    """Only the paragraphs holding one of its characters go through docxtpl's `resolve_listing`:
    the document comes out as if all had."""
    renderer = compiled(TEMPLATES / "tin-bai.docx")
    assert renderer._resolved_listing(xml) == DocxTemplate(TEMPLATES / "tin-bai.docx").resolve_listing(xml)


def _static(source: str) -> _StaticText:
    return _StaticText(make_environment().parse(source))


_BODY = '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{}</w:body>'


@pytest.mark.parametrize("inside", [
    '<w:p w:rsidR="{{ x }}"/>',  # a value in a tag
    "<w:p>{{ x|safe }}</w:p>",  # a value not escaped
    "{% if a %}<w:p>{% endif %}</w:p>",  # a branch holding half an element
    "<w:tbl><w:tr>{% if a %}<w:tc><w:p/></w:tc>{% endif %}</w:tr></w:tbl>",  # cells a branch decides
    "<w:tbl><w:tblGrid>{% for c in cs %}<w:gridCol/>{% endfor %}</w:tblGrid></w:tbl>",  # a grid a loop makes
    "<w:tbl><w:tr><w:tc><w:tbl/></w:tc></w:tr></w:tbl>",  # a table in a table
    "<!-- {{ x }} -->",
    "{% macro m() %}<w:p/>{% endmacro %}",
    "<w:p>{% filter title_lines %}<w:r/>{{ x }}{% endfilter %}</w:p>",  # markup a filter rewrites
    "<w:p>{% filter title_lines %}{% if a %}{{ x }}{% endif %}{% endfilter %}</w:p>",
    "<w:p><w:r><w:t>{% filter safe %}{{ x }}{% endfilter %}</w:t></w:r></w:p>",  # text not escaped
    "<w:p>{{ x }}</w:p>",  # a value between runs: docxtpl's {{r x }}, markup of its own
    "<w:p><w:r>{{ x }}</w:r></w:p>",
    "<w:p><w:r><w:t>{% for i in xs recursive %}{{ loop(i) }}{% endfor %}</w:t></w:r></w:p>",
    # A cell's span or a table's grid that a branch decides.
    '<w:tbl><w:tr><w:tc>{% if a %}<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{% endif %}<w:p/></w:tc></w:tr></w:tbl>',
    '<w:tbl>{% if a %}<w:tblGrid><w:gridCol/></w:tblGrid>{% endif %}<w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>',
])
def test_a_template_whose_text_could_need_parsing_is_not_spliced(inside):
    with pytest.raises(_NotStatic):
        _static(_BODY.format(inside))


def test_rows_a_loop_writes_are_not_counted_on_to_span_the_grid():
    static = _static(_BODY.format(
        "<w:tbl><w:tr><w:tc><w:p>{% if a %}<w:r/>{% endif %}</w:p></w:tc></w:tr>"
        "{% for r in rows %}<w:tr><w:tc><w:p><w:r><w:t>{{ r }}</w:t></w:r></w:p></w:tc></w:tr>{% endfor %}</w:tbl>"))
    assert static.unconditional_rows == [True, False]
    assert static.open_at_edges == {"<w:p>", "<w:t>"}  # what an empty branch or value may leave empty


def test_a_filtered_block_of_text_is_spliced_as_a_value_is():
    static = _static(_BODY.format("<w:p><w:r><w:t>{% filter title_lines %}2. Sắp xếp {{ v }} và người hoạt động "
                                  "{{ v }}{% endfilter %}</w:t></w:r></w:p>"))
    assert static.text == _BODY.format("<w:p><w:r><w:t>x</w:t></w:r></w:p>")


_CHANGED_BY_PARSING_AS_A_CLASS = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")


@given(st.one_of(st.binary(max_size=200),
                 st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass"))))
def test_changed_by_parsing_finds_what_a_search_for_the_bytes_and_noncharacters_finds(data: bytes) -> None:
    expected = bool(_CHANGED_BY_PARSING_AS_A_CLASS.search(data)) or "\ufffe".encode() in data \
        or "\uffff".encode() in data
    assert word._changed_by_parsing(data) is expected


@pytest.mark.parametrize("character", [*map(chr, range(0x20)), "\ufffe", "\uffff", "\uffbf", "\r"])
def test_changed_by_parsing_each_character_lxml_does_not_write_back(character: str) -> None:
    data = f"<w:t>Thôn {character}Đông</w:t>".encode("utf-8")
    assert word._changed_by_parsing(data) is (character not in "\t\n\uffbf")


def _undone_searching_every_change(xml: str) -> str:
    """`word._undone` as it was, every change searched for: what the fast path must equal."""
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    for escaped, brace in word._ESCAPED_BRACES:
        xml = xml.replace(escaped, brace)
    return xml


_RENDERED_PIECES = st.lists(st.sampled_from(["\n", "<w:p ", "<w:p>", "<w:t>", "{", "}", "_", "%", "{_{", "}_}",
                                             "{_%", "%_}", "&#34;", "&#39;", "#", "&", "Thôn Đông", "\ufffe",
                                             "\uf0b7", "<w:t></w:t>", "\r", "x"]), max_size=30).map("".join)


@given(_RENDERED_PIECES)
def test_undone_changes_what_searching_for_every_change_changes(xml: str) -> None:
    assert word._undone(xml) == _undone_searching_every_change(xml)


@given(_RENDERED_PIECES)
def test_spliced_body_is_what_searching_for_every_change_gives(text: str) -> None:
    xml = f"<w:body>{text}</w:body>"
    emptied = ((b"<w:t></w:t>", b"<w:t/>"),)
    data = xml.encode("utf-8")
    expected = None if _CHANGED_BY_PARSING_AS_A_CLASS.search(data) or "\ufffe".encode() in data else \
        b"<w:document>" + data.replace(b"&#34;", b'"').replace(b"&#39;", b"'").replace(*emptied[0]) + b"</w:document>"
    assert word._spliced_body(xml, b"<w:document>", b"<w:body", b"</w:document>", emptied) == expected
