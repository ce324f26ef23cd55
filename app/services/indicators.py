"""The indicators of a CPTS: from the platform's catalogue (comparable across CPTS) or written
by the CPTS (local, not compared). Their tiers per contract year are convention terms, changed
by amendment once the convention is signed (app.services.convention)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import DomainError
from app.extensions import db
from app.identifiers import patient_detail_problem
from app.models.aci import INDICATOR_CODE, Mission
from app.models.indicator import Indicator, IndicatorTemplate, PeriodKind
from app.models.targets import Aggregation, Direction, Unit
from app.services import audit
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

DEFINITION = ("name", "mission", "unit", "direction", "period", "aggregation", "definition",
              "evidence")  # fmt: skip
CHOICES = {"mission": Mission, "unit": Unit, "direction": Direction, "period": PeriodKind,
           "aggregation": Aggregation}  # fmt: skip


@for_tenant
def add_indicator(tenant: Tenant, data: Mapping) -> Indicator:
    """From a template (`template`: its code; the definition is the template's) or from scratch
    (every field of the definition). `baseline` is optional in both cases."""
    errors: dict[str, list] = {}
    fields: dict = {}
    template = None
    if data.get("template"):
        template = db.session.scalar(
            select(IndicatorTemplate).filter_by(code=str(data["template"]))
        )
        if template is None:
            errors["template"] = [_l("Modèle inconnu du catalogue.")]
        else:
            fields = {name: getattr(template, name) for name in DEFINITION}
            fields["code"] = template.code
    else:
        fields = _definition(data, errors)
    fields["baseline"] = _baseline(data.get("baseline"), errors)
    code = fields.get("code")
    if code and db.session.scalar(select(Indicator.id).filter_by(code=code)) is not None:
        errors["code"] = [_l("Cette CPTS a déjà un indicateur de ce code.")]
    if errors:
        raise DomainError(errors)
    indicator = Indicator(template_id=template.id if template else None, **fields)
    db.session.add(indicator)
    db.session.flush()
    audit.record("indicator_added", obj=indicator, details={"code": indicator.code})
    return indicator


def _definition(data: Mapping, errors: dict) -> dict:
    fields: dict = {}
    code = str(data.get("code") or "").strip().lower()
    if not INDICATOR_CODE.fullmatch(code):
        errors["code"] = [_l("Code de 2 à 30 caractères : lettres minuscules, chiffres, « _ ».")]
    fields["code"] = code
    name = str(data.get("name") or "").strip()
    if not 2 <= len(name) <= 200:
        errors["name"] = [_l("Nom de 2 à 200 caractères.")]
    fields["name"] = name
    for field, choices in CHOICES.items():
        try:
            fields[field] = choices(str(data.get(field)))
        except ValueError:
            errors[field] = [_l("Choix invalide.")]
    for field in ("definition", "evidence"):
        text = str(data.get(field) or "").strip()
        if problem := patient_detail_problem(text):
            errors[field] = [problem]
        fields[field] = text
    return fields


def _baseline(raw: object, errors: dict) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value >= 10**11:
        errors["baseline"] = [_l("Un nombre positif est attendu.")]
        return None
    return value


@for_tenant
def indicators(tenant: Tenant) -> list[Indicator]:
    return list(db.session.scalars(select(Indicator).order_by(Indicator.mission, Indicator.code)))
