"""Forms of the health project, the convention and prevention pages. Fields only: the rules
live in the schemas and services, whose messages are put back on these fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Length, Optional

from app.blueprints.workspace.forms import choices
from app.models.aci import MISSION_LABELS
from app.schemas.member import PROFESSION_LABELS
from app.schemas.project import ACTION_STATUS_LABELS, STEP_LABELS, THEME_LABELS

PATIENT_WARNING = _l(
    "Aucune donnée de patient : ni nom, ni date de naissance, ni numéro de sécurité sociale, "
    "ni détail permettant de reconnaître une personne."
)


def DateField(label):  # noqa: N802 - a field factory, named like the fields it makes
    return StringField(label, render_kw={"type": "date"})


class ProfessionsField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _professions() -> ProfessionsField:
    return ProfessionsField(_l("Professions concernées"), choices=choices(PROFESSION_LABELS))


class ProjectStepsForm(FlaskForm):
    letter_submitted_on = DateField(_l(STEP_LABELS["letter_submitted_on"]))
    letter_validated_on = DateField(_l(STEP_LABELS["letter_validated_on"]))
    project_submitted_on = DateField(_l(STEP_LABELS["project_submitted_on"]))
    project_objection_on = DateField(_l(STEP_LABELS["project_objection_on"]))
    project_validated_on = DateField(_l(STEP_LABELS["project_validated_on"]))
    association_registered_on = DateField(_l(STEP_LABELS["association_registered_on"]))


class PriorityForm(FlaskForm):
    text = StringField(_l("Nouvelle priorité"), validators=[Length(max=300)])


class ProgressForm(FlaskForm):
    started_on = DateField(_l("Démarrée le"))
    deployed_on = DateField(_l("Entièrement déployée le"))


class MissionActionForm(FlaskForm):
    title = StringField(_l("Intitulé"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    professions = _professions()
    due_on = DateField(_l("Échéance"))
    status = SelectField(_l("État"), choices=choices(ACTION_STATUS_LABELS))


class ConventionForm(FlaskForm):
    reference = StringField(_l("Référence de la convention"), validators=[Length(max=60)])
    signed_on = DateField(_l("Date de signature"))
    starts_on = DateField(_l("Date de début"))


class AmendmentForm(FlaskForm):
    number = IntegerField(_l("Numéro de l'avenant"), validators=[Optional()])
    signed_on = DateField(_l("Signé le"))
    effective_on = DateField(_l("Prend effet le"))
    reason = TextAreaField(_l("Objet de l'avenant"), validators=[Length(max=1000)])


class TerminationForm(FlaskForm):
    signed_on = DateField(_l("Décision du"))
    effective_on = DateField(_l("Prend effet le"))
    reason = TextAreaField(_l("Motif"), validators=[Length(max=1000)])


class PaymentForm(FlaskForm):
    received_on = DateField(_l("Reçu le"))
    amount = StringField(_l("Montant (euros)"), validators=[Length(max=30)])
    due_key = SelectField(_l("Échéance réglée"), choices=[], validate_choice=False)
    note = StringField(_l("Note"), validators=[Length(max=200)])


class PreventionForm(FlaskForm):
    held_on = DateField(_l("Date"))
    theme = SelectField(_l("Thème"), choices=choices(THEME_LABELS, _l("— choisir —")))
    mission = SelectField(_l("Mission"), choices=choices(MISSION_LABELS))
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    professions = _professions()
    people_reached = StringField(_l("Personnes touchées"), validators=[Length(max=12)])
    partners = StringField(_l("Partenaires"), validators=[Length(max=500)])
