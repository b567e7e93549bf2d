import unicodedata
import zipfile
from pathlib import Path

import pytest
from builders import info, severance, village, write_return
from hypothesis import given
from hypothesis import strategies as st
from legacy_workbooks import FONTS, legacy_text, write_legacy_return
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

import pipeline.intake.legacy_fonts as legacy_fonts
import pipeline.vn.legacy as vn_legacy
from pipeline.intake.contract import INFO_SHEET, SEVERANCE_SHEET, VILLAGE_SHEET
from pipeline.intake.legacy_fonts import legacy_font_cells, legacy_fonts_in_archive
from pipeline.intake.workbooks import read_sheets
from pipeline.vn.legacy import (
    LegacyEncoding,
    decode_tcvn3,
    decode_vni,
    detect_legacy,
    encode_tcvn3,
    encode_vni,
    encoding_of_font,
    to_unicode,
)

TCVN3 = LegacyEncoding.TCVN3
TCVN3_UPPER = LegacyEncoding.TCVN3_UPPER
VNI = LegacyEncoding.VNI

TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VOWELS = "a ă â e ê i o ô ơ u ư y".split()
SMALL = sorted({unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} | {"đ"})
LETTERS = [c for c in SMALL + [c.upper() for c in SMALL] if not c.isascii()]
# Capitals an ordinary ABC font (.VnTime) has codes for.
TCVN3_CAPITALS = set("ĂÂÊÔƠƯĐ")


def legacy_fonts_in(path: Path) -> frozenset:
    """The legacy encodings the style sheet of the workbook at `path` names."""
    with zipfile.ZipFile(path) as archive:
        return legacy_fonts_in_archive(archive)


def test_the_alphabet_has_134_letters_beyond_ascii() -> None:
    assert len(LETTERS) == 134 and len(set(LETTERS)) == 134


@pytest.mark.parametrize("letter", LETTERS)
def test_every_letter_round_trips(letter: str) -> None:
    assert decode_vni(encode_vni(letter)) == letter
    if letter.islower() or letter in TCVN3_CAPITALS:
        assert len(encode_tcvn3(letter)) == 1
        assert decode_tcvn3(encode_tcvn3(letter)) == letter
    else:
        with pytest.raises(ValueError):
            encode_tcvn3(letter)
    if letter.isupper():
        assert decode_tcvn3(encode_tcvn3(letter, upper=True), upper=True) == letter


def test_codes_are_distinct_and_in_the_upper_half() -> None:
    tcvn3 = [encode_tcvn3(c) for c in LETTERS if c.islower() or c in TCVN3_CAPITALS]
    vni = [encode_vni(c) for c in LETTERS]
    assert len(set(tcvn3)) == len(tcvn3) == 74
    assert len(set(vni)) == len(vni) == 134
    assert all(0xA1 <= ord(code) <= 0xFE for code in tcvn3)
    assert all(code[-1] >= "\xc0" for code in vni)


@pytest.mark.parametrize(
    ("letter", "code"),
    [
        # Spot checks against the published tables, by code point.
        ("đ", "\xae"), ("Đ", "\xa7"), ("ư", "\xad"), ("ế", "\xd5"), ("ộ", "\xe9"), ("ụ", "\xf4"),
        ("à", "\xb5"), ("ặ", "\xc6"), ("ỵ", "\xfe"),
    ],
)
def test_tcvn3_code_points(letter: str, code: str) -> None:
    assert encode_tcvn3(letter) == code


@pytest.mark.parametrize(
    ("letter", "code"),
    [("ế", "e\xe1"), ("ò", "o\xf8"), ("ộ", "o\xe4"), ("ụ", "u\xef"), ("ơ", "\xf4"), ("ư", "\xf6"),
     ("ị", "\xf2"), ("ỵ", "\xee"), ("đ", "\xf1"), ("Đ", "\xd1"), ("Ấ", "A\xc1"), ("Ờ", "\xd4\xd8")],
)
def test_vni_code_points(letter: str, code: str) -> None:
    assert encode_vni(letter) == code


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Nam TiÕn", "Nam Tiến"),
        ("Phßng Néi vô", "Phòng Nội vụ"),
        # .VnTime has no Ủ: clerks wrote "Uỷ" (U + ỷ); `Ñ` is ẹ in TCVN3 (Đ in VNI).
        ("Uû ban nh©n d©n", "Uỷ ban nhân dân"),
        ("Ñy", "ẹy"),
        ("Ninh B×nh", "Ninh Bình"),
        ("§«ng Hßa", "Đông Hòa"),
        ("Hå ChÝ Minh", "Hồ Chí Minh"),
        ("Th«n §«ng Th­îng", "Thôn Đông Thượng"),
    ],
)
def test_decode_tcvn3_samples(legacy: str, unicode: str) -> None:
    assert decode_tcvn3(legacy) == unicode


def test_decode_tcvn3_in_an_h_font_is_all_capitals() -> None:
    assert decode_tcvn3("ñy ban nh©n d©n", upper=True) == "ỦY BAN NHÂN DÂN"
    assert decode_tcvn3("CéNG HOµ x· héi", upper=True) == "CỘNG HOÀ XÃ HỘI"
    assert encode_tcvn3("ỦY BAN NHÂN DÂN", upper=True) == "ñY BAN NH\xa2N D\xa2N"


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Nam Tieán", "Nam Tiến"),
        ("Phoøng Noäi vuï", "Phòng Nội vụ"),
        ("Ñoâng Hoøa", "Đông Hòa"),
        ("UÛy ban nhaân daân", "Ủy ban nhân dân"),
        ("NGUYEÃN VAÊN AÙNH", "NGUYỄN VĂN ÁNH"),
        ("Tröôøng", "Trường"),
        ("Thò traán", "Thị trấn"),
    ],
)
def test_decode_vni_samples(legacy: str, unicode: str) -> None:
    assert decode_vni(legacy) == unicode


ASCII_CHARACTER = st.characters(max_codepoint=0x7F)
ASCII = st.text(ASCII_CHARACTER)
TCVN3_TEXT = st.text(st.sampled_from([c for c in LETTERS if c.islower() or c in TCVN3_CAPITALS]) | ASCII_CHARACTER)
CAPITALS_TEXT = st.text(st.sampled_from([c for c in LETTERS if c.isupper()]) | st.sampled_from("ABCDĐ XYZ 0123,."))
VIETNAMESE_TEXT = st.text(st.sampled_from(LETTERS) | ASCII_CHARACTER)


@given(TCVN3_TEXT)
def test_tcvn3_round_trip(text: str) -> None:
    assert decode_tcvn3(encode_tcvn3(text)) == text


@given(CAPITALS_TEXT)
def test_tcvn3_h_font_round_trip(text: str) -> None:
    assert decode_tcvn3(encode_tcvn3(text, upper=True), upper=True) == text


@given(VIETNAMESE_TEXT)
def test_vni_round_trip(text: str) -> None:
    assert decode_vni(encode_vni(text)) == text


def test_encoders_take_nfd_and_refuse_what_they_cannot_write() -> None:
    assert encode_vni(unicodedata.normalize("NFD", "Tiến")) == "Tieán"
    for encode in (encode_tcvn3, encode_vni):
        with pytest.raises(ValueError):
            encode("→")


@pytest.mark.parametrize(
    ("font", "encoding"),
    [
        (".VnTime", TCVN3), (".VnTimeH", TCVN3_UPPER), (".VnArial", TCVN3), (".VnArialH", TCVN3_UPPER),
        (".VnArial NarrowH", TCVN3_UPPER), (".VnBook-Antiqua", TCVN3), ("VnTime", TCVN3), ("vntimeh", TCVN3_UPPER),
        (".vntime", TCVN3), ("VNI-Times", VNI), ("VNI-Helve", VNI), ("VNI-Aptima", VNI), ("vni-times", VNI),
        ("Times New Roman", None), ("Calibri", None), ("Arial", None), ("VNtimes new roman", None),
        ("", None), (None, None),
    ],
)
def test_encoding_of_font(font: str | None, encoding: LegacyEncoding | None) -> None:
    assert encoding_of_font(font) is encoding


# --- detection by content: real names and places --------------------------------------
FAMILY = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Đào Mai Cao "
          "Lương Tạ Hà Lưu Kiều Quách Tô Châu Lâm Từ Khúc Thái Chu Ông Âu Ứng Tăng Giáp Mạc").split()
MIDDLE = ("Văn Thị Hữu Đức Minh Ngọc Thanh Quốc Xuân Thu Kim Công Đình Bá Như Hồng Anh Gia Mạnh Phương "
          "Thế Trọng Diệu Khánh").split()
GIVEN = ("An Anh Ánh Bình Cường Dũng Dung Giang Hà Hải Hạnh Hiếu Hòa Hoa Hùng Hương Huyền Khánh Lan Linh "
         "Loan Long Mai Minh Nam Nga Ngọc Nhung Oanh Phong Phúc Phượng Quang Quỳnh Sơn Tâm Thảo Thắng Thủy "
         "Trang Trung Tuấn Tú Uyên Vân Việt Xuân Yến Ân Ước Ổn Ý Khuê Quyên Nguyệt Tuyết Thoa Hoè Khuyến "
         "Toản Ngoan Điệp Đông Giáp Chiến Thịnh Lộc Phát Quý Sáu Bảy Tám Chín Mười Út Hậu Hiền Dịu Kiên "
         "Nghĩa Thuận").split()
PLACES = (
    "An Bình; Đông Hòa; Phú Minh; Nam Tiến; Nam Phong; Nam Triều; Hòa Bình; Tân Phú; Phú Xuyên; Quang Trung; "
    "Hồng Thái; Minh Tân; Chuyên Mỹ; Tri Thủy; Khai Thái; Vân Từ; Phượng Dực; Thôn Đông; Xóm Bãi; Phú Túc; "
    "Văn Hoàng; Hồng Minh; Phú Yên; Tri Trung; Đại Xuyên; Bạch Hạ; Quang Lãng; Thụy Phú; Phúc Tiến; "
    "Tiểu khu Mỹ Lâm; Tổ dân phố số 3; Ấp Tân Hòa; Bản Phố; Khối Tân Hà; Xóm Hòa; Thôn Phú Hữu; "
    "Khu phố Bình An; Thị trấn Phú Minh; Xã Hòa Phú; Phường Bến Thành; Đặc khu Phú Quốc; Thôn Đông Thượng; "
    "Thôn Đông Hạ; Thôn Bình Sơn; Làng Hà; Xóm Chùa; Thôn Ô Mễ; Thôn Kiều Mai; Thôn Lỗ Khê; Thôn Ngọc Động"
).split("; ")
# Family, middle and given names combined at fixed strides, so the list is not hand-picked.
NAMES = [f"{FAMILY[i % len(FAMILY)]} {MIDDLE[i * 7 % len(MIDDLE)]} {GIVEN[i * 11 % len(GIVEN)]}" for i in range(160)]
CORPUS = NAMES + PLACES
# Genuine Unicode whose every character is Latin-1, so it could be legacy code
# points: the hardest cases for false positives.
LATIN1_ONLY = ["Lê Hà", "Hòa Bình", "Võ Minh", "Tô Tâm", "Hà Phú", "Lê Thành Tín", "Tú Anh", "Võ Thành Tâm",
               "Mai Hà", "Lê Hòa", "Phó Chủ tịch", "Xóm Hòa", "Tô Hà Giang", "Thôn Tân Hà", "Bà Rá", "Ðông Hòa",
               "Cù Lao Giêng", "Tháng Giêng"]
OTHER_TEXT = ["Total amount due", "Café au lait", "naïve résumé", "Zürich, Müller", "São Paulo", "Señor Ñúñez",
              "crème brûlée", "5 × 3 = 15", "© 2020", "25°C", "Điều 5 § 3", "x² ± 1", "«Thôn»", "Mã số: 00101"]


def test_no_false_positives() -> None:
    false = [t for t in CORPUS + LATIN1_ONLY + OTHER_TEXT if detect_legacy(t) or to_unicode(t) != t]
    assert false == []
    assert len(CORPUS) >= 200


def _tcvn3_has(name: str) -> bool:
    try:
        encode_tcvn3(name)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_recall_on_real_names(encoding: LegacyEncoding) -> None:
    read = right = wrong = 0
    for name in CORPUS:
        # No capital with a tone in .VnTime: such a name is typed in capitals, in .VnTimeH.
        text = name if encoding is VNI or _tcvn3_has(name) else name.upper()
        legacy = legacy_text(text, encoding)[0]
        if legacy == text:
            continue
        read += 1
        result = to_unicode(legacy)
        # Case aside: without the font, H-font text with no capital inside a word reads in small letters.
        if result.casefold() == text.casefold():
            right += 1
        elif result != legacy:
            wrong += 1
    # Misses are left as they stand (ambiguous both ways), never garbled further.
    assert wrong == 0
    assert right / read >= 0.98


def test_ambiguous_text_is_left_as_it_stands() -> None:
    # "Phú Minh" in TCVN3 is also the Unicode "Phó Minh"; "Hồng" in VNI is "Hoàng".
    assert detect_legacy(encode_tcvn3("Phú Minh")) is None
    assert detect_legacy(encode_vni("Hồng Minh")) is None


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Nam TiÕn", TCVN3), ("Phßng Néi vô", TCVN3), ("Uû ban nh©n d©n", TCVN3), ("CéNG HOµ X· HéI", TCVN3_UPPER),
        ("NGUYÔN V¡N A", TCVN3_UPPER), ("Nam Tieán", VNI), ("Phoøng Noäi vuï", VNI), ("Nguyeãn Nhö Loäc", VNI),
        ("Nam Tiến", None), ("Hòa Bình", None), ("Phó Chủ tịch", None), ("ASCII only", None), ("", None),
    ],
)
def test_detect_legacy(text: str, encoding: LegacyEncoding | None) -> None:
    assert detect_legacy(text) is encoding


@given(st.text(st.one_of(st.characters(max_codepoint=0x2200), st.sampled_from(sorted(vn_legacy._CP1252_EXTRAS)))))
def test_beyond_8bit_is_a_character_past_latin1_and_windows_1252(text: str) -> None:
    expected = any(ord(char) > 0xFF and char not in vn_legacy._CP1252_EXTRAS for char in text)
    assert vn_legacy._beyond_8bit(text) is expected


def test_to_unicode_uses_the_font_first() -> None:
    assert to_unicode("Phó Minh", ".VnTime") == "Phú Minh"
    assert to_unicode("Hoàng Minh", "VNI-Times") == "Hồng Minh"
    assert to_unicode("ñy ban nh©n d©n", ".VnTimeH") == "ỦY BAN NHÂN DÂN"
    # Unicode typed into a cell left in a legacy font: no 8-bit font has ạ or ơ.
    assert to_unicode("Nguyễn Văn Tâm", ".VnTime") == "Nguyễn Văn Tâm"
    assert to_unicode("Nam TiÕn", "Times New Roman") == "Nam Tiến"
    assert to_unicode("Nam Tieán") == "Nam Tiến"
    assert to_unicode("Tie\u0302\u0301n") == "Tiến"


VOCABULARY = sorted({w for text in CORPUS + LATIN1_ONLY for w in text.split()}
                    | set("Ủy ban nhân dân xã huyện tỉnh thôn tổ dân phố người hoạt động không chuyên trách "
                          "sắp xếp trước sau Phó Chủ tịch Chỉ huy trưởng Quân sự thôi việc nghỉ".split()))
WORD = st.sampled_from(VOCABULARY).flatmap(lambda w: st.sampled_from([w, w.lower(), w.upper(), w.capitalize()]))
SEPARATOR = st.sampled_from([" ", ", ", "; ", " - ", " (", ") ", ": ", " 12 ", "/", "\n"])


@given(st.lists(st.tuples(WORD, SEPARATOR), min_size=1, max_size=8))
def test_to_unicode_leaves_unicode_vietnamese_alone(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + s for w, s in parts)
    assert to_unicode(text) == text


@given(ASCII)
def test_to_unicode_leaves_ascii_alone(text: str) -> None:
    assert to_unicode(text) is text


# --- legacy workbooks: fonts in styles.xml and per cell ----------------------------
VILLAGES = [village("Thôn Đông", merged="Thôn Đông Thượng; Thôn Đông Hạ"), village("Xóm Hòa")]
SEVERANCES = [severance("Nguyễn Văn Tâm"), severance("Lê Thị Mai", level="Thôn")]
INFO = info("10183", "Nam Tiến", prepared_by="Trần Thị Hoa")
def raw_sheets(path: Path) -> dict[str, list[list]]:
    """The cells as calamine gives them, before read_sheets decodes legacy text."""
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in workbook.sheet_names}
    finally:
        workbook.close()


# Zero-based (row, column) as read_sheets gives them: a title row, then the labels.
HAND_TYPED = {
    INFO_SHEET: {(2, 1): "Nam Tiến", (8, 1): "Trần Thị Hoa"},
    VILLAGE_SHEET: {(3, 0): "Thôn Đông", (3, 2): "Thôn Đông Thượng; Thôn Đông Hạ", (4, 0): "Xóm Hòa"},
    SEVERANCE_SHEET: {(3, 0): "Nguyễn Văn Tâm", (4, 0): "Lê Thị Mai"},
}


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_legacy_return_with_fonts(tmp_path: Path, encoding: LegacyEncoding) -> None:
    path = write_legacy_return(tmp_path / "r.xlsx", encoding, True, INFO, VILLAGES, SEVERANCES)
    assert legacy_fonts_in(path) == {encoding}
    workbook = load_workbook(path)
    for sheet, cells in HAND_TYPED.items():
        for row, column in cells:
            assert workbook[sheet].cell(row + 1, column + 1).font.name == FONTS[encoding]
    assert workbook[INFO_SHEET]["A2"].font.name == "Calibri"
    fonts = legacy_font_cells(path)
    assert {sheet: set(cells) for sheet, cells in fonts.items()} == {s: set(c) for s, c in HAND_TYPED.items()}
    raw = raw_sheets(path)
    decoded = read_sheets(path)
    encode = encode_vni if encoding is VNI else encode_tcvn3
    for sheet, cells in HAND_TYPED.items():
        for (row, column), text in cells.items():
            assert raw[sheet][row][column] == encode(text)
            assert to_unicode(raw[sheet][row][column], fonts[sheet][(row, column)]) == text
            assert decoded[sheet][row][column] == text


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_legacy_return_without_fonts_reads_by_content(tmp_path: Path, encoding: LegacyEncoding) -> None:
    plain = read_sheets(write_return(tmp_path / "plain.xlsx", INFO, VILLAGES, SEVERANCES))
    path = write_legacy_return(tmp_path / "r.xlsx", encoding, False, INFO, VILLAGES, SEVERANCES, every_text=True)
    assert legacy_fonts_in(path) == set()
    raw = raw_sheets(path)
    assert raw[INFO_SHEET][2][0] == legacy_text("Tên đơn vị", encoding)[0] != "Tên đơn vị"
    decoded = read_sheets(path)
    for sheet, rows in plain.items():
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                if isinstance(value, str):
                    assert to_unicode(raw[sheet][row][column]) == value
                    assert decoded[sheet][row][column] == value


def test_titles_in_capitals_go_to_the_h_font(tmp_path: Path) -> None:
    path = write_legacy_return(tmp_path / "r.xlsx", TCVN3, True, INFO, VILLAGES, SEVERANCES, every_text=True)
    assert legacy_fonts_in(path) == {TCVN3, TCVN3_UPPER}
    cell = load_workbook(path)[INFO_SHEET]["A1"]
    assert (cell.value, cell.font.name) == ("BIÓU B¸O C¸O", ".VnTimeH")
    assert to_unicode(cell.value, cell.font.name) == "BIỂU BÁO CÁO"
    with pytest.raises(ValueError):
        legacy_text("Nguyễn Văn Ánh", TCVN3)


def test_legacy_fonts_in_other_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_styles = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(no_styles, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert legacy_fonts_in(no_styles) == set()
    big = write_legacy_return(tmp_path / "big.xlsx", VNI, True, INFO, VILLAGES, SEVERANCES)
    monkeypatch.setattr(legacy_fonts, "MAX_STYLES_BYTES", 100)
    with pytest.raises(ValueError, match="quá lớn"):
        legacy_fonts_in(big)
