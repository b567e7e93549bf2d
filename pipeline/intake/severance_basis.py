"""What a part-time worker who left should have been paid, under the legal basis the
office's settings name. Pure computation: no file, no clock.

The one basis so far is Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về
tinh giản biên chế (in force from 16/6/2025): Điều 9 for người hoạt động không chuyên
trách ở cấp xã nghỉ ngay khi thực hiện mô hình chính quyền địa phương 2 cấp, and the
decree's rule for người hoạt động không chuyên trách ở thôn, tổ dân phố dôi dư do sắp
xếp thôn, tổ dân phố.

What was read, and where. The decree's own text was not found in a public source this
project could reach (looked for again on 6/12/2026 in stored copies of public pages,
thuvienphapluat and luatvietnam among the queries: no copy of it turned up); what was
read is the press and the Ministry's answers quoting it, each page stored only as far
as its first part:

- Điều 9 khoản 1 điểm a (dưới 05 năm công tác): trợ cấp một lần bằng 0,8 lần mức phụ
  cấp hàng tháng hiện hưởng nhân với số tháng công tác; 1,5 lần mức phụ cấp cho mỗi năm
  công tác; 03 tháng phụ cấp để tìm việc làm — cafeland.vn (16/06/2025, quoting the
  clause's text, "Phụ lục I, Phụ lục II ... Nghị định số 135/2020/NĐ-CP" for the
  retirement age), dantri.com.vn (03/09/2025, Bộ Nội vụ trả lời), ngoisao.vn (18/06/2025);
- Điều 9 khoản 1 điểm b (từ đủ 05 năm công tác, tuổi đời còn dưới 05 năm đến tuổi nghỉ
  hưu): 0,8 lần mức phụ cấp nhân với số tháng nghỉ sớm so với tuổi nghỉ hưu; 1,5 lần cho
  mỗi năm công tác; 03 tháng để tìm việc làm — baohatinh.vn (16/06/2025), ngoisao.vn
  (18/06/2025);
- Điều 9 khoản 2 (đã đủ tuổi nghỉ hưu, hoặc đang hưởng chế độ hưu trí, mất sức lao
  động): trợ cấp một lần bằng 15 tháng phụ cấp hàng tháng hiện hưởng — ngoisao.vn
  (05/09/2025);
- Điều 5 khoản 2: phụ cấp hàng tháng hiện hưởng (cấp xã, thôn, tổ dân phố) là phụ cấp
  của tháng liền kề trước khi nghỉ việc; a person holding two posts is paid on the main
  post's allowance, not the concurrent one's — vneconomy.vn (03/09/2025, Bộ Nội vụ trả
  lời Sở Nội vụ Tây Ninh), dantri.com.vn (22/10/2025);
- Điều 5 khoản 4: the months of service counted are those with compulsory social
  insurance in the Party, State, Mặt trận, tổ chức chính trị - xã hội and armed forces,
  not yet paid out, for the allowances of Điều 6 to Điều 10 — congdoan.vn (22/06/2025,
  Báo Lao Động quoting khoản 4 to 8 of Điều 5; the page stored stops inside khoản 4);
- thôn, tổ dân phố: people made redundant by the merging of villages and residential
  groups are covered, from the decision that merges them — baohatinh.vn (16/06/2025),
  ngoisao.vn (18/06/2025, "các chế độ tương tự"); those under retirement age with under
  05 năm công tác get the terms of point a: 0,8 × phụ cấp × số tháng công tác, 1,5 lần
  per year, 03 tháng tìm việc làm; their months of service are those in the village post
  plus those with compulsory social insurance elsewhere — dantri.com.vn (22/10/2025,
  "Trợ cấp cho trưởng thôn, tổ trưởng tổ dân phố nghỉ việc khi sắp xếp bộ máy").

No public source read gives a worked example with figures (one was looked for in the
press, the Ministry's answers and the provinces' pages); the tests work their examples
by hand from the terms above.

Not confirmed from a public source, implemented as the predecessors and the draft say
(README, "Kiểm tra số tiền trợ cấp", lists them too):

- Điều 9 khoản 1 điểm c (từ đủ 05 năm công tác, tuổi đời còn từ đủ 05 năm đến tuổi nghỉ
  hưu): taken as 0,8 lần mức phụ cấp nhân với 60 tháng, plus the same 1,5 lần per year
  and 03 tháng — every source read stops before it;
- rounding of the odd months of `số năm công tác`: taken as the rule of Nghị định
  108/2014/NĐ-CP as amended by Nghị định 113/2018/NĐ-CP, khoản 8 Điều 1 (dưới 03 tháng
  không tính; từ đủ 03 tháng đến đủ 06 tháng tính 1/2 năm; từ trên 06 tháng đến dưới
  12 tháng tính tròn 01 năm; thuvienphapluat.vn); Điều 5 of Nghị định 154 is where the
  decree sets its own, and the part read stops before it;
- thôn, tổ dân phố: the article's number, and the cases of 05 năm công tác or more and of
  retirement age (the one source stops at them): those amounts are not recomputed;
- amounts in whole đồng, rounded half up; an amount entered within 1.000 đồng of the
  computed one is taken as the same (offices round decisions to the thousand).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from pipeline.intake.contract import LEVEL_COMMUNE, LEVEL_VILLAGE

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


# The `SeveranceInputs` fields an amount can be computed from.
_SERVICE_INPUTS = ("monthly_allowance", "months_worked")
_ALL_INPUTS = (*_SERVICE_INPUTS, "months_to_retirement")


@dataclass(frozen=True)
class Computation:
    """The amount, and the clause it comes from with its terms, for the warning to cite."""

    amount: int
    clause: str
    terms: str
    # The `SeveranceInputs` fields that chose the clause and gave the amount: the cells a warning
    # asks to review.
    inputs: tuple[str, ...] = _SERVICE_INPUTS


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


def _service_amount(allowance: int, months: int, counted: int, counted_words: str, clause: str,
                    inputs: tuple[str, ...] = _SERVICE_INPUTS) -> Computation:
    """0,8 × allowance × `counted` months + 1,5 × allowance per year of service + 3 allowances."""
    years = years_of_service(months)
    amount = _rounded(ALLOWANCE_PER_MONTH_WORKED * allowance * counted
                      + ALLOWANCE_PER_YEAR_WORKED * allowance * years + JOB_SEARCH_ALLOWANCES * allowance)
    return Computation(amount, clause, f"0,8 × {counted_words} + 1,5 × {_decimal(years)} năm công tác + "
                                       f"{JOB_SEARCH_ALLOWANCES} tháng tìm việc làm", inputs)


def _chosen_by(to_retirement: int | None) -> tuple[str, ...]:
    """Under five years of service, the inputs: the months to retirement too when filled, since
    their not being 0 is what kept the case out of khoản 2 (a wrong one would change the amount)."""
    return _ALL_INPUTS if to_retirement is not None else _SERVICE_INPUTS


def nd154_amount(given: SeveranceInputs) -> Computation:
    """Điều 9 Nghị định 154/2025/NĐ-CP. Raises MissingInput when a person with five
    years of service or more has no months to retirement age (points b and c differ)."""
    allowance, months, to_retirement = given.monthly_allowance, given.months_worked, given.months_to_retirement
    if to_retirement == 0:
        return Computation(RETIRED_ALLOWANCES * allowance, "khoản 2 Điều 9", f"{RETIRED_ALLOWANCES} tháng phụ cấp",
                           ("monthly_allowance", "months_to_retirement"))
    if months < THRESHOLD_MONTHS:
        return _service_amount(allowance, months, months, f"{months} tháng công tác", "điểm a khoản 1 Điều 9",
                               _chosen_by(to_retirement))
    if to_retirement is None:
        raise MissingInput("số tháng còn đến tuổi nghỉ hưu")
    if to_retirement < THRESHOLD_MONTHS:
        return _service_amount(allowance, months, to_retirement, f"{to_retirement} tháng nghỉ sớm",
                               "điểm b khoản 1 Điều 9", _ALL_INPUTS)
    return _service_amount(allowance, months, THRESHOLD_MONTHS, f"{THRESHOLD_MONTHS} tháng", "điểm c khoản 1 Điều 9",
                           _ALL_INPUTS)


# The village rule as the one source read words it; its article number was not read.
VILLAGE_CLAUSE = ("quy định về người hoạt động không chuyên trách ở thôn, tổ dân phố chưa đến tuổi nghỉ hưu, "
                  "có dưới 05 năm công tác, tại")


def nd154_village_amount(given: SeveranceInputs) -> Computation | None:
    """Nghị định 154/2025/NĐ-CP for người hoạt động không chuyên trách ở thôn, tổ dân
    phố: under five years of service and under retirement age, the terms of point a of
    Điều 9. None (not weighed) for five years or more, or at retirement age: that part
    of the rule was not read."""
    months = given.months_worked
    if given.months_to_retirement == 0 or months >= THRESHOLD_MONTHS:
        return None
    return _service_amount(given.monthly_allowance, months, months, f"{months} tháng công tác", VILLAGE_CLAUSE,
                           _chosen_by(given.months_to_retirement))


@dataclass(frozen=True)
class Basis:
    """A legal basis the settings can name (`severance_basis: nd154-2025`)."""

    code: str
    citation: str  # as the report and the warnings name it
    # By level (`Xã`, `Thôn`): the amount, or None where the basis's rule for the case is not known.
    amounts: Mapping[str, Callable[[SeveranceInputs], Computation | None]]

    @property
    def statement(self) -> str:
        """The report's sentence on the basis of the payments."""
        return (f"Chế độ, chính sách đối với người hoạt động không chuyên trách thôi việc, nghỉ việc được "
                f"thực hiện theo {self.citation}.")


BASES: dict[str, Basis] = {
    "nd154-2025": Basis(
        "nd154-2025",
        "Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về tinh giản biên chế",
        {LEVEL_COMMUNE: nd154_amount, LEVEL_VILLAGE: nd154_village_amount},
    ),
}


def within_tolerance(entered: int, computed: int) -> bool:
    return abs(entered - computed) < TOLERANCE
