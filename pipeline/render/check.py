"""Format checker: does a .docx follow the official-document format?

Reads a document (python-docx + lxml, nothing is written) and lists every
place that breaks /work/shared/reference/official-documents.md §1 (state
documents, Nghị định 30/2020/NĐ-CP) or §2 (Party documents, HD 36-HD/VPTW).

Which rules apply is decided by the document's content, not its file name:
- "party": the first table (the header) holds `ĐẢNG CỘNG SẢN VIỆT NAM` → §2;
- "state": the first table holds the Quốc hiệu or the Tiêu ngữ → §1;
- "plain": no such header (the news item, any text that is not an official
  document): only Times New Roman and A4 are checked, the rest of §1 governs
  official documents only.
A minutes (title `BIÊN BẢN`) gets the minutes' rules on top of its profile.

Formatting is resolved the way Word does: direct run/paragraph formatting →
character style → paragraph style chain (basedOn) → table style → document
defaults (docDefaults); theme font references go through the theme. When the
wrong value comes from a style, the finding is reported once for the style
(with how many paragraphs it affects), so the specialist fixes the style.

Rules (id → official-documents.md):
  file          the file opens as a .docx
  page_size     §1 "A4 (210 × 297 mm)"
  orientation   §1 "portrait. Landscape only for a wide table (an annex page)"
  margins       §1 "Margins: top 20–25 mm, bottom 20–25 mm, left 30–35 mm, right 15–20 mm"
                (a landscape annex may have them turned with the page, the
                binding margin on top, as tools/docx_layout.py lays it out)
  font          §1 "Times New Roman (Unicode, TCVN 6909:2001)": every run with text,
                body, tables, headers and footers (what is printed; a style nothing
                prints with is not checked)
  color         §1 "..., black"
  page_number   §1 "Page numbers: Arabic, size 13–14, upright, centred in the top
                margin; none on the first page"
  issuer        §1 "Left column: cơ quan chủ quản (UPPER, 12–13, not bold) ...
                cơ quan ban hành (UPPER, 12–13, bold), a short solid rule under it";
                §2 "ĐẢNG BỘ ... (UPPER 14, not bold), HUYỆN ỦY ... (UPPER 14, bold),
                and a centred `*` instead of a rule"
  national_title §1 "Quốc hiệu ... (UPPER, 12–13, bold)"; §2 "`ĐẢNG CỘNG SẢN VIỆT NAM`,
                UPPER, 15, bold, a rule under it"
  motto         §1 "Tiêu ngữ "Độc lập - Tự do - Hạnh phúc" (13–14, bold, hyphens with
                spaces, a solid rule under it ...)"
  number        §1 "Number line: `Số: 05/BC-UBND` ... size 13, upright";
                §2 "Number: `Số 127-BC/HU` — no colon, a hyphen ..."; the type in the
                ký hiệu matches the title, §1 "Document-type abbreviations (Phụ lục III)"
  date          §1 "Place-and-date line: italic, 13–14 ... Days under 10 and the
                months 1 and 2 take a leading 0; other months do not"; §2 "14 italic"
  title         §1 "tên loại ... UPPER, 13–14, bold, centred"; §2 "Tên loại 15–16 bold"
  subject       §1 "trích yếu directly under it, 13–14, bold, normal case, with a
                short rule below" (a Party document may type `-----` instead)
  body          §1 "Body: 13–14, justified, first-line indent 1 cm or 1.27 cm, at
                least 6 pt between paragraphs, line spacing single to 1.5"; §2 "body 14–15"
  heading       §1 "Section headings in a report: `I. ...` UPPER bold; `1. ...` bold
                when titled; `a) ...` regular" (and the numbering in sequence)
  end_mark      §1 "Official samples end the content with `./.`"
  recipients    §1 "`Nơi nhận:` 12, bold italic; then one line each, 11, upright,
                `- ...;` ... last line `- Lưu: VT, NV.`". Party documents follow HD 36's
                own samples instead (§2 is silent): `Nơi nhận:` 14, upright,
                underlined; the lines 12; `- Lưu …` last
  signature     §1 "authority line UPPER bold 13–14 (`TM.`, `KT.` ...) ... the full
                name, bold, normal case"; §2 "slash forms `T/M`, `K/T`"
  minutes_fields, minutes_closing, minutes_signatures
                §1 "Minutes (Biên bản, sample Mẫu 1.9)": the fields in order, the
                closing line, signatures `THƯ KÝ` (left) and `CHỦ TỌA` (right),
                bold, names under each; no place-and-date line required.
  wording       what a reader sees in the words: no program words, one name for the level
                below the commune, «bằng chữ» in lower case, no sentence with two colons, a
                news headline short enough
  money_in_words, issuer_lines
                the office's own settings (`HouseRules`, from inputs/don-vi-bao-cao.yaml):
                how many amounts a document writes in words (`style.money_in_words`), and the
                header breaking the issuer's name where `issuer.name` does; without the
                settings these two are not checked
  wording (text versions)
                the .html and .txt written beside a document (the news item's): program
                words, one village-level term, the headline's length, no `<h1>`
  issuer_lines (printed), number_break, page_alone
                on the PDF copy, when there is one: each line of the header's left column
                prints as one line, as the settings break the name; an amount in a table
                prints on one line; no page holds only the signature
                block, `Nơi nhận` or the byline, cut off from the text it closes
                (§1 places them "Recipients (left, same height as the signature)"
                after the body; a page of them alone is not signed as is)
Not checked: rule lengths, column widths, the wording of the text beyond the rules above.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn as _qn

# Clark names are asked for hundreds of thousands of times per run; a handful of distinct ones.
qn = functools.cache(_qn)
from lxml import etree

from pipeline.render.printed_workbook import PrintedSheet, PrintedWorkbookError, read_printed_workbook
from pipeline.render.xlsx import A4_PAPER
from pipeline.vn.units import VILLAGE_KINDS

FONT = "Times New Roman"
TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_CM = 1440 / 2.54

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
# Tên loại → its abbreviation in the ký hiệu (Phụ lục III); a công văn has none.
DOCUMENT_TYPES = {
    "BÁO CÁO": "BC", "BIÊN BẢN": "BB", "TỜ TRÌNH": "TTr", "KẾ HOẠCH": "KH", "QUYẾT ĐỊNH": "QĐ",
    "THÔNG BÁO": "TB", "NGHỊ QUYẾT": "NQ", "CHỈ THỊ": "CT", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr",
    "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "QUY ĐỊNH": "QyĐ", "CÔNG ĐIỆN": "CĐ", "GIẤY MỜI": "GM",
    "CÔNG VĂN": None,
}
MINUTES = "BIÊN BẢN"
# Mẫu 1.9, in this order; a field may be written out longer ("Chủ trì (chủ tọa):").
MINUTES_FIELDS = ("Thời gian bắt đầu", "Địa điểm", "Thành phần tham dự", "Chủ trì", "Thư ký", "Nội dung")
MINUTES_SIGNERS = ("THƯ KÝ", "CHỦ TỌA")

_OFF = {"0", "false", "off"}
_PROGRESS_STEPS = 100  # how often, at most, a document's check says how far it is
_EXCERPT = 50


# --- results ---------------------------------------------------------------------


@dataclass(frozen=True)
class HouseRules:
    """What the checker takes from the office's settings, as plain data."""

    # "total" (only the grand total paid is written in words), "all" or "none".
    money_in_words: str
    # Every issuer name the office's documents carry (the report's, the notices'), each
    # as the header breaks it into lines: (("ỦY BAN NHÂN DÂN", "HUYỆN PHÚ XUYÊN"), ("PHÒNG NỘI VỤ",)).
    issuer_names: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str
    message: str

    def text(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Profile:
    name: str  # "state" | "party" | "plain"
    parent: tuple[float, float] = (12, 13)
    issuer: tuple[float, float] = (12, 13)
    national: tuple[float, float] = (12, 13)
    motto: tuple[float, float] = (13, 14)
    number: tuple[float, float] = (13, 13)
    date: tuple[float, float] = (13, 14)
    title: tuple[float, float] = (13, 14)
    subject: tuple[float, float] = (13, 14)
    body: tuple[float, float] = (13, 14)
    recipients: tuple[float, float] = (12, 12)
    # `Nơi nhận:` bold, italic, underlined
    recipients_look: tuple[bool, bool, bool] = (True, True, False)
    recipient_lines: tuple[float, float] = (11, 11)

    @property
    def party(self) -> bool:
        return self.name == "party"


STATE = Profile("state")
# §2 gives no size for the number line and the trích yếu: the state sizes, or the
# body size of a Party document, are accepted.
PARTY = Profile("party", parent=(14, 14), issuer=(14, 14), national=(15, 15), number=(13, 14),
                date=(14, 14), title=(15, 16), subject=(14, 15), body=(14, 15),
                recipients=(14, 14), recipients_look=(False, False, True), recipient_lines=(12, 12))
PLAIN = Profile("plain")


# --- text helpers (shared with pipeline.render.lint) ---------------------------


def paragraph_runs(p: Any) -> list[Any]:
    """The runs of a paragraph, also inside hyperlinks, insertions, fields and
    content controls; deleted runs and nested text boxes excluded."""
    runs = []
    for r in p.iter(qn("w:r")):
        parent = r.getparent()
        while parent is not p and parent.tag not in (qn("w:del"), qn("w:p")):
            parent = parent.getparent()
        if parent is p:
            runs.append(r)
    return runs


def run_text(r: Any) -> str:
    parts = []
    for child in r:
        if child.tag == qn("w:t"):
            parts.append(child.text or "")
        elif child.tag == qn("w:tab"):
            parts.append("\t")
        elif child.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif child.tag == qn("w:noBreakHyphen"):
            parts.append("-")
    return "".join(parts)


def paragraph_text(p: Any) -> str:
    return unicodedata.normalize("NFC", "".join(run_text(r) for r in paragraph_runs(p)))


def excerpt(text: str) -> str:
    """`«first 50 characters…»` of a paragraph, whitespace collapsed."""
    flat = " ".join(text.split())
    if not flat:
        return "(đoạn trống)"
    return f"«{flat[:_EXCERPT]}…»" if len(flat) > _EXCERPT else f"«{flat}»"


def skeleton(text: str) -> str:
    """Letters and digits only, without case and diacritics: finds a line
    whatever its case, spacing or typing of tones (`HOÀ`/`HÒA`)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(filter(str.isalnum, decomposed)).casefold()


def _grandchild(element: Any, child: str, grandchild: str) -> Any | None:
    """`element.find("child/grandchild")` (Clark names) without ElementPath's cost: the
    first `grandchild` of any `child`; asked for every paragraph and cell of an annex."""
    for middle in element:
        if middle.tag == child:
            for found in middle:
                if found.tag == grandchild:
                    return found
    return None


def _blocks(container: Any) -> Iterator[Any]:
    """Top-level paragraphs and tables, looking through content controls."""
    for child in container:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _cells(tbl: Any) -> Iterator[tuple[int, int, Any]]:
    """(row, grid column, w:tc) of a table, 1-based, merged cells counted once."""
    for row_no, tr in enumerate(tbl.findall(qn("w:tr")), start=1):
        column = 1
        for tc in tr.findall(qn("w:tc")):
            yield row_no, column, tc
            span = _grandchild(tc, qn("w:tcPr"), qn("w:gridSpan"))
            column += int(span.get(qn("w:val"))) if span is not None else 1


def paragraph_locations(body: Any) -> dict[Any, str]:
    """Where each paragraph of a body is, in words: `mục 1, đoạn 12` or
    `mục 1, bảng 2, hàng 3, ô 1` (mục = section; đoạn counts the paragraphs
    outside tables, empty ones included, as Word shows ¶ marks)."""
    where: dict[Any, str] = {}
    section, paragraph_no, table_no = 1, 0, 0
    for block in _blocks(body):
        if block.tag == qn("w:p"):
            paragraph_no += 1
            where[block] = f"mục {section}, đoạn {paragraph_no}"
            if _grandchild(block, qn("w:pPr"), qn("w:sectPr")) is not None:
                section += 1
            continue
        table_no += 1
        for row, column, tc in _cells(block):
            for p in tc.iter(qn("w:p")):
                where.setdefault(p, f"mục {section}, bảng {table_no}, hàng {row}, ô {column}")
    return where


def locate_paragraphs(body: Any) -> dict[Any, str]:
    """`paragraph_locations` with each paragraph's opening words: `mục 1, đoạn 12 «…»`."""
    return {p: f"{location} {excerpt(paragraph_text(p))}" for p, location in paragraph_locations(body).items()}


def _pt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _range(bounds: tuple[float, float], unit: str = "pt") -> str:
    low, high = bounds
    return f"{_pt(low)} {unit}" if low == high else f"{_pt(low)}–{_pt(high)} {unit}"


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] - 1e-6 <= value <= bounds[1] + 1e-6


# --- formatting resolution ---------------------------------------------------------

DOC_DEFAULTS = "định dạng mặc định của tài liệu (docDefaults)"
DIRECT = "định dạng trực tiếp"
WORD_DEFAULT = "mặc định của Word"


@dataclass(frozen=True)
class Resolved:
    value: Any
    origin: str  # DOC_DEFAULTS, DIRECT, WORD_DEFAULT or `kiểu «…»`

    @property
    def inherited(self) -> bool:
        return _inherited(self.origin)


def _inherited(origin: str) -> bool:
    """From a style or the document defaults: fixed once for every paragraph."""
    return origin not in (DIRECT, WORD_DEFAULT)


_Layer = tuple[str, Any]


class Styles:
    """Effective formatting through styles, table styles, defaults and theme."""

    def __init__(self, document: Any) -> None:
        root = document.styles.element
        self._by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
        self._default: dict[str, str] = {}
        for s in root.findall(qn("w:style")):
            if s.get(qn("w:default")) in ("1", "true", "on"):
                self._default.setdefault(s.get(qn("w:type")), s.get(qn("w:styleId")))
        defaults = root.find(qn("w:docDefaults"))
        self.default_rpr = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.default_ppr = None if defaults is None else defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        self.theme_fonts = _theme_fonts(document)
        self._chains: dict[tuple[str | None, str, str], list[_Layer]] = {}
        self._last_layers: tuple[Any, str, list[_Layer]] | None = None
        # Per table element: finding `tblPr` walks the table's children, thousands of rows in an annex.
        self._table_styles: dict[Any, str | None] = {}
        self._run_styles: dict[tuple[str | None, str | None, bytes], RunStyle] = {}
        self._names: dict[str, str] = {}  # asked for each paragraph's style

    def name(self, style_id: str) -> str:
        found = self._names.get(style_id)
        if found is None:
            style = self._by_id.get(style_id)
            name = None if style is None else style.find(qn("w:name"))
            found = self._names[style_id] = style_id if name is None else name.get(qn("w:val"))
        return found

    def _chain(self, style_id: str | None, label: str, kind: str) -> list[_Layer]:
        """Cached: a document has few styles and many paragraphs."""
        key = (style_id, label, kind)
        if key not in self._chains:
            self._chains[key] = self._resolve_chain(style_id, label, kind)
        return self._chains[key]

    def _resolve_chain(self, style_id: str | None, label: str, kind: str) -> list[_Layer]:
        chain, seen = [], set()
        while style_id and style_id in self._by_id and style_id not in seen:
            seen.add(style_id)
            style = self._by_id[style_id]
            chain.append((f"{label} «{self.name(style_id)}»", style.find(qn(f"w:{kind}"))))
            based = style.find(qn("w:basedOn"))
            style_id = None if based is None else based.get(qn("w:val"))
        return chain[::-1]

    def paragraph_style(self, p: Any) -> str | None:
        ref = _grandchild(p, qn("w:pPr"), qn("w:pStyle"))
        return self._default.get("paragraph") if ref is None else ref.get(qn("w:val"))

    def _table_style(self, p: Any) -> str | None:
        for tbl in p.iterancestors(qn("w:tbl")):
            if tbl not in self._table_styles:
                ref = _grandchild(tbl, qn("w:tblPr"), qn("w:tblStyle"))
                self._table_styles[tbl] = self._default.get("table") if ref is None else ref.get(qn("w:val"))
            return self._table_styles[tbl]
        return None

    def _layers(self, p: Any, kind: str) -> list[_Layer]:
        # The runs of one paragraph are resolved one after another: remember the last paragraph.
        last = self._last_layers
        if last is not None and last[0] is p and last[1] == kind:
            return last[2]
        layers = [(DOC_DEFAULTS, self.default_rpr if kind == "rPr" else self.default_ppr),
                  *self._chain(self._table_style(p), "kiểu bảng", kind),
                  *self._chain(self.paragraph_style(p), "kiểu", kind)]
        self._last_layers = (p, kind, layers)
        return layers

    def run_layers(self, p: Any, r: Any) -> list[_Layer]:
        rpr = r.find(qn("w:rPr"))
        ref = None if rpr is None else rpr.find(qn("w:rStyle"))
        char_style = self._default.get("character") if ref is None else ref.get(qn("w:val"))
        layers = [*self._layers(p, "rPr"), *self._chain(char_style, "kiểu ký tự", "rPr"), (DIRECT, rpr)]
        return [(origin, props) for origin, props in layers if props is not None]

    def run_style(self, p: Any, r: Any) -> RunStyle:
        """Resolved once per combination of table style, paragraph style and direct
        formatting: an annex repeats one cell format thousands of times."""
        rpr = r.find(qn("w:rPr"))
        key = (self._table_style(p), self.paragraph_style(p), b"" if rpr is None else etree.tostring(rpr))
        style = self._run_styles.get(key)
        if style is None:
            style = self._run_styles[key] = self._resolve_run(self.run_layers(p, r))
        return style

    def _resolve_run(self, layers: list[_Layer]) -> RunStyle:
        size = _lookup(layers, "w:sz", "w:val")
        return RunStyle(
            bold=_toggle(layers, "w:b"),
            italic=_toggle(layers, "w:i"),
            caps=_toggle(layers, "w:caps").value,
            underline=_underline(layers),
            size=Resolved(int(size.value) / 2 if size.value else 10.0, size.origin),
            color=_lookup(layers, "w:color", "w:val"),
            fonts=(self.font(layers, "ascii"), self.font(layers, "hAnsi")),
        )

    def paragraph_layers(self, p: Any) -> list[_Layer]:
        layers = [*self._layers(p, "pPr"), (DIRECT, p.find(qn("w:pPr")))]
        return [(origin, props) for origin, props in layers if props is not None]

    def font(self, layers: list[_Layer], attr: str) -> Resolved:
        """`ascii` or `hAnsi` font; a theme reference (asciiTheme…) wins over
        the plain name at the same level, as in Word."""
        for origin, props in reversed(layers):
            fonts = props.find(qn("w:rFonts"))
            if fonts is None:
                continue
            theme = fonts.get(qn(f"w:{attr}Theme"))
            if theme:
                resolved = self.theme_fonts.get("major" if theme.startswith("major") else "minor")
                return Resolved(resolved or f"(phông theme {theme} không xác định)", f"{origin}, qua theme {theme}")
            name = fonts.get(qn(f"w:{attr}"))
            if name:
                return Resolved(name, origin)
        return Resolved(None, WORD_DEFAULT)


def _theme_fonts(document: Any) -> dict[str, str]:
    for rel in document.part.rels.values():
        if rel.reltype == RT.THEME and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
            found = {}
            for kind in ("major", "minor"):
                latin = root.find(f".//{a}{kind}Font/{a}latin")
                if latin is not None:
                    found[kind] = latin.get("typeface")
            return found
    return {}


def _lookup(layers: list[_Layer], tag: str, attr: str | None = None) -> Resolved:
    for origin, props in reversed(layers):
        el = props.find(qn(tag))
        if el is None:
            continue
        if attr is None:
            return Resolved(el, origin)
        value = el.get(qn(attr))
        if value is not None:
            return Resolved(value, origin)
    return Resolved(None, WORD_DEFAULT)


def _toggle(layers: list[_Layer], tag: str) -> Resolved:
    found = _lookup(layers, tag)
    return Resolved(found.value is not None and found.value.get(qn("w:val"), "1") not in _OFF, found.origin)


def _underline(layers: list[_Layer]) -> Resolved:
    found = _lookup(layers, "w:u", "w:val")
    return Resolved(found.value not in (None, "none"), found.origin)


@dataclass(frozen=True)
class RunStyle:
    bold: Resolved
    italic: Resolved
    caps: bool
    underline: Resolved
    size: Resolved  # points
    color: Resolved
    fonts: tuple[Resolved, Resolved]  # ascii, hAnsi


@dataclass(frozen=True)
class RunFormat:
    text: str
    style: RunStyle

    # The rules read a run's formatting as its own.
    bold = property(lambda self: self.style.bold)
    italic = property(lambda self: self.style.italic)
    caps = property(lambda self: self.style.caps)
    underline = property(lambda self: self.style.underline)
    size = property(lambda self: self.style.size)
    color = property(lambda self: self.style.color)


@dataclass(frozen=True)
class ParagraphFormat:
    align: Resolved  # "both", "center", "left", ...
    first_line: Resolved  # twips, negative for a hanging indent
    before: Resolved  # twips
    after: Resolved
    line: Resolved  # (value, rule)


class Para:
    """A paragraph with its resolved formatting."""

    def __init__(self, element: Any, where: str, styles: Styles, quote: bool = False) -> None:
        """`where` locates the paragraph; with `quote` its opening words are added
        (only when a finding needs them: a national annex has tens of thousands of cells)."""
        self.element = element
        self._where, self._quote = where, quote
        self.styles = styles
        texts = [(r, run_text(r)) for r in paragraph_runs(element)]
        self.text = unicodedata.normalize("NFC", "".join(text for _, text in texts))
        self.runs = [RunFormat(text, styles.run_style(element, r)) for r, text in texts if text.strip()]

    @functools.cached_property
    def where(self) -> str:
        return f"{self._where} {excerpt(self.text)}" if self._quote else self._where

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def shown(self) -> str:
        """The text as printed (all-caps formatting applied), whitespace collapsed."""
        return " ".join("".join(r.text.upper() if r.caps else r.text for r in self.runs).split())

    def format(self) -> ParagraphFormat:
        layers = self.styles.paragraph_layers(self.element)
        first = Resolved(0, WORD_DEFAULT)
        for origin, props in reversed(layers):
            ind = props.find(qn("w:ind"))
            if ind is not None and (ind.get(qn("w:hanging")) or ind.get(qn("w:firstLine"))):
                hanging = ind.get(qn("w:hanging"))
                first = Resolved(-int(hanging) if hanging else int(ind.get(qn("w:firstLine"))), origin)
                break
        line = _lookup(layers, "w:spacing", "w:line")
        rule = _lookup(layers, "w:spacing", "w:lineRule")
        before, after = _lookup(layers, "w:spacing", "w:before"), _lookup(layers, "w:spacing", "w:after")
        align = _lookup(layers, "w:jc", "w:val")
        return ParagraphFormat(
            align=Resolved(align.value or "left", align.origin),
            first_line=first,
            before=Resolved(int(before.value or 0), before.origin),
            after=Resolved(int(after.value or 0), after.origin),
            line=Resolved((int(line.value or 240), rule.value or "auto"), line.origin),
        )

    def bottom_border(self) -> bool:
        border = _lookup(self.styles.paragraph_layers(self.element), "w:pBdr")
        edge = None if border.value is None else border.value.find(qn("w:bottom"))
        return edge is not None and edge.get(qn("w:val")) not in ("none", "nil")

    def has_drawing(self) -> bool:
        return any(True for _ in self.element.iter(qn("w:drawing"), qn("w:pict")))


# --- the document ---------------------------------------------------------------------


class Checked:
    """The document cut into the parts the rules talk about. `on_progress(share)`, as
    its paragraphs are resolved (most of a long document's check), the share resolved."""

    def __init__(self, document: Any, on_progress: Callable[[float], None] | None = None) -> None:
        self.document = document
        self.styles = Styles(document)
        body = document.element.body
        where = paragraph_locations(body)
        self.sections = [s._sectPr for s in document.sections]
        self.where = where
        self._paras: dict[Any, Para] = {}
        self._on_progress = on_progress
        # The body's paragraphs, told a hundred times at most; those of headers and footers
        # (a few) come after and are not told.
        self._expected_paras = max(1, len(where))
        self._progress_every = max(1, self._expected_paras // _PROGRESS_STEPS)
        # (block, section number): top-level paragraphs as Para, tables as w:tbl.
        self.blocks: list[tuple[Any, int]] = []
        section = 1
        for block in _blocks(body):
            if block.tag == qn("w:p"):
                self.blocks.append((self._para(block), section))
                if _grandchild(block, qn("w:pPr"), qn("w:sectPr")) is not None:
                    section += 1
            else:
                self.blocks.append((block, section))

    def paras_in(self, element: Any) -> list[Para]:
        return [self._para(p) for p in element.iter(qn("w:p"))]

    def _para(self, p: Any) -> Para:
        """Each paragraph resolved once, however many rules look at it."""
        para = self._paras.get(p)
        if para is None:
            location = self.where.get(p)
            para = self._paras[p] = Para(p, location or "", self.styles, quote=location is not None)
            made = len(self._paras)
            if self._on_progress and made <= self._expected_paras and made % self._progress_every == 0:
                self._on_progress(made / self._expected_paras)
        return para

    @functools.cached_property
    def body_paras(self) -> tuple[Para, ...]:
        """The body's paragraphs, gathered once for the rules that read them all (a
        national annex has tens of thousands)."""
        return tuple(self.paras_in(self.document.element.body))

    @functools.cached_property
    def all_paras(self) -> tuple[Para, ...]:
        """The body's paragraphs, then the headers' and footers'."""
        return (*self.body_paras, *self.header_footer_paras())

    def part(self, section: Any, kind: str, hf_type: str) -> Any | None:
        """The header/footer part a section uses (its own, or inherited from an
        earlier section as Word does), or None."""
        index = self.sections.index(section)
        for sect in reversed(self.sections[:index + 1]):
            for ref in sect.findall(qn(f"w:{kind}Reference")):
                if ref.get(qn("w:type")) == hf_type:
                    return self.document.part.related_parts[ref.get(qn("r:id"))].element
        return None

    def header_footer_paras(self) -> list[Para]:
        seen, paras = set(), []
        for number, sect in enumerate(self.sections, start=1):
            for kind, label in (("header", "đầu trang"), ("footer", "chân trang")):
                for ref in sect.findall(qn(f"w:{kind}Reference")):
                    part = self.document.part.related_parts[ref.get(qn("r:id"))].element
                    if id(part) in seen:
                        continue
                    seen.add(id(part))
                    for p in part.iter(qn("w:p")):
                        paras.append(Para(p, f"{label} của mục {number}", self.styles, quote=True))
        return paras


def _first_table(checked: Checked) -> Any | None:
    """The header table: the first block, after nothing but empty paragraphs."""
    for block, _ in checked.blocks:
        if not isinstance(block, Para):
            return block
        if not block.empty:
            return None
    return None


def profile_of(checked: Checked) -> Profile:
    table = _first_table(checked)
    text = "" if table is None else skeleton(" ".join(paragraph_text(p) for p in table.iter(qn("w:p"))))
    if skeleton(PARTY_TITLE) in text:
        return PARTY
    if skeleton(NATIONAL_TITLE) in text or skeleton(MOTTO) in text:
        return STATE
    return PLAIN


# --- collecting findings -------------------------------------------------------------------


@dataclass
class _Entry:
    rule: str
    where: str
    message: str
    origin: str | None  # a style or the defaults; None for direct formatting
    count: int = 1


class Findings:
    """Violations; one from a style is merged with the same one from the same
    style elsewhere (fix the style once), counting the paragraphs."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self._shared: dict[tuple[str, str, str], _Entry] = {}

    def add(self, rule: str, where: str, message: str, origin: str | None = None) -> None:
        if origin is None or not _inherited(origin):
            self._entries.append(_Entry(rule, where, message, None))
            return
        key = (rule, message, origin)
        if key in self._shared:
            self._shared[key].count += 1
            return
        self._shared[key] = _Entry(rule, where, message, origin)
        self._entries.append(self._shared[key])

    def violations(self) -> list[Violation]:
        out = []
        for entry in self._entries:
            message = entry.message
            if entry.origin is not None:
                others = f"; cùng lỗi ở {entry.count - 1} đoạn khác" if entry.count > 1 else ""
                message = f"{message} (do {entry.origin}{others})"
            out.append(Violation(entry.rule, entry.where, message))
        return out


def _check_size(found: Findings, rule: str, para: Para, bounds: tuple[float, float], what: str) -> None:
    for run in para.runs:
        if not _within(run.size.value, bounds):
            found.add(rule, para.where, f"{what}: cỡ chữ {_pt(run.size.value)} pt; cần {_range(bounds)}.",
                      run.size.origin)
            return


def _check_toggle(found: Findings, rule: str, para: Para, attr: str, wanted: bool, what: str) -> None:
    """All text runs bold/italic/underlined (`wanted`), or none of them."""
    label = {"bold": ("đậm", "không đậm"), "italic": ("nghiêng", "đứng (không nghiêng)"),
             "underline": ("gạch chân", "không gạch chân")}[attr]
    for run in para.runs:
        value: Resolved = getattr(run, attr)
        if value.value != wanted:
            found.add(rule, para.where, f"{what} phải {label[0] if wanted else label[1]}.", value.origin)
            return


def _check_upper(found: Findings, rule: str, para: Para, what: str) -> None:
    if para.shown != para.shown.upper():
        found.add(rule, para.where, f"{what} phải viết in hoa.")


def _is_rule(para: Para) -> bool:
    """An empty paragraph holding a border or a drawn line, or a typed `-----`."""
    if re.fullmatch(r"[-–—_]{3,}", para.text.strip()):
        return True
    return para.empty and (para.bottom_border() or para.has_drawing())


def _has_rule_under(paras: Sequence[Para], index: int) -> bool:
    """A rule under paragraph `index`: its own bottom border or a drawn line,
    or an empty paragraph right after it holding one."""
    para = paras[index]
    if para.bottom_border() or para.has_drawing():
        return True
    following = paras[index + 1] if index + 1 < len(paras) else None
    return following is not None and _is_rule(following)


# --- page -----------------------------------------------------------------------------------

_PORTRAIT_MARGINS = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
# Turned with the page: the binding margin (left on a portrait page) on top.
_TURNED_MARGINS = {"top": (30, 35), "bottom": (15, 20), "left": (20, 25), "right": (20, 25)}
_SIDES = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}


def _twips(el: Any, attr: str) -> int:
    value = None if el is None else el.get(qn(f"w:{attr}"))
    return abs(int(float(value))) if value else 0


def _check_page(found: Findings, checked: Checked, profile: Profile) -> None:
    for number, sect in enumerate(checked.sections, start=1):
        size = sect.find(qn("w:pgSz"))
        width, height = _twips(size, "w") / TWIPS_PER_MM, _twips(size, "h") / TWIPS_PER_MM
        landscape = width > height
        where = f"mục {number} ({'trang ngang' if landscape else 'trang dọc'})"
        if sorted((round(width), round(height))) != [210, 297]:
            found.add("page_size", where,
                      f"khổ giấy {_pt(round(width, 1))} × {_pt(round(height, 1))} mm; cần A4 210 × 297 mm.")
        if profile is PLAIN:
            continue
        if landscape and number == 1:
            found.add("orientation", where, "phần chính của văn bản phải in trang dọc; "
                                            "trang ngang chỉ dùng cho phụ lục có bảng rộng.")
        margin = sect.find(qn("w:pgMar"))
        measured = {side: round(_twips(margin, side) / TWIPS_PER_MM, 1) for side in _SIDES}
        measured["left"] = round(measured["left"] + _twips(margin, "gutter") / TWIPS_PER_MM, 1)
        problems = margin_problems(measured, landscape)
        if problems:
            found.add("margins", where, "; ".join(problems) + ".")


def margin_problems(measured: Mapping[str, float], landscape: bool) -> list[str]:
    """The margins (mm, by side) off Nghị định 30's, as near as the page allows: a
    landscape page may have them turned with it."""
    options = [_PORTRAIT_MARGINS, _TURNED_MARGINS] if landscape else [_PORTRAIT_MARGINS]
    return min(([f"lề {_SIDES[side]} {_pt(measured[side])} mm, cần {_range(bounds, 'mm')}"
                 for side, bounds in ranges.items() if not _within(measured[side], bounds)]
                for ranges in options), key=len)


def _page_field(part: Any) -> Any | None:
    """The paragraph holding a PAGE field in a header/footer part."""
    if part is None:
        return None
    for p in part.iter(qn("w:p")):
        instructions = [el.get(qn("w:instr"), "") for el in p.iter(qn("w:fldSimple"))]
        instructions += [el.text or "" for el in p.iter(qn("w:instrText"))]
        if any(re.match(r"\s*PAGE\b", text) for text in instructions):
            return p
    return None


def _part_text(part: Any) -> str:
    return "".join(paragraph_text(p) for p in part.iter(qn("w:p")))


def _check_page_numbers(found: Findings, checked: Checked) -> None:
    footers_seen: set[int] = set()
    for number, sect in enumerate(checked.sections, start=1):
        where = f"đầu trang của mục {number}"
        title_page = sect.find(qn("w:titlePg"))
        different_first = title_page is not None and title_page.get(qn("w:val"), "1") not in _OFF
        first = checked.part(sect, "header", "first") if different_first else None
        if number == 1:
            if not different_first:
                found.add("page_number", where, "trang 1 không được đánh số: bật «Trang đầu khác» "
                                                "(Different First Page) và để trống đầu trang của trang 1.")
            elif first is not None and (_page_field(first) is not None or _part_text(first).strip()):
                found.add("page_number", where, "đầu trang của trang 1 phải để trống (không có số trang).")
        fmt = sect.find(qn("w:pgNumType"))
        # A section numbered from 1 again is an annex (Nghị định 30/2020, Phụ lục I: the
        # pages of an annex are numbered on their own); its first page, like the
        # document's, may show no number.
        restarts = fmt is not None and fmt.get(qn("w:start")) == "1"
        if number > 1 and different_first and not restarts and _page_field(first) is None:
            found.add("page_number", where, f"trang đầu của mục {number} không có số trang; "
                                            f"chỉ trang 1 của văn bản (và của phụ lục) không đánh số.")
        if fmt is not None and fmt.get(qn("w:fmt"), "decimal") != "decimal":
            found.add("page_number", where, "số trang phải là chữ số Ả Rập (1, 2, 3…).")
        field = _page_field(checked.part(sect, "header", "default"))
        if field is None:
            found.add("page_number", where, "không có số trang (trường PAGE) ở giữa lề trên từ trang 2.")
        else:
            para = Para(field, where, checked.styles)
            if para.format().align.value != "center":
                found.add("page_number", where, "số trang phải căn giữa.", para.format().align.origin)
            _check_size(found, "page_number", para, (13, 14), "số trang")
            _check_toggle(found, "page_number", para, "italic", False, "số trang")
        for hf_type in ("default", "first", "even"):
            footer = checked.part(sect, "footer", hf_type)
            if _page_field(footer) is not None and id(footer) not in footers_seen:  # inherited: said once
                footers_seen.add(id(footer))
                found.add("page_number", f"chân trang của mục {number}",
                          "số trang đặt ở lề trên (đầu trang), không ở chân trang.")


# --- fonts and colour -------------------------------------------------------------------------


def _check_fonts(found: Findings, checked: Checked) -> None:
    styles = checked.styles
    for para in checked.all_paras:
        wrong = next((font for run in para.runs for font in run.style.fonts if font.value != FONT), None)
        if wrong is None:
            continue
        origin = wrong.origin if wrong.inherited else None
        style = styles.paragraph_style(para.element)
        if origin is not None and origin.startswith(DOC_DEFAULTS) and style:
            origin = f"{origin}: kiểu «{styles.name(style)}» không đặt phông riêng"
        # One finding per paragraph is enough to find it.
        found.add("font", para.where, f"phông {wrong.value or 'không khai báo (tùy máy)'}; cần {FONT}.", origin)


def _check_color(found: Findings, checked: Checked) -> None:
    for para in checked.all_paras:
        for run in para.runs:
            if run.color.value not in (None, "auto", "000000"):
                found.add("color", para.where, f"chữ màu #{run.color.value}; văn bản in màu đen.",
                          run.color.origin)
                break


# --- header block -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderBlock:
    table: Any
    left: list[Para]
    right: list[Para]


def _header_block(checked: Checked, table: Any) -> HeaderBlock:
    left, right = [], []
    for _, column, tc in _cells(table):
        (left if column == 1 else right).extend(checked.paras_in(tc))
    return HeaderBlock(table, left, right)


def _find(paras: Sequence[Para], wanted: str) -> int | None:
    key = skeleton(wanted)
    return next((i for i, p in enumerate(paras) if p.text.strip() and skeleton(p.text) == key), None)


def _check_fixed_line(found: Findings, rule: str, paras: list[Para], expected: str,
                      sizes: tuple[float, float], what: str, rule_under: bool) -> None:
    index = _find(paras, expected)
    if index is None:
        found.add(rule, "phần đầu văn bản (bảng 1)", f"thiếu {what} «{expected}».")
        return
    para = paras[index]
    if para.shown != expected:
        if para.shown.upper() == expected and expected == expected.upper():
            found.add(rule, para.where, f"{what} phải viết in hoa: «{expected}».")
        else:
            found.add(rule, para.where, f"{what} ghi «{para.shown}»; cần đúng «{expected}».")
    _check_size(found, rule, para, sizes, what)
    _check_toggle(found, rule, para, "bold", True, what)
    if rule_under and not _has_rule_under(paras, index):
        found.add(rule, para.where, f"thiếu đường kẻ liền dưới {what}.")


_NUMBER_STATE = re.compile(r"Số: (?:(?P<num>\d+)|\s+)/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)+")
_NUMBER_PARTY = re.compile(r"Số (?:(?P<num>\d+)|\s+)-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*")


def number_problems(text: str, party: bool) -> list[str]:
    """What is wrong with a number line (`Số: 05/BC-UBND`, Party `Số 127-BC/HU`)."""
    text = text.strip()
    match = (_NUMBER_PARTY if party else _NUMBER_STATE).fullmatch(text)
    if match:
        number = match["num"]
        if not party and number and int(number) < 10 and len(number) < 2:
            return [f"số dưới 10 phải có số 0 ở đầu: «{int(number):02d}»"]
        return []
    colon = text.startswith("Số:")
    problems = []
    if party:
        if colon:
            problems.append("văn bản của Đảng không có dấu hai chấm sau «Số»")
        if re.match(r"Số:?\s*\d*\s*/", text):
            problems.append("giữa số và tên loại dùng dấu gạch nối «-», không dùng «/»")
    else:
        if not colon:
            problems.append("thiếu dấu hai chấm sau «Số»")
        if re.match(r"Số:?\s*\d+\s*-", text):
            problems.append("giữa số và ký hiệu dùng dấu «/», không dùng «-»")
    return problems or ["không đúng dạng (không có khoảng trắng quanh «/» và «-»)"]


def _type_symbol(text: str, party: bool) -> str | None:
    """`BC` in `Số: 05/BC-UBND` or `Số 127-BC/HU`."""
    match = re.search(r"-([^/\s]+)/" if party else r"/(?:\d{4}/)?([^-/\s]+)-", text)
    return match.group(1) if match else None


def _check_number(found: Findings, header: HeaderBlock, profile: Profile, title: Para | None) -> None:
    index = next((i for i, p in enumerate(header.left) if re.match(r"\s*Số\b", p.text)), None)
    if index is None:
        found.add("number", "phần đầu văn bản (bảng 1)", "thiếu dòng số, ký hiệu văn bản (cột trái).")
        return
    para = header.left[index]
    problems = number_problems(para.text, profile.party)
    if problems:
        example = "Số 127-BC/HU" if profile.party else "Số: 05/BC-UBND"
        found.add("number", para.where,
                  f"số, ký hiệu «{para.text.strip()}»: {'; '.join(problems)}; cần dạng «{example}».")
    _check_size(found, "number", para, profile.number, "số, ký hiệu")
    _check_toggle(found, "number", para, "italic", False, "số, ký hiệu")
    kind = None if title is None else next((t for t in DOCUMENT_TYPES if skeleton(t) == skeleton(title.text)), None)
    symbol = _type_symbol(para.text, profile.party)
    if kind and DOCUMENT_TYPES[kind] and symbol and symbol != DOCUMENT_TYPES[kind]:
        found.add("number", para.where, f"ký hiệu «{symbol}» không khớp tên loại «{kind}»: cần «{DOCUMENT_TYPES[kind]}».")


_DATE = re.compile(r"(?P<place>[^,]+), ngày\s+(?:(?P<d>\d+)\s+)?tháng\s+(?:(?P<m>\d+)\s+)?năm(?:\s+(?P<y>\d+))?\s*")


def date_problems(text: str) -> list[str]:
    """What is wrong with a place-and-date line (the leading-zero rule)."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return ["không đúng dạng «Địa danh, ngày 05 tháng 02 năm 2021»"]
    problems = []
    day, month, year = match["d"], match["m"], match["y"]
    if day and int(day) < 10 and len(day) != 2:
        problems.append(f"ngày dưới 10 phải có số 0 ở đầu: «ngày {int(day):02d}»")
    if day and int(day) >= 10 and len(day) != 2:
        problems.append(f"«ngày {day}» viết «ngày {int(day)}»")
    if month and int(month) in (1, 2) and len(month) != 2:
        problems.append(f"tháng 1 và 2 có số 0 ở đầu: «tháng {int(month):02d}»")
    if month and int(month) >= 3 and month != str(int(month)):
        problems.append(f"tháng {int(month)} không có số 0 ở đầu (chỉ tháng 1, 2 viết 01, 02): «tháng {int(month)}»")
    if month and not 1 <= int(month) <= 12:
        problems.append(f"không có tháng {month}")
    if year and len(year) != 4:
        problems.append(f"năm viết đủ bốn chữ số, không phải «{year}»")
    return problems


def _check_date(found: Findings, header: HeaderBlock, profile: Profile, required: bool) -> None:
    para = next((p for p in header.right if re.search(r"\bngày\b.*\btháng\b", p.text)), None)
    if para is None:
        if required:
            found.add("date", "phần đầu văn bản (bảng 1)", "thiếu dòng địa danh, ngày tháng năm (cột phải).")
        return
    problems = date_problems(para.text)
    if problems:
        found.add("date", para.where, "; ".join(problems) + ".")
    _check_size(found, "date", para, profile.date, "dòng địa danh, ngày tháng")
    _check_toggle(found, "date", para, "italic", True, "dòng địa danh, ngày tháng")


def _check_issuer(found: Findings, header: HeaderBlock, profile: Profile, house: HouseRules | None) -> None:
    lines = []
    for index, para in enumerate(header.left):
        if para.empty or para.text.strip() == "*":
            if lines:
                break
            continue
        if re.match(r"\s*Số\b", para.text):
            break
        lines.append(index)
    if not lines:
        found.add("issuer", "phần đầu văn bản (bảng 1)", "thiếu tên cơ quan ban hành (cột trái).")
        return
    # The issuer is the trailing bold lines (a long name may wrap onto two lines).
    issuer = []
    for index in reversed(lines):
        if not all(r.bold.value for r in header.left[index].runs):
            break
        issuer.insert(0, index)
    issuer = issuer or lines[-1:]
    if house is not None:
        _check_issuer_lines(found, [header.left[i] for i in issuer], house)
    for index in lines:
        para = header.left[index]
        is_issuer = index in issuer
        what = "tên cơ quan ban hành" if is_issuer else "tên cơ quan chủ quản"
        _check_upper(found, "issuer", para, what)
        _check_size(found, "issuer", para, profile.issuer if is_issuer else profile.parent, what)
        _check_toggle(found, "issuer", para, "bold", is_issuer, what)
    last = issuer[-1]
    if profile.party:
        if not any(p.text.strip() == "*" for p in header.left[last + 1:]):
            found.add("issuer", header.left[last].where, "thiếu dấu «*» dưới tên cấp ủy ban hành.")
    elif not _has_rule_under(header.left, last):
        found.add("issuer", header.left[last].where, "thiếu đường kẻ liền dưới tên cơ quan ban hành.")


def _check_issuer_lines(found: Findings, issuer: list[Para], house: HouseRules) -> None:
    """The issuer's name breaks where the settings break it; a name the settings do not
    hold (another office's document) is not judged."""
    shown = [line.strip() for para in issuer for line in para.text.split("\n") if line.strip()]
    for configured in house.issuer_names:
        if skeleton("".join(shown)) != skeleton("".join(configured)):
            continue
        if [skeleton(line) for line in shown] != [skeleton(line) for line in configured]:
            found.add("issuer_lines", issuer[0].where,
                      "tên cơ quan ban hành xuống dòng khác cài đặt (issuer.name trong don-vi-bao-cao.yaml): "
                      + " / ".join(f"«{line}»" for line in shown) + "; cần " + " / ".join(f"«{line}»" for line in configured)
                      + ".")
        return


# --- title, body, headings --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    title: Para | None
    subject: Para | None
    after_subject: Para | None
    body: list[Para]
    closing: Any | None  # the signature / recipients table


def _signature_table(table: Any) -> bool:
    keys = [skeleton(paragraph_text(p)) for p in table.iter(qn("w:p"))]
    return any(k.startswith("noinhan") for k in keys) or any(k in map(skeleton, MINUTES_SIGNERS) for k in keys)


def _layout(checked: Checked, header: Any) -> Layout:
    blocks = [(b, s) for b, s in checked.blocks if s == 1]
    start = next(i for i, (b, _) in enumerate(blocks) if b is header) + 1
    rest = blocks[start:]
    paras_before_table = []
    closing = None
    for block, _ in rest:
        if not isinstance(block, Para):
            if _signature_table(block):
                closing = block
                break
            continue
        paras_before_table.append(block)
    text_paras = [p for p in paras_before_table if not p.empty and not _is_rule(p)]
    title = text_paras[0] if text_paras else None
    subject = text_paras[1] if len(text_paras) > 1 else None
    after = None
    body = text_paras[2:]
    if subject is not None:
        index = paras_before_table.index(subject)
        after = paras_before_table[index + 1] if index + 1 < len(paras_before_table) else None
    if body and skeleton(body[0].text).startswith("kinhgui"):
        body = body[1:]
    return Layout(title, subject, after, body, closing)


def _check_title(found: Findings, layout: Layout, profile: Profile) -> None:
    title, subject = layout.title, layout.subject
    if title is None:
        found.add("title", "sau phần đầu văn bản", "thiếu tên loại văn bản (ví dụ «BÁO CÁO»).")
        return
    if skeleton(title.text) not in map(skeleton, DOCUMENT_TYPES):
        found.add("title", title.where, "không nhận ra tên loại văn bản (BÁO CÁO, BIÊN BẢN, TỜ TRÌNH…) "
                                        "ngay dưới phần đầu.")
    _check_upper(found, "title", title, "tên loại văn bản")
    _check_toggle(found, "title", title, "bold", True, "tên loại văn bản")
    _check_size(found, "title", title, profile.title, "tên loại văn bản")
    align = title.format().align
    if align.value != "center":
        found.add("title", title.where, "tên loại văn bản phải căn giữa.", align.origin)
    if subject is None:
        found.add("subject", title.where, "thiếu trích yếu nội dung dưới tên loại văn bản.")
        return
    _check_toggle(found, "subject", subject, "bold", True, "trích yếu")
    _check_size(found, "subject", subject, profile.subject, "trích yếu")
    if subject.shown == subject.shown.upper():
        found.add("subject", subject.where, "trích yếu viết chữ thường (chỉ viết hoa chữ cái đầu), không in hoa cả dòng.")
    has_rule = subject.bottom_border() or subject.has_drawing() or (
        layout.after_subject is not None and _is_rule(layout.after_subject))
    if not profile.party and not has_rule:
        found.add("subject", subject.where, "thiếu đường kẻ ngắn dưới trích yếu.")


_ROMAN = re.compile(r"(?P<num>[IVXLC]+)\.\s+\S")
_ARABIC = re.compile(r"(?P<num>\d+)\.\s+\S")
_LETTER = re.compile(r"(?P<num>[a-zđ])\)\s+\S")
_LETTERS = "abcdđeghiklmnopqrstuvxy"


def roman_value(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for current, following in zip(text, text[1:] + " "):
        value = values[current]
        total += -value if values.get(following, 0) > value else value
    return total


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _heading_kind(para: Para) -> str | None:
    """"I" (Roman, always a heading), "1" (Arabic, a heading when bold), "a"."""
    text = para.text.strip()
    if _ROMAN.match(text):
        return "I"
    if _ARABIC.match(text) and para.runs and all(r.bold.value for r in para.runs[:1]):
        return "1"
    if _LETTER.match(text):
        return "a"
    return None


def _check_body(found: Findings, layout: Layout, profile: Profile) -> None:
    expected = {"I": 1, "1": 1, "a": 0}
    for para in layout.body:
        kind = _heading_kind(para)
        fmt = para.format()
        _check_size(found, "body", para, profile.body, "nội dung")
        line, rule = fmt.line.value
        multiple = line / 240 if rule == "auto" else line / 20 / (1.15 * max(r.size.value for r in para.runs))
        if not 0.99 <= multiple <= 1.51:
            shown = f"{_pt(round(multiple, 2))} dòng" if rule == "auto" else f"{_pt(line / 20)} pt"
            found.add("body", para.where, f"giãn dòng {shown}; cần từ một dòng (single) đến 1,5 dòng.",
                      fmt.line.origin)
        if kind is not None:
            _check_heading(found, para, kind, expected)
            continue
        if fmt.align.value not in ("both", "distribute"):
            found.add("body", para.where, "đoạn văn phải căn đều hai bên (justify).", fmt.align.origin)
        indent_cm = fmt.first_line.value / TWIPS_PER_CM
        if not 0.99 <= round(indent_cm, 2) <= 1.28:
            found.add("body", para.where, f"thụt đầu dòng {_pt(round(indent_cm, 2))} cm; cần 1 cm hoặc 1,27 cm.",
                      fmt.first_line.origin)
        if fmt.before.value + fmt.after.value < 120:
            origin = fmt.after.origin if fmt.after.inherited else fmt.before.origin
            found.add("body", para.where, f"khoảng cách giữa các đoạn {_pt((fmt.before.value + fmt.after.value) / 20)} pt; "
                                          f"cần tối thiểu 6 pt.", origin)


def _check_heading(found: Findings, para: Para, kind: str, expected: dict[str, int]) -> None:
    text = para.text.strip()
    if kind == "I":
        number = roman_value(_ROMAN.match(text)["num"])
        if number != expected["I"]:
            found.add("heading", para.where, f"đề mục «{_roman(number)}.» sai thứ tự; cần «{_roman(expected['I'])}.».")
        expected.update(I=number + 1, **{"1": 1, "a": 0})
        _check_upper(found, "heading", para, "đề mục cấp I (I., II., …)")
        _check_toggle(found, "heading", para, "bold", True, "đề mục cấp I (I., II., …)")
    elif kind == "1":
        number = int(_ARABIC.match(text)["num"])
        if number != expected["1"]:
            found.add("heading", para.where, f"đề mục «{number}.» sai thứ tự; cần «{expected['1']}.».")
        expected.update(**{"1": number + 1, "a": 0})
    else:
        letter = _LETTER.match(text)["num"]
        wanted = _LETTERS[expected["a"]] if expected["a"] < len(_LETTERS) else "?"
        if letter != wanted:
            found.add("heading", para.where, f"đề mục «{letter})» sai thứ tự; cần «{wanted})».")
        expected["a"] = _LETTERS.find(letter) + 1
        if para.runs and all(r.bold.value for r in para.runs):
            found.add("heading", para.where, "đề mục «a)» viết chữ thường, không đậm.")


def _check_tables_and_annex(found: Findings, checked: Checked, profile: Profile,
                            layout_tables: tuple[Any, Any]) -> None:
    """Data tables (in the body or an annex) may use smaller type, down to
    10 pt; an annex's own paragraphs keep the body size."""
    for block, section in checked.blocks:
        if isinstance(block, Para):
            if section > 1 and not block.empty:
                _check_size(found, "body", block, (13, profile.body[1]), "phụ lục")
        elif all(block is not t for t in layout_tables):
            for para in checked.paras_in(block):
                _check_size(found, "body", para, (10, profile.body[1]), "bảng số liệu")


def _check_end_mark(found: Findings, layout: Layout) -> None:
    if layout.body and not layout.body[-1].text.rstrip().endswith("./."):
        found.add("end_mark", layout.body[-1].where, "phần nội dung phải kết thúc bằng dấu «./.».")


# --- recipients and signatures -------------------------------------------------------------------------


def _container_paras(checked: Checked, para: Para) -> list[Para]:
    """The paragraphs of the table cell (or body) holding `para`."""
    cell = next(para.element.iterancestors(qn("w:tc")), None)
    if cell is None:
        return [b for b, _ in checked.blocks if isinstance(b, Para)]
    return checked.paras_in(cell)


def _check_recipients(found: Findings, checked: Checked, profile: Profile) -> None:
    heading = next((p for p in checked.body_paras if skeleton(p.text).startswith("noinhan")), None)
    if heading is None:
        found.add("recipients", "cuối văn bản", "thiếu «Nơi nhận:».")
        return
    if heading.text.strip() != "Nơi nhận:":
        found.add("recipients", heading.where, f"ghi «{heading.text.strip()}»; cần «Nơi nhận:».")
    _check_size(found, "recipients", heading, profile.recipients, "«Nơi nhận:»")
    for attr, wanted in zip(("bold", "italic", "underline"), profile.recipients_look):
        _check_toggle(found, "recipients", heading, attr, wanted, "«Nơi nhận:»")
    paras = _container_paras(checked, heading)
    start = next(i for i, p in enumerate(paras) if p.element is heading.element) + 1
    lines = []
    for para in paras[start:]:
        if para.empty:
            break
        lines.append(para)
    if not lines:
        found.add("recipients", heading.where, "danh sách nơi nhận trống.")
        return
    for para in lines:
        _check_size(found, "recipients", para, profile.recipient_lines, "dòng nơi nhận")
        _check_toggle(found, "recipients", para, "italic", False, "dòng nơi nhận")
        if not para.text.lstrip().startswith("-"):
            found.add("recipients", para.where, "mỗi nơi nhận một dòng, bắt đầu bằng «- ».")
    last = lines[-1].text.strip()
    if not (last.startswith("- Lưu") and last.endswith(".")):
        found.add("recipients", lines[-1].where, "dòng cuối của nơi nhận là «- Lưu: VT, …» và kết thúc bằng dấu chấm.")


_STATE_AUTHORITY = re.compile(r"(TM|KT|TL)\.\s")
_PARTY_AUTHORITY = re.compile(r"(T/M|K/T|T/L)\s")


def _check_signature(found: Findings, checked: Checked, layout: Layout, profile: Profile) -> None:
    if layout.closing is None:
        found.add("signature", "cuối văn bản", "thiếu phần chữ ký (bảng «Nơi nhận» | chữ ký).")
        return
    cells = [checked.paras_in(tc) for _, _, tc in _cells(layout.closing)]
    signer = [p for paras in cells if not any(skeleton(q.text).startswith("noinhan") for q in paras)
              for p in paras if not p.empty]
    if not signer:
        found.add("signature", "cuối văn bản", "thiếu chức vụ, họ tên người ký.")
        return
    *titles, name = signer
    for para in titles:
        _check_upper(found, "signature", para, "quyền hạn, chức vụ người ký")
        _check_toggle(found, "signature", para, "bold", True, "quyền hạn, chức vụ người ký")
        _check_size(found, "signature", para, (13, 14), "quyền hạn, chức vụ người ký")
        text = para.text.strip()
        if profile.party and _STATE_AUTHORITY.match(text + " "):
            found.add("signature", para.where, "văn bản của Đảng viết «T/M», «K/T», «T/L» (có gạch chéo).")
        if not profile.party and _PARTY_AUTHORITY.match(text + " "):
            found.add("signature", para.where, "văn bản hành chính viết «TM.», «KT.», «TL.» (có dấu chấm).")
    _check_toggle(found, "signature", name, "bold", True, "họ tên người ký")
    if name.shown == name.shown.upper():
        found.add("signature", name.where, "họ tên người ký viết chữ thường (hoa chữ cái đầu), không in hoa cả dòng.")


def _check_minutes(found: Findings, checked: Checked, layout: Layout) -> None:
    def label(para: Para) -> str:
        return re.sub(r"^\s*(?:[-–•]|\d+\.|[a-zđ]\))\s*", "", para.text)

    positions: list[tuple[str, int | None]] = []
    for field in MINUTES_FIELDS:
        key = skeleton(field)
        positions.append((field, next((i for i, p in enumerate(layout.body)
                                       if skeleton(label(p)).startswith(key)), None)))
    where = layout.title.where if layout.title else "biên bản"
    for field, index in positions:
        if index is None:
            found.add("minutes_fields", where, f"biên bản thiếu mục «{field}:».")
    present = [(f, i) for f, i in positions if i is not None]
    for (before, i), (after, j) in zip(present, present[1:]):
        if j < i:
            found.add("minutes_fields", layout.body[j].where,
                      f"mục «{after}» phải đứng sau mục «{before}» (thứ tự: {', '.join(MINUTES_FIELDS)}).")
    closing = next((p for p in layout.body if re.search(r"kết thúc vào .*giờ", p.text, re.IGNORECASE)), None)
    if closing is None:
        found.add("minutes_closing", where, "thiếu dòng kết thúc «Cuộc họp kết thúc vào … giờ …, ngày … tháng … năm …./.».")
    elif closing is not layout.body[-1]:
        found.add("minutes_closing", closing.where, "dòng «… kết thúc vào … giờ …» phải là đoạn cuối của phần nội dung.")

    signers: dict[str, tuple[Para, tuple[int, int, int]]] = {}
    tables = [b for b, _ in checked.blocks if not isinstance(b, Para)]
    for t_no, table in enumerate(tables):
        for row, column, tc in _cells(table):
            paras = checked.paras_in(tc)
            for i, para in enumerate(paras):
                for signer in MINUTES_SIGNERS:
                    if skeleton(para.text) == skeleton(signer) and signer not in signers:
                        signers[signer] = (para, (t_no, row, column))
                        _check_toggle(found, "minutes_signatures", para, "bold", True, f"«{signer}»")
                        name = next((q for q in paras[i + 1:] if not q.empty), None)
                        if name is None:
                            found.add("minutes_signatures", para.where, f"thiếu họ tên dưới «{signer}».")
                        else:
                            _check_toggle(found, "minutes_signatures", name, "bold", True, f"họ tên dưới «{signer}»")
    for signer in MINUTES_SIGNERS:
        if signer not in signers:
            found.add("minutes_signatures", "cuối biên bản", f"thiếu chữ ký «{signer}».")
    if len(signers) == 2:
        (_, secretary), (chair_para, chair) = signers[MINUTES_SIGNERS[0]], signers[MINUTES_SIGNERS[1]]
        if secretary[:2] == chair[:2] and secretary[2] > chair[2]:
            found.add("minutes_signatures", chair_para.where, "«THƯ KÝ» ký bên trái, «CHỦ TỌA» ký bên phải.")


# --- entry points -------------------------------------------------------------------------------------


def check_document(path: Path, house: HouseRules | None = None,
                   on_progress: Callable[[float], None] | None = None) -> list[Violation]:
    """Every format violation in the document at `path` (empty when clean); `house`:
    the office's settings, for the rules that depend on them; `on_progress(share)`
    now and then, the share of the check done (a national report takes seconds)."""
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as error:
        return [Violation("file", str(path), f"không mở được tệp như một văn bản Word (.docx): {error}.")]
    checked = Checked(document, on_progress)
    profile = profile_of(checked)
    found = Findings()
    _check_page(found, checked, profile)
    _check_fonts(found, checked)
    _check_wording(found, document, checked)
    if house is not None:
        _check_money_in_words(found, checked, house)
    if profile is not PLAIN:
        _check_color(found, checked)
        _check_page_numbers(found, checked)
        table = _first_table(checked)
        header = _header_block(checked, table)
        layout = _layout(checked, table)
        minutes = layout.title is not None and skeleton(layout.title.text) == skeleton(MINUTES)
        _check_issuer(found, header, profile, house)
        if profile.party:
            _check_fixed_line(found, "national_title", header.right, PARTY_TITLE, profile.national,
                              "tiêu đề «Đảng Cộng sản Việt Nam»", rule_under=True)
        else:
            _check_fixed_line(found, "national_title", header.right, NATIONAL_TITLE, profile.national,
                              "Quốc hiệu", rule_under=False)
            _check_fixed_line(found, "motto", header.right, MOTTO, profile.motto, "Tiêu ngữ", rule_under=True)
        _check_number(found, header, profile, layout.title)
        _check_date(found, header, profile, required=not minutes)
        _check_title(found, layout, profile)
        _check_body(found, layout, profile)
        _check_end_mark(found, layout)
        _check_recipients(found, checked, profile)
        _check_tables_and_annex(found, checked, profile, (table, layout.closing))
        if minutes:
            _check_minutes(found, checked, layout)
        else:
            _check_signature(found, checked, layout, profile)
    return found.violations()


# Words of the program, not of an official text: never in a document the office sends.
# A clerk writes a figure in a cell ("ghi"), a program's user types it ("gõ"); a warning is
# weighed by what it says, not labelled as one ("đây là cảnh báo").
PROGRAM_WORDS = ("pipeline", "docxtpl", "số liệu đọc được", "None", "True", "False", "{{", "{%", "gõ",
                 "đây là cảnh báo", "nhấp đúp")
# Each a whole word in any case: "gõ" is not the end of "ngõ", "None" not the start of "Nonetheless".
_PROGRAM_WORD = re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" if word[0].isalnum() else re.escape(word)
                                    for word in PROGRAM_WORDS), re.IGNORECASE)
# A list of village-level kinds ("thôn, tiểu khu"): a document uses one such term throughout,
# capitalised at the start of a heading, its words held together by no-break spaces in a
# table's heading, broken across lines in a title. "Bản" and "khối" are also parts of other words:
# "văn bản, thôn", "biên bản, tiểu khu" and "sáp nhập tiểu khu, khối lượng công việc" hold no such kind.
_WORDS_BEFORE = {"bản": ("văn", "biên", "cơ", "căn", "kịch", "phiên", "nguyên", "tư", "xuất", "nhật")}
_WORDS_AFTER = {"bản": ("đồ", "sao", "chính", "án", "thân", "thảo", "quyền", "lĩnh", "chất", "vẽ", "tin", "mẫu"),
                "khối": ("lượng", "đại", "thi", "cơ", "u", "óc", "doanh", "nhà")}


def _kind_pattern(kind: str) -> str:
    before = "".join(f"(?<!{word} )" for word in _WORDS_BEFORE.get(kind, ()))
    after = "|".join(_WORDS_AFTER.get(kind, ()))
    return before + kind + (rf"\b(?! (?:{after})\b)" if after else "")


_VILLAGE_KIND = r"\b(?:" + "|".join(_kind_pattern(kind) for kind in sorted((kind.lower() for kind in VILLAGE_KINDS),
                                                                           key=len, reverse=True)) + r")\b"
_VILLAGE_TERM = re.compile(rf"{_VILLAGE_KIND}(?:, {_VILLAGE_KIND})+", re.IGNORECASE)


def village_terms(text: str) -> list[str]:
    """Each list of village-level kinds in `text`, in lower case on one line: `thôn, ấp, bản`."""
    if "," not in text:  # most cells of an annex: no list at all
        return []
    # Any run of spaces, line breaks or no-break spaces reads as one space.
    return [term.lower() for term in _VILLAGE_TERM.findall(" ".join(text.split()))]


# The portal shows a headline of at most this many characters whole.
HEADLINE_CHARS = 80
NEWS_HEADLINE_STYLE = "Tin - tiêu đề"
# An amount written in words: `(bằng chữ: …)`, not the `(bằng chữ số)` of a fix.
_IN_WORDS = re.compile(r"bằng chữ\s*:", re.IGNORECASE)
# A colon of the text, not one of a time (`10:30`).
_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n")
# How many amounts a document may write in words, by `style.money_in_words`.
_AMOUNTS_IN_WORDS = {"total": 1, "none": 0}


_PARENTHESIS = re.compile(r"\([^()]*\)")


def _doubled_colon(text: str) -> bool:
    """A sentence with two colons (`… trang Thôn): thôn “Tây”: …`) reads as a list inside a
    list; a colon inside parentheses (`(bằng chữ: …)`) is the aside's own."""
    if text.count(":") < 2:  # nearly every paragraph: nothing to split
        return False
    while (flat := _PARENTHESIS.sub("", text)) != text:
        text = flat
    return any(len(_COLON.findall(sentence)) > 1 for sentence in _SENTENCE_END.split(text))


def _check_money_in_words(found: Findings, checked: Checked, house: HouseRules) -> None:
    allowed = _AMOUNTS_IN_WORDS.get(house.money_in_words)
    if allowed is None:
        return
    written = [para for para in checked.all_paras for _ in _IN_WORDS.finditer(para.text)]
    if len(written) > allowed:
        wanted = "chỉ ghi bằng chữ tổng số tiền" if allowed else "không ghi số tiền bằng chữ"
        found.add("money_in_words", written[allowed].where,
                  f"văn bản ghi {len(written)} số tiền bằng chữ; theo cài đặt style.money_in_words "
                  f"(«{house.money_in_words}») {wanted}.")


def _check_wording(found: Findings, document: Any, checked: Checked) -> None:
    """What a reader sees in the words: program words, two names for the village
    level, money in words written as a form prompt or heaped up, a headline too long."""
    properties = document.core_properties
    for name in ("title", "author", "subject", "last_modified_by"):
        value = getattr(properties, name) or ""
        if any(word in value for word in ("pipeline", "docxtpl")):
            found.add("wording", f"thuộc tính tệp «{name}»", f"ghi «{value}»: cần trích yếu và cơ quan ban hành.")
    terms: dict[str, str] = {}
    for para in checked.all_paras:
        text = para.text
        for word in dict.fromkeys(_PROGRAM_WORD.findall(text)):
            found.add("wording", para.where, f"có chữ «{word}» của chương trình, không phải lời văn bản.")
        for term in village_terms(text):
            terms.setdefault(term, para.where)
        if "(Bằng chữ:" in text:
            found.add("wording", para.where, "«bằng chữ» viết thường trong câu: «(bằng chữ: …)».")
        if _doubled_colon(text):
            found.add("wording", para.where, "một câu có hai dấu hai chấm; viết lại cho còn một.")
        if text.lower().count("bằng chữ") > 2:
            found.add("wording", para.where, "quá nhiều số tiền bằng chữ trong một đoạn; chỉ ghi cho tổng số.")
        style = checked.styles.paragraph_style(para.element) if len(text) > HEADLINE_CHARS else None
        if style and checked.styles.name(style) == NEWS_HEADLINE_STYLE:
            found.add("wording", para.where, f"tiêu đề tin bài dài {len(text)} ký tự; tối đa {HEADLINE_CHARS}.")
    if len(terms) > 1:
        found.add("wording", next(iter(terms.values())),
                  "văn bản gọi cấp dưới xã bằng nhiều cách: " + "; ".join(f"«{t}»" for t in terms) + ".")


def check_workbook(path: Path) -> list[Violation]:
    """A workbook the office prints: A4 landscape, one page wide, the header row
    repeated, Nghị định 30's margins, Times New Roman."""
    try:
        workbook = read_printed_workbook(path)
    except PrintedWorkbookError as error:
        return [Violation("file", str(path), f"không mở được tệp như một bảng tính Excel (.xlsx): {error}.")]
    found = Findings()
    for sheet in workbook.sheets:
        where = f"trang tính «{sheet.title}»"
        if sheet.orientation != "landscape" or sheet.paper_size != A4_PAPER:
            found.add("print", where, "cần in khổ A4, trang ngang.")
        if not (sheet.fit_to_page and sheet.fit_to_width == 1 and sheet.fit_to_height == 0):
            found.add("print", where, "cần co vừa một trang theo chiều ngang (Fit to 1 page wide).")
        titles = sheet.title_rows
        if titles is None:
            found.add("print", where, "cần lặp lại dòng tiêu đề cột ở đầu mỗi trang in.")
        elif (header := _header_rows(sheet, titles)) != titles:
            found.add("print", where, f"chỉ lặp lại dòng {titles[0]}–{titles[1]} ở đầu mỗi trang in; tiêu đề cột "
                                      f"gồm dòng {header[0]}–{header[1]}: cần lặp lại cả.")
        # Judged as the landscape page it must be (a portrait one is reported above).
        problems = margin_problems({side: round(inches * 25.4, 1) for side, inches in sheet.margins.items()}, True)
        if problems:
            found.add("print", where, "lề trang in: " + "; ".join(problems) + ".")
        if sheet.fonts - {FONT}:
            names = sorted(font or "(không tên)" for font in sheet.fonts)
            found.add("fonts", where, f"phông chữ {', '.join(names)}; cần {FONT}.")
    if any(word in workbook.creator for word in ("pipeline", "openpyxl")):
        found.add("wording", "thuộc tính tệp «creator»", "cần cơ quan ban hành.")
    return found.violations()


def _header_rows(sheet: PrintedSheet, titles: tuple[int, int]) -> tuple[int, int]:
    """The rows of the header the print `titles` are in: as far up and down as a heading
    merged over those rows reaches, and down to the auto filter's row (the header's last)."""
    first, last = titles
    for top, bottom in sheet.merged_rows:
        if top <= last and bottom >= first:
            first, last = min(first, top), max(last, bottom)
    if sheet.filter_row is not None:
        last = max(last, sheet.filter_row)
    return first, last


def closing_texts(document: Any) -> list[str]:
    """What closes a document's text: its signature table (`Nơi nhận` | the signer, or
    the minutes' `THƯ KÝ` | `CHỦ TỌA`) and everything after it in its section (the
    minutes' `Nơi nhận`); in a text without one (the news item), its last paragraph,
    the byline. Empty paragraphs left out."""
    sections: list[list[Any]] = [[]]
    for block in _blocks(document.element.body):
        sections[-1].append(block)
        if block.tag == qn("w:p") and block.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            sections.append([])
    for blocks in sections:
        start = next((i for i, b in enumerate(blocks) if b.tag == qn("w:tbl") and _signature_table(b)), None)
        if start is not None:
            texts = [paragraph_text(p) for block in blocks[start:] for p in block.iter(qn("w:p"))]
            return [text for text in texts if text.strip()]
    last = [text for p in sections[0] if p.tag == qn("w:p") and (text := paragraph_text(p)).strip()]
    return last[-1:]


def header_lines(document: Any) -> list[str]:
    """The lines of the header's left column above the number line (the parent body,
    the issuer), as the .docx breaks them; none in a text without a header table."""
    first = next((b for b in _blocks(document.element.body) if b.tag == qn("w:tbl") or paragraph_text(b).strip()),
                 None)
    if first is None or first.tag != qn("w:tbl"):
        return []
    lines: list[str] = []
    for _, column, tc in _cells(first):
        for p in tc.iter(qn("w:p")) if column == 1 else ():
            text = paragraph_text(p)
            if re.match(r"\s*Số\b", text):
                return lines
            lines += [line.strip() for line in text.split("\n") if skeleton(line)]
    return lines


# An amount with thousands points (`1.139`, `204.252.050.500`), whole: not a piece of a longer one.
_AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d]|\.\d)")


def check_pages(document: Path, pdf: Path) -> list[Violation]:
    """The rules on the PDF copy of a document (LibreOffice's layout, read back with
    pdftotext): `issuer_lines` as printed, `number_break`, `page_alone`."""
    from pipeline.render.pdf import PdfError, page_texts

    try:
        pages = page_texts(pdf)
    except PdfError as error:
        return [Violation("file", pdf.name, str(error))]
    opened = Document(str(document))
    found = Findings()
    _check_printed_header(found, opened, pdf, pages)
    _check_broken_amounts(found, opened, pdf, pages)
    _check_lonely_closing(found, opened, pdf, pages)
    return found.violations()


def _check_printed_header(found: Findings, document: Any, pdf: Path, pages: list[str]) -> None:
    """Each line of the header's left column prints as one line, not broken again where
    its column is too narrow (`TỈNH AN` / `GIANG`)."""
    printed = {skeleton(line) for line in pages[0].splitlines()} if pages else set()
    for line in header_lines(document) if pages else ():
        if skeleton(line) not in printed:
            found.add("issuer_lines", f"{pdf.name}, trang 1",
                      f"dòng «{line}» ở phần đầu văn bản dài hơn cột nên in ra bị ngắt giữa chừng; ghi tên thành "
                      f"các dòng như cán bộ vẫn ngắt (issuer.name trong don-vi-bao-cao.yaml: mỗi dòng một gạch đầu "
                      f"dòng, ví dụ «ỦY BAN NHÂN DÂN» / «TỈNH …»).")


def _check_broken_amounts(found: Findings, document: Any, pdf: Path, pages: list[str]) -> None:
    """An amount alone in a table cell prints whole, not broken across lines in a column
    too narrow for it (`204.252.050.50` / `0`). An amount printed whole fewer times than
    the document writes it was broken somewhere; a cell is where a column can be too
    narrow (a sentence wraps between words)."""
    body = document.element.body
    written = Counter(amount for p in body.iter(qn("w:p")) for amount in _AMOUNT.findall(paragraph_text(p)))
    printed = Counter(amount for page in pages for amount in _AMOUNT.findall(page))
    broken: dict[str, Any] = {}
    for tc in body.iter(qn("w:tc")):
        for p in tc.iter(qn("w:p")):
            text = paragraph_text(p).strip()
            if _AMOUNT.fullmatch(text) and printed[text] < written[text]:
                broken.setdefault(text, p)
    where = paragraph_locations(body) if broken else {}
    for amount, p in broken.items():
        found.add("number_break", f"{pdf.name}, {where.get(p, 'bảng')}",
                  f"số «{amount}» in ra bị ngắt xuống dòng giữa chừng; cần nới rộng cột.")


def _check_lonely_closing(found: Findings, document: Any, pdf: Path, pages: list[str]) -> None:
    """No page holds only what closes the text (the signature, `Nơi nhận`, a byline),
    cut off from the text it closes: a page whose every line, the page number aside, is
    part of a closing paragraph."""
    closing = [key for key in map(skeleton, closing_texts(document)) if key]
    for number, page in enumerate(pages, start=1):
        lines = [key for key in map(skeleton, page.splitlines()) if key and key != str(number)]
        if closing and lines and all(any(line in key for key in closing) for line in lines):
            found.add("page_alone", f"{pdf.name}, trang {number}",
                      "trang này chỉ có phần ký (chữ ký, nơi nhận), tách khỏi đoạn cuối của nội dung; "
                      "cần giữ phần ký cùng trang với đoạn kết thúc.")


# The versions of a document written beside it for other uses (the news item's for
# a portal's editor and for e-mail): same stem, these suffixes.
TEXT_VERSIONS = (".html", ".txt")
_TAG = re.compile(r"<[^>]+>")


def text_versions(document: Path) -> list[Path]:
    """The text versions beside `document` (`tin-bai.html`, `tin-bai.txt`): written by
    the same run, in whatever order its jobs finish."""
    return [version for version in map(document.with_suffix, TEXT_VERSIONS) if version.is_file()]


def check_text_version(path: Path) -> list[Violation]:
    """A text version of a document under the wording rules of the .docx: no program
    words, one name for the village level; a .txt's first line, the headline, at most
    HEADLINE_CHARS; an HTML fragment with no `<h1>` (a portal takes the headline in a
    field of its own)."""
    try:
        raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return [Violation("file", str(path), f"không đọc được tệp chữ (UTF-8): {error}.")]
    found = Findings()
    html = path.suffix == ".html"
    if html and re.search(r"<h1\b", raw, re.IGNORECASE):
        found.add("wording", path.name, "đoạn HTML có thẻ <h1>: tiêu đề nhập ở ô tiêu đề của cổng thông tin, "
                                        "không để trong nội dung.")
    lines = [line.strip() for line in (_TAG.sub(" ", raw) if html else raw).splitlines() if line.strip()]
    if not html and lines and len(lines[0]) > HEADLINE_CHARS:
        found.add("wording", f"{path.name}, dòng 1", f"tiêu đề tin bài dài {len(lines[0])} ký tự; tối đa "
                                                     f"{HEADLINE_CHARS}.")
    terms: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        for word in dict.fromkeys(_PROGRAM_WORD.findall(line)):
            found.add("wording", f"{path.name}, dòng {number}", f"có chữ «{word}» của chương trình, không phải lời văn bản.")
        for term in village_terms(line):
            terms.setdefault(term, f"{path.name}, dòng {number}")
    if len(terms) > 1:
        found.add("wording", next(iter(terms.values())),
                  "văn bản gọi cấp dưới xã bằng nhiều cách: " + "; ".join(f"«{t}»" for t in terms) + ".")
    return found.violations()


def pdf_copy(document: Path) -> Path | None:
    """The PDF made from `document` beside it (`python -m pipeline pdf`, `--pdf`), when
    it is not older than the document."""
    pdf = document.with_suffix(".pdf")
    if pdf.is_file() and pdf.stat().st_mtime >= document.stat().st_mtime:
        return pdf
    return None


def check_paths(paths: Sequence[Path], on_done: Callable[[int, int, float], None] | None = None,
                house: HouseRules | None = None, pages: bool = True) -> dict[Path, list[Violation]]:
    """Word documents (with the office's settings `house`, when known; their text
    versions beside them; with `pages`, their pages in the PDF copy beside them if
    there is one) and, by their suffix, workbooks; for a progress bar, `on_done(done,
    total, share)` after each and while a document's paragraphs are checked (its text
    versions and PDF pages are checked at the end of its share), `share` the part of the
    work done, counted by the files' sizes: a national report is most of it."""
    paths = [Path(path) for path in paths]
    sizes = [_size(path) for path in paths]
    whole = sum(sizes)
    results: dict[Path, list[Violation]] = {}
    checked_bytes = 0
    for done, (path, size) in enumerate(zip(paths, sizes), start=1):
        if path.suffix == ".xlsx":
            results[path] = check_workbook(path)
        else:
            within = _share_of(on_done, done - 1, len(paths), checked_bytes, size, whole) if on_done else None
            results[path] = check_document(path, house, within)
            for version in text_versions(path):
                results[path] += check_text_version(version)
            pdf = pdf_copy(path) if pages else None
            if pdf is not None and not any(v.rule == "file" for v in results[path]):
                results[path] += check_pages(path, pdf)
        checked_bytes += size
        if on_done:
            on_done(done, len(paths), checked_bytes / whole)
    return results


def _size(path: Path) -> int:
    """What a file weighs in the check's progress: its bytes, at least one (a file
    that cannot be read is checked too, and fails at once)."""
    try:
        return max(1, path.stat().st_size)
    except OSError:
        return 1


def _share_of(on_done: Callable[[int, int, float], None], done: int, total: int, before: int, size: int,
              whole: int) -> Callable[[float], None]:
    """A document's own progress (a share of its check) as the share of the whole check."""
    return lambda share: on_done(done, total, (before + share * size) / whole)


def format_report(results: Mapping[Path, Sequence[Violation]]) -> str:
    """Vietnamese report grouped by file, ending with a one-line summary."""
    lines = []
    for path, violations in results.items():
        if not violations:
            lines.append(f"{path}: Không có lỗi thể thức.")
            continue
        lines.append(f"{path}: {len(violations)} lỗi thể thức")
        lines.extend(f"  - [{v.rule}] {v.text()}" for v in violations)
    failed = sum(1 for v in results.values() if v)
    lines.append(f"Đã kiểm tra {len(results)} tệp: {failed} tệp có lỗi thể thức." if failed
                 else f"Đã kiểm tra {len(results)} tệp: không có lỗi thể thức.")
    return "\n".join(lines)
