"""The run page of the shipped sample in a real browser (headless Chromium):
no console error, no request, the figures of tong-hop.json, sorting in
Vietnamese order, and the copy buttons filling the clipboard.

A screenshot of the page (screen and print) is kept with the test's files and in
outputs/test-artifacts/ (not in git) for a person to look at.
"""

from __future__ import annotations

import json
import shutil

import pytest
from builders import ROOT, SAMPLE_INPUTS

from pipeline.core.model import ReturnStatus, StatusRow, UnitStatus
from pipeline.documents.run_page import write_run_page
from pipeline.intake.registry import load_registry
from pipeline.run.orchestrate import run_report
from pipeline.vn.numbers import format_number
from pipeline.vn.periods import parse_period
from pipeline.vn.sorting import vn_sort_key

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`; "
                                                         ".ci/run installs it)")
ARTIFACTS = ROOT / "outputs" / "test-artifacts"
PERIOD = parse_period("2020-11")


def status_rows_of(result, registry) -> list[StatusRow]:
    """The status rows of a run, derived here from its validation: the page is
    tested on its own, whatever the status step words."""
    counted = {o.code: o for o in result.validation.outcomes if o.code and o.status is not ReturnStatus.SUPERSEDED}
    rows = []
    for unit in registry:
        outcome = counted.get(unit.code)
        if outcome is None:
            rows.append(StatusRow(unit.code, unit.name, UnitStatus.MISSING, None, 0, None, "Chưa gửi báo cáo.", None))
            continue
        valid = outcome.status is ReturnStatus.VALID
        rows.append(StatusRow(unit.code, unit.name, UnitStatus.VALID if valid else UnitStatus.INVALID, outcome.file,
                              len(outcome.errors), outcome.prepared_on,
                              "Đã tổng hợp." if valid else outcome.errors[0].message(),
                              None if valid else f"phan-hoi/{outcome.file}"))
    rows += [StatusRow(o.code, o.unit_name, UnitStatus.SUPERSEDED, o.file, 0, o.prepared_on,
                       f"Đã được thay thế bằng tệp {counted[o.code].file}.", None)
             for o in result.validation.outcomes if o.status is ReturnStatus.SUPERSEDED]
    return rows


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    outputs = tmp_path_factory.mktemp("outputs")
    result = run_report(PERIOD, SAMPLE_INPUTS, outputs)
    folder = outputs / PERIOD.code
    # A previous period three valid returns short, to show the change.
    previous = json.loads((folder / "tong-hop.json").read_text(encoding="utf-8"))
    previous["returns"]["valid"] -= 3
    (outputs / PERIOD.previous().code).mkdir()
    (outputs / PERIOD.previous().code / "tong-hop.json").write_text(json.dumps(previous), encoding="utf-8")
    rows = status_rows_of(result, load_registry(SAMPLE_INPUTS))
    page = write_run_page(folder, result.statistics, rows, result.written, result.notes)
    return page, rows


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def loaded(browser, run):
    """The page as a person opens it from the folder, with everything it did recorded."""
    path, rows = run
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    events = {"errors": [], "requests": []}
    page.on("console", lambda message: message.type == "error" and events["errors"].append(message.text))
    page.on("pageerror", lambda error: events["errors"].append(str(error)))
    page.on("request", lambda request: events["requests"].append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    yield page, events, path, rows
    context.close()


def test_no_console_error_and_no_request(loaded):
    page, events, path, _ = loaded
    assert events["errors"] == []
    assert events["requests"] == [path.as_uri()]


def test_screenshots_are_kept(loaded, tmp_path):
    page, _, _, _ = loaded
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, media in (("run-page.png", "screen"), ("run-page-print.png", "print")):
        page.emulate_media(media=media)
        shot = page.screenshot(full_page=True)
        (tmp_path / name).write_bytes(shot)
        (ARTIFACTS / name).write_bytes(shot)
        assert shot.startswith(b"\x89PNG")
    page.emulate_media(media="screen")


def test_figures_are_those_of_tong_hop_json(loaded):
    page, _, path, _ = loaded
    data = json.loads((path.parent / "tong-hop.json").read_text(encoding="utf-8"))
    expected = {
        "returns.valid": data["returns"]["valid"],
        "commune.people_after": data["commune"]["people_after"],
        "commune.on_target": data["commune"]["communes"]["count"] - data["commune"]["over_target"]["count"],
        "villages.after": data["villages"]["after"]["count"],
        "villages.people_after": data["villages"]["people_after"],
        "villages.on_target": data["villages"]["meeting_target"]["count"],
        "severance.cases": data["severance"]["cases"],
        "severance.paid_amount": data["severance"]["paid_amount"],
    }
    shown = page.eval_on_selector_all(
        "[data-figure]", "cards => cards.map(c => [c.dataset.figure, c.querySelector('data').value, c.innerText])")
    assert {key: int(value) for key, value, _ in shown} == expected
    for key, value, text in shown:
        assert format_number(int(value)) in text, key
    returns = next(text for key, _, text in shown if key == "returns.valid")
    assert "Kỳ trước: 22/27 — tăng 3 báo cáo" in returns
    assert page.is_visible("[data-figure='severance.paid_amount']")


def test_status_table_sorts_in_vietnamese_order(loaded):
    page, _, _, rows = loaded
    names = "rows => rows.map(r => r.cells[1].textContent)"
    table = "#bang-tinh-hinh tbody tr"
    assert page.eval_on_selector_all(table, names) == [r.name for r in rows]
    ascending = [r.name for r in sorted(rows, key=lambda r: vn_sort_key(r.name))]
    page.click("#bang-tinh-hinh th button[data-column='name']")
    assert page.eval_on_selector_all(table, names) == ascending
    assert page.get_attribute("#bang-tinh-hinh th:nth-child(2)", "aria-sort") == "ascending"
    page.click("#bang-tinh-hinh th button[data-column='name']")
    assert page.eval_on_selector_all(table, names) == ascending[::-1]
    page.click("#bang-tinh-hinh th button[data-column='status']")
    statuses = page.eval_on_selector_all(table, "rows => rows.map(r => r.cells[2].textContent)")
    assert statuses[0] == UnitStatus.INVALID.value and statuses[-1] == UnitStatus.VALID.value


def test_feedback_links_stay_in_the_folder(loaded):
    page, _, _, rows = loaded
    hrefs = page.eval_on_selector_all("#bang-tinh-hinh a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [r.feedback.replace(" ", "%20") for r in rows if r.feedback]


def test_the_news_item_is_shown_and_fits_its_frame(loaded):
    page, _, path, _ = loaded
    headline = (path.parent / "tin-bai.txt").read_text(encoding="utf-8").splitlines()[0]
    assert page.frame_locator("#khung-tin-bai").locator("h1").inner_text() == headline
    fitted = page.evaluate("""() => {
        const frame = document.getElementById('khung-tin-bai');
        return frame.clientHeight >= frame.contentDocument.documentElement.getBoundingClientRect().height;
    }""")
    assert fitted


@pytest.mark.parametrize("kind, file", [("text", "tin-bai.txt"), ("html", "tin-bai.html")])
def test_copy_buttons_put_the_news_item_on_the_clipboard(loaded, kind, file):
    page, events, path, _ = loaded
    page.evaluate("document.getElementById('ket-qua-chep').textContent = ''")
    page.click(f"button[data-copy='{kind}']")
    # A selector rather than wait_for_function, whose polling evaluates strings: the page's CSP forbids that.
    page.wait_for_selector("#ket-qua-chep:not(:empty)")
    assert page.text_content("#ket-qua-chep").startswith("Đã chép")
    assert page.evaluate("navigator.clipboard.readText()") == (path.parent / file).read_text(encoding="utf-8")
    assert events["errors"] == []


def test_document_links_open_files_of_the_run(loaded):
    page, _, path, _ = loaded
    hrefs = page.eval_on_selector_all("ul.documents a", "links => links.map(a => a.getAttribute('href'))")
    assert "bao-cao-so-ket.docx" in hrefs and "tin-bai.txt" in hrefs
    assert all((path.parent / href).is_file() for href in hrefs)
