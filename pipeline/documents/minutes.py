"""The minutes' template context (Biên bản, Mẫu 1.9 of Decree 30, or the Party
form): the record's fields in the form's order, the report's own sentences where
its presenter spoke, and dotted blanks wherever the record gave nothing, for the
secretary to fill in by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from pipeline.core.model import Meeting, Person, Settings, Statistics
from pipeline.documents.report import number_line
from pipeline.figures.wording import Wording, person_phrase
from pipeline.vn.dates import format_date, format_place_date, format_time
from pipeline.vn.text import capitalize, title_lines

STATE_TEMPLATE = "bien-ban-hoi-nghi.docx"
PARTY_TEMPLATE = "bien-ban-hoi-nghi-dang.docx"

BLANK = "……"  # Mẫu 1.9 leaves dots where the secretary writes by hand
BLANK_MOMENT = f"{BLANK} giờ {BLANK}, ngày {BLANK} tháng {BLANK} năm {BLANK}"


def minutes_template(meeting: Meeting) -> str:
    return PARTY_TEMPLATE if meeting.organiser.is_party else STATE_TEMPLATE


def bullets(items: Sequence[str], mark: str = "-") -> list[str]:
    """`- Ghi nhận ...;` ... `- Giao ... .`: one line each, the last closing the list."""
    return [f"{mark} {capitalize(item)}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def _who(person: Person, *, may_be_unit: bool = False) -> str:
    """`Đồng chí Nguyễn Văn An, Bí thư Huyện ủy`, with a blank for a name the record
    left out — unless a unit may speak without one (`Đại diện Phòng Tài chính ...`)."""
    if not person.name and not person.position:
        return BLANK
    if person.name or may_be_unit:
        return capitalize(person_phrase(person))
    return f"Đồng chí {BLANK}, {person.position}"


def _moment(at: dt.time | None, on: dt.date | None) -> str:
    """`8 giờ 00 phút, ngày 18 tháng 11 năm 2020`."""
    if at is None and on is None:
        return BLANK_MOMENT
    time_part = format_time(at) if at else f"{BLANK} giờ {BLANK}"
    date_part = format_date(on) if on else f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    return f"{time_part}, {date_part}"


def _proceedings(meeting: Meeting, wording: Wording) -> list[dict[str, Any]]:
    """Each presentation in order; the report's key figures follow its presenter."""
    figures = [f"- {line}" for line in wording.key_figures()]
    items = [{"text": f"{_who(p.speaker)} {p.content or BLANK}.", "figures": figures if p.is_report else []}
             for p in meeting.presentations]
    if not any(p.is_report for p in meeting.presentations):
        items.insert(0, {"text": f"Hội nghị nghe báo cáo sơ kết {wording.stats.period.label()}.",
                         "figures": figures})
    return items


def _issuer_header(issuer: str, settings: Settings) -> str:
    """The organiser's name as the header prints it: the record gives it on one line, so
    when it is the report's issuer, the settings' lines (`issuer.name`) break it."""
    if settings.issuer_lines and issuer.split() == " ".join(settings.issuer_lines).split():
        return settings.issuer_header
    return issuer or BLANK


def minutes_context(meeting: Meeting, stats: Statistics, settings: Settings) -> dict[str, Any]:
    wording = Wording(stats, settings.style, settings.drafting_unit)
    organiser = meeting.organiser
    # The minutes are the organiser's document: its own kind, symbol and place.
    issuer = dataclasses.replace(settings, is_party=organiser.is_party, symbol=organiser.symbol or BLANK)
    place = organiser.place or settings.place
    chair = meeting.chairs[0] if meeting.chairs else Person("", "")
    attendees = [person_phrase(g) for g in meeting.attendance.guests] + list(meeting.attendance.groups)
    return {
        "doc": {
            "parent_body": organiser.parent_body,
            "issuer": _issuer_header(organiser.issuer, settings),
            "number_line": number_line(issuer, organiser.number),
            "place_date": (format_place_date(place, meeting.held_on) if meeting.held_on
                           else f"{place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"),
            "type_name": "BIÊN BẢN",
            "subject": title_lines(meeting.name) if meeting.name else BLANK,
            "title": meeting.name,
            "author": organiser.issuer or organiser.name,
            "recipients": [f"- {line}" for line in organiser.recipients],
        },
        "meeting": {
            "start": _moment(meeting.starts_at, meeting.held_on),
            "venue": meeting.venue or BLANK,
            "attendees": bullets(attendees) or [f"- {BLANK}"],
            "chair": "; ".join(_who(c) for c in meeting.chairs) or BLANK,
            "secretary": _who(meeting.secretary),
            "proceedings": _proceedings(meeting, wording),
            "opinions": [{"speaker": f"- {_who(o.speaker, may_be_unit=True)}:", "points": bullets(o.points, "+")}
                         for o in meeting.opinions],
            "concluded_by": _who(chair),
            "conclusions": bullets(meeting.conclusions) or [f"- {BLANK}"],
            "end": _moment(meeting.ends_at, meeting.held_on),
        },
        "signers": {"secretary": meeting.secretary.name, "chair": chair.name},
    }
