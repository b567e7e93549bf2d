"""Titles broken where an official breaks them: balanced lines, never inside a short term."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.vn.text import TITLE_LINE_CHARS, title_lines

SUBJECT = "việc sắp xếp người hoạt động không chuyên trách ở cấp xã"


@pytest.mark.parametrize("title, lines", [
    # The report's trích yếu: 47/42, not 31/58 as a break before the whole term gave.
    (f"Sơ kết giai đoạn 1 {SUBJECT}, thôn, tiểu khu",
     ["Sơ kết giai đoạn 1 việc sắp xếp người hoạt động", "không chuyên trách ở cấp xã, thôn, tiểu khu"]),
    (f"Sơ kết 6 tháng {SUBJECT}, thôn, tổ dân phố",
     ["Sơ kết 6 tháng việc sắp xếp người hoạt động", "không chuyên trách ở cấp xã, thôn, tổ dân phố"]),
    (f"Hội nghị sơ kết {SUBJECT}, ấp, khu phố",
     ["Hội nghị sơ kết việc sắp xếp người hoạt động", "không chuyên trách ở cấp xã, ấp, khu phố"]),
    ("Xác nhận số liệu báo cáo tháng 11 năm 2020 của thị trấn Phú Xuyên",
     ["Xác nhận số liệu báo cáo tháng 11 năm 2020", "của thị trấn Phú Xuyên"]),
    # Two lines only fit split after a comma: between the commune level and the villages'.
    (f"Sơ kết {SUBJECT}, ấp, khu phố khi thực hiện mô hình chính quyền địa phương 2 cấp",
     ["Sơ kết việc sắp xếp người hoạt động không chuyên trách ở cấp xã,",
      "ấp, khu phố khi thực hiện mô hình chính quyền địa phương 2 cấp"]),
    ("Kết quả kiểm tra báo cáo tháng 11 năm 2020 của xã Châu Can",
     ["Kết quả kiểm tra báo cáo tháng 11 năm 2020 của xã Châu Can"]),
])
def test_a_title_breaks_into_balanced_lines_at_natural_points(title, lines):
    assert title_lines(title).split("\n") == lines


_PHRASES = st.lists(st.sampled_from([
    "sơ kết", "giai đoạn 1", "việc", "sắp xếp", "người hoạt động không chuyên trách", "ở cấp xã,", "thôn,",
    "tổ dân phố,", "tiểu khu", "khu phố", "của", "thị trấn", "Phú Xuyên", "đặc khu", "đơn vị hành chính", "về",
]), min_size=1, max_size=16)


_TERMS = ("tổ dân phố", "tiểu khu", "khu phố", "thị trấn", "đặc khu", "đơn vị hành chính",
          "người hoạt động không chuyên trách")
# The one seam a title may break at inside a term.
_SEAM = ("động", "không")


@given(_PHRASES)
def test_a_title_keeps_its_words_and_its_terms_whole(phrases):
    title = " ".join(phrases)
    lines = title_lines(title).split("\n")
    assert " ".join(lines) == " ".join(title.split())
    for before, after in zip(lines, lines[1:]):
        pair = (before.split()[-1].strip(","), after.split()[0])
        inside_a_term = any(pair == tuple(term.split()[i:i + 2]) for term in _TERMS
                            for i in range(len(term.split()) - 1))
        assert not inside_a_term or pair == _SEAM, lines
    if len(lines) > 1:
        assert max(map(len, lines)) <= TITLE_LINE_CHARS
