"""Command line: `python -m pipeline report --period 2020-11`."""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline.core.model import ReturnStatus, UnitStatus, ValidationResult
from pipeline.intake.cells import without_controls
from pipeline.intake.registry import RegistryError
from pipeline.intake.settings import Settings, SettingsError
from pipeline.run.lock import RunLockedError, period_lock
from pipeline.run.publish import PublishError, check_apart
from pipeline.run.receipts import LedgerError
from pipeline.vn.periods import Period, PeriodError, parse_period

if TYPE_CHECKING:  # the heavy modules are imported by the commands that need them
    from pipeline.render.check import HouseRules, Violation
    from pipeline.run.orchestrate import RunResult

EXIT_OK, EXIT_INVALID, EXIT_FAILED = 0, 1, 2
EXIT_INTERRUPTED = 130  # what shells report for a command ended by Ctrl-C
# The labels of the progress bars the commands draw themselves.
CHECKING = "Kiểm tra thể thức"
CONVERTING = "Chuyển sang PDF"


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Tổng hợp báo cáo sắp xếp người hoạt động không chuyên trách của các xã.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--period", required=True, type=_period, metavar="KỲ",
                             help="kỳ báo cáo, ví dụ 2020-11, 2020-Q4, 2020-H1, 2020-9M, 2020")
        command.add_argument("--inputs", type=Path, default=Path("inputs"), metavar="THƯ_MỤC",
                             help="thư mục dữ liệu vào (mặc định: inputs)")
        command.add_argument("--outputs", type=Path, default=Path("outputs"), metavar="THƯ_MỤC",
                             help="thư mục kết quả (mặc định: outputs)")
        return command

    report = add("report", "Đọc, kiểm tra, tổng hợp báo cáo của các xã và viết báo cáo sơ kết.")
    report.add_argument("--strict", action="store_true",
                        help="coi báo cáo có lỗi hoặc còn thiếu là lỗi (mã thoát 1)")
    report.add_argument("--pdf", action="store_true", help="chuyển thêm mọi tệp .docx sang PDF (cần LibreOffice)")
    add("validate", "Chỉ đọc và kiểm tra báo cáo của các xã (nhanh), để xem báo cáo nào còn lỗi, còn thiếu.")
    add("forms", "Viết biểu mẫu trống cho từng xã trong danh mục.")
    add("pdf", "Chuyển các tệp .docx của một kỳ đã chạy sang PDF (cần LibreOffice).")
    add("lint-templates", "Kiểm tra các mẫu Word trong templates_docx/ với số liệu của một kỳ.")
    units = commands.add_parser(
        "don-vi", help="Viết danh mục đơn vị (don-vi.csv) của một tỉnh theo danh mục chính thức năm 2025.",
        description="Viết THƯ_MỤC/don-vi.csv: các xã, phường, đặc khu hiện nay của một tỉnh, thành phố (mã, tên, "
                    "loại) theo gói vietnam-provinces; cột 'Sáp nhập từ' của tệp đang có được giữ lại.")
    units.add_argument("--tinh", required=True, metavar="TÊN_TỈNH", help='tên tỉnh, thành phố, ví dụ "An Giang"')
    units.add_argument("--inputs", type=Path, default=Path("inputs"), metavar="THƯ_MỤC",
                       help="thư mục dữ liệu vào (mặc định: inputs)")
    check = commands.add_parser("check", help="Kiểm tra thể thức văn bản (.docx).",
                                description="Kiểm tra thể thức văn bản theo Nghị định 30/2020 "
                                            "hoặc Hướng dẫn 36-HD/VPTW (văn bản của Đảng).")
    check.add_argument("files", nargs="+", type=Path, metavar="TỆP.docx")
    check.add_argument("--inputs", type=Path, default=Path("inputs"), metavar="THƯ_MỤC",
                       help="thư mục có don-vi-bao-cao.yaml: số tiền ghi bằng chữ, cách xuống dòng tên cơ quan "
                            "ban hành (mặc định: inputs)")
    return parser


def _print_validation(result: ValidationResult, expected: int, feedback: tuple[Path, int] | None = None) -> None:
    """`feedback`: the folder of the feedback sheets and how many were written."""
    valid = sum(o.status is ReturnStatus.VALID for o in result.outcomes)
    print(f"Báo cáo nhận được: {len(result.outcomes)} tệp; hợp lệ: {valid}/{expected} đơn vị.")
    for outcome in result.outcomes:
        if outcome.status in (ReturnStatus.INVALID, ReturnStatus.SAME_DATE):
            # Every error, one a line: the clerk fixes them all before sending the file again.
            print(f"  ✗ {outcome.file}: {len(outcome.errors)} lỗi.")
            for error in outcome.errors:
                print(f"      - {error.message()}")
        elif outcome.status is ReturnStatus.SUPERSEDED:
            print(f"  ↺ {outcome.file}: đã được thay thế bằng báo cáo khác của {outcome.unit_name} (lập sau, hoặc "
                  f"cùng Ngày lập và cùng số liệu), không được tổng hợp.")
        for warning in outcome.warnings if outcome.status is not ReturnStatus.SUPERSEDED else ():
            print(f"  ! {warning.message()}")
    to_verify = sum(len(o.warnings) for o in result.outcomes if o.status is not ReturnStatus.SUPERSEDED)
    if to_verify:
        print(f"Số liệu cần xác minh: {to_verify} (dòng «!» ở trên; đã xác minh là đúng thì ghi vào xac-nhan.yaml "
              f"của kỳ: mã đơn vị, quy tắc, giá trị, người xác nhận, ngày).")
    if result.missing:
        print(f"Chưa gửi báo cáo ({len(result.missing)}): " + ", ".join(u.name for u in result.missing))
    for name in result.ignored:
        print(f"  · Bỏ qua {name}: không phải bảng tính báo cáo.")
    if feedback:
        print(f"Phiếu phản hồi gửi từng đơn vị ({feedback[1]} tệp): {feedback[0]}")


def _report(args: argparse.Namespace) -> int:
    from pipeline.documents.feedback import FEEDBACK_FOLDER
    from pipeline.documents.run_page import write_run_page
    from pipeline.render.check import check_paths
    from pipeline.render.pdf import convert_to_pdf
    from pipeline.run.orchestrate import run_report
    from pipeline.run.progress import ProgressBar

    result = run_report(args.period, args.inputs, args.outputs, ProgressBar)
    sheets = args.outputs / args.period.code / FEEDBACK_FOLDER
    feedback = [path for path in result.written if path.parent == sheets]
    print(f"Kỳ báo cáo: {args.period.label()}")
    for note in result.notes:
        print(f"Lưu ý: {note}")
    _print_validation(result.validation, result.statistics.returns.expected,
                      (sheets, len(feedback)) if feedback else None)
    print("Đã viết:")
    for path in result.written:
        if path.parent != sheets:  # the feedback sheets are counted above, not listed one by one
            print(f"  {path}")
    documents = [path for path in result.written if path.suffix == ".docx" and path.parent != sheets]
    workbooks = [path for path in result.written if path.suffix == ".xlsx"]
    sheet_kinds = _sheet_of_each_kind(result, sheets.parent)
    # As `make pdf`: PDF copies of the period's documents, not of every feedback sheet. Made
    # before the check, which then reads their pages too.
    pdfs_failed = False
    if args.pdf:
        folder = args.outputs / args.period.code

        def add_pdfs(staging: Path) -> list[Path]:
            pdfs = convert_to_pdf(documents, staging, on_done=ProgressBar(CONVERTING))
            # The run page was written before the PDF copies existed: write it again to link them.
            written = [staging / path.relative_to(folder) for path in result.written]
            return [*pdfs, write_run_page(staging, result.statistics, result.status_rows, written, result.notes)]

        pdfs_failed = _with_pdfs(folder, args.period, add_pdfs) is None
    checked = check_paths([*documents, *sheet_kinds, *workbooks], ProgressBar(CHECKING),
                          house_rules_of(result.settings), pages=_can_read_pages(documents))
    if args.pdf and not pdfs_failed:
        for sheet, violations in _sheet_pages(sheet_kinds).items():
            checked[sheet] = [*checked[sheet], *violations]
    _print_findings(checked)
    if pdfs_failed:
        return EXIT_FAILED
    incomplete = result.statistics.returns.valid < result.statistics.returns.expected
    return EXIT_INVALID if args.strict and incomplete else EXIT_OK


def _print_findings(checked: Mapping[Path, Sequence[Violation]]) -> None:
    for path, violations in checked.items():
        for violation in violations:
            print(f"  Lỗi thể thức ({path.name}): {violation.text()}")


def _can_read_pages(documents: Sequence[Path]) -> bool:
    """Whether the pages of the documents' PDF copies can be read back; when some
    copy is there but pdftotext is not, a note says that their pages are not checked."""
    from pipeline.render.check import pdf_copy
    from pipeline.render.pdf import NO_PDFTOTEXT, find_pdftotext

    if find_pdftotext() is not None:
        return True
    if any(pdf_copy(path) for path in documents):
        print(f"Lưu ý: {NO_PDFTOTEXT}; chưa kiểm tra trang của các bản PDF (trang chỉ có phần ký).")
    return False


def _sheet_pages(sheets: Sequence[Path]) -> dict[Path, list[Violation]]:
    """The page check of the feedback sheets whose format was checked (one of each
    kind), on PDF copies made for it alone and thrown away: the sheets get no PDF copy."""
    import tempfile

    from pipeline.render.check import check_pages
    from pipeline.render.pdf import PdfError, convert_to_pdf
    from pipeline.run.progress import ProgressBar

    if not sheets or not _can_read_pages([]):
        return {}
    with tempfile.TemporaryDirectory(prefix="phan-hoi-pdf-") as scratch:
        try:
            pdfs = convert_to_pdf(sheets, Path(scratch), on_done=ProgressBar(CONVERTING))
        except PdfError as error:
            print(f"Lưu ý: không kiểm tra được trang của phiếu phản hồi: {error}")
            return {}
        return {sheet: check_pages(sheet, pdf) for sheet, pdf in zip(sheets, pdfs, strict=True)}


def _sheet_of_each_kind(result: RunResult, folder: Path) -> list[Path]:
    """The feedback sheets share one template and differ by kind (errors, figures,
    replaced): their layout is checked on one sheet of each kind, which keeps the
    check of a national run (thousands of sheets) to seconds."""
    first: dict[UnitStatus, Path] = {}
    for row in result.status_rows:
        if row.feedback:
            first.setdefault(row.status, folder / row.feedback)
    return list(first.values())


def _validate(args: argparse.Namespace) -> int:
    from pipeline.documents.feedback import FEEDBACK_FOLDER
    from pipeline.intake.contract import SETTINGS_FILE
    from pipeline.intake.registry import load_registry
    from pipeline.run.orchestrate import READING, run_validate, validate_period
    from pipeline.run.progress import ProgressBar

    print(f"Kỳ báo cáo: {args.period.label()}")
    if not (args.inputs / SETTINGS_FILE).is_file():
        # Checking returns needs no settings; the sheets sent back are signed by the office they name.
        registry = load_registry(args.inputs)
        result = validate_period(args.period, args.inputs, registry, args.outputs, ProgressBar(READING))
        for note in (*result.notes, f"Chưa viết phiếu phản hồi và bảng tình trạng báo cáo: cần tệp "
                                    f"{args.inputs / SETTINGS_FILE} (cơ quan ban hành, người ký, hạn gửi)."):
            print(f"Lưu ý: {note}")
        _print_validation(result, len(registry))
        return EXIT_OK if len(result.accepted) == len(registry) else EXIT_INVALID
    done = run_validate(args.period, args.inputs, args.outputs, ProgressBar)
    for note in done.notes:
        print(f"Lưu ý: {note}")
    sheets = args.outputs / args.period.code / FEEDBACK_FOLDER
    feedback = [path for path in done.written if path.parent == sheets]
    _print_validation(done.validation, done.expected, (sheets, len(feedback)) if feedback else None)
    print("Đã viết:")
    for path in done.written:
        if path.parent != sheets:
            print(f"  {path}")
    return EXIT_OK if len(done.validation.accepted) == done.expected else EXIT_INVALID


def _with_pdfs(folder: Path, period: Period, add: Callable[[Path], list[Path]]) -> list[Path] | None:
    """The period's set published again with what `add(staging)` writes: PDF copies
    of its documents (the .docx stay the primary output), made from the published
    documents into the staging folder; None, the set unchanged, when LibreOffice
    could not make them."""
    from pipeline.render.pdf import PdfError
    from pipeline.run.orchestrate import add_to_period

    try:
        written = add_to_period(folder, period, add)
    except PdfError as error:
        print(f"Không chuyển được sang PDF: {error}", file=sys.stderr)
        return None
    for path in written:
        if path.suffix == ".pdf":
            print(f"  {path}")
    return written


def _pdf(args: argparse.Namespace) -> int:
    folder = args.outputs / args.period.code
    documents = sorted(folder.glob("*.docx"))
    if not documents:
        print(f"Chưa có văn bản .docx nào trong {folder}: chạy 'make report PERIOD={args.period.code}' trước.",
              file=sys.stderr)
        return EXIT_FAILED
    from pipeline.render.pdf import convert_to_pdf
    from pipeline.run.progress import ProgressBar

    added = _with_pdfs(folder, args.period,
                       lambda staging: convert_to_pdf(documents, staging, on_done=ProgressBar(CONVERTING)))
    if added is None:
        return EXIT_FAILED
    if _can_read_pages(documents):
        from pipeline.render.check import check_pages, pdf_copy

        _print_findings({path: check_pages(path, pdf) for path in documents if (pdf := pdf_copy(path))})
    return EXIT_OK


def house_rules(inputs: Path) -> HouseRules | None:
    """What the checker takes from the office's settings; None, with a note, when they
    cannot be read: the rules that need them are skipped, the others still run."""
    from pipeline.intake.contract import SETTINGS_FILE

    settings = _office_settings(inputs)
    if not isinstance(settings, Settings):
        print(f"Lưu ý: không đọc được {inputs / SETTINGS_FILE} ({settings}); không kiểm tra số tiền ghi bằng chữ "
              f"và cách xuống dòng tên cơ quan ban hành.")
        return None
    return house_rules_of(settings)


def _office_settings(inputs: Path) -> Settings | SettingsError | OSError:
    """The office's settings, or why they cannot be read (not written, unfinished, unreadable),
    for the commands that go on without them."""
    from pipeline.intake.settings import load_settings

    try:
        return load_settings(inputs)
    except (SettingsError, OSError) as error:
        return error


def house_rules_of(settings: Settings) -> HouseRules:
    """What the checker takes from the office's settings."""
    from pipeline.render.check import HouseRules

    names = [settings.issuer_lines or (settings.issuer,)]
    if settings.notices is not None:
        names.append(settings.notices.name_lines)
    return HouseRules(settings.style.money_in_words, tuple(names))


def _check(args: argparse.Namespace) -> int:
    from pipeline.render.check import check_paths, format_report
    from pipeline.run.progress import ProgressBar

    results = check_paths(args.files, ProgressBar(CHECKING), house_rules(args.inputs),
                          pages=_can_read_pages(args.files))
    print(format_report(results))
    return EXIT_INVALID if any(results.values()) else EXIT_OK


def _lint_templates(args: argparse.Namespace) -> int:
    from pipeline.render.lint import format_findings, lint_templates
    from pipeline.render.templating import TEMPLATES
    from pipeline.run.orchestrate import prepare

    contexts = {job.template: job.context for job in prepare(args.period, args.inputs, args.outputs).documents
                if job.template.parent == TEMPLATES}
    templates = sorted(TEMPLATES.glob("*.docx"))
    findings = lint_templates({path: contexts.get(path) for path in templates})
    print(format_findings(findings, templates))
    return EXIT_INVALID if findings else EXIT_OK


def _forms(args: argparse.Namespace) -> int:
    from pipeline.documents.forms import write_forms
    from pipeline.intake.contract import FORMS_FOLDER
    from pipeline.intake.registry import load_registry
    from pipeline.run.orchestrate import add_to_period

    registry = load_registry(args.inputs)
    author = _issuer_if_set(args.inputs)
    folder = args.outputs / args.period.code
    paths = add_to_period(folder, args.period, lambda staging: write_forms(registry, args.period,
                                                                           staging / FORMS_FOLDER, author))
    print(f"Đã viết {len(paths)} biểu mẫu vào {folder / FORMS_FOLDER}.")
    return EXIT_OK


def _issuer_if_set(inputs: Path) -> str:
    """The issuing body, which the blank forms name as their author; empty while the
    office's settings cannot be read: forms go out before they are finished."""
    settings = _office_settings(inputs)
    return settings.issuer if isinstance(settings, Settings) else ""


def _units(args: argparse.Namespace) -> int:
    from pipeline.intake.official_units import UnknownProvince, data_version, write_province_registry
    from pipeline.vn.units import COMMUNE_KINDS

    try:
        path, province, units = write_province_registry(args.inputs, args.tinh)
    except UnknownProvince as error:
        print(f"Không thể chạy: {error}", file=sys.stderr)
        return EXIT_FAILED
    counts = {kind: sum(u.kind == kind for u in units) for kind in COMMUNE_KINDS}
    kinds = ", ".join(f"{count} {kind.lower()}" for kind, count in counts.items() if count)
    merged = sum(bool(u.merged_from) for u in units)
    print(f"Đã viết {path}: {province.name}, {len(units)} đơn vị ({kinds}); giữ 'Sáp nhập từ' của {merged} đơn vị. "
          f"Nguồn: gói vietnam-provinces {data_version()}.")
    return EXIT_OK


# The commands that write into outputs/<PERIOD>/: one of them at a time per period.
_WRITING_COMMANDS = frozenset({"report", "validate", "forms", "pdf"})

# What the system says, by errno name (not every system has every name).
_SYSTEM_ERRORS = {getattr(errno, name): advice for name, advice in (
    ("ENOSPC", "ổ đĩa đã đầy. Giải phóng chỗ trống trên ổ đĩa rồi chạy lại"),
    ("EDQUOT", "đã dùng hết dung lượng được cấp. Giải phóng chỗ trống rồi chạy lại"),
    ("EACCES", "không có quyền ghi hoặc đọc. Chọn thư mục khác (--outputs) hoặc nhờ quản trị cấp quyền"),
    ("EPERM", "không có quyền ghi hoặc đọc. Chọn thư mục khác (--outputs) hoặc nhờ quản trị cấp quyền"),
    ("EROFS", "ổ đĩa chỉ cho đọc. Chọn thư mục kết quả ở ổ đĩa khác (--outputs)"),
    ("ENOTDIR", "một phần của đường dẫn là tệp, không phải thư mục. Chọn thư mục khác (--outputs)"),
    ("EEXIST", "đã có một tệp trùng tên ở đó, không phải thư mục. Đổi tên tệp đó hoặc chọn thư mục khác"),
    ("EISDIR", "ở đó là một thư mục, không phải tệp. Xóa hoặc đổi tên thư mục đó rồi chạy lại"),
    ("ENAMETOOLONG", "đường dẫn quá dài. Chọn thư mục kết quả có đường dẫn ngắn hơn (--outputs)"),
    ("ELOOP", "đường dẫn là một liên kết (symlink); chương trình không ghi qua liên kết. Xóa liên kết đó"),
) if hasattr(errno, name)}


def system_error_text(error: OSError, folder: Path) -> str:
    """`Không truy cập được /x/y: ổ đĩa đã đầy. Giải phóng…` — never a traceback. A
    failed write names no file: the folder being written is named instead."""
    where = f" {error.filename or folder}"
    advice = _SYSTEM_ERRORS.get(error.errno or 0)
    if advice is None:
        detail = without_controls(error.strerror or type(error).__name__)
        advice = f"lỗi hệ thống ({detail}). Kiểm tra ổ đĩa và thư mục rồi chạy lại"
    return f"Không truy cập được{where}: {advice}."


def _speak_vietnamese(*streams: TextIO) -> None:
    """A console or pipe whose encoding has no Vietnamese letters (cp1252 on many
    Windows PCs) would make the first message crash the run: write UTF-8 to it."""
    for stream in streams:
        try:
            "Đã viết".encode(stream.encoding or "ascii")
        except (LookupError, UnicodeEncodeError):
            stream.reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    _speak_vietnamese(sys.stdout, sys.stderr)
    args = _parser().parse_args(argv)
    command = {"report": _report, "validate": _validate, "forms": _forms, "pdf": _pdf, "check": _check,
               "lint-templates": _lint_templates, "don-vi": _units}[args.command]
    try:
        if args.command not in _WRITING_COMMANDS:
            return command(args)
        check_apart(args.inputs, args.outputs)
        with period_lock(args.outputs / args.period.code, f"Kỳ báo cáo {args.period.label()}"):
            return command(args)
    except (SettingsError, RegistryError, RunLockedError, PublishError, LedgerError) as error:
        print(f"Không thể chạy: {error}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        print(f"Không thể chạy: {system_error_text(error, getattr(args, 'outputs', Path.cwd()))}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu (Ctrl-C).", file=sys.stderr)
        return EXIT_INTERRUPTED
