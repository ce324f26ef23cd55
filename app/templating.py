"""Jinja filters and globals: French number formats, stage labels, navigation."""

from __future__ import annotations

from datetime import date, datetime

import plotly
from flask import Flask
from flask_babel import gettext, to_user_timezone
from flask_login import current_user

from app import privacy
from app.i18n import N_, language
from app.models.aci import MISSION_LABELS, MISSION_SHORT_LABELS
from app.models.indicator import (
    DEFINITION_FIELD_NAMES,
    PERIOD_STATUS_LABELS,
    TIMELINESS_LABELS,
)
from app.reports import indicators as indicator_texts
from app.schemas.convention import (
    DUE_LABELS,
    MISSION_STATUS_LABELS,
    STATUS_LABELS,
    cents_to_euros,
    euros,
)
from app.schemas.member import FIELD_LABELS, PROFESSION_LABELS
from app.schemas.project import ACTION_STATUS_LABELS, THEME_LABELS
from app.schemas.tenant import STAGE_LABELS
from app.security.permissions import Action, can

NARROW_NBSP = "\u202f"
SIZE_CLASS_LABELS = {
    "T1": N_("moins de 40 000 habitants"),
    "T2": N_("40 000 à 80 000 habitants"),
    "T3": N_("80 000 à 175 000 habitants"),
    "T4": N_("plus de 175 000 habitants"),
}


def _french() -> bool:
    return language() == "fr"


def number(value: int | float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}"
    return text.replace(",", NARROW_NBSP) if _french() else text


def decimal(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",") if _french() else text


def percent(value: float | None) -> str:
    return "—" if value is None else f"{decimal(value * 100)}{NARROW_NBSP if _french() else ''}%"


def date_fr(value: date | datetime | None) -> str:
    """A date as people read it here; moments stored in UTC are shown in Paris time."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return value.strftime("%d/%m/%Y" if _french() else "%Y-%m-%d")


def datetime_fr(value: datetime | None) -> str:
    """A moment in Paris time, to the minute."""
    if value is None:
        return "—"
    moment = to_user_timezone(value)
    return moment.strftime("%d/%m/%Y %H:%M" if _french() else "%Y-%m-%d %H:%M")


def field_label(name: str) -> str:
    return gettext(FIELD_LABELS.get(name, name))


# Filters naming a value of a controlled list in the reader's language: {{ status|status_label }}.
LABELS: dict[str, dict] = {
    "status_label": STATUS_LABELS,
    "mission_status_label": MISSION_STATUS_LABELS,
    "mission_label": MISSION_LABELS,
    "mission_short_label": MISSION_SHORT_LABELS,
    "due_label": DUE_LABELS,
    "theme_label": THEME_LABELS,
    "action_status_label": ACTION_STATUS_LABELS,
    "profession_label": PROFESSION_LABELS,
    "period_status_label": PERIOD_STATUS_LABELS,
    "timeliness_label": TIMELINESS_LABELS,
}


def _labeller(labels: dict):
    def label(value) -> str:
        found = labels.get(value)
        return gettext(found) if found is not None else "—"

    return label


def init_app(app: Flask) -> None:
    app.add_template_filter(number)
    app.add_template_filter(decimal)
    app.add_template_filter(percent)
    app.add_template_filter(date_fr)
    app.add_template_filter(datetime_fr)
    app.add_template_filter(field_label)
    # The query of the current page without one key (pagination links keep the filters).
    app.add_template_filter(
        lambda args, key: {k: v for k, v in args.items() if k != key}, "reject_key"
    )
    app.add_template_filter(lambda stage: gettext(STAGE_LABELS[stage]), "stage_label")
    for name, labels in LABELS.items():
        app.add_template_filter(_labeller(labels), name)
    app.add_template_filter(euros)
    app.add_template_filter(cents_to_euros)
    app.add_template_global(
        lambda size: gettext(SIZE_CLASS_LABELS[size]) if size in SIZE_CLASS_LABELS else "",
        "size_class_label",
    )
    app.add_template_global(plotly.__version__, "plotly_version")
    for name in ("period_label", "value_text", "tiers_text", "earning_text"):
        app.add_template_global(getattr(indicator_texts, name), name)
    app.add_template_global(privacy.measure, "outside_measure")
    app.jinja_env.globals["definition_field_names"] = DEFINITION_FIELD_NAMES
    # Another CPTS is named only to those who may open it; the others see it anonymised.
    app.add_template_global(lambda tenant: can(current_user, Action.READ, tenant), "may_read")
    app.add_template_global(language, "current_locale")
