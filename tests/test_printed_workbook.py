"""The format check's reading of a printed workbook (`pipeline.render.printed_workbook`):
what openpyxl reads of the same file, without its cells; the defaults Excel leaves
out; files that are no workbook."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from builders import SAMPLE_INPUTS
from hostile_corpus import patch_entry, rewrite_zip

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from pipeline.render.check import check_workbook
from pipeline.render.pdf import find_soffice
from pipeline.render.printed_workbook import PrintedWorkbookError, read_printed_workbook
from pipeline.run.orchestrate import run_report
from pipeline.vn.periods import parse_period

FONTS = ("Times New Roman", "Arial", "Calibri")


@pytest.fixture(scope="module")
def annex(tmp_path_factory) -> Path:
    """The district sample's annex, as `make report` writes it."""
    outputs = tmp_path_factory.mktemp("out")
    run_report(parse_period("2020-11"), SAMPLE_INPUTS, outputs)
    return outputs / "2020-11" / "phu-luc.xlsx"


def _rewritten(source: Path, target: Path, part: str, change) -> Path:
    """`source` with one part's text changed by `change`, the rest as it was."""
    return rewrite_zip(source, target, {part: lambda data: change(data.decode()).encode()})


@st.composite
def print_setups(draw):
    sheets = []
    for _ in range(draw(st.integers(1, 3))):
        first = draw(st.integers(1, 6))
        sheets.append({
            "orientation": draw(st.sampled_from(["landscape", "portrait", None])),
            "paper": draw(st.sampled_from([9, 1, 8, None])),
            "fit": draw(st.booleans()),
            "wide": draw(st.sampled_from([0, 1, 2, None])),
            "tall": draw(st.sampled_from([0, 1, 3, None])),
            "titles": draw(st.sampled_from([None, f"{first}:{first}", f"{first}:{first + 2}"])),
            "title_columns": draw(st.booleans()),
            "merges": draw(st.lists(st.tuples(st.integers(1, 9), st.integers(0, 3)), max_size=3)),
            "filter": draw(st.sampled_from([None, "A5:C9", "B2:B2"])),
            "margins": draw(st.sampled_from([None, (1.18, 0.79, 0.79, 0.59), (0.25, 0.3, 0.4, 0.5)])),
            "cells": draw(st.lists(st.tuples(st.integers(1, 9), st.integers(1, 4), st.sampled_from(FONTS),
                                             st.sampled_from(["text", 3, "=1+1", None])), max_size=8)),
        })
    return sheets


def _workbook(setups, path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    for number, setup in enumerate(setups):
        sheet = book.create_sheet(f"Trang '{number}' của tôi")
        if setup["orientation"]:
            sheet.page_setup.orientation = setup["orientation"]
        if setup["paper"]:
            sheet.page_setup.paperSize = setup["paper"]
        sheet.sheet_properties.pageSetUpPr.fitToPage = setup["fit"]
        if setup["wide"] is not None:
            sheet.page_setup.fitToWidth = setup["wide"]
        if setup["tall"] is not None:
            sheet.page_setup.fitToHeight = setup["tall"]
        if setup["titles"]:
            sheet.print_title_rows = setup["titles"]
        if setup["title_columns"]:
            sheet.print_title_cols = "A:B"
        for top, depth in setup["merges"]:
            sheet.merge_cells(start_row=top, end_row=top + depth, start_column=6, end_column=7)
        if setup["filter"]:
            sheet.auto_filter.ref = setup["filter"]
        if setup["margins"]:
            sheet.page_margins.top, sheet.page_margins.bottom, sheet.page_margins.left, \
                sheet.page_margins.right = setup["margins"]
        for row, column, font, value in setup["cells"]:
            cell = sheet.cell(row, column, value)
            cell.font = Font(name=font)
    book.save(path)
    return path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(setups=print_setups())
def test_reads_what_openpyxl_reads_of_the_same_workbook(tmp_path, setups):
    path = _workbook(setups, tmp_path / "sổ.xlsx")
    read, loaded = read_printed_workbook(path), load_workbook(path)
    assert [s.title for s in read.sheets] == loaded.sheetnames
    for mine, theirs in zip(read.sheets, loaded.worksheets):
        setup = theirs.page_setup
        assert mine.orientation == (setup.orientation or "default")
        assert str(mine.paper_size) == str(setup.paperSize or 1)
        assert mine.fit_to_page == bool(theirs.sheet_properties.pageSetUpPr.fitToPage)
        # openpyxl reads an attribute left out as None; the standard, and Excel, as 1.
        assert mine.fit_to_width == (1 if setup.fitToWidth is None else setup.fitToWidth)
        assert mine.fit_to_height == (1 if setup.fitToHeight is None else setup.fitToHeight)
        rows = re.search(r"\$(\d+):\$(\d+)", theirs.print_title_rows or "")
        assert mine.title_rows == (tuple(map(int, rows.groups())) if rows else None)
        assert sorted(mine.merged_rows) == sorted((r.min_row, r.max_row) for r in theirs.merged_cells.ranges)
        assert mine.filter_row == (int(re.search(r"\d+", theirs.auto_filter.ref)[0]) if theirs.auto_filter.ref
                                   else None)
        margins = theirs.page_margins
        assert mine.margins == {side: getattr(margins, side) for side in ("left", "right", "top", "bottom")}
        assert mine.fonts == {c.font.name for row in theirs.iter_rows() for c in row if c.value is not None}
    assert read.creator == loaded.properties.creator


def test_fit_to_one_page_wide_left_out_as_excel_saves_it_passes(annex, tmp_path):
    """Excel writes no `fitToWidth` when it is 1, the standard's default."""
    changed = _rewritten(annex, tmp_path / "phu-luc.xlsx", "xl/worksheets/sheet1.xml",
                         lambda xml: xml.replace(' fitToWidth="1"', ""))
    assert load_workbook(changed).worksheets[0].page_setup.fitToWidth is None  # openpyxl's reading
    assert read_printed_workbook(changed).sheets[0].fit_to_width == 1
    assert check_workbook(changed) == []


@pytest.mark.parametrize("titles, rows", [
    ("'Phụ lục'!$A:$B,'Phụ lục'!$3:$5", (3, 5)),
    ("'Phụ lục'!$3:$5,'Phụ lục'!$A:$B", (3, 5)),
    ("'Phụ lục'!$A:$B", None),
    ("#REF!", None),
])
def test_print_titles_are_read_with_or_without_columns(annex, tmp_path, titles, rows):
    changed = _rewritten(annex, tmp_path / "phu-luc.xlsx", "xl/workbook.xml",
                         lambda xml: re.sub(r'(<definedName name="_xlnm.Print_Titles"[^>]*>)[^<]*',
                                            lambda m: m[1] + titles.replace("'", "&apos;"), xml))
    assert read_printed_workbook(changed).sheets[0].title_rows == rows


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) chưa được cài")
def test_the_annex_saved_again_by_libreoffice_still_passes(annex, tmp_path):
    """Another writer: every attribute written out, other defaults, other part names."""
    subprocess.run([find_soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), str(annex)],
                   check=True, capture_output=True, timeout=120)
    assert check_workbook(tmp_path / "lo" / "phu-luc.xlsx") == []


def _not_a_zip(annex: Path, target: Path) -> Path:
    target.write_bytes(b"PK\x03\x04 not really")
    return target


def _without(part: str):
    def damage(annex: Path, target: Path) -> Path:
        with zipfile.ZipFile(annex) as old, zipfile.ZipFile(target, "w") as new:
            for item in old.infolist():
                if item.filename != part:
                    new.writestr(item, old.read(item))
        return target
    damage.__name__ = f"without {part}"
    return damage


def _broken_sheet(annex: Path, target: Path) -> Path:
    return _rewritten(annex, target, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])


def _corrupted(annex: Path, target: Path) -> Path:
    """Bytes flipped in the middle of the sheet's compressed data: a damaged download."""
    data = bytearray(annex.read_bytes())
    with zipfile.ZipFile(annex) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename.encode()) + len(sheet.extra)
    for at in range(start + sheet.compress_size // 2, start + sheet.compress_size // 2 + 16):
        data[at] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def _encrypted(annex: Path, target: Path) -> Path:
    """The sheet marked encrypted: a password it does not have."""
    target.write_bytes(patch_entry(annex.read_bytes(), "xl/worksheets/sheet1.xml", flags=1))
    return target


def _deflate64(annex: Path, target: Path) -> Path:
    """The sheet said compressed by Deflate64, which zipfile cannot undo."""
    target.write_bytes(patch_entry(annex.read_bytes(), "xl/worksheets/sheet1.xml", method=9))
    return target


def _name_not_utf8(annex: Path, target: Path) -> Path:
    """A part's name said to be UTF-8 that is not."""
    data = patch_entry(annex.read_bytes(), "docProps/app.xml", flags=0x800)
    target.write_bytes(data.replace(b"docProps/app.xml", b"docProps/\xff\xfepp.xml"))
    return target


def _chart_sheets_only(annex: Path, target: Path) -> Path:
    """The worksheets' links taken for chart sheets': nothing left to print as a table."""
    return _rewritten(annex, target, "xl/_rels/workbook.xml.rels",
                      lambda xml: xml.replace("relationships/worksheet", "relationships/chartsheet"))


def _margin_not_a_number(annex: Path, target: Path) -> Path:
    return _rewritten(annex, target, "xl/worksheets/sheet1.xml",
                      lambda xml: re.sub(r'(<pageMargins[^>]* left=")[^"]*', r"\1hai mươi", xml))


def _entities(annex: Path, target: Path) -> Path:
    """A billion laughs in the sheet's name."""
    laughs = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9)) + "]>"
    return _rewritten(annex, target, "xl/workbook.xml",
                      lambda xml: laughs + re.sub(r"^<\?xml[^>]*\?>", "", xml).replace("Phụ lục", "&j;", 1))


def _strict_open_xml(annex: Path, target: Path) -> Path:
    """Saved as Strict Open XML: other namespaces, which the check does not read."""
    return _rewritten(annex, target, "xl/workbook.xml", lambda xml: xml.replace(
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"))


@pytest.mark.parametrize("damage", [_not_a_zip, _without("xl/workbook.xml"), _broken_sheet,
                                    _without("_rels/.rels"), _without("xl/styles.xml"), _entities,
                                    _strict_open_xml, _corrupted, _encrypted, _deflate64, _name_not_utf8,
                                    _chart_sheets_only, _margin_not_a_number])
def test_a_file_the_check_cannot_read_is_one_finding_not_a_crash(annex, tmp_path, damage):
    path = damage(annex, tmp_path / "phu-luc.xlsx")
    with pytest.raises(PrintedWorkbookError):
        read_printed_workbook(path)
    [finding] = check_workbook(path)
    assert finding.rule == "file" and "không mở được tệp như một bảng tính Excel (.xlsx)" in finding.message


@pytest.mark.parametrize("written", ["một", "²", "-1", ""])
def test_a_fit_written_so_it_cannot_be_read_is_not_taken_for_one_page_wide(annex, tmp_path, written):
    changed = _rewritten(annex, tmp_path / "phu-luc.xlsx", "xl/worksheets/sheet1.xml",
                         lambda xml: xml.replace('fitToWidth="1"', f'fitToWidth="{written}"'))
    assert read_printed_workbook(changed).sheets[0].fit_to_width is None
    assert [v.message for v in check_workbook(changed)] == ["cần co vừa một trang theo chiều ngang (Fit to 1 page wide)."]


def test_print_titles_belong_to_the_sheet_counted_among_all_sheets(annex, tmp_path):
    """`localSheetId` counts every sheet, a chart sheet before the worksheet too."""
    def chart_first(xml: str) -> str:
        xml = xml.replace("<sheets>", '<sheets><sheet name="Biểu đồ" sheetId="9" r:id="biểu-đồ"/>')
        return xml.replace('localSheetId="0"', 'localSheetId="1"')
    changed = _rewritten(annex, tmp_path / "phu-luc.xlsx", "xl/workbook.xml", chart_first)
    [sheet] = read_printed_workbook(changed).sheets
    assert sheet.title_rows == (3, 5) and check_workbook(changed) == []


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", "docProps/core.xml"])
def test_a_part_missing_is_named_in_vietnamese(annex, tmp_path, part):
    [finding] = check_workbook(_without(part)(annex, tmp_path / "phu-luc.xlsx"))
    assert finding.message == f"không mở được tệp như một bảng tính Excel (.xlsx): thiếu phần {part}."


@pytest.mark.parametrize("sheet", ["²", "x", "-0"])
def test_print_titles_of_a_sheet_written_so_it_cannot_be_read_belong_to_none(annex, tmp_path, sheet):
    changed = _rewritten(annex, tmp_path / "phu-luc.xlsx", "xl/workbook.xml",
                         lambda xml: xml.replace('localSheetId="0"', f'localSheetId="{sheet}"'))
    assert read_printed_workbook(changed).sheets[0].title_rows is None
