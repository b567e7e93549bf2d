"""Scaffold the Word templates once (report, conference minutes, news item, feedback sheet).

The report is the báo cáo sơ kết; the minutes of the review conference (biên
bản hội nghị) come in a state and a Party layout; the news item (tin bài) is a
plain draft for the district portal; the feedback sheet (phiếu phản hồi) is the
office's notice to a commune about the return it sent.

Run ``python -m tools.build_templates`` to (re)create every template in
``templates_docx/`` (``--only NAME`` for one): docxtpl (Jinja-in-Word) templates
laid out after Nghị định 30/2020/NĐ-CP, Phụ lục I, and for the Party minutes
after Hướng dẫn 36-HD/VPTW.

This script only scaffolds the templates. After the first build the .docx in
templates_docx/ is the source: the office's specialist edits it in Word
(styles "VB …", "Tin …", wording, spacing). Rerunning this script DISCARDS those
edits.

The templates never compute or format anything: every context value is a
ready-made string (or a list of strings / dicts of strings) prepared in Python.
Variables used by the report (``pipeline/documents/report.py``):

    doc.parent_body, doc.issuer (line breaks as "\n"), doc.number_line, doc.place_date,
    doc.type_name, doc.subject (broken into lines), doc.addressee, doc.issuer_short,
    doc.signer.authority / deputy (may be "") / title / name, doc.recipients[],
    doc.title and doc.author (the file's core properties),
    kinds.villages, kinds.villages_unbroken, kinds.communes_heading, kinds.villages_heading (headings:
    no break inside a term), period.stage,
    intro[], direction[], results.receipt[] / commune[] / village[] / merge[] /
    severance[], legal_basis (may be ""), advantages[], difficulties[], causes[], tasks[], proposals[],
    annex.label, annex.title, annex.subtitle, annex.villages_target (true: a column of villages
    over the target), annex.rows[{...}], annex.totals{...},
    merges_annex.rows[{no, commune, former, into}] (empty: no second annex), merges_annex.label /
    title / commune_heading / former_heading / into_heading, merges_annex.totals{name, former, into}

by both minutes (``pipeline/documents/minutes.py``):

    doc.parent_body, doc.issuer, doc.number_line, doc.place_date (Party only),
    doc.type_name, doc.subject, doc.recipients[], meeting.start, meeting.venue,
    meeting.attendees[], meeting.chair, meeting.secretary,
    meeting.proceedings[{text, figures[]}], meeting.opinions[{speaker, points[]}],
    meeting.concluded_by, meeting.conclusions[], meeting.end,
    signers.secretary, signers.chair

by the news item (``pipeline/documents/news.py``):

    doc.title, doc.author, news.headline, news.lead, news.photo_caption (may be ""),
    news.photo_placeholder, news.paragraphs[], news.byline

and by the feedback sheet (``pipeline/documents/feedback.py``), whose ``doc`` is shaped
as the report's:

    doc.parent_body, doc.issuer, doc.number_line, doc.place_date, doc.type_name,
    doc.subject, doc.signer.*, doc.recipients[] (the commune's People's Committee first),
    sheet.intro[], sheet.problems[{no, sheet, cell, found, expected, fix}],
    sheet.confirms, sheet.commune,
    sheet.villages_heading, sheet.villages[{no, name, kind, merged_from, titles,
    people_before, people_after}], sheet.village_totals.{label, titles, people_before,
    people_after}, sheet.severances[{no, full_name, level, title, form, amount, paid_on}],
    sheet.severance_total, sheet.checks_intro, sheet.checks[], sheet.notes[], sheet.closing

The output is deterministic (fixed core properties and zip timestamps).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from functools import partial
from pathlib import Path

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Cm, Pt

from pipeline.documents.news import HEADLINE_LINE_CHARS
from pipeline.intake.contract import SEVERANCE_COLUMNS, VILLAGE_COLUMNS
from tools.build_templates import docx_layout as L

CellSpec, HeaderCell, Line, Loop, Rule, Span, Tag = (L.CellSpec, L.HeaderCell, L.Line, L.Loop, L.Rule,
                                                     L.Span, L.Tag)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates_docx"
REPORT_PATH = TEMPLATES / "bao-cao-so-ket.docx"

BODY_INDENT = Cm(1.27)
BODY_LINE_SPACING = 1.2
# Table rows at 11 pt on an exact 13-pt line: 25 communes, the heading rows and
# the total fit one landscape annex page.
TABLE_LINE = Pt(13)

# Rules. "Độc lập - Tự do - Hạnh phúc" in Times New Roman 14 pt bold measures
# 6.04 cm (measured on a LibreOffice PDF with Liberation Serif, which has the
# same metrics); its rule is that long.
MOTTO_RULE = Cm(6.05)
# Under the issuer: about 1/3–1/2 of the issuer's line.
ISSUER_RULE = Cm(2.5)
# Under the trích yếu: a short rule.
SUBJECT_RULE = Cm(4.0)
SUBJECT_RULE_GAP = Pt(4)
# The text that follows the rule directly (the minutes' first field, a notice's first
# paragraph) stands clear of it; the report's "Kính gửi" has room of its own.
SUBJECT_RULE_AFTER = Pt(12)
# "ĐẢNG CỘNG SẢN VIỆT NAM" in Times New Roman 15 pt bold measures 7.29 cm
# (measured like the motto); Hướng dẫn 36 puts a rule as long under it.
PARTY_TITLE_RULE = Cm(7.3)
# The Party header's lines are 14 pt: "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" measures 7.05 cm
# and the date line 7.93 cm, so the columns of Mẫu 1.4 (6.75 + 10 cm) are shared
# out differently over the same width.
PARTY_HEADER_WIDTHS = (Cm(7.75), Cm(9.0))

# Annex table (A4 landscape text width 29.7 − 2 − 2 = 25.7 cm), 14 columns, or 13
# without the villages over the target (no village target set): the name takes its width.
# "Trước", "sau" are before and after the arrangement the title names.
# The amount paid is as wide as a national total in bold ("9.999.999.999.999") on one
# line: an amount broken across lines is misread.
# The columns under "Trước", "Sau", "Giảm" hold a district's total in bold; the two
# headed by a phrase ("Số chức danh", "Thôn, tiểu khu chưa đạt") are wide enough for a
# word a line.
# Two lines of the heading style (11 pt Times New Roman, single spacing: 12.2 pt a line), rounded up.
ANNEX_HEADING_TWO_LINES = Pt(25)
ANNEX_NAME_WIDTH = 4.5
ANNEX_COUNT_WIDTH = 2.0
ANNEX_WIDTHS = [Cm(w) for w in (
    1.0, ANNEX_NAME_WIDTH,        # STT, Tên đơn vị
    2.0, 1.5, 1.5, 1.5,           # cấp xã: chức danh, người trước/sau/giảm
    1.5, 1.5, 1.5, 1.5, 1.5, ANNEX_COUNT_WIDTH,  # thôn: số thôn trước/sau, người trước/sau/giảm, thôn chưa đạt
    1.5, 3.4,                     # thôi việc: số người, số tiền
)]
# The second annex, the merged villages (same page): STT, commune, the villages
# merged, the village they formed.
MERGES_WIDTHS = [Cm(w) for w in (1.2, 5.0, 13.5, 6.0)]
ANNEX_NUMBER_KEYS = (
    "commune_titles", "people_before", "people_after", "reduction",
    "villages_before", "villages_after", "village_people_before", "village_people_after",
    "village_reduction", "villages_over_target", "severance_cases", "severance_paid",
)
ANNEX_OVER_TARGET = ANNEX_NUMBER_KEYS.index("villages_over_target")

# (name, style id, options). Every size is explicit; fonts come from the helper.
STYLES = [
    # header table
    ("VB Cơ quan chủ quản", "VBCoQuanChuQuan", dict(size_pt=13, align="center")),
    ("VB Cơ quan ban hành", "VBCoQuanBanHanh", dict(size_pt=13, bold=True, align="center")),
    ("VB Số, ký hiệu", "VBSoKyHieu", dict(size_pt=13, align="center", space_before=6)),
    ("VB Quốc hiệu", "VBQuocHieu", dict(size_pt=13, bold=True, align="center")),
    ("VB Tiêu ngữ", "VBTieuNgu", dict(size_pt=14, bold=True, align="center")),
    ("VB Địa danh, ngày tháng", "VBDiaDanhNgayThang",
     dict(size_pt=14, italic=True, align="center", space_before=6)),
    # title block
    ("VB Tên loại", "VBTenLoai", dict(size_pt=14, bold=True, align="center", space_before=18,
                                      keep_with_next=True)),
    ("VB Trích yếu", "VBTrichYeu", dict(size_pt=14, bold=True, align="center",
                                        keep_with_next=True)),
    ("VB Kính gửi", "VBKinhGui", dict(size_pt=14, align="center", space_before=12,
                                      space_after=12)),
    # body
    ("VB Nội dung", "VBNoiDung", dict(size_pt=14, align="justify", first_line_indent=BODY_INDENT,
                                      space_after=6, line_spacing=BODY_LINE_SPACING)),
    # The last paragraph before the closing line (the report's last kiến nghị, the
    # minutes' last conclusion) stays on the signatures' page: no page holds the
    # signatures alone, and the text before it flows, leaving no page half empty.
    ("VB Nội dung - trang ký", "VBNoiDungTrangKy", dict(size_pt=14, align="justify", first_line_indent=BODY_INDENT,
                                                        space_after=6, line_spacing=BODY_LINE_SPACING,
                                                        keep_with_next=True)),
    ("VB Nội dung nghiêng", "VBNoiDungNghieng",
     dict(size_pt=14, italic=True, align="justify", first_line_indent=BODY_INDENT,
          space_after=6, line_spacing=BODY_LINE_SPACING, keep_with_next=True)),
    # Headings start at the margin and are not justified (a short heading
    # stretched over the line reads badly).
    ("VB Đề mục I", "VBDeMucI", dict(size_pt=14, bold=True, align="left", space_before=6,
                                     space_after=6, line_spacing=BODY_LINE_SPACING,
                                     keep_with_next=True, outline_level=1)),
    ("VB Đề mục 1", "VBDeMuc1", dict(size_pt=14, bold=True, align="left", space_after=6,
                                     line_spacing=BODY_LINE_SPACING, keep_with_next=True,
                                     outline_level=2)),
    ("VB Kết thúc", "VBKetThuc", dict(size_pt=14, align="justify", first_line_indent=BODY_INDENT,
                                      space_after=12, line_spacing=BODY_LINE_SPACING,
                                      keep_with_next=True)),
    # Nơi nhận and signature
    ("VB Nơi nhận", "VBNoiNhan", dict(size_pt=12, bold=True, italic=True, align="left")),
    ("VB Nơi nhận - dòng", "VBNoiNhanDong", dict(size_pt=11, align="left")),
    ("VB Chữ ký - chức vụ", "VBChuKyChucVu", dict(size_pt=14, bold=True, align="center",
                                                   keep_with_next=True)),
    # ~4.5 blank lines for signature and seal above the name.
    ("VB Chữ ký - họ tên", "VBChuKyHoTen", dict(size_pt=14, bold=True, align="center",
                                                 space_before=72)),
    # annex
    ("VB Phụ lục", "VBPhuLuc", dict(size_pt=14, bold=True, align="center", keep_with_next=True)),
    ("VB Phụ lục - tên", "VBPhuLucTen", dict(size_pt=13, bold=True, align="center",
                                             keep_with_next=True)),
    ("VB Phụ lục - ghi chú", "VBPhuLucGhiChu", dict(size_pt=13, italic=True, align="center",
                                                    space_after=6, keep_with_next=True)),
    ("VB Bảng - đầu cột", "VBBangDauCot", dict(size_pt=11, bold=True, align="center")),
    ("VB Bảng - chữ", "VBBangChu", dict(size_pt=11, align="left", line_spacing=TABLE_LINE, exact_line=True)),
    ("VB Bảng - giữa", "VBBangGiua", dict(size_pt=11, align="center", line_spacing=TABLE_LINE, exact_line=True)),
    ("VB Bảng - số", "VBBangSo", dict(size_pt=11, align="right", line_spacing=TABLE_LINE, exact_line=True)),
    ("VB Bảng - tổng cộng", "VBBangTongCong", dict(size_pt=11, bold=True, align="center",
                                                   line_spacing=TABLE_LINE, exact_line=True)),
    ("VB Bảng - số tổng", "VBBangSoTong", dict(size_pt=11, bold=True, align="right",
                                               line_spacing=TABLE_LINE, exact_line=True)),
]


StyleSpec = tuple[str, str, dict]


def reused(name: str, **changes) -> StyleSpec:
    """A report style, by name, with some options changed: the documents share
    style names, so the office finds "VB Nội dung" wherever it edits."""
    found = next(spec for spec in STYLES if spec[0] == name)
    return found[0], found[1], {**found[2], **changes}


BODY_STYLES = [reused(name) for name in ("VB Nội dung", "VB Nội dung nghiêng", "VB Kết thúc",
                                         "VB Chữ ký - chức vụ", "VB Chữ ký - họ tên")]

# Mẫu 1.9: the header without a place-and-date line; Nơi nhận under the signatures.
MINUTES_STYLES = [
    *(reused(name) for name in ("VB Cơ quan chủ quản", "VB Cơ quan ban hành", "VB Số, ký hiệu",
                                "VB Quốc hiệu", "VB Tiêu ngữ", "VB Tên loại", "VB Trích yếu")),
    *BODY_STYLES,
    reused("VB Nội dung - trang ký"),
    reused("VB Nơi nhận", space_before=12),
    reused("VB Nơi nhận - dòng"),
]

# Hướng dẫn 36-HD/VPTW (reference §2): header lines 14, the Party's title 15 bold,
# tên loại 16 bold. The five hyphens under the trích yếu and the underlined
# "Nơi nhận" at 14 follow the Party's own samples.
PARTY_MINUTES_STYLES = [
    reused("VB Cơ quan chủ quản", size_pt=14),
    reused("VB Cơ quan ban hành", size_pt=14),
    ("VB Dấu sao", "VBDauSao", dict(size_pt=14, align="center")),
    reused("VB Số, ký hiệu", size_pt=14),
    ("VB Tiêu đề Đảng", "VBTieuDeDang", dict(size_pt=15, bold=True, align="center")),
    reused("VB Địa danh, ngày tháng"),
    reused("VB Tên loại", size_pt=16),
    reused("VB Trích yếu"),
    ("VB Gạch dưới trích yếu", "VBGachDuoiTrichYeu", dict(size_pt=14, align="center", space_after=6)),
    *BODY_STYLES,
    reused("VB Nội dung - trang ký"),
    reused("VB Nơi nhận", size_pt=14, bold=False, italic=False, underline=True, space_before=12),
    reused("VB Nơi nhận - dòng", size_pt=12),
]

# A plain draft as portals lay items out: bold headline and lead, italic byline.
NEWS_STYLES = [
    ("Tin - tiêu đề", "TinTieuDe", dict(size_pt=16, bold=True, align="center", space_after=12,
                                        keep_with_next=True)),
    ("Tin - mở đầu", "TinMoDau", dict(size_pt=14, bold=True, align="justify", space_after=6,
                                      line_spacing=BODY_LINE_SPACING)),
    ("Tin - ảnh", "TinAnh", dict(size_pt=13, align="center", space_before=6, keep_with_next=True)),
    ("Tin - chú thích ảnh", "TinChuThichAnh", dict(size_pt=13, italic=True, align="center",
                                                   space_after=6)),
    ("Tin - nội dung", "TinNoiDung", dict(size_pt=14, align="justify", first_line_indent=Cm(1),
                                          space_after=6, line_spacing=BODY_LINE_SPACING)),
    # The last paragraph holds on to the byline, which never starts a page alone.
    ("Tin - đoạn cuối", "TinDoanCuoi", dict(size_pt=14, align="justify", first_line_indent=Cm(1), space_after=6,
                                             line_spacing=BODY_LINE_SPACING, keep_with_next=True)),
    ("Tin - tác giả", "TinTacGia", dict(size_pt=14, italic=True, align="right", space_before=6)),
]


def define_styles(doc, styles: list[StyleSpec] = STYLES) -> None:
    L.define_base_styles(doc, size_pt=14)
    for name, style_id, options in styles:
        L.define_paragraph_style(doc, name, style_id, **options)
    keep = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "Header",
            L.TAG_STYLE_ID, L.RULE_STYLE_ID} | {sid for _, sid, _ in styles}
    L.prune_styles(doc, keep)
    L.apply_font_to_styles(doc)


# The cơ quan chủ quản's line, left out when there is none: the issuer's name then
# stands level with the Quốc hiệu, as a body without a parent writes it.
PARENT_BODY = (Tag("if doc.parent_body"), Line("{{ doc.parent_body }}", "VB Cơ quan chủ quản"), Tag("endif"))


def add_header(doc, dated: bool = True, parent: tuple = PARENT_BODY) -> None:
    """The state header (Nghị định 30): issuer, Quốc hiệu and Tiêu ngữ, the number line
    and, when `dated`, the place-and-date line (minutes, Mẫu 1.9, have none). `parent`:
    the cơ quan chủ quản's line (the feedback sheet's, issued by a unit under the
    People's Committee, always has one and is built with the line unconditional)."""
    L.add_header_table(
        doc,
        left_lines=[
            *parent,
            Line("{{ doc.issuer }}", "VB Cơ quan ban hành"),
            Rule(ISSUER_RULE),
        ],
        right_lines=[
            Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "VB Quốc hiệu"),
            Line("Độc lập - Tự do - Hạnh phúc", "VB Tiêu ngữ"),
            Rule(MOTTO_RULE),
        ],
        bottom_left=[Line("{{ doc.number_line }}", "VB Số, ký hiệu")],
        bottom_right=[Line("{{ doc.place_date }}", "VB Địa danh, ngày tháng")] if dated else (),
    )


def add_title_block(doc, addressed: bool = True) -> None:
    """Tên loại, trích yếu and its rule; `Kính gửi:` when the document is `addressed`
    (a report sent upward), not for a notice, whose Nơi nhận names who gets it."""
    body_width = L.text_width(doc.sections[-1])
    L.add_line(doc, "{{ doc.type_name }}", "VB Tên loại")
    L.add_line(doc, "{{ doc.subject }}", "VB Trích yếu")
    # The rule stands clear of the descenders of the line above.
    rule = L.add_rule(doc, SUBJECT_RULE, body_width).paragraph_format
    rule.space_before = SUBJECT_RULE_GAP
    if addressed:
        L.add_line(doc, ["Kính gửi: ", "{{ doc.addressee }}", "."], "VB Kính gửi")
    else:
        rule.space_after = SUBJECT_RULE_AFTER


def body(seq: str) -> Loop:
    return Loop("p", seq, "VB Nội dung")


def add_content(doc) -> None:
    I, one = "VB Đề mục I", "VB Đề mục 1"
    L.add_items(doc, [
        body("intro"),
        Line("I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN", I),
        body("direction"),
        Line("II. KẾT QUẢ THỰC HIỆN", I),
        body("results.receipt"),
        Line("1. Sắp xếp người hoạt động không chuyên trách cấp xã", one),
        body("results.commune"),
        # Broken as a title is, in balanced lines: never "… ở thôn, / tiểu khu" (a term alone).
        # (One run: the filter breaks text, not a run's markup.)
        Line("{% filter title_lines %}2. Sắp xếp {{ kinds.villages }} và người hoạt động không chuyên trách "
             "ở {{ kinds.villages }}{% endfilter %}", one),
        body("results.village"),
        Line("3. Sáp nhập đơn vị hành chính cấp xã", one),
        body("results.merge"),
        Line("4. Thực hiện chế độ, chính sách đối với người thôi việc, nghỉ việc", one),
        Tag("if legal_basis"),
        Line("{{ legal_basis }}", "VB Nội dung"),
        Tag("endif"),
        body("results.severance"),
        Line("III. ĐÁNH GIÁ CHUNG", I),
        Line("1. Ưu điểm", one),
        body("advantages"),
        Line("2. Tồn tại, hạn chế và nguyên nhân", one),
        body("difficulties"),
        Tag("if causes"),
        Line("Nguyên nhân:", "VB Nội dung nghiêng"),
        Tag("endif"),
        body("causes"),
        Line("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", I),
        body("tasks"),
        Line("V. KIẾN NGHỊ, ĐỀ XUẤT", I),
        Loop("p", "proposals", "VB Nội dung", last_style="VB Nội dung - trang ký"),
        Line(["Trên đây là báo cáo sơ kết ", "{{ period.stage }}",
              " việc sắp xếp người hoạt động không chuyên trách ở cấp xã, ",
              "{{ kinds.villages }}", " của ", "{{ doc.issuer_short }}", ", kính báo cáo ",
              "{{ doc.addressee }}", "./."],
             "VB Kết thúc"),
    ])


def add_signature(doc) -> None:
    L.add_signature_table(
        doc,
        left_items=[
            Line("Nơi nhận:", "VB Nơi nhận"),
            Loop("r", "doc.recipients", "VB Nơi nhận - dòng"),
        ],
        right_items=[
            Tag("if doc.signer.authority"),
            Line("{{ doc.signer.authority }}", "VB Chữ ký - chức vụ"),
            Tag("endif"),
            Tag("if doc.signer.deputy"),
            Line("{{ doc.signer.deputy }}", "VB Chữ ký - chức vụ"),
            Tag("endif"),
            Line("{{ doc.signer.title }}", "VB Chữ ký - chức vụ"),
            Line("{{ doc.signer.name }}", "VB Chữ ký - họ tên"),
        ],
    )


def add_annex(doc) -> None:
    # Nghị định 30/2020/NĐ-CP, Phụ lục I (phụ lục văn bản): the pages of an annex
    # are numbered on their own, from 1; as on the report, its first page shows none.
    L.add_section(doc, landscape=True, header_distance=Cm(1.5), restart_numbering=True)
    L.add_line(doc, "{{ annex.label }}", "VB Phụ lục")
    L.add_line(doc, "{{ annex.title }}", "VB Phụ lục - tên")
    L.add_line(doc, "{{ annex.subtitle }}", "VB Phụ lục - ghi chú")

    # Two tables, one shown: with the column of villages over the target when one is set.
    L.add_tag(doc, "if annex.villages_target")
    add_annex_table(doc, over_target=True)
    L.add_tag(doc, "else")
    add_annex_table(doc, over_target=False)
    L.add_tag(doc, "endif")
    # The body must not end on a table; a 3-pt paragraph closes it.
    doc.add_paragraph(style=L.RULE_STYLE)


def add_annex_table(doc, *, over_target: bool) -> None:
    """The annex table; without `over_target`, the column of villages over the target
    is left out and its width goes to the units' names."""
    widths, keys = list(ANNEX_WIDTHS), list(ANNEX_NUMBER_KEYS)
    if not over_target:
        del widths[2 + ANNEX_OVER_TARGET], keys[ANNEX_OVER_TARGET]
        widths[1] = Cm(ANNEX_NAME_WIDTH + ANNEX_COUNT_WIDTH)
    table = L.add_grid_table(doc, widths)
    # Three heading rows, so that the narrow columns are headed by one word each
    # ("Trước", "Sau", "Giảm") under what they count ("Số người", "Số thôn, tiểu khu").
    # The village columns name the kinds they count: "đơn vị" would read as the communes.
    over = [HeaderCell("{{ kinds.villages_heading }} chưa đạt", rows=2)] if over_target else []
    header = L.add_header_rows(table, [
        [HeaderCell("STT", rows=3), HeaderCell("{{ kinds.communes_heading }}", rows=3),
         HeaderCell("Cấp xã", cols=4), HeaderCell("{{ kinds.villages_heading }}", cols=6 if over_target else 5),
         HeaderCell("Thôi việc, nghỉ việc", cols=2)],
        [HeaderCell("Số chức danh", rows=2), HeaderCell("Số người", cols=3), HeaderCell("Số {{ kinds.villages_unbroken }}", cols=2),
         HeaderCell("Số người", cols=3), *over, HeaderCell("Số người", rows=2),
         HeaderCell("Số tiền đã chi trả (đồng)", rows=2)],
        [HeaderCell(t) for t in ("Trước", "Sau", "Giảm", "Trước", "Sau", "Trước", "Sau", "Giảm")],
    ], style="VB Bảng - đầu cột")
    # Two heading lines at least in the second row, so that with the third the cells merged
    # down over both hold three ("Ấp, / khu phố / chưa đạt"): LibreOffice repeats the heading
    # on the next pages without growing a row for a merged cell, and cut the third line off.
    header[1].height, header[1].height_rule = ANNEX_HEADING_TWO_LINES, WD_ROW_HEIGHT_RULE.AT_LEAST
    L.add_loop_rows(table, "r", "annex.rows", [
        CellSpec("{{ r.no }}", "VB Bảng - giữa"),
        CellSpec("{{ r.name }}", "VB Bảng - chữ"),
        *[CellSpec("{{ r.%s }}" % key, "VB Bảng - số") for key in keys],
    ])
    L.add_table_row(table, [
        CellSpec("{{ annex.totals.name }}", "VB Bảng - tổng cộng", span=2),
        *[CellSpec("{{ annex.totals.%s }}" % key, "VB Bảng - số tổng") for key in keys],
    ])


def add_merges_annex(doc) -> None:
    """The second annex, when the report counts the merged villages instead of naming
    them. Its section is set up as the first annex's, numbered on its own: left out,
    the first annex's pages fall into that last section unchanged."""
    L.add_tag(doc, "if merges_annex.rows")
    L.add_section(doc, landscape=True, header_distance=Cm(1.5), restart_numbering=True)
    L.add_line(doc, "{{ merges_annex.label }}", "VB Phụ lục")
    L.add_line(doc, "{{ merges_annex.title }}", "VB Phụ lục - tên")
    L.add_line(doc, "{{ annex.subtitle }}", "VB Phụ lục - ghi chú")
    table = L.add_grid_table(doc, MERGES_WIDTHS)
    L.add_header_rows(table, [[HeaderCell("STT"), HeaderCell("{{ merges_annex.commune_heading }}"),
                               HeaderCell("{{ merges_annex.former_heading }}"),
                               HeaderCell("{{ merges_annex.into_heading }}")]], style="VB Bảng - đầu cột")
    L.add_loop_rows(table, "m", "merges_annex.rows", [
        CellSpec("{{ m.no }}", "VB Bảng - giữa"),
        *[CellSpec("{{ m.%s }}" % key, "VB Bảng - chữ") for key in ("commune", "former", "into")],
    ])
    # The villages merged and formed, counted: the figures the report's text gives.
    L.add_table_row(table, [
        CellSpec("{{ merges_annex.totals.name }}", "VB Bảng - tổng cộng", span=2),
        *[CellSpec("{{ merges_annex.totals.%s }}" % key, "VB Bảng - tổng cộng") for key in ("former", "into")],
    ])
    doc.add_paragraph(style=L.RULE_STYLE)
    L.add_tag(doc, "endif")


# Fixed, so rebuilding a template gives the same bytes.
TEMPLATE_DATE = dt.datetime(2020, 11, 18)


def save_template(doc, path: Path) -> Path:
    """The document's title is its trích yếu and its author the issuing body, both
    filled in when the document is written."""
    L.set_core_properties(doc, title="{{ doc.title }}", author="{{ doc.author }}", when=TEMPLATE_DATE)
    return L.save_docx(doc, path, when=TEMPLATE_DATE.timetuple()[:6])


def build_report(path: Path = REPORT_PATH) -> Path:
    doc = L.new_document()
    define_styles(doc)
    first = doc.sections[0]
    L.setup_section(first, landscape=False)
    L.add_page_number_header(first)
    # python-docx's blank document starts with no paragraph; the header table
    # is the first block.
    add_header(doc)
    add_title_block(doc)
    add_content(doc)
    add_signature(doc)
    add_annex(doc)
    add_merges_annex(doc)
    return save_template(doc, path)


# --- the minutes (biên bản hội nghị) -----------------------------------------


def add_minutes_header(doc, party: bool) -> None:
    if party:
        L.add_header_table(
            doc,
            left_lines=[
                *PARENT_BODY,
                Line("{{ doc.issuer }}", "VB Cơ quan ban hành"),
                Line("*", "VB Dấu sao"),
            ],
            right_lines=[
                Line("ĐẢNG CỘNG SẢN VIỆT NAM", "VB Tiêu đề Đảng"),
                Rule(PARTY_TITLE_RULE),
            ],
            bottom_left=[Line("{{ doc.number_line }}", "VB Số, ký hiệu")],
            bottom_right=[Line("{{ doc.place_date }}", "VB Địa danh, ngày tháng")],
            widths=PARTY_HEADER_WIDTHS,
        )
        return
    add_header(doc, dated=False)


def add_minutes_title(doc, party: bool) -> None:
    L.add_line(doc, "{{ doc.type_name }}", "VB Tên loại")
    L.add_line(doc, "{{ doc.subject }}", "VB Trích yếu")
    if party:
        L.add_line(doc, "-----", "VB Gạch dưới trích yếu")
    else:
        rule = L.add_rule(doc, SUBJECT_RULE, L.text_width(doc.sections[-1])).paragraph_format
        # Clear of the descenders above it and of the first field's capitals below.
        rule.space_before, rule.space_after = SUBJECT_RULE_GAP, SUBJECT_RULE_AFTER


def labelled(label: str, value: str) -> Line:
    """`Địa điểm: Hội trường ...`: the form's label in bold, then the value."""
    return Line([Span(f"{label}: ", bold=True), value], "VB Nội dung")


def add_minutes_body(doc) -> None:
    """The fields of Mẫu 1.9 in its order, then the proceedings as they happened."""
    L.add_items(doc, [
        labelled("Thời gian bắt đầu", "{{ meeting.start }}"),
        labelled("Địa điểm", "{{ meeting.venue }}"),
        Line(Span("Thành phần tham dự:", bold=True), "VB Nội dung"),
        body("meeting.attendees"),
        labelled("Chủ trì", "{{ meeting.chair }}"),
        labelled("Thư ký", "{{ meeting.secretary }}"),
        Line(Span("Nội dung hội nghị:", bold=True), "VB Nội dung"),
        Tag("for item in meeting.proceedings"),
        Line("{{ item.text }}", "VB Nội dung"),
        Tag("if item.figures"),
        Line("Báo cáo nêu các kết quả chủ yếu:", "VB Nội dung nghiêng"),
        Loop("f", "item.figures", "VB Nội dung"),
        Tag("endif"),
        Tag("endfor"),
        Tag("if meeting.opinions"),
        Line("Ý kiến thảo luận tại hội nghị:", "VB Nội dung nghiêng"),
        Tag("for o in meeting.opinions"),
        Line("{{ o.speaker }}", "VB Nội dung"),
        Loop("x", "o.points", "VB Nội dung"),
        Tag("endfor"),
        Tag("endif"),
        Line(["{{ meeting.concluded_by }}", " kết luận hội nghị:"], "VB Nội dung nghiêng"),
        Loop("p", "meeting.conclusions", "VB Nội dung", last_style="VB Nội dung - trang ký"),
        Line(["Hội nghị kết thúc vào ", "{{ meeting.end }}", "./."], "VB Kết thúc"),
    ])


def add_minutes_signatures(doc) -> None:
    """THƯ KÝ (left) and CHỦ TỌA (right), names under each; Nơi nhận below."""
    L.add_signatures_table(
        doc,
        left_items=[Line("THƯ KÝ", "VB Chữ ký - chức vụ"),
                    Line("{{ signers.secretary }}", "VB Chữ ký - họ tên")],
        right_items=[Line("CHỦ TỌA", "VB Chữ ký - chức vụ"),
                     Line("{{ signers.chair }}", "VB Chữ ký - họ tên")],
        below_items=[Line("Nơi nhận:", "VB Nơi nhận"),
                     Loop("r", "doc.recipients", "VB Nơi nhận - dòng")],
    )
    # The body must not end on a table; a 3-pt paragraph closes it.
    doc.add_paragraph(style=L.RULE_STYLE)


def build_minutes(path: Path, party: bool) -> Path:
    doc = L.new_document()
    define_styles(doc, PARTY_MINUTES_STYLES if party else MINUTES_STYLES)
    first = doc.sections[0]
    L.setup_section(first, landscape=False)
    L.add_page_number_header(first)
    add_minutes_header(doc, party)
    add_minutes_title(doc, party)
    add_minutes_body(doc)
    add_minutes_signatures(doc)
    return save_template(doc, path)


# --- the news item (tin bài) ----------------------------------------------------


def build_news(path: Path) -> Path:
    doc = L.new_document()
    define_styles(doc, NEWS_STYLES)
    L.setup_section(doc.sections[0], landscape=False)
    L.add_items(doc, [
        Line(f"{{{{ news.headline | title_lines({HEADLINE_LINE_CHARS}) }}}}", "Tin - tiêu đề"),
        Line("{{ news.lead }}", "Tin - mở đầu"),
        Tag("if news.photo_caption"),
        Line(["[", "{{ news.photo_placeholder }}", "]"], "Tin - ảnh"),
        Line("{{ news.photo_caption }}", "Tin - chú thích ảnh"),
        Tag("endif"),
        Tag("for p in news.paragraphs"),
        Tag("if loop.last"),
        Line("{{ p }}", "Tin - đoạn cuối"),
        Tag("else"),
        Line("{{ p }}", "Tin - nội dung"),
        Tag("endif"),
        Tag("endfor"),
        Line("{{ news.byline }}", "Tin - tác giả"),
    ])
    return save_template(doc, path)


# --- the feedback sheet (phiếu phản hồi) ---------------------------------------------

# A notice (Thông báo) laid out as the report: the same header, title block,
# Nơi nhận and signature; the body holds data tables in 11 pt so a typical
# return fits one page. Column headers are the return's own labels, so the
# clerk finds on the sheet the words of the form.
FEEDBACK_STYLES = [
    *(reused(name) for name in ("VB Cơ quan chủ quản", "VB Cơ quan ban hành", "VB Số, ký hiệu", "VB Quốc hiệu",
                                "VB Tiêu ngữ", "VB Địa danh, ngày tháng", "VB Trích yếu",
                                "VB Nơi nhận", "VB Nơi nhận - dòng", "VB Chữ ký - chức vụ",
                                "VB Bảng - đầu cột")),
    # Single-spaced, so that a typical return's notice fits one page.
    reused("VB Nội dung", line_spacing=1.0),
    reused("VB Chữ ký - họ tên", space_before=60),
    *(reused(name, space_before=0, space_after=0) for name in ("VB Bảng - chữ", "VB Bảng - giữa", "VB Bảng - số",
                                                                "VB Bảng - tổng cộng", "VB Bảng - số tổng")),
    reused("VB Tên loại", space_before=12),
    reused("VB Đề mục 1", space_before=3, space_after=3, line_spacing=1.0),
    reused("VB Kết thúc", space_before=6, space_after=6, line_spacing=1.0),
]
# A4 portrait text width 21 − 3 − 1.5 = 16.5 cm.
PROBLEM_WIDTHS = [Cm(w) for w in (1.0, 2.0, 1.6, 3.9, 3.4, 4.6)]
PROBLEM_HEADERS = ("STT", "Trang tính", "Ô", "Nội dung sai", "Yêu cầu", "Cách sửa")
# "Số người" on one line over "trước", "sau" (2 cm: with ư, ờ drawn from a wider font too).
VILLAGE_WIDTHS = [Cm(w) for w in (1.0, 4.1, 1.7, 3.9, 1.8, 2.0, 2.0)]
# The amount column holds a commune's total in bold ("99.999.999.999") on one line;
# "Cấp" holds "Xã" or the commune's village kinds ("Tiểu khu", "Khu phố").
SEVERANCE_WIDTHS = [Cm(w) for w in (1.0, 3.5, 1.9, 3.4, 1.8, 2.8, 2.1)]


def _labels(fields, keys: tuple[str, ...]) -> list[str]:
    by_key = {f.key: f.label for f in fields}
    return [by_key[key] for key in keys]


def add_feedback_problems(doc) -> None:
    L.add_tag(doc, "if sheet.problems")
    table = L.add_grid_table(doc, PROBLEM_WIDTHS)
    L.add_header_rows(table, [[HeaderCell(t) for t in PROBLEM_HEADERS]], style="VB Bảng - đầu cột")
    L.add_loop_rows(table, "p", "sheet.problems", [
        CellSpec("{{ p.no }}", "VB Bảng - giữa"),
        CellSpec("{{ p.sheet }}", "VB Bảng - chữ"),
        CellSpec("{{ p.cell }}", "VB Bảng - giữa"),
        *[CellSpec("{{ p.%s }}" % key, "VB Bảng - chữ") for key in ("found", "expected", "fix")],
    ])
    L.add_tag(doc, "endif")


def add_feedback_figures(doc) -> None:
    """The figures read: commune level, villages with a total, severance with a total."""
    heading = "VB Đề mục 1"
    L.add_tag(doc, "if sheet.confirms")
    L.add_line(doc, "1. Cấp xã", heading)
    L.add_line(doc, "{{ sheet.commune }}", "VB Nội dung")
    L.add_line(doc, ["2. ", "{{ sheet.villages_heading }}"], heading)
    L.add_tag(doc, "if sheet.villages")
    table = L.add_grid_table(doc, VILLAGE_WIDTHS)
    # The name column is headed by the commune's own kinds ("Tên tiểu khu", "Tên ấp"), not the form's "Tên thôn".
    village_keys = ("kind", "merged_from", "titles", "people_before", "people_after")
    L.add_header_rows(table, [[HeaderCell("STT"), HeaderCell("{{ sheet.village_name_header }}"),
                               *map(HeaderCell, _labels(VILLAGE_COLUMNS, village_keys))]],
                      style="VB Bảng - đầu cột")
    L.add_loop_rows(table, "v", "sheet.villages", [
        CellSpec("{{ v.no }}", "VB Bảng - giữa"),
        *[CellSpec("{{ v.%s }}" % key, "VB Bảng - chữ") for key in ("name", "kind", "merged_from")],
        *[CellSpec("{{ v.%s }}" % key, "VB Bảng - số") for key in ("titles", "people_before", "people_after")],
    ])
    L.add_table_row(table, [
        CellSpec("{{ sheet.village_totals.label }}", "VB Bảng - tổng cộng", span=4),
        *[CellSpec("{{ sheet.village_totals.%s }}" % key, "VB Bảng - số tổng")
          for key in ("titles", "people_before", "people_after")],
    ])
    L.add_tag(doc, "else")
    L.add_line(doc, "Báo cáo không có dòng nào ở trang Thôn.", "VB Nội dung")
    L.add_tag(doc, "endif")
    # Which villages missed their target, under their table.
    L.add_items(doc, [body("sheet.notes")])

    L.add_line(doc, "3. Người thôi việc, nghỉ việc", heading)
    L.add_tag(doc, "if sheet.severances")
    table = L.add_grid_table(doc, SEVERANCE_WIDTHS)
    severance_keys = ("full_name", "level", "title", "form", "amount", "paid_on")
    headers = _labels(SEVERANCE_COLUMNS, severance_keys)
    headers[severance_keys.index("amount")] += " (đồng)"
    L.add_header_rows(table, [[HeaderCell("STT"), *map(HeaderCell, headers)]], style="VB Bảng - đầu cột")
    L.add_loop_rows(table, "s", "sheet.severances", [
        CellSpec("{{ s.no }}", "VB Bảng - giữa"),
        *[CellSpec("{{ s.%s }}" % key, "VB Bảng - chữ") for key in ("full_name", "level", "title", "form")],
        CellSpec("{{ s.amount }}", "VB Bảng - số"),
        CellSpec("{{ s.paid_on }}", "VB Bảng - giữa"),
    ])
    L.add_table_row(table, [
        CellSpec("Tổng cộng", "VB Bảng - tổng cộng", span=5),
        CellSpec("{{ sheet.severance_total }}", "VB Bảng - số tổng"),
        CellSpec("", "VB Bảng - giữa"),
    ])
    L.add_tag(doc, "else")
    L.add_line(doc, "Báo cáo không có người thôi việc, nghỉ việc.", "VB Nội dung")
    L.add_tag(doc, "endif")
    L.add_tag(doc, "endif")


def add_feedback_checks(doc) -> None:
    """The figures to verify: the warnings not yet confirmed, for the clerk to confirm or
    correct; a fourth section after the figures, or, beside errors, paragraphs after them."""
    L.add_tag(doc, "if sheet.checks")
    L.add_tag(doc, "if sheet.confirms")
    L.add_line(doc, "4. Số liệu cần xác minh", "VB Đề mục 1")
    L.add_tag(doc, "endif")
    L.add_items(doc, [Line("{{ sheet.checks_intro }}", "VB Nội dung"), body("sheet.checks")])
    L.add_tag(doc, "endif")


def build_feedback(path: Path) -> Path:
    doc = L.new_document()
    define_styles(doc, FEEDBACK_STYLES)
    first = doc.sections[0]
    L.setup_section(first, landscape=False)
    L.add_page_number_header(first)
    add_header(doc, parent=(Line("{{ doc.parent_body }}", "VB Cơ quan chủ quản"),))
    add_title_block(doc, addressed=False)
    L.add_items(doc, [body("sheet.intro")])
    add_feedback_problems(doc)
    add_feedback_figures(doc)
    add_feedback_checks(doc)
    L.add_items(doc, [Line("{{ sheet.closing }}", "VB Kết thúc")])
    add_signature(doc)
    # The body must not end on a table; a 3-pt paragraph closes it.
    doc.add_paragraph(style=L.RULE_STYLE)
    return save_template(doc, path)


BUILDERS = {
    "bao-cao-so-ket.docx": build_report,
    "bien-ban-hoi-nghi.docx": partial(build_minutes, party=False),
    "bien-ban-hoi-nghi-dang.docx": partial(build_minutes, party=True),
    "tin-bai.docx": build_news,
    "phan-hoi.docx": build_feedback,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=TEMPLATES,
                        help="output folder (default: templates_docx)")
    parser.add_argument("--only", choices=sorted(BUILDERS), metavar="NAME",
                        type=lambda name: name if name.endswith(".docx") else f"{name}.docx",
                        help="build only this template, keeping the office's edits of the others: "
                             + ", ".join(sorted(BUILDERS)))
    args = parser.parse_args(argv)
    for name, build in BUILDERS.items():
        if args.only in (None, name):
            print(f"Đã tạo mẫu: {build(args.dir / name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
