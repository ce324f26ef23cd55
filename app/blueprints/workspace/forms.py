"""Forms of the CPTS workspace."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.models.user import Role

ROLE_LABELS = {
    Role.PRESIDENT.value: "Président·e (administration de la CPTS)",
    Role.COORDINATOR.value: "Coordinateur·rice (saisie des données)",
    Role.VIEWER.value: "Lecteur·rice (consultation)",
}


class InviteForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail", validators=[DataRequired("Ce champ est obligatoire."), Length(max=254)]
    )
    role = SelectField(
        "Rôle",
        choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
        default=Role.COORDINATOR.value,
    )


class TerritoryAddForm(FlaskForm):
    communes = StringField(
        "Communes à ajouter (codes INSEE)", validators=[Length(max=2000)],
        description="Séparés par des virgules ou des espaces, par exemple : 34003, 34031",
    )
    epci = StringField(
        "Ou un EPCI entier (SIREN)", validators=[Length(max=200)],
        description="Toutes les communes de l'intercommunalité, par exemple : 241100593",
    )
