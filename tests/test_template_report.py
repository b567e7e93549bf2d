"""The report template renders with docxtpl into a Decree 30 layout.

Renders templates_docx/bao-cao-so-ket.docx once (module fixture) with a complete
fake context and checks the result with python-docx.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docxtpl import DocxTemplate
from lxml import etree

from pipeline.render.templating import make_environment

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates_docx" / "bao-cao-so-ket.docx"
FONT = "Times New Roman"

TRICKY = 'Công ty "Đông & Tây" <số 1>'

NUMBER_KEYS = (
    "commune_titles", "people_before", "people_after", "reduction",
    "villages_before", "villages_after", "village_people_before", "village_people_after",
    "village_reduction", "villages_over_target", "severance_cases", "severance_paid",
)

COMMUNES = (
    "Thị trấn Phú Minh", "Thị trấn Phú Xuyên", "Xã Bạch Hạ", "Xã Châu Can", "Xã Chuyên Mỹ",
    "Xã Đại Thắng", "Xã Đại Xuyên", "Xã Hoàng Long", "Xã Hồng Minh", "Xã Hồng Thái",
    "Xã Khai Thái", "Xã Minh Tân", "Xã Nam Phong", "Xã Nam Tiến", "Xã Nam Triều",
    "Xã Phú Châu", "Xã Phú Túc", "Xã Phú Yên", "Xã Phúc Tiến", "Xã Phượng Dực",
    "Xã Quang Lãng", "Xã Quang Trung", "Xã Sơn Hà", "Xã Tân Dân", "Xã Tri Thủy",
)


def _paras(prefix: str, n: int) -> list[str]:
    return [
        f"{prefix} (đoạn {i + 1}): Ủy ban nhân dân huyện đã chỉ đạo các xã, thị trấn rà soát, "
        "thống kê số lượng người hoạt động không chuyên trách ở cấp xã và ở thôn, tổ dân phố; "
        "xây dựng phương án sắp xếp, bố trí kiêm nhiệm chức danh bảo đảm đúng quy định, "
        "công khai, minh bạch và phù hợp với điều kiện thực tế của từng địa phương."
        for i in range(n)
    ]


def make_context(rows: int = 25, deputy: str = "KT. CHỦ TỊCH") -> dict:
    annex_rows = []
    for i in range(rows):
        annex_rows.append({
            "no": str(i + 1),
            "name": COMMUNES[i % len(COMMUNES)] if i else TRICKY,
            "commune_titles": "10",
            "people_before": str(12 + i % 4),
            "people_after": "9",
            "reduction": str(3 + i % 4),
            "villages_before": str(6 + i % 5),
            "villages_after": str(4 + i % 3),
            "village_people_before": str(18 + i),
            "village_people_after": str(12 + i % 6),
            "village_reduction": str(6 + i - i % 6),
            "villages_over_target": str(i % 3),
            "severance_cases": str(2 + i % 5),
            "severance_paid": f"{45 + i}.{(i * 37) % 1000:03d}.000",
        })
    totals = {"name": "Tổng cộng", **{k: f"9{i}" for i, k in enumerate(NUMBER_KEYS)}}
    totals["severance_paid"] = "1.149.540.875"
    return {
        "doc": {
            "parent_body": "UBND THÀNH PHỐ HÀ NỘI",
            "issuer": "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN",
            "number_line": "Số:        /BC-UBND",
            "place_date": "Phú Xuyên, ngày 18 tháng 11 năm 2020",
            "type_name": "BÁO CÁO",
            "subject": "Sơ kết việc sắp xếp người hoạt động không chuyên trách ở cấp xã, "
                       "thôn, tổ dân phố tháng 11 năm 2020",
            "addressee": "Sở Nội vụ thành phố Hà Nội",
            "issuer_short": "UBND huyện Phú Xuyên",
            "title": "Sơ kết việc sắp xếp người hoạt động không chuyên trách ở cấp xã, thôn, tiểu khu",
            "author": "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN",
            "signer": {"authority": "TM. ỦY BAN NHÂN DÂN", "deputy": deputy,
                       "title": "PHÓ CHỦ TỊCH", "name": "Nguyễn Văn Bình"},
            "recipients": ["- Như trên;", "- Thường trực Huyện ủy;", "- Thường trực HĐND huyện;",
                           "- Chủ tịch, các PCT UBND huyện;", "- Lưu: VT, NV."],
        },
        "kinds": {"villages": "thôn, tiểu khu", "villages_unbroken": "thôn, tiểu\u00a0khu", "communes_heading": "Tên xã, thị\u00a0trấn",
                  "villages_heading": "Thôn, tiểu\u00a0khu"},
        "period": {"stage": "giai đoạn 1"},
        "intro": [f"Thực hiện Nghị quyết của HĐND thành phố; {TRICKY} phối hợp thực hiện."]
                 + _paras("Mở đầu", 1),
        "direction": _paras("Chỉ đạo", 3),
        "results": {
            "receipt": _paras("Tiếp nhận", 2),
            "commune": _paras("Cấp xã", 3),
            "village": _paras("Thôn", 3),
            "merge": _paras("Sáp nhập", 1),
            "severance": _paras("Chính sách", 2),
        },
        "legal_basis": "Chế độ, chính sách được thực hiện theo Nghị định số 154/2025/NĐ-CP.",
        "advantages": _paras("Ưu điểm", 2),
        "difficulties": _paras("Hạn chế", 2),
        "causes": _paras("Nguyên nhân", 2),
        "tasks": _paras("Nhiệm vụ", 3),
        "proposals": _paras("Kiến nghị", 2),
        "annex": {
            "label": "Phụ lục",
            "title": "TỔNG HỢP KẾT QUẢ SẮP XẾP NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH",
            "subtitle": "(Kèm theo Báo cáo số      /BC-UBND ngày 18 tháng 11 năm 2020 "
                        "của UBND huyện Phú Xuyên)",
            "villages_target": True,
            "rows": annex_rows,
            "totals": totals,
        },
        "merges_annex": {"label": "Phụ lục II", "title": "DANH SÁCH THÔN, TIỂU KHU SÁP NHẬP",
                         "commune_heading": "Tên xã, thị trấn", "former_heading": "Thôn, tiểu khu sáp nhập",
                         "into_heading": "Thôn, tiểu khu sau sáp nhập", "rows": [],
                         "totals": {"name": "Tổng cộng", "former": "80 thôn, tiểu khu", "into": "40 thôn, tiểu khu"}},
    }


def render(context: dict) -> bytes:
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.render(context, jinja_env=make_environment(), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render(make_context())


@pytest.fixture(scope="module")
def out(rendered):
    return Document(io.BytesIO(rendered))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def all_text(doc) -> str:
    parts = texts(doc)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def test_template_exists_and_is_well_formed():
    with zipfile.ZipFile(TEMPLATE) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(z.read(name))


def test_rendered_xml_is_well_formed(rendered):
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        etree.fromstring(z.read("word/document.xml"))


def mm(length) -> float:
    """A length in millimetres, to 0.1 mm (Word stores twips)."""
    return round(length / Mm(1), 1)


def test_page_setup(out):
    first, annex = out.sections
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert (mm(first.page_width), mm(first.page_height)) == (210, 297)
    assert (mm(first.top_margin), mm(first.bottom_margin)) == (20, 20)
    assert (mm(first.left_margin), mm(first.right_margin)) == (30, 15)
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(annex.page_width), mm(annex.page_height)) == (297, 210)
    # Portrait margins turned with the page: the binding margin is at the top.
    assert (mm(annex.top_margin), mm(annex.bottom_margin)) == (30, 15)
    assert (mm(annex.left_margin), mm(annex.right_margin)) == (20, 20)


def test_page_numbers_not_on_first_page(out):
    first, annex = out.sections
    assert first.different_first_page_header_footer
    assert all(p.text == "" for p in first.first_page_header.paragraphs)
    instr = "".join(first.header._element.xpath(".//w:instrText/text()"))
    assert "PAGE" in instr
    # Nghị định 30/2020, Phụ lục I: an annex's pages are numbered on their own,
    # from 1, its first page without a number as the report's.
    assert annex.different_first_page_header_footer
    assert annex._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def _fonts_ok(rPr) -> bool:
    rFonts = rPr.find(qn("w:rFonts"))
    return rFonts is not None and all(
        rFonts.get(qn(a)) == FONT for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
    ) and not any(rFonts.get(qn(a)) for a in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme",
                                                 "w:eastAsiaTheme"))


def test_times_new_roman_everywhere(out):
    styles = out.styles.element
    rPrDefault = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert _fonts_ok(rPrDefault)
    for style in styles.findall(qn("w:style")):
        kind = style.get(qn("w:type"))
        if kind == "numbering" or (kind == "character" and style.get(qn("w:default")) == "1"):
            continue  # no run properties by design (see tools/docx_layout.py)
        assert _fonts_ok(style.find(qn("w:rPr"))), style.get(qn("w:styleId"))
    body = out.styles["VB Nội dung"]
    assert body.font.size == Pt(14)
    assert body.paragraph_format.first_line_indent == Cm(1.27)
    assert body.paragraph_format.space_after == Pt(6)
    assert 1.15 <= body.paragraph_format.line_spacing <= 1.3


def test_header_table(out):
    header = out.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs if p.text]
    right = [p.text for p in header.cell(0, 1).paragraphs if p.text]
    assert left == ["UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN"]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header.cell(1, 0).text == "Số:        /BC-UBND"
    assert header.cell(1, 1).text == "Phú Xuyên, ngày 18 tháng 11 năm 2020"
    # Rules: bottom borders under the issuer and under the motto.
    for cell in (header.cell(0, 0), header.cell(0, 1)):
        assert cell._tc.xpath(".//w:pBdr/w:bottom[@w:val='single']")


def test_title_and_headings_in_order(out):
    paras = texts(out)
    assert paras[0] == "BÁO CÁO"
    assert paras[1].startswith("Sơ kết việc sắp xếp người hoạt động không chuyên trách")
    assert "Kính gửi: Sở Nội vụ thành phố Hà Nội." in paras
    headings = [p.text for p in out.paragraphs
                if p.style.name in ("VB Đề mục I", "VB Đề mục 1")]
    assert headings == [
        "I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
        "1. Sắp xếp người hoạt động không chuyên trách cấp xã",
        # Broken as a title is: two balanced lines, no term alone on the second.
        "2. Sắp xếp thôn, tiểu khu và người hoạt động\nkhông chuyên trách ở thôn, tiểu khu",
        "3. Sáp nhập đơn vị hành chính cấp xã",
        "4. Thực hiện chế độ, chính sách đối với người thôi việc, nghỉ việc",
        "III. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm",
        "2. Tồn tại, hạn chế và nguyên nhân",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    assert "Nguyên nhân:" in paras
    body = [p for p in out.paragraphs if p.style.name == "VB Nội dung"]
    # the 1 after merge: the legal basis; the last 1: the proposals but the last
    assert len(body) == 2 + 3 + 2 + 3 + 3 + 1 + 1 + 2 + 2 + 2 + 2 + 3 + 1
    assert body[-1].text == _paras("Kiến nghị", 2)[0] and not body[-1].style.paragraph_format.keep_with_next
    # The last proposal, last before the closing line, keeps with it on the signatures'
    # page; the others flow, so the page before is not left half empty.
    kept = [p for p in out.paragraphs if p.style.name == "VB Nội dung - trang ký"]
    assert [p.text for p in kept] == _paras("Kiến nghị", 2)[1:]
    assert all(p.style.paragraph_format.keep_with_next for p in kept)
    assert any(p.endswith("của UBND huyện Phú Xuyên, kính báo cáo Sở Nội vụ thành phố Hà Nội./.") for p in paras)
    assert paras.index("Phụ lục") > paras.index("V. KIẾN NGHỊ, ĐỀ XUẤT")


def test_special_characters_survive(out):
    text = all_text(out)
    assert TRICKY in text
    assert "&amp;" not in text and "&lt;" not in text and "&quot;" not in text


def test_no_template_tags_left(rendered, out):
    assert "{{" not in all_text(out) and "{%" not in all_text(out)
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "{{" not in xml and "{%" not in xml and "}}" not in xml


def test_signature_block(out):
    signature = out.tables[1]
    left = [p.text for p in signature.cell(0, 0).paragraphs]
    right = [p.text for p in signature.cell(0, 1).paragraphs]
    assert left[0] == "Nơi nhận:" and left[-1] == "- Lưu: VT, NV." and len(left) == 6
    assert right == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Bình"]


def test_optional_parts_left_out():
    ctx = make_context(rows=2, deputy="")
    ctx["causes"] = []
    ctx["legal_basis"] = ""
    ctx["doc"]["parent_body"] = ""
    doc = Document(io.BytesIO(render(ctx)))
    right = [p.text for p in doc.tables[1].cell(0, 1).paragraphs]
    assert right == ["TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Nguyễn Văn Bình"]
    assert "Nguyên nhân:" not in texts(doc)
    assert not any("Nghị định số 154" in t for t in texts(doc))
    # Without a parent body the issuer's name heads the column, level with the Quốc hiệu.
    left = [p.text for p in doc.tables[0].cell(0, 0).paragraphs]
    assert left[0] == "ỦY BAN NHÂN DÂN HUYỆN PHÚ XUYÊN"
    assert len(doc.tables[-1].rows) == 3 + 2 + 1  # heading rows, two units, the total


def test_annex_table(out):
    annex = out.tables[-1]
    rows = annex.rows
    assert len(rows) == 3 + 25 + 1
    header_flags = [r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None
                    for r in rows]
    assert header_flags[:3] == [True, True, True] and not any(header_flags[3:])
    assert rows[0].cells[0].text == "STT" and rows[0].cells[2].text == "Cấp xã"
    assert rows[2].cells[-1].text == "Số tiền đã chi trả (đồng)"
    # One word over each narrow column, under what it counts; the village columns name
    # their kinds ("đơn vị" would read as the communes), no term broken.
    assert [c.text for c in rows[1].cells[2:7]] == ["Số chức danh", "Số người", "Số người", "Số người",
                                                    "Số thôn, tiểu\u00a0khu"]
    assert rows[1].cells[11].text == "Thôn, tiểu\u00a0khu chưa đạt"
    assert not any("đơn vị" in c.text.replace("\u00a0", " ") for row in rows[:3] for c in row.cells)
    assert [c.text for c in rows[2].cells[3:11]] == ["Trước", "Sau", "Giảm", "Trước", "Sau", "Trước", "Sau", "Giảm"]
    assert [c.text for c in rows[3].cells[:2]] == ["1", TRICKY]
    assert rows[27].cells[1].text == "Xã Tri Thủy"
    totals = rows[-1]
    assert totals.cells[0].text == "Tổng cộng" and totals.cells[1].text == "Tổng cộng"  # spans
    assert totals.cells[-1].text == "1.149.540.875"
    assert out.sections[1].start_type is not None


def test_without_a_village_target_the_annex_has_no_column_for_it(out):
    ctx = make_context()
    ctx["annex"]["villages_target"] = False
    doc = Document(io.BytesIO(render(ctx)))
    assert len(doc.tables) == len(out.tables)  # one annex table, not two
    annex, full = doc.tables[-1], out.tables[-1]
    header = [c.text for c in annex.rows[2].cells]
    over = "Thôn, tiểu\u00a0khu chưa đạt"
    assert over not in header and over in [c.text for c in full.rows[2].cells]
    assert len(annex.columns) == len(full.columns) - 1 == 13
    assert header[-1] == "Số tiền đã chi trả (đồng)"

    def width(table) -> int:
        return sum(int(w) for w in table._tbl.tblGrid.xpath("w:gridCol/@w:w"))

    assert width(annex) == width(full)  # the names take the column's width


def test_merged_villages_annex_when_the_report_counts_them():
    """Phụ lục II, the merged villages, in a section of its own set up as Phụ lục I's and
    numbered on its own; without rows, the document is as with one annex."""
    ctx = make_context(rows=3)
    ctx["annex"]["label"] = "Phụ lục I"
    ctx["merges_annex"]["rows"] = [{"no": str(i), "commune": "Xã Hồng Minh", "former": f"Thôn A{i} và thôn B{i}",
                                    "into": f"Thôn C{i}"} for i in range(1, 41)]
    doc = Document(io.BytesIO(render(ctx)))
    paras = texts(doc)
    assert paras.index("Phụ lục I") < paras.index("Phụ lục II")
    assert "DANH SÁCH THÔN, TIỂU KHU SÁP NHẬP" in paras
    assert paras.count(ctx["annex"]["subtitle"]) == 2
    first, annex, merges = doc.sections
    assert merges.orientation == annex.orientation == WD_ORIENT.LANDSCAPE
    assert merges._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert merges.different_first_page_header_footer
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Tên xã, thị trấn", "Thôn, tiểu khu sáp nhập",
                                                     "Thôn, tiểu khu sau sáp nhập"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert len(table.rows) == 1 + 40 + 1
    assert [c.text for c in table.rows[40].cells] == ["40", "Xã Hồng Minh", "Thôn A40 và thôn B40", "Thôn C40"]
    # The totals under the merges, the label over STT and the commune, in the total's style.
    totals = table.rows[41]
    assert [c.text for c in totals.cells] == ["Tổng cộng", "Tổng cộng", "80 thôn, tiểu khu", "40 thôn, tiểu khu"]
    assert {p.style.name for c in totals.cells for p in c.paragraphs} == {"VB Bảng - tổng cộng"}
    assert len(Document(io.BytesIO(render(make_context(rows=3)))).sections) == 2
