"""The figures, worded as an official report words them.

Sentences adapt to the data: zero and singular cases read naturally and units
are called by the kinds the data holds. The minutes and the news item use the
same phrases, so a figure reads the same in every document.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from pipeline.core.model import (
    Person,
    Punctuality,
    SeveranceBucket,
    StaffingGroup,
    Statistics,
    Style,
    Target,
    UnitGroup,
)
from pipeline.intake.contract import FORM_RESIGNATION, FORM_RETIREMENT, LEVEL_COMMUNE, LEVEL_VILLAGE
from pipeline.vn.dates import format_short_date
from pipeline.vn.numbers import format_count, format_money, format_ratio, percent_of
from pipeline.vn.text import capitalize, join_names
from pipeline.vn.units import count_units, in_sentence, join_unit_names, kind_of, kinds_phrase, village_level_phrase
from pipeline.vn.words import money_in_words

DEFAULT_COMMUNE_KINDS = ("Xã",)
DEFAULT_VILLAGE_KINDS = ("Thôn",)
# Communes late, missing or with returns still wrong (one sentence of the report and the
# minutes), and those short of a target in the news item, are named up to this many;
# beyond, they are counted.
_NAMED_AT_MOST = 3
# The report and the minutes name the communes short of the target, after their count, up
# to this many; beyond, the count alone, so that a province's sentence stays a sentence
# (the report's annex gives each commune's figures).
SHORT_NAMED_AT_MOST = 20
# The commune mergers are written out one by one (`sáp nhập xã A và xã B thành xã C`) up to
# this many units merged; beyond, counted (`sáp nhập 287 đơn vị thành 102 xã, phường`): in
# 2025 a province's communes were nearly all formed by merging.
MERGED_COMMUNES_NAMED_AT_MOST = 20
# The staffing levels are written one by one (`14 xã bố trí 7 người/10 chức danh; …`) up to
# this many; beyond, one clause per number of titles, the people as a range (`120 xã, phường
# bố trí từ 6 đến 10 người/10 chức danh`): a province's communes keep many different numbers.
STAFFING_LEVELS_WRITTEN_AT_MOST = 6
# The report names the merged villages in its text up to this many former villages, in a
# sentence of at most so many characters (long names, long commune names); beyond, it counts
# them and the annex lists them.
MERGED_NAMED_AT_MOST = 40
MERGES_SENTENCE_MAX_CHARS = 1000
# The report's annex that then lists them; the first annex is the table by commune.
MERGES_ANNEX = "Phụ lục II"


def commune_kind_names(stats: Statistics) -> str:
    """`xã, thị trấn`: the kinds of the communes the figures cover (`xã` when none)."""
    return kinds_phrase(stats.commune.communes.kinds or DEFAULT_COMMUNE_KINDS)


class Wording:
    """Phrases for one period's statistics in one office's house style."""

    def __init__(self, stats: Statistics, style: Style, drafting_unit: str) -> None:
        self.stats = stats
        self.style = style
        self.drafting_unit = drafting_unit
        self.commune_kinds = stats.commune.communes.kinds or DEFAULT_COMMUNE_KINDS
        self.village_kinds = stats.villages.after.kinds or DEFAULT_VILLAGE_KINDS

    # --- building blocks ---------------------------------------------------

    def count(self, n: int) -> str:
        return format_count(n, pad=self.style.pad_counts)

    def units(self, group: UnitGroup, fallback: tuple[str, ...]) -> str:
        """`14 xã, thị trấn`, named by the kinds the group holds."""
        return count_units(group.count, group.kinds or fallback, pad=self.style.pad_counts)

    def communes(self, group: UnitGroup) -> str:
        return self.units(group, self.commune_kinds)

    def villages(self, group: UnitGroup) -> str:
        """`4 ấp` for a group of one kind; otherwise the period's term (`151 thôn, tiểu khu`):
        two lists of kinds in one document would name the level two ways."""
        if len(group.kinds) == 1:  # distinct already (aggregate)
            return count_units(group.count, group.kinds, pad=self.style.pad_counts)
        return self.village_count(group.count)

    def village_count(self, count: int) -> str:
        """`151 thôn, tiểu khu`: so many villages of the period's kinds."""
        return f"{self.count(count)} {self.village_kind_names}"

    @property
    def commune_kind_names(self) -> str:
        return commune_kind_names(self.stats)

    @property
    def village_kind_names(self) -> str:
        return village_level_phrase(self.village_kinds)

    @property
    def staff_scope(self) -> str:
        """`người hoạt động không chuyên trách ở cấp xã, thôn, tiểu khu`: whom the documents are about."""
        return f"người hoạt động không chuyên trách ở cấp xã, {self.village_kind_names}"

    def fraction(self, part: int, whole: int) -> str:
        """`25/27`."""
        return format_ratio(part, whole, pad=self.style.pad_counts)

    def people(self, n: int) -> str:
        return f"{self.count(n)} người"

    def ratio(self, people: int, titles: int) -> str:
        return f"{self.count(people)} người/{self.count(titles)} chức danh"

    def target(self, target: Target) -> str:
        return f"không quá {self.ratio(target.people, target.titles)}"

    def money(self, amount: int, in_words: bool = False) -> str:
        """`1.149.540.875 đồng`, or with `in_words`
        `1.149.540.875 đồng (bằng chữ: Một tỷ ... đồng)`."""
        if not in_words:
            return format_money(amount)
        words = money_in_words(amount, zero_tens=self.style.zero_tens, thousand=self.style.thousand,
                               four=self.style.four)
        return f"{format_money(amount)} (bằng chữ: {words})"

    # --- completeness: what the figures rest on ------------------------------

    @property
    def partial(self) -> bool:
        """Some valid returns, but not every expected unit's: each district-level
        figure then states its base."""
        r = self.stats.returns
        return 0 < r.valid < r.expected

    def base(self) -> str:
        """`25/27 xã, thị trấn đã báo cáo hợp lệ`: the units a partial figure covers."""
        r = self.stats.returns
        return f"{self.fraction(r.valid, r.expected)} {self.commune_kind_names} đã báo cáo hợp lệ"

    def partial_news_note(self) -> str:
        """What the press officer is told when the news item states partial figures."""
        return (f"Tin bài nêu số liệu của {self.base()}, chưa đủ các đơn vị: đoạn đầu nêu số liệu ghi phạm "
                f"vi này, các đoạn sau dẫn lại. Muốn chờ đủ các đơn vị mới viết tin bài: "
                f"news.only_when_complete: true.")

    def held_news_note(self, record_name: str) -> str:
        """Why no news item was written though the record allows one."""
        r = self.stats.returns
        return (f"Chưa viết tin bài: {record_name} ghi news.only_when_complete: true (chờ đủ các đơn vị), "
                f"mà mới có {self.fraction(r.valid, r.expected)} {self.commune_kind_names} báo cáo hợp lệ.")

    def reported_units(self) -> str:
        """Whose figures these are: `27 xã, thị trấn`, or `25/27 xã, thị trấn đã báo cáo hợp lệ`."""
        return self.base() if self.partial else self.communes(self.stats.commune.communes)

    def at_base(self, clause: str) -> str:
        """A sentence from a clause in lower case, opened by its base when the figures
        are partial: `Tại 25/27 xã, thị trấn đã báo cáo hợp lệ, trước sắp xếp có ...`."""
        return f"Tại {self.base()}, {clause}" if self.partial else capitalize(clause)

    def change(self, before: int, after: int) -> str:
        """`giảm 35 người (25,0%)`, or what happened when nothing was reduced."""
        if after == before:
            return "không thay đổi so với trước sắp xếp"
        verb = "giảm" if after < before else "tăng"
        share = f" ({percent_of(abs(before - after), before)})" if before else ""
        return f"{verb} {self.people(abs(before - after))}{share}"

    # --- report section II ---------------------------------------------------

    def receipt(self, timely: bool = True) -> list[str]:
        """One sentence: with `timely`, how the returns came in against the deadline when
        the run looked their receipts up; which returns the figures rest on, which are left out."""
        r = self.stats.returns
        kinds = self.commune_kind_names
        t = self.stats.timeliness
        # Returns none of which is known on time or late say nothing against the deadline.
        timely = timely and t is not None and bool(t.on_time or t.late)
        if not r.valid:
            return [capitalize(f"{self.punctuality()}; chưa có {kinds} nào gửi báo cáo hợp lệ để tổng hợp số liệu.")
                    if timely else f"Chưa có {kinds} nào gửi báo cáo hợp lệ để tổng hợp số liệu."]
        basis = f"số liệu dưới đây được tổng hợp từ báo cáo hợp lệ của {self.fraction(r.valid, r.expected)} {kinds}"
        left_out = []
        if r.invalid:
            left_out.append(f"báo cáo của {self._named_or_counted(list(r.invalid))} còn sai sót, đang được rà "
                            f"soát, gửi lại")
        if r.missing and not timely:  # else the sentence has said who sent nothing
            left_out.append(f"{self._named_or_counted(list(r.missing))} chưa gửi báo cáo")
        if left_out:
            basis += f" ({'; '.join(left_out)})"
        return [capitalize(f"{self.punctuality()}; {basis}." if timely else f"{basis}.")]

    def punctuality(self) -> str:
        """`đối chiếu với hạn gửi báo cáo (ngày 17/11/2020), có 25/27 xã, thị trấn gửi đúng
        hạn; xã Hồng Thái gửi muộn; xã Tri Thủy chưa gửi`: the returns against the deadline
        (`Statistics.timeliness`)."""
        t = self.stats.timeliness
        assert t is not None
        names = {kind: [u.name for u in t.units if u.punctuality is kind] for kind in Punctuality}
        on_time = self._named_group(names[Punctuality.ON_TIME])
        if on_time.count == len(t.units):
            first = [f"{self._every(on_time, self.communes)} đã gửi đúng hạn"]
        elif on_time.count:
            first = [f"có {self.fraction(on_time.count, len(t.units))} {kinds_phrase(on_time.kinds)} gửi đúng hạn"]
        elif not names[Punctuality.UNKNOWN]:  # those may have sent in time
            first = [f"chưa có {kinds_phrase(self._named_group([u.name for u in t.units]).kinds)} nào gửi đúng hạn"]
        else:
            first = []
        rest = [f"{self._named_or_counted(names[kind])} {verb}"
                for kind, verb in ((Punctuality.LATE, "gửi muộn"), (Punctuality.UNKNOWN, "chưa xác định được ngày gửi"),
                                   (Punctuality.MISSING, "chưa gửi")) if names[kind]]
        due = format_short_date(t.deadline, pad=False)
        return f"đối chiếu với hạn gửi báo cáo (ngày {due}), " + "; ".join([*first, *rest])

    def _named_group(self, names: list[str]) -> UnitGroup:
        """The communes of these names, of the kinds their names start with."""
        return UnitGroup(len(names), tuple(kind_of(n) or self.commune_kinds[0] for n in names), tuple(names))

    def _named_or_counted(self, names: list[str]) -> str:
        """`xã A và xã B`, or `5 xã, phường` beyond `_NAMED_AT_MOST`."""
        return join_names(names) if len(names) <= _NAMED_AT_MOST else self.communes(self._named_group(names))

    def commune_level(self, with_groups: bool = True) -> list[str]:
        """The section's sentences; without `with_groups`, the key figures only (the minutes)."""
        c = self.stats.commune
        if not c.communes.count:
            return ["Chưa có báo cáo hợp lệ nào để tổng hợp số liệu cấp xã."]
        if c.abolished:
            return [self.commune_abolished()]
        groups = [capitalize(self.staffing_groups()) + "."] if with_groups else []
        return [self.commune_totals(), *groups, *self.commune_target()]

    def commune_totals(self) -> str:
        c = self.stats.commune
        return (f"Tổng số chức danh người hoạt động không chuyên trách cấp xã của {self.reported_units()} là "
                f"{self.count(c.titles)} chức danh. Trước sắp xếp có {self.people(c.people_before)}; sau sắp xếp "
                f"còn {self.people(c.people_after)}, {self.change(c.people_before, c.people_after)}.")

    def commune_abolished(self) -> str:
        """When no unit keeps anyone (the positions were abolished): who there were, and
        what became of them, instead of `còn 0 người, giảm 100%` and a staffing of 0 people."""
        c = self.stats.commune
        return (f"Trước sắp xếp, {self.reported_units()} có {self.people(c.people_before)} hoạt động không "
                f"chuyên trách cấp xã, đảm nhiệm {self.count(c.titles)} chức danh. Sau sắp xếp, các chức danh "
                f"này không còn bố trí người đảm nhiệm{self._commune_settled()}.")

    def _commune_settled(self) -> str:
        """`; đã giải quyết chế độ cho toàn bộ 1.139 người`, when every one of them was paid."""
        before = self.stats.commune.people_before
        level = self.stats.severance.at_level(LEVEL_COMMUNE)
        if level.paid_cases == before:
            return f"; đã giải quyết chế độ cho toàn bộ {self.people(before)}"
        if level.cases:
            return f"; {self.people(level.cases)} thôi việc, nghỉ việc do sắp xếp"
        return ""

    def staffing_groups(self) -> str:
        """`sau sắp xếp, 14 xã, thị trấn bố trí 7 người/10 chức danh; 1 xã bố trí 9 người/10 chức danh`."""
        c = self.stats.commune
        if len(c.groups) == 1:
            g = c.groups[0]
            both = "" if g.units.count == 1 and g.units.names else "đều "
            return f"sau sắp xếp, {self._every(g.units, self.communes)} {both}bố trí {self.ratio(g.people, g.titles)}"
        if len(c.groups) <= STAFFING_LEVELS_WRITTEN_AT_MOST:
            parts = [f"{self.communes(g.units)} bố trí {self.ratio(g.people, g.titles)}" for g in c.groups]
        else:
            by_titles: dict[int, list[StaffingGroup]] = {}
            for g in c.groups:
                by_titles.setdefault(g.titles, []).append(g)
            parts = [self._staffing_range(by_titles[titles]) for titles in sorted(by_titles)]
        return "sau sắp xếp, " + "; ".join(parts)

    def _staffing_range(self, groups: list[StaffingGroup]) -> str:
        """`120 xã, phường bố trí từ 6 đến 10 người/10 chức danh`: levels of one number of titles."""
        units = UnitGroup(sum(g.units.count for g in groups), tuple(k for g in groups for k in g.units.kinds), ())
        low, high, titles = min(g.people for g in groups), max(g.people for g in groups), groups[0].titles
        people = self.ratio(low, titles) if low == high else f"từ {self.count(low)} đến {self.ratio(high, titles)}"
        return f"{self.communes(units)} bố trí {people}"

    # The sentences below follow one that states their base (`commune_totals`,
    # `village_merge_summary`, the first of `severance`): they count the units
    # reported, so "tất cả 25 xã" and "23/25 xã" speak of those units only.

    def commune_target(self) -> list[str]:
        """The sentence on the target; none when the office sets no target."""
        c = self.stats.commune
        if c.target is None:
            return []
        target = self.target(c.target)
        kinds = self.commune_kind_names
        if not c.over_target.count:
            return [capitalize(f"{self._every(c.communes, self.communes)} đã bố trí người hoạt động không chuyên "
                               f"trách cấp xã đạt chỉ tiêu ({target}).")]
        meeting = c.communes.count - c.over_target.count
        if not meeting:
            return [f"Chưa có {kinds} nào bố trí đạt chỉ tiêu {target}."]
        named = f" ({join_names(c.over_target.names)})" if c.over_target.count <= SHORT_NAMED_AT_MOST else ""
        return [f"So với chỉ tiêu {target}, có {self.fraction(meeting, c.communes.count)} {kinds} đạt; còn "
                f"{self.communes(c.over_target)} chưa đạt{named}."]

    def village_level(self) -> list[str]:
        if not self.stats.villages.after.count:
            return [f"Chưa có số liệu {self.village_kind_names} để tổng hợp."]
        return [self.village_merges(), self.village_totals(), *self.village_target()]

    def village_totals(self) -> str:
        v = self.stats.villages
        return (f"Tổng số chức danh người hoạt động không chuyên trách ở {self.village_kind_names} là "
                f"{self.count(v.titles)} chức danh. Trước sắp xếp có {self.people(v.people_before)}; sau sắp xếp "
                f"còn {self.people(v.people_after)}, {self.change(v.people_before, v.people_after)}.")

    @property
    def merges_listed_inline(self) -> bool:
        """Whether the report names the merged villages in its text: up to
        `MERGED_NAMED_AT_MOST` former villages in a sentence of `MERGES_SENTENCE_MAX_CHARS`
        at most; beyond, `MERGES_ANNEX` lists them."""
        return (self.stats.villages.merged_former.count <= MERGED_NAMED_AT_MOST
                and len(self._merge_details) <= MERGES_SENTENCE_MAX_CHARS)

    @functools.cached_property
    def _merge_details(self) -> str:
        """`Cụ thể, đã sáp nhập thôn A và B thành thôn C (xã D); …`, every merge named."""
        return "Cụ thể, đã sáp nhập " + "; ".join(
            f"{in_sentence(join_unit_names(m.former))} thành {in_sentence(m.into)} ({m.commune})"
            for m in self.stats.villages.merges) + "."

    def village_merges(self) -> str:
        v = self.stats.villages
        if not v.merges:
            return self.village_merge_summary()
        if not self.merges_listed_inline:
            communes = self._named_group(list(dict.fromkeys(m.commune for m in v.merges)))
            return (f"{self.village_merge_summary()} Việc sáp nhập {self.village_kind_names} được thực hiện ở "
                    f"{self.communes(communes)} (chi tiết tại {MERGES_ANNEX} kèm theo).")
        return f"{self.village_merge_summary()} {self._merge_details}"

    def village_merge_summary(self) -> str:
        """The merge sentence without the list of merged villages."""
        v = self.stats.villages
        if not v.merges:
            return self.at_base(f"trong kỳ không có {self.village_kind_names} nào sáp nhập; toàn bộ "
                                f"{self.villages(v.after)} giữ nguyên.")
        removed = UnitGroup(v.before.count - v.after.count, v.after.kinds, ())
        return self.at_base(f"trước sắp xếp có {self.villages(v.before)}; {self.village_merge_phrase()}, sau sắp "
                            f"xếp còn {self.villages(v.after)} (giảm {self.villages(removed)}).")

    def village_merge_phrase(self) -> str:
        """`đã sáp nhập 12 thôn, tiểu khu thành 5 thôn, tiểu khu`."""
        v = self.stats.villages
        return f"đã sáp nhập {self.villages(v.merged_former)} thành {self.villages(v.merged_into)}"

    def village_target(self) -> list[str]:
        """The sentence on the target; none when the office sets no target."""
        v = self.stats.villages
        if v.target is None:
            return []
        target = self.target(v.target)
        kinds = self.village_kind_names
        if not v.over_target.count:
            return [capitalize(f"{self._every(v.after, self.villages)} đã bố trí người hoạt động không chuyên "
                               f"trách đạt chỉ tiêu ({target}).")]
        if not v.meeting_target.count:
            return [f"Chưa có {kinds} nào bố trí đạt chỉ tiêu {target}."]
        return [f"Có {self.villages(v.meeting_target)} bố trí {target} theo chỉ tiêu; còn "
                f"{self.villages(v.over_target)} chưa đạt, cần tiếp tục rà soát, sắp xếp."]

    def commune_merges(self) -> list[str]:
        merges = self.stats.communes_merged
        if not merges:
            return ["Trong kỳ không có đơn vị hành chính cấp xã nào thực hiện sáp nhập."]
        formed = join_names([m.into for m in merges]) if self._mergers_named else "các đơn vị trước sáp nhập"
        return [f"Thực hiện sắp xếp đơn vị hành chính cấp xã, đã {self.commune_merge_phrase()}. Người hoạt động "
                f"không chuyên trách của {formed} được tính theo đơn vị sau sáp nhập."]

    def commune_merge_phrase(self) -> str:
        """`sáp nhập xã Nam Phong và Nam Triều thành xã Nam Tiến`; beyond
        `MERGED_COMMUNES_NAMED_AT_MOST` units merged, `sáp nhập 287 đơn vị thành 102 xã,
        phường` (the registry does not say what kind a former unit was)."""
        merges = self.stats.communes_merged
        if self._mergers_named:
            return "; ".join(f"sáp nhập {join_unit_names(m.former)} thành {m.into}" for m in merges)
        formed = UnitGroup(len(merges), tuple(m.kind for m in merges), ())
        return f"sáp nhập {self.count(self._units_merged)} đơn vị thành {self.communes(formed)}"

    @functools.cached_property
    def _units_merged(self) -> int:
        """The commune-level units the mergers took in."""
        return sum(len(m.former) for m in self.stats.communes_merged)

    @property
    def _mergers_named(self) -> bool:
        return self._units_merged <= MERGED_COMMUNES_NAMED_AT_MOST

    def severance(self, in_words: bool = True) -> list[str]:
        """With `in_words`, the amounts the office's setting names are also written in
        words (only the grand total paid, by default); the minutes never write them."""
        s = self.stats.severance
        setting = self.style.money_in_words if in_words else "none"
        if not s.cases:
            return [self.at_base("trong kỳ không có người hoạt động không chuyên trách nào thôi việc, nghỉ việc "
                                 "do sắp xếp.")]
        by_level = [(f"cấp xã {self.people(b.cases)}" if level == LEVEL_COMMUNE
                     else f"ở {self.village_kind_names} {self.people(b.cases)}")
                    for level in (LEVEL_COMMUNE, LEVEL_VILLAGE) if (b := s.at_level(level)).cases]
        by_form = [f"{form.lower()} {self.people(n)}"
                   for form in (FORM_RESIGNATION, FORM_RETIREMENT) if (n := s.of_form(form))]
        whose = f" của {self.base()}" if self.partial else ""
        lines = [f"Tổng số người hoạt động không chuyên trách thôi việc, nghỉ việc do sắp xếp{whose} là "
                 f"{self.people(s.cases)}, trong đó: {', '.join(by_level)}; {', '.join(by_form)}."]
        if s.paid_cases:
            lines.append(f"Đã chi trả trợ cấp cho {self.people(s.paid_cases)} với tổng số tiền "
                         f"{self.money(s.paid_amount, setting != 'none')}{self._paid_by_level()}.")
        if s.pending_cases:
            lines.append(f"Còn {self.people(s.pending_cases)} chưa được chi trả, số tiền "
                         f"{self.money(s.pending_amount, setting == 'all')}; các đơn vị đang hoàn thiện hồ sơ để "
                         f"chi trả.")
        elif s.paid_cases:
            # What the returns show: a payment for every case above (those of the units that
            # reported), not that each amount is complete — a warning may still question one.
            lines.append("Đến nay, " + ("trường hợp trên" if s.cases == 1 else "tất cả các trường hợp trên")
                         + " đã được chi trả trợ cấp.")
        return lines

    def _paid_by_level(self) -> str:
        levels: list[SeveranceBucket] = [b for level in (LEVEL_COMMUNE, LEVEL_VILLAGE)
                                         if (b := self.stats.severance.at_level(level)).paid_cases]
        if len(levels) < 2:
            return ""
        names = {LEVEL_COMMUNE: "cấp xã", LEVEL_VILLAGE: f"ở {self.village_kind_names}"}
        return ", trong đó: " + "; ".join(
            f"{names[b.level]} {self.people(b.paid_cases)}, {self.money(b.paid_amount)}" for b in levels)

    # --- restating the report (minutes) -------------------------------------

    def key_figures(self) -> list[str]:
        """The report's sentences that carry its key figures, word for word, as the
        report's presenter states them at the conference; not when the returns came in."""
        lines = self.receipt(timely=False)
        lines += self.commune_level(with_groups=False)
        lines += ([self.village_merge_summary(), self.village_totals(), *self.village_target()]
                  if self.stats.villages.after.count else self.village_level())
        if self.stats.communes_merged:
            lines += self.commune_merges()
        return lines + self.severance(in_words=False)

    # --- the press (news item) ----------------------------------------------
    # Shorter sentences than the report's, built from the same phrases, so each
    # figure is written exactly as the report writes it.

    def press_receipt(self) -> str:
        """A clause: `đến nay 25/27 xã, thị trấn đã gửi báo cáo hợp lệ`."""
        r = self.stats.returns
        kinds = self.commune_kind_names
        if not r.valid:
            return f"đến nay chưa có {kinds} nào gửi báo cáo hợp lệ để tổng hợp số liệu"
        if r.expected == 1:
            return f"{self.stats.commune.communes.names[0]} đã gửi báo cáo hợp lệ"
        every = "cả " if r.valid == r.expected else "đến nay "
        return f"{every}{self.fraction(r.valid, r.expected)} {kinds} đã gửi báo cáo hợp lệ"

    def press_change(self, before: int, after: int) -> str:
        """`còn 193 người, giảm 106 người (35,5%) so với trước sắp xếp`."""
        if after == before:
            return f"vẫn là {self.people(after)}, {self.change(before, after)}"
        verb = "còn" if after < before else "là"
        return f"{verb} {self.people(after)}, {self.change(before, after)} so với trước sắp xếp"

    def after_receipt(self, clause: str) -> str:
        """A sentence from a clause in lower case, in the paragraph that `press_receipt` opens:
        that clause has stated the base, so a partial figure points back to it
        (`Tại các xã, thị trấn này, số người ...`) rather than stating it again."""
        return f"Tại các {self.commune_kind_names} này, {clause}" if self.partial else capitalize(clause)

    def back_to_receipt(self, opener: str, clause: str) -> str:
        """A sentence from a clause in lower case, opening a paragraph after the one that
        `press_receipt` opens: a partial figure points back to the base stated there
        (`Cũng tại các xã, thị trấn này, đã sáp nhập …`) rather than stating it again."""
        return f"{opener} các {self.commune_kind_names} này, {clause}" if self.partial else capitalize(clause)

    def press_commune(self) -> str:
        """The commune level, after `press_receipt` in the same paragraph."""
        c = self.stats.commune
        if c.abolished:
            return self.after_receipt(f"các chức danh người hoạt động không chuyên trách cấp xã không còn bố trí "
                                      f"người đảm nhiệm{self._commune_settled()}.")
        sentence = self.after_receipt(f"số người hoạt động không chuyên trách cấp xã sau sắp xếp "
                                      f"{self.press_change(c.people_before, c.people_after)}.")
        return " ".join(filter(None, (sentence, self.press_commune_target())))

    def press_commune_target(self) -> str:
        """The sentence on the target, or "" when the office sets none. It follows
        `press_commune`'s, whose base (stated or pointed back to) it shares."""
        c = self.stats.commune
        if c.target is None:
            return ""
        target = self.target(c.target)
        kinds = self.commune_kind_names
        if not c.over_target.count:
            return capitalize(self._all_on_target(c.communes, self.communes, target)) + "."
        meeting = c.communes.count - c.over_target.count
        if not meeting:
            if c.communes.count == 1:
                return f"{capitalize(c.communes.names[0])} chưa bố trí đạt chỉ tiêu {target}."
            return f"Chưa có {kinds} nào bố trí đạt chỉ tiêu {target}."
        lagging = (join_names(c.over_target.names) if c.over_target.count <= _NAMED_AT_MOST
                   else self.communes(c.over_target))
        meeting_shown = self.count(meeting) if self.partial else self.fraction(meeting, c.communes.count)
        return f"Có {meeting_shown} {kinds} đạt chỉ tiêu {target}; còn {lagging} chưa đạt."

    @staticmethod
    def _every(group: UnitGroup, counted: Callable[[UnitGroup], str]) -> str:
        """`tất cả 25 xã, thị trấn`; one unit is named, two are `cả 2 xã`."""
        if group.count == 1 and group.names:
            return group.names[0]
        return f"{'cả' if group.count == 2 else 'tất cả'} {counted(group)}"

    def _all_on_target(self, group: UnitGroup, counted: Callable[[UnitGroup], str], target: str) -> str:
        """`tất cả 25 xã, thị trấn đều bố trí đạt chỉ tiêu ...`; one unit is named, two are `cả 2`."""
        both = "đã" if group.count == 1 and group.names else "đều"
        return f"{self._every(group, counted)} {both} bố trí đạt chỉ tiêu {target}"

    def press_villages(self) -> str:
        """Merges and people in the villages, or "" when there are no village figures."""
        v = self.stats.villages
        kinds = self.village_kind_names
        if not v.after.count:
            return ""
        people = (f"số người hoạt động không chuyên trách ở {kinds} "
                  f"{self.press_change(v.people_before, v.people_after)}{self._press_village_target()}.")
        if not v.merges:
            return self.back_to_receipt("Cũng tại", people)
        # One base opens the paragraph: its sentences all speak of the same units.
        merged = self.back_to_receipt("Cũng tại", f"{self.village_merge_phrase()}; sau sắp xếp còn "
                                                  f"{self.villages(v.after)}.")
        return f"{merged} {capitalize(people)}"

    def _press_village_target(self) -> str:
        """`; 40 thôn đã bố trí …, còn 3 thôn chưa đạt`, or "" when the office sets no target."""
        v = self.stats.villages
        if v.target is None:
            return ""
        target = self.target(v.target)
        if not v.over_target.count:
            return f"; {self._all_on_target(v.after, self.villages, target)}"
        if not v.meeting_target.count:
            return f"; chưa có {self.village_kind_names} nào bố trí đạt chỉ tiêu {target}"
        return f"; {self.villages(v.meeting_target)} đã bố trí {target}, còn {self.villages(v.over_target)} chưa đạt"

    def press_commune_merges(self) -> str:
        """One sentence, or "" when no commune was merged."""
        if not self.stats.communes_merged:
            return ""
        return f"Về sắp xếp đơn vị hành chính cấp xã, đã {self.commune_merge_phrase()}."

    def press_severance(self) -> str:
        """A paragraph of its own: its base, when partial, points back to the receipt's."""
        return self.back_to_receipt("Theo báo cáo của", self._press_severance_clause())

    def _press_severance_clause(self) -> str:
        s = self.stats.severance
        if not s.cases:
            return "việc sắp xếp không phát sinh trường hợp nào phải thôi việc, nghỉ việc."
        if not s.pending_cases:
            if s.cases == 1:
                return (f"có {self.people(1)} thôi việc, nghỉ việc do sắp xếp và đã được chi trả trợ cấp "
                        f"{format_money(s.paid_amount)}.")
            return (f"toàn bộ {self.people(s.cases)} thôi việc, nghỉ việc do sắp xếp đã được chi trả trợ cấp với "
                    f"tổng số tiền {format_money(s.paid_amount)}.")
        cases = f"có {self.people(s.cases)} thôi việc, nghỉ việc do sắp xếp"
        if not s.paid_cases:
            return f"{cases}; các đơn vị đang hoàn thiện hồ sơ để chi trả trợ cấp."
        return (f"{cases}; đã chi trả trợ cấp cho {self.people(s.paid_cases)} với tổng số tiền "
                f"{format_money(s.paid_amount)}; các đơn vị đang hoàn thiện hồ sơ để chi trả cho "
                f"{self.people(s.pending_cases)} còn lại.")


def person_phrase(person: Person) -> str:
    """`đồng chí Nguyễn Văn An, Bí thư Huyện ủy`; a unit without a name speaks
    through `đại diện Phòng Tài chính - Kế hoạch`."""
    if not person.name:
        return f"đại diện {person.position}"
    return f"đồng chí {person.name}, {person.position}" if person.position else f"đồng chí {person.name}"
