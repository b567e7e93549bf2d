"""Template lint: what would go wrong when a Word template is rendered.

The office's specialist edits templates_docx/*.docx in Word. Word may split a
`{{ tag }}` over several runs or paragraphs, and a misspelt variable only shows
when the program fails (StrictUndefined) or leaves a value out. This module
reads a template the way docxtpl will render it and reports, in Vietnamese,
with the Word paragraph each problem is in:

- syntax           Jinja syntax errors (the template XML preprocessed exactly as
                   docxtpl does: `get_xml()` → `patch_xml()`), unknown filters,
                   a `}}` with no `{{`;
- split_tag        tags docxtpl would not mend. Measured on docxtpl 0.20: a tag
                   split over runs of ONE paragraph is joined back (the text of
                   the later runs goes into the first, whatever lies between:
                   tabs, bookmarks, proofing marks, field codes, deleted text);
                   NOT mended: a tag running into another paragraph (docxtpl
                   silently merges the paragraphs, or breaks the table when they
                   are in different cells), a tag split across a hyperlink,
                   a tracked insertion or a smart tag (the XML comes out
                   malformed), and `{%p`/`{%tr`/`{%tc`/`{%r` sharing its
                   paragraph/row/cell/run with other text (that text is
                   deleted on render, or a second tag in it is lost);
- unknown_variable a dotted path the template uses (`doc.signer.name`, `r.no` in
                   `{% for r in annex.rows %}`) that the context does not have;
- unused_value     a value the context provides that no template uses
                   (computed over all templates by `lint_templates`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from pipeline.render.check import excerpt, locate_paragraphs, paragraph_text, run_text
from pipeline.render.templating import make_environment
from pipeline.render.word import RENDERED_PROPERTIES

ITEM = "[]"  # a path segment standing for "any item of the list"

# Before each paragraph, table row and cell docxtpl will see a comment whose
# text starts a new line with the index of the next paragraph: Jinja's line
# numbers then lead back to the Word paragraph even when docxtpl has removed
# `{%p %}` paragraphs or `{%tr %}` rows, or joined a split tag.
_MARK = "¶"
_MARKED = re.compile(rf"{_MARK}(\d+)-->")

_CONTAINERS = {
    qn("w:hyperlink"): "một liên kết (hyperlink)",
    qn("w:ins"): "một phần sửa có theo dõi (Track Changes)",
    qn("w:smartTag"): "một thẻ thông minh (smart tag)",
    qn("w:sdtContent"): "một ô nội dung (content control)",
    qn("w:fldSimple"): "một trường (field)",
}
_SCOPED_TAG = re.compile(r"(?:\{%|\{\{)(p|tr|tc|r) ")
_SCOPE_NAMES = {"p": "đoạn", "tr": "hàng của bảng", "tc": "ô của bảng", "r": "đoạn chữ (run)"}
_TOKENS = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_CLOSER_OF = {"{{": "}}", "{%": "%}", "{#": "#}"}


@dataclass(frozen=True)
class LintFinding:
    kind: str  # "syntax" | "split_tag" | "unknown_variable" | "unused_value"
    where: str
    message: str

    def text(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class _Use:
    path: tuple[str, ...]  # in the context; ITEM for a list item
    written: str  # as the template writes it: "r.no"
    where: str
    whole: bool  # printed or filtered: every value below it is used


@dataclass
class _Analysis:
    findings: list[LintFinding] = field(default_factory=list)
    uses: list[_Use] = field(default_factory=list)
    parsed: bool = True


@dataclass(frozen=True)
class _Part:
    label: str  # "" for the body, "đầu trang header1.xml"…
    xml: str  # as docxtpl reads it, before its preprocessing
    root: Any
    where: list[str]  # per paragraph, in document order

    def paragraph(self, index: int | None) -> str:
        if index is None or index >= len(self.where):
            return self.label or "mẫu"
        return self.where[index]


def _parts(template: DocxTemplate) -> Iterator[_Part]:
    template.init_docx()
    body_xml = template.get_xml()
    body = etree.fromstring(body_xml)
    located = locate_paragraphs(body)
    yield _Part("", body_xml, body, [located[p] for p in body.iter(qn("w:p"))])
    for uri, label in ((template.HEADER_URI, "đầu trang"), (template.FOOTER_URI, "chân trang")):
        for _, part in template.get_headers_footers(uri):
            xml = template.get_part_xml(part)
            root = etree.fromstring(xml)
            name = f"{label} {Path(str(part.partname)).name}"
            where = [f"{name}, đoạn {i} {excerpt(paragraph_text(p))}"
                     for i, p in enumerate(root.iter(qn("w:p")), start=1)]
            yield _Part(name, xml, root, where)
    # The file's properties (title, author…) are rendered as templates too; each
    # is given as a paragraph of its own.
    core = template.docx.core_properties
    values = [(name, getattr(core, name) or "") for name in RENDERED_PROPERTIES]
    values = [(name, value) for name, value in values if "{" in value]
    if values:
        runs = "".join(f"<w:p><w:r><w:t>{escape(value)}</w:t></w:r></w:p>" for _, value in values)
        xml = f'<w:body xmlns:w="{_W_NS}">{runs}</w:body>'
        yield _Part("thuộc tính tệp", xml, etree.fromstring(xml),
                    [f"thuộc tính tệp, {name} «{value}»" for name, value in values])


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- split tags -------------------------------------------------------------------


def _scope_text(element: Any) -> str:
    if element.tag == qn("w:r"):
        return run_text(element)
    return "".join(paragraph_text(p) for p in element.iter(qn("w:p")))


def _short(tag: str) -> str:
    return tag if len(tag) <= 60 else f"{tag[:57]}…"


def _split_tags(part: _Part) -> list[LintFinding]:
    """Tags as docxtpl finds them: in the text of all w:t of the part run
    together, so a `{` ending one paragraph and a `{` starting the next make
    a tag, as they do for docxtpl."""
    texts = list(part.root.iter(qn("w:t")))
    owner: list[int] = []
    for index, t in enumerate(texts):
        owner.extend([index] * len(t.text or ""))
    stream = "".join(t.text or "" for t in texts)
    paragraphs = list(part.root.iter(qn("w:p")))
    index_of = {p: i for i, p in enumerate(paragraphs)}

    def paragraph_of(t: Any) -> Any:
        return next(t.iterancestors(qn("w:p")))

    findings = []
    opened: re.Match[str] | None = None
    for token in _TOKENS.finditer(stream):
        if token.group() in _CLOSER_OF:
            opened = opened or token  # docxtpl closes a tag at the nearest closer
            continue
        if opened is None:
            where = part.paragraph(index_of[paragraph_of(texts[owner[token.start()]])])
            findings.append(LintFinding("syntax", where, f"có dấu «{token.group()}» nhưng không có dấu mở thẻ tương ứng "
                                                         f"(«{{{{» hoặc «{{%»); thẻ sẽ hiện nguyên văn trong văn bản."))
            continue
        if _CLOSER_OF[opened.group()] != token.group():
            continue
        tag = stream[opened.start():token.end()]
        pieces = [texts[i] for i in sorted(set(owner[opened.start():token.end()]))]
        opened = None
        if _TOKENS.search(tag, 2).end() != len(tag):
            continue  # another tag opens inside: a missing closer, reported as a syntax error
        holders = [paragraph_of(t) for t in pieces]
        first = part.paragraph(index_of[holders[0]])
        if len(set(holders)) > 1:
            last = part.paragraph(index_of[holders[-1]])
            findings.append(LintFinding("split_tag", first, (
                f"thẻ «{_short(tag)}» bắt đầu ở đoạn này và kết thúc ở đoạn khác ({last}). Khi điền, chương trình sẽ "
                f"gộp các đoạn (mất định dạng) hoặc làm hỏng bảng. Xóa và gõ lại cả thẻ liền một dòng.")))
            continue
        containers = {t.getparent().getparent() for t in pieces}
        if len(containers) > 1:
            inside = next((_CONTAINERS[c.tag] for c in containers if c.tag in _CONTAINERS), "một phần tử khác")
            findings.append(LintFinding("split_tag", first, (
                f"thẻ «{_short(tag)}» bị cắt ngang bởi {inside}: chương trình không nối lại được và văn bản sẽ hỏng. "
                f"Tắt theo dõi thay đổi, xóa và gõ lại cả thẻ.")))
            continue
        scoped = _SCOPED_TAG.match(tag)
        if scoped:
            scope = next(pieces[0].iterancestors(qn(f"w:{scoped.group(1)}")), None)
            if scope is not None and _scope_text(scope).strip() != tag.strip():
                name = _SCOPE_NAMES[scoped.group(1)]
                findings.append(LintFinding("split_tag", first, (
                    f"lệnh «{tag}» phải đứng một mình trong {name}: phần còn lại của {name} "
                    f"(«{_scope_text(scope).replace(tag, '').strip()}») sẽ bị xóa khi điền. "
                    f"Đưa lệnh ra một {name} riêng.")))
    return findings


# --- syntax ------------------------------------------------------------------------


def _marked(xml: str) -> str:
    out, last, paragraph = [], 0, 0
    for match in re.finditer(r"<w:(p|tr|tc)[ >/]", xml):  # `<w:p/>` is an empty paragraph
        out.append(xml[last:match.start()])
        out.append(f"<!--\n{_MARK}{paragraph}-->")
        last = match.start()
        paragraph += match.group(1) == "p"
    out.append(xml[last:])
    return "".join(out)


def _paragraph_at(source: str, lineno: int | None) -> int | None:
    lines = source.split("\n")
    if not lineno or lineno > len(lines):
        return None
    match = _MARKED.match(lines[lineno - 1])
    return int(match.group(1)) if match else None


_BLOCKS = {"for", "if", "macro", "call", "filter", "with", "block", "autoescape"}


def _unclosed_block(source: str) -> tuple[str, int] | None:
    """The innermost block still open at the end of `source`."""
    env = make_environment()
    stack: list[tuple[str, int]] = []
    tokens = [token for token in env.lex(source) if token[1] != "whitespace"]
    for (lineno, kind, _), (_, next_kind, value) in zip(tokens, tokens[1:]):
        if kind == "block_begin" and next_kind == "name":
            if value in _BLOCKS:
                stack.append((value, lineno))
            elif value.startswith("end") and stack:
                stack.pop()
    return stack[-1] if stack else None


def _explain(error: TemplateSyntaxError, source: str, part: _Part, index: int | None) -> tuple[str, str]:
    """(where, Vietnamese message) for a Jinja syntax error."""
    where = part.paragraph(index)
    text = paragraph_text(list(part.root.iter(qn("w:p")))[index]) if index is not None else ""
    message = error.message or ""
    if text.count("{{") > text.count("}}"):
        return where, "thiếu dấu «}}» đóng thẻ."
    if text.count("{%") > text.count("%}"):
        return where, "thiếu dấu «%}» đóng lệnh."
    if "unexpected end of template" in message.lower():
        try:
            block = _unclosed_block(source)
        except TemplateSyntaxError:
            block = None
        if block:
            keyword, lineno = block
            return part.paragraph(_paragraph_at(source, lineno)), (
                f"lệnh «{keyword}» mở ở đây chưa được đóng: thiếu «{{%p end{keyword} %}}».")
        return where, "mẫu kết thúc khi một lệnh (for, if…) chưa được đóng."
    unknown = re.match(r"Encountered unknown tag '(\w+)'", message)
    if unknown:
        tag = unknown.group(1)
        expected = re.search(r"looking for the following tags: (.*?)\.", message)
        if expected:
            wanted = " hoặc ".join(f"«{t}»" for t in re.findall(r"'(\w+)'", expected.group(1)))
            try:
                block = _unclosed_block("\n".join(source.split("\n")[:(error.lineno or 1) - 1]))
            except TemplateSyntaxError:
                block = None
            opened = f" (lệnh «{block[0]}» mở ở {part.paragraph(_paragraph_at(source, block[1]))})" if block else ""
            return where, f"gặp «{tag}» trong khi lệnh đang mở{opened} cần {wanted} trước."
        if tag.startswith("end"):
            return where, f"«{{% {tag} %}}» không có lệnh «{tag[3:]}» mở tương ứng."
        return where, f"lệnh «{tag}» không tồn tại (dùng for, if, elif, else, endfor, endif…)."
    char = re.match(r"unexpected char '(.)'", message)
    if char:
        return where, f"ký tự «{char.group(1)}» không được dùng trong thẻ."
    return where, f"lỗi cú pháp trong thẻ ({message})."


# --- variables -------------------------------------------------------------------------

_OPAQUE = object()  # a name the template binds itself (loop, macro arguments…)


class _Walker:
    """Collects the context paths a parsed template uses."""

    def __init__(self, source: str, part: _Part, globals_: set[str]) -> None:
        self.source, self.part, self.globals = source, part, globals_
        self.uses: list[_Use] = []

    def where(self, node: nodes.Node) -> str:
        return self.part.paragraph(_paragraph_at(self.source, node.lineno))

    def path(self, node: nodes.Node, scope: Mapping[str, Any]) -> Any:
        """(path, written) for a name/attribute chain, _OPAQUE, or None."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                bound = scope[node.name]
                return _OPAQUE if bound is None else (bound, node.name)
            return _OPAQUE if node.name in self.globals else ((node.name,), node.name)
        if isinstance(node, nodes.Getattr):
            key, shown = node.attr, f".{node.attr}"
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            key = node.arg.value if isinstance(node.arg.value, str) else ITEM
            shown = f"[{node.arg.value!r}]"
        else:
            return None
        base = self.path(node.node, scope)
        if base is None or base is _OPAQUE:
            return base
        return (*base[0], key), base[1] + shown

    def expr(self, node: nodes.Node, scope: Mapping[str, Any], whole: bool) -> None:
        found = self.path(node, scope)
        if found is _OPAQUE:
            return
        if found is not None:
            self.uses.append(_Use(found[0], found[1], self.where(node), whole))
            return
        # `not x`, `x and y` in a test still only test x and y.
        child_whole = whole if isinstance(node, (nodes.Not, nodes.And, nodes.Or)) else True
        for child in node.iter_child_nodes():
            self.expr(child, scope, child_whole)

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self.expr(node.iter, scope, whole=False)
            base = node.iter
            while isinstance(base, nodes.Filter):  # `for p in people | vn_sorted`
                base = base.node
            found = self.path(base, scope)
            inner = dict(scope, loop=None)
            for name in node.target.find_all(nodes.Name):
                inner[name.name] = None
            if isinstance(node.target, nodes.Name) and found not in (None, _OPAQUE):
                inner[node.target.name] = (*found[0], ITEM)
            if node.test is not None:
                self.expr(node.test, inner, whole=False)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope, whole=False)
            for child in [*node.body, *node.elif_, *node.else_]:
                self.visit(child, scope)
        elif isinstance(node, nodes.Assign):
            self.expr(node.node, scope, whole=True)
            found = self.path(node.node, scope)
            for name in node.target.find_all(nodes.Name):
                scope[name.name] = found[0] if isinstance(node.target, nodes.Name) and found not in (None, _OPAQUE) \
                    else None
        elif isinstance(node, (nodes.Macro, nodes.CallBlock, nodes.With)):
            inner = dict(scope, caller=None)
            for arg in [*getattr(node, "args", []), *getattr(node, "targets", [])]:
                for name in arg.find_all(nodes.Name):
                    inner[name.name] = None
            for value in [*getattr(node, "defaults", []), *getattr(node, "values", [])]:
                self.expr(value, scope, whole=True)
            for child in node.body:
                self.visit(child, inner)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.TemplateData):
                    continue
                if isinstance(child, nodes.Expr):
                    self.expr(child, scope, whole=True)
                else:
                    self.visit(child, scope)


def _unknown_filters(tree: nodes.Template, walker: _Walker) -> list[LintFinding]:
    env = make_environment()
    findings = []
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in known:
            kind = "bộ lọc" if isinstance(node, nodes.Filter) else "phép thử"
            close = difflib.get_close_matches(node.name, list(known), n=1)
            hint = f"; có phải «{close[0]}»?" if close else "."
            findings.append(LintFinding("syntax", walker.where(node), f"{kind} «{node.name}» không tồn tại{hint}"))
    return findings


# --- one template -------------------------------------------------------------------------


def _analyse(path: Path) -> _Analysis:
    template = DocxTemplate(path)
    env = make_environment()
    analysis = _Analysis()
    for part in _parts(template):
        analysis.findings.extend(_split_tags(part))
        source = template.patch_xml(_marked(part.xml))
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as error:
            index = _paragraph_at(source, error.lineno)
            where, message = _explain(error, source, part, index)
            analysis.findings.append(LintFinding("syntax", where, message))
            analysis.parsed = False
            continue
        walker = _Walker(source, part, set(env.globals))
        walker.visit(tree, {})
        analysis.findings.extend(_unknown_filters(tree, walker))
        analysis.uses.extend(walker.uses)
    return analysis


def _dotted(path: tuple[str, ...]) -> str:
    return "".join(segment if i == 0 else ITEM if segment == ITEM else f".{segment}"
                   for i, segment in enumerate(path))


def _missing(context: Any, path: tuple[str, ...]) -> tuple[int, list[str]] | None:
    """None when the context has `path`; else (first missing segment, the names
    available at that point). Items of a list are looked up in all items."""
    values = [context]
    for depth, segment in enumerate(path):
        following = []
        for value in values:
            if isinstance(value, Mapping):
                if segment in value:
                    following.append(value[segment])
                elif hasattr(value, segment):  # a dict method, e.g. items()
                    return None
            elif isinstance(value, (list, tuple)):
                if segment == ITEM:
                    if not value:  # an empty list: its items cannot be known
                        return None
                    following.extend(value)
                elif hasattr(value, segment):
                    return None
            elif segment == ITEM and isinstance(value, str) or hasattr(value, segment):
                return None  # a string method or a character of a string
        if not following:
            names = sorted({k for v in values if isinstance(v, Mapping) for k in v})
            return depth, names
        values = following
    return None


def _unknown(analysis: _Analysis, context: Mapping[str, Any]) -> list[LintFinding]:
    findings, seen = [], set()
    for use in analysis.uses:
        missing = _missing(context, use.path)
        if missing is None or (use.written, use.where) in seen:
            continue
        seen.add((use.written, use.where))
        depth, names = missing
        segment = use.path[depth]
        meaning = "" if _dotted(use.path) == use.written else f" (tức «{_dotted(use.path)}»)"
        close = difflib.get_close_matches(segment, names, n=1)
        hint = f" Có phải «{close[0]}»?" if close else ""
        listed = ", ".join(names[:12]) + ("…" if len(names) > 12 else "")
        where_missing = "dữ liệu" if depth == 0 else f"«{_dotted(use.path[:depth])}»"
        findings.append(LintFinding("unknown_variable", use.where, (
            f"biến «{use.written}»{meaning} không có trong dữ liệu chương trình cung cấp: {where_missing} "
            f"không có «{segment}».{hint} (Có: {listed}.)")))
    return findings


def _leaves(value: Any, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    if isinstance(value, Mapping):
        return set().union(*(_leaves(v, (*prefix, str(k))) for k, v in value.items())) if value else {prefix}
    if isinstance(value, (list, tuple)):
        return set().union(*(_leaves(v, (*prefix, ITEM)) for v in value)) if value else {(*prefix, ITEM)}
    return {prefix}


def _covers(use: _Use, leaf: tuple[str, ...]) -> bool:
    size = len(use.path)
    if leaf[:size] == use.path:
        return use.whole or size == len(leaf)
    return use.path[:len(leaf)] == leaf  # a method of the value: `doc.subject.upper()`


# --- entry points -------------------------------------------------------------------------------


def lint_templates(templates: Mapping[Path, Mapping[str, Any] | None]) -> list[tuple[Path, LintFinding]]:
    """Lint every template against the context the code gives it; a value is
    unused when no template of the set uses it (reported once, for the first
    template whose context has it). A template with a syntax error cannot be
    read, so its context is left out of the unused check."""
    analyses = {Path(path): _analyse(Path(path)) for path in templates}
    results: list[tuple[Path, LintFinding]] = []
    for path, context in templates.items():
        analysis = analyses[Path(path)]
        results.extend((Path(path), f) for f in analysis.findings)
        if context is not None:
            results.extend((Path(path), f) for f in _unknown(analysis, context))
    uses = [use for analysis in analyses.values() for use in analysis.uses]
    reported: set[tuple[str, ...]] = set()
    for path, context in templates.items():
        if context is None or not analyses[Path(path)].parsed:
            continue
        for leaf in sorted(_leaves(context) - reported):
            if leaf and not any(_covers(use, leaf) for use in uses):
                reported.add(leaf)
                results.append((Path(path), LintFinding(
                    "unused_value", f"dữ liệu cho mẫu {Path(path).name}",
                    f"giá trị «{_dotted(leaf)}» chương trình cung cấp nhưng không mẫu nào dùng.")))
    return results


def lint_template(path: Path, provided: Mapping[str, Any] | None) -> list[LintFinding]:
    """One template; without `provided`, only syntax and split tags."""
    return [finding for _, finding in lint_templates({Path(path): provided})]


def format_findings(results: list[tuple[Path, LintFinding]], templates: list[Path]) -> str:
    """Vietnamese report grouped by template ("Không có lỗi." for clean ones)."""
    lines = []
    for path in templates:
        own = [f for p, f in results if p == Path(path)]
        lines.append(f"{path}: " + (f"{len(own)} lỗi" if own else "Không có lỗi."))
        lines.extend(f"  - [{f.kind}] {f.text()}" for f in own)
    return "\n".join(lines)


def template_variables(path: Path) -> list[str]:
    """Every context path a template uses, dotted (`doc.signer.name`, `annex.rows[].no`), sorted."""
    return sorted({_dotted(use.path) for use in _analyse(Path(path)).uses})


def leaf_variables(path: Path) -> list[str]:
    """`template_variables` without the lists and mappings whose items are listed too."""
    used = template_variables(path)
    return [name for name in used if not any(other.startswith((f"{name}.", f"{name}[")) for other in used)]
