"""Layout helpers for Word templates of Vietnamese official documents.

The helpers follow Nghị định 30/2020/NĐ-CP, Phụ lục I (see
/work/shared/reference/official-documents.md §1) and are shared by the
template builder beside it (`python -m tools.build_templates`: the report, the minutes...). They build plain
python-docx documents; Jinja tags for docxtpl are ordinary text, and every
piece of text is written as ONE run so that a ``{{ tag }}`` is never split.

Building blocks
- ``new_document`` / ``set_document_defaults``: a clean package (no thumbnail,
  no customXml, no rsids), Times New Roman on the defaults, theme and styles.
- ``define_paragraph_style``: a named paragraph style the office can edit.
- ``setup_section`` / ``add_section``: A4 portrait or landscape with margins.
- ``add_page_number_header``: a centred PAGE field in the top margin, none on
  the first page.
- Content items ``Line``, ``Rule``, ``Tag``, ``Loop`` placed with
  ``add_items`` (body) or ``fill_cell`` (table cell).
- ``add_header_table`` (the two-column header), ``add_signature_table``
  (Nơi nhận | signature), ``add_signatures_table`` (two signatures over
  Nơi nhận, as in minutes), ``add_heading``, ``add_rule``.
- ``add_grid_table`` / ``add_header_rows`` / ``add_loop_rows`` /
  ``add_table_row`` for a data table with docxtpl ``{%tr %}`` loops.
- ``set_core_properties`` and ``save_docx`` (byte-for-byte deterministic).
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence, Union

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt, RGBColor, Twips
from docx.table import Table, _Cell, _Row

FONT = "Times New Roman"
LANG = "vi-VN"

A4_SHORT = Mm(210)
A4_LONG = Mm(297)

# Decree 30: top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
PORTRAIT_MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
# The same margins turned with the page: the wide binding margin (left on a
# portrait page) is at the top of a landscape page, which is the edge that
# goes to the binding when the sheet is filed with the portrait pages.
LANDSCAPE_MARGINS = {"top": Mm(30), "bottom": Mm(15), "left": Mm(20), "right": Mm(20)}

# Mẫu 1.4: header columns about 6.75 cm and 10 cm.
HEADER_WIDTHS = (Cm(6.75), Cm(10.0))
# Cell padding of the layout (borderless) tables.
LAYOUT_CELL_MARGIN = Cm(0.1)

# Style of the docxtpl control paragraphs ({%p ... %}); they vanish on render.
TAG_STYLE = "VB Lệnh mẫu"
TAG_STYLE_ID = "VBLenhMau"
RULE_STYLE = "VB Đường kẻ"
RULE_STYLE_ID = "VBDuongKe"

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# --------------------------------------------------------------------------
# Content items
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A piece of text with its own character formatting (one run)."""

    text: str
    bold: bool | None = None
    italic: bool | None = None


Text = Union[str, Span, Sequence[Union[str, Span]]]


@dataclass(frozen=True)
class Line:
    """One paragraph in ``style``; each part of ``text`` becomes one run."""

    text: Text
    style: str


@dataclass(frozen=True)
class Rule:
    """A short solid horizontal rule, centred, ``length`` long."""

    length: Length
    weight_eighths: int = 6  # border size in eighths of a point (6 = 0.75 pt)


@dataclass(frozen=True)
class Tag:
    """A docxtpl paragraph tag, e.g. ``Tag("if doc.signer.deputy")`` → ``{%p if … %}``."""

    statement: str


@dataclass(frozen=True)
class Loop:
    """``{%p for var in seq %}`` / ``{{ var }}`` in ``style`` / ``{%p endfor %}``; with
    ``last_style``, the last item in that style instead."""

    var: str
    seq: str
    style: str
    last_style: str | None = None


Item = Union[Line, Rule, Tag, Loop]


@dataclass(frozen=True)
class HeaderCell:
    """A header cell of a grid table spanning ``cols`` columns and ``rows`` rows."""

    text: Text
    cols: int = 1
    rows: int = 1


@dataclass(frozen=True)
class CellSpec:
    """A body cell of a grid table: text (one run per part) in ``style``."""

    text: Text
    style: str
    span: int = 1


# --------------------------------------------------------------------------
# Document, defaults and styles
# --------------------------------------------------------------------------


def new_document(font: str = FONT, size_pt: float = 14, lang: str = LANG) -> DocumentObject:
    """A new document from python-docx's default, cleaned and set to ``font``."""
    doc = Document()
    _clean_package(doc)
    set_document_defaults(doc, font=font, size_pt=size_pt, lang=lang)
    return doc


def _clean_package(doc: DocumentObject) -> None:
    """Drop the parts of python-docx's default template that are noise here."""
    package = doc.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rId)
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, _STYLES_WITH_EFFECTS):
            doc.part.drop_rel(rId)

    settings = doc.settings.element
    for tag in ("w:rsids", "w:proofState", "w:savePreviewPicture", "w14:docId"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    for el in settings.iter(qn("w:compatSetting")):
        if el.get(qn("w:name")) == "compatibilityMode":
            el.set(qn("w:val"), "15")
    for el in settings.iter(qn("w:themeFontLang")):
        el.set(qn("w:val"), LANG)
        for attr in ("w:eastAsia", "w:bidi"):
            if el.get(qn(attr)) is not None:
                del el.attrib[qn(attr)]
    strip_rsids(doc.element)
    strip_rsids(doc.styles.element)


def strip_rsids(element) -> None:
    """Remove revision-session ids (``w:rsid*`` attributes, ``w:rsid`` elements)."""
    for el in list(element.iter()):
        if not isinstance(el.tag, str):
            continue
        for attr in list(el.attrib):
            if attr.rsplit("}", 1)[-1].startswith("rsid"):
                del el.attrib[attr]
        if el.tag == qn("w:rsid"):
            el.getparent().remove(el)


def _set_rfonts(rPr, font: str) -> None:
    rFonts = rPr.find(qn("w:rFonts"))
    if rFonts is None:
        rFonts = OxmlElement("w:rFonts")
        rPr.insert(0, rFonts)
    for attr in _THEME_FONT_ATTRS:
        if rFonts.get(qn(attr)) is not None:
            del rFonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rFonts.set(qn(attr), font)


def _get_or_add(parent, tag: str, before: Sequence[str] = ()):
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        for name in before:
            successor = parent.find(qn(name))
            if successor is not None:
                successor.addprevious(el)
                break
        else:
            parent.append(el)
    return el


def set_document_defaults(doc: DocumentObject, font: str = FONT, size_pt: float = 14,
                          lang: str = LANG) -> None:
    """Font, size and language on ``w:docDefaults``, the theme and every style.

    Theme font references (``w:asciiTheme``…) are removed because they take
    precedence over ``w:ascii``; the theme's own Latin fonts are set to
    ``font`` as well, so nothing can fall back to Calibri/Cambria.
    """
    styles = doc.styles.element
    docDefaults = _get_or_add(styles, "w:docDefaults")
    rPrDefault = _get_or_add(docDefaults, "w:rPrDefault")
    rPr = _get_or_add(rPrDefault, "w:rPr")
    _set_rfonts(rPr, font)
    half_points = str(int(round(size_pt * 2)))
    _get_or_add(rPr, "w:sz", before=("w:szCs", "w:lang")).set(qn("w:val"), half_points)
    _get_or_add(rPr, "w:szCs", before=("w:lang",)).set(qn("w:val"), half_points)
    lang_el = _get_or_add(rPr, "w:lang")
    lang_el.set(qn("w:val"), lang)
    lang_el.set(qn("w:eastAsia"), lang)
    if lang_el.get(qn("w:bidi")) is not None:
        del lang_el.attrib[qn("w:bidi")]
    pPrDefault = _get_or_add(docDefaults, "w:pPrDefault")
    pPr = _get_or_add(pPrDefault, "w:pPr")
    spacing = _get_or_add(pPr, "w:spacing")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    apply_font_to_styles(doc, font)
    _set_theme_fonts(doc, font)


def apply_font_to_styles(doc: DocumentObject, font: str = FONT) -> None:
    """Put ``font`` (ascii, hAnsi, eastAsia, cs) on every paragraph, character
    and table style, removing theme font references.

    Skipped: numbering styles (no run properties) and the default character
    style "Default Paragraph Font", which Word expects to be empty (it is what
    "clear character formatting" falls back to; the defaults apply through it).
    """
    for style_el in doc.styles.element.findall(qn("w:style")):
        if is_font_exempt(style_el):
            continue
        rPr = style_el.find(qn("w:rPr"))
        if rPr is None:
            rPr = OxmlElement("w:rPr")
            # w:rPr comes after w:pPr (or the header elements) and before w:tblPr.
            anchor = None
            for name in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
                anchor = style_el.find(qn(name))
                if anchor is not None:
                    break
            if anchor is not None:
                anchor.addprevious(rPr)
            else:
                style_el.append(rPr)
        _set_rfonts(rPr, font)
        # Table-style conditional formats may carry their own fonts.
        for inner in style_el.iter(qn("w:rFonts")):
            for attr in _THEME_FONT_ATTRS:
                if inner.get(qn(attr)) is not None:
                    del inner.attrib[qn(attr)]
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                inner.set(qn(attr), font)


def is_font_exempt(style_el) -> bool:
    """Numbering styles and the default character style carry no fonts."""
    kind = style_el.get(qn("w:type"))
    return kind == "numbering" or (kind == "character" and style_el.get(qn("w:default")) == "1")


def _set_theme_fonts(doc: DocumentObject, font: str) -> None:
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype != RT.THEME or rel.is_external:
            continue
        part = rel.target_part
        root = etree.fromstring(part.blob)
        a = "http://schemas.openxmlformats.org/drawingml/2006/main"
        for latin in root.iter("{%s}latin" % a):
            latin.set("typeface", font)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


def define_paragraph_style(
    doc: DocumentObject,
    name: str,
    style_id: str,
    *,
    size_pt: float = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "left",
    first_line_indent: Length | None = None,
    left_indent: Length | None = None,
    right_indent: Length | None = None,
    space_before: float = 0,
    space_after: float = 0,
    line_spacing: float | Length = 1.0,
    exact_line: bool = False,
    keep_with_next: bool = False,
    keep_together: bool = False,
    outline_level: int | None = None,
    color: str | None = None,
    base: str = "Normal",
    font: str = FONT,
    quick: bool = True,
):
    """Create (or redefine) a paragraph style with explicit font and size.

    ``line_spacing`` is a multiple (1.0, 1.2) or, with ``exact_line``, a
    Length for an exact line height. ``outline_level`` (1–9) makes the style
    show in Word's navigation pane without using the built-in Heading styles.
    """
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = styles[base] if base else None
    style.quick_style = quick
    style.hidden = False
    style.unhide_when_used = False
    style.priority = 1
    f = style.font
    f.name = font
    f.size = Pt(size_pt)
    f.bold = bold
    f.italic = italic
    if underline:  # only when asked, so styles without it keep their exact XML
        f.underline = True
    f.all_caps = False
    f.color.rgb = RGBColor.from_string(color) if color else RGBColor(0, 0, 0)
    _set_rfonts(style.element.get_or_add_rPr(), font)
    pf = style.paragraph_format
    pf.alignment = ALIGN[align]
    pf.first_line_indent = first_line_indent if first_line_indent is not None else Cm(0)
    pf.left_indent = left_indent if left_indent is not None else Cm(0)
    pf.right_indent = right_indent if right_indent is not None else Cm(0)
    pf.space_before = Pt(space_before)
    pf.space_after = Pt(space_after)
    if exact_line:
        from docx.enum.text import WD_LINE_SPACING

        pf.line_spacing = line_spacing
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    else:
        pf.line_spacing = float(line_spacing)
    pf.keep_with_next = keep_with_next
    pf.keep_together = keep_together
    pf.widow_control = True
    pPr = style.element.get_or_add_pPr()
    for el in pPr.findall(qn("w:outlineLvl")):
        pPr.remove(el)
    if outline_level is not None:
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline_level - 1))
        _insert_pPr_child(pPr, lvl)
    return style


# w:pPr children in schema order (subset we touch).
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _insert_pPr_child(pPr, child) -> None:
    order = _PPR_ORDER.index(child.tag.replace("{%s}" % child.nsmap["w"], "w:"))
    for existing in pPr:
        tag = existing.tag.replace("{%s}" % existing.nsmap["w"], "w:")
        if tag in _PPR_ORDER and _PPR_ORDER.index(tag) > order:
            existing.addprevious(child)
            return
    pPr.append(child)


def style_header_footer(doc: DocumentObject, size_pt: float = 14, font: str = FONT) -> None:
    """The built-in "Header" style: centred, ``size_pt``, no spacing."""
    style = doc.styles["Header"]
    style.font.name = font
    style.font.size = Pt(size_pt)
    _set_rfonts(style.element.get_or_add_rPr(), font)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def define_base_styles(doc: DocumentObject, size_pt: float = 14) -> None:
    """Normal (``size_pt``), the tag style and the rule style."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size_pt)
    _set_rfonts(normal.element.get_or_add_rPr(), FONT)
    define_paragraph_style(doc, TAG_STYLE, TAG_STYLE_ID, size_pt=10, color="7F7F7F",
                           quick=False)
    define_paragraph_style(doc, RULE_STYLE, RULE_STYLE_ID, size_pt=1, line_spacing=Pt(3),
                           exact_line=True, quick=False)
    style_header_footer(doc, size_pt=size_pt)


def prune_styles(doc: DocumentObject, keep: Iterable[str]) -> None:
    """Delete every style whose id is not in ``keep`` nor reachable from it
    (basedOn, next, link), so the style list shows only what the document uses.
    Word's built-ins stay available through the latent styles."""
    styles_el = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles_el.findall(qn("w:style"))}
    wanted: set[str] = set()
    todo = [sid for sid in keep if sid in by_id]
    for s in by_id.values():
        if s.get(qn("w:default")) == "1":
            todo.append(s.get(qn("w:styleId")))
    while todo:
        sid = todo.pop()
        if sid in wanted or sid not in by_id:
            continue
        wanted.add(sid)
        for ref in ("w:basedOn", "w:next", "w:link"):
            el = by_id[sid].find(qn(ref))
            if el is not None:
                todo.append(el.get(qn("w:val")))
    for sid, el in by_id.items():
        if sid not in wanted:
            styles_el.remove(el)


# --------------------------------------------------------------------------
# Sections and page numbers
# --------------------------------------------------------------------------


def setup_section(section, *, landscape: bool = False, margins: dict | None = None,
                  header_distance: Length = Cm(1.0), footer_distance: Length = Cm(1.0)) -> None:
    """A4 portrait (or landscape) with ``margins`` (keys top, bottom, left, right)."""
    margins = margins or (LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = A4_LONG if landscape else A4_SHORT
    section.page_height = A4_SHORT if landscape else A4_LONG
    section.top_margin = margins["top"]
    section.bottom_margin = margins["bottom"]
    section.left_margin = margins["left"]
    section.right_margin = margins["right"]
    section.header_distance = header_distance
    section.footer_distance = footer_distance
    section.gutter = Cm(0)


def text_width(section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


def add_section(doc: DocumentObject, *, landscape: bool, margins: dict | None = None,
                header_distance: Length = Cm(1.0), break_style: str = RULE_STYLE,
                restart_numbering: bool = False):
    """Start a new section on a new page. The headers are inherited from the
    previous section. Page numbering continues, with no first-page exception;
    with ``restart_numbering`` it starts again at 1 and, as on the document's
    first page, the section's first page shows no number.

    python-docx ends the previous section with an empty paragraph holding its
    ``w:sectPr``; that paragraph gets ``break_style`` (a 3 pt line) so it adds
    no visible space.
    """
    new = doc.add_section(WD_SECTION.NEW_PAGE)
    sect_p = doc.element.body.findall(qn("w:p"))[-1]
    if sect_p.find(qn("w:pPr")) is not None and sect_p.pPr.find(qn("w:sectPr")) is not None:
        sect_p.style = doc.styles[break_style].style_id
    setup_section(new, landscape=landscape, margins=margins, header_distance=header_distance)
    new.different_first_page_header_footer = restart_numbering
    sectPr = new._sectPr
    for el in sectPr.findall(qn("w:pgNumType")):
        sectPr.remove(el)
    if restart_numbering:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        _insert_sectPr_child(sectPr, numbering)
    strip_rsids(sectPr)
    return new


# The children of w:sectPr in the schema's order, from w:pgNumType on.
_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _insert_sectPr_child(sectPr, child) -> None:
    following = next((el for el in sectPr if el.tag in {qn(t) for t in _AFTER_PGNUMTYPE}), None)
    if following is None:
        sectPr.append(child)
    else:
        following.addprevious(child)


def add_field(paragraph, instruction: str, placeholder: str = "1"):
    """A complex field (``PAGE``, ``NUMPAGES``…) as begin/instr/separate/result/end runs."""

    def fld(kind):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)
        return r

    fld("begin")
    r = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")
    return paragraph


def add_page_number_header(section, style: str = "Header", first_page_blank: bool = True) -> None:
    """A centred Arabic page number (PAGE field) in the top margin; with
    ``first_page_blank`` the first page gets its own, empty header."""
    section.different_first_page_header_footer = first_page_blank
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = style
    add_field(p, "PAGE")
    if first_page_blank:
        first = section.first_page_header
        first.is_linked_to_previous = False
        first.paragraphs[0].style = style
    # The footers stay empty; make them explicit so nothing is inherited.
    section.footer.is_linked_to_previous = False
    if first_page_blank:
        section.first_page_footer.is_linked_to_previous = False


# --------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------


def _parts(text: Text) -> list[Span]:
    if isinstance(text, (str, Span)):
        text = [text]
    return [p if isinstance(p, Span) else Span(p) for p in text]


def add_runs(paragraph, text: Text):
    """Each part of ``text`` becomes exactly one run (so a Jinja tag is never split)."""
    for part in _parts(text):
        if part.text == "":
            continue
        run = paragraph.add_run(part.text)
        if part.bold is not None:
            run.bold = part.bold
        if part.italic is not None:
            run.italic = part.italic
    return paragraph


def _new_paragraph(container, style: str, first: bool):
    """The container's first (empty) paragraph when ``first``, else a new one."""
    if first and isinstance(container, _Cell):
        p = container.paragraphs[0]
        p.style = style
        return p
    return container.add_paragraph(style=style)


def add_line(container, text: Text, style: str):
    """One paragraph in ``style`` holding ``text``."""
    return add_runs(container.add_paragraph(style=style), text)


def add_heading(container, text: Text, style: str):
    """A section heading (``I. …`` / ``1. …``): a paragraph in a heading style.
    The styles carry bold, keep-with-next and the outline level."""
    return add_line(container, text, style)


def add_tag(container, statement: str, style: str = TAG_STYLE):
    """A docxtpl paragraph tag ``{%p statement %}`` alone in its paragraph."""
    return add_line(container, "{%p " + statement + " %}", style)


def set_paragraph_border(paragraph, side: str = "bottom", *, val: str = "single",
                         size_eighths: int = 6, space_pt: int = 0, color: str = "000000") -> None:
    pPr = paragraph._p.get_or_add_pPr()
    pBdr = pPr.find(qn("w:pBdr"))
    if pBdr is None:
        pBdr = OxmlElement("w:pBdr")
        _insert_pPr_child(pPr, pBdr)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), val)
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space_pt))
    edge.set(qn("w:color"), color)
    pBdr.append(edge)


def add_rule(container, length: Length, available: Length, *, weight_eighths: int = 6,
             style: str = RULE_STYLE, first: bool = False):
    """A centred solid rule ``length`` long: the bottom border of an empty 3-pt
    paragraph narrowed by equal left/right indents to ``length``.

    ``available`` is the width the paragraph would have without indents (the
    text width, or a cell's width less its padding). A paragraph border is
    plain WordprocessingML, rendered the same by Word and LibreOffice, and the
    office can lengthen it by changing the indents.
    """
    p = _new_paragraph(container, style, first)
    side = Length(max(0, (int(available) - int(length)) // 2))
    p.paragraph_format.left_indent = side
    p.paragraph_format.right_indent = side
    set_paragraph_border(p, "bottom", size_eighths=weight_eighths)
    return p


def add_items(container, items: Iterable[Item], *, available: Length | None = None) -> None:
    """Place content items in a document, header/footer or table cell. In a cell,
    the first item reuses the cell's initial empty paragraph."""
    first = isinstance(container, _Cell)
    for item in items:
        if isinstance(item, Line):
            add_runs(_new_paragraph(container, item.style, first), item.text)
        elif isinstance(item, Rule):
            if available is None:
                raise ValueError("a Rule needs the available width")
            add_rule(container, item.length, available, weight_eighths=item.weight_eighths,
                     first=first)
        elif isinstance(item, Tag):
            add_runs(_new_paragraph(container, TAG_STYLE, first),
                     "{%p " + item.statement + " %}")
        elif isinstance(item, Loop):
            add_runs(_new_paragraph(container, TAG_STYLE, first),
                     f"{{%p for {item.var} in {item.seq} %}}")
            if item.last_style:
                add_tag(container, "if not loop.last")
                add_line(container, "{{ " + item.var + " }}", item.style)
                add_tag(container, "else")
                add_line(container, "{{ " + item.var + " }}", item.last_style)
                add_tag(container, "endif")
            else:
                add_line(container, "{{ " + item.var + " }}", item.style)
            add_tag(container, "endfor")
        else:  # pragma: no cover - programming error
            raise TypeError(f"unknown item {item!r}")
        first = False


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def _tbl_pr_child(tbl, tag: str):
    tblPr = tbl.tblPr
    el = tblPr.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        order = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                 "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                 "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
        idx = order.index(tag)
        for existing in tblPr:
            name = existing.tag.replace("{%s}" % existing.nsmap["w"], "w:")
            if name in order and order.index(name) > idx:
                existing.addprevious(el)
                break
        else:
            tblPr.append(el)
    return el


def set_table_borders(table: Table, val: str = "none", size_eighths: int = 4) -> None:
    """All table borders (outer and inner) to ``val`` ("none" or "single")."""
    borders = _tbl_pr_child(table._tbl, "w:tblBorders")
    for el in list(borders):
        borders.remove(el)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:val"), val)
        if val != "none":
            e.set(qn("w:sz"), str(size_eighths))
            e.set(qn("w:space"), "0")
            e.set(qn("w:color"), "000000")
        else:
            e.set(qn("w:sz"), "0")
            e.set(qn("w:space"), "0")
            e.set(qn("w:color"), "auto")
        borders.append(e)


def set_cell_margins(table: Table, left: Length, right: Length,
                     top: Length = Cm(0), bottom: Length = Cm(0)) -> None:
    mar = _tbl_pr_child(table._tbl, "w:tblCellMar")
    for el in list(mar):
        mar.remove(el)
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(int(value.twips)))
        e.set(qn("w:type"), "dxa")
        mar.append(e)


def set_table_indent(table: Table, indent: Length) -> None:
    ind = _tbl_pr_child(table._tbl, "w:tblInd")
    ind.set(qn("w:w"), str(int(indent.twips)))
    ind.set(qn("w:type"), "dxa")


def set_fixed_widths(table: Table, widths: Sequence[Length]) -> None:
    """Fixed layout, total width, grid columns and every cell's width (Word and
    LibreOffice both need all three to keep the columns as designed)."""
    table.autofit = False
    tblW = _tbl_pr_child(table._tbl, "w:tblW")
    tblW.set(qn("w:w"), str(sum(int(Length(w).twips) for w in widths)))
    tblW.set(qn("w:type"), "dxa")
    layout = _tbl_pr_child(table._tbl, "w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    for gridCol, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        gridCol.set(qn("w:w"), str(int(Length(w).twips)))
    for row in table.rows:
        _set_row_cell_widths(row, widths)


def _set_row_cell_widths(row: _Row, widths: Sequence[Length]) -> None:
    col = 0
    for tc in row._tr.findall(qn("w:tc")):
        span = tc.grid_span
        w = sum(int(widths[i]) for i in range(col, col + span))
        tc.width = Length(w)
        col += span


def new_layout_table(container, widths: Sequence[Length], rows: int = 1, *,
                     indent: Length | None = None) -> Table:
    """A borderless, fixed-width table used for layout (header, signature)."""
    table = container.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    set_table_borders(table, "none")
    set_cell_margins(table, LAYOUT_CELL_MARGIN, LAYOUT_CELL_MARGIN)
    if indent is not None:
        set_table_indent(table, indent)
    set_fixed_widths(table, widths)
    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


def fill_cell(cell: _Cell, items: Sequence[Item], width: Length) -> None:
    """Put ``items`` in ``cell`` (``width`` is the cell width; rules are centred
    in the width left after the cell padding)."""
    add_items(cell, items, available=Length(int(width) - 2 * int(LAYOUT_CELL_MARGIN)))


def add_header_table(doc, left_lines: Sequence[Item], right_lines: Sequence[Item], *,
                     bottom_left: Sequence[Item] = (), bottom_right: Sequence[Item] = (),
                     widths: Sequence[Length] = HEADER_WIDTHS,
                     indent: Length | None = None) -> Table:
    """The Decree 30 header: a borderless two-column table.

    ``left_lines`` (cơ quan chủ quản, cơ quan ban hành, a Rule) and
    ``right_lines`` (Quốc hiệu, Tiêu ngữ, a Rule) fill the first row. When
    ``bottom_left``/``bottom_right`` are given (the number line and the
    place-and-date line), they go in a second row so that they sit on the same
    line whatever the height of the blocks above (a long issuer name wraps).

    By default the table is shifted left so that its total width
    (6.75 + 10 cm in Mẫu 1.4) is centred on the text width.
    """
    rows = 2 if (bottom_left or bottom_right) else 1
    if indent is None:
        section = doc.sections[-1]
        indent = Length((int(text_width(section)) - sum(int(w) for w in widths)) // 2)
    table = new_layout_table(doc, widths, rows=rows, indent=indent)
    fill_cell(table.cell(0, 0), left_lines, widths[0])
    fill_cell(table.cell(0, 1), right_lines, widths[1])
    if rows == 2:
        fill_cell(table.cell(1, 0), bottom_left, widths[0])
        fill_cell(table.cell(1, 1), bottom_right, widths[1])
    for row in table.rows:
        set_cant_split(row)
    return table


def add_signature_table(doc, left_items: Sequence[Item], right_items: Sequence[Item], *,
                        widths: Sequence[Length] | None = None) -> Table:
    """Nơi nhận (left) beside the signature block (right) in a borderless
    table whose single row cannot split, so the block never breaks across a
    page. Default widths: 45 % / 55 % of the text width."""
    if widths is None:
        total = int(text_width(doc.sections[-1]))
        left = Length(int(total * 0.45))
        widths = (left, Length(total - int(left)))
    # Outdent by the cell padding so "Nơi nhận:" starts at the left margin.
    table = new_layout_table(doc, widths, rows=1, indent=Length(-int(LAYOUT_CELL_MARGIN)))
    fill_cell(table.cell(0, 0), left_items, widths[0])
    fill_cell(table.cell(0, 1), right_items, widths[1])
    set_cant_split(table.rows[0])
    return table


def add_signatures_table(doc, left_items: Sequence[Item], right_items: Sequence[Item],
                         below_items: Sequence[Item]) -> Table:
    """Two signatures side by side (the minutes' THƯ KÝ and CHỦ TỌA) over a
    full-width row (Nơi nhận). Neither row splits and the first is kept with the
    second, so the block never leaves Nơi nhận alone on a page."""
    total = int(text_width(doc.sections[-1]))
    widths = (Length(total // 2), Length(total - total // 2))
    table = new_layout_table(doc, widths, rows=2, indent=Length(-int(LAYOUT_CELL_MARGIN)))
    fill_cell(table.cell(0, 0), left_items, widths[0])
    fill_cell(table.cell(0, 1), right_items, widths[1])
    below = table.cell(1, 0).merge(table.cell(1, 1))
    fill_cell(below, below_items, Length(total))
    for row in table.rows:
        set_cant_split(row)
    for cell in table.rows[0].cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    return table


def set_cant_split(row: _Row) -> None:
    trPr = row._tr.get_or_add_trPr()
    if trPr.find(qn("w:cantSplit")) is None:
        el = OxmlElement("w:cantSplit")
        trPr.insert(0, el)


def set_repeat_header(row: _Row) -> None:
    """Repeat ``row`` at the top of each page (w:tblHeader)."""
    trPr = row._tr.get_or_add_trPr()
    if trPr.find(qn("w:tblHeader")) is None:
        trPr.append(OxmlElement("w:tblHeader"))


def add_grid_table(doc, widths: Sequence[Length], *, style: str = "Table Grid",
                   cell_margin: Length = Cm(0.1)) -> Table:
    """An empty bordered data table (no rows yet) with fixed column widths."""
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_borders(table, "single", 4)
    set_cell_margins(table, cell_margin, cell_margin)
    set_fixed_widths(table, widths)
    return table


def _widths_of(table: Table) -> list[Length]:
    return [Twips(int(g.get(qn("w:w")))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def add_header_rows(table: Table, rows: Sequence[Sequence[HeaderCell]], style: str) -> list[_Row]:
    """Heading rows with grouped (merged) cells, repeated on every page.

    Cells are listed left to right per row, skipping the grid positions taken
    by a cell from a row above that spans down (``rows`` > 1).
    """
    widths = _widths_of(table)
    ncols = len(widths)
    new_rows = [table.add_row() for _ in rows]
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, HeaderCell]] = []
    for r, spec in enumerate(rows):
        c = 0
        for cell_spec in spec:
            while (r, c) in taken:
                c += 1
            if c + cell_spec.cols > ncols:
                raise ValueError(f"header row {r} is wider than the table")
            placed.append((r, c, cell_spec))
            for dr in range(cell_spec.rows):
                for dc in range(cell_spec.cols):
                    taken.add((r + dr, c + dc))
            c += cell_spec.cols
    first_index = len(table.rows) - len(rows)
    for r, c, spec in placed:
        top_left = table.cell(first_index + r, c)
        bottom_right = table.cell(first_index + r + spec.rows - 1, c + spec.cols - 1)
        cell = top_left.merge(bottom_right) if spec.rows > 1 or spec.cols > 1 else top_left
        p = cell.paragraphs[0]
        p.style = style
        add_runs(p, spec.text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in new_rows:
        set_repeat_header(row)
        set_cant_split(row)
        _set_row_cell_widths(row, widths)
    return new_rows


def add_table_row(table: Table, cells: Sequence[CellSpec]) -> _Row:
    """One body row; a CellSpec with ``span`` > 1 spans several grid columns."""
    widths = _widths_of(table)
    row = table.add_row()
    col = 0
    for spec in cells:
        cell = row.cells[col]
        if spec.span > 1:
            cell = cell.merge(row.cells[col + spec.span - 1])
        p = cell.paragraphs[0]
        p.style = spec.style
        add_runs(p, spec.text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        col += spec.span
    set_cant_split(row)
    _set_row_cell_widths(row, widths)
    return row


def add_tag_row(table: Table, statement: str) -> _Row:
    """A row holding only a docxtpl row tag ``{%tr statement %}``; its cells are
    merged into one so the tag reads on one line in Word (docxtpl removes the
    whole row on render)."""
    widths = _widths_of(table)
    row = table.add_row()
    cell = row.cells[0]
    if len(row.cells) > 1:
        cell = cell.merge(row.cells[-1])
    p = cell.paragraphs[0]
    p.style = TAG_STYLE
    add_runs(p, "{%tr " + statement + " %}")
    _set_row_cell_widths(row, widths)
    return row


def add_loop_rows(table: Table, var: str, seq: str, cells: Sequence[CellSpec]) -> _Row:
    """``{%tr for var in seq %}`` row, the repeated row ``cells``, ``{%tr endfor %}`` row."""
    add_tag_row(table, f"for {var} in {seq}")
    row = add_table_row(table, cells)
    add_tag_row(table, "endfor")
    return row


# --------------------------------------------------------------------------
# Properties and saving
# --------------------------------------------------------------------------


def set_core_properties(doc: DocumentObject, *, title: str, subject: str = "",
                        author: str = "pipeline",
                        when: _dt.datetime = _dt.datetime(2020, 1, 1, 0, 0, 0),
                        language: str = LANG) -> None:
    """Fixed core properties, so that rebuilding gives the same file."""
    cp = doc.core_properties
    cp.title = title
    cp.subject = subject
    cp.author = author
    cp.last_modified_by = ""
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
    cp.language = language
    cp.revision = 1
    cp.created = when
    cp.modified = when


def save_docx(doc: DocumentObject, path: str | Path,
              when: tuple[int, int, int, int, int, int] = (2020, 1, 1, 0, 0, 0)) -> Path:
    """Save with fixed zip timestamps and attributes: same input, same bytes."""
    strip_rsids(doc.element)
    for section in doc.sections:
        for hf in (section.header, section.first_page_header, section.footer,
                   section.first_page_footer):
            if not hf.is_linked_to_previous:
                strip_rsids(hf._element)
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=when)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, data)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path
