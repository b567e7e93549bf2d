"""Read the conference record `<PERIOD>/hoi-nghi.yaml` into a `Meeting`.

Unlike the office's settings, a bad record never stops the run: each problem
becomes a Vietnamese message naming the file and the key, the value is left
blank, and everything else is still read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pipeline.core.model import (
    Attendance,
    Meeting,
    MeetingRecord,
    NewsDetails,
    Opinion,
    Organiser,
    Person,
    Presentation,
)
from pipeline.intake.contract import clean_text
from pipeline.intake.yaml_input import ISSUER_KINDS, SettingsError, YamlReader, load_yaml
from pipeline.vn.dates import parse_date

MEETING_FILE = "hoi-nghi.yaml"
DEFAULT_RECIPIENTS = ("Lưu: VT, Hồ sơ.",)  # the last line of Mẫu 1.9

# `8:00`, `8h00`, `8 giờ`, `8 giờ 30 phút`.
_TIME = re.compile(r"(\d{1,2})\s*(?:[:h]|giờ)\s*(?:(\d{1,2})\s*(?:phút)?)?")
_TIME_FORMS = "8:00, 8h30 hoặc 8 giờ 30, đặt trong ngoặc kép"
_PHRASE_END = " .;,"

T = TypeVar("T")


def parse_time(value: Any) -> dt.time:
    """A time as a secretary types it. YAML 1.1 reads an unquoted `8:00` as the
    base-60 number 480, so minutes past midnight are accepted too — but not below
    60, where `8` would silently mean 0:08."""
    if isinstance(value, int) and not isinstance(value, bool) and 60 <= value < 24 * 60:
        return dt.time(*divmod(value, 60))
    if isinstance(value, str) and (match := _TIME.fullmatch(clean_text(value).casefold())):
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(f"không hiểu giờ {value!r}")


class _RecordReader(YamlReader):
    """The settings' reader, but a problem is recorded and a blank returned."""

    def __init__(self, path: Path, data: Any, prefix: str = "", lines: Mapping[str, int] | None = None,
                 problems: list[str] | None = None) -> None:
        super().__init__(path, data, prefix, lines)
        self.problems = [] if problems is None else problems

    def _child(self, data: Any, prefix: str) -> _RecordReader:
        return _RecordReader(self.path, data, prefix, self.lines, self.problems)

    def note(self, key: str, expected: str) -> None:
        self.problems.append(str(self.fail(key, expected)))

    def _or(self, read: Callable[[], T], default: T) -> T:
        try:
            return read()
        except SettingsError as error:
            self.problems.append(str(error))
            return default

    def section(self, key: str) -> _RecordReader:
        found = self._or(partial(super().section, key), None)
        if found is None:
            # One message for an absent section, not one more per key inside it.
            return _RecordReader(self.path, {}, f"{self.prefix}{key}.", self.lines)
        return self._child(found.data, found.prefix)

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        return self._or(partial(super().text, key, required=required, default=default), default)

    def phrase(self, key: str) -> str:
        """A predicate the documents end with their own punctuation."""
        return self.text(key).rstrip(_PHRASE_END)

    def choice(self, key: str, choices: tuple[str, ...] | dict[str, Any], default: str) -> str:
        return self._or(partial(super().choice, key, choices, default), default)

    def flag(self, key: str, default: bool) -> bool:
        return self._or(partial(super().flag, key, default), default)

    def paragraphs(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        known = len(self.problems)
        found = self._or(partial(super().paragraphs, key), ())
        if required and not found and len(self.problems) == known:
            self.note(key, "thiếu giá trị")
        return found

    def phrases(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        return tuple(p for p in (p.rstrip(_PHRASE_END) for p in self.paragraphs(key, required=required)) if p)

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if isinstance(value, str) and value.strip():
            try:
                return parse_date(value)
            except ValueError as error:
                self.note(key, str(error).rstrip("."))
                return None
        known = len(self.problems)
        found = self._or(partial(super().date, key), None)
        if found is None and len(self.problems) == known:
            self.note(key, "thiếu giá trị")
        return found

    def time(self, key: str) -> dt.time | None:
        value = self.data.get(key)
        if value is None or value == "":
            self.note(key, "thiếu giá trị")
            return None
        try:
            return parse_time(value)
        except ValueError:
            self.note(key, f"cần giờ dạng {_TIME_FORMS}")
            return None

    def items(self, key: str, *, required: bool = False) -> list[_RecordReader]:
        """A list of mappings (one mapping alone is a list of one); `chair[2].name`
        names the second item's key."""
        value = self.data.get(key)
        if isinstance(value, dict):
            value = [value]
        if value is None or value == []:
            if required:
                self.note(key, "thiếu giá trị")
            return []
        if not isinstance(value, list):
            self.note(key, "cần một danh sách, mỗi mục bắt đầu bằng dấu -")
            return []
        readers = []
        for index, item in enumerate(value, start=1):
            if isinstance(item, dict):
                readers.append(self._child(item, f"{self.prefix}{key}[{index}]."))
            else:
                self.note(f"{key}[{index}]", "cần các khóa con (name, position...)")
        return readers

    def person(self, *, name_required: bool = True) -> Person:
        return Person(name=self.text("name", required=name_required), position=self.text("position"))


def _organiser(reader: _RecordReader) -> Organiser:
    return Organiser(
        is_party=ISSUER_KINDS[reader.choice("kind", ISSUER_KINDS, "state")],
        name=reader.text("name"),
        parent_body=reader.text("parent_body", required=False),
        issuer=reader.text("issuer"),
        symbol=reader.text("symbol"),
        number=reader.text("number", required=False),
        place=reader.text("place", required=False),
        recipients=reader.paragraphs("recipients") or DEFAULT_RECIPIENTS,
    )


def _attendance(reader: _RecordReader) -> Attendance:
    attendance = Attendance(guests=tuple(r.person() for r in reader.items("guests")),
                            groups=reader.phrases("groups"))
    if reader.data and not attendance.guests and not attendance.groups:
        reader.note("groups", "cần ít nhất một thành phần tham dự (groups) hoặc một khách mời (guests)")
    return attendance


def _presentations(root: _RecordReader) -> tuple[Presentation, ...]:
    found = tuple(Presentation(r.person(), r.phrase("content"), r.flag("report", False))
                  for r in root.items("presentations", required=True))
    reports = [p for p in found if p.is_report]
    if found and len(reports) != 1:
        root.note("presentations", "cần đúng một mục ghi report: true (người trình bày báo cáo sơ kết), "
                                    f"đang có {len(reports)}")
    # The figures follow one presentation only: the first marked one.
    first = reports[0] if reports else None
    return tuple(p if p is first or not p.is_report else Presentation(p.speaker, p.content, False) for p in found)


def _news(reader: _RecordReader) -> NewsDetails:
    return NewsDetails(
        byline=reader.text("byline"),
        photo_caption=reader.text("photo_caption", required=False),
        headline=reader.text("headline", required=False),
        only_when_complete=reader.flag("only_when_complete", False),
    )


def _read(path: Path, data: dict[str, Any], lines: Mapping[str, int]) -> tuple[Meeting, list[str]]:
    root = _RecordReader(path, data, lines=lines)
    meeting = Meeting(
        name=root.text("name"),
        reviews=root.text("reviews"),
        organiser=_organiser(root.section("organiser")),
        held_on=root.date("date"),
        starts_at=root.time("start"),
        ends_at=root.time("end"),
        venue=root.text("venue"),
        chairs=tuple(r.person() for r in root.items("chair", required=True)),
        secretary=root.section("secretary").person(),
        attendance=_attendance(root.section("attendees")),
        presentations=_presentations(root),
        opinions=tuple(Opinion(r.person(name_required=False), r.phrases("points", required=True))
                       for r in root.items("opinions")),
        conclusions=root.phrases("conclusions", required=True),
        news=_news(root.section("news")),
    )
    return meeting, root.problems


def load_meeting(period_dir: Path) -> MeetingRecord:
    """Never raises for anything in the file; `meeting` is None when it cannot be read."""
    path = period_dir / MEETING_FILE
    if not path.is_file():
        return MeetingRecord(path, None, (f"Chưa có tệp {path}.",))
    try:
        data, lines = load_yaml(path)
    except SettingsError as error:
        return MeetingRecord(path, None, (str(error),))
    if not isinstance(data, dict):
        return MeetingRecord(path, None, (f"Tệp {path.name} không có nội dung đúng dạng: cần các khóa "
                                          f"name, organiser, date, chair... như tệp mẫu.",))
    meeting, problems = _read(path, data, lines)
    return MeetingRecord(path, meeting, tuple(problems))
