import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.vn.sorting import _character_unit, _clusters, _unit, _units, person_name_key, vn_sort_key

ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # none, huyền, sắc, hỏi, ngã, nặng

vietnamese_letters = st.sampled_from(
    [unicodedata.normalize("NFC", letter + tone) for letter in ALPHABET for tone in TONES]
    + [unicodedata.normalize("NFC", letter.upper() + tone) for letter in ALPHABET for tone in TONES]
)
vietnamese_words = st.lists(vietnamese_letters, min_size=1, max_size=6).map("".join)
vietnamese_text = st.lists(vietnamese_words, min_size=1, max_size=4).map(" ".join)


def is_sorted(items: list[str]) -> bool:
    return sorted(items, key=vn_sort_key) == items


def test_alphabet_order() -> None:
    assert is_sorted(ALPHABET)
    assert is_sorted([letter.upper() for letter in ALPHABET])


def test_loan_letters_after_latin_neighbours() -> None:
    assert is_sorted(["e", "ê", "f", "g"])
    assert is_sorted(["i", "j", "k"])
    assert is_sorted(["v", "w", "x"])
    assert is_sorted(["y", "z"])


@pytest.mark.parametrize(
    "ordered",
    [
        ["An", "Ăn", "Âu"],
        ["Dân", "Đại"],
        ["Uy", "Ưng"],
        ["Ba", "Bà", "Bá", "Bả", "Bã", "Bạ"],
        ["Nam Phong", "Nam Tiến", "Nam Triều"],
        ["Yên", "Zeta"],
        ["Ông", "Ơn"],
        ["Oanh", "Ôn", "Ơn", "Phong"],
        ["Đào", "Đinh", "Giang"],
        ["Ca", "Cà", "Cáo"],
        ["Thôn 2", "Thôn 10", "Thôn A"],
        ["1", "2", "10", "a"],
        ["Nam An", "Nama"],
        ["ba", "Ba"],
        ["Tổ dân phố số 1", "Tổ dân phố số 2", "Tổ dân phố số 12"],
    ],
)
def test_examples(ordered: list[str]) -> None:
    assert is_sorted(ordered)
    assert sorted(reversed(ordered), key=vn_sort_key) == ordered


def test_python_default_order_is_wrong_and_ours_is_right() -> None:
    names = ["Đông", "Dương", "Anh", "Ân", "Zô"]
    assert sorted(names) != sorted(names, key=vn_sort_key)
    assert sorted(names, key=vn_sort_key) == ["Anh", "Ân", "Dương", "Đông", "Zô"]


def test_letters_before_tones_across_the_whole_string() -> None:
    # Base letters of the whole string decide first: "Bá An" < "Ba Bê" though á > a.
    assert is_sorted(["Bá An", "Ba Bê"])
    # Same letters: the first tone difference from the left decides.
    assert is_sorted(["Ba Bệ", "Bà Bê"])
    assert is_sorted(["Bà Bê", "Bà Bế"])


def test_punctuation_only_separates_words() -> None:
    assert vn_sort_key("Nam-Tiến")[0] == vn_sort_key("Nam Tiến")[0]
    assert vn_sort_key("Nam, Tiến.")[0] == vn_sort_key("Nam  Tiến")[0]


@given(vietnamese_text)
def test_nfc_and_nfd_give_the_same_key(text: str) -> None:
    assert vn_sort_key(unicodedata.normalize("NFD", text)) == vn_sort_key(text)
    assert person_name_key(unicodedata.normalize("NFD", text)) == person_name_key(text)


@given(st.text(max_size=30))
def test_any_text_has_a_key_that_ignores_normal_form(text: str) -> None:
    assert vn_sort_key(unicodedata.normalize("NFD", text)) == vn_sort_key(unicodedata.normalize("NFC", text))


@given(vietnamese_text, vietnamese_text)
def test_distinct_strings_never_tie(a: str, b: str) -> None:
    assert (vn_sort_key(a) == vn_sort_key(b)) == (a == b)


@given(vietnamese_words, vietnamese_words)
def test_tones_and_case_are_lower_levels(a: str, b: str) -> None:
    def strip(text: str) -> str:
        kept = "".join(c for c in unicodedata.normalize("NFD", text) if c not in TONES[1:])
        return unicodedata.normalize("NFC", kept).lower()

    if strip(a) != strip(b):
        # Different letters: tones and case cannot change the order.
        assert (vn_sort_key(a) < vn_sort_key(b)) == (vn_sort_key(strip(a)) < vn_sort_key(strip(b)))


def test_person_name_key_examples() -> None:
    names = ["Nguyễn Thị Bình", "Lê Văn Bình", "Trần Văn An"]
    assert sorted(names, key=person_name_key) == ["Trần Văn An", "Lê Văn Bình", "Nguyễn Thị Bình"]
    assert sorted(["Đỗ Văn Đức", "Nguyễn Văn Dũng"], key=person_name_key) == ["Nguyễn Văn Dũng", "Đỗ Văn Đức"]
    assert person_name_key("An") == (vn_sort_key("An"), vn_sort_key(""))
    assert person_name_key("  Trần   Văn  An ") == person_name_key("Trần Văn An")


@given(vietnamese_text, vietnamese_text)
def test_given_name_decides_first(a: str, b: str) -> None:
    given_a, given_b = a.split()[-1], b.split()[-1]
    if vn_sort_key(given_a) != vn_sort_key(given_b):
        assert (person_name_key(a) < person_name_key(b)) == (vn_sort_key(given_a) < vn_sort_key(given_b))
    else:
        rest_a, rest_b = " ".join(a.split()[:-1]), " ".join(b.split()[:-1])
        assert (person_name_key(a) < person_name_key(b)) == (vn_sort_key(rest_a) < vn_sort_key(rest_b))


@given(st.lists(vietnamese_text, max_size=8))
def test_person_sort_is_a_total_order(names: list[str]) -> None:
    once = sorted(names, key=person_name_key)
    assert sorted(reversed(names), key=person_name_key) == once
    assert all(person_name_key(x) <= person_name_key(y) for x, y in zip(once, once[1:]))


_MARKED_TEXT = st.text(alphabet=st.sampled_from([
    *"aAvVđĐoưƯ1 -_.", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323", "\u0302", "\u0306", "\u031b",
    "\u034f",  # a mark that combines with nothing (class 0)
    "\u0f73", "\u0344",  # decomposing into marks only
    "한", "\u1ea0",  # several bases; Ạ precomposed
]), max_size=20)


@given(st.one_of(st.text(max_size=30), vietnamese_text, _MARKED_TEXT))
@example("Thôn 1 한")  # a character of several bases
@example("v\u0300 \u0f73")  # a mark no character holds; one decomposing into marks only
def test_each_character_looked_up_gives_what_walking_the_clusters_gives(text: str) -> None:
    """The quick way (a character at a time, each worked out once) is taken only where the
    clusters of the text are the characters themselves: it gives the same key."""
    nfc = unicodedata.normalize("NFC", text)
    walked = [_unit(base, marks) for base, marks in _clusters(nfc)]
    by_character = [_character_unit(char) for char in nfc]
    if None not in by_character:
        assert by_character == walked
    assert _units(nfc) == walked
