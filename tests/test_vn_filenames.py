import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.vn.filenames import FALLBACK_STEM, MAX_STEM_LENGTH, ascii_slug, file_stem, unique_stems

RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
SAFE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.mark.parametrize("parts, stem", [
    (("10183", "Nam Tiến"), "10183-nam-tien"),
    (("10210", "Đại Xuyên"), "10210-dai-xuyen"),
    (("10171", "Thị trấn Phú Xuyên"), "10171-thi-tran-phu-xuyen"),
    (("10249", "Chuyên Mỹ"), "10249-chuyen-my"),
    (("10231", "Thụy  Phú "), "10231-thuy-phu"),
    (("00101", "ĐỒNG ÂU Ơ Ư"), "00101-dong-au-o-u"),
    (("1", "../../etc/passwd"), "1-etc-passwd"),
    (("1", "a\\b/c\x00d\ne"), "1-a-b-c-d-e"),
    (("CON",), f"con-{FALLBACK_STEM}"),
    (("Lpt1",), f"lpt1-{FALLBACK_STEM}"),
    (("", "  ", "…"), FALLBACK_STEM),
])
def test_stems_of_real_and_hostile_names(parts, stem):
    assert file_stem(*parts) == stem


def test_a_long_name_is_cut_at_a_word():
    stem = file_stem("10183", "Nguyễn Văn " * 20)
    assert len(stem) <= MAX_STEM_LENGTH
    assert stem.startswith("10183-nguyen-van-") and stem.endswith(("nguyen", "van"))


def test_one_long_word_is_cut_too():
    assert file_stem("x" * 300) == "x" * MAX_STEM_LENGTH


def test_repeats_are_made_unique_without_regard_to_case():
    assert unique_stems(["a", "b", "A", "a", "a-2"]) == ("a", "b", "A-2", "a-3", "a-2-2")


@given(st.lists(st.text(), max_size=4), st.integers(min_value=1, max_value=120))
def test_a_stem_is_always_a_safe_bounded_file_name(parts, limit):
    stem = file_stem(*parts, max_length=limit)
    assert stem == file_stem(*parts, max_length=limit)  # deterministic
    assert SAFE.fullmatch(stem), stem
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in stem)
    assert stem.casefold() not in RESERVED
    assert len(stem) <= max(limit, len(FALLBACK_STEM)) + len(FALLBACK_STEM) + 1


@given(st.text())
def test_a_slug_is_plain_ascii_words(text):
    slug = ascii_slug(text)
    assert slug == "" or SAFE.fullmatch(slug)


@given(st.lists(st.sampled_from(["a", "A", "b", "a-2", "con-tep", "x"]), max_size=12))
def test_unique_stems_never_repeat_and_keep_the_first(stems):
    unique = unique_stems(stems)
    assert len({s.casefold() for s in unique}) == len(stems)
    assert unique == unique_stems(stems)
    for stem, made in zip(stems, unique):
        assert made == stem or made.startswith(f"{stem}-")
