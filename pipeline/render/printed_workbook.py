"""What the format check needs of an .xlsx the office prints — each worksheet's page
setup, print titles, merges, filter and the fonts of its filled cells — read straight
from the package's XML, not loaded cell by cell (openpyxl built an object for every
cell and its style to look at a handful of settings and one font per style).

An attribute the XML leaves out takes the default of the Office Open XML standard, as
Excel means it when it leaves it out on saving (`fitToWidth="1"`, for one); margins left
out, Excel's "Normal" ones, which it prints with. A value that cannot be read is None.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

from pipeline.render.xlsx import (
    A4_PAPER,
    DUBLIN_CORE,
    EXCEL_MARGINS,
    PACKAGE_RELATIONSHIPS,
    PRINT_TITLES,
    RELATIONSHIPS,
    SPREADSHEET_MAIN,
)

_MAIN = f"{{{SPREADSHEET_MAIN}}}"
_RELATION_ID = f"{{{RELATIONSHIPS}}}id"
_PACKAGE_RELATIONSHIP = f"{{{PACKAGE_RELATIONSHIPS}}}Relationship"
_CREATOR = f"{{{DUBLIN_CORE}}}creator"

# ECMA-376 Part 1, §18.3.1.63 (pageSetup).
_DEFAULT_PAPER_SIZE = 1  # Letter
_DEFAULT_FIT = 1  # pages wide, pages tall
# The rows part of a print-titles range, `'Phụ lục'!$3:$5` (after any columns part, `…!$A:$B,`).
_TITLE_ROWS = re.compile(r"!\$?(\d+):\$?(\d+)\s*(?:,|$)")
_ROWS_OF_RANGE = re.compile(r"^\$?[A-Za-z]*\$?(\d+)(?::\$?[A-Za-z]*\$?(\d+))?$")
# The parts read whole (the workbook, its links, styles, properties) are kilobytes in any
# real workbook; one far bigger is damaged or a zip bomb. The sheets are read as they unpack.
_WHOLE_PART_MAX_BYTES = 16 * 2**20
_SIDES = ("top", "bottom", "left", "right")


class PrintedWorkbookError(ValueError):
    """The file is not an .xlsx package this reader can follow; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class PrintedSheet:
    title: str
    orientation: str  # "landscape", "portrait" or "default"
    paper_size: int | None  # A4_PAPER or another; None: written so it cannot be read
    fit_to_page: bool
    fit_to_width: int | None  # pages wide; 0: as many as it takes; None: written so it cannot be read
    fit_to_height: int | None
    title_rows: tuple[int, int] | None  # the rows printed atop every page
    merged_rows: tuple[tuple[int, int], ...]  # the first and last row of each merged range
    filter_row: int | None  # the auto filter's first row: the last of the header
    margins: Mapping[str, float]  # inches, by side: top, bottom, left, right
    fonts: frozenset[str]  # of the cells that hold a value; "" for a font without a name


@dataclass(frozen=True)
class PrintedWorkbook:
    creator: str
    sheets: tuple[PrintedSheet, ...]


def read_printed_workbook(path: Path) -> PrintedWorkbook:
    """Raises PrintedWorkbookError, saying what is wrong, when the file is not one."""
    try:
        with zipfile.ZipFile(path) as package:
            return _read(package)
    except PrintedWorkbookError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise PrintedWorkbookError(f"tệp nén hỏng ({error})") from error
    except (NotImplementedError, RuntimeError) as error:  # a compression it cannot undo, a password
        raise PrintedWorkbookError(f"tệp nén theo cách chương trình không mở được ({error})") from error
    except KeyError as error:  # a part the relationships name is not in the package
        raise PrintedWorkbookError(f"thiếu phần {error.args[0]}") from error
    except etree.LxmlError as error:
        raise PrintedWorkbookError(f"một phần XML hỏng ({error})") from error
    except OSError as error:
        raise PrintedWorkbookError(f"không đọc được tệp ({error.strerror or error})") from error
    except ValueError as error:  # a name in the zip's directory that is no UTF-8, say
        raise PrintedWorkbookError(f"tệp hỏng ({error})") from error


def _read(package: zipfile.ZipFile) -> PrintedWorkbook:
    root = _relations(package, "")
    book_part = _only(root, "/officeDocument")
    book = _parse(package, book_part)
    if book.tag != f"{_MAIN}workbook":  # Strict Open XML, say: none of its settings would be found
        raise PrintedWorkbookError(f"phần {book_part} không phải sổ tính dạng Office Open XML thông thường")
    book_relations = _relations(package, book_part)
    styles = _of_type(book_relations, "/styles")
    fonts = _fonts_by_style(package, styles[0]) if styles else []
    titles = _title_rows(book)
    sheets = []
    for index, sheet in enumerate(book.iter(f"{_MAIN}sheet")):  # localSheetId counts chart sheets too
        target, kind = book_relations.get(sheet.get(_RELATION_ID, ""), ("", ""))
        if kind.endswith("/worksheet"):
            sheets.append(_read_sheet(package, target, sheet.get("name", ""), titles.get(index), fonts))
    if not sheets:
        raise PrintedWorkbookError("không có trang tính nào đọc được")
    core = _of_type(root, "/core-properties")
    creator = _parse(package, core[0]).findtext(_CREATOR) if core else None
    return PrintedWorkbook(creator or "", tuple(sheets))


def _relations(package: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (the part it targets, its type), for `part` ("" for the package)."""
    folder, name = posixpath.split(part)
    try:
        found = _parse(package, posixpath.join(folder, "_rels", f"{name}.rels"))
    except KeyError:  # a part without relationships
        return {}
    relations = {}
    for relation in found.iter(_PACKAGE_RELATIONSHIP):
        if relation.get("TargetMode") == "External":
            continue
        target = relation.get("Target", "")
        target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        relations[relation.get("Id", "")] = (target, relation.get("Type", ""))
    return relations


def _of_type(relations: Mapping[str, tuple[str, str]], kind: str) -> list[str]:
    return [target for target, type_ in relations.values() if type_.endswith(kind)]


def _only(relations: Mapping[str, tuple[str, str]], kind: str) -> str:
    targets = _of_type(relations, kind)
    if not targets:
        raise KeyError(f"{kind.lstrip('/')} (không có trong _rels)")
    return targets[0]


def _parser() -> etree.XMLParser:
    # The check also reads workbooks from elsewhere (`make check`): no entities, no network.
    return etree.XMLParser(resolve_entities=False, no_network=True)


def _parse(package: zipfile.ZipFile, part: str) -> Any:
    with _open(package, part, _WHOLE_PART_MAX_BYTES) as stream:
        return etree.parse(stream, _parser()).getroot()


def _open(package: zipfile.ZipFile, part: str, max_bytes: int | None = None) -> IO[bytes]:
    """Raises KeyError(part) for a part not in the package."""
    try:
        info = package.getinfo(part)
    except KeyError:
        raise KeyError(part) from None
    if max_bytes is not None and info.file_size > max_bytes:  # zipfile unpacks no more than it declares
        raise PrintedWorkbookError(f"phần {part} lớn bất thường")
    return package.open(info)


def _title_rows(book: Any) -> dict[int, tuple[int, int]]:
    """Sheet index → the rows its print titles repeat (the names local to a sheet)."""
    titles = {}
    for name in book.iter(f"{_MAIN}definedName"):
        text = name.text or ""
        index = _whole(name.get("localSheetId"))
        if name.get("name") == PRINT_TITLES and index is not None:
            if rows := _TITLE_ROWS.search(text):
                titles[index] = (int(rows[1]), int(rows[2]))
    return titles


def _fonts_by_style(package: zipfile.ZipFile, part: str) -> list[str]:
    """The font name of each cell style (`cellXfs`), by the style index cells carry in `s`."""
    styles = _parse(package, part)
    fonts = [font.find(f"{_MAIN}name") for font in styles.iterfind(f"{_MAIN}fonts/{_MAIN}font")]
    names = ["" if name is None else name.get("val", "") for name in fonts]
    by_style = []
    for style in styles.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf"):
        by_style.append(_nth(names, style.get("fontId", "0")))
    return by_style


def _read_sheet(package: zipfile.ZipFile, part: str, title: str, title_rows: tuple[int, int] | None,
                fonts_by_style: list[str]) -> PrintedSheet:
    setup: Mapping[str, str] = {}
    margins: Mapping[str, str] = {}
    fit_to_page, merged, filter_row = False, [], None
    styles: set[str] = set()
    with _open(package, part) as stream:
        for element in _elements(stream):
            tag = element.tag
            if tag == f"{_MAIN}c":
                # Thousands of cells, a few styles: a style already found needs no second look.
                if (style := element.get("s", "0")) not in styles and _holds_value(element):
                    styles.add(style)
            elif tag == f"{_MAIN}pageSetUpPr":
                fit_to_page = element.get("fitToPage") in ("1", "true")
            elif tag == f"{_MAIN}pageSetup":
                setup = dict(element.attrib)
            elif tag == f"{_MAIN}pageMargins":
                margins = dict(element.attrib)
            elif tag == f"{_MAIN}mergeCell":
                if rows := _ROWS_OF_RANGE.match(element.get("ref", "")):
                    merged.append((int(rows[1]), int(rows[2] or rows[1])))
            elif tag == f"{_MAIN}autoFilter":
                if rows := _ROWS_OF_RANGE.match(element.get("ref", "")):
                    filter_row = int(rows[1])
    return PrintedSheet(
        title=title,
        orientation=setup.get("orientation", "default"),
        paper_size=_number(setup.get("paperSize"), _DEFAULT_PAPER_SIZE),
        fit_to_page=fit_to_page,
        fit_to_width=_number(setup.get("fitToWidth"), _DEFAULT_FIT),
        fit_to_height=_number(setup.get("fitToHeight"), _DEFAULT_FIT),
        title_rows=title_rows,
        merged_rows=tuple(merged),
        filter_row=filter_row,
        margins={side: _inches(margins, side, title) for side in _SIDES},
        fonts=frozenset(_nth(fonts_by_style, style) for style in styles),
    )


def _inches(margins: Mapping[str, str], side: str, sheet: str) -> float:
    """A margin as written; where `pageMargins` is left out, Excel's "Normal" margins."""
    if not margins:
        return getattr(EXCEL_MARGINS, side)
    written = margins.get(side, "")
    try:
        return float(written)
    except ValueError:
        raise PrintedWorkbookError(f"trang tính «{sheet}» ghi một lề trang in là «{written}», không phải một số") from None


_WANTED = tuple(f"{_MAIN}{name}" for name in ("c", "pageSetUpPr", "pageSetup", "pageMargins", "mergeCell",
                                               "autoFilter"))


def _elements(stream: IO[bytes]) -> Iterator[Any]:
    """The sheet's elements the check reads, each complete; each row dropped once read,
    so a sheet of any length takes little memory."""
    for _, element in etree.iterparse(stream, events=("end",), tag=(*_WANTED, f"{_MAIN}row"),
                                      resolve_entities=False, no_network=True):
        if element.tag == f"{_MAIN}row":
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
        else:
            yield element


def _holds_value(cell: Any) -> bool:
    """As openpyxl reads it: a value, a formula or an inline string."""
    return any(child.tag in (f"{_MAIN}f", f"{_MAIN}is") or (child.tag == f"{_MAIN}v" and child.text)
               for child in cell)


def _number(text: str | None, default: int) -> int | None:
    """A whole number written, `default` where none is; None where it cannot be read."""
    return default if text is None else _whole(text)


def _whole(text: str | None) -> int | None:
    """`text` as a whole number; None where it is none (`isdigit` passes "²", which `int` refuses)."""
    return int(text) if text is not None and text.strip().isdecimal() else None


def _nth(names: list[str], index: str) -> str:
    """The name at `index`, as a cell or a style refers to it; "" where there is none."""
    at = _whole(index)
    return names[at] if at is not None and at < len(names) else ""


