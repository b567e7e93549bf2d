"""Run the real command on the shipped sample and read the minutes and the news
item it wrote, against the report it wrote.

A figure (any token holding a digit) in the minutes or the news item must be
the report's own, written identically; what the secretary typed into the
meeting record (dates, times, document numbers) is not a figure of the report
and is set aside first. The severance lists are read with openpyxl, not with the
pipeline's reader.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from builders import ROOT, SAMPLE_INPUTS
from docx import Document
from lxml import html as lxml_html
from openpyxl import load_workbook

PERIOD = "2020-11"
RECORD = SAMPLE_INPUTS / PERIOD / "hoi-nghi.yaml"
NEWS = ("tin-bai.docx", "tin-bai.html", "tin-bai.txt")
MANDATORY = ("Thời gian bắt đầu:", "Địa điểm:", "Thành phần tham dự:", "Chủ trì:",
             "Thư ký:", "Nội dung hội nghị:", "Hội nghị kết thúc vào")
# The meeting's own dates and times as the documents write them (18/11/2020, 8:00 to 11:30)
# and the period: inputs of the run, not figures of the report.
MEETING_MOMENTS = ("18/11/2020", "ngày 18 tháng 11 năm 2020", "8 giờ 00 phút", "11 giờ 30 phút",
                   "tháng 11 năm 2020")
TRICKY_NAME = 'Hội nghị "sơ kết" <A&B> {{ x }}'
TRICKY_BYLINE = 'CTV "Minh" Lộc <b> & {{ x }} – Trung tâm VHTT&TT'


def run_cli(inputs: Path, outputs: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline", "report", "--period", PERIOD,
               "--inputs", str(inputs), "--outputs", str(outputs)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


def copy_of_sample(root: Path) -> Path:
    inputs = root / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    return inputs


def edit_record(inputs: Path, old: str, new: str) -> None:
    path = inputs / PERIOD / "hoi-nghi.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def docx_text(path: Path) -> str:
    document = Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
    return "\n".join(parts)


def html_text(path: Path) -> str:
    return lxml_html.fragment_fromstring(path.read_text(encoding="utf-8"), create_parent="div").text_content()


def figures(text: str) -> list[str]:
    """Every whitespace token holding a digit, without the punctuation around it."""
    return [t.strip("()[],.;:!?\"'") for t in text.split() if any(c.isdigit() for c in t)]


def typed_by_the_secretary() -> list[str]:
    """Every text of the meeting record, also as it starts a line of the minutes
    (capitalised), longest first."""
    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)
        elif isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            yield from (text, text[:1].upper() + text[1:])
    return sorted(set(walk(yaml.safe_load(RECORD.read_text(encoding="utf-8")))), key=len, reverse=True)


def severance_names() -> set[str]:
    names = set()
    for path in sorted((SAMPLE_INPUTS / PERIOD).glob("*.xlsx")):
        rows = list(load_workbook(path, read_only=True)["Thôi việc"].iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows) if r and str(r[0] or "").strip().lower() == "họ và tên")
        names |= {" ".join(str(r[0]).split()) for r in rows[start + 1:] if r and r[0]}
    return names


# --- the sample ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    outputs = tmp_path_factory.mktemp("outputs")
    done = run_cli(SAMPLE_INPUTS, outputs)
    assert done.returncode == 0, done.stdout + done.stderr
    return outputs / PERIOD, done.stdout


@pytest.fixture(scope="module")
def texts(run):
    folder = run[0]
    return {
        "report": docx_text(folder / "bao-cao-so-ket.docx"),
        "minutes": docx_text(folder / "bien-ban-hoi-nghi.docx"),
        "tin-bai.docx": docx_text(folder / "tin-bai.docx"),
        "tin-bai.html": html_text(folder / "tin-bai.html"),
        "tin-bai.txt": (folder / "tin-bai.txt").read_text(encoding="utf-8"),
    }


def test_all_documents_are_written_without_notes(run):
    folder, stdout = run
    for name in ("bien-ban-hoi-nghi.docx", *NEWS):
        assert (folder / name).is_file() and str(folder / name) in stdout
    assert "hoi-nghi.yaml" not in stdout


@pytest.mark.parametrize("document", ["minutes", *NEWS])
def test_every_figure_is_the_reports_written_identically(texts, document):
    text = " ".join(texts[document].split())
    for typed in (*typed_by_the_secretary(), *MEETING_MOMENTS):
        text = text.replace(typed, " ")
    stated = figures(text)
    assert len(stated) >= 10, stated  # the check means something only if figures are stated
    report = set(figures(texts["report"]))
    assert [f for f in stated if f not in report] == []


def test_the_figures_read_as_in_the_report(texts):
    for phrase in ("còn 193 người, giảm 105 người (35,2%)", "12.318.130.500 đồng", "25/27 xã, thị trấn"):
        assert phrase in texts["report"] and phrase in texts["tin-bai.txt"]


@pytest.mark.parametrize("document", ["minutes", *NEWS])
def test_nobody_from_the_severance_lists_is_named(texts, document):
    names = severance_names()
    assert len(names) > 20
    text = " ".join(texts[document].split())
    assert [n for n in names if n in text] == []


def test_minutes_carry_the_mandatory_fields_in_order(run):
    document = Document(run[0] / "bien-ban-hoi-nghi.docx")
    paragraphs = [p.text for p in document.paragraphs]
    found = [next(i for i, t in enumerate(paragraphs) if t.startswith(label)) for label in MANDATORY]
    assert found == sorted(found)
    assert paragraphs[0] == "BIÊN BẢN"
    header = "\n".join(c.text for c in document.tables[0]._cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header and "HUYỆN ỦY PHÚ XUYÊN" in header  # the sample's Party layout
    signatures = "\n".join(c.text for c in document.tables[-1]._cells)
    assert signatures.index("THƯ KÝ") < signatures.index("CHỦ TỌA") < signatures.index("Nơi nhận:")


def test_news_item_reads_like_a_news_item(texts):
    txt = texts["tin-bai.txt"]
    assert 200 <= len(txt.split()) <= 900
    assert txt.splitlines()[2].startswith("Ngày 18/11/2020, Ban Thường vụ Huyện ủy Phú Xuyên đã tổ chức Hội nghị")
    assert txt.rstrip("\n").splitlines()[-1] == "CTV Minh Lộc – Trung tâm VHTT&TT huyện"
    assert "{{" not in txt and "{%" not in txt


def test_the_news_item_s_last_paragraph_holds_on_to_the_byline(run):
    """Only the last paragraph is kept with the next: the byline never starts a page alone,
    and the body still flows across pages."""
    paragraphs = [p for p in Document(run[0] / "tin-bai.docx").paragraphs if p.text.strip()]
    byline = paragraphs[-1]
    assert byline.text == "CTV Minh Lộc – Trung tâm VHTT&TT huyện"

    def kept(paragraph):
        own = paragraph.paragraph_format.keep_with_next
        return own if own is not None else bool(paragraph.style.paragraph_format.keep_with_next)

    body = [p for p in paragraphs if p.style.name.startswith("Tin - nội dung") or p.style.name == "Tin - đoạn cuối"]
    assert len(body) >= 5 and body[-1] is paragraphs[-2]
    assert [kept(p) for p in body] == [False] * (len(body) - 1) + [True]


def test_html_parses_and_is_plain(run):
    source = (run[0] / "tin-bai.html").read_text(encoding="utf-8")
    root = lxml_html.fragment_fromstring(source, create_parent="div")
    assert {e.tag for e in root.iter()} - {"div"} <= {"p", "strong", "em", "figure", "figcaption"}
    assert not root.xpath("//script | //style | //*[@style] | //*[@*[starts-with(name(), 'on')]]")
    assert "VHTT&amp;TT" in source and "VHTT&TT" not in source


def test_outputs_are_reproducible(run, tmp_path):
    done = run_cli(SAMPLE_INPUTS, tmp_path)
    assert done.returncode == 0
    for name in ("bien-ban-hoi-nghi.docx", *NEWS):
        assert (tmp_path / PERIOD / name).read_bytes() == (run[0] / name).read_bytes(), name


# --- data that looks like markup -------------------------------------------------


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricky")
    inputs = copy_of_sample(root)
    edit_record(inputs, 'name: "Hội nghị sơ kết việc sắp xếp người hoạt động không chuyên trách ở cấp xã, thôn, '
                        'tiểu khu"', f"name: '{TRICKY_NAME}'")
    edit_record(inputs, 'byline: "CTV Minh Lộc – Trung tâm VHTT&TT huyện"', f"byline: '{TRICKY_BYLINE}'")
    done = run_cli(inputs, root / "outputs")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "hoi-nghi.yaml" not in done.stdout
    return root / "outputs" / PERIOD


@pytest.mark.parametrize("name", ["tin-bai.docx", "tin-bai.txt", "tin-bai.html"])
def test_byline_and_name_survive_every_news_file(tricky, name):
    path = tricky / name
    text = html_text(path) if name.endswith(".html") else (
        docx_text(path) if name.endswith(".docx") else path.read_text(encoding="utf-8"))
    assert TRICKY_NAME in text and TRICKY_BYLINE in text


def test_html_source_escapes_the_data(tricky):
    source = (tricky / "tin-bai.html").read_text(encoding="utf-8")
    assert "&lt;A&amp;B&gt;" in source and "&lt;b&gt;" in source and "&#34;Minh&#34;" in source
    assert "<b>" not in source and "<A&B>" not in source
    assert {e.tag for e in lxml_html.fragment_fromstring(source, create_parent="div").iter()} - {"div"} <= {
        "p", "strong", "em", "figure", "figcaption"}


def test_minutes_keep_the_name_literally(tricky):
    assert TRICKY_NAME in docx_text(tricky / "bien-ban-hoi-nghi.docx")


# --- a missing or broken record never stops the report -------------------------


def broken_run(tmp_path: Path, change) -> tuple[subprocess.CompletedProcess, Path]:
    inputs = copy_of_sample(tmp_path)
    change(inputs)
    done = run_cli(inputs, tmp_path / "outputs")
    assert done.returncode == 0, done.stdout + done.stderr
    folder = tmp_path / "outputs" / PERIOD
    assert (folder / "bao-cao-so-ket.docx").is_file() and (folder / "phu-luc.xlsx").is_file()
    return done, folder


def test_without_a_record_the_report_is_still_written(tmp_path):
    done, folder = broken_run(tmp_path, lambda inputs: (inputs / PERIOD / "hoi-nghi.yaml").unlink())
    assert f"Lưu ý: Chưa có tệp {tmp_path / 'inputs' / PERIOD / 'hoi-nghi.yaml'}." in done.stdout
    assert "Chưa viết biên bản hội nghị và tin bài" in done.stdout
    assert not any((folder / name).exists() for name in ("bien-ban-hoi-nghi.docx", *NEWS))


def test_a_missing_key_is_named_and_the_rest_is_written(tmp_path):
    done, folder = broken_run(tmp_path, lambda inputs: edit_record(
        inputs, '  byline: "CTV Minh Lộc – Trung tâm VHTT&TT huyện"\n', ""))
    assert "Lưu ý: Tệp hoi-nghi.yaml, khóa 'news.byline': thiếu giá trị." in done.stdout
    assert "Chưa viết tin bài" in done.stdout and "news.byline" in done.stdout
    assert (folder / "bien-ban-hoi-nghi.docx").is_file()
    assert not any((folder / name).exists() for name in NEWS)


def test_a_blank_in_the_minutes_is_left_for_the_secretary(tmp_path):
    done, folder = broken_run(tmp_path, lambda inputs: edit_record(inputs, 'venue: "Hội trường Huyện ủy"', "venue:"))
    assert "khóa 'venue': thiếu giá trị" in done.stdout
    assert "Địa điểm: ……" in docx_text(folder / "bien-ban-hoi-nghi.docx")
    assert all((folder / name).is_file() for name in NEWS)  # the news item needs no venue


def test_a_record_that_is_not_yaml_is_named_with_its_line(tmp_path):
    done, _ = broken_run(tmp_path, lambda inputs: edit_record(inputs, "conclusions:\n", "conclusions: [\n"))
    assert re.search(r"Lưu ý: Tệp hoi-nghi\.yaml sai cú pháp YAML \(dòng \d+(, khóa '[^']+')?\)", done.stdout)


def test_the_minutes_name_the_report_as_its_trich_yeu_does(run):
    """Whoever presents the report presents it by its own name, stage included."""
    title = Document(run[0] / "bao-cao-so-ket.docx").core_properties.title
    assert title.startswith("Sơ kết giai đoạn 1 ")
    assert f"trình bày dự thảo Báo cáo {title[0].lower()}{title[1:]}." in docx_text(run[0] / "bien-ban-hoi-nghi.docx")
