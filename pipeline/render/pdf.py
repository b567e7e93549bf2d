"""PDF copies of the written documents, made by LibreOffice (headless).

The .docx stays the primary output; the PDF is a copy for the office. Each
call runs LibreOffice once for all files, with its own throw-away user
profile, so that parallel runs do not fight over the user's profile lock and a
first run on a fresh machine works. LibreOffice writes into a private folder;
each PDF is then moved into place through a temporary file, so a
half-written PDF never replaces a good one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline.core.files import write_bytes

MISSING = ("Không tìm thấy LibreOffice (soffice). "
           "Cài đặt: apt-get install libreoffice-writer-nogui fonts-liberation")


class PdfError(Exception):
    """A PDF could not be made; the message is in Vietnamese, for the user."""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _kill_tree(pid: int) -> None:
    """The converter and every process it started: its session on Linux and macOS,
    its process tree on Windows (where `soffice.exe` starts `soffice.bin` too)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(pid)], capture_output=True, check=False)
    else:
        os.killpg(pid, signal.SIGKILL)


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    # `soffice` is a wrapper that starts soffice.bin: on a timeout the whole
    # process group is killed, or the real converter would live on.
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(process.pid)
            process.communicate()
            raise PdfError(f"LibreOffice chưa chuyển xong sang PDF sau {timeout:g} giây nên đã bị dừng. "
                           f"Thử lại, hoặc đóng các cửa sổ LibreOffice đang mở.") from None
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def convert_to_pdf(docx_paths: Sequence[Path], out_dir: Path, timeout: float = 120) -> list[Path]:
    """`out_dir/<name>.pdf` for each document, in the order given."""
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
        try:
            completed = _run(command, timeout)
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
