"""Typed data passed between the pipeline's stages.

ingest → `Workbook` | `UnreadableFile`; validate → `ValidationResult`; aggregate →
`Statistics`. Each stage sees only what the previous one returns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, time
from enum import Enum
from pathlib import Path
from typing import Any

from pipeline.vn.deadlines import DEFAULT_WORKING_DAYS
from pipeline.vn.periods import Period, PeriodKind
from pipeline.vn.text import capitalize


class Severity(Enum):
    ERROR = "Lỗi"
    WARNING = "Cảnh báo"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    found: str
    expected: str
    severity: Severity = Severity.ERROR
    sheet: str | None = None
    cell: str | None = None
    fix: str = ""  # how the clerk puts it right, in plain Vietnamese, for the feedback sheet
    rule: str = ""  # the key of the plausibility rule (quy-tac.yaml) that found it, if one did
    value: str = ""  # the figure that rule checked, as written here: a confirmation (xac-nhan.yaml) names it
    # On a row of `Thôn` or `Thôi việc`: the row as the clerk knows it (`Thôn 'Đông Thượng'`,
    # `Ông (bà) 'Nguyễn Văn An'`; empty when its name cell is blank) and its line on the sheet.
    row_name: str = ""
    line: int = 0

    @property
    def row_place(self) -> str:
        """`Thôn 'Đông Thượng' (dòng 11, ô F11)`, `Dòng 11` for a row without a name;
        empty for a problem not on a table row."""
        return self._row(with_cell=True)

    @property
    def row_line(self) -> str:
        """`Thôn 'Đông Thượng' (dòng 11)`: the row without its cells, where they stand beside it."""
        return self._row(with_cell=False)

    def _row(self, with_cell: bool) -> str:
        if not self.line:
            return ""
        at = f"dòng {self.line}" + (f", ô {self.cell}" if with_cell and self.cell else "")
        return f"{self.row_name} ({at})" if self.row_name else capitalize(at)

    @property
    def where(self) -> str:
        parts = [f"tệp {self.file}"]
        if self.sheet and self.line:
            parts.append(f"trang {self.sheet}, {self.row_place}")
        elif self.sheet:
            parts.append(f"trang {self.sheet}" + (f", ô {self.cell}" if self.cell else ""))
        return ", ".join(parts)

    @property
    def location(self) -> str:
        """`Thôn!F7`, the way Excel names a cell."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def message(self) -> str:
        return f"{self.severity.value} ({self.where}): {self.found}. Cần: {self.expected}.{self.rule_note}"

    @property
    def rule_note(self) -> str:
        """` (quy tắc tro-cap-moi-nguoi, giá trị 1.149.540.875)`: what the office writes in
        xac-nhan.yaml to confirm the figure; empty for a problem no rule found."""
        return f" (quy tắc {self.rule}, giá trị {self.value})" if self.rule else ""


# --- registry and settings -------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A commune-level unit of the registry."""

    code: str
    name: str
    kind: str
    merged_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """At most `people` people for `titles` titles."""

    people: int
    titles: int


@dataclass(frozen=True)
class Signer:
    authority: str
    deputy: str
    title: str
    name: str


@dataclass(frozen=True)
class NoticeIssuer:
    """The drafting unit as the issuer of the feedback sheets (Phòng Nội vụ), and its head."""

    parent_body: str  # "UBND HUYỆN PHÚ XUYÊN"
    name_lines: tuple[str, ...]  # ("PHÒNG NỘI VỤ",)
    symbol: str  # "TB-NV"
    signer_title: str  # "TRƯỞNG PHÒNG"
    signer_name: str


@dataclass(frozen=True)
class Style:
    pad_counts: bool = False
    zero_tens: str = "linh"
    thousand: str = "nghìn"
    four: str = "tư"
    # Which amounts of money a report also writes in words: "total" (the grand
    # total paid only), "all" or "none".
    money_in_words: str = "total"


@dataclass(frozen=True)
class DeadlineRules:
    """When returns are due: so many working days after the period's cut-off, per kind
    of period; `holidays`, the days off besides weekends (the office lists them: the
    lunar new year moves every year)."""

    working_days: tuple[tuple[PeriodKind, int], ...] = tuple(DEFAULT_WORKING_DAYS.items())
    holidays: tuple[date, ...] = ()

    def working_days_for(self, kind: PeriodKind) -> int:
        return dict(self.working_days)[kind]


@dataclass(frozen=True)
class Settings:
    """The reporting unit: who issues the documents and the house style."""

    parent_body: str
    issuer: str
    issuer_short: str
    is_party: bool
    place: str
    drafting_unit: str
    symbol: str
    signer: Signer
    addressee: str
    recipients: tuple[str, ...]
    # None: the office sets no target at that level, and no document speaks of one.
    commune_target: Target | None
    village_target: Target | None
    style: Style
    # The legal basis the severance amounts are checked against (`nd154-2025`), and the
    # report's sentence naming it; empty when the settings name none: nothing is recomputed.
    severance_basis: str = ""
    legal_basis: str = ""
    # The issuer's name as the header breaks it ("ỦY BAN NHÂN DÂN", "HUYỆN PHÚ XUYÊN");
    # empty: the name on one line.
    issuer_lines: tuple[str, ...] = ()
    # The full name as a sentence writes it the first time ("Ủy ban nhân dân huyện
    # Phú Xuyên"); empty: the short name.
    issuer_full: str = ""
    # Who issues and signs the feedback sheets: the drafting unit.
    notices: NoticeIssuer | None = None
    deadlines: DeadlineRules = DeadlineRules()

    @property
    def issuer_header(self) -> str:
        """The issuer's name with the header's line breaks."""
        return "\n".join(self.issuer_lines) if self.issuer_lines else self.issuer

    @property
    def issuer_first(self) -> str:
        """The name the first sentence uses: in full, so that "UBND" may follow."""
        return self.issuer_full or self.issuer_short


@dataclass(frozen=True)
class PeriodSettings:
    """What the office writes for one period: number, date, narrative."""

    number: str
    issued_on: date | None
    subject: str
    intro: tuple[str, ...]
    direction: tuple[str, ...]
    advantages: tuple[str, ...]
    difficulties: tuple[str, ...]
    causes: tuple[str, ...]
    tasks: tuple[str, ...]
    proposals: tuple[str, ...]
    # The stage the review closes ("giai đoạn 1", "6 tháng"); empty: the period.
    stage: str = ""
    # The period's own cut-off and deadline, when they differ from the rules in Settings.
    cutoff: date | None = None
    deadline: date | None = None


# --- ingest ----------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One sheet as read: its name as its tab shows it, its rows of raw cell values,
    and whether Excel hides its tab (a clerk may not know it is there)."""

    name: str
    rows: list[list[Any]]
    hidden: bool = False


@dataclass(frozen=True)
class FileDigest:
    """The size and SHA-256 of the bytes a file gave when it was read: what the
    manifest vouches for, even should the file change later in the run."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> FileDigest:
        return cls(len(data), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Workbook:
    """A workbook as read: every sheet, in the order of the tabs."""

    path: Path
    name: str
    sheets: tuple[Sheet, ...]
    digest: FileDigest


@dataclass(frozen=True)
class UnreadableFile:
    """A return that could not be read: why, and the bytes' digest when any were read."""

    problem: Problem
    digest: FileDigest | None


@dataclass(frozen=True)
class ReturnFiles:
    """A period folder's files: the returns to read as (display name, path), in name
    order, and the names of the files that are not returns."""

    returns: tuple[tuple[str, Path], ...]
    ignored: tuple[str, ...]


@dataclass(frozen=True)
class IngestResult:
    workbooks: tuple[Workbook, ...]
    unreadable: tuple[UnreadableFile, ...]
    ignored: tuple[str, ...]


# --- validate --------------------------------------------------------------


@dataclass(frozen=True)
class Village:
    name: str
    kind: str
    merged_from: tuple[str, ...]
    titles: int
    people_before: int
    people_after: int


@dataclass(frozen=True)
class Severance:
    full_name: str
    level: str
    title: str
    form: str
    amount: int
    paid_on: date | None
    # What the amount is computed from under a legal basis; None where the return leaves it blank.
    monthly_allowance: int | None = None
    months_worked: int | None = None
    months_to_retirement: int | None = None


@dataclass(frozen=True)
class CommuneReturn:
    """A valid return, every value typed."""

    file: str
    unit: Unit
    period: Period
    commune_titles: int
    people_before: int
    people_after: int
    approved_on: date | None
    prepared_by: str
    prepared_on: date
    villages: tuple[Village, ...]
    severances: tuple[Severance, ...]
    # Where the figures were read, for the rules that weigh returns together to name the
    # cell: (sheet, field key) → `B9` on `Thông tin`, a column's cells `F5:F12` on a table.
    cells: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)


class ReturnStatus(Enum):
    VALID = "Hợp lệ"
    INVALID = "Có lỗi"
    SUPERSEDED = "Đã được thay thế"
    # Another return of the commune has the same `Ngày lập` and other figures: neither counts.
    SAME_DATE = "Trùng ngày lập"


@dataclass(frozen=True)
class ReturnOutcome:
    """What became of one workbook."""

    file: str
    status: ReturnStatus
    code: str | None
    unit_name: str | None
    prepared_on: date | None
    problems: tuple[Problem, ...] = ()
    data: CommuneReturn | None = None
    digest: FileDigest | None = None  # of the bytes read; None when none could be

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


@dataclass(frozen=True)
class CheckedReturn:
    """One return checked on its own, before it is weighed against its commune's other files."""

    outcome: ReturnOutcome
    for_this_period: bool  # False when the return says it is for another period
    prepared_on_cell: str  # where `Ngày lập` was read (`B10`), to name it should another return bear its date


@dataclass(frozen=True)
class ValidationResult:
    outcomes: tuple[ReturnOutcome, ...]
    accepted: tuple[CommuneReturn, ...]
    missing: tuple[Unit, ...]
    ignored: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())  # what the checking has to say once (a rule not applied...)


class UnitStatus(Enum):
    """Where a commune (or a file) stands in the period, as the status sheet says it."""

    VALID = "Hợp lệ"
    INVALID = "Có lỗi"
    MISSING = "Chưa gửi"
    SUPERSEDED = "Đã được thay thế"
    SAME_DATE = "Trùng ngày lập"
    UNMATCHED = "Không xác định được đơn vị"


@dataclass(frozen=True)
class StatusRow:
    """One line of the return-status sheet: a registry commune, or a file that is
    not the one counted for its commune (superseded, or matching no commune)."""

    code: str | None
    name: str | None
    status: UnitStatus
    file: str | None
    errors: int
    prepared_on: date | None
    message: str
    feedback: str | None  # the feedback sheet's path inside outputs/<PERIOD>/, when one was written
    checks: tuple[str, ...] = ()  # the figures to verify (warnings not yet confirmed), one text each
    # A registry commune's: when its counted return was received, and against the deadline.
    received_on: date | None = None
    timeliness: str = ""


# --- aggregate -------------------------------------------------------------


@dataclass(frozen=True)
class UnitGroup:
    """Some units, named together by the kinds they hold (`14 xã, thị trấn`)."""

    count: int
    kinds: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class StaffingGroup:
    """Units that kept the same number of people for the same number of titles."""

    people: int
    titles: int
    units: UnitGroup


@dataclass(frozen=True)
class ReturnsSummary:
    expected: int
    received: int
    valid: int
    invalid: tuple[str, ...]
    missing: tuple[str, ...]
    superseded: tuple[str, ...]


class Punctuality(Enum):
    ON_TIME = "on-time"
    LATE = "late"
    # Received past the deadline, but it may have lain in the folder since before it.
    UNKNOWN = "unknown"
    MISSING = "missing"


@dataclass(frozen=True)
class Receipt:
    """When the office got a return: on `seen_on` at the latest (the run that first
    read its bytes), and after `looked_on`, the day of the run before that one; None
    when no run looked before (the file may have been there since any day)."""

    seen_on: date
    looked_on: date | None


@dataclass(frozen=True)
class UnitTimeliness:
    """When a commune's return arrived against the deadline. `days_late`: past the
    deadline when received; for a missing return, how overdue it is at `as_of` of
    the summary (0 while not yet due); 0 when UNKNOWN."""

    code: str
    name: str
    punctuality: Punctuality
    received_on: date | None
    days_late: int


@dataclass(frozen=True)
class TimelinessSummary:
    """The period's dates and every registry commune's timeliness, in registry order.
    `as_of`: the latest receipt of the returns read, the day overdue counts run to (a
    later run over the same returns gives the same counts); None when nothing arrived."""

    cutoff: date
    deadline: date
    as_of: date | None
    units: tuple[UnitTimeliness, ...]
    on_time: int
    late: int
    unknown: int
    missing: int
    overdue: int  # missing and already past the deadline at `as_of`


@dataclass(frozen=True)
class CommuneLevel:
    communes: UnitGroup
    titles: int
    people_before: int
    people_after: int
    reduction: int
    groups: tuple[StaffingGroup, ...]
    over_target: UnitGroup  # empty when no target is set
    target: Target | None

    @property
    def abolished(self) -> bool:
        """No commune keeps anyone after the rearrangement: the positions were abolished."""
        return self.communes.count > 0 and self.people_after == 0


@dataclass(frozen=True)
class VillageMerge:
    commune: str
    into: str
    into_kind: str
    former: tuple[str, ...]


@dataclass(frozen=True)
class VillageLevel:
    before: UnitGroup
    after: UnitGroup
    merged_former: UnitGroup
    merged_into: UnitGroup
    merges: tuple[VillageMerge, ...]
    titles: int
    people_before: int
    people_after: int
    reduction: int
    meeting_target: UnitGroup  # both empty when no target is set
    over_target: UnitGroup
    target: Target | None


@dataclass(frozen=True)
class CommuneMerge:
    into: str
    kind: str
    former: tuple[str, ...]


@dataclass(frozen=True)
class SeveranceBucket:
    level: str
    form: str
    cases: int
    paid_cases: int
    pending_cases: int
    paid_amount: int
    pending_amount: int


@dataclass(frozen=True)
class SeveranceSummary:
    buckets: tuple[SeveranceBucket, ...]
    cases: int
    paid_cases: int
    pending_cases: int
    paid_amount: int
    pending_amount: int

    def at_level(self, level: str) -> SeveranceBucket:
        """All forms at one level, summed."""
        rows = [b for b in self.buckets if b.level == level]
        return SeveranceBucket(
            level=level,
            form="",
            cases=sum(b.cases for b in rows),
            paid_cases=sum(b.paid_cases for b in rows),
            pending_cases=sum(b.pending_cases for b in rows),
            paid_amount=sum(b.paid_amount for b in rows),
            pending_amount=sum(b.pending_amount for b in rows),
        )

    def of_form(self, form: str) -> int:
        return sum(b.cases for b in self.buckets if b.form == form)


@dataclass(frozen=True)
class CommuneRow:
    """One line of the annex; the totals line has an empty code."""

    code: str
    name: str
    kind: str
    commune_titles: int
    people_before: int
    people_after: int
    reduction: int
    villages_before: int
    villages_after: int
    village_titles: int
    village_people_before: int
    village_people_after: int
    village_reduction: int
    villages_over_target: int
    severance_cases: int
    severance_paid: int


@dataclass(frozen=True)
class Statistics:
    period: Period
    returns: ReturnsSummary
    commune: CommuneLevel
    villages: VillageLevel
    communes_merged: tuple[CommuneMerge, ...]
    severance: SeveranceSummary
    rows: tuple[CommuneRow, ...]
    totals: CommuneRow
    timeliness: TimelinessSummary | None = None  # None when no receipts were looked up


# --- meeting ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone named in the minutes: `name` is empty when a unit speaks through a
    representative, and `position` then holds the unit."""

    name: str
    position: str


@dataclass(frozen=True)
class Organiser:
    """The body that holds the conference and issues its minutes."""

    is_party: bool
    name: str
    parent_body: str
    issuer: str
    symbol: str
    number: str
    place: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Attendance:
    guests: tuple[Person, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Presentation:
    """`content` is a predicate (`trình bày dự thảo Báo cáo ...`); `is_report` marks
    the presentation of the report, which the minutes follow with its figures."""

    speaker: Person
    content: str
    is_report: bool


@dataclass(frozen=True)
class Opinion:
    speaker: Person
    points: tuple[str, ...]


@dataclass(frozen=True)
class NewsDetails:
    byline: str
    photo_caption: str
    headline: str
    # Hold the item back until every expected unit's return is valid: a public item
    # then never states partial figures.
    only_when_complete: bool = False


@dataclass(frozen=True)
class Meeting:
    """The conference as its secretary recorded it; an empty text or None is a
    value the record did not give."""

    name: str
    reviews: str
    organiser: Organiser
    held_on: date | None
    starts_at: time | None
    ends_at: time | None
    venue: str
    chairs: tuple[Person, ...]
    secretary: Person
    attendance: Attendance
    presentations: tuple[Presentation, ...]
    opinions: tuple[Opinion, ...]
    conclusions: tuple[str, ...]
    news: NewsDetails


@dataclass(frozen=True)
class MeetingRecord:
    """What could be read of the record: `meeting` is None when nothing could."""

    file: Path
    meeting: Meeting | None
    problems: tuple[str, ...]
