"""The health project: lifecycle dates, priorities, mission progress and actions, prevention
actions; what the forms and the API accept, with the French labels of their lists."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from app.i18n import N_
from app.models.aci import Mission
from app.models.member import Profession
from app.models.pathway import PathwayKind
from app.models.prevention import Theme
from app.models.project import ActionStatus
from app.schemas import BaseSchema

STEP_LABELS = {
    "letter_submitted_on": N_("Lettre d'intention déposée"),
    "letter_validated_on": N_("Lettre d'intention validée"),
    "project_submitted_on": N_("Projet de santé déposé"),
    "project_objection_on": N_("Objection de l'ARS au projet"),
    "project_validated_on": N_("Projet de santé validé par l'ARS"),
    "association_registered_on": N_("Association enregistrée (FINESS)"),
}
ACTION_STATUS_LABELS = {
    ActionStatus.PLANNED: N_("Prévue"),
    ActionStatus.IN_PROGRESS: N_("En cours"),
    ActionStatus.DONE: N_("Réalisée"),
    ActionStatus.ABANDONED: N_("Abandonnée"),
}
THEME_LABELS = {
    Theme.CANCER_SCREENING: N_("Dépistage des cancers"),
    Theme.SMOKING: N_("Tabac"),
    Theme.VACCINATION: N_("Vaccination"),
    Theme.DIABETES: N_("Diabète"),
    Theme.HEART_FAILURE: N_("Insuffisance cardiaque"),
    Theme.OTHER: N_("Autre thème"),
}
NOT_FUTURE = _l("Une date passée est attendue (pas dans le futur).")
TEXT = _l("Entre {min} et {max} caractères.")


def _past(day: date | None) -> None:
    if day is not None and day > date.today():
        raise ValidationError([NOT_FUTURE])


def _professions():
    return fields.List(
        fields.Enum(Profession, by_value=True), load_default=list, validate=validate.Length(max=20)
    )


class ProjectStepsSchema(BaseSchema):
    letter_submitted_on = fields.Date(load_default=None, allow_none=True, validate=_past)
    letter_validated_on = fields.Date(load_default=None, allow_none=True, validate=_past)
    project_submitted_on = fields.Date(load_default=None, allow_none=True, validate=_past)
    project_objection_on = fields.Date(load_default=None, allow_none=True, validate=_past)
    project_validated_on = fields.Date(load_default=None, allow_none=True, validate=_past)
    association_registered_on = fields.Date(load_default=None, allow_none=True, validate=_past)

    @validates_schema
    def _order(self, data: dict, **_kwargs) -> None:
        after = {
            "letter_validated_on": "letter_submitted_on",
            "project_submitted_on": "letter_submitted_on",
            "project_objection_on": "project_submitted_on",
            "project_validated_on": "project_submitted_on",
        }
        errors = {}
        for later, earlier in after.items():
            if data.get(later) and data.get(earlier) and data[later] < data[earlier]:
                errors[later] = [
                    _l("Cette étape ne peut précéder : %(step)s.", step=_l(STEP_LABELS[earlier]))
                ]
        if errors:
            raise ValidationError(errors)


class PrioritySchema(BaseSchema):
    text = fields.String(required=True, validate=validate.Length(min=3, max=300, error=TEXT))


class ProgressSchema(BaseSchema):
    started_on = fields.Date(load_default=None, allow_none=True, validate=_past)
    deployed_on = fields.Date(load_default=None, allow_none=True, validate=_past)

    @validates_schema
    def _order(self, data: dict, **_kwargs) -> None:
        if data.get("deployed_on") and not data.get("started_on"):
            raise ValidationError(
                {"started_on": [_l("Une mission déployée a démarré : datez son démarrage.")]}
            )
        if data.get("deployed_on") and data["deployed_on"] < data["started_on"]:
            raise ValidationError(
                {"deployed_on": [_l("Le déploiement ne peut précéder le démarrage.")]}
            )


class MissionActionSchema(BaseSchema):
    mission = fields.Enum(Mission, by_value=True, required=True)
    title = fields.String(required=True, validate=validate.Length(min=3, max=200, error=TEXT))
    description = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000, error=TEXT)
    )
    professions = _professions()
    due_on = fields.Date(load_default=None, allow_none=True)
    status = fields.Enum(ActionStatus, by_value=True, load_default=ActionStatus.PLANNED)


def _plausible(day: date) -> None:
    if not date(2015, 1, 1) <= day <= date.today() + timedelta(days=366):
        raise ValidationError([_l("Date hors des années couvertes (2015 à l'an prochain).")])


class PreventionActionSchema(BaseSchema):
    held_on = fields.Date(required=True, validate=_plausible)
    theme = fields.Enum(Theme, by_value=True, required=True)
    mission = fields.Enum(Mission, by_value=True, load_default=Mission.PREVENTION)
    description = fields.String(
        required=True, validate=validate.Length(min=3, max=2000, error=TEXT)
    )
    professions = _professions()
    people_reached = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=10_000_000, error=_l("Nombre positif attendu.")),
    )
    partners = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=500, error=TEXT)
    )


class PathwayInputSchema(BaseSchema):
    kind = fields.Enum(PathwayKind, by_value=True, required=True)
    name = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(min=3, max=200, error=TEXT))  # fmt: skip
    started_on = fields.Date(load_default=None, allow_none=True, validate=_plausible)
    professions = _professions()
    description = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000, error=TEXT)
    )
