"""Vietnamese text as official documents write it: numbers, money in words, dates,
report periods, administrative units, sorting, and the Jinja filters over them."""

from pipeline.vn.dates import format_date, format_place_date, format_short_date, format_time, parse_date
from pipeline.vn.filters import FILTERS, register_filters
from pipeline.vn.numbers import (
    format_count,
    format_money,
    format_number,
    format_percent,
    format_ratio,
    from_roman,
    people_per_titles,
    percent_of,
    to_roman,
)
from pipeline.vn.periods import Period, PeriodError, PeriodKind, parse_period
from pipeline.vn.sorting import person_name_key, vn_sort_key
from pipeline.vn.units import COMMUNE_KINDS, VILLAGE_KINDS, canonical_kind, count_units, kinds_phrase, unit_name
from pipeline.vn.words import money_in_words, number_in_words

__all__ = [
    "COMMUNE_KINDS",
    "FILTERS",
    "VILLAGE_KINDS",
    "Period",
    "PeriodError",
    "PeriodKind",
    "canonical_kind",
    "count_units",
    "format_count",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "format_place_date",
    "format_ratio",
    "format_short_date",
    "format_time",
    "from_roman",
    "kinds_phrase",
    "money_in_words",
    "number_in_words",
    "parse_date",
    "parse_period",
    "people_per_titles",
    "percent_of",
    "person_name_key",
    "register_filters",
    "to_roman",
    "unit_name",
    "vn_sort_key",
]
