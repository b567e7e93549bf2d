"""Feedback sheets: a one-page notice from the office to each commune that sent a return.

- a return with errors: every problem on its own row (sheet, cell, what was found,
  what is expected, how to fix it), so the clerk can put it right from the sheet alone;
- a valid return: the figures as the office read them, so the clerk can object;
- a superseded return: which later file replaced it (or, a copy, which file counts);
- returns of the same `Ngày lập` that differ: that none counts until one is dated anew.

A file that matches no commune has nobody to address; the status workbook lists it.
Every value is a ready-made string; the sheet is dated like the report (the
period's issue date, or a blank for the records clerk), never with today's date.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.core.jobs import DocumentJob
from pipeline.core.model import (
    CommuneReturn,
    NoticeIssuer,
    PeriodSettings,
    Problem,
    ReturnOutcome,
    ReturnStatus,
    Settings,
    Signer,
    Unit,
    ValidationResult,
)
from pipeline.documents.report import number_line, place_date
from pipeline.documents.status import counted_outcomes
from pipeline.figures.wording import DEFAULT_VILLAGE_KINDS
from pipeline.intake.contract import LEVEL_VILLAGE
from pipeline.render.templating import TEMPLATES
from pipeline.vn.dates import format_cited_date, format_short_date
from pipeline.vn.filenames import file_stem, unique_stems
from pipeline.vn.numbers import format_count, format_number
from pipeline.vn.periods import Period
from pipeline.vn.text import capitalize, title_lines
from pipeline.vn.units import in_sentence, join_unit_names, kinds_phrase, unit_name

FEEDBACK_FOLDER = "phan-hoi"
FEEDBACK_TEMPLATE = TEMPLATES / "phan-hoi.docx"
TYPE_NAME = "THÔNG BÁO"
TYPE_SYMBOL = "TB"
SUPERSEDED_SUFFIX = "tep-cu"
NOT_PAID = "Chưa chi"


@dataclass(frozen=True)
class FeedbackSheets:
    jobs: tuple[DocumentJob, ...]
    files: dict[str, str]  # return file name → its sheet's path inside outputs/<PERIOD>/


def _symbol(settings: Settings) -> str:
    """`BC-UBND` → `TB-UBND` (Party `BC/HU` → `TB/HU`): the notice's own type."""
    return re.sub(r"^[^-/]+", TYPE_SYMBOL, settings.symbol)


def _quoted(text: str) -> str:
    """`ghi 'bảy'` → `ghi “bảy”`: curly quotes, as a printed text has them."""
    return re.sub(r"'([^']*)'", "“\\1”", text)


def _issuer(settings: Settings) -> tuple[NoticeIssuer, Signer]:
    """The drafting unit issues the notices and its head signs them; without that
    setting, the reporting unit as for the report."""
    if settings.notices is not None:
        n = settings.notices
        return n, Signer(authority="", deputy="", title=n.signer_title, name=n.signer_name)
    own = NoticeIssuer(settings.parent_body, settings.issuer_lines or (settings.issuer,), _symbol(settings), "", "")
    return own, settings.signer


def _recipients(settings: Settings, council: str) -> list[str]:
    """The commune's People's Committee, and the office's own `Lưu` line."""
    archive = next((line for line in reversed(settings.recipients) if line.startswith("Lưu")), "Lưu: VT.")
    return [f"- {council};", f"- {archive}"]


class _Sheet:
    """What every sheet to one commune shares: whom it names, the office's header and signature."""

    def __init__(self, unit: Unit, settings: Settings) -> None:
        self.settings = settings
        self.commune = unit_name(unit.kind, unit.name)  # `xã Châu Can`
        self.kind = kinds_phrase(unit.kind)  # `xã`, when the name was said just before
        self.council = f"Ủy ban nhân dân {self.commune}"

    def count(self, n: int) -> str:
        return format_count(n, pad=self.settings.style.pad_counts)

    def context(self, period_settings: PeriodSettings, subject: str, sheet: dict[str, Any]) -> dict[str, Any]:
        settings = self.settings
        issuer, signer = _issuer(settings)
        numbered = dataclasses.replace(settings, symbol=issuer.symbol)
        # Every sheet has every key, so the template (and its lint) sees one shape.
        body = {"intro": [], "problems": [], "confirms": False, "commune": "", "villages": [],
                "villages_heading": "", "village_name_header": "", "severances": [], "severance_total": "",
                "checks_intro": "", "checks": [], "notes": [], "closing": "",
                "village_totals": {"label": "", "titles": "", "people_before": "", "people_after": ""}}
        return {
            "doc": {
                "parent_body": issuer.parent_body,
                "issuer": "\n".join(issuer.name_lines),
                "author": " ".join(issuer.name_lines),
                "number_line": number_line(numbered, ""),  # the records clerk numbers each notice
                "place_date": place_date(settings, period_settings),
                "type_name": TYPE_NAME,
                "subject": title_lines(subject),
                "title": subject,
                "signer": {"authority": signer.authority, "deputy": signer.deputy, "title": signer.title,
                           "name": signer.name},
                "recipients": _recipients(settings, self.council),
            },
            "sheet": {**body, **sheet},
        }

    def received(self, outcome: ReturnOutcome) -> str:
        """`tệp “X.xlsx”, Ngày lập 17/11/2020`: the file and its date, said once on a sheet."""
        dated = f", Ngày lập {format_cited_date(outcome.prepared_on)}" if outcome.prepared_on else ""
        return f"tệp “{outcome.file}”{dated}"


def _found(problem: Problem) -> str:
    """What was found, after the row it is on as the clerk knows it:
    `Thôn “Đông Thượng” (dòng 11): điền chưa đủ, …` (the table's next column names the cells)."""
    return f"{problem.row_line}: {problem.found}" if problem.row_line else capitalize(problem.found)


def _problem_row(number: int, problem: Problem) -> dict[str, str]:
    return {"no": str(number), "sheet": problem.sheet or "", "cell": problem.cell or "",
            "found": _quoted(_found(problem)), "expected": _quoted(capitalize(problem.expected)),
            "fix": _quoted(capitalize(problem.fix))}


def _checks(outcome: ReturnOutcome, words: _Sheet) -> dict[str, Any]:
    """The section "Số liệu cần xác minh": the warnings the office has not confirmed,
    each naming its sheet and cell, for the clerk to confirm or correct."""
    warnings = outcome.warnings
    if not warnings:
        return {}
    lines = []
    for warning in warnings:
        # Dashes, not numbers, under a numbered heading: `- Thôn 'Tây' (dòng 5, ô F5) trên trang tính 'Thôn': …`.
        place = warning.row_place or (f"ô {warning.cell}" if warning.cell else "")
        where = " trên ".join(filter(None, (place, f"trang tính “{warning.sheet}”" if warning.sheet else "")))
        found = f"{capitalize(where)}: {warning.found}" if where else capitalize(warning.found)
        lines.append(_quoted(f"- {found}. Yêu cầu: {warning.expected}. {capitalize(warning.fix)}."))
    # True of every kind of warning (a rule of the office, an outlier, an amount off the legal basis,
    # a hidden sheet read): none holds a return back, but its errors or a same-date clash may have.
    opening = ("Các số liệu dưới đây vẫn được tổng hợp nhưng có điểm cần xác minh."
               if outcome.status is ReturnStatus.VALID
               else "Ngoài các điểm nêu trên, các số liệu dưới đây có điểm cần xác minh.")
    return {
        "checks_intro": f"{opening} Đề nghị {words.council} kiểm tra lại từng số liệu: nếu đúng, báo cho "
                        f"{words.settings.drafting_unit} để xác nhận; nếu sai, sửa ô tương ứng và gửi lại báo cáo.",
        "checks": lines,
    }


def invalid_sheet(outcome: ReturnOutcome, unit: Unit, settings: Settings, period_settings: PeriodSettings,
                  period: Period) -> dict[str, Any]:
    """An invalid return, or one of returns of the same `Ngày lập` that differ (its first
    problem says so)."""
    words = _Sheet(unit, settings)
    label = period.label()
    errors = outcome.errors
    verdict = f"Qua kiểm tra, báo cáo có {words.count(len(errors))} lỗi"
    request = (f"Đề nghị {words.council} sửa từng lỗi nêu tại bảng dưới đây ngay trên tệp đã gửi (đúng trang "
               f"tính và ô được nêu), lưu lại và gửi lại tệp cho {settings.drafting_unit}:")
    if outcome.status is ReturnStatus.SAME_DATE:
        verdict = f"Báo cáo trùng Ngày lập với tệp khác của {words.commune} mà số liệu khác nhau"
        verdict += f", và có thêm {words.count(len(errors) - 1)} lỗi" if len(errors) > 1 else ""
        # The office cannot tell which file is right; the commune says so, or sends that one alone.
        fixed = " (đã sửa các lỗi nêu tại bảng)" if len(errors) > 1 else ""
        request = (f"Đề nghị {words.council} gửi lại cho {settings.drafting_unit} một tệp duy nhất là báo cáo "
                   f"đúng{fixed}, hoặc báo cho {settings.drafting_unit} biết tệp nào là báo cáo đúng:")
    return words.context(period_settings, f"Kết quả kiểm tra báo cáo {label} của {words.commune}", {
        "intro": [
            f"{settings.drafting_unit} đã nhận báo cáo {label} của {words.commune} về việc sắp xếp người hoạt "
            f"động không chuyên trách ({words.received(outcome)}). {verdict} nên chưa được tổng hợp.",
            request,
        ],
        "problems": [_problem_row(n, p) for n, p in enumerate(errors, start=1)],
        **_checks(outcome, words),
        "closing": f"Khi nhận được báo cáo đã sửa, {settings.drafting_unit} sẽ kiểm tra lại và tổng hợp vào "
                   f"báo cáo {label} của {settings.issuer_first}./.",
    })


def valid_sheet(outcome: ReturnOutcome, unit: Unit, settings: Settings, period_settings: PeriodSettings,
                period: Period) -> dict[str, Any]:
    data: CommuneReturn = outcome.data
    words = _Sheet(unit, settings)
    label = period.label()
    kinds = kinds_phrase([v.kind for v in data.villages] or DEFAULT_VILLAGE_KINDS)
    approved = (f"phương án được phê duyệt ngày {format_cited_date(data.approved_on)}" if data.approved_on
                else "báo cáo không ghi ngày phê duyệt phương án")
    return words.context(period_settings, f"Xác nhận số liệu báo cáo {label} của {words.commune}", {
        "intro": [
            f"{settings.drafting_unit} đã tổng hợp báo cáo {label} của {words.commune} "
            f"({words.received(outcome)}, người lập {data.prepared_by}) với số liệu như sau:",
        ],
        "confirms": True,
        "commune": f"Số chức danh: {format_number(data.commune_titles)}; số người trước sắp xếp: "
                   f"{format_number(data.people_before)}; số người sau sắp xếp: {format_number(data.people_after)}; "
                   f"{approved}. {_commune_target(data, settings)}".rstrip(),
        "villages_heading": f"{capitalize(kinds)} sau sắp xếp",
        "village_name_header": f"Tên {kinds}",
        "villages": [{
            "no": str(n), "name": v.name, "kind": v.kind, "merged_from": join_unit_names(v.merged_from),
            "titles": format_number(v.titles), "people_before": format_number(v.people_before),
            "people_after": format_number(v.people_after),
        } for n, v in enumerate(data.villages, start=1)],
        "village_totals": {
            "label": f"Cộng: {words.count(len(data.villages))} {kinds}",
            "titles": format_number(sum(v.titles for v in data.villages)),
            "people_before": format_number(sum(v.people_before for v in data.villages)),
            "people_after": format_number(sum(v.people_after for v in data.villages)),
        },
        # A table's dates in one width (01/9/2025 beside 16/8/2025 would not line up).
        "severances": [{
            "no": str(n), "full_name": s.full_name, "level": capitalize(kinds) if s.level == LEVEL_VILLAGE else s.level,
            "title": s.title, "form": s.form,
            "amount": format_number(s.amount), "paid_on": format_short_date(s.paid_on) if s.paid_on else NOT_PAID,
        } for n, s in enumerate(data.severances, start=1)],
        "severance_total": format_number(sum(s.amount for s in data.severances)),
        "notes": _village_targets(data, settings, kinds),
        **_checks(outcome, words),
        "closing": f"Đề nghị {words.council} đối chiếu số liệu trên; nếu có sai khác, báo ngay cho "
                   f"{settings.drafting_unit} và gửi lại báo cáo đã sửa./.",
    })


def _commune_target(data: CommuneReturn, settings: Settings) -> str:
    """The sentence on the commune target; empty when the office sets none."""
    target = settings.commune_target
    if target is None:
        return ""
    ratio = f"không quá {target.people} người/{target.titles} chức danh"
    if data.people_after > target.people:
        return f"So với chỉ tiêu {ratio}, {unit_name(data.unit.kind, data.unit.name)} chưa đạt."
    return f"Đạt chỉ tiêu {ratio}."


def _village_targets(data: CommuneReturn, settings: Settings, kinds: str) -> list[str]:
    """Which villages are above the target, named; nothing when all meet it or none is set."""
    target = settings.village_target
    if target is None:
        return []
    over = [in_sentence(v.name) for v in data.villages if v.people_after > target.people]
    if not over:
        return []
    return [f"Chưa đạt chỉ tiêu không quá {target.people} người/{target.titles} chức danh ở {kinds}: "
            f"{join_unit_names(over)}."]


def superseded_sheet(outcome: ReturnOutcome, latest: Sequence[ReturnOutcome], unit: Unit, settings: Settings,
                     period_settings: PeriodSettings, period: Period) -> dict[str, Any]:
    """`latest`: the files not superseded, the one that counts or several of the same `Ngày lập`."""
    words = _Sheet(unit, settings)
    label = period.label()
    # Each file named once: the one received in the opening sentence, the later ones here.
    these = "tệp này" if len(latest) == 1 else "các tệp này"
    if len(latest) == 1 and latest[0].prepared_on == outcome.prepared_on:
        why = (f"Tệp này trùng Ngày lập và số liệu với tệp “{latest[0].file}” nên số liệu của {words.kind} "
               f"chỉ được tổng hợp một lần, theo tệp đó.")
    else:
        later = " và ".join(f"tệp “{o.file}”" + (f" (Ngày lập {format_cited_date(o.prepared_on)})"
                                                   if o.prepared_on else "") for o in latest)
        why = (f"Sau đó, {words.commune} đã gửi {later}, lập sau, nên số liệu của {words.kind} được lấy theo "
               f"{these}; tệp nhận trước không được tổng hợp.")
    wrong = [o for o in latest if o.status is not ReturnStatus.VALID]
    which = these if len(wrong) == len(latest) else " và ".join(f"tệp “{o.file}”" for o in wrong)
    still_wrong = (f" Tuy nhiên, {which} còn lỗi nên chưa tổng hợp được (có thông báo riêng)." if wrong else "")
    return words.context(period_settings, f"Tệp báo cáo {label} của {words.commune} đã được thay thế", {
        "intro": [
            f"{settings.drafting_unit} đã nhận báo cáo {label} của {words.commune} ({words.received(outcome)}). "
            f"{why}{still_wrong}",
        ],
        "closing": f"Nếu số liệu của tệp đã nhận trước mới là số liệu đúng, đề nghị {words.council} báo ngay "
                   f"cho {settings.drafting_unit} để được hướng dẫn./.",
    })


def feedback_sheets(validation: ValidationResult, registry: Sequence[Unit], settings: Settings,
                    period_settings: PeriodSettings, period: Period) -> FeedbackSheets:
    """One sheet per return whose commune is in the registry, named `phan-hoi/<Mã>-<tên>.docx`
    (a replaced file `…-tep-cu.docx`), in the order of the outcomes."""
    units = {u.code: u for u in registry}
    counted = counted_outcomes(validation)
    addressed = [o for o in validation.outcomes if o.code in units]
    stems = unique_stems(
        file_stem(o.code, units[o.code].name, *([SUPERSEDED_SUFFIX] if o.status is ReturnStatus.SUPERSEDED else []))
        for o in addressed)
    jobs, files = [], {}
    for outcome, stem in zip(addressed, stems):
        unit = units[outcome.code]
        if outcome.status is ReturnStatus.SUPERSEDED:
            context = superseded_sheet(outcome, counted[outcome.code], unit, settings, period_settings, period)
        elif outcome.status is ReturnStatus.VALID:
            context = valid_sheet(outcome, unit, settings, period_settings, period)
        else:
            context = invalid_sheet(outcome, unit, settings, period_settings, period)
        name = f"{FEEDBACK_FOLDER}/{stem}.docx"
        jobs.append(DocumentJob(FEEDBACK_TEMPLATE, context, name))
        files[outcome.file] = name
    return FeedbackSheets(tuple(jobs), files)
