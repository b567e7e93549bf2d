"""What a part-time commune-level worker who left should have been paid, under the
legal basis the office's settings name. Pure computation: no file, no clock.

The one basis so far is Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về
tinh giản biên chế (in force from 16/6/2025), Điều 9: người hoạt động không chuyên
trách ở cấp xã nghỉ ngay khi thực hiện mô hình chính quyền địa phương 2 cấp.

What was read, and where (the decree's own text was not found in a public source
this project could reach; these are the press and the Ministry's answers quoting it):

- khoản 1 điểm a (dưới 05 năm công tác): trợ cấp một lần bằng 0,8 lần mức phụ cấp
  hàng tháng hiện hưởng nhân với số tháng công tác; trợ cấp bằng 1,5 lần mức phụ cấp
  hàng tháng hiện hưởng cho mỗi năm công tác; trợ cấp 03 tháng phụ cấp hàng tháng
  hiện hưởng để tìm việc làm — cafeland.vn (16/06/2025), dantri.com.vn (03/09/2025,
  Bộ Nội vụ trả lời), ngoisao.vn (07/08/2025, "điểm a khoản 1 Điều 9");
- khoản 1 điểm b (từ đủ 05 năm công tác, tuổi đời còn dưới 05 năm đến tuổi nghỉ hưu):
  0,8 lần mức phụ cấp nhân với số tháng nghỉ sớm so với tuổi nghỉ hưu; 1,5 lần cho mỗi
  năm công tác; 03 tháng để tìm việc làm — baohatinh.vn (16/06/2025), ngoisao.vn (18/06/2025);
- khoản 2 (đã đủ tuổi nghỉ hưu, hoặc đang hưởng chế độ hưu trí, mất sức lao động):
  trợ cấp một lần bằng 15 tháng phụ cấp hàng tháng hiện hưởng — ngoisao.vn (05/09/2025);
- Điều 5 khoản 2: phụ cấp hàng tháng hiện hưởng là phụ cấp của tháng liền kề trước khi
  nghỉ việc — vneconomy.vn và dantri.com.vn (03/09/2025, Bộ Nội vụ trả lời Sở Nội vụ Tây Ninh).

Not confirmed from a public source, implemented as the predecessors and the
draft say (README, "Kiểm tra số tiền trợ cấp", lists them too):

- khoản 1 điểm c (từ đủ 05 năm công tác, tuổi đời còn từ đủ 05 năm đến tuổi nghỉ hưu):
  taken as 0,8 lần mức phụ cấp nhân với 60 tháng, plus the same 1,5 lần per year and
  03 tháng — the sources cut off before it;
- rounding of the odd months of `số năm công tác`: taken as the rule of Nghị định
  108/2014/NĐ-CP as amended by Nghị định 113/2018/NĐ-CP, khoản 8 Điều 1 (dưới 03 tháng
  không tính; từ đủ 03 tháng đến đủ 06 tháng tính 1/2 năm; từ trên 06 tháng đến dưới
  12 tháng tính tròn 01 năm; thuvienphapluat.vn);
- amounts in whole đồng, rounded half up; an amount entered within 1.000 đồng of the
  computed one is taken as the same (offices round decisions to the thousand).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from pipeline.intake.contract import LEVEL_COMMUNE

# Five years of service, and five years before retirement age: the decree's thresholds.
THRESHOLD_MONTHS = 60
ALLOWANCE_PER_MONTH_WORKED = Fraction(8, 10)
ALLOWANCE_PER_YEAR_WORKED = Fraction(15, 10)
JOB_SEARCH_ALLOWANCES = 3
RETIRED_ALLOWANCES = 15
# An amount entered this close to the computed one is the same payment rounded.
TOLERANCE = 1_000


class MissingInput(ValueError):
    """The row does not give what the basis needs to compute the amount."""


@dataclass(frozen=True)
class SeveranceInputs:
    """`monthly_allowance`: đồng, the month before leaving; `months_worked`: months of
    service; `months_to_retirement`: months left to retirement age on leaving, 0 for
    a person at retirement age or on a pension, None when not given."""

    monthly_allowance: int
    months_worked: int
    months_to_retirement: int | None


@dataclass(frozen=True)
class Computation:
    """The amount, and the clause it comes from with its terms, for the warning to cite."""

    amount: int
    clause: str
    terms: str


def years_of_service(months: int) -> Fraction:
    """Whole years, the odd months counted as nothing (under 3), half a year (3 to 6)
    or a whole year (over 6)."""
    years, odd = divmod(months, 12)
    if odd < 3:
        return Fraction(years)
    if odd <= 6:
        return years + Fraction(1, 2)
    return Fraction(years + 1)


def _rounded(value: Fraction) -> int:
    """Half up, to the đồng (every amount here is positive)."""
    return int(value + Fraction(1, 2))


def _decimal(value: Fraction) -> str:
    """`3`, `3,5`: years as Vietnamese writes them."""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}".replace(".", ",")


def nd154_amount(given: SeveranceInputs) -> Computation:
    """Điều 9 Nghị định 154/2025/NĐ-CP. Raises MissingInput when a person with five
    years of service or more has no months to retirement age (points b and c differ)."""
    allowance, months, to_retirement = given.monthly_allowance, given.months_worked, given.months_to_retirement
    if to_retirement == 0:
        return Computation(RETIRED_ALLOWANCES * allowance, "khoản 2 Điều 9",
                           f"{RETIRED_ALLOWANCES} tháng phụ cấp")
    years = years_of_service(months)
    per_year = ALLOWANCE_PER_YEAR_WORKED * allowance * years
    job_search = JOB_SEARCH_ALLOWANCES * allowance
    if months < THRESHOLD_MONTHS:
        clause, counted, counted_words = "điểm a khoản 1 Điều 9", months, f"{months} tháng công tác"
    elif to_retirement is None:
        raise MissingInput("số tháng còn đến tuổi nghỉ hưu")
    elif to_retirement < THRESHOLD_MONTHS:
        clause, counted, counted_words = "điểm b khoản 1 Điều 9", to_retirement, f"{to_retirement} tháng nghỉ sớm"
    else:
        clause, counted, counted_words = "điểm c khoản 1 Điều 9", THRESHOLD_MONTHS, f"{THRESHOLD_MONTHS} tháng"
    amount = _rounded(ALLOWANCE_PER_MONTH_WORKED * allowance * counted + per_year + job_search)
    return Computation(amount, clause, f"0,8 × {counted_words} + 1,5 × {_decimal(years)} năm công tác + "
                                       f"{JOB_SEARCH_ALLOWANCES} tháng tìm việc làm")


@dataclass(frozen=True)
class Basis:
    """A legal basis the settings can name (`severance_basis: nd154-2025`)."""

    code: str
    citation: str  # as the report and the warnings name it
    levels: tuple[str, ...]  # the levels (`Xã`, `Thôn`) whose payments `amount` computes
    amount: Callable[[SeveranceInputs], Computation]

    @property
    def statement(self) -> str:
        """The report's sentence on the basis of the payments."""
        return (f"Chế độ, chính sách đối với người hoạt động không chuyên trách thôi việc, nghỉ việc được "
                f"thực hiện theo {self.citation}.")


# The village level (thôn, tổ dân phố) is left out: the article on it was not read.
BASES: dict[str, Basis] = {
    "nd154-2025": Basis(
        "nd154-2025",
        "Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về tinh giản biên chế",
        (LEVEL_COMMUNE,),
        nd154_amount,
    ),
}


def within_tolerance(entered: int, computed: int) -> bool:
    return abs(entered - computed) < TOLERANCE
