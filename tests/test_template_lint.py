"""Template lint on the shipped templates and on copies broken the ways Word
and a hurried edit break them; plus what docxtpl itself mends (measured)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from builders import ROOT, RULES, RUN_DATE, SAMPLE_INPUTS
from docx import Document

from pipeline.documents.report import report_context
from pipeline.figures.aggregate import aggregate
from pipeline.intake.ingest import ingest
from pipeline.intake.registry import load_registry
from pipeline.intake.settings import load_period_settings, load_settings
from pipeline.intake.validate import validate
from pipeline.render.lint import LintFinding, format_findings, lint_template, lint_templates
from pipeline.render.word import render_docx
from pipeline.vn.periods import parse_period

TEMPLATES = ROOT / "templates_docx"
REPORT = TEMPLATES / "bao-cao-so-ket.docx"
ISSUER = "<w:r><w:t>{{ doc.issuer }}</w:t></w:r></w:p>"


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    """The report's context as the code builds it from the sample."""
    period = parse_period("2020-11")
    settings = load_settings(SAMPLE_INPUTS)
    registry = load_registry(SAMPLE_INPUTS)
    validation = validate(ingest(SAMPLE_INPUTS / period.code), registry, period, today=RUN_DATE, rules=RULES)
    stats = aggregate(validation, registry, settings, period)
    return report_context(stats, settings, load_period_settings(SAMPLE_INPUTS / period.code))


def broken(tmp_path: Path, old: str, new: str, name: str = "mau.docx") -> Path:
    """A copy of the report template with one edit in word/document.xml."""
    target = tmp_path / name
    with zipfile.ZipFile(REPORT) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text, old
                data = text.replace(old, new, 1).encode("utf-8")
            copy.writestr(entry, data)
    return target


def kinds(findings: list[LintFinding]) -> list[str]:
    return [f.kind for f in findings]


def errors(findings: list[LintFinding]) -> list[LintFinding]:
    """Everything but the unused-value findings."""
    return [f for f in findings if f.kind != "unused_value"]


# --- the shipped templates -------------------------------------------------------------


def test_report_template_has_no_errors_against_the_real_context(context):
    findings = errors(lint_template(REPORT, context))
    assert findings == [], "\n".join(f.text() for f in findings)


def test_report_template_uses_every_value_the_code_provides(context):
    unused = [f for f in lint_template(REPORT, context) if f.kind == "unused_value"]
    assert unused == [], "\n".join(f.text() for f in unused)


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.docx")), ids=lambda p: p.name)
def test_every_shipped_template_parses_without_split_tags(template):
    findings = lint_template(template, None)
    assert findings == [], "\n".join(f.text() for f in findings)


# --- broken copies -----------------------------------------------------------------------


def test_tag_split_across_paragraphs_is_caught(tmp_path, context):
    path = broken(tmp_path, ISSUER, "<w:r><w:t>{{ doc.</w:t></w:r></w:p><w:p><w:r><w:t>issuer }}</w:t></w:r></w:p>")
    findings = errors(lint_template(path, context))
    assert kinds(findings) == ["split_tag"]
    assert "«{{ doc.»" in findings[0].where
    assert findings[0].message.startswith("thẻ «{{ doc.issuer }}» bắt đầu ở đoạn này và kết thúc ở đoạn khác")


def test_tag_split_across_a_tracked_change_is_caught(tmp_path):
    path = broken(tmp_path, ISSUER, '<w:r><w:t>{{ doc.</w:t></w:r><w:ins w:id="9" w:author="A">'
                                    '<w:r><w:t>issuer }}</w:t></w:r></w:ins></w:p>')
    findings = lint_template(path, None)
    assert kinds(findings) == ["split_tag"]
    assert "phần sửa có theo dõi (Track Changes)" in findings[0].message


def test_misspelt_variable_names_the_paragraph(tmp_path, context):
    findings = errors(lint_template(broken(tmp_path, "{{ doc.issuer }}", "{{ doc.isuer }}"), context))
    assert kinds(findings) == ["unknown_variable"]
    assert findings[0].where == "mục 1, bảng 1, hàng 1, ô 1 «{{ doc.isuer }}»"
    assert findings[0].message.startswith("biến «doc.isuer» không có trong dữ liệu chương trình cung cấp: "
                                          "«doc» không có «isuer». Có phải «issuer»?")


def test_misspelt_loop_variable_is_resolved_through_the_loop(tmp_path, context):
    findings = errors(lint_template(broken(tmp_path, "{{ r.name }}", "{{ r.nme }}"), context))
    assert kinds(findings) == ["unknown_variable"]
    assert "«{{ r.nme }}»" in findings[0].where
    assert "biến «r.nme» (tức «annex.rows[].nme»)" in findings[0].message


def test_missing_closing_braces_is_a_syntax_error_in_its_paragraph(tmp_path, context):
    findings = lint_template(broken(tmp_path, "{{ doc.issuer }}", "{{ doc.issuer }"), context)
    assert findings == [LintFinding("syntax", "mục 1, bảng 1, hàng 1, ô 1 «{{ doc.issuer }»",
                                    "thiếu dấu «}}» đóng thẻ.")]


def test_wrong_end_tag_names_the_open_loop(tmp_path):
    findings = lint_template(broken(tmp_path, "{%p endfor %}", "{%p endif %}"), None)
    assert kinds(findings) == ["syntax"]
    assert findings[0].where.endswith("«{%p endif %}»")
    assert "lệnh «for» mở ở mục 1, đoạn 5 «{%p for p in intro %}»" in findings[0].message
    assert "cần «endfor» hoặc «else» trước" in findings[0].message


def test_unknown_filter_is_caught(tmp_path):
    findings = lint_template(broken(tmp_path, "{{ doc.issuer }}", "{{ doc.issuer | upperr }}"), None)
    assert [(f.kind, f.message) for f in findings] == [("syntax", "bộ lọc «upperr» không tồn tại; có phải «upper»?")]


def test_paragraph_tag_sharing_its_paragraph_is_caught(tmp_path):
    findings = lint_template(broken(tmp_path, "{%p if causes %}", "Ghi chú {%p if causes %}"), None)
    assert kinds(findings) == ["split_tag"]
    assert "phần còn lại của đoạn («Ghi chú») sẽ bị xóa khi điền" in findings[0].message


def test_closing_braces_without_opening_are_caught(tmp_path):
    findings = lint_template(broken(tmp_path, "{{ doc.issuer }}", "{ { doc.issuer }}"), None)
    assert kinds(findings) == ["syntax"]
    assert "có dấu «}}» nhưng không có dấu mở thẻ" in findings[0].message


def test_a_value_nobody_uses_is_reported(context):
    extended = {**context, "doc": {**context["doc"], "fax": "024 3385 0000"}}
    unused = [f for f in lint_template(REPORT, extended) if f.kind == "unused_value"]
    assert LintFinding("unused_value", "dữ liệu cho mẫu bao-cao-so-ket.docx",
                       "giá trị «doc.fax» chương trình cung cấp nhưng không mẫu nào dùng.") in unused


def test_unused_is_computed_over_all_templates(tmp_path, context):
    extended = {**context, "doc": {**context["doc"], "fax": "024 3385 0000"}}
    other = broken(tmp_path, "{{ doc.parent_body }}", "{{ doc.parent_body }} {{ doc.fax }}", "khac.docx")
    results = lint_templates({REPORT: extended, other: extended})
    messages = [f.message for _, f in results if f.kind == "unused_value"]
    assert not any("doc.fax" in m for m in messages)
    report_text = format_findings(results, [REPORT, other])
    assert f"{REPORT}: " in report_text and f"{other}: " in report_text


# --- what docxtpl mends, measured ------------------------------------------------------------


def rendered_text(template: Path, context: dict, target: Path) -> list[str]:
    return [p.text for p in Document(render_docx(template, context, target)).tables[0].rows[0].cells[0].paragraphs]


def test_docxtpl_mends_a_tag_split_over_runs_of_one_paragraph(tmp_path, context):
    path = broken(tmp_path, ISSUER, "<w:r><w:t>{{ doc.</w:t></w:r><w:r><w:t>issuer }}</w:t></w:r></w:p>")
    assert lint_template(path, None) == []
    assert context["doc"]["issuer"] in rendered_text(path, context, tmp_path / "out.docx")


def test_docxtpl_merges_paragraphs_around_a_tag_split_over_them(tmp_path, context):
    """Why a cross-paragraph split is reported although the render succeeds."""
    path = broken(tmp_path, ISSUER, "<w:r><w:t>{{ doc.</w:t></w:r></w:p><w:p><w:r><w:t>issuer }} phụ</w:t></w:r></w:p>")
    cell = rendered_text(path, context, tmp_path / "out.docx")
    assert f"{context['doc']['issuer']} phụ" in cell  # two paragraphs became one
