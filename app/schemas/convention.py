"""The convention: what is accepted (its terms, an amendment, a termination, a received payment)
and what its readers receive, with the French labels of its statuses and payments."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from app.i18n import N_
from app.models.aci import MAX_CENTS, Mission
from app.models.contract import ConventionStatus, DueKind, MissionStatus
from app.schemas import BaseSchema
from app.tenants.models import Stage

STATUS_LABELS = {
    ConventionStatus.NONE: N_("Pas de convention"),
    ConventionStatus.DRAFT: N_("En préparation"),
    ConventionStatus.SIGNED: N_("Signée, pas encore en vigueur"),
    ConventionStatus.IN_FORCE: N_("En vigueur"),
    ConventionStatus.AMENDED: N_("En vigueur, avenantée"),
    ConventionStatus.TERMINATED: N_("Résiliée"),
    ConventionStatus.EXPIRED: N_("Échue"),
}
MISSION_STATUS_LABELS = {
    MissionStatus.ON_TIME: N_("Dans les délais"),
    MissionStatus.AT_RISK: N_("Échéance proche"),
    MissionStatus.LATE: N_("En retard"),
    MissionStatus.DEPLOYED: N_("Déployée"),
    MissionStatus.NOT_INCLUDED: N_("Non retenue"),
}
DUE_LABELS = {
    DueKind.RUNNING: N_("Budget de fonctionnement"),
    DueKind.ADVANCE: N_("Avance sur la part fixe (75 %)"),
    DueKind.BALANCE: N_("Solde de la part fixe"),
    DueKind.VARIABLE: N_("Part variable (après la revue annuelle)"),
}
TERM_LABELS = {
    "end_on": N_("Date de fin"),
    "running": N_("Budget de fonctionnement"),
    "fixed": N_("Part fixe"),
    "variable": N_("Part variable"),
    "conditional": N_("Part conditionnelle (crise déclarée)"),
    "included": N_("Mission retenue"),
    "start_months": N_("Délai de démarrage (mois)"),
    "deploy_months": N_("Délai de déploiement (mois)"),
    "tier": N_("Palier d'indicateur"),
}
DATE_FORMAT = _l("Date invalide : attendue au format AAAA-MM-JJ.")


def euros_to_cents(text: str) -> int:
    """An amount typed in euros ("380 000", "1 234,56 €", "1234.5") in cents; ValueError when
    it is not one, or negative, or beyond MAX_CENTS."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text or "").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise ValueError(text)
    cents = int((Decimal(cleaned) * 100).to_integral_value())
    if cents > MAX_CENTS:
        raise ValueError(text)
    return cents


def euros(cents: int | None) -> str:
    """An amount as people read it: "380 000,00 €"."""
    if cents is None:
        return "—"
    whole, rest = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"
    return "-" + text if cents < 0 else text


def cents_to_euros(cents: int | None) -> str:
    """The amount as typed back into a form: "380000" or "1234,56"."""
    if cents is None:
        return ""
    whole, rest = divmod(cents, 100)
    return f"{whole},{rest:02d}" if rest else str(whole)


class ConventionInputSchema(BaseSchema):
    """The convention as signed: reference, dates, and its original terms by key."""

    reference = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    signed_on = fields.Date(load_default=None, allow_none=True)
    starts_on = fields.Date(load_default=None, allow_none=True)
    terms = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=dict)


class AmendmentInputSchema(BaseSchema):
    number = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=999)
    )
    signed_on = fields.Date(required=True)
    effective_on = fields.Date(required=True)
    reason = fields.String(
        required=True,
        validate=validate.Length(min=3, max=1000, error=_l("Entre {min} et {max} caractères.")),
    )
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        required=True,
        metadata={
            "description": "term key -> new value: ISO date (end_on), cents (running:<year>, "
            "fixed:<mission>:<year>, variable:<mission>:<year>, conditional:<year>), boolean "
            "(included:<mission>), months (start_months:<mission>, deploy_months:<mission>), "
            'tier of an indicator (tier:<code>:<year>:<n>, n from 1 to 5): "<threshold>=<cents>"'
        },
    )


class TerminationInputSchema(BaseSchema):
    signed_on = fields.Date(required=True, metadata={"description": "date of the decision"})
    effective_on = fields.Date(required=True)
    reason = fields.String(
        required=True,
        validate=validate.Length(min=3, max=1000, error=_l("Entre {min} et {max} caractères.")),
    )


class PaymentInputSchema(BaseSchema):
    received_on = fields.Date(required=True)
    amount_cents = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(
            min=1, max=MAX_CENTS, error=_l("Montant en centimes, entre {min} et {max}.")
        ),
    )
    due_key = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


# -- what readers receive (the API)


class ChangeSchema(Schema):
    key = fields.String()
    before = fields.String(allow_none=True)
    after = fields.String()


class AmendmentSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    termination = fields.Boolean()
    signed_on = fields.Date()
    effective_on = fields.Date()
    reason = fields.String()
    created_by = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    changes = fields.List(fields.Nested(ChangeSchema))


class MissionStateSchema(Schema):
    mission = fields.Enum(Mission, by_value=True)
    included = fields.Boolean()
    start_due = fields.Date(allow_none=True)
    deploy_due = fields.Date(allow_none=True)
    started_on = fields.Date(allow_none=True)
    deployed_on = fields.Date(allow_none=True)
    status = fields.Enum(MissionStatus, by_value=True, allow_none=True)


class DuePaymentSchema(Schema):
    key = fields.String()
    kind = fields.Enum(DueKind, by_value=True)
    year = fields.Integer()
    due_on = fields.Date()
    amount_cents = fields.Integer(attribute="amount", allow_none=True)
    mission = fields.Enum(Mission, by_value=True, allow_none=True)


class ReceiptSchema(Schema):
    id = fields.Integer(allow_none=True)
    received_on = fields.Date()
    amount_cents = fields.Integer(attribute="amount")
    due_key = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class MoneyYearSchema(Schema):
    year = fields.Integer(metadata={"description": "contract year; 0 for the total"})
    planned_cents = fields.Integer(attribute="planned")
    conditional_cents = fields.Integer(attribute="conditional")
    due_cents = fields.Integer(attribute="due")
    received_cents = fields.Integer(attribute="received")
    gap_cents = fields.Integer(attribute="gap")


class RepaymentSchema(Schema):
    year = fields.Integer()
    earned_cents = fields.Integer(attribute="earned")
    received_cents = fields.Integer(attribute="received")
    amount_cents = fields.Integer(attribute="amount")


class ConventionSchema(Schema):
    """One CPTS's convention as its readers receive it."""

    stage = fields.Enum(Stage, by_value=True)
    status = fields.Enum(ConventionStatus, by_value=True)
    reference = fields.String(allow_none=True)
    signed_on = fields.Date(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    end_on = fields.Date(allow_none=True)
    parties = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    terms = fields.Dict(keys=fields.String(), values=fields.String())
    missions = fields.List(fields.Nested(MissionStateSchema))
    money = fields.List(fields.Nested(MoneyYearSchema))
    schedule = fields.List(fields.Nested(DuePaymentSchema))
    payments = fields.List(fields.Nested(ReceiptSchema))
    amendments = fields.List(fields.Nested(AmendmentSchema))
    repayment = fields.Nested(RepaymentSchema, allow_none=True)


class FundingSchema(Schema):
    planned_cents = fields.Integer()
    due_cents = fields.Integer()
    received_cents = fields.Integer()


class ConventionStatusSchema(Schema):
    """One CPTS in the convention-status list (the export's row)."""

    slug = fields.String()
    name = fields.String()
    finess = fields.String(allow_none=True)
    siren = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    region = fields.String()
    population = fields.Integer()
    size_class = fields.String()
    stage = fields.String(validate=validate.OneOf([s.value for s in Stage]))
    reference = fields.String(allow_none=True)
    signed_on = fields.Date(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    end_on = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf([s.value for s in ConventionStatus]))
    amendments = fields.Integer()
    missions = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    current_year = fields.Integer(allow_none=True)
    funding_current_year = fields.Nested(FundingSchema, allow_none=True)
    funding_total = fields.Nested(FundingSchema, allow_none=True)


class ConventionQuerySchema(BaseSchema):
    """Filters of the convention-status list, as on the CPAM page."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    status = fields.Enum(ConventionStatus, by_value=True, load_default=None)
    department = fields.String(load_default=None, validate=validate.Length(max=3))
    size_class = fields.String(load_default=None, validate=validate.OneOf(["T1", "T2", "T3", "T4"]))
    alert = fields.String(
        load_default=None,
        validate=validate.OneOf(["late", "at_risk", "any"]),
        metadata={"description": "missions late, at risk, or either"},
    )
    signed_year = fields.Integer(load_default=None, validate=validate.Range(min=2015, max=2100))
