"""A part of a zip workbook inflated straight from the file's bytes gives what zipfile
gives, and a part it cannot vouch for is left to zipfile, which fails as it always has."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.intake.cells import without_controls
from pipeline.intake.workbooks import (_KEPT_TITLES_MAX_BYTES, _inflated, _kept_titles, _read_part, _read_titles,
                                       _sheet_titles)

NAME = "xl/worksheets/sheet1.xml"
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _zip(content: bytes, method: int = zipfile.ZIP_DEFLATED, name: str = NAME) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(name, content)
    return buffer.getvalue()


def _open(data: bytes) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, archive.infolist()[-1]


def _by_zipfile(data: bytes) -> bytes | tuple[type[Exception], str]:
    """What zipfile alone reads, at most the declared size: the bytes, or the failure."""
    archive, entry = _open(data)
    try:
        with archive.open(entry) as part:
            return part.read(entry.file_size)
    except Exception as error:  # noqa: BLE001 — whatever zipfile raises, the same is expected
        return type(error), str(error)


def _by_read_part(data: bytes) -> bytes | tuple[type[Exception], str]:
    archive, entry = _open(data)
    try:
        return _read_part(archive, entry)
    except Exception as error:  # noqa: BLE001
        return type(error), str(error)


@given(st.binary(min_size=1, max_size=4096) | st.text(max_size=2000).map(str.encode), st.sampled_from(METHODS))
def test_a_plain_part_is_inflated_directly_to_the_same_bytes(content: bytes, method: int) -> None:
    data = _zip(content or b"x", method)
    archive, entry = _open(data)
    assert _inflated(archive, entry) == _by_zipfile(data) == (content or b"x")


def _local_data_at(data: bytes, entry: zipfile.ZipInfo) -> int:
    name_length, extra_length = struct.unpack_from("<HH", data, entry.header_offset + 26)
    return entry.header_offset + 30 + name_length + extra_length


def _flip_packed_byte(data: bytes) -> bytes:
    _, entry = _open(data)
    at = _local_data_at(data, entry) + entry.compress_size // 2
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


def _wrong_crc(data: bytes) -> bytes:
    """The central directory's CRC of the part changed: the bytes no longer match it."""
    archive, entry = _open(data)
    central = data.rindex(b"PK\x01\x02")
    crc_at = central + 16
    return data[:crc_at] + struct.pack("<I", entry.CRC ^ 1) + data[crc_at + 4:]


def _smaller_size(data: bytes) -> bytes:
    """The central directory declares a smaller part than it holds."""
    _, entry = _open(data)
    central = data.rindex(b"PK\x01\x02")
    size_at = central + 24
    return data[:size_at] + struct.pack("<I", entry.file_size // 2) + data[size_at + 4:]


def _other_local_name(data: bytes) -> bytes:
    _, entry = _open(data)
    at = entry.header_offset + 30
    return data[:at] + b"X" + data[at + 1:]


def _truncated(data: bytes) -> bytes:
    """The part's packed bytes cut short, the directory kept: the declared sizes lie."""
    _, entry = _open(data)
    start = _local_data_at(data, entry)
    return data[:start + entry.compress_size // 2] + data[start + entry.compress_size:]


def _encrypted_flag(data: bytes) -> bytes:
    central = data.rindex(b"PK\x01\x02")
    flags_at = central + 8
    flags = struct.unpack_from("<H", data, flags_at)[0]
    return data[:flags_at] + struct.pack("<H", flags | 0x1) + data[flags_at + 2:]


CONTENT = b"<worksheet><sheetData>" + b"<row><c><v>12</v></c></row>" * 200 + b"</sheetData></worksheet>"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("damage", [_flip_packed_byte, _wrong_crc, _smaller_size, _other_local_name, _truncated,
                                    _encrypted_flag])
def test_a_part_that_is_not_plainly_right_is_read_by_zipfile_as_before(damage, method: int) -> None:
    data = damage(_zip(CONTENT, method))
    by_zipfile = _by_zipfile(data)
    assert _by_read_part(data) == by_zipfile
    if not isinstance(by_zipfile, bytes):
        assert _inflated(*_open(data)) is None


_WORKBOOK = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas'
             '.openxmlformats.org/officeDocument/2006/relationships"><sheets>{}</sheets></workbook>')
_LINKS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>')


@given(st.lists(st.text(alphabet="Thôn\u0301\u200b AB", max_size=8), min_size=1, max_size=4))
def test_titles_read_again_for_parts_already_read_are_the_titles_read_afresh(names: list[str]) -> None:
    sheets = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, start=1))
    links = "".join(f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(names) + 1))
    parts = (_WORKBOOK.format(sheets).encode(), _LINKS.format(links).encode())
    afresh = dict(_read_titles(parts))
    assert afresh == {f"xl/worksheets/sheet{n}.xml": without_controls(name) for n, name in enumerate(names, start=1)}
    assert dict(_sheet_titles(parts)) == afresh
    assert dict(_sheet_titles(parts)) == afresh  # from the cache this time


def test_titles_of_big_parts_are_not_kept() -> None:
    links = _LINKS.format("").encode()
    big = _WORKBOOK.format(" " * _KEPT_TITLES_MAX_BYTES).encode()
    before = _kept_titles.cache_info().currsize
    assert dict(_sheet_titles((big, links))) == {}
    assert _kept_titles.cache_info().currsize == before
