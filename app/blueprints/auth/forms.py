"""Forms of the authentication pages (CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

REQUIRED = _l("Ce champ est obligatoire.")


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(
        _l("Mot de passe"), validators=[DataRequired(REQUIRED), Length(max=1024)]
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("Nouveau mot de passe"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        _l("Confirmer le nouveau mot de passe"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("new_password", _l("Les deux mots de passe diffèrent.")),
        ],
    )


class AcceptInvitationForm(FlaskForm):
    full_name = StringField(_l("Nom complet"), validators=[Length(max=200)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        _l("Confirmer le mot de passe"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("Les deux mots de passe diffèrent.")),
        ],
    )


class TokenForm(FlaskForm):
    name = StringField(
        _l("Nom du jeton"),
        validators=[Length(max=100)],
        description=_l("Pour vous y retrouver, par exemple : tableau de bord ARS"),
    )
    scope = SelectField(
        _l("Portée"),
        choices=[
            SelectChoice("read", _l("Lecture seule")),
            SelectChoice("write", _l("Lecture et écriture")),
        ],
        default="read",
    )
    days = IntegerField(_l("Validité (jours, 365 au plus)"), default=90)
