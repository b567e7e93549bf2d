"""`outputs/<PERIOD>/index.html`: the page a run leaves for the people who read it.

The specialist sees where every commune's return stands, the leader the key
figures (and how they moved since the previous period), the press officer the
drafts and the news item, ready to copy. One self-contained file: inline CSS,
SVG and script, no request to any host, readable from `file://` and on paper.

`run_page_context` is pure: every figure is worded here by `pipeline.vn` and
`Wording`, every chart's geometry computed here; the template only lays out.
`write_run_page` gathers what the context needs from the run's folder.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from pipeline.core.files import write_bytes
from pipeline.core.model import Statistics, StatusRow, Style, UnitStatus
from pipeline.documents.news import NEWS_STEM
from pipeline.figures.aggregate import statistics_json
from pipeline.figures.wording import Wording
from pipeline.intake.contract import LEVEL_COMMUNE, LEVEL_VILLAGE, STATISTICS_FILE
from pipeline.intake.outliers import read_statistics
from pipeline.render.templating import TEXT_TEMPLATES, make_environment, render_text
from pipeline.vn.dates import format_short_date
from pipeline.vn.numbers import format_count, format_money, format_ratio
from pipeline.vn.periods import Period
from pipeline.vn.sorting import vn_sort_key
from pipeline.vn.text import capitalize
from pipeline.vn.units import count_units

RUN_PAGE_FILE = "index.html"
TEMPLATE = TEXT_TEMPLATES / RUN_PAGE_FILE

# What each file of a run is, by file stem, in the order people look for them;
# a file not named here is listed after these under its own name.
DOCUMENT_TITLES = {
    "bao-cao-so-ket": "Dự thảo báo cáo sơ kết (kèm phụ lục số liệu từng xã)",
    "phu-luc": "Phụ lục số liệu từng xã (bảng tính)",
    "bien-ban-hoi-nghi": "Dự thảo biên bản hội nghị",
    NEWS_STEM: "Tin bài đăng cổng thông tin điện tử",
    "tong-hop": "Số liệu tổng hợp, cho các chương trình khác",
    "manifest": "Danh sách tệp đã đọc và đã viết (để đối chiếu)",
}
FORMAT_NAMES = {".docx": "Word", ".pdf": "PDF", ".xlsx": "Excel", ".html": "HTML", ".txt": "Chữ thuần",
                ".json": "JSON"}

# The order a specialist works through the returns: what needs acting on first.
STATUS_ORDER = (UnitStatus.INVALID, UnitStatus.SAME_DATE, UnitStatus.UNMATCHED, UnitStatus.MISSING,
                UnitStatus.SUPERSEDED, UnitStatus.VALID)
# Counted in the summary only when some row has them: most periods have none.
_RARE_STATUSES = (UnitStatus.SAME_DATE, UnitStatus.UNMATCHED)

# Chart geometry, in SVG user units (the SVG scales to the page's width).
CHART_WIDTH = 560
LABEL_WIDTH = 150  # commune names, right-aligned against the bars
VALUE_WIDTH = 130  # the number written after each bar
BAR_AREA = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10
BAR_HEIGHT = 12
BAR_GAP = 2  # between the bars of one row
ROW_GAP = 10
LEGEND_HEIGHT = 30
LEGEND_STEP = 150  # from one legend entry to the next
AXIS_HEIGHT = 22  # below the bars, for the target line's label


# --- key figures ------------------------------------------------------------


Row = Mapping[str, Any]  # one unit's line of `tong-hop.json` (`rows`)


@dataclass(frozen=True)
class _Figure:
    """A key figure, summed over the per-unit rows of `tong-hop.json`: this run's
    and the previous run's are summed over the same units, so the two compare
    like for like."""

    key: str  # names the figure on the page (`data-figure`), for scripts and tests
    label: str
    value: Callable[[Mapping[str, Any], Row], int]  # one unit's part, from the statistics and its row
    amount: Callable[[int], str]  # an amount of it, worded: `3 người`, `1.000 đồng`
    whole: Callable[[Row], int] | None = None  # shown as `value/whole` when set, summed as the value

    def total(self, statistics: Mapping[str, Any], rows: Sequence[Row]) -> tuple[int, int | None]:
        """The figure over `rows`, and its whole when it has one."""
        value = sum(self.value(statistics, row) for row in rows)
        return value, (sum(self.whole(row) for row in rows) if self.whole else None)


def _commune_on_target(statistics: Mapping[str, Any], row: Row) -> int:
    # Each period against its own target, as its documents state it.
    return int(row["people_after"] <= statistics["commune"]["target"]["people"])


def _villages_on_target(statistics: Mapping[str, Any], row: Row) -> int:
    if statistics["villages"]["target"] is None:
        raise KeyError("villages.target")  # that period set no target: not compared
    return row["villages_after"] - row["villages_over_target"]


def _figures(wording: Wording, commune_target: bool, villages_target: bool) -> tuple[_Figure, ...]:
    """The figures shown; the units on target only when a target is set at their level."""
    communes, villages = wording.commune_kind_names, wording.village_kind_names
    on_target = (_Figure("commune.on_target", f"{capitalize(communes)} bố trí đạt chỉ tiêu", _commune_on_target,
                         lambda n: count_units(n, wording.commune_kinds), whole=lambda row: 1),)
    villages_on_target = (_Figure("villages.on_target", f"{capitalize(villages)} bố trí đạt chỉ tiêu",
                                  _villages_on_target, wording.village_count,
                                  whole=lambda row: row["villages_after"]),)
    return (
        _Figure("commune.people_after", "Người hoạt động không chuyên trách cấp xã sau sắp xếp",
                lambda s, row: row["people_after"], wording.people),
        *(on_target if commune_target else ()),
        _Figure("villages.after", f"{capitalize(villages)} sau sắp xếp", lambda s, row: row["villages_after"],
                wording.village_count),
        _Figure("villages.people_after", f"Người hoạt động không chuyên trách ở {villages} sau sắp xếp",
                lambda s, row: row["village_people_after"], wording.people),
        *(villages_on_target if villages_target else ()),
        _Figure("severance.cases", "Người thôi việc, nghỉ việc do sắp xếp", lambda s, row: row["severance_cases"],
                wording.people),
        _Figure("severance.paid_amount", "Trợ cấp đã chi trả", lambda s, row: row["severance_paid"],
                format_money),
    )


def _details(statistics: Statistics, wording: Wording) -> dict[str, str]:
    """The line under each figure: where it comes from, or what it is measured against."""
    r, c, v, s = statistics.returns, statistics.commune, statistics.villages, statistics.severance
    return {
        "returns.valid": (f"Có lỗi: {format_count(len(r.invalid))}; chưa gửi: {format_count(len(r.missing))}; "
                          f"tệp đã được thay thế: {format_count(len(r.superseded))}"),
        "commune.people_after": (f"Trước sắp xếp {wording.people(c.people_before)}; "
                                 f"{wording.change(c.people_before, c.people_after)}"),
        "commune.on_target": f"Chỉ tiêu: {wording.target(c.target)}" if c.target else "",
        "villages.after": f"Trước sắp xếp {wording.villages(v.before)}",
        "villages.people_after": (f"Trước sắp xếp {wording.people(v.people_before)}; "
                                  f"{wording.change(v.people_before, v.people_after)}"),
        "villages.on_target": f"Chỉ tiêu: {wording.target(v.target)}" if v.target else "",
        "severance.cases": (f"Đã chi trả {wording.people(s.paid_cases)}; "
                            f"chưa chi trả {wording.people(s.pending_cases)}"),
        "severance.paid_amount": f"Chưa chi trả: {format_money(s.pending_amount)}",
    }


def _shown(figure: _Figure, value: int, whole: int | None) -> str:
    return figure.amount(value) if whole is None else format_ratio(value, whole)


def _movement(now: int, before: int, amount: Callable[[int], str]) -> str:
    if now == before:
        return "không đổi"
    return f"{'tăng' if now > before else 'giảm'} {amount(abs(now - before))}"


@dataclass(frozen=True)
class _Common:
    """The rows of the units valid in both periods, from each period's statistics."""

    now: list[Row]
    before: list[Row]
    every_unit: bool  # the same units were valid in both periods


def _common_rows(current: Mapping[str, Any], previous: Mapping[str, Any]) -> _Common:
    """Raises KeyError/TypeError for a `tong-hop.json` without per-unit rows."""
    before = {row["code"]: row for row in previous["rows"]}
    now = [row for row in current["rows"] if row["code"] in before]
    codes = {row["code"] for row in now}
    return _Common(now, [before[code] for code in before if code in codes],
                   len(now) == len(current["rows"]) == len(before))


def _returns_figure(statistics: Statistics, details: Mapping[str, str],
                    previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """How many returns are valid: what every other figure rests on."""
    r = statistics.returns
    item = {"key": "returns.valid", "label": "Báo cáo hợp lệ đã tổng hợp", "value": r.valid,
            "shown": format_ratio(r.valid, r.expected), "detail": details["returns.valid"], "previous": None}
    if previous is not None:
        before = previous["returns"]
        item["previous"] = {"shown": format_ratio(before["valid"], before["expected"]), "now": "",
                            "change": _movement(r.valid, before["valid"], lambda n: f"{format_count(n)} báo cáo")}
    return item


def _key_figures(statistics: Statistics, wording: Wording, previous: Mapping[str, Any] | None,
                 current: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The figures and what the page says of the comparison with the previous period:
    only the units valid in both periods are compared, like for like. `current`: the
    statistics as `statistics_json` gives them."""
    details = _details(statistics, wording)
    items = [_returns_figure(statistics, details, previous)]
    common, note = None, ""
    if previous is None:
        note = f"Chưa có số liệu của kỳ trước ({statistics.period.previous().label()}) để so sánh."
    else:
        try:
            common = _common_rows(current, previous)
        except (KeyError, TypeError):
            note = (f"Số liệu kỳ trước ({statistics.period.previous().label()}) không có số liệu từng "
                    f"{wording.commune_kind_names}, không so sánh được.")
    if common is not None and not common.now:
        note = (f"Không có {wording.commune_kind_names} nào có báo cáo hợp lệ ở cả kỳ này và kỳ trước: "
                f"không so sánh.")
        common = None
    elif common is not None and not common.every_unit:
        note = (f"So sánh với kỳ trước ({statistics.period.previous().label()}) chỉ trên {count_units(len(common.now), wording.commune_kinds)} có báo cáo "
                f"hợp lệ ở cả hai kỳ (kỳ này {format_count(len(current['rows']))}, kỳ trước "
                f"{format_count(len(previous['rows']))}).")
    missing_figures = False
    targets = statistics.commune.target is not None, statistics.villages.target is not None
    for figure in _figures(wording, *targets):
        value, whole = figure.total(current, current["rows"])
        item = {"key": figure.key, "label": figure.label, "value": value, "shown": _shown(figure, value, whole),
                "detail": details[figure.key], "previous": None}
        if common is not None:
            try:
                before, before_whole = figure.total(previous, common.before)
            except (KeyError, TypeError, ValueError):
                # A tong-hop.json from an older version may lack a figure: that one is not compared.
                missing_figures = True
            else:
                now, now_whole = figure.total(current, common.now)
                item["previous"] = {"shown": _shown(figure, before, before_whole),
                                    "now": "" if common.every_unit else _shown(figure, now, now_whole),
                                    "change": _movement(now, before, figure.amount)}
        items.append(item)
    if missing_figures:
        note = " ".join(filter(None, (note, f"Số liệu kỳ trước ({statistics.period.previous().label()}) thiếu "
                                             f"một số mục, các mục đó không so sánh được.")))
    return items, note


# --- return status ------------------------------------------------------------


def _ranks(keys: Sequence[Any]) -> list[int]:
    """Each key's place in ascending order: the page's script sorts by these
    numbers, so it needs no Vietnamese collation of its own."""
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    ranks = [0] * len(keys)
    for rank, index in enumerate(order):
        ranks[index] = rank
    return ranks


def _text_key(text: str | None) -> tuple[bool, Any]:
    # Blanks sort after every text.
    return (text is None or not text.strip(), vn_sort_key(text or ""))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def relative_link(path: str) -> str:
    """A link to a file inside the run's folder, relative and percent-encoded: a
    file name with `#`, `?`, `:` or a space still leads to that file, and never
    reads as another scheme or host."""
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or not posix.parts:
        raise ValueError(f"not a path inside the run's folder: {path!r}")
    return "/".join(quote(_nfc(part)) for part in posix.parts)


def _status(rows: Sequence[StatusRow]) -> dict[str, Any]:
    columns = {
        "code": _ranks([_text_key(r.code) for r in rows]),
        "name": _ranks([_text_key(r.name) for r in rows]),
        "status": _ranks([STATUS_ORDER.index(r.status) for r in rows]),
        "file": _ranks([_text_key(r.file) for r in rows]),
        "errors": _ranks([(r.file is None, r.errors) for r in rows]),
        "date": _ranks([(r.prepared_on is None, r.prepared_on.toordinal() if r.prepared_on else 0) for r in rows]),
    }
    counts = Counter(r.status for r in rows)
    return {
        "summary": [{"key": s.name.lower(), "label": s.value, "count": format_count(counts[s])}
                    for s in UnitStatus if counts[s] or s not in _RARE_STATUSES],
        "rows": [
            {
                "code": r.code or "",
                "name": r.name or "",
                "status": r.status.value,
                "status_key": r.status.name.lower(),
                "file": r.file or "",
                "errors": format_count(r.errors) if r.file else "",
                "prepared_on": format_short_date(r.prepared_on) if r.prepared_on else "",
                "message": r.message,
                "feedback": relative_link(r.feedback) if r.feedback else None,
                "sort": {column: ranks[i] for column, ranks in columns.items()},
            }
            for i, r in enumerate(rows)
        ],
    }


def _checks(rows: Sequence[StatusRow]) -> list[dict[str, Any]]:
    """The units with figures to verify, in the status rows' order, each with its warnings."""
    return [{"name": r.name or "", "file": r.file or "", "warnings": list(r.checks),
             "feedback": relative_link(r.feedback) if r.feedback else None} for r in rows if r.checks]


# --- charts -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Bar:
    segments: tuple[tuple[str, int], ...]  # (fill, value), drawn left to right
    text: str  # written after the bar


def _coordinate(value: float) -> str:
    # One decimal is finer than a printed pixel and keeps the page's bytes stable.
    return f"{value:.1f}"


def _bar_chart(chart_id: str, title: str, description: str, legend: Sequence[tuple[str, str]],
               rows: Sequence[tuple[str, Sequence[_Bar]]], marker: tuple[int, str] | None = None) -> dict[str, Any]:
    """A horizontal bar chart, laid out for the template: `legend` is (fill, label)
    and each row a label with one or more bars. The fills are patterns the
    template defines, so the chart reads in black and white."""
    values = [sum(v for _, v in bar.segments) for _, bars in rows for bar in bars]
    largest = max([*values, marker[0] if marker else 0, 1])
    scale = BAR_AREA / largest
    y = LEGEND_HEIGHT
    laid_out = []
    for label, bars in rows:
        top = y
        drawn = []
        for bar in bars:
            x, segments = LABEL_WIDTH, []
            for fill, value in bar.segments:
                width = value * scale
                if value:
                    segments.append({"fill": fill, "x": _coordinate(x), "y": _coordinate(y),
                                     "width": _coordinate(width), "height": BAR_HEIGHT})
                x += width
            drawn.append({"segments": segments, "text": bar.text, "text_x": _coordinate(x + 4),
                          "text_y": _coordinate(y + BAR_HEIGHT - 2)})
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP - BAR_GAP
        laid_out.append({"label": label, "label_y": _coordinate((top + y - ROW_GAP) / 2 + 4), "bars": drawn})
    bottom = y - ROW_GAP + 4
    chart = {
        "id": chart_id, "title": title, "description": description, "width": CHART_WIDTH,
        "legend": [{"fill": fill, "label": label, "x": LABEL_WIDTH + i * LEGEND_STEP,
                    "text_x": LABEL_WIDTH + i * LEGEND_STEP + 22} for i, (fill, label) in enumerate(legend)],
        "rows": laid_out, "label_x": LABEL_WIDTH - 6, "marker": None,
        "height": round(bottom + (AXIS_HEIGHT if marker else 0)),
    }
    if marker:
        x = _coordinate(LABEL_WIDTH + marker[0] * scale)
        chart["marker"] = {"x": x, "top": LEGEND_HEIGHT - 4, "bottom": _coordinate(bottom),
                           "label": marker[1], "label_y": _coordinate(bottom + 14)}
    return chart


def _charts(statistics: Statistics, wording: Wording) -> list[dict[str, Any]]:
    rows = statistics.rows
    if not rows:
        return []
    c, v, s = statistics.commune, statistics.villages, statistics.severance
    villages = wording.village_kind_names
    charts = [_bar_chart(
        "people", "Người hoạt động không chuyên trách cấp xã, trước và sau sắp xếp",
        f"Mỗi {wording.commune_kind_names} hai thanh: trước sắp xếp (gạch chéo) và sau sắp xếp (tô đậm)"
        + (f"; đường nét đứt là chỉ tiêu {wording.target(c.target)}." if c.target else "."),
        [("hatch", "Trước sắp xếp"), ("solid", "Sau sắp xếp")],
        [(r.name, (_Bar((("hatch", r.people_before),), wording.people(r.people_before)),
                   _Bar((("solid", r.people_after),), wording.people(r.people_after)))) for r in rows],
        marker=(c.target.people, f"Chỉ tiêu: {wording.people(c.target.people)}") if c.target else None,
    )]
    if v.after.count and v.target:
        charts.append(_bar_chart(
            "villages", f"{capitalize(villages)} bố trí đạt chỉ tiêu",
            f"Mỗi {wording.commune_kind_names} một thanh: số {villages} đạt chỉ tiêu {wording.target(v.target)} "
            f"(tô đậm) và chưa đạt (gạch chéo).",
            [("solid", "Đạt chỉ tiêu"), ("hatch", "Chưa đạt")],
            [(r.name, (_Bar((("solid", r.villages_after - r.villages_over_target),
                             ("hatch", r.villages_over_target)),
                            f"{format_ratio(r.villages_after - r.villages_over_target, r.villages_after)} đạt"),))
             for r in rows if r.villages_after],
        ))
    if s.cases:
        levels = ((LEVEL_COMMUNE, "Cấp xã"), (LEVEL_VILLAGE, f"Ở {villages}"))
        charts.append(_bar_chart(
            "severance", "Người thôi việc, nghỉ việc do sắp xếp, theo cấp",
            "Mỗi cấp một thanh: đã chi trả trợ cấp (tô đậm) và chưa chi trả (gạch chéo).",
            [("solid", "Đã chi trả"), ("hatch", "Chưa chi trả")],
            [(label, (_Bar((("solid", b.paid_cases), ("hatch", b.pending_cases)),
                           f"{wording.people(b.cases)}, đã chi {format_count(b.paid_cases)}"),))
             for level, label in levels if (b := s.at_level(level)).cases],
        ))
    return charts


def _severance_table(statistics: Statistics, wording: Wording) -> list[dict[str, str]]:
    s = statistics.severance
    levels = ((LEVEL_COMMUNE, "Cấp xã"), (LEVEL_VILLAGE, f"Ở {wording.village_kind_names}"))
    lines = [(label, s.at_level(level)) for level, label in levels]
    return [{"label": label, "cases": format_count(b.cases), "paid_cases": format_count(b.paid_cases),
             "paid_amount": format_money(b.paid_amount), "pending_cases": format_count(b.pending_cases),
             "pending_amount": format_money(b.pending_amount)}
            for label, b in (*lines, ("Tổng cộng", s))]


# --- documents ------------------------------------------------------------------


def _in_order(position: Sequence[str], item: str) -> int:
    """Where `item` stands in `position`; unknown items come after the known ones."""
    return position.index(item) if item in position else len(position)


def _documents(names: Sequence[str]) -> list[dict[str, Any]]:
    """One entry per document, its formats side by side (`tin-bai`: Word, HTML, ...)."""
    by_stem: dict[str, list[PurePosixPath]] = {}
    for name in names:
        by_stem.setdefault(PurePosixPath(name).stem, []).append(PurePosixPath(name))
    titles, formats = list(DOCUMENT_TITLES), list(FORMAT_NAMES)
    documents = []
    for stem in sorted(by_stem, key=lambda stem: (_in_order(titles, stem), vn_sort_key(stem))):
        files = sorted(by_stem[stem], key=lambda path: (_in_order(formats, path.suffix.lower()), path.name))
        documents.append({
            "title": DOCUMENT_TITLES.get(stem, stem),
            "links": [{"href": relative_link(path.as_posix()), "name": path.name,
                       "format": FORMAT_NAMES.get(path.suffix.lower(), path.suffix.lstrip(".").upper())}
                      for path in files],
        })
    return documents


# --- the page -------------------------------------------------------------------


def run_page_context(period: Period, statistics: Statistics, status_rows: Sequence[StatusRow],
                     documents: Sequence[str], previous_statistics: Mapping[str, Any] | None,
                     news_html: str | None, news_text: str | None, notes: Sequence[str] = (),
                     plain: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything the page shows, worded and laid out.

    `documents`: the run's files, relative to its folder; `previous_statistics`:
    the previous period's `tong-hop.json` as read, or None; `news_html`/`news_text`:
    this run's news item, or None when the record did not allow one; `notes`:
    what the run has to say (missing settings, an unreadable record...); `plain`:
    `statistics_json(statistics)` when the caller has it already (a national run's
    takes a fraction of a second to make)."""
    wording = Wording(statistics, Style(), drafting_unit="")  # unpadded counts: a screen, not an official text
    previous_period = period.previous()
    figures, comparison = _key_figures(statistics, wording, previous_statistics,
                                       statistics_json(statistics) if plain is None else plain)
    return {
        "period": {"code": period.code, "label": period.label()},
        # The village level named as the documents name it ("thôn, tiểu khu", "ấp, khu phố").
        "subject": f"Sắp xếp {wording.staff_scope}",
        "previous_period": previous_period.label(),
        "comparison_note": comparison,
        "notes": list(notes),
        "figures": figures,
        "status": _status(status_rows),
        "checks": _checks(status_rows),
        "charts": _charts(statistics, wording),
        "severance": _severance_table(statistics, wording) if statistics.severance.cases else [],
        "documents": _documents(documents),
        # NFC here too: `tojson` writes non-ASCII as \u escapes, which the page's own NFC pass does not reach.
        # The HTML is the item's body; its headline (the plain text's first line) goes
        # in the portal's title field, and the preview shows it above the body.
        "news": ({"html": _nfc(news_html), "text": _nfc(news_text or ""),
                  "headline": _nfc((news_text or "").split("\n", 1)[0])} if news_html is not None else None),
    }


def _fresh_pdfs(folder: Path, names: Sequence[str]) -> list[str]:
    """The PDF copy of each document, when one is there and not older than the
    document: a PDF left from an earlier run would show other figures."""
    found = []
    for name in names:
        source, pdf = folder / name, (folder / name).with_suffix(".pdf")
        if source.suffix == ".docx" and pdf.is_file() and pdf.stat().st_mtime >= source.stat().st_mtime:
            found.append(pdf.name)
    return found


def _read_written(folder: Path, names: Sequence[str], name: str) -> str | None:
    # Only what this run wrote: a news item left by an earlier run may be out of date.
    return (folder / name).read_text(encoding="utf-8") if name in names else None


def write_run_page(folder: Path, statistics: Statistics, status_rows: Sequence[StatusRow],
                   written: Sequence[Path], notes: Sequence[str] = (), plain: Mapping[str, Any] | None = None,
                   previous_read: tuple[Mapping[str, Any] | None, str | None] | None = None) -> Path:
    """`folder/index.html`, for the run that wrote `written` into `folder`
    (`outputs/<PERIOD>/`). Reads the previous period's `tong-hop.json` beside the
    folder — unless the run read it already: `previous_read`, what `read_statistics`
    gave — and the news item this run wrote; links the PDF copies present. `plain`:
    as for `run_page_context`."""
    period = statistics.period
    names = [p.name for p in written if p.parent == folder and p.name != RUN_PAGE_FILE]
    names += [pdf for pdf in _fresh_pdfs(folder, names) if pdf not in names]
    previous, problem = previous_read or read_statistics(folder.parent / period.previous().code / STATISTICS_FILE)
    unusable = [f"Không so sánh được với kỳ trước: {problem}. Chạy lại kỳ trước để có tệp này."] if problem else []
    context = run_page_context(period, statistics, status_rows, names, previous,
                               _read_written(folder, names, f"{NEWS_STEM}.html"),
                               _read_written(folder, names, f"{NEWS_STEM}.txt"), [*notes, *unusable], plain)
    return write_bytes(folder / RUN_PAGE_FILE, render_text(make_environment(), TEMPLATE, context))
