"""The report's template context: every value a ready-made string."""

from __future__ import annotations

from typing import Any

from pipeline.core.model import CommuneRow, PeriodSettings, Settings, Statistics
from pipeline.figures.wording import MERGES_ANNEX, Wording
from pipeline.vn.dates import format_date, format_place_date
from pipeline.vn.numbers import format_count, format_number
from pipeline.vn.text import capitalize, title_lines, unbreakable_terms
from pipeline.vn.units import in_sentence, join_unit_names

BLANK_NUMBER = "      "  # room for the records clerk to write the number by hand
BLANK_DATE = "ngày      tháng      năm      "


def document_number(settings: Settings, number: str) -> str:
    """`05/BC-UBND` (state) or `127-BC/HU` (Party); numbers under 10 padded."""
    if number.isdigit():
        number = format_count(int(number), pad=True)
    separator = "-" if settings.is_party else "/"
    return f"{number or BLANK_NUMBER}{separator}{settings.symbol}"


def number_line(settings: Settings, number: str) -> str:
    """`Số: 05/BC-UBND`; Party documents take no colon: `Số 127-BC/HU`."""
    return f"Số {document_number(settings, number)}" if settings.is_party else f"Số: {document_number(settings, number)}"


def place_date(settings: Settings, period_settings: PeriodSettings) -> str:
    if period_settings.issued_on is None:
        return f"{settings.place}, {BLANK_DATE}"
    return format_place_date(settings.place, period_settings.issued_on)


def document_reference(settings: Settings, period_settings: PeriodSettings) -> str:
    """`Báo cáo số 05/BC-UBND ngày 18 tháng 11 năm 2020 của UBND huyện Phú Xuyên`, for
    annexes: the date as the report's date line writes it, blank when it has none."""
    number = document_number(settings, period_settings.number)
    issued = format_date(period_settings.issued_on) if period_settings.issued_on else BLANK_DATE.rstrip()
    return f"Báo cáo số {number} {issued} của {settings.issuer_short}"


def review_stage(period_settings: PeriodSettings, stats: Statistics) -> str:
    """What the sơ kết closes: `giai đoạn 1`, `6 tháng`, or the period."""
    return period_settings.stage or stats.period.label()


def default_subject(wording: Wording, stage: str) -> str:
    return f"Sơ kết {stage} việc sắp xếp {wording.staff_scope}"


# The annex writes no money where none was paid (as accounting tables do).
NO_MONEY = "–"


def annex_row(row: CommuneRow) -> dict[str, str]:
    """The name and figures of one annex line, formatted."""
    numbers = {key: format_number(getattr(row, key)) for key in ANNEX_NUMBERS}
    if not row.severance_paid:
        numbers["severance_paid"] = NO_MONEY
    return {"name": capitalize(row.name), **numbers}


ANNEX_NUMBERS = (
    "commune_titles", "people_before", "people_after", "reduction", "villages_before", "villages_after",
    "village_people_before", "village_people_after", "village_reduction", "villages_over_target",
    "severance_cases", "severance_paid",
)


# The annex of the report when it has one; with the merged villages' list, two.
ONE_ANNEX = "Phụ lục"
FIRST_ANNEX = "Phụ lục I"


def merges_annex(stats: Statistics, wording: Wording) -> dict[str, Any]:
    """`MERGES_ANNEX`, the merged villages by commune; no `rows` (and the report has
    one annex) when the report's text names them all."""
    kinds = wording.village_kind_names
    merges = () if wording.merges_listed_inline else stats.villages.merges
    return {
        "label": MERGES_ANNEX,
        "title": f"DANH SÁCH {kinds.upper()} SÁP NHẬP",
        "commune_heading": unbreakable_terms(f"Tên {wording.commune_kind_names}"),
        "former_heading": unbreakable_terms(f"{capitalize(kinds)} sáp nhập"),
        "into_heading": unbreakable_terms(f"{capitalize(kinds)} sau sáp nhập"),
        "rows": [{"no": str(i), "commune": capitalize(m.commune),
                  "former": capitalize(in_sentence(join_unit_names(m.former))),
                  "into": capitalize(in_sentence(m.into))} for i, m in enumerate(merges, start=1)],
        # As the text counts them: `đã sáp nhập 742 ấp, khu phố thành 301 ấp, khu phố`.
        "totals": {"name": stats.totals.name, "former": wording.villages(stats.villages.merged_former),
                   "into": wording.villages(stats.villages.merged_into)},
    }


def report_context(stats: Statistics, settings: Settings, period_settings: PeriodSettings) -> dict[str, Any]:
    wording = Wording(stats, settings.style, settings.drafting_unit)
    label = stats.period.label()
    ps = period_settings
    stage = review_stage(ps, stats)
    subject = ps.subject or default_subject(wording, stage)
    return {
        "doc": {
            "parent_body": settings.parent_body,
            "issuer": settings.issuer_header,
            "issuer_short": settings.issuer_short,
            "author": settings.issuer,
            "number_line": number_line(settings, ps.number),
            "place_date": place_date(settings, ps),
            "type_name": "BÁO CÁO",
            "subject": title_lines(subject),
            "title": subject,
            "addressee": settings.addressee,
            "signer": {
                "authority": settings.signer.authority,
                "deputy": settings.signer.deputy,
                "title": settings.signer.title,
                "name": settings.signer.name,
            },
            "recipients": [f"- {line}" for line in settings.recipients],
        },
        "kinds": {
            "villages": wording.village_kind_names,
            # Headings (section 2's, the annex's narrow cells): terms are not broken.
            "villages_unbroken": unbreakable_terms(wording.village_kind_names),
            "communes_heading": unbreakable_terms(f"Tên {wording.commune_kind_names}"),
            "villages_heading": unbreakable_terms(capitalize(wording.village_kind_names)),
        },
        "period": {"stage": stage},
        "intro": list(ps.intro) or [
            f"{settings.issuer_first} báo cáo sơ kết {stage} việc sắp xếp {wording.staff_scope}"
            + ("" if stage == label else f" (số liệu đến {label})")
            + " như sau:"
        ],
        "direction": list(ps.direction),
        "results": {
            "receipt": wording.receipt(),
            "commune": wording.commune_level(),
            "village": wording.village_level(),
            "merge": wording.commune_merges(),
            "severance": wording.severance(),
        },
        # The sentence naming the legal basis of the severance payments; "" when none is set.
        "legal_basis": settings.legal_basis,
        "advantages": list(ps.advantages),
        "difficulties": list(ps.difficulties),
        "causes": list(ps.causes),
        "tasks": list(ps.tasks),
        "proposals": list(ps.proposals),
        "annex": {
            "label": ONE_ANNEX if wording.merges_listed_inline else FIRST_ANNEX,
            "title": "TỔNG HỢP KẾT QUẢ SẮP XẾP NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH",
            "subtitle": f"(Kèm theo {document_reference(settings, ps)})",
            # No village target set: no column of villages over it.
            "villages_target": stats.villages.target is not None,
            "rows": [{"no": str(i), **annex_row(row)} for i, row in enumerate(stats.rows, start=1)],
            "totals": annex_row(stats.totals),
        },
        "merges_annex": merges_annex(stats, wording),
    }
