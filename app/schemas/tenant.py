"""A CPTS: its registry data as it is accepted (CLI, forms, API), and as its readers receive it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates

from app.i18n import N_
from app.identifiers import finess_problem, siren_problem
from app.schemas import BaseSchema
from app.tenants.models import Stage

STAGE_LABELS = {
    Stage.EMERGENCE: N_("Émergence"),
    Stage.LETTER_OF_INTENT: N_("Lettre d'intention"),
    Stage.PROJECT_SUBMITTED: N_("Projet de santé déposé"),
    Stage.PROJECT_VALIDATED: N_("Projet de santé validé"),
    Stage.ACI_SIGNED: N_("ACI signé"),
    Stage.TERMINATED: N_("Terminée"),
}
SLUG = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    error=_l("L'identifiant ne peut contenir que des minuscules, des chiffres et des tirets."),
)
# What the CPTS's own users may change on its registry data.
EDITABLE = (
    "name",
    "declared_stage",
    "finess",
    "siren",
    "seat_commune_code",
    "contact_email",
    "contact_phone",
)


class TenantSchema(BaseSchema):
    """Registry data of a CPTS, validated the same way wherever it comes from."""

    id = fields.Integer(dump_only=True)
    slug = fields.String(
        required=True,
        validate=[
            validate.Length(
                min=2,
                max=60,
                error=_l("L'identifiant doit comporter entre {min} et {max} caractères."),
            ),
            SLUG,
        ],
    )
    name = fields.String(
        required=True,
        validate=validate.Length(
            min=3, max=200, error=_l("Le nom doit comporter entre {min} et {max} caractères.")
        ),
    )
    region_code = fields.String(
        load_default=None, validate=validate.Length(max=3, error=_l("Code de région invalide."))
    )
    declared_stage = fields.Enum(Stage, by_value=True, load_default=Stage.EMERGENCE)
    finess = fields.String(load_default=None, allow_none=True)
    siren = fields.String(load_default=None, allow_none=True)
    seat_commune_code = fields.String(load_default=None, allow_none=True)
    contact_email = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Email(error=_l("Adresse e-mail invalide.")),
    )
    contact_phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(
            max=30, error=_l("Le téléphone ne peut dépasser {max} caractères.")
        ),
    )
    fictitious = fields.Boolean(load_default=False)

    @validates("finess")
    def _finess(self, value: str | None, **_kwargs) -> None:
        if value and (problem := finess_problem(value)):
            raise ValidationError([problem])

    @validates("siren")
    def _siren(self, value: str | None, **_kwargs) -> None:
        if value and (problem := siren_problem(value)):
            raise ValidationError([problem])


class CommuneSchema(Schema):
    code = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    population = fields.Integer(dump_only=True)
    epci_siren = fields.String(dump_only=True, allow_none=True)


class TenantFactsSchema(Schema):
    """What a reader of the CPTS (its users, its ARS, its CPAM) receives from the API."""

    slug = fields.String(attribute="tenant.slug", dump_only=True)
    name = fields.String(attribute="tenant.name", dump_only=True)
    region = fields.String(attribute="tenant.region_code", dump_only=True)
    department = fields.String(attribute="tenant.department_code", dump_only=True, allow_none=True)
    stage = fields.Enum(
        Stage, by_value=True, dump_only=True, metadata={"description": "derived from the dates"}
    )
    population = fields.Integer(attribute="tenant.population", dump_only=True)
    size_class = fields.String(attribute="tenant.size_class", dump_only=True)
    finess = fields.String(attribute="tenant.finess", dump_only=True, allow_none=True)
    siren = fields.String(attribute="tenant.siren", dump_only=True, allow_none=True)
    member_count = fields.Integer(dump_only=True)
    communes = fields.List(fields.Nested(CommuneSchema), dump_only=True)


class TenantSummarySchema(Schema):
    """A CPTS in a list (the API's /tenants)."""

    slug = fields.String(attribute="tenant.slug", dump_only=True)
    name = fields.String(attribute="tenant.name", dump_only=True)
    region = fields.String(attribute="tenant.region_code", dump_only=True)
    department = fields.String(attribute="tenant.department_code", dump_only=True, allow_none=True)
    stage = fields.Enum(
        Stage, by_value=True, dump_only=True, metadata={"description": "derived from the dates"}
    )
    population = fields.Integer(attribute="tenant.population", dump_only=True)
    size_class = fields.String(attribute="tenant.size_class", dump_only=True)
    fictitious = fields.Boolean(attribute="tenant.fictitious", dump_only=True)
    member_count = fields.Integer(dump_only=True)
