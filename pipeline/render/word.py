"""Word templates compiled once, rendered many times.

`DocxTemplate(path).render(...)` reloads the package, runs docxtpl's regex
preprocessing and compiles every part with Jinja again for each document; for
one feedback sheet per commune that is thousands of times the same work.
`CompiledDocxTemplate` does the loading, preprocessing and compiling once and
then only renders: each rendered part goes through docxtpl's own
post-processing (the same methods, called, not copied) and the archive is
assembled from the parts as python-docx saves them, so a document comes out
the same as from `DocxTemplate.render` + `save` + `outputs.reproducible_zip`.
The entries that do not change from one document to the next (styles, theme,
settings…) are deflated once, and a header or footer rendered to the same text
as before is not parsed, serialized and deflated again.
"""

from __future__ import annotations

import copy
import functools
import io
import itertools
import re
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import nsmap
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, Template, TemplateError, nodes
from lxml import etree

from pipeline.core.files import Deflated, deflate, write_bytes, zip_deflated
from pipeline.render.templating import compile_template, make_environment, naming_template

# The core properties docxtpl renders as templates, in its order (template.py,
# `render_properties`): the order the elements are added to docProps/core.xml.
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_PROPERTY_MAX_CHARS = 255  # python-docx refuses a longer value

_FIRST_DOCX_ID = 1000  # docxtpl's `render_init` starts renumbering drawings here

# The characters docxtpl's `resolve_listing` turns into tabs, breaks and paragraphs:
# without them it leaves the XML as it is.
_LISTING_CHARACTERS = ("\t", "\a", "\n", "\f")
# The text `resolve_listing` opens after a tab, a line break or a new paragraph of a value.
_LISTING_TEXT_START = '<w:t xml:space="preserve">'
# A paragraph as `resolve_listing` finds it: applied to one such match, it finds that match alone.
_LISTING_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
# What docxtpl turns back after rendering, in its order.
_ESCAPED_BRACES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))

# docxtpl's `fix_tables` changes a table's grid only when a row has more cells than
# the grid has columns, or when no row spans them all (and fails on a span that is
# not a number). These find that in C; a rendered table that passes them is left
# untouched by `fix_tables`.
_W = {"w": nsmap["w"]}
_HAS_GRID = etree.XPath("boolean(w:tblGrid)", namespaces=_W)
_GRID_COLUMNS = etree.XPath("count(w:tblGrid[1]/w:gridCol)", namespaces=_W)
_ROW_WIDER_THAN_GRID_OR_ODD_SPAN = etree.XPath(
    "boolean(.//w:tr[count(w:tc) > $columns or w:tc/w:tcPr[1]/w:gridSpan[1][not(@w:val) or @w:val = ''"
    " or translate(@w:val, '0123456789', '') != '']])", namespaces=_W)
_ROW_SPAN = "sum(w:tc/w:tcPr[1]/w:gridSpan[1]/@w:val) + count(w:tc[not(w:tcPr[1]/w:gridSpan)])"  # as `get_cell_len`
_FIRST_ROW_SPANNING_GRID = etree.XPath(f"boolean((.//w:tr)[1][{_ROW_SPAN} >= $columns])", namespaces=_W)
_ROW_SPANNING_GRID = etree.XPath(f"boolean(.//w:tr[{_ROW_SPAN} >= $columns])", namespaces=_W)


def _entry_name(part: Any) -> str:
    return str(part.partname).lstrip("/")


@dataclass(frozen=True)
class _Part:
    """One XML part as a compiled template."""

    entry: str  # the zip entry it becomes, "word/header1.xml"
    source: str  # preprocessed as docxtpl does, for the excerpt on errors
    template: Template
    encoding: str = "utf-8"


def _places(text: str, characters: Sequence[str]) -> Iterator[int]:
    """Where each of `characters` is in `text` (`str.find` scans megabytes many times
    faster than a regular expression's character class)."""
    for character in characters:
        at = text.find(character)
        while at != -1:
            yield at
            at = text.find(character, at + 1)


class CompiledDocxTemplate:
    """A .docx template read, preprocessed and compiled once; `render(context)`
    gives the finished document's bytes, reproducibly."""

    def __init__(self, path: Path, environment: Environment) -> None:
        self.path = Path(path)
        self._environment = environment
        # docxtpl's preprocessing and post-processing are its methods; this
        # instance only lends them (they keep no state between calls).
        self._docxtpl = DocxTemplate(self.path)
        self._docxtpl.init_docx()
        document = self._docxtpl.docx
        package = document.part.package
        # Touching the core properties makes python-docx add the part when the
        # template has none, as docxtpl's `render_properties` does.
        core_properties = document.core_properties
        core_part = next(p for p in package.iter_parts() if p.content_type == CONTENT_TYPE.OPC_CORE_PROPERTIES)

        self._body = self._compile(_entry_name(document.part), self._docxtpl.get_xml())
        self._headers_footers = [
            self._compile(_entry_name(part), xml, self._docxtpl.get_headers_footers_encoding(xml))
            for part, xml in self._header_footer_sources()
        ]
        # docxtpl renders the footnotes once per section, each time from the last
        # result; once is the same for a one-section document, and never renders
        # a value as a template.
        self._footnotes = [
            self._compile(_entry_name(part), part.blob.decode("utf-8"))
            for part in package.iter_parts() if part.content_type == CONTENT_TYPE.WML_FOOTNOTES
        ]
        self._properties = [
            self._compile_property(f"{_entry_name(core_part)}#{name}", getattr(core_properties, name))
            for name in RENDERED_PROPERTIES
        ]
        self._core_entry = _entry_name(core_part)
        self._core_element = copy.deepcopy(core_part.element)
        self._core_cuts = self._core_plan()
        # Parts rendered from the same text are the same bytes: the core properties
        # and, from one document to the next, most headers and footers. Each is
        # serialized and deflated once.
        self._core_xml = functools.lru_cache(maxsize=32)(self._serialize_core)
        self._header_footer_xml = functools.lru_cache(maxsize=64)(self._serialize_header_footer)

        # The body is rendered into a copy of the document element whose body is
        # only a placeholder, as docxtpl's `map_tree` swaps the body.
        self._document_element = copy.deepcopy(document.element)
        body = self._document_element.body
        self._body_index = self._document_element.index(body)
        body.clear()
        self._document_ends = _around_placeholder(self._document_element, body)
        self._body_splice = self._splice_plan(self._body)

        # Every other part exactly as python-docx saves it (the naive path saves
        # through python-docx too), in its order, deflated once for every document.
        self._saved = {name: deflate(name, data) for name, data in self._saved_entries(document).items()}

    # --- compiling ------------------------------------------------------------------

    def _header_footer_sources(self) -> Iterator[tuple[Any, str]]:
        seen = set()
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for _, part in self._docxtpl.get_headers_footers(uri):
                if part.partname not in seen:  # a part two relationships share is rendered once
                    seen.add(part.partname)
                    yield part, self._docxtpl.get_part_xml(part)

    def _compile(self, entry: str, xml: str, encoding: str = "utf-8") -> _Part:
        source = self._docxtpl.patch_xml(xml)
        # docxtpl's `render_xml_part` puts each paragraph on its own line first
        # (Jinja's line numbers then point at paragraphs); it is undone after rendering.
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
        return _Part(entry, source, self._compile_text(entry, source), encoding)

    def _compile_text(self, name: str, source: str) -> Template:
        """As `Environment.from_string`, but named after the template and part, so
        syntax errors and tracebacks say where they are."""
        try:
            return compile_template(self._environment, source, f"{self.path.name}/{name}")
        except TemplateError as error:
            self._locate(error, source, name)
            raise

    def _compile_property(self, name: str, source: str) -> Template | str:
        """A core property's template, or, when it holds only text (most do: an empty
        subject, "vi-VN"), that text as Jinja renders it, so no document renders it again."""
        template = self._compile_text(name, source)
        if all(isinstance(node, nodes.Output) and all(isinstance(child, nodes.TemplateData) for child in node.nodes)
               for node in self._environment.parse(source).body):
            return template.render()
        return template

    def _core_plan(self) -> tuple[tuple[int, ...], tuple[bytes, ...]] | None:
        """docProps/core.xml as `_core_element_xml` writes it, cut where the properties'
        texts go: (which property fills each cut, in the order of the part; the bytes
        around them). None when a stand-in text cannot be found there exactly once."""
        stand_ins = [f"\ue000{index}\ue001".encode() for index in range(len(RENDERED_PROPERTIES))]
        xml = self._core_element_xml(tuple(stand_in.decode() for stand_in in stand_ins))
        if any(xml.count(stand_in) != 1 for stand_in in stand_ins):
            return None
        order = tuple(sorted(range(len(stand_ins)), key=lambda index: xml.index(stand_ins[index])))
        pieces = []
        for index in order:
            before, _, xml = xml.partition(stand_ins[index])
            pieces.append(before)
        return order, (*pieces, xml)

    @staticmethod
    def _saved_entries(document: Any) -> dict[str, bytes]:
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            return {entry.filename: archive.read(entry) for entry in archive.infolist()}

    # --- rendering --------------------------------------------------------------------

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The finished .docx; the same context always gives the same bytes."""
        with naming_template(self.path):
            return self._render(context)

    def _render(self, context: Mapping[str, Any]) -> bytes:
        rendered = {self._body.entry: deflate(self._body.entry, self._render_document(context))}
        for part in self._headers_footers:
            rendered[part.entry] = self._header_footer_xml(part, self._render_part(part, context))
        for part in self._footnotes:
            rendered[part.entry] = deflate(part.entry, self._render_part(part, context).encode("utf-8"))
        values = tuple(template if isinstance(template, str) else self._render_template(template, "", context)
                       for template in self._properties)
        rendered[self._core_entry] = self._core_xml(values)
        return zip_deflated(rendered.get(name, saved) for name, saved in self._saved.items())

    def _render_document(self, context: Mapping[str, Any]) -> bytes:
        xml = self._render_part(self._body, context)
        if self._body_splice is not None and "docPr" not in xml:
            spliced = _spliced_body(xml, *self._body_splice)
            if spliced is not None:
                return spliced
        tree = etree.fromstring(xml, parser=_recovering_parser())  # as `fix_tables` parses it
        if _tables_need_fixing(tree):
            tree = self._docxtpl.fix_tables(xml)
        if "docPr" in xml:  # drawings, which docxtpl renumbers
            DocxTemplate.fix_docpr_ids(SimpleNamespace(docx_ids_index=_FIRST_DOCX_ID), tree)
        spliced = self._spliced(tree)
        if spliced is not None:
            return spliced
        element = copy.deepcopy(self._document_element)
        element.replace(element[self._body_index], tree)
        return serialize_part_xml(element)

    def _spliced(self, body: Any) -> bytes | None:
        """The document part as `serialize_part_xml` gives it with `body` in place, from
        the body's bytes alone: the rest is the same for every document. None where the
        bytes could differ. Moved under the document element, the body loses each of its
        namespace declarations that the element already makes (lxml strips them as
        redundant), and nothing else changes; spliced, its start tag is written without
        them. So only a body whose every declaration the element makes alike, with no
        attributes, is spliced."""
        if self._document_ends is None:
            return None
        namespaces = self._document_element.nsmap
        if (body.tag != self._document_element.body.tag or body.prefix != self._document_element.body.prefix
                or body.attrib or any(namespaces.get(prefix) != uri for prefix, uri in body.nsmap.items())):
            return None
        xml = etree.tostring(body, encoding="UTF-8")
        start_tag_end = xml.index(b">")
        if xml[start_tag_end - 1:start_tag_end] == b"/":  # an empty body
            return None
        before, start_tag, after = self._document_ends
        return b"".join((before, start_tag, xml[start_tag_end:], after))

    def _splice_plan(self, part: _Part) -> tuple[bytes, bytes, bytes, tuple[tuple[bytes, bytes], ...]] | None:
        """`_document_ends` when every rendering of the body is, but for two things,
        already the text lxml would write after parsing it, so that its bytes can be
        spliced in as they are; None when that cannot be proved once for all.

        Jinja writes only two kinds of text: the template's own, and the values of
        expressions, escaped. `_StaticText` proves from the template's syntax tree
        that every expression stands in text (never in a tag), that each branch and
        loop body holds whole elements, and that table rows (and their cells) are
        never cut by a branch; the template's own text, all branches and one pass of
        each loop laid end to end (values as "x"), must then be exactly what lxml
        writes back after parsing it, and its tables must be left alone by
        `fix_tables` whichever conditional rows are left out. What lxml writes
        otherwise is then only the escaped quotes (`&#34;`, `&#39;`, written as
        characters in text) and empty elements (`<w:t></w:t>`, written `<w:t/>`);
        `_render_document` turns both as lxml does, and takes the lxml path for
        text it would change otherwise (characters XML cannot hold, a carriage
        return, drawings it renumbers). A value's tabs and line breaks are resolved
        first (`resolve_listing`, only there: the template's own text holds none):
        the markup written for them (`<w:br/>`, a run holding `<w:tab/>`, runs and
        paragraphs opened with the template's own properties) is as lxml writes it,
        and the text it leaves empty is closed like the others."""
        if self._document_ends is None or self._environment.autoescape is not True:
            return None  # values written unescaped could be markup
        try:
            static = _StaticText(self._environment.parse(part.source))
        except _NotStatic:
            return None
        flat = _undone(static.text)
        if any(character in flat for character in _LISTING_CHARACTERS) or _changed_by_parsing(
                flat.encode("utf-8", errors="replace")):
            return None
        try:
            tree = etree.fromstring(flat)
        except etree.XMLSyntaxError:
            return None
        if etree.tostring(tree, encoding="unicode") != _closed_empty(flat) or "docPr" in flat:
            return None
        # Empty in some rendering: an element empty in the template, or one a branch,
        # a loop or a value may leave empty.
        # docxtpl's `resolve_listing` opens one of these after a value's tab or line break,
        # empty when the value ends with it.
        start_tags = sorted(static.open_at_edges | {m.group(1) + ">" for m in _EMPTY_ELEMENT.finditer(flat)}
                            | {_LISTING_TEXT_START})
        emptied = tuple((f"{tag}</{_tag_name(tag)}>".encode(), f"{tag[:-1]}/>".encode()) for tag in start_tags)
        rows = list(tree.iter(f"{{{_W['w']}}}tr"))
        if len(rows) != len(static.unconditional_rows) or _tables_need_fixing(tree):
            return None
        always = {row for row, unconditional in zip(rows, static.unconditional_rows) if unconditional}
        for table in tree.iter(f"{{{_W['w']}}}tbl"):
            columns = _GRID_COLUMNS(table)
            if not any(row in always and _ROW_SPAN_OF(row) >= columns for row in table.iter(f"{{{_W['w']}}}tr")):
                return None
        if self._spliced(tree) is None:
            return None
        return (*self._document_ends, emptied)

    def _render_part(self, part: _Part, context: Mapping[str, Any]) -> str:
        """docxtpl's `render_xml_part` with the template already compiled."""
        return self._resolved_listing(_undone(self._render_template(part.template, part.source, context)))

    def _resolved_listing(self, xml: str) -> str:
        """docxtpl's `resolve_listing`, given only the paragraphs that hold one of its
        characters: it leaves any other paragraph as it is, and its regular expressions
        per paragraph and per run cost a second for the national report, whose title
        alone breaks lines. The paragraphs are those `_LISTING_PARAGRAPH.sub` would
        find; looking into none but those holding a character found beforehand
        (the national report: 86,000 paragraphs, a handful of characters)."""
        places = sorted(_places(xml, _LISTING_CHARACTERS))
        if not places:  # nearly every part: nothing to resolve
            return xml
        characters = iter(places)
        pending = next(characters)
        pieces, done = [], 0
        for found in _LISTING_PARAGRAPH.finditer(xml):
            start, end = found.span()
            while pending is not None and pending < start:  # between paragraphs: left as it is
                pending = next(characters, None)
            if pending is None:
                break
            if pending < end:
                pieces += [xml[done:start], self._docxtpl.resolve_listing(found.group(0))]
                done = end
        pieces.append(xml[done:])
        return "".join(pieces)

    def _render_template(self, template: Template, source: str, context: Mapping[str, Any]) -> str:
        try:
            return template.render(context)
        except TemplateError as error:
            self._locate(error, source, str(template.name).removeprefix(f"{self.path.name}/"))
            raise

    @staticmethod
    def _serialize_header_footer(part: _Part, xml: str) -> Deflated:
        # docxtpl hands the rendered bytes to python-docx, which parses and
        # re-serializes them on save.
        return deflate(part.entry, serialize_part_xml(parse_xml(xml.encode(part.encoding))))

    def _serialize_core(self, values: tuple[str, ...]) -> Deflated:
        return deflate(self._core_entry, self._core_xml_spliced(values) or self._core_element_xml(values))

    def _core_element_xml(self, values: tuple[str, ...]) -> bytes:
        """The core properties set as docxtpl sets them, through python-docx, which
        refuses a value of more than 255 characters, and serialized as it saves them."""
        element = copy.deepcopy(self._core_element)
        properties = CoreProperties(element)
        for name, value in zip(RENDERED_PROPERTIES, values):
            setattr(properties, name, value)
        return serialize_part_xml(element)

    def _core_xml_spliced(self, values: tuple[str, ...]) -> bytes | None:
        """`_core_element_xml(values)` from the cuts of `_core_plan`: each value escaped
        as lxml escapes text. None for a value python-docx refuses or lxml writes
        otherwise (a carriage return, a character XML cannot hold), left to that path."""
        if self._core_cuts is None:
            return None
        order, pieces = self._core_cuts
        texts = []
        for index in order:
            value = values[index]
            text = _unchanged_by_lxml(escape(value))  # escaping adds no character lxml would change
            if text is None or len(value) > _PROPERTY_MAX_CHARS:
                return None
            texts.append(text)
        return b"".join(itertools.chain.from_iterable(zip(pieces, texts))) + pieces[-1]

    def _locate(self, error: TemplateError, source: str, entry: str) -> None:
        """The Jinja error as docxtpl raises it (with `docx_context`, the text of
        the lines around it), noting the template and part it comes from."""
        lineno = getattr(error, "lineno", None)
        if lineno is not None and source:
            first = max(lineno - 4, 0)
            error.docx_context = [re.sub(r"<[^>]+>", "", line) for line in source.splitlines()[first:first + 7]]
        error.add_note(f"Lỗi trong mẫu {self.path.name} (phần {entry}).")


def _undone(xml: str) -> str:
    """What docxtpl does to a rendered part with regular expressions and replacements,
    done only where there is something to change: the text is long and seldom has any.
    Each change is looked for only where a character it needs occurs: one character is
    searched for some twenty times faster than a few."""
    if "\n" in xml:
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # re.sub(r"\n<w:p([ >])", …)
    if "{" in xml or "}" in xml:  # every escaped brace holds one
        for escaped, brace in _ESCAPED_BRACES:
            if escaped in xml:
                xml = xml.replace(escaped, brace)
    return xml


# Text lxml does not write back as it reads it, in UTF-8: characters XML 1.0 cannot
# hold (the recovering parser drops them: controls, U+FFFE, U+FFFF), a carriage
# return (read as a line feed).
_CHANGED_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, 0x0D, *range(0x0E, 0x20)])
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_NONCHARACTER_LEAD = b"\xef"  # what both begin with: rare, and one byte is searched for fast


def _changed_by_parsing(data: bytes) -> bool:
    # Deleting the bytes and comparing lengths is one pass in C, ten times faster than a
    # regular expression's search for a class of bytes over a document part.
    return len(data.translate(None, _CHANGED_BYTES)) != len(data) or (
        _NONCHARACTER_LEAD in data and any(character in data for character in _NONCHARACTERS))


_ROW_SPAN_OF = etree.XPath(_ROW_SPAN, namespaces=_W)


_EMPTY_ELEMENT = re.compile(r"(<([^\s/!?<>]+)[^<>]*)(?<!/)></\2>")


def _closed_empty(xml: str) -> str:
    """`<w:t xml:space="preserve"></w:t>` written `<w:t xml:space="preserve"/>`, as lxml
    writes an element with nothing in it; for text whose tags hold no `>` and whose
    text no `<` (as lxml writes them)."""
    return _EMPTY_ELEMENT.sub(r"\1/>", xml)


def _unchanged_by_lxml(text: str) -> bytes | None:
    """`text` in UTF-8 when lxml writes it back as it stands; None for a lone surrogate
    or a character lxml changes or refuses."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    return None if _changed_by_parsing(data) else data


def _spliced_body(xml: str, before: bytes, start_tag: bytes, after: bytes,
                  emptied: tuple[tuple[bytes, bytes], ...]) -> bytes | None:
    """The document part with the body `xml` of a template `_splice_plan` proved, as
    lxml writes it: the quotes Jinja escapes written as characters, the elements that
    can be left empty (`emptied`: as rendered, as lxml writes them) closed. None for
    text lxml would write otherwise."""
    data = _unchanged_by_lxml(xml)
    if data is None:
        return None
    if b"#" in data:  # one byte is searched for many times faster than `&#`
        data = data.replace(b"&#34;", b'"').replace(b"&#39;", b"'")
    for empty, closed in emptied:
        if empty in data:
            data = data.replace(empty, closed)
    return b"".join((before, start_tag, data[data.index(b">"):], after))


def _tag_name(tag: str) -> str:
    return re.split(r"[\s/>]", tag[1:], maxsplit=1)[0]


class _NotStatic(Exception):
    """The template's output cannot be proved to need no parsing."""


_TAG = re.compile(r"<[^<>]*>")
# Filters whose values Jinja does not escape, or escapes into markup.
_UNESCAPED_FILTERS = frozenset({"safe", "xmlattr", "urlize", "tojson"})
_ROW, _TABLE, _GRID, _CELL, _CELL_PROPERTIES, _TEXT = (f"w:{name}" for name in ("tr", "tbl", "tblGrid", "tc", "tcPr",
                                                                                    "t"))


class _StaticText:
    """The template's own text with every branch taken and each loop body once, values
    as "x" (`text`); raises `_NotStatic` unless each expression stands in a run's text
    (`w:t`), each branch or loop body holds whole elements and cuts no table row, nor
    decides a grid or a cell's span, no loop is recursive and no table is in another.
    `unconditional_rows`: per `w:tr`, in order, whether it is written whatever the
    branches and loops do."""

    def __init__(self, template: nodes.Template) -> None:
        for node in template.find_all((nodes.Filter, nodes.MarkSafe, nodes.MarkSafeIfAutoescape)):
            if not isinstance(node, nodes.Filter) or node.name in _UNESCAPED_FILTERS:
                raise _NotStatic
        self._pieces: list[str] = []
        self._open: list[tuple[str, int]] = []  # (element, body it was opened in)
        self.unconditional_rows: list[bool] = []
        self.open_at_edges: set[str] = set()  # start tags a branch, a loop or a value follows
        self._open_tag = ""  # the last tag, when it is a start tag
        self._bodies = 0
        self._body(template.body, 0)
        if self._open:
            raise _NotStatic
        self.text = "".join(self._pieces)

    def _body(self, body: list[nodes.Node], number: int) -> None:
        depth = len(self._open)
        for node in body:
            if isinstance(node, nodes.Output):
                for child in node.nodes:
                    if isinstance(child, nodes.TemplateData):
                        self._data(child.data, number)
                    else:
                        self._value()
            elif isinstance(node, (nodes.If, nodes.For)):
                if isinstance(node, nodes.For) and node.recursive:
                    raise _NotStatic  # `loop(…)` writes a body's text where a value stands
                branches = [node.body, node.else_] + ([b.body for b in node.elif_] if isinstance(node, nodes.If) else [])
                for branch in branches:
                    self._boundary()
                    self._bodies += 1
                    self._body(branch, self._bodies)
                    self._boundary()
            elif isinstance(node, nodes.FilterBlock):
                # `{% filter title_lines %}…{% endfilter %}`: text and values, filtered, written as a value is.
                inside = node.body
                if not all(isinstance(n, nodes.Output) for n in inside) or any(
                        "<" in d.data or ">" in d.data for n in inside for d in n.find_all(nodes.TemplateData)):
                    raise _NotStatic
                self._value()
            elif not isinstance(node, nodes.Assign):
                raise _NotStatic
        if len(self._open) != depth:
            raise _NotStatic

    def _value(self) -> None:
        """A value, escaped, stands in a run's text; anywhere else it may be markup the
        document only holds after lxml (docxtpl's `{{r …}}` closes the run around it)."""
        if not self._open or self._open[-1][0] != _TEXT:
            raise _NotStatic
        self._pieces.append("x")

    def _boundary(self) -> None:
        """A branch or loop may start or end between rows, or inside a cell's content,
        not where it would change which cells a row has, nor a grid or a cell's span."""
        names = [name for name, _ in self._open]
        if _GRID in names or _CELL_PROPERTIES in names:
            raise _NotStatic
        if _ROW in names:
            inside_row = names[len(names) - names[::-1].index(_ROW):]
            if inside_row[:1] != [_CELL]:
                raise _NotStatic

    def _data(self, data: str, body: int) -> None:
        self._pieces.append(data)
        last = 0
        for tag in _TAG.finditer(data):
            if "<" in data[last:tag.start()]:
                raise _NotStatic
            last = tag.end()
            self._tag(tag.group(), body)
        if "<" in data[last:] or ">" in data[last:]:
            raise _NotStatic  # a tag cut by an expression or a statement, or a bare `>`
        if self._open_tag and last == len(data) and data.endswith(self._open_tag):
            self.open_at_edges.add(self._open_tag)  # what follows it may write nothing

    def _tag(self, tag: str, body: int) -> None:
        if tag.startswith(("<!", "<?")):
            raise _NotStatic
        if tag.startswith("</"):
            name = tag[2:-1]
            if not self._open or self._open[-1] != (name, body):
                raise _NotStatic  # closes what another body opened
            self._open.pop()
            self._open_tag = ""
            return
        name = _tag_name(tag)
        if name == _TABLE and any(open_name == _TABLE for open_name, _ in self._open):
            raise _NotStatic
        if name in (_GRID, _CELL_PROPERTIES) and (not self._open or self._open[-1][1] != body):
            raise _NotStatic  # a grid or a cell's span a branch or a loop decides
        if name == _ROW:
            table = next((opened for opened in reversed(self._open) if opened[0] == _TABLE), None)
            self.unconditional_rows.append(table is not None and table[1] == body)
        if not tag.endswith("/>"):
            self._open.append((name, body))
            self._open_tag = tag
        else:
            self._open_tag = ""


def _around_placeholder(document: Any, body: Any) -> tuple[bytes, bytes, bytes] | None:
    """The document part's bytes before its empty body, the body's start tag without
    its `/>`, and the bytes after it; None when the placeholder cannot be found once, or
    when the document element binds one namespace to two prefixes (lxml may then move
    a body's names to the other prefix)."""
    namespaces = document.nsmap
    if len(set(namespaces.values())) != len(namespaces):
        return None
    xml = serialize_part_xml(document)
    start_tag = f"<{body.prefix}:body" if body.prefix else "<body"
    placeholder = f"{start_tag}/>".encode()
    if xml.count(placeholder) != 1:
        return None
    before, after = xml.split(placeholder)
    return before, start_tag.encode(), after


_parsers = threading.local()


def _recovering_parser() -> etree.XMLParser:
    """The parser `fix_tables` makes for each call, made once per thread (lxml's
    parsers are not to be shared between threads); it keeps nothing from one
    document to the next that changes the tree it gives."""
    parser = getattr(_parsers, "recovering", None)
    if parser is None:
        parser = _parsers.recovering = etree.XMLParser(recover=True)
    return parser


def _tables_need_fixing(tree: Any) -> bool:
    if tree.nsmap.get("w") != _W["w"]:
        return True  # not the usual body: let `fix_tables` decide
    for table in tree.iter(f"{{{_W['w']}}}tbl"):
        if not _HAS_GRID(table):
            return True
        columns = _GRID_COLUMNS(table)
        if _ROW_WIDER_THAN_GRID_OR_ODD_SPAN(table, columns=columns):
            return True
        # Usually the first row spans the grid: it spares checking every row.
        if not (_FIRST_ROW_SPANNING_GRID(table, columns=columns) or _ROW_SPANNING_GRID(table, columns=columns)):
            return True
    return False


@functools.lru_cache(maxsize=32)
def _compiled(path: Path, stamp: tuple[int, int]) -> CompiledDocxTemplate:
    return CompiledDocxTemplate(path, make_environment())


def compiled(template: Path) -> CompiledDocxTemplate:
    """The template compiled in the project's environment, once per run: cached
    by path, and compiled again when the file changes (an edit in Word)."""
    path = Path(template).resolve()
    status = path.stat()
    return _compiled(path, (status.st_mtime_ns, status.st_size))


def render_docx(template: Path, context: dict[str, Any], target: Path) -> Path:
    """The template is compiled once per run, however many documents it gives."""
    return write_bytes(target, compiled(template).render(context))
