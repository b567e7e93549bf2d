"""PDF copies of the written documents, made by LibreOffice (headless).

The .docx stays the primary output; the PDF is a copy for the office. Each
call runs LibreOffice once for all files, with its own throw-away user
profile, so that parallel runs do not fight over the user's profile lock and a
first run on a fresh machine works. LibreOffice writes into a private folder;
each PDF is then moved into place through a temporary file, so a
half-written PDF never replaces a good one.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.core.files import write_bytes

MISSING = ("Không tìm thấy LibreOffice (soffice). "
           "Cài đặt: apt-get install libreoffice-writer-nogui fonts-liberation")
NO_PDFTOTEXT = "Không tìm thấy pdftotext để đọc lại bản PDF. Cài đặt: apt-get install poppler-utils"


class PdfError(Exception):
    """A PDF could not be made; the message is in Vietnamese, for the user."""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def find_pdftotext() -> str | None:
    return shutil.which("pdftotext")


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of a PDF as poppler's `pdftotext` reads it: a line of
    text a line, the columns of a table one after the other (not side by side)."""
    pdftotext = find_pdftotext()
    if pdftotext is None:
        raise PdfError(NO_PDFTOTEXT)
    done = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=False)
    if done.returncode:
        raise PdfError(f"Không đọc được {pdf.name}: {done.stderr.strip() or f'mã thoát {done.returncode}'}.")
    # Each page ends with a form feed.
    return done.stdout.split("\f")[:-1]


def _kill_tree(pid: int) -> None:
    """The converter and every process it started: its session on Linux and macOS,
    its process tree on Windows (where `soffice.exe` starts `soffice.bin` too)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(pid)], capture_output=True, check=False)
    else:
        os.killpg(pid, signal.SIGKILL)


def _run(command: list[str], timeout: float, on_line: Callable[[str], None]) -> subprocess.CompletedProcess[str]:
    """The converter run to its end or its timeout; each line it prints goes to
    `on_line` as it comes (LibreOffice prints one per document converted)."""
    # `soffice` is a wrapper that starts soffice.bin: on a timeout the whole
    # process group is killed, or the real converter would live on.
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as process:
        out: list[str] = []
        err: list[str] = []

        def read_out() -> None:
            for line in process.stdout:
                out.append(line)
                on_line(line)

        # Both pipes are drained while the converter runs, so neither can fill and stall it.
        readers = [threading.Thread(target=read_out, daemon=True),
                   threading.Thread(target=lambda: err.append(process.stderr.read()), daemon=True)]
        for reader in readers:
            reader.start()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(process.pid)
            process.wait()
            raise PdfError(f"LibreOffice chưa chuyển xong sang PDF sau {timeout:g} giây nên đã bị dừng. "
                           f"Thử lại, hoặc đóng các cửa sổ LibreOffice đang mở.") from None
        finally:
            for reader in readers:
                reader.join()
    return subprocess.CompletedProcess(command, process.returncode, "".join(out), "".join(err))


def convert_to_pdf(docx_paths: Sequence[Path], out_dir: Path, timeout: float = 120,
                   on_done: Callable[[int, int], None] | None = None) -> list[Path]:
    """`out_dir/<name>.pdf` for each document, in the order given; `on_done(done,
    total)` as LibreOffice reports each document, for a progress bar."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(MISSING)
    sources = [Path(p).resolve() for p in docx_paths]
    stems = [p.stem for p in sources]
    if len(set(stems)) != len(stems):
        raise PdfError("Có hai văn bản cùng tên (khác thư mục); tệp PDF của chúng sẽ ghi đè lên nhau.")
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        raise PdfError(f"Không có tệp: {', '.join(missing)}.")
    if not sources:
        return []
    with tempfile.TemporaryDirectory(prefix="pdf-") as scratch:
        profile, staging = Path(scratch) / "profile", Path(scratch) / "pdf"
        staging.mkdir()
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(staging), *map(str, sources)]
        converted = itertools.count(1)

        def count(line: str) -> None:
            if on_done and line.startswith("convert "):
                on_done(min(next(converted), len(sources)), len(sources))

        try:
            completed = _run(command, timeout, count)
        except OSError as error:
            raise PdfError(f"Không chạy được LibreOffice ({soffice}): {error}.") from error
        written = []
        for source in sources:
            produced = staging / f"{source.stem}.pdf"
            if not produced.is_file() or produced.stat().st_size == 0:
                detail = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["không có thông báo"]
                raise PdfError(f"LibreOffice không tạo được tệp PDF cho {source.name} "
                               f"(mã thoát {completed.returncode}: {detail[0]}).")
            written.append(write_bytes(Path(out_dir) / produced.name, produced.read_bytes()))
    return written
