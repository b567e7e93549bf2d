"""The zip writer gives the bytes `zipfile` gives, whatever the names and data."""

from __future__ import annotations

import io
import warnings
import zipfile
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.files import ZIP_EPOCH, deflate, zip_deflated, zip_entries


def with_zipfile(entries: list[tuple[str, bytes]], stamp: datetime) -> bytes:
    """What `zip_entries` did before it had its own writer."""
    archive = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a name given twice, and writes it
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, data)
    return archive.getvalue()


_NAMES = st.one_of(
    st.sampled_from(["[Content_Types].xml", "word/document.xml", "xl/worksheets/sheet1.xml", "dir/", "ảnh/Đ.png"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),  # NUL, non-ASCII, empty, "/"…
)
_DATA = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=3000).map(lambda text: text.encode("utf-8")),
    st.integers(0, 200_000).map(lambda size: b"<w:p/>" * (size // 6)),  # several deflate blocks
)
_STAMPS = st.one_of(st.just(ZIP_EPOCH), st.datetimes(datetime(1980, 1, 1), datetime(2107, 12, 31)))


@settings(max_examples=300, deadline=None)
@given(entries=st.lists(st.tuples(_NAMES, _DATA), max_size=6), stamp=_STAMPS)
def test_the_writer_gives_zipfiles_bytes(entries, stamp):
    expected = with_zipfile(entries, stamp)
    assert zip_entries(entries, stamp) == expected
    # an entry deflated once goes into another archive unchanged
    deflated = [deflate(name, data) for name, data in entries]
    assert zip_deflated(deflated, stamp) == zip_deflated(deflated, stamp) == expected


def test_an_archive_reads_back():
    entries = [("word/document.xml", b"<w:document/>"), ("tệp/trống.txt", b""), ("a\0b", b"x")]
    with zipfile.ZipFile(io.BytesIO(zip_entries(entries))) as archive:
        assert archive.testzip() is None
        assert [(info.filename, archive.read(info)) for info in archive.infolist()] == [
            ("word/document.xml", b"<w:document/>"), ("tệp/trống.txt", b""), ("a", b"x")]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
