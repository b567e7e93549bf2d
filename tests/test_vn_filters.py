from dataclasses import dataclass
from datetime import date, time
from typing import Any

import jinja2
import pytest

from pipeline.vn import FILTERS, Period, PeriodKind, register_filters

EXPECTED_NAMES = {
    "number",
    "percent",
    "percent_of",
    "count",
    "ratio",
    "money",
    "money_words",
    "number_words",
    "date_vn",
    "place_date",
    "short_date",
    "time_vn",
    "roman",
    "period_label",
    "press_period",
    "kinds",
    "count_units",
    "unit_name",
    "people_per_titles",
    "vn_sorted",
    "title_lines",
}


@pytest.fixture
def env() -> jinja2.Environment:
    return register_filters(jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False))


def render(env: jinja2.Environment, source: str, **context: Any) -> str:
    return env.from_string(source).render(**context)


@dataclass(frozen=True)
class Person:
    name: str


def test_filter_names() -> None:
    assert set(FILTERS) == EXPECTED_NAMES
    with pytest.raises(TypeError):
        FILTERS["x"] = str  # type: ignore[index]


def test_register_filters_returns_env(env: jinja2.Environment) -> None:
    assert all(env.filters[name] is FILTERS[name] for name in FILTERS)
    plain = jinja2.Environment()
    assert register_filters(plain) is plain


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ x | number }}", {"x": 1149540875}, "1.149.540.875"),
        ("{{ x | number(2) }}", {"x": 12.5}, "12,50"),
        ("{{ x | percent }}", {"x": 0.331}, "33,1%"),
        ("{{ x | percent(decimals=0) }}", {"x": 1}, "100%"),
        ("{{ 1 | percent_of(3) }}", {}, "33,3%"),
        ("{{ x | count(pad=True) }}", {"x": 5}, "05"),
        ("{{ 27 | ratio(27) }}", {}, "27/27"),
        ("{{ 5 | ratio(5, pad=True) }}", {}, "05/05"),
        ("{{ x | money }}", {"x": 1149540875}, "1.149.540.875 đồng"),
        ("{{ x | money_words }}", {"x": 1005}, "Một nghìn không trăm linh năm đồng"),
        ('{{ x | money_words(zero_tens="lẻ") }}', {"x": 1005}, "Một nghìn không trăm lẻ năm đồng"),
        ('{{ x | money_words(thousand="ngàn", four="bốn") }}', {"x": 24000}, "Hai mươi bốn ngàn đồng"),
        ("{{ x | number_words }}", {"x": 14}, "mười bốn"),
        ("{{ d | date_vn }}", {"d": date(2021, 2, 5)}, "ngày 05 tháng 02 năm 2021"),
        ('{{ "Phú Xuyên" | place_date(d) }}', {"d": date(2020, 11, 18)}, "Phú Xuyên, ngày 18 tháng 11 năm 2020"),
        ("{{ d | short_date }}", {"d": date(2021, 2, 5)}, "05/02/2021"),
        ("{{ d | short_date(pad=False) }}", {"d": date(2021, 2, 5)}, "5/2/2021"),
        ("{{ t | time_vn }}", {"t": time(8, 5)}, "8 giờ 05 phút"),
        ("{{ 4 | roman }}", {}, "IV"),
        ("{{ p | period_label }}", {"p": Period(2020, PeriodKind.QUARTER, 4)}, "quý IV năm 2020"),
        ('{{ "2020-Q4" | period_label }}', {}, "quý IV năm 2020"),
        ("{{ p | press_period }}", {"p": Period(2020, PeriodKind.MONTH, 11)}, "tháng 11/2020"),
        ('{{ "Quý IV/2020" | press_period }}', {}, "quý IV/2020"),
        ("{{ k | kinds }}", {"k": ["Thị trấn", "Xã"]}, "xã, thị trấn"),
        ("{{ 14 | count_units(k) }}", {"k": ["Thị trấn", "Xã"]}, "14 xã, thị trấn"),
        ("{{ 5 | count_units(['Xã'], pad=True) }}", {}, "05 xã"),
        ('{{ "Xã" | unit_name("Nam Tiến") }}', {}, "xã Nam Tiến"),
        ("{{ 7 | people_per_titles(10) }}", {}, "7 người/10 chức danh"),
        ("{{ xs | vn_sorted | join(', ') }}", {"xs": ["Đại", "Dân", "Ăn", "An"]}, "An, Ăn, Dân, Đại"),
        # The news item's headline: two balanced lines, never "… hoạt động / không chuyên trách".
        ("{{ x | title_lines(56) }}", {"x": "Huyện ủy Phú Xuyên sơ kết giai đoạn 1 sắp xếp người hoạt động "
                                            "không chuyên trách"},
         "Huyện ủy Phú Xuyên sơ kết giai đoạn 1 sắp xếp\nngười hoạt động không chuyên trách"),
        ("{{ xs | vn_sorted(reverse=True) | join(', ') }}", {"xs": ["Ba", "Bà", "Bá"]}, "Bá, Bà, Ba"),
    ],
)
def test_filters_in_templates(env: jinja2.Environment, source: str, context: dict[str, Any], expected: str) -> None:
    assert render(env, source, **context) == expected


def test_vn_sorted_by_attribute(env: jinja2.Environment) -> None:
    rows = [{"unit": {"name": "Nam Triều"}}, {"unit": {"name": "Nam Phong"}}, {"unit": {"name": "Nam Tiến"}}]
    source = "{% for r in rows | vn_sorted(attribute='unit.name') %}{{ r.unit.name }};{% endfor %}"
    assert render(env, source, rows=rows) == "Nam Phong;Nam Tiến;Nam Triều;"
    people = [Person("Nguyễn Thị Bình"), Person("Trần Văn An"), Person("Lê Văn Bình")]
    source = "{{ people | vn_sorted(attribute='name', person=True) | map(attribute='name') | join(', ') }}"
    assert render(env, source, people=people) == "Trần Văn An, Lê Văn Bình, Nguyễn Thị Bình"


def test_vn_sorted_refuses_non_text(env: jinja2.Environment) -> None:
    with pytest.raises(ValueError, match="chỉ sắp xếp được chữ"):
        render(env, "{{ xs | vn_sorted }}", xs=["a", None])


def test_filters_raise_vietnamese_errors(env: jinja2.Environment) -> None:
    with pytest.raises(ValueError, match="Không hiểu kỳ báo cáo"):
        render(env, '{{ "abc" | period_label }}')
    with pytest.raises(ValueError, match="Tùy chọn zero_tens"):
        render(env, '{{ 5 | money_words(zero_tens="le") }}')
