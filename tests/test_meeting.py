"""The conference record: the sample reads cleanly, and a bad record is reported
key by key, in Vietnamese, without raising and without losing the rest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from builders import PERIOD, SAMPLE_INPUTS, SETTINGS, UNITS, commune, result_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.documents.minutes import minutes_context
from pipeline.figures.aggregate import aggregate
from pipeline.intake.meeting import MEETING_FILE, load_meeting, parse_time

SAMPLE = SAMPLE_INPUTS / "2020-11" / MEETING_FILE


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    (tmp_path / MEETING_FILE).write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path


def test_sample_reads_without_problems():
    record = load_meeting(SAMPLE.parent)
    assert record.problems == ()
    meeting = record.meeting
    assert meeting.organiser.is_party and meeting.organiser.symbol == "BB/HU"
    assert meeting.held_on == dt.date(2020, 11, 18)
    assert (meeting.starts_at, meeting.ends_at) == (dt.time(8, 0), dt.time(11, 30))
    assert [c.position for c in meeting.chairs] == ["Bí thư Huyện ủy"]
    assert meeting.secretary.position == "Chánh Văn phòng Huyện ủy"
    assert [p.is_report for p in meeting.presentations] == [False, True, False]
    assert 3 <= len(meeting.opinions) <= 5 and 3 <= len(meeting.conclusions) <= 5
    assert meeting.news.byline == "CTV Minh Lộc – Trung tâm VHTT&TT huyện"
    # A unit speaking through a representative has no name.
    assert any(not o.speaker.name for o in meeting.opinions)
    # Phrases lose their final punctuation: the documents add their own.
    assert not any(c.endswith((".", ";")) for c in meeting.conclusions)


@pytest.mark.parametrize("typed, expected", [
    ("8:00", dt.time(8, 0)), ("08:05", dt.time(8, 5)), ("8h30", dt.time(8, 30)),
    ("8 giờ", dt.time(8, 0)), ("14 giờ 30 phút", dt.time(14, 30)), (" 8 GIỜ 30 ", dt.time(8, 30)),
    (480, dt.time(8, 0)),  # what YAML 1.1 makes of an unquoted 8:00
])
def test_times_as_secretaries_type_them(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["tám giờ", "25:00", "8:75", 8, 59, True, "", None, 1440])
def test_times_that_are_refused(typed):
    with pytest.raises(ValueError):
        parse_time(typed)


def test_unquoted_time_in_yaml_is_read(tmp_path):
    record = load_meeting(edited(tmp_path, 'start: "8:00"', "start: 8:00"))
    assert record.meeting.starts_at == dt.time(8, 0) and record.problems == ()


def test_missing_file_names_the_file(tmp_path):
    record = load_meeting(tmp_path)
    assert record.meeting is None
    assert record.problems == (f"Chưa có tệp {tmp_path / MEETING_FILE}.",)


def test_broken_yaml_names_the_line(tmp_path):
    record = load_meeting(edited(tmp_path, "venue: ", "venue: [\n"))
    assert record.meeting is None
    assert "hoi-nghi.yaml sai cú pháp YAML (dòng" in record.problems[0]


@pytest.mark.parametrize("content", ["", "- một\n- hai\n", "chỉ một dòng chữ\n"])
def test_a_record_that_is_not_a_mapping(tmp_path, content):
    (tmp_path / MEETING_FILE).write_text(content, encoding="utf-8")
    record = load_meeting(tmp_path)
    assert record.meeting is None and "không có nội dung đúng dạng" in record.problems[0]


@pytest.mark.parametrize("old, new, message", [
    ('venue: "Hội trường Huyện ủy"', "", "Tệp hoi-nghi.yaml, khóa 'venue': thiếu giá trị."),
    ('  name: "Đỗ Thị Thanh Huyền"\n', "", "khóa 'secretary.name': thiếu giá trị"),
    ('  byline: "CTV Minh Lộc – Trung tâm VHTT&TT huyện"', "", "khóa 'news.byline': thiếu giá trị"),
    ("date: 2020-11-18", 'date: "31/02/2020"', "khóa 'date': Ngày \"31/02/2020\" không có trên lịch"),
    ('end: "11:30"', 'end: "mười một giờ"', "khóa 'end': cần giờ dạng"),
    ("kind: party", "kind: province", "khóa 'organiser.kind'"),
    ('    points:\n      - "cho biết kinh phí', '    point:\n      - "cho biết kinh phí',
     "khóa 'opinions[3].points': thiếu giá trị"),
    ("    report: true\n", "    report: có\n", "khóa 'presentations[2].report': cần true hoặc false"),
    ("conclusions:\n", "conclusion:\n", "khóa 'conclusions': thiếu giá trị"),
])
def test_each_problem_names_file_and_key(tmp_path, old, new, message):
    record = load_meeting(edited(tmp_path, old, new))
    assert record.meeting is not None
    assert any(message in p for p in record.problems), record.problems


def test_a_missing_key_loses_nothing_else(tmp_path):
    record = load_meeting(edited(tmp_path, 'venue: "Hội trường Huyện ủy"', ""))
    sample = load_meeting(SAMPLE.parent).meeting
    assert record.meeting.venue == ""
    assert record.meeting == dataclasses.replace(sample, venue="")


def test_an_absent_section_is_one_problem_not_one_per_key(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    start, end = text.index("secretary:\n"), text.index("# Thành phần tham dự.")
    (tmp_path / MEETING_FILE).write_text(text[:start] + text[end:], encoding="utf-8")
    problems = load_meeting(tmp_path).problems
    assert [p for p in problems if "secretary" in p] == [
        "Tệp hoi-nghi.yaml, khóa 'secretary': thiếu mục này hoặc mục không đúng dạng (cần các khóa con)."]


def test_the_report_presenter_is_marked_once(tmp_path):
    record = load_meeting(edited(tmp_path, "    content: \"phát biểu khai mạc",
                                 "    report: true\n    content: \"phát biểu khai mạc"))
    assert any("khóa 'presentations': cần đúng một mục ghi report: true" in p for p in record.problems)
    assert [p.is_report for p in record.meeting.presentations] == [True, False, False]


def test_no_attendees_at_all_is_a_problem(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    start, end = text.index("  guests:\n"), text.index("# Ai trình bày gì")
    (tmp_path / MEETING_FILE).write_text(text[:start] + "  guests: []\n\n" + text[end:], encoding="utf-8")
    record = load_meeting(tmp_path)
    assert any("khóa 'attendees.groups': cần ít nhất một thành phần tham dự" in p for p in record.problems)


def test_dates_as_typed(tmp_path):
    assert load_meeting(edited(tmp_path, "date: 2020-11-18", 'date: "18/11/2020"')).meeting.held_on == \
        dt.date(2020, 11, 18)


def test_one_chair_may_be_written_without_a_list(tmp_path):
    record = load_meeting(edited(tmp_path, '  - name: "Phạm Đức Thắng"\n    position: "Bí thư Huyện ủy"\n\n# Thư ký',
                                 '  name: "Phạm Đức Thắng"\n  position: "Bí thư Huyện ủy"\n\n# Thư ký'))
    assert record.problems == () and record.meeting.chairs[0].name == "Phạm Đức Thắng"


# --- anything a secretary may type --------------------------------------------

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10_000), st.text(max_size=12),
                     st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["name", "position", "points", "content",
                                                                   "report", "guests", "groups", "kind",
                                                                   "byline", "x"]), inner, max_size=4)),
    max_leaves=12)
_KEYS = ["name", "reviews", "organiser", "date", "start", "end", "venue", "chair", "secretary", "attendees",
         "presentations", "opinions", "conclusions", "news"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_KEYS), _values, max_size=len(_KEYS)))
def test_no_record_makes_the_loader_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / MEETING_FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        record = load_meeting(Path(folder))
    assert record.meeting is not None
    assert all(p.startswith("Tệp hoi-nghi.yaml") for p in record.problems)
    stats = aggregate(result_of([commune(UNITS[0], 7)]), UNITS, SETTINGS, PERIOD)
    minutes_context(record.meeting, stats, SETTINGS)


def test_sample_copy_is_independent_of_folder(tmp_path):
    shutil.copy(SAMPLE, tmp_path / MEETING_FILE)
    assert load_meeting(tmp_path).meeting == load_meeting(SAMPLE.parent).meeting
