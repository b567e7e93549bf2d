import dataclasses
import datetime as dt
import re

from builders import PERIOD, SETTINGS, UNITS, commune, result_of

from pipeline.core.model import Severance, Style, Unit, Village
from pipeline.figures.aggregate import aggregate
from pipeline.figures.wording import Wording
from pipeline.vn.text import join_names

AN_BINH, DONG_HOA, PHU_MINH, NAM_TIEN = UNITS
PAID = dt.date(2020, 11, 1)


def wording(returns, missing=(), units=UNITS, style=Style()):
    stats = aggregate(result_of(returns, missing), units, SETTINGS, PERIOD)
    return Wording(stats, style, "Phòng Nội vụ")


def ap(name, after=2, merged=()):
    return Village(name, "Ấp", merged, 3, 4, after)


def test_join_names():
    assert join_names([]) == ""
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B và C"


def test_all_returns_valid_reads_naturally():
    w = wording([commune(u, 7) for u in UNITS])
    assert w.receipt() == ["Số liệu dưới đây được tổng hợp từ báo cáo hợp lệ của 4/4 xã, thị trấn."]


def test_one_missing_commune_is_named_singular():
    w = wording([commune(u, 7) for u in UNITS if u is not DONG_HOA], [DONG_HOA])
    # One sentence with its base: returns are the office's bookkeeping.
    assert w.receipt() == ["Số liệu dưới đây được tổng hợp từ báo cáo hợp lệ của 3/4 xã, thị trấn "
                           "(xã Đông Hòa chưa gửi báo cáo)."]


def test_commune_groups_are_named_by_their_kinds():
    w = wording([commune(AN_BINH, 7), commune(PHU_MINH, 7), commune(NAM_TIEN, 9), commune(DONG_HOA, 7)])
    assert w.staffing_groups() == ("sau sắp xếp, 3 xã, thị trấn bố trí 7 người/10 chức danh; "
                                   "1 xã bố trí 9 người/10 chức danh")
    assert w.commune_target() == ["So với chỉ tiêu không quá 8 người/10 chức danh, có 3/4 xã, thị trấn đạt; "
                                  "còn 1 xã chưa đạt (xã Nam Tiến)."]


def test_everyone_on_target_is_said_positively_not_as_zero():
    w = wording([commune(u, 7, [ap("Ấp 1")]) for u in UNITS])
    text = " ".join(w.commune_level() + w.village_level())
    assert not re.search(r"(?<![\d.])0 ", text)
    assert "Tất cả các xã, thị trấn đã bố trí" in text
    assert "Sau sắp xếp, tất cả 4 xã, thị trấn đều bố trí 7 người/10 chức danh." in text
    assert "Tất cả các ấp đã bố trí" in text


def test_villages_are_called_by_the_kinds_the_data_holds():
    w = wording([commune(AN_BINH, 7, [ap("Ấp Một", merged=("Ấp A", "Ấp B")), ap("Ấp Hai", after=3)])],
                units=(AN_BINH,))
    text = " ".join(w.village_level())
    assert "thôn" not in text
    assert "đã sáp nhập 2 ấp thành 1 ấp, sau sắp xếp còn 2 ấp (giảm 1 ấp)" in text
    assert "Có 1 ấp bố trí không quá 2 người/3 chức danh theo chỉ tiêu; còn 1 ấp chưa đạt" in text


def test_no_merges_and_no_severance():
    units = (Unit("1", "A", "Xã"),)
    w = wording([commune(units[0], 7, [ap("Ấp 1")])], units=units)
    assert w.village_merges().startswith("Trong kỳ không có ấp nào sáp nhập")
    assert w.commune_merges() == ["Trong kỳ không có đơn vị hành chính cấp xã nào thực hiện sáp nhập."]
    assert w.severance()[0].startswith("Trong kỳ không có người hoạt động không chuyên trách nào")


def test_severance_amounts_are_followed_by_words():
    sev = [Severance("A", "Xã", "T", "Thôi việc", 1_149_540_875, PAID),
           Severance("B", "Thôn", "T", "Nghỉ việc", 21_000_000, None)]
    w = wording([commune(AN_BINH, 7, [ap("Ấp 1")], sev)], units=(AN_BINH,))
    lines = w.severance()
    assert lines[0] == ("Tổng số người hoạt động không chuyên trách thôi việc, nghỉ việc do sắp xếp là 2 người, "
                        "trong đó: cấp xã 1 người, ở ấp 1 người; thôi việc 1 người, nghỉ việc 1 người.")
    # By default only the grand total paid is written in words, "bằng chữ" in lower case.
    assert ("1.149.540.875 đồng (bằng chữ: Một tỷ một trăm bốn mươi chín triệu năm trăm bốn mươi nghìn "
            "tám trăm bảy mươi lăm đồng)") in lines[1]
    assert lines[2].startswith("Còn 1 người chưa được chi trả, số tiền 21.000.000 đồng; ")
    assert " ".join(lines).count("bằng chữ") == 1
    every = wording([commune(AN_BINH, 7, [ap("Ấp 1")], sev)], units=(AN_BINH,),
                    style=dataclasses.replace(Style(), money_in_words="all")).severance()
    assert every[2].startswith("Còn 1 người chưa được chi trả, số tiền 21.000.000 đồng (bằng chữ: Hai mươi "
                               "mốt triệu đồng)")
    none = wording([commune(AN_BINH, 7, [ap("Ấp 1")], sev)],
                   style=dataclasses.replace(Style(), money_in_words="none")).severance()
    assert "bằng chữ" not in " ".join(none)
    assert "bằng chữ" not in " ".join(w.key_figures())  # the minutes never write money in words


def test_house_style_pads_counts_and_reads_le():
    style = dataclasses.replace(Style(), pad_counts=True, zero_tens="lẻ")
    sev = [Severance("A", "Xã", "T", "Thôi việc", 105_000, PAID)]
    w = wording([commune(u, 7, severances=sev if u is AN_BINH else ()) for u in UNITS], style=style)
    assert "04/04 xã, thị trấn" in w.receipt()[0]
    assert "Một trăm lẻ năm nghìn đồng" in " ".join(w.severance())
    assert "07 người/10 chức danh" in w.staffing_groups()


def test_reduction_wording_when_nothing_changed():
    w = wording([commune(AN_BINH, 12, before=12)], units=(AN_BINH,))
    assert "không thay đổi so với trước sắp xếp" in w.commune_level()[0]
