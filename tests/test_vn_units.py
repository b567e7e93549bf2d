import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.vn.text import join_names
from pipeline.vn.units import (
    COMMUNE_KINDS,
    VILLAGE_KINDS,
    canonical_kind,
    count_units,
    in_sentence,
    join_unit_names,
    kind_of,
    kinds_phrase,
    unit_name,
    village_level_phrase,
)


def test_canonical_names_and_order() -> None:
    assert COMMUNE_KINDS == ("Xã", "Phường", "Thị trấn", "Đặc khu")
    assert VILLAGE_KINDS == (
        "Thôn",
        "Ấp",
        "Bản",
        "Xóm",
        "Tổ dân phố",
        "Tiểu khu",
        "Khu phố",
        "Khu dân cư",
        "Khối",
    )
    assert all(unicodedata.is_normalized("NFC", kind) for kind in COMMUNE_KINDS + VILLAGE_KINDS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thị trấn", "Thị trấn"),
        (" THỊ TRẤN ", "Thị trấn"),
        ("Thị  Trấn", "Thị trấn"),
        (unicodedata.normalize("NFD", "Thị trấn"), "Thị trấn"),
        ("TT", "Thị trấn"),
        ("TT.", "Thị trấn"),
        ("tdp", "Tổ dân phố"),
        ("TỔ DÂN PHỐ", "Tổ dân phố"),
        ("xã", "Xã"),
        ("ĐẶC KHU", "Đặc khu"),
        ("ấp", "Ấp"),
        ("khu dân cư", "Khu dân cư"),
        ("Khối", "Khối"),
    ],
)
def test_canonical_kind(text: str, expected: str) -> None:
    assert canonical_kind(text) == expected


@pytest.mark.parametrize("text", ["", "huyện", "xa", "Thi tran", "T", "khu", "tổ", "X"])
def test_canonical_kind_unknown(text: str) -> None:
    assert canonical_kind(text) is None


@given(st.sampled_from(COMMUNE_KINDS + VILLAGE_KINDS), st.sampled_from(["NFC", "NFD"]), st.booleans())
def test_every_canonical_kind_maps_to_itself(kind: str, form: str, upper: bool) -> None:
    text = unicodedata.normalize(form, kind.upper() if upper else kind.lower())
    assert canonical_kind(f"  {text} ") == kind


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ({"Xã", "Thị trấn"}, "xã, thị trấn"),
        (["Thị trấn", "Xã", "Xã"], "xã, thị trấn"),
        ({"Thôn", "Tiểu khu"}, "thôn, tiểu khu"),
        (["Ấp"] * 133, "ấp"),
        ({"Tổ dân phố", "Thôn"}, "thôn, tổ dân phố"),
        (["Phường", "xã", "TT"], "xã, phường, thị trấn"),
        ("Xã", "xã"),
    ],
)
def test_kinds_phrase(kinds: list[str] | set[str] | str, expected: str) -> None:
    assert kinds_phrase(kinds) == expected


def test_error_messages_show_nfc_text() -> None:
    with pytest.raises(ValueError) as error:
        unit_name(unicodedata.normalize("NFD", "Huyện"), "Phú Xuyên")
    assert '"Huyện"' in str(error.value)
    assert unicodedata.is_normalized("NFC", str(error.value))


def test_kinds_phrase_refuses() -> None:
    with pytest.raises(ValueError, match='Không rõ loại đơn vị "huyện"'):
        kinds_phrase(["Xã", "huyện"])
    with pytest.raises(ValueError, match="Chưa có loại đơn vị"):
        kinds_phrase([])


@given(st.lists(st.sampled_from(COMMUNE_KINDS + VILLAGE_KINDS), min_size=1))
def test_kinds_phrase_is_distinct_and_ordered(kinds: list[str]) -> None:
    order = [kind.lower() for kind in COMMUNE_KINDS + VILLAGE_KINDS]
    phrase = kinds_phrase(kinds).split(", ")
    assert phrase == sorted(set(phrase), key=order.index)
    assert set(phrase) == {kind.lower() for kind in kinds}


@pytest.mark.parametrize(("kinds", "expected"), [
    (["Thôn"], "thôn"),
    (["Tiểu khu", "Thôn", "Thôn"], "thôn, tiểu khu"),
    (["Ấp", "Khu phố", "Bản"], "ấp, bản, khu phố"),
    (["Ấp", "Khu phố", "Bản", "Xóm"], "thôn, tổ dân phố"),  # the level's name, though neither kind is there
    (list(VILLAGE_KINDS), "thôn, tổ dân phố"),
])
def test_the_village_level_is_named_by_its_kinds_up_to_three(kinds, expected) -> None:
    assert village_level_phrase(kinds) == expected


@given(st.lists(st.sampled_from(VILLAGE_KINDS), min_size=1))
def test_the_village_level_is_its_kinds_or_the_level_s_name(kinds: list[str]) -> None:
    phrase = village_level_phrase(kinds)
    assert phrase == (kinds_phrase(kinds) if len(set(kinds)) <= 3 else "thôn, tổ dân phố")
    assert phrase.count(",") <= 2


def test_count_units() -> None:
    assert count_units(14, ["Xã", "Thị trấn"]) == "14 xã, thị trấn"
    assert count_units(1, ["Xã"]) == "1 xã"
    assert count_units(133, ["Ấp"]) == "133 ấp"
    assert count_units(5, ["Xã"], pad=True) == "05 xã"
    assert count_units(6, ["Thôn", "Tiểu khu"]) == "6 thôn, tiểu khu"
    assert count_units(1200, ["Thôn"]) == "1.200 thôn"


def test_unit_name() -> None:
    assert unit_name("Xã", "Nam Tiến") == "xã Nam Tiến"
    assert unit_name("Thị trấn", "Phú Minh") == "thị trấn Phú Minh"
    assert unit_name("TDP", " Số  3 ") == "tổ dân phố Số 3"
    assert unit_name("xã", unicodedata.normalize("NFD", "Nam Tiến")) == "xã Nam Tiến"


def test_unit_name_refuses() -> None:
    with pytest.raises(ValueError, match="Không rõ loại đơn vị"):
        unit_name("huyện", "Phú Xuyên")
    with pytest.raises(ValueError, match="Thiếu tên của xã"):
        unit_name("Xã", "  ")


@given(st.sampled_from(COMMUNE_KINDS + VILLAGE_KINDS), st.text(alphabet="ABCĐÔabcđô", min_size=1, max_size=8))
def test_a_unit_s_kind_is_read_back_from_its_name(kind, name):
    full = unit_name(kind, name.capitalize())
    assert kind_of(full) == kind == kind_of(full[:1].upper() + full[1:])
    assert in_sentence(full[:1].upper() + full[1:]) == full


def test_a_name_without_a_kind_has_none():
    assert kind_of("Bình Đức") is None and kind_of("Xã") is None
    assert kind_of("tổ dân phố số 3") == "Tổ dân phố"


@pytest.mark.parametrize("names, joined", [
    ([], ""),
    (["Thôn Đông Thượng"], "Thôn Đông Thượng"),
    (["Thôn Đông Thượng", "Thôn Đông Hạ"], "Thôn Đông Thượng và Đông Hạ"),
    (["thôn Trung", "thôn Hòa Xá", "thôn Hòa Xuyên"], "thôn Trung, Hòa Xá và Hòa Xuyên"),
    # A kind said again where it changes, in lower case inside the phrase.
    (["Thôn An", "Thôn Bình", "Tổ dân phố 3", "TDP 4"], "Thôn An, Bình, tổ dân phố 3 và 4"),
    (["Tiểu khu Mỹ Lâm", "Đồng Tâm", "Tiểu khu Phú Thịnh"], "Tiểu khu Mỹ Lâm, Đồng Tâm và tiểu khu Phú Thịnh"),
    # A word that is only a kind is a name.
    (["Thôn", "Thôn"], "Thôn và Thôn"),
])
def test_join_unit_names(names, joined) -> None:
    assert join_unit_names(names) == joined


PROPER = st.lists(st.sampled_from(["Đông Thượng", "Đông Hạ", "Hòa Xá", "Mễ Vực", "Số 3", "Bình Lạc"]),
                  min_size=1, max_size=6)


@given(kind=st.sampled_from(VILLAGE_KINDS), proper=PROPER)
def test_names_of_one_kind_say_the_kind_once(kind, proper) -> None:
    joined = join_unit_names(f"{kind} {name}" for name in proper)
    assert joined.count(kind) == 1 and joined.startswith(f"{kind} {proper[0]}")
    assert joined == join_names([f"{kind} {proper[0]}", *proper[1:]])


@given(named=st.lists(st.tuples(st.sampled_from(VILLAGE_KINDS), st.sampled_from(["Đông", "Hòa Xá", "Số 3"])),
                      min_size=1, max_size=6))
def test_a_kind_is_said_where_it_changes_and_every_name_kept_in_order(named) -> None:
    items = re.split(r", | và ", join_unit_names(f"{kind} {name}" for kind, name in named))
    assert len(items) == len(named)
    for i, (item, (kind, name)) in enumerate(zip(items, named)):
        said = i == 0 or named[i - 1][0] != kind
        assert item == (f"{kind if i == 0 else kind.lower()} {name}" if said else name)
