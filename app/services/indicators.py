"""The indicators of a CPTS: from the platform's catalogue (comparable across CPTS) or written
by the CPTS (local, not compared). Their tiers per contract year are convention terms, changed
by amendment once the convention is signed (app.services.convention)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import DomainError
from app.extensions import db
from app.identifiers import patient_detail_problem
from app.models.aci import INDICATOR_CODE, MAX_YEARS, Mission, format_term
from app.models.indicator import DEFINITION_FIELDS, Indicator, IndicatorTemplate, PeriodKind
from app.models.targets import Aggregation, Direction, Tier, Unit, ordered
from app.schemas.convention import euros_to_cents
from app.services import audit, convention, earnings
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

CODE_FORMAT = _l("Code de 2 à 30 caractères : lettres minuscules, chiffres, « _ ».")
CHOICES = {"mission": Mission, "unit": Unit, "direction": Direction, "period": PeriodKind,
           "aggregation": Aggregation}  # fmt: skip


@for_tenant
def add_indicator(tenant: Tenant, data: Mapping) -> Indicator:
    """From a template (`template`: its code; the definition is the template's; `code` if the
    CPTS uses it more than once) or from scratch (every field of the definition). `baseline` is
    optional in both cases."""
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
            fields = {name: getattr(template, name) for name in DEFINITION_FIELDS}
            # Its own code when a CPTS uses a template twice (one per pathway, say).
            fields["code"] = str(data.get("code") or template.code)
            if not INDICATOR_CODE.fullmatch(fields["code"]):
                errors["code"] = [CODE_FORMAT]
    else:
        fields = definition(data, errors)
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


def definition(data: Mapping, errors: dict) -> dict:
    """A definition typed in a form (code, name, mission, unit, ...), its errors by field."""
    fields: dict = {}
    code = str(data.get("code") or "").strip().lower()
    if not INDICATOR_CODE.fullmatch(code):
        errors["code"] = [CODE_FORMAT]
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


def _tiers(rows: list[tuple[str, str]], direction: Direction, errors: dict) -> list[Tier]:
    """Tiers typed in a form (threshold, amount in euros), empty rows skipped."""
    tiers = []
    for n, (threshold_text, amount_text) in enumerate(rows, start=1):
        if not (threshold_text or "").strip() and not (amount_text or "").strip():
            continue
        threshold = _baseline(threshold_text, errors)
        if "baseline" in errors:
            errors[f"threshold_{n}"] = errors.pop("baseline")
        elif threshold is None or threshold.as_tuple().exponent < -3:  # type: ignore[operator]
            errors[f"threshold_{n}"] = [_l("Un seuil positif, trois décimales au plus.")]
        try:
            amount = euros_to_cents(amount_text)
            if amount <= 0:
                raise ValueError(amount_text)
        except ValueError:
            errors[f"amount_{n}"] = [_l("Un montant positif en euros.")]
            continue
        if threshold is not None and f"threshold_{n}" not in errors:
            tiers.append(Tier(threshold, amount))
    if not tiers and not errors:
        errors["tiers"] = [_l("Au moins un palier : un seuil et son montant.")]
    ladder = ordered(tiers, direction)
    if len({t.threshold for t in tiers}) < len(tiers):
        errors["tiers"] = [_l("Deux paliers ont le même seuil.")]
    elif any(a.amount_cents >= b.amount_cents for a, b in zip(ladder, ladder[1:], strict=False)):
        errors["tiers"] = [_l("Un palier plus exigeant rapporte davantage que le précédent.")]
    return ladder


@for_tenant
def set_tiers(
    tenant: Tenant,
    indicator: Indicator,
    year: int,
    rows: list[tuple[str, str]],
    amendment: Mapping | None = None,
) -> None:
    """The tiers of an indicator for a contract year, from the easiest to the most demanding.
    Until the convention's first amendment they are part of its original terms; after it, they
    change by an amendment (`amendment`: signed_on, effective_on, reason)."""
    errors: dict[str, list] = {}
    if not 1 <= year <= MAX_YEARS:
        errors["year"] = [_l("Année de contrat invalide.")]
    ladder = _tiers(rows, indicator.direction, errors)
    if errors:
        raise DomainError(errors)
    prefix = f"tier:{indicator.code}:{year}:"
    tiers = {f"{prefix}{n}": format_term(t) for n, t in enumerate(ladder, start=1)}
    record = convention.contract_record(tenant)
    if not record.has_convention:
        raise DomainError.on("tiers", _l("Saisissez d'abord la convention."))
    contract = convention.contract_of(tenant)
    if not record.amendments:
        original = contract.original
        kept = {k: original.get(k) for k in original.values if not k.startswith(prefix)}
        convention.save_convention(tenant, {
            "reference": record.reference,
            "signed_on": record.signed_on.isoformat() if record.signed_on else None,
            "starts_on": record.starts_on.isoformat() if record.starts_on else None,
            "terms": {**kept, **tiers},
        })  # fmt: skip
        earnings.settle(tenant)
        return
    current = contract.terms_on(date.max)
    before = [k for k in current.values if k.startswith(prefix)]
    if len(tiers) < len(before):
        raise DomainError.on("tiers", _l("Un avenant ne retire pas de palier : donnez-en au "
                                         "moins %(n)s.", n=len(before)))  # fmt: skip
    convention.record_amendment(tenant, {**(amendment or {}), "changes": tiers})
    earnings.settle(tenant)


@for_tenant
def get_indicator(tenant: Tenant, indicator_id: int) -> Indicator | None:
    return db.session.scalar(select(Indicator).where(Indicator.id == indicator_id))
