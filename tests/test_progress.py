import io
import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.run.progress import ProgressBar
from pipeline.vn.dates import format_duration


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_draws_with_the_time_left_on_a_terminal_and_clears_at_the_end():
    terminal, clock = Terminal(), Clock()
    bar = ProgressBar("Viết văn bản", terminal, clock)
    clock.now += 10  # 1 of 4 in 10 s: 30 s left
    bar(1, 4)
    clock.now += 10
    bar(2, 4)
    bar(4, 4)
    output = terminal.getvalue()
    assert "Viết văn bản [" in output and "] 1/4, còn khoảng 30 giây" in output
    assert "] 2/4, còn khoảng 20 giây" in output
    assert output.endswith("\r") and output.splitlines()[-1].strip() == ""


def test_no_estimate_from_the_first_few_of_many():
    """The report and the workbooks come first and slowest: their pace is no guide to thousands of sheets."""
    terminal, clock = Terminal(), Clock()
    bar = ProgressBar("Viết văn bản", terminal, clock)
    clock.now += 20
    bar(1, 3329)
    assert terminal.getvalue().rstrip().endswith("] 1/3329")
    clock.now += 10
    bar(961, 3329)
    assert "] 961/3329, còn khoảng 1 phút 10 giây" in terminal.getvalue()


def test_a_share_of_the_work_moves_the_bar_and_the_estimate_the_count_stays_in_files():
    """The format check: the national report is one file of 34 but most of the work."""
    terminal, clock = Terminal(), Clock()
    bar = ProgressBar("Kiểm tra thể thức", terminal, clock)
    clock.now += 2
    bar(0, 34, 0.5)  # half the work in 2 s: 2 s left
    assert terminal.getvalue().endswith(f"[{'#' * 15}{'.' * 15}] 0/34, còn khoảng 2 giây")
    early, clock = Terminal(), Clock()
    bar = ProgressBar("Kiểm tra thể thức", early, clock)
    clock.now += 2
    bar(1, 34, 0.02)  # too little of the work done for an estimate, whatever the count
    assert early.getvalue().endswith(f"[{'.' * 30}] 1/34")


def test_a_step_shorter_than_a_second_draws_nothing():
    terminal, clock = Terminal(), Clock()
    bar = ProgressBar("Đọc và kiểm tra báo cáo", terminal, clock)
    for done in range(1, 101):
        clock.now += 0.009
        bar(done, 100)
    assert terminal.getvalue() == ""


def test_redraws_at_most_ten_times_a_second():
    terminal, clock = Terminal(), Clock()
    bar = ProgressBar("Đọc", terminal, clock)
    clock.now += 2
    for done in range(1, 1000):
        clock.now += 0.001  # 1 s in all
        bar(done, 5000)
    assert 9 <= terminal.getvalue().count("\r") <= 11


def test_silent_when_not_a_terminal():
    log = io.StringIO()
    clock = Clock()
    bar = ProgressBar("Đọc báo cáo", log, clock)
    clock.now += 5
    bar(1, 2)
    bar(2, 2)
    assert log.getvalue() == ""


def test_durations_as_a_person_says_them():
    assert [format_duration(s) for s in (0, 1, 7.4, 12, 44, 58, 61, 80, 128, 599, 600, 3599, 3600, 7500)] == [
        "1 giây", "1 giây", "7 giây", "10 giây", "45 giây", "55 giây", "1 phút", "1 phút 20 giây",
        "2 phút 10 giây", "10 phút", "10 phút", "1 giờ 00 phút", "1 giờ 00 phút", "2 giờ 05 phút"]


def _seconds(text: str) -> int:
    units = {"giờ": 3600, "phút": 60, "giây": 1}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+) (giờ|phút|giây)", text))


@given(st.floats(min_value=0, max_value=10 * 24 * 3600))
def test_an_estimate_is_close_to_the_time(seconds):
    said = _seconds(format_duration(seconds))
    assert abs(said - seconds) <= max(5, 0.05 * seconds)


@given(st.lists(st.floats(min_value=0, max_value=10 * 3600), min_size=2, max_size=2))
def test_a_longer_time_is_never_said_shorter(pair):
    shorter, longer = sorted(pair)
    assert _seconds(format_duration(shorter)) <= _seconds(format_duration(longer))
