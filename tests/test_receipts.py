"""The receipt ledger and timeliness, with a fixed clock: the first receipt of each
exact file stands across runs, publishing and a run that dies before publishing."""

import datetime as dt
import json
import shutil

import pytest
from builders import SAMPLE_INPUTS, UNITS, result_of

from pipeline.cli import EXIT_FAILED, EXIT_INVALID, main
from pipeline.core.model import FileDigest, Punctuality, Receipt, ReturnOutcome, ReturnStatus, ValidationResult
from pipeline.documents.status import STATUS_SHEET
from pipeline.figures.timeliness import punctuality, timeliness, timeliness_text
from pipeline.run import orchestrate
from pipeline.run.manifest import MANIFEST_FILE
from pipeline.run.orchestrate import run_report
from pipeline.run.receipts import LEDGER_FILE, LedgerError, read_ledger, record_receipts
from pipeline.vn.periods import parse_period

PERIOD = parse_period("2020-11")
ICT = dt.timezone(dt.timedelta(hours=7))
FIRST = dt.datetime(2020, 11, 16, 9, 0, tzinfo=ICT)
LATER = dt.datetime(2020, 11, 20, 15, 0, tzinfo=ICT)
LOOKED = dt.datetime(2020, 11, 18, 10, 0, tzinfo=ICT)  # a run the day after the deadline
CUTOFF, DEADLINE = dt.date(2020, 11, 14), dt.date(2020, 11, 17)


def digest(text: str) -> FileDigest:
    return FileDigest.of(text.encode())


def test_the_ledger_keeps_the_first_receipt_of_the_same_bytes(tmp_path):
    assert record_receipts(tmp_path, [("a.xlsx", digest("a"))], clock=lambda: FIRST) == {
        digest("a").sha256: Receipt(FIRST.date(), None)}
    days = record_receipts(tmp_path, [("a-copy.xlsx", digest("a")), ("b.xlsx", digest("b"))], clock=lambda: LATER)
    # b came after the run that did not find it, and by this one.
    assert days == {digest("a").sha256: Receipt(FIRST.date(), None), digest("b").sha256: Receipt(LATER.date(), FIRST.date())}
    entries, looked = read_ledger(tmp_path)
    assert entries[digest("a").sha256] == {"received": "2020-11-16T09:00:00+07:00", "after": None, "file": "a.xlsx",
                                           "size": 1}
    assert entries[digest("b").sha256]["after"] == "2020-11-16T09:00:00+07:00"
    assert looked == "2020-11-20T15:00:00+07:00"


def test_a_run_that_finds_nothing_new_still_notes_it_looked(tmp_path):
    record_receipts(tmp_path, [("a.xlsx", digest("a"))], clock=lambda: FIRST)
    record_receipts(tmp_path, [("a.xlsx", digest("a"))], clock=lambda: LATER)
    later = LATER + dt.timedelta(days=1)
    assert record_receipts(tmp_path, [("b.xlsx", digest("b"))], clock=lambda: later)[digest("b").sha256] == Receipt(
        later.date(), LATER.date())


def test_a_ledger_of_the_first_format_reads_with_no_run_before(tmp_path):
    (tmp_path / LEDGER_FILE).write_text(json.dumps({"format": 1, "receipts": {digest("a").sha256: {
        "received": "2020-11-20T15:00:00+07:00", "file": "a.xlsx", "size": 1}}}), encoding="utf-8")
    receipts = record_receipts(tmp_path, [("a.xlsx", digest("a")), ("b.xlsx", digest("b"))], clock=lambda: LATER)
    assert receipts[digest("a").sha256] == Receipt(LATER.date(), None)
    assert receipts[digest("b").sha256] == Receipt(LATER.date(), None)


@pytest.mark.parametrize(("seen", "looked", "expected"), [
    (dt.date(2020, 11, 16), None, Punctuality.ON_TIME),
    (DEADLINE, None, Punctuality.ON_TIME),  # the deadline day is in time
    (DEADLINE, dt.date(2020, 11, 10), Punctuality.ON_TIME),
    (dt.date(2020, 11, 20), None, Punctuality.UNKNOWN),  # in the folder at the first run, after the deadline
    (dt.date(2020, 11, 20), DEADLINE, Punctuality.UNKNOWN),  # may have come the evening of the deadline
    (dt.date(2020, 11, 20), dt.date(2020, 11, 16), Punctuality.UNKNOWN),
    (dt.date(2020, 11, 20), dt.date(2020, 11, 18), Punctuality.LATE),  # a run after the deadline had not found it
    (dt.date(2021, 1, 5), dt.date(2020, 12, 31), Punctuality.LATE),
])
def test_a_receipt_is_late_only_when_a_run_after_the_deadline_had_not_found_it(seen, looked, expected):
    assert punctuality(Receipt(seen, looked), DEADLINE) is expected


@pytest.mark.parametrize("text", ["{", '{"receipts": {"x": {"received": "hôm qua"}}}', "[]"])
def test_an_unreadable_ledger_stops_the_run_rather_than_date_everything_today(tmp_path, text):
    (tmp_path / LEDGER_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError, match=LEDGER_FILE):
        record_receipts(tmp_path, [("a.xlsx", digest("a"))], clock=lambda: FIRST)


def outcome(unit, sha: str, status=ReturnStatus.VALID) -> ReturnOutcome:
    return ReturnOutcome(f"{unit.code}.xlsx", status, unit.code, unit.name, dt.date(2020, 11, 12),
                         digest=digest(sha))


def test_each_commune_reads_on_time_late_unknown_or_overdue():
    an_binh, dong_hoa, phu_minh, nam_tien = UNITS
    outcomes = (outcome(an_binh, "a"), outcome(dong_hoa, "d-old", ReturnStatus.SUPERSEDED),
                outcome(dong_hoa, "d", ReturnStatus.INVALID), outcome(nam_tien, "n"))
    receipts = {digest("a").sha256: Receipt(dt.date(2020, 11, 17), None),
                digest("d-old").sha256: Receipt(dt.date(2020, 11, 10), None),
                digest("d").sha256: Receipt(dt.date(2020, 11, 20), dt.date(2020, 11, 18)),
                digest("n").sha256: Receipt(dt.date(2020, 11, 16), None)}
    summary = timeliness(ValidationResult(outcomes, (), (phu_minh,)), UNITS, receipts, CUTOFF, DEADLINE)
    texts = {u.code: timeliness_text(u) for u in summary.units}
    # Đông Hòa's counted file came late; its earlier, replaced file does not make it on time.
    assert texts == {an_binh.code: "đúng hạn", dong_hoa.code: "muộn 3 ngày",
                     phu_minh.code: "chưa gửi (quá hạn 3 ngày)", nam_tien.code: "đúng hạn"}
    assert (summary.on_time, summary.late, summary.unknown, summary.missing, summary.overdue) == (2, 1, 0, 1, 1)
    assert summary.as_of == dt.date(2020, 11, 20)
    # Seen first by a run after the deadline with none after it before: it may have come in time.
    receipts[digest("d").sha256] = Receipt(dt.date(2020, 11, 20), dt.date(2020, 11, 16))
    summary = timeliness(ValidationResult(outcomes, (), (phu_minh,)), UNITS, receipts, CUTOFF, DEADLINE)
    assert {u.code: timeliness_text(u) for u in summary.units}[dong_hoa.code] == "chưa rõ"
    assert (summary.on_time, summary.late, summary.unknown, summary.missing) == (2, 0, 1, 1)


def test_a_missing_return_is_not_overdue_before_the_deadline():
    summary = timeliness(result_of([], UNITS), UNITS, {}, CUTOFF, DEADLINE)
    assert {u.punctuality for u in summary.units} == {Punctuality.MISSING}
    assert {timeliness_text(u) for u in summary.units} == {"chưa gửi"}
    assert summary.as_of is None and summary.overdue == 0


@pytest.fixture
def inputs(tmp_path):
    copy = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, copy)
    return copy


def status_lines(folder):
    from openpyxl import load_workbook

    sheet = load_workbook(folder / "tinh-trang-bao-cao.xlsx")[STATUS_SHEET]
    header = [cell.value for cell in sheet[3]]
    return {row[header.index("Tên đơn vị")]: row for row in sheet.iter_rows(min_row=4, values_only=True)}, header


def test_a_second_run_over_the_same_bytes_gives_the_same_documents(tmp_path, inputs):
    outputs = tmp_path / "outputs"
    run_report(PERIOD, inputs, outputs, clock=lambda: FIRST)
    folder = outputs / PERIOD.code
    # Everything but the ledger, which notes when each run looked.
    first = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != LEDGER_FILE}
    receipts = read_ledger(folder)[0]
    run_report(PERIOD, inputs, outputs, clock=lambda: LATER)
    second = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != LEDGER_FILE}
    assert first == second and read_ledger(folder)[0] == receipts
    rows, header = status_lines(folder)
    assert rows["Xã Phú Túc"][header.index("Ngày nhận")] == dt.datetime(2020, 11, 16)
    assert rows["Xã Phú Túc"][header.index("Thời hạn")] == "đúng hạn"
    # The ledger is the office's, not a document of the set: the manifest does not list it.
    outputs_listed = {entry["path"] for entry in json.loads((folder / MANIFEST_FILE).read_text())["outputs"]}
    assert LEDGER_FILE not in outputs_listed and (folder / LEDGER_FILE).is_file()


def test_a_corrected_file_is_received_when_first_seen_and_the_others_keep_theirs(tmp_path, inputs):
    outputs = tmp_path / "outputs"
    run_report(PERIOD, inputs, outputs, clock=lambda: FIRST)
    run_report(PERIOD, inputs, outputs, clock=lambda: LOOKED)  # after the deadline, nothing new yet
    shutil.copy(inputs / "2020-11" / "10222-chau-can.xlsx", tmp_path / "old.xlsx")
    corrected = inputs / "2020-11" / "10222-chau-can.xlsx"
    corrected.write_bytes(corrected.read_bytes() + b"\0")  # other bytes: another return, received now
    run_report(PERIOD, inputs, outputs, clock=lambda: LATER)
    rows, header = status_lines(outputs / PERIOD.code)
    assert rows["Xã Châu Can"][header.index("Ngày nhận")] == dt.datetime(2020, 11, 20)
    assert rows["Xã Châu Can"][header.index("Thời hạn")] == "muộn 3 ngày"
    assert rows["Xã Phú Túc"][header.index("Thời hạn")] == "đúng hạn"
    assert rows["Xã Tri Thủy"][header.index("Thời hạn")] == "chưa gửi (quá hạn 3 ngày)"


def test_the_receipts_of_a_run_that_dies_before_publishing_stand(tmp_path, inputs, monkeypatch):
    outputs = tmp_path / "outputs"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(orchestrate, "write_manifest", killed)
    with pytest.raises(KeyboardInterrupt):
        run_report(PERIOD, inputs, outputs, clock=lambda: FIRST)
    monkeypatch.undo()
    run_report(PERIOD, inputs, outputs, clock=lambda: LATER)
    rows, header = status_lines(outputs / PERIOD.code)
    assert rows["Xã Phú Túc"][header.index("Ngày nhận")] == dt.datetime(2020, 11, 16)


def test_validate_sends_feedback_and_the_status_without_the_report(tmp_path, inputs, capsys):
    outputs = tmp_path / "outputs"
    run_report(PERIOD, inputs, outputs, clock=lambda: FIRST)
    code = main(["validate", "--period", PERIOD.code, "--inputs", str(inputs), "--outputs", str(outputs)])
    assert code == EXIT_INVALID  # Châu Can's errors, Tri Thủy missing
    folder = outputs / PERIOD.code
    assert (folder / "tinh-trang-bao-cao.xlsx").is_file() and (folder / LEDGER_FILE).is_file()
    assert len(list((folder / "phan-hoi").glob("*.docx"))) == 27
    # The report made from earlier returns does not stay beside newer feedback.
    assert not (folder / "bao-cao-so-ket.docx").exists()
    printed = capsys.readouterr().out
    assert f"được bỏ khỏi {folder}" in printed and "make report PERIOD=2020-11" in printed  # said, not silent
    assert "10222-chau-can.xlsx: 2 lỗi." in printed
    assert "trang Thông tin, ô B9" in printed and "trang Thôn, 'Thôn Thượng Thịnh' (dòng 9, ô D9" in printed  # both errors


def test_validate_with_a_broken_ledger_cannot_run(tmp_path, inputs):
    outputs = tmp_path / "outputs"
    (outputs / PERIOD.code).mkdir(parents=True)
    (outputs / PERIOD.code / LEDGER_FILE).write_text("{", encoding="utf-8")
    assert main(["validate", "--period", PERIOD.code, "--inputs", str(inputs), "--outputs", str(outputs)]) == EXIT_FAILED


def test_returns_first_read_after_the_deadline_are_not_called_late(tmp_path, inputs):
    """An office that starts the program after the deadline, with the returns already
    in the folder, cannot know when they came: "chưa rõ", explained under the title."""
    outputs = tmp_path / "outputs"
    run_report(PERIOD, inputs, outputs, clock=lambda: LATER)
    rows, header = status_lines(outputs / PERIOD.code)
    assert rows["Xã Phú Túc"][header.index("Thời hạn")] == "chưa rõ"
    assert rows["Xã Tri Thủy"][header.index("Thời hạn")] == "chưa gửi (quá hạn 3 ngày)"
    assert not any(row[header.index("Thời hạn")].startswith("muộn") for row in rows.values()
                   if row[header.index("Thời hạn")])
    from openpyxl import load_workbook

    sheet = load_workbook(outputs / PERIOD.code / "tinh-trang-bao-cao.xlsx")[STATUS_SHEET]
    assert "“Chưa rõ”" in " ".join(str(c.value) for row in sheet.iter_rows(max_row=2) for c in row if c.value)
