"""Validation of a CPTS's registry data (CLI, forms and API share it); messages in French."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from app.i18n import N_
from app.identifiers import finess_problem, siren_problem
from app.tenants.models import Stage

SLUG = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    error="L'identifiant ne peut contenir que des minuscules, des chiffres et des tirets.",
)
STAGE_LABELS = {
    Stage.EMERGENCE: N_("Émergence"),
    Stage.LETTER_OF_INTENT: N_("Lettre d'intention"),
    Stage.PROJECT_SUBMITTED: N_("Projet de santé déposé"),
    Stage.PROJECT_VALIDATED: N_("Projet de santé validé"),
    Stage.ACI_SIGNED: N_("ACI signé"),
    Stage.TERMINATED: N_("Terminée"),
}


class TenantSchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(
        required=True,
        validate=[
            validate.Length(
                min=2, max=60, error="L'identifiant doit comporter entre {min} et {max} caractères."
            ),
            SLUG,
        ],
    )
    name = fields.String(
        required=True,
        validate=validate.Length(
            min=3, max=200, error="Le nom doit comporter entre {min} et {max} caractères."
        ),
    )
    region_code = fields.String(
        load_default=None, validate=validate.Length(max=3, error="Code de région invalide.")
    )
    stage = fields.Enum(Stage, by_value=True, load_default=Stage.EMERGENCE)
    finess = fields.String(load_default=None, allow_none=True)
    siren = fields.String(load_default=None, allow_none=True)
    seat_commune_code = fields.String(load_default=None, allow_none=True)
    contact_email = fields.Email(
        load_default=None, allow_none=True, error_messages={"invalid": "Adresse e-mail invalide."}
    )
    contact_phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=30, error="Le téléphone ne peut dépasser {max} caractères."),
    )
    fictitious = fields.Boolean(load_default=False)

    @validates("finess")
    def _finess(self, value: str | None, **_kwargs) -> None:
        if value and (problem := finess_problem(value)):
            raise ValidationError(problem)

    @validates("siren")
    def _siren(self, value: str | None, **_kwargs) -> None:
        if value and (problem := siren_problem(value)):
            raise ValidationError(problem)


REQUIRED_MESSAGE = "Ce champ est obligatoire."
for _field in TenantSchema._declared_fields.values():
    _field.error_messages["required"] = REQUIRED_MESSAGE
