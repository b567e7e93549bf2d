import io

from pipeline.run.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_draws_on_a_terminal_and_clears_at_the_end():
    terminal = Terminal()
    bar = ProgressBar("Đọc báo cáo", terminal)
    bar(0, 4)
    bar(4, 4)
    output = terminal.getvalue()
    assert "Đọc báo cáo [" in output and "] 0/4" in output and "] 4/4" in output
    assert output.endswith("\r")


def test_silent_when_not_a_terminal():
    log = io.StringIO()
    bar = ProgressBar("Đọc báo cáo", log)
    bar(1, 2)
    bar(2, 2)
    assert log.getvalue() == ""
