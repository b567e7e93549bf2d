"""The news item for the district portal: its sentences and the one context the
three formats (.docx, .html, .txt) render.

The figures are the report's phrases from `Wording`; around them, sentences
follow the record: one chair or several, one guest or several, opinions or none.
The item never names anyone from the severance lists: it states counts and sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.core.model import Meeting, Opinion, PeriodSettings, Person, Settings, Statistics
from pipeline.figures.wording import Wording, person_phrase
from pipeline.vn.dates import format_cited_date
from pipeline.vn.text import capitalize

NEWS_STEM = "tin-bai"

# Openers that let several opinions read as reported speech rather than a list.
_OPINION_OPENERS = ("", "Cũng tại hội nghị, ", "Bên cạnh đó, ", "Ngoài ra, ")
# Beyond this many conclusions the chair's directions take a second sentence.
_CONCLUSIONS_PER_SENTENCE = 2


def news_blockers(meeting: Meeting) -> tuple[str, ...]:
    """Keys without which the item cannot be written: a public item has no blanks."""
    needed = {
        "name": meeting.name,
        "organiser.name": meeting.organiser.name,
        "date": meeting.held_on,
        "chair": any(c.name and c.position for c in meeting.chairs),
        "news.byline": meeting.news.byline,
    }
    return tuple(key for key, value in needed.items() if not value)


# Where the portal's editor puts the photo, above its caption.
PHOTO_PLACEHOLDER = "ẢNH: chèn ảnh hội nghị vào đây"
# A headline the portal shows whole: at most this many characters.
HEADLINE_CHARS = 80
# A line of the .docx headline (Times New Roman 16 pt bold) holds about 62 characters
# (a title's 71 at 14 pt), a margin kept: the template breaks it where an official
# breaks a title, in balanced lines, no phrase left dangling on the second.
HEADLINE_LINE_CHARS = 56


class _Mentions:
    """Each person named in full the first time (`đồng chí Nguyễn Văn An, Bí thư Huyện ủy`),
    then by title (`đồng chí Bí thư Huyện ủy`), as the press writes. `named_before`: text
    the reader meets first (the photo caption): whoever it names in full is named by title."""

    def __init__(self, named_before: str = "") -> None:
        self.seen: set[str] = set()
        self.named_before = named_before

    def __call__(self, person: Person) -> str:
        if person.name and person.position and (person.name in self.seen or person.name in self.named_before):
            return f"đồng chí {person.position}"
        self.seen.add(person.name)
        return person_phrase(person)

    def named(self, people: Sequence[Person]) -> str:
        """`Nguyễn Văn An, Bí thư Huyện ủy; Trần Thị Bình, ...`, after `các đồng chí`."""
        return "; ".join(self(p).removeprefix("đồng chí ") for p in people)


def _place(meeting: Meeting, settings: Settings) -> str:
    return meeting.organiser.place or settings.place


def _body(meeting: Meeting, settings: Settings) -> str:
    """`Ban Thường vụ Huyện ủy Phú Xuyên`: the organiser as a reader outside the district
    knows it, in the headline and the lead (a portal shows the lead on its own)."""
    place = _place(meeting, settings)
    return meeting.organiser.name if meeting.organiser.name.endswith(place) else f"{meeting.organiser.name} {place}"


# How press headlines shorten a body: the Party committee for its standing board, and
# the abbreviation of the people's committee.
_HEADLINE_SHORTENINGS = (("Ban Thường vụ ", ""), ("Ban Chấp hành ", ""), ("Ủy ban nhân dân", "UBND"))


def _headline_bodies(meeting: Meeting, settings: Settings) -> list[str]:
    """The body as a headline may name it: in full, then as the press shortens it."""
    body = _body(meeting, settings)
    shorter = body
    for long, short in _HEADLINE_SHORTENINGS:
        shorter = shorter.replace(long, short, 1) if shorter.startswith(long) else shorter
    return list(dict.fromkeys((body, shorter)))


def headline(meeting: Meeting, period_settings: PeriodSettings, settings: Settings) -> str:
    """The record's headline, or the first that fits of: body, stage, event (the body in
    full, then shortened; with the stage, then without); the same with the place for the
    body when no name of the body fits."""
    if meeting.news.headline:
        return meeting.news.headline
    event = "sắp xếp người hoạt động không chuyên trách"
    stages = [f" {period_settings.stage}", ""] if period_settings.stage else [""]
    subjects = [*_headline_bodies(meeting, settings), _place(meeting, settings)]
    candidates = [f"{subject} sơ kết{stage} {event}" for subject in subjects for stage in stages]
    return next((c for c in candidates if len(c) <= HEADLINE_CHARS), candidates[-1])


def _chairs(chairs: Sequence[Person], mention: _Mentions) -> str:
    if len(chairs) == 1:
        return f"{capitalize(mention(chairs[0]))} chủ trì hội nghị."
    if len(chairs) == 2:
        return f"{capitalize(mention(chairs[0]))} và {mention(chairs[1])} đồng chủ trì hội nghị."
    return f"Các đồng chí {mention.named(chairs)} đồng chủ trì hội nghị."


def _attendance(meeting: Meeting, mention: _Mentions) -> str:
    guests, groups = meeting.attendance.guests, meeting.attendance.groups
    named = mention(guests[0]) if len(guests) == 1 else f"các đồng chí {mention.named(guests)}"
    if guests and groups:
        return f"Dự hội nghị có {named}. Cùng dự có {'; '.join(groups)}."
    if guests or groups:
        return f"Dự hội nghị có {named if guests else '; '.join(groups)}."
    return ""


def _results(meeting: Meeting, wording: Wording, mention: _Mentions) -> list[str]:
    presenter = next((p.speaker for p in meeting.presentations if p.is_report), None)
    source = (f"Theo báo cáo do {mention(presenter)} trình bày tại hội nghị, " if presenter
              else "Theo báo cáo sơ kết, ")
    receipt = f"{source}{wording.press_receipt()}."
    if not wording.stats.returns.valid:
        return [receipt]
    villages = " ".join(s for s in (wording.press_villages(), wording.press_commune_merges()) if s)
    return [p for p in (f"{receipt} {wording.press_commune()}", villages, wording.press_severance()) if p]


def _opinion(opinion: Opinion, opener: str, mention: _Mentions) -> str:
    speaker = mention(opinion.speaker)
    return f"{opener}{speaker if opener else capitalize(speaker)} {'; '.join(opinion.points)}."


def _discussion(meeting: Meeting, period_settings: PeriodSettings, mention: _Mentions) -> list[str]:
    # In protocol order: the guests (senior, from above) first, then the others as they spoke.
    guests = {g.name for g in meeting.attendance.guests if g.name}
    opinions = sorted(meeting.opinions, key=lambda o: o.speaker.name not in guests)
    if not opinions:
        # No one spoke: the difficulties are the report's own.
        if not period_settings.difficulties:
            return []
        return [" ".join(("Báo cáo cũng chỉ ra một số tồn tại, hạn chế.", *period_settings.difficulties))]
    if len(opinions) == 1:
        return [_opinion(opinions[0], "Thảo luận tại hội nghị, ", mention)]
    intro = ("Tại hội nghị, các đại biểu đã thảo luận, nêu những khó khăn, vướng mắc trong quá trình "
             "thực hiện và đề xuất giải pháp.")
    return [intro] + [_opinion(o, _OPINION_OPENERS[i % len(_OPINION_OPENERS)], mention)
                      for i, o in enumerate(opinions)]


def _conclusions(meeting: Meeting, chair: Person, mention: _Mentions) -> list[str]:
    directions = meeting.conclusions
    if not directions:
        return []
    first, rest = directions[:_CONCLUSIONS_PER_SENTENCE], directions[_CONCLUSIONS_PER_SENTENCE:]
    text = f"Kết luận hội nghị, {mention(chair)} {'; '.join(first)}."
    if rest:
        text += f" {capitalize(mention(chair))} cũng {'; '.join(rest)}."
    return [text]


def news_context(meeting: Meeting, stats: Statistics, settings: Settings,
                 period_settings: PeriodSettings) -> dict[str, Any]:
    """Call only when `news_blockers(meeting)` is empty."""
    if blockers := news_blockers(meeting):
        raise ValueError(f"news item without {', '.join(blockers)}")
    wording = Wording(stats, settings.style, settings.drafting_unit)
    chairs = [c for c in meeting.chairs if c.name and c.position]
    reviewed = f", đánh giá kết quả thực hiện {meeting.reviews}" if meeting.reviews else ""
    mention = _Mentions(meeting.news.photo_caption or "")
    participants = " ".join(s for s in (_chairs(chairs, mention), _attendance(meeting, mention)) if s)
    title = headline(meeting, period_settings, settings)
    return {
        # The file's author as the lead names the body: with its place, known outside the district.
        "doc": {"title": title, "author": _body(meeting, settings)},
        "news": {
            "headline": title,
            "lead": (f"Ngày {format_cited_date(meeting.held_on)}, {_body(meeting, settings)} đã tổ chức "
                     f"{meeting.name}{reviewed}."),
            "photo_caption": meeting.news.photo_caption,
            "photo_placeholder": PHOTO_PLACEHOLDER,
            "paragraphs": [participants, *_results(meeting, wording, mention),
                           *_discussion(meeting, period_settings, mention), *_conclusions(meeting, chairs[0], mention)],
            "byline": meeting.news.byline,
        }
    }
