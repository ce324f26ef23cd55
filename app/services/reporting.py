"""Periodic reporting of a CPTS's indicators and its review (product.md §6).

A period goes draft -> submitted -> validated, or sent back with a comment on given values; the
CPTS corrects and resubmits; a validated period is locked until an ARS reviewer reopens it with a
reason. Every transition is a PeriodEvent holding the values as they were, so the reviewer sees
what changed since the last submission or validation. Who may do what is the routes' concern
(Action.WRITE for the CPTS, Action.REVIEW for reviewers); what may happen when is decided here.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.columns import utcnow
from app.domain import DomainError
from app.extensions import db
from app.identifiers import patient_detail_problem
from app.models.indicator import (
    MONTHS,
    Indicator,
    IndicatorValue,
    PeriodAction,
    PeriodEvent,
    PeriodKind,
    PeriodStatus,
    ReportingPeriod,
)
from app.models.referential import RegionSetting
from app.models.targets import Measure, Unit
from app.rollups.monthly import bump
from app.services import audit, earnings
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

DUE_DAYS = 30  # after the period's end, unless the region's ARS set another delay
EDITABLE = (PeriodStatus.DRAFT, PeriodStatus.SENT_BACK)
Snapshot = dict[str, list]  # indicator id (text: JSON keys) -> [numerator, denominator, reason]


def due_delay(region_code: str) -> int:
    """Days after a period's end before its values are due, in this region."""
    setting = db.session.get(RegionSetting, region_code)
    return setting.reporting_delay_days if setting else DUE_DAYS


def set_due_delay(region_code: str, raw: object) -> int:
    """The ARS's delay for its region (1 to 120 days); applies to the periods opened after."""
    text = str(raw or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 120:
        raise DomainError.on("delay", _l("Un nombre de jours entre 1 et 120."))
    setting = db.session.get(RegionSetting, region_code) or RegionSetting(region_code=region_code)
    before = setting.reporting_delay_days
    setting.reporting_delay_days = int(text)
    db.session.add(setting)
    db.session.flush()
    audit.record(
        "reporting_delay_set", details={"region": region_code, "days": [before, int(text)]}
    )
    bump(region_code)  # the region's pages (its review queue) show the new delay at once
    return int(text)


def bounds(kind: PeriodKind, starts_on: date) -> tuple[date, date]:
    """A calendar month, quarter or year, from its first day."""
    months = MONTHS[kind]
    if starts_on.day != 1 or (starts_on.month - 1) % months:
        raise DomainError.on("starts_on", _l("Une période commence le premier jour d'un mois, "
                                             "d'un trimestre ou d'une année civile."))  # fmt: skip
    last_month = starts_on.month + months - 1
    last_day = calendar.monthrange(starts_on.year, last_month)[1]
    return starts_on, date(starts_on.year, last_month, last_day)


@for_tenant
def open_period(tenant: Tenant, kind: PeriodKind, starts_on: date) -> ReportingPeriod:
    starts, ends = bounds(kind, starts_on)
    existing = db.session.scalar(select(ReportingPeriod).filter_by(kind=kind, starts_on=starts))
    if existing is not None:
        return existing
    delay = due_delay(tenant.region_code)
    period = ReportingPeriod(
        kind=kind, starts_on=starts, ends_on=ends, due_on=ends + timedelta(days=delay)
    )
    db.session.add(period)
    db.session.flush()
    return period


def indicators_of(period: ReportingPeriod) -> list[Indicator]:
    """The indicators reported in a period: those collected at its frequency."""
    return list(
        db.session.scalars(select(Indicator).filter_by(period=period.kind).order_by(Indicator.code))
    )


def values_of(period: ReportingPeriod) -> dict[int, IndicatorValue]:
    rows = db.session.scalars(select(IndicatorValue).filter_by(period_id=period.id))
    return {v.indicator_id: v for v in rows}


def _number(field: str, raw: object, errors: dict) -> int | None:
    if raw is None or raw == "":
        return None
    text = str(raw).strip().replace("\u202f", "").replace(" ", "")
    if not text.isdigit():
        errors[field] = [_l("Un nombre entier positif ou nul est attendu.")]
        return None
    return int(text)


@for_tenant
def enter_values(tenant: Tenant, period: ReportingPeriod, entries: Mapping[int, Mapping]) -> None:
    """Values of a period not submitted, by indicator id: numerator, denominator (rates),
    missing_reason (when no number can be given) and comment. Errors name the field as
    "<indicator code>.<field>"; nothing is written unless every entry is right."""
    if period.status not in EDITABLE:
        raise DomainError.on("period", _l("Cette période est soumise ou validée : ses valeurs "
                                          "ne peuvent plus être modifiées."))  # fmt: skip
    indicators = {i.id: i for i in indicators_of(period)}
    current = values_of(period)
    errors: dict[str, list] = {}
    clean: dict[int, dict] = {}
    for indicator_id, entry in entries.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            errors[f"indicator.{indicator_id}"] = [_l("Indicateur inconnu pour cette période.")]
            continue
        clean_entry = _clean_entry(indicator, entry, errors)
        if clean_entry is not None:
            clean[indicator_id] = clean_entry
    if errors:
        raise DomainError(errors)
    for indicator_id, fields in clean.items():
        value = current.get(indicator_id)
        if fields is _EMPTY:
            if value is not None:
                db.session.delete(value)
            continue
        if value is None:
            value = IndicatorValue(period_id=period.id, indicator_id=indicator_id)
            db.session.add(value)
        for name, field_value in fields.items():
            setattr(value, name, field_value)
        value.updated_at = utcnow()
    db.session.flush()


_EMPTY: dict = {}


def _clean_entry(indicator: Indicator, entry: Mapping, errors: dict) -> dict | None:
    code = indicator.code
    numerator = _number(f"{code}.numerator", entry.get("numerator"), errors)
    denominator = _number(f"{code}.denominator", entry.get("denominator"), errors)
    reason = (entry.get("missing_reason") or "").strip() or None
    comment = (entry.get("comment") or "").strip() or None
    for field, text in ((f"{code}.missing_reason", reason), (f"{code}.comment", comment)):
        if text and (problem := patient_detail_problem(text)):
            errors[field] = [problem]
    if any(f.startswith(f"{code}.") for f in errors):
        return None
    if numerator is None and reason is None:
        if denominator is not None:
            errors[f"{code}.numerator"] = [_l("Le numérateur manque.")]
            return None
        return _EMPTY  # nothing entered yet: no value
    if numerator is not None and reason is not None:
        errors[f"{code}.missing_reason"] = [
            _l("Donnez soit une valeur, soit un motif d'absence, pas les deux.")
        ]
        return None
    if numerator is not None and indicator.unit is not Unit.COUNT:
        if not denominator:
            errors[f"{code}.denominator"] = [_l("Un taux a besoin d'un dénominateur non nul.")]
            return None
        if indicator.unit is Unit.PERCENT and numerator > denominator:
            errors[f"{code}.numerator"] = [
                _l("Le numérateur d'un pourcentage ne peut dépasser son dénominateur.")
            ]
            return None
    if indicator.unit is Unit.COUNT:
        denominator = None
    return {"numerator": numerator, "denominator": denominator,
            "missing_reason": reason, "comment": comment}  # fmt: skip


def snapshot(period: ReportingPeriod) -> Snapshot:
    return {
        str(v.indicator_id): [v.numerator, v.denominator, v.missing_reason]
        for v in values_of(period).values()
    }


def _event(
    period: ReportingPeriod, action: PeriodAction, at: datetime | None, **fields
) -> PeriodEvent:
    user = audit.current_actor()
    event = PeriodEvent(
        period_id=period.id,
        action=action,
        at=at or utcnow(),
        by_id=getattr(user, "id", None),
        by_email=getattr(user, "email", None),
        values=snapshot(period),
        **fields,
    )
    db.session.add(event)
    db.session.flush()
    audit.record(f"period_{action}", obj=period, details={"event": event.id})
    return event


def _require(period: ReportingPeriod, *allowed: PeriodStatus) -> None:
    if period.status not in allowed:
        raise DomainError.on("period", _l("Cette action n'est pas possible dans l'état actuel "
                                          "de la période."))  # fmt: skip


@for_tenant
def submit(tenant: Tenant, period: ReportingPeriod, at: datetime | None = None) -> PeriodEvent:
    """Every indicator of the period has a value or a reason for its absence. `at`, when the
    step happened earlier (a history taken over from spreadsheets), defaults to now."""
    _require(period, *EDITABLE)
    values = values_of(period)
    lacking = [i.code for i in indicators_of(period) if i.id not in values]
    if lacking:
        raise DomainError({code: [_l("Valeur manquante : saisissez-la ou indiquez pourquoi "
                                     "elle ne peut être donnée.")] for code in lacking})  # fmt: skip
    period.status = PeriodStatus.SUBMITTED
    period.submitted_at = period.submitted_at or at or utcnow()  # timeliness: the first one
    return _event(period, PeriodAction.SUBMIT, at)


@for_tenant
def validate(tenant: Tenant, period: ReportingPeriod, at: datetime | None = None) -> PeriodEvent:
    _require(period, PeriodStatus.SUBMITTED)
    period.status = PeriodStatus.VALIDATED
    period.validated_at = at or utcnow()
    event = _event(period, PeriodAction.VALIDATE, at)
    earnings.settle(tenant)  # the variable part of a year whose values are now all there
    return event


@for_tenant
def send_back(
    tenant: Tenant, period: ReportingPeriod, comments: Mapping[int, str], at: datetime | None = None
) -> PeriodEvent:
    """Back to the CPTS with a comment on each value to look at again (at least one)."""
    _require(period, PeriodStatus.SUBMITTED)
    codes = {i.id: i.code for i in indicators_of(period)}
    clean = {k: (v or "").strip() for k, v in comments.items() if (v or "").strip()}
    errors = {}
    for indicator_id, text in clean.items():
        if indicator_id not in codes:
            errors[f"indicator.{indicator_id}"] = [_l("Indicateur inconnu pour cette période.")]
        elif problem := patient_detail_problem(text):
            errors[codes[indicator_id]] = [problem]
    if not clean:
        errors["comments"] = [_l("Commentez au moins une valeur à revoir.")]
    if errors:
        raise DomainError(errors)
    period.status = PeriodStatus.SENT_BACK
    by_id = {str(k): v for k, v in clean.items()}
    return _event(period, PeriodAction.SEND_BACK, at, comments=by_id)


@for_tenant
def reopen(tenant: Tenant, period: ReportingPeriod, reason: str) -> PeriodEvent:
    """A validated period opened again for correction (an ARS decision, with its reason)."""
    _require(period, PeriodStatus.VALIDATED)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.on("reason", _l("Indiquez pourquoi la période est rouverte."))
    period.status = PeriodStatus.SENT_BACK
    period.validated_at = None
    event = _event(period, PeriodAction.REOPEN, None, reason=reason)
    earnings.settle(tenant)  # a year that loses a validated value is no longer settled
    return event


def trail(period: ReportingPeriod) -> list[PeriodEvent]:
    return list(
        db.session.scalars(
            select(PeriodEvent).filter_by(period_id=period.id).order_by(PeriodEvent.id)
        )
    )


@dataclass(frozen=True)
class Change:
    indicator_id: int
    before: Measure | None
    after: Measure | None


def _measure(row: list | None) -> Measure | None:
    return Measure(*row) if row is not None else None


def changes_since_review(period: ReportingPeriod) -> list[Change]:
    """What the latest submission changed since the one before it (or the last validation):
    what a reviewer looks at again. Empty for a first submission."""
    events = trail(period)
    submissions = [e for e in events if e.action is PeriodAction.SUBMIT]
    if len(submissions) < 2:
        return []
    latest = submissions[-1]
    earlier = [e for e in events if e.id < latest.id
               and e.action in (PeriodAction.SUBMIT, PeriodAction.VALIDATE)]  # fmt: skip
    before, after = earlier[-1].values, latest.values
    return [
        Change(int(key), _measure(before.get(key)), _measure(after.get(key)))
        for key in sorted(set(before) | set(after), key=int)
        if before.get(key) != after.get(key)
    ]


@for_tenant
def get_period(tenant: Tenant, period_id: int) -> ReportingPeriod | None:
    return db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.id == period_id))


@for_tenant
def periods(tenant: Tenant) -> list[ReportingPeriod]:
    """Newest first."""
    order = (ReportingPeriod.starts_on.desc(), ReportingPeriod.kind)
    return list(db.session.scalars(select(ReportingPeriod).order_by(*order)))


def last_comments(events: list[PeriodEvent]) -> dict[int, str]:
    """The reviewer's comments of the last sending back, by indicator id (while they apply:
    until the next validation)."""
    for event in reversed(events):
        if event.action is PeriodAction.SEND_BACK:
            return {int(k): v for k, v in event.comments.items()}
        if event.action is PeriodAction.VALIDATE:
            return {}
    return {}
