"""Care pathways of a CPTS: added from the list or custom; each comes with its outcome
indicators (patients included, and the catalogue's measures of that pathway), reported and
reviewed in the periods like every indicator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import DomainError
from app.extensions import db
from app.models.indicator import Indicator, IndicatorTemplate, IndicatorValue, ReportingPeriod
from app.models.pathway import PATHWAY_LABELS, Pathway, PathwayKind
from app.models.targets import Measure
from app.schemas import validated
from app.schemas.project import PathwayInputSchema
from app.services import audit
from app.services.indicators import add_indicator
from app.services.project import check_texts
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

INCLUDED = "parcours_inclus"  # every pathway counts the patients it includes


@for_tenant
def pathways(tenant: Tenant) -> list[Pathway]:
    return list(db.session.scalars(select(Pathway).order_by(Pathway.started_on, Pathway.id)))


@for_tenant
def get_pathway(tenant: Tenant, pathway_id: int) -> Pathway | None:
    return db.session.scalar(select(Pathway).where(Pathway.id == pathway_id))


@for_tenant
def add_pathway(tenant: Tenant, data: Mapping) -> Pathway:
    clean = validated(PathwayInputSchema(), data)
    if clean["kind"] is PathwayKind.CUSTOM and not clean["name"]:
        raise DomainError.on("name", _l("Nommez le parcours."))
    check_texts(clean, "name", "description")
    label = PATHWAY_LABELS[clean["kind"]]
    pathway = Pathway(
        kind=clean["kind"],
        name=clean["name"] or gettext(label),
        started_on=clean["started_on"],
        professions=sorted(p.value for p in clean["professions"]),
        description=clean["description"],
    )
    db.session.add(pathway)
    db.session.flush()
    templates = db.session.scalars(
        select(IndicatorTemplate).where(
            (IndicatorTemplate.pathway == pathway.kind.value) | (IndicatorTemplate.code == INCLUDED)
        )
    )
    for template in templates:
        indicator = add_indicator(
            tenant, {"template": template.code, "code": f"{template.code}_p{pathway.id}"[:30]}
        )
        indicator.pathway_id = pathway.id
        indicator.name = f"{template.name} — {pathway.name}"[:200]
    db.session.flush()
    audit.record("pathway_added", obj=pathway, details={"kind": pathway.kind.value})
    return pathway


@for_tenant
def outcomes(tenant: Tenant, pathway: Pathway) -> list[Indicator]:
    query = select(Indicator).where(Indicator.pathway_id == pathway.id).order_by(Indicator.code)
    return list(db.session.scalars(query))


@for_tenant
def all_outcomes(tenant: Tenant) -> list[Indicator]:
    """The outcome indicators of every pathway (one query)."""
    query = select(Indicator).where(Indicator.pathway_id.is_not(None))
    return list(db.session.scalars(query.order_by(Indicator.pathway_id, Indicator.code)))


@dataclass(frozen=True)
class OutcomeRow:
    period: ReportingPeriod
    measures: dict[int, Measure]  # by indicator id


@for_tenant
def outcome_rows(tenant: Tenant, indicators: list[Indicator]) -> list[OutcomeRow]:
    """Each period holding a value of these indicators, oldest first (two queries)."""
    ids = [i.id for i in indicators]
    if not ids:
        return []
    values = list(
        db.session.scalars(select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids)))
    )
    period_ids = {v.period_id for v in values}
    periods = db.session.scalars(
        select(ReportingPeriod)
        .where(ReportingPeriod.id.in_(period_ids))
        .order_by(ReportingPeriod.starts_on)
    )
    by_period: dict[int, dict[int, Measure]] = {}
    for v in values:
        by_period.setdefault(v.period_id, {})[v.indicator_id] = Measure(
            v.numerator, v.denominator, v.missing_reason
        )
    return [OutcomeRow(p, by_period.get(p.id, {})) for p in periods]
