"""Offices run Windows: the command must start and run without POSIX-only modules,
write only names Windows accepts, and pass the office's values to the shell safely.
CI has no Windows, so these tests take away what Windows lacks."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from builders import ROOT, SAMPLE_INPUTS

import pipeline
from pipeline.vn.filenames import MAX_STEM_LENGTH, file_stem, unique_stems

PACKAGE = Path(pipeline.__file__).parent
# Windows as far as the lock can tell: no `fcntl`, and an `msvcrt` whose `locking`
# behaves as Windows' does (a held region refuses with EACCES), backed here by lockf.
# (`subprocess` takes any importable msvcrt for Windows: it is imported first.)
AS_ON_WINDOWS = """\
import errno, sys, types
import subprocess, concurrent.futures.process
import fcntl as _posix
sys.modules['fcntl'] = None
msvcrt = types.ModuleType('msvcrt')
msvcrt.LK_UNLCK, msvcrt.LK_NBLCK = 0, 2
def _locking(descriptor, mode, length):
    if mode == msvcrt.LK_UNLCK:
        return _posix.lockf(descriptor, _posix.LOCK_UN, length)
    try:
        _posix.lockf(descriptor, _posix.LOCK_EX | _posix.LOCK_NB, length)
    except OSError:
        raise OSError(errno.EACCES, 'Permission denied') from None
msvcrt.locking = _locking
sys.modules['msvcrt'] = msvcrt
"""


def python(code: str, *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env=env)


def test_the_cli_runs_a_report_where_there_is_no_fcntl(tmp_path):
    """`import fcntl` at import time kept the CLI from starting on Windows."""
    done = python(AS_ON_WINDOWS + (
        "from pipeline.cli import main\n"
        f"code = main(['report', '--period', '2020-11', '--inputs', {str(SAMPLE_INPUTS)!r}, "
        f"'--outputs', {str(tmp_path)!r}])\n"
        "assert sys.modules['fcntl'] is None, 'fcntl was imported'\n"
        "sys.exit(code)\n"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "2020-11" / "bao-cao-so-ket.docx").is_file()
    assert "Traceback" not in done.stderr


def test_without_fcntl_one_run_per_period_still_holds_and_names_the_holder(tmp_path):
    done = python(AS_ON_WINDOWS + (
        "import os\n"
        "from pathlib import Path\n"
        "from pipeline.run.lock import RunLockedError, period_lock\n"
        f"folder = Path({str(tmp_path / '2020-11')!r})\n"
        "with period_lock(folder, 'Kỳ'):\n"
        "    try:\n"
        "        with period_lock(folder, 'Kỳ'):\n"
        "            sys.exit('a second holder got in')\n"
        "    except RunLockedError as error:\n"
        "        assert f'tiến trình {os.getpid()}' in str(error), error\n"
        "with period_lock(folder, 'Kỳ'):\n"
        "    pass\n"
        "assert not any(folder.parent.iterdir()), list(folder.parent.iterdir())\n"))
    assert done.returncode == 0, done.stderr


def test_where_the_system_can_lock_no_file_the_run_says_so(tmp_path):
    done = python(
        "import sys; sys.modules['fcntl'] = None; sys.modules['msvcrt'] = None\n"
        "from pipeline.cli import main\n"
        f"sys.exit(main(['validate', '--period', '2020-11', '--inputs', {str(SAMPLE_INPUTS)!r}, "
        f"'--outputs', {str(tmp_path)!r}]))\n")
    assert done.returncode == 2
    assert "không có cách khóa tệp" in done.stderr and "Traceback" not in done.stderr


# Calls that exist only on POSIX systems; each use must sit behind a platform test.
_POSIX_ONLY = {"fcntl", "resource", "pwd", "grp", "termios", "killpg", "sched_getaffinity", "register_at_fork",
               "fork", "getuid", "geteuid", "setsid", "prctl", "SIGKILL", "O_NOFOLLOW"}
_GUARDS = ("sys.platform", "hasattr(", "getattr(", "os.name", "get_all_start_methods")


def test_posix_only_calls_are_guarded_by_a_platform_test():
    """Not a proof, but it catches the `import fcntl` at import time that kept the
    CLI from starting on Windows: every POSIX-only name is inside a branch (or
    expression) that asks the platform first."""
    unguarded = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        guarded_lines: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If | ast.IfExp | ast.Try) and any(
                    guard in ast.get_source_segment(source, getattr(node, "test", node)) for guard in _GUARDS):
                guarded_lines.update(range(node.lineno, node.end_lineno + 1))
            if isinstance(node, ast.Call) and any(guard in ast.get_source_segment(source, node)
                                                  for guard in ("hasattr(", "getattr(")):
                guarded_lines.update(range(node.lineno, node.end_lineno + 1))
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.attr] if isinstance(node, ast.Attribute) else [])
            if any(name in _POSIX_ONLY for name in names) and node.lineno not in guarded_lines:
                unguarded.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert unguarded == []


def test_the_main_module_runs_only_as_a_script():
    """Where the pool starts workers by importing the main module again (Windows'
    spawn), an unguarded `main()` would start a run in every worker; the process's
    set-up is the only call, harmless wherever it runs."""
    tree = ast.parse((PACKAGE / "__main__.py").read_text(encoding="utf-8"))
    top_level_calls = [ast.unparse(node) for node in tree.body if isinstance(node, ast.Expr)]
    assert top_level_calls == ["set_up_process()"]


@pytest.mark.parametrize("name", ["CON", "con", "Prn", "AUX", "NUL", "COM1", "com9", "LPT1", "lpt0"])
def test_device_names_never_become_file_names(name):
    for stem in (file_stem(name), file_stem(f"{name}."), file_stem(f"{name} "), file_stem(f" {name}...")):
        assert stem.casefold() != name.casefold()
        assert stem.split(".")[0].casefold() != name.casefold()


@pytest.mark.parametrize("text", ["Xã Hồng Minh.", "Thôn 3 ...", "trailing space ", "a" * 400,
                                  "Xã " + "Đông Thượng " * 40, "..", ".", "   ", 'Tên có <>:"/\\|?* lạ'])
def test_stems_are_windows_safe(text):
    stem = file_stem("10177", text)
    assert len(stem) <= MAX_STEM_LENGTH
    assert not stem.endswith((".", " "))
    assert not set(stem) & set('<>:"/\\|?*') and stem.isascii()


def test_stems_that_differ_only_by_case_are_told_apart():
    assert len({s.casefold() for s in unique_stems(["Xa-A", "xa-a", "XA-A"])}) == 3


def test_the_longest_path_written_fits_windows_limit_under_a_usual_outputs_folder():
    """Windows refuses paths over 259 characters unless long paths are enabled.
    With OUTPUTS as deep as `C:\\Users\\<name>\\Documents\\Báo cáo\\outputs`, the
    longest file the run writes (a feedback sheet, or its temporary twin) fits."""
    from pipeline.documents.feedback import FEEDBACK_FOLDER

    outputs = r"C:\Users\nguyen.van.an\Documents\Phong Noi vu\Bao cao KCT\outputs"
    longest = f"{outputs}\\2020-Q4\\{FEEDBACK_FOLDER}\\.{'x' * MAX_STEM_LENGTH}.docx.4294967295.tmp"
    assert len(longest) <= 259


def test_make_passes_hostile_folder_names_to_the_command_as_data(tmp_path):
    """A folder named with quotes, a semicolon and backticks is a folder name, not
    shell code. (The recipes run in the project's root, where `touch` would land.)"""
    marker = f"PWNED-{tmp_path.name}"
    planted = ROOT / marker
    hostile = tmp_path / f'Phòng "Nội vụ"; touch {marker} `touch {marker}` \'x\''
    hostile.mkdir()
    (hostile / "don-vi.csv").write_bytes((SAMPLE_INPUTS / "don-vi.csv").read_bytes())
    outputs = tmp_path / f'kết quả "mới"; touch {marker}'
    env = {**os.environ, "MAKEFLAGS": ""}
    try:
        done = subprocess.run(["make", "-s", "validate", "PERIOD=2020-11", f"INPUTS={hostile}",
                               f"OUTPUTS={outputs}"], capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)
        assert not planted.exists(), done.stdout + done.stderr
        assert "Báo cáo nhận được: 0 tệp" in done.stdout, done.stdout + done.stderr
        assert outputs.is_dir()
        quoted_period = subprocess.run(["make", "-s", "validate", f'PERIOD=2020-11"; touch {marker}; "'],
                                       capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)
        assert not planted.exists()
        assert quoted_period.returncode != 0
        assert "Traceback" not in quoted_period.stderr
    finally:
        planted.unlink(missing_ok=True)


def test_the_makefile_defaults_reach_the_recipes(tmp_path):
    """`export` before a `?=` default leaves the variable empty: `make test` then linted
    the templates against the period ""."""
    show = tmp_path / "show.mk"
    show.write_text('show-defaults:\n\t@echo "[$$LINT_PERIOD][$$BENCH_SIZES][$$INPUTS][$$OUTPUTS]"\n', encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key not in {"LINT_PERIOD", "BENCH_SIZES", "INPUTS", "OUTPUTS", "MAKEFLAGS"}}
    done = subprocess.run(["make", "-s", "-f", "Makefile", "-f", str(show), "show-defaults"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60, env=env)
    assert done.stdout.strip() == "[2020-11][300,1000,3321][inputs][outputs]", done.stderr
