"""Forms of the CPTS workspace."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.models.user import Role

ROLE_LABELS = {
    Role.PRESIDENT.value: _l("Président·e (administration de la CPTS)"),
    Role.COORDINATOR.value: _l("Coordinateur·rice (saisie des données)"),
    Role.VIEWER.value: _l("Lecteur·rice (consultation)"),
}


REQUIRED = _l("Ce champ est obligatoire.")


class InviteForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    role = SelectField(
        _l("Rôle"),
        choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
        default=Role.COORDINATOR.value,
    )


class TerritoryAddForm(FlaskForm):
    communes = StringField(
        _l("Communes à ajouter (codes INSEE)"),
        validators=[Length(max=2000)],
        description=_l("Séparés par des virgules ou des espaces, par exemple : 34003, 34031"),
    )
    epci = StringField(
        _l("Ou un EPCI entier (SIREN)"),
        validators=[Length(max=200)],
        description=_l("Toutes les communes de l'intercommunalité, par exemple : 241100593"),
    )


class IdentityForm(FlaskForm):
    """The CPTS's registry data; domain rules (FINESS, SIREN, uniqueness) live in TenantSchema."""

    name = StringField(_l("Nom de la CPTS"), validators=[DataRequired(REQUIRED), Length(max=200)])
    stage = SelectField(_l("Étape"))
    finess = StringField(
        _l("FINESS"), description=_l("9 caractères, commençant par le département")
    )
    siren = StringField(_l("SIREN"), description=_l("9 chiffres"))
    seat_commune_code = SelectField(_l("Commune du siège"))
    contact_email = EmailField(_l("E-mail de contact"), validators=[Length(max=254)])
    contact_phone = StringField(_l("Téléphone"), validators=[Length(max=30)])


class ReattachForm(FlaskForm):
    """The department of attachment decides which CPAM follows the CPTS (ARS or admin only)."""

    department_code = SelectField(_l("Département de rattachement"))
