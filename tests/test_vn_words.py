import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.vn.words import money_in_words, number_in_words

LIMIT = 10**15

# Every row of the table in reference §3, word for word.
REFERENCE_TABLE = [
    (21, "Hai mươi mốt đồng"),
    (25, "Hai mươi lăm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (2_014, "Hai nghìn không trăm mười bốn đồng"),
    (10_010, "Mười nghìn không trăm mười đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (1_001_000, "Một triệu không trăm linh một nghìn đồng"),
    (3_000_005, "Ba triệu không trăm linh năm đồng"),
    (
        1_149_540_875,
        "Một tỷ một trăm bốn mươi chín triệu năm trăm bốn mươi nghìn tám trăm bảy mươi lăm đồng",
    ),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
]

OPTIONS = [
    {"zero_tens": zero_tens, "thousand": thousand, "four": four}
    for zero_tens in ("linh", "lẻ")
    for thousand in ("nghìn", "ngàn")
    for four in ("tư", "bốn")
]

FORBIDDEN = ("lẻ mười", "linh mười", "mươi năm", "mươi một", "mười tư", "linh tư", "lẻ tư", "  ")

_DIGIT_WORDS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6}


def parse_words(text: str) -> int:
    """Read Vietnamese number words (optionally `... đồng`) back to an int."""
    tokens = text.lower().split()
    if tokens and tokens[-1] == "đồng":
        tokens = tokens[:-1]
    billions = 0
    below_billion = 0
    group = 0
    pending: int | None = None
    for token in tokens:
        if token in _DIGIT_WORDS:
            assert pending is None, f"two digits in a row in {text!r}"
            pending = _DIGIT_WORDS[token]
            continue
        if token == "trăm":
            assert pending is not None
            group += pending * 100
        elif token == "mươi":
            assert pending is not None and pending >= 2
            group += pending * 10
        else:
            group += pending or 0
            if token == "mười":
                group += 10
            elif token in ("linh", "lẻ"):
                pass
            elif token in _SCALES:
                below_billion += group * _SCALES[token]
                group = 0
            elif token == "tỷ":
                billions = below_billion + group
                below_billion = group = 0
            else:
                raise AssertionError(f"unknown word {token!r} in {text!r}")
        pending = None
    return billions * 10**9 + below_billion + group + (pending or 0)


@pytest.mark.parametrize(("amount", "words"), REFERENCE_TABLE)
def test_reference_table(amount: int, words: str) -> None:
    assert money_in_words(amount) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (1, "Một đồng"),
        (4, "Bốn đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (14, "Mười bốn đồng"),
        (15, "Mười lăm đồng"),
        (20, "Hai mươi đồng"),
        (24, "Hai mươi tư đồng"),
        (31, "Ba mươi mốt đồng"),
        (55, "Năm mươi lăm đồng"),
        (100, "Một trăm đồng"),
        (101, "Một trăm linh một đồng"),
        (104, "Một trăm linh bốn đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_000, "Một nghìn đồng"),
        (1_000_000, "Một triệu đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_000_000_001, "Một tỷ không trăm linh một đồng"),
        (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
        (1_005_000_000_000, "Một nghìn không trăm linh năm tỷ đồng"),
        (1_000_000_005_000, "Một nghìn tỷ không trăm linh năm nghìn đồng"),
        (21_000_000_000, "Hai mươi mốt tỷ đồng"),
        (
            999_999_999_999_999,
            "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
            "chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
        ),
    ],
)
def test_more_amounts(amount: int, words: str) -> None:
    assert money_in_words(amount) == words


@pytest.mark.parametrize(
    ("amount", "options", "words"),
    [
        (1_005, {"zero_tens": "lẻ"}, "Một nghìn không trăm lẻ năm đồng"),
        (105_000, {"thousand": "ngàn"}, "Một trăm linh năm ngàn đồng"),
        (24, {"four": "bốn"}, "Hai mươi bốn đồng"),
        (24, {"four": "tư"}, "Hai mươi tư đồng"),
        (14, {"four": "tư"}, "Mười bốn đồng"),
        (104, {"four": "tư", "zero_tens": "lẻ"}, "Một trăm lẻ bốn đồng"),
        (1_000_000_000_000, {"thousand": "ngàn"}, "Một ngàn tỷ đồng"),
    ],
)
def test_house_style_options(amount: int, options: dict[str, str], words: str) -> None:
    assert money_in_words(amount, **options) == words


def test_options_accept_nfd() -> None:
    assert money_in_words(1_005, zero_tens=unicodedata.normalize("NFD", "lẻ")) == "Một nghìn không trăm lẻ năm đồng"


@pytest.mark.parametrize("options", [{"zero_tens": "le"}, {"thousand": "ngan"}, {"four": "4"}])
def test_unknown_option(options: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="Tùy chọn"):
        money_in_words(5, **options)


@pytest.mark.parametrize("amount", [-1, LIMIT, 10**18])
def test_out_of_range(amount: int) -> None:
    with pytest.raises(ValueError, match="Chỉ đọc được số"):
        money_in_words(amount)


@pytest.mark.parametrize("amount", [12.0, "12", None, True])
def test_not_an_int(amount: object) -> None:
    with pytest.raises(ValueError, match="số nguyên"):
        money_in_words(amount)  # type: ignore[arg-type]


def test_number_in_words_is_lower_case_without_dong() -> None:
    assert number_in_words(0) == "không"
    assert number_in_words(2_014) == "hai nghìn không trăm mười bốn"
    assert number_in_words(21, four="bốn") == "hai mươi mốt"


def test_parser_reads_reference_table() -> None:
    assert all(parse_words(words) == amount for amount, words in REFERENCE_TABLE)


amounts = st.one_of(
    st.integers(min_value=0, max_value=LIMIT - 1),
    st.integers(min_value=0, max_value=10**6),
    # Amounts with zero groups and zero digits, where the reading rules bite.
    st.lists(st.sampled_from([0, 0, 1, 4, 5, 10, 14, 15, 21, 24, 25, 100, 105, 110, 999]), min_size=1, max_size=5).map(
        lambda groups: sum(g * 1000**i for i, g in enumerate(groups))
    ),
)


@given(amounts, st.sampled_from(OPTIONS))
def test_round_trip(amount: int, options: dict[str, str]) -> None:
    assert parse_words(money_in_words(amount, **options)) == amount


@given(amounts, st.sampled_from(OPTIONS))
def test_shape(amount: int, options: dict[str, str]) -> None:
    words = money_in_words(amount, **options)
    assert words.endswith(" đồng")
    assert words[0].isupper() and words[1:] == words[1:].lower()
    assert words == words.strip()
    assert unicodedata.is_normalized("NFC", words)
    for forbidden in FORBIDDEN:
        assert forbidden not in words.lower()
    assert number_in_words(amount, **options) == words[0].lower() + words[1:-len(" đồng")]


@given(amounts)
def test_mot_and_lam_only_after_tens(amount: int) -> None:
    tokens = number_in_words(amount).split()
    for before, word in zip(tokens, tokens[1:]):
        if word == "mốt":
            assert before == "mươi"
        if word == "lăm":
            assert before in ("mươi", "mười")
