"""Read the office's settings: the reporting unit (one file) and the period's text."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.model import DeadlineRules, NoticeIssuer, PeriodSettings, Settings, Signer, Style, Target
from pipeline.intake.contract import PERIOD_SETTINGS_FILE, SETTINGS_FILE
from pipeline.intake.severance_basis import BASES
from pipeline.intake.yaml_input import ISSUER_KINDS, SettingsError, YamlReader, load_yaml
from pipeline.vn.deadlines import DEFAULT_WORKING_DAYS
from pipeline.vn.periods import PeriodKind

__all__ = ["SettingsError", "load_settings", "load_period_settings", "EMPTY_PERIOD_SETTINGS"]

_STYLE_CHOICES = {
    "zero_tens": ("linh", "lẻ"),
    "thousand": ("nghìn", "ngàn"),
    "four": ("tư", "bốn"),
    "money_in_words": ("total", "all", "none"),
}


# What `targets.commune` or `targets.village` holds when the office sets no target there
# (since 1 July 2025 a commune keeps no such people at all).
NO_TARGET = "none"


def _target(reader: YamlReader) -> Target:
    return Target(people=reader.positive_int("people"), titles=reader.positive_int("titles"))


# The keys of `deadlines.working_days`, one per kind of period.
_KIND_KEYS = {PeriodKind.MONTH: "month", PeriodKind.QUARTER: "quarter", PeriodKind.HALF: "half",
              PeriodKind.NINE_MONTHS: "nine_months", PeriodKind.YEAR: "year"}


def _deadlines(reader: YamlReader) -> DeadlineRules:
    """`deadlines:` — each kind's working days default to Nghị định 09/2019 as provinces apply it."""
    days = reader.section("working_days") if "working_days" in reader.data else None

    def working_days(kind: PeriodKind) -> int:
        if days is None or _KIND_KEYS[kind] not in days.data:
            return DEFAULT_WORKING_DAYS[kind]
        return days.positive_int(_KIND_KEYS[kind])

    return DeadlineRules(tuple((kind, working_days(kind)) for kind in PeriodKind), reader.dates("holidays"))


def _optional_target(reader: YamlReader, key: str) -> Target | None:
    value = reader.data.get(key)
    if value == NO_TARGET:
        return None
    if not isinstance(value, dict):
        raise reader.fail(key, f"cần hai khóa con `people`, `titles`, hoặc `{NO_TARGET}` (không đặt chỉ tiêu)")
    return _target(reader.section(key))


def _notices(reader: YamlReader) -> NoticeIssuer:
    signer = reader.section("signer")
    return NoticeIssuer(
        parent_body=reader.text("parent_body", required=False),
        name_lines=reader.text_lines("name"),
        symbol=reader.text("symbol"),
        signer_title=signer.text("title"),
        signer_name=signer.text("name"),
    )


def load_settings(inputs: Path) -> Settings:
    path = inputs / SETTINGS_FILE
    data, lines = load_yaml(path)
    root = YamlReader(path, data, lines=lines)
    issuer, document, signer = root.section("issuer"), root.section("document"), root.section("signer")
    targets = root.section("targets")
    style = root.section("style") if "style" in root.data else YamlReader(path, {}, "style.", root.lines)
    # No basis named, nothing is recomputed: the 2020 district periods paid under their own rules.
    basis = BASES[root.choice("severance_basis", BASES, "")] if root.text("severance_basis", required=False) else None
    issuer_lines = issuer.text_lines("name")
    return Settings(
        parent_body=issuer.text("parent_body", required=False),
        issuer=" ".join(issuer_lines),
        issuer_lines=issuer_lines if len(issuer_lines) > 1 else (),
        issuer_full=issuer.text("full_name", required=False),
        notices=_notices(root.section("notices")) if "notices" in root.data else None,
        issuer_short=issuer.text("short_name"),
        is_party=ISSUER_KINDS[issuer.choice("kind", ISSUER_KINDS, "state")],
        place=issuer.text("place"),
        drafting_unit=issuer.text("drafting_unit"),
        symbol=document.text("symbol"),
        signer=Signer(
            authority=signer.text("authority"),
            deputy=signer.text("deputy", required=False),
            title=signer.text("title"),
            name=signer.text("name"),
        ),
        addressee=document.text("addressee"),
        recipients=document.paragraphs("recipients"),
        commune_target=_optional_target(targets, "commune"),
        village_target=_optional_target(targets, "village"),
        style=Style(
            pad_counts=style.flag("pad_counts", False),
            **{key: style.choice(key, choices, choices[0]) for key, choices in _STYLE_CHOICES.items()},
        ),
        severance_basis=basis.code if basis else "",
        legal_basis=basis.statement if basis else "",
        deadlines=_deadlines(root.section("deadlines")) if "deadlines" in root.data else DeadlineRules(),
    )


EMPTY_PERIOD_SETTINGS = PeriodSettings("", None, "", (), (), (), (), (), (), ())


def load_period_settings(period_dir: Path) -> PeriodSettings:
    """The period's text; a missing file gives an empty narrative, not a failed run."""
    path = period_dir / PERIOD_SETTINGS_FILE
    if not path.is_file():
        return EMPTY_PERIOD_SETTINGS
    data, lines = load_yaml(path)
    root = YamlReader(path, data, lines=lines)
    return PeriodSettings(
        number=root.text("number", required=False),
        issued_on=root.date("issued_on"),
        subject=root.text("subject", required=False),
        intro=root.paragraphs("intro"),
        direction=root.paragraphs("direction"),
        advantages=root.paragraphs("advantages"),
        difficulties=root.paragraphs("difficulties"),
        causes=root.paragraphs("causes"),
        tasks=root.paragraphs("tasks"),
        proposals=root.paragraphs("proposals"),
        stage=root.text("stage", required=False),
        cutoff=root.date("cutoff"),
        deadline=root.date("deadline"),
    )
