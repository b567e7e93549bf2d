"""The checker's rules on a document's PDF copy: no page holds only what closes the
text (`page_alone`: the signature, Nơi nhận, a byline), the header's lines print as set
(`issuer_lines`), no amount of a table prints in pieces (`number_break`). Each on
made-up page texts; every document of both samples passing them as LibreOffice lays
them out; copies with each fault planted, caught with the file and the page or cell;
and the commands that run them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from builders import SAMPLE_INPUTS
from conftest import SAMPLES, needs_libreoffice
from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

import pipeline.render.pdf as pdf_module
from pipeline.cli import main
from pipeline.render.check import check_pages, check_paths, closing_texts, header_lines
from pipeline.render.pdf import convert_to_pdf

CLOSING = ("Nơi nhận:", "- Như trên;", "- Lưu: VT, NV.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An")
LAST_LINE = "Trên đây là báo cáo của Ủy ban nhân dân huyện./."


def letter(path: Path, *, annex: bool = False) -> Path:
    """A short document closed as the report is: the body, then the table Nơi nhận |
    signature (a paragraph a line), and with `annex` a section after it."""
    document = Document()
    document.add_paragraph("Tình hình thực hiện việc sắp xếp người hoạt động không chuyên trách.")
    document.add_paragraph(LAST_LINE)
    left, right = document.add_table(rows=1, cols=2).rows[0].cells
    for cell, lines in ((left, CLOSING[:3]), (right, CLOSING[3:])):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    if annex:
        document.add_section(WD_SECTION.NEW_PAGE)
        document.add_paragraph("Phụ lục I")
    document.save(path)
    return path


def test_what_closes_a_letter_is_its_signature_table_to_the_end_of_its_section(tmp_path):
    texts = closing_texts(Document(letter(tmp_path / "a.docx", annex=True)))
    assert sorted(texts) == sorted(CLOSING) and "Phụ lục I" not in texts


def test_what_closes_a_text_without_signature_is_its_byline(tmp_path):
    document = Document()
    for text in ("Tiêu đề", "Nội dung tin.", "CTV Minh Lộc", ""):
        document.add_paragraph(text)
    assert closing_texts(document) == ["CTV Minh Lộc"]


@pytest.mark.parametrize("pages, alone", [
    ([f"Nội dung.\n{LAST_LINE}\n" + "\n".join(CLOSING)], []),
    (["Nội dung dài.\n" + LAST_LINE, "2\n" + "\n\n".join(CLOSING)], [2]),
    (["Nội dung dài.", "2\n" + LAST_LINE.split("./.")[0][-30:] + "./.\n" + "\n".join(CLOSING)], []),
    # A wrapped closing line is part of its paragraph; a page number is no text.
    (["Nội dung.\n" + LAST_LINE, "2\nTM. ỦY BAN\nNHÂN DÂN\nNguyễn Văn An", "3\n- Lưu: VT, NV."], [2, 3]),
    (["Nội dung.\n" + LAST_LINE, "2\n\n"], []),
])
def test_a_page_of_closing_lines_alone_is_caught_with_its_number(tmp_path, monkeypatch, pages, alone):
    monkeypatch.setattr(pdf_module, "page_texts", lambda pdf: [page + "\n" for page in pages])
    violations = check_pages(letter(tmp_path / "a.docx"), tmp_path / "a.pdf")
    assert [v.where for v in violations] == [f"a.pdf, trang {n}" for n in alone]
    assert all(v.rule == "page_alone" and "chỉ có phần ký" in v.message for v in violations)


def test_check_reads_the_pdf_beside_a_document_unless_it_is_older(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "page_texts", lambda pdf: ["Nội dung.\n" + LAST_LINE, "\n".join(CLOSING)])
    document = letter(tmp_path / "a.docx")

    def alone(**options) -> list[str]:
        return [v.where for v in check_paths([document], **options)[document] if v.rule == "page_alone"]

    assert alone() == []  # no PDF beside it
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    assert alone() == ["a.pdf, trang 2"]
    assert alone(pages=False) == []
    os.utime(tmp_path / "a.pdf", (1, 1))  # made before the document was written again
    assert alone() == []


def test_without_pdftotext_check_says_the_pages_were_not_read(tmp_path, monkeypatch, capsys):
    document = letter(tmp_path / "a.docx")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    monkeypatch.setattr(pdf_module, "find_pdftotext", lambda: None)
    main(["check", "--inputs", str(SAMPLE_INPUTS), str(document)])
    out = capsys.readouterr().out
    assert "Lưu ý: Không tìm thấy pdftotext" in out and "apt-get install poppler-utils" in out
    assert "trang 2" not in out


# --- the samples as LibreOffice lays them out -------------------------------------------


def test_the_header_lines_are_those_above_the_number(tmp_path):
    document = Document()
    left = document.add_table(rows=2, cols=2).columns[0].cells
    left[0].paragraphs[0].text = "UBND THÀNH PHỐ HÀ NỘI"
    left[0].add_paragraph().add_run("ỦY BAN NHÂN DÂN").add_break()
    left[0].paragraphs[1].add_run("HUYỆN PHÚ XUYÊN")
    left[1].paragraphs[0].text = "Số: /BC-UBND"
    document.add_paragraph("Nội dung.")
    assert header_lines(document) == ["UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN", "HUYỆN PHÚ XUYÊN"]
    text_only = Document()
    text_only.add_paragraph("Tiêu đề tin")
    assert header_lines(text_only) == []


def test_a_header_line_broken_again_in_print_is_caught(tmp_path, monkeypatch):
    document = Document()
    cell = document.add_table(rows=1, cols=2).rows[0].cells[0]
    cell.paragraphs[0].text = "ỦY BAN NHÂN DÂN TỈNH AN GIANG"
    cell.add_paragraph("Số: /BC-UBND")
    document.save(tmp_path / "a.docx")
    for printed, found in ((["ỦY BAN NHÂN DÂN TỈNH AN GIANG", "Số: /BC-UBND"], False),
                           (["ỦY BAN NHÂN DÂN TỈNH AN", "GIANG", "Số: /BC-UBND"], True)):
        monkeypatch.setattr(pdf_module, "page_texts", lambda pdf, printed=printed: ["\n".join(printed)])
        violations = check_pages(tmp_path / "a.docx", tmp_path / "a.pdf")
        assert [(v.rule, v.where) for v in violations] == ([("issuer_lines", "a.pdf, trang 1")] if found else [])
        assert all("«ỦY BAN NHÂN DÂN TỈNH AN GIANG»" in v.message and "issuer.name" in v.message
                   for v in violations)


@needs_libreoffice
@pytest.mark.parametrize("period", SAMPLES)
def test_every_document_of_either_sample_passes_the_page_rules(rendered, period):
    """No page holds only a signature, and the header prints as the settings break it
    (the province's «ỦY BAN NHÂN DÂN» / «TỈNH AN GIANG», in its minutes too)."""
    sample = rendered(period)
    documents = [name for name in sample.pdfs if sample.source(name).suffix == ".docx"]
    assert {"bao-cao-so-ket", "bien-ban-hoi-nghi", "tin-bai"} <= set(documents)
    assert any(name.startswith("phan-hoi/") for name in documents)
    found = {name: check_pages(sample.source(name), sample.pdfs[name]) for name in documents}
    assert not any(found.values()), found


KINDS = ("bao-cao-so-ket", "bien-ban-hoi-nghi", "tin-bai", "phan-hoi/10171-phu-xuyen")


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def closing_start(document):
    """Where the closing starts: the signature table (Nơi nhận | signer, or the minutes'
    THƯ KÝ | CHỦ TỌA), or the byline of a text without one."""
    body = document.element.body
    for table in body.iterchildren(qn("w:tbl")):
        if any(text_of(p).strip() in ("Nơi nhận:", "THƯ KÝ") for p in table.iter(qn("w:p"))):
            return table
    return [p for p in body.iterchildren(qn("w:p")) if text_of(p).strip()][-1]


def page_break_before(element) -> None:
    paragraph, run, brk = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:br")
    brk.set(qn("w:type"), "page")
    run.append(brk)
    paragraph.append(run)
    element.addprevious(paragraph)


@pytest.fixture(scope="module")
def planted(rendered, tmp_path_factory) -> list[Path]:
    """A copy of each kind of document of the 2020 sample with its closing pushed onto a
    page of its own, then the province's report with its issuer on one line and with its
    annex's amount column too narrow; each with its PDF beside it, as `make pdf` puts them."""
    sample = rendered("2020-11")
    folder = tmp_path_factory.mktemp("planted")
    copies = []
    for name in KINDS:
        document = Document(sample.source(name))
        page_break_before(closing_start(document))
        copies.append(folder / f"{name.replace('/', '-')}.docx")
        document.save(copies[-1])
    # …and the province's report with its issuer on one line, as it was before its settings broke it.
    document = Document(rendered("2025-Q3").source("bao-cao-so-ket"))
    issuer = next(p for p in document.tables[0].columns[0].cells[0].paragraphs if "TỈNH AN GIANG" in p.text)
    for run in issuer.runs:
        for brk in run._r.findall(qn("w:br")):
            brk.addprevious(OxmlElement("w:t"))
            brk.getprevious().text = " "
            run._r.remove(brk)
    copies.append(folder / "bao-cao-tinh.docx")
    document.save(copies[-1])
    # …and with its annex's amount column as narrow as it was before its total fitted.
    document = Document(rendered("2025-Q3").source("bao-cao-so-ket"))
    amounts = document.tables[-2].columns[-1]  # Phụ lục I's; the last table is Phụ lục II's, the merged villages
    amounts.width = Cm(2.6)
    for cell in amounts.cells:
        cell.width = Cm(2.6)
    copies.append(folder / "bao-cao-tinh-phu-luc.docx")
    document.save(copies[-1])
    convert_to_pdf(copies, folder)
    return copies


@needs_libreoffice
def test_an_amount_broken_in_a_narrow_column_is_caught(planted, capsys):
    assert main(["check", "--inputs", str(SAMPLES["2025-Q3"]), str(planted[-1])]) == 1
    found = [line for line in capsys.readouterr().out.splitlines() if "[number_break]" in line]
    # The grand total, in the annex (the second section), its last row (under three heading rows) and column.
    assert found == ["  - [number_break] bao-cao-tinh-phu-luc.pdf, mục 2, bảng 3, hàng 105, ô 14: số «204.252.050.500» "
                     "in ra bị ngắt xuống dòng giữa chừng; cần nới rộng cột."]


@pytest.mark.parametrize("printed, broken", [
    (["Tổng số tiền 1.234.567 đồng.", "Tổng cộng 1.234.567"], []),
    (["Tổng số tiền 1.234.567 đồng.", "Tổng cộng 1.234.56", "7"], ["1.234.567"]),  # the text's own is whole
    (["Tổng số tiền 1.234.567 đồng.", "Tổng cộng 1.234.", "567"], ["1.234.567"]),
])
def test_an_amount_of_a_table_printed_in_pieces_is_caught(tmp_path, monkeypatch, printed, broken):
    document = Document()
    document.add_paragraph("Tổng số tiền 1.234.567 đồng.")
    row = document.add_table(rows=1, cols=2).rows[0].cells
    row[0].text, row[1].text = "Tổng cộng", "1.234.567"
    document.save(tmp_path / "a.docx")
    monkeypatch.setattr(pdf_module, "page_texts", lambda pdf: ["\n".join(printed)])
    violations = [v for v in check_pages(tmp_path / "a.docx", tmp_path / "a.pdf") if v.rule == "number_break"]
    assert [v.message.split("»")[0].removeprefix("số «") for v in violations] == broken
    assert all(v.where == "a.pdf, mục 1, bảng 1, hàng 1, ô 2" for v in violations)


@needs_libreoffice
def test_an_issuer_too_long_for_its_column_is_caught_as_printed(planted, capsys):
    assert main(["check", "--inputs", str(SAMPLES["2025-Q3"]), str(planted[-2])]) == 1
    out = capsys.readouterr().out
    assert "[issuer_lines] bao-cao-tinh.pdf, trang 1: dòng «ỦY BAN NHÂN DÂN TỈNH AN GIANG» ở phần đầu" in out
    # The .docx rule says the same from the settings.
    assert "[issuer_lines] mục 1, bảng 1, hàng 1, ô 1" in out


@needs_libreoffice
@pytest.mark.parametrize("kind", range(len(KINDS)), ids=KINDS)
def test_a_closing_pushed_onto_a_page_of_its_own_is_caught(planted, kind, capsys):
    copy = planted[kind]
    assert main(["check", "--inputs", str(SAMPLE_INPUTS), str(copy)]) == 1
    out = capsys.readouterr().out
    found = [line for line in out.splitlines() if "[page_alone]" in line]
    pages = pdf_module.page_texts(copy.with_suffix(".pdf"))
    alone = next(n for n, page in enumerate(pages, start=1)
                 if any(line in page for line in closing_texts(Document(copy))[:1]))
    assert found == [f"  - [page_alone] {copy.stem}.pdf, trang {alone}: trang này chỉ có phần ký (chữ ký, nơi "
                     f"nhận), tách khỏi đoạn cuối của nội dung; cần giữ phần ký cùng trang với đoạn kết thúc."]
    assert alone == (len(pages) - 1 if copy.stem == "bao-cao-so-ket" else len(pages))  # the annex comes last


# --- the commands that make PDFs check their pages ---------------------------------------


def fake_libreoffice(monkeypatch) -> list[str]:
    """LibreOffice and pdftotext stood in for: each PDF reads as one page of other text,
    then a page of its document's closing alone. Returns the PDFs read."""
    closings: dict[str, list[str]] = {}
    read: list[str] = []

    def convert(paths, out_dir, timeout=120, on_done=None):
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        for path in paths:
            closings[f"{path.stem}.pdf"] = closing_texts(Document(path))
            (Path(out_dir) / f"{path.stem}.pdf").write_bytes(b"%PDF-1.4")
        return [Path(out_dir) / f"{path.stem}.pdf" for path in paths]

    def page_texts(pdf):
        read.append(pdf.name)
        return ["Nội dung.", "\n".join(closings[pdf.name])]

    monkeypatch.setattr(pdf_module, "convert_to_pdf", convert)
    monkeypatch.setattr(pdf_module, "page_texts", page_texts)
    return read


def test_the_run_with_pdf_and_the_pdf_command_check_the_pages(tmp_path, monkeypatch, capsys):
    read = fake_libreoffice(monkeypatch)
    main(["report", "--period", "2020-11", "--inputs", str(SAMPLE_INPUTS), "--outputs", str(tmp_path), "--pdf"])
    out = capsys.readouterr().out
    for name in ("bao-cao-so-ket", "bien-ban-hoi-nghi", "tin-bai"):
        assert f"Lỗi thể thức ({name}.docx): {name}.pdf, trang 2: trang này chỉ có phần ký" in out
    # The feedback sheets, one of each kind, on copies thrown away afterwards.
    sheets = [name for name in read if name.startswith("10")]
    assert len(sheets) >= 2 and f"Lỗi thể thức ({sheets[0][:-4]}.docx): {sheets[0]}, trang 2" in out
    assert not list((tmp_path / "2020-11" / "phan-hoi").glob("*.pdf"))

    read.clear()
    assert main(["pdf", "--period", "2020-11", "--inputs", str(SAMPLE_INPUTS), "--outputs", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert sorted(read) == ["bao-cao-so-ket.pdf", "bien-ban-hoi-nghi.pdf", "tin-bai.pdf"]
    assert "Lỗi thể thức (tin-bai.docx): tin-bai.pdf, trang 2: trang này chỉ có phần ký" in out


@needs_libreoffice  # pdftotext
def test_a_pdf_that_cannot_be_read_is_said_so(tmp_path):
    document = letter(tmp_path / "a.docx")
    (tmp_path / "a.pdf").write_bytes(b"not a pdf")
    [violation] = check_pages(document, tmp_path / "a.pdf")
    assert violation.rule == "file" and violation.where == "a.pdf" and "Không đọc được a.pdf" in violation.message
