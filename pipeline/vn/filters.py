"""Jinja filters exposing the Vietnamese formatting rules to document templates.

The piped value is always the function's first argument, e.g.
`{{ amount | money_words(zero_tens="lẻ") }}` or `{{ "Xã" | unit_name("Nam Tiến") }}`.
"""

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from jinja2 import Environment

from pipeline.vn.dates import format_date, format_place_date, format_short_date, format_time
from pipeline.vn.numbers import (
    format_count,
    format_money,
    format_number,
    format_percent,
    format_ratio,
    people_per_titles,
    percent_of,
    to_roman,
)
from pipeline.vn.periods import Period, parse_period
from pipeline.vn.sorting import person_name_key, vn_sort_key
from pipeline.vn.text import title_lines
from pipeline.vn.units import count_units, kinds_phrase, unit_name
from pipeline.vn.words import money_in_words, number_in_words


def _period(value: Period | str) -> Period:
    # Settings files hold periods as text (`2020-Q4`), the model as `Period`.
    return value if isinstance(value, Period) else parse_period(value)


def period_label(period: Period | str) -> str:
    """`quý IV năm 2020`."""
    return _period(period).label()


def press_period(period: Period | str) -> str:
    """`quý IV/2020`."""
    return _period(period).press_label()


def _lookup(item: Any, attribute: str) -> Any:
    # Dotted paths through dicts or objects, as Jinja's own `sort` filter allows.
    for name in attribute.split("."):
        item = item[name] if isinstance(item, Mapping) else getattr(item, name)
    return item


def vn_sorted(
    items: Iterable[Any],
    attribute: str | None = None,
    reverse: bool = False,
    person: bool = False,
) -> list[Any]:
    """Sort strings (or items by `attribute`) in Vietnamese order; `person=True` sorts
    full names by given name first."""
    sort_key = person_name_key if person else vn_sort_key

    def key(item: Any) -> Any:
        text = item if attribute is None else _lookup(item, attribute)
        if not isinstance(text, str):
            raise ValueError(f"Bộ lọc vn_sorted chỉ sắp xếp được chữ, nhận được {text!r}.")
        return sort_key(text)

    return sorted(items, key=key, reverse=reverse)


FILTERS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {
        "number": format_number,
        "percent": format_percent,
        "percent_of": percent_of,
        "count": format_count,
        "ratio": format_ratio,
        "money": format_money,
        "money_words": money_in_words,
        "number_words": number_in_words,
        "date_vn": format_date,
        "place_date": format_place_date,
        "short_date": format_short_date,
        "time_vn": format_time,
        "roman": to_roman,
        "period_label": period_label,
        "press_period": press_period,
        "kinds": kinds_phrase,
        "count_units": count_units,
        "unit_name": unit_name,
        "people_per_titles": people_per_titles,
        "vn_sorted": vn_sorted,
        "title_lines": title_lines,
    }
)


def register_filters(env: Environment) -> Environment:
    """Add every filter in `FILTERS` to `env` and return it."""
    env.filters.update(FILTERS)
    return env
