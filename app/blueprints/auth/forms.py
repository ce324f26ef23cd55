"""Forms of the authentication pages (CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

REQUIRED = "Ce champ est obligatoire."


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[DataRequired(REQUIRED), Length(max=1024)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Mot de passe actuel", validators=[DataRequired(REQUIRED)])
    new_password = PasswordField("Nouveau mot de passe", validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        "Confirmer le nouveau mot de passe",
        validators=[DataRequired(REQUIRED), EqualTo("new_password", "Les deux mots de passe diffèrent.")],
    )


class AcceptInvitationForm(FlaskForm):
    full_name = StringField("Nom complet", validators=[Length(max=200)])
    password = PasswordField("Mot de passe", validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        "Confirmer le mot de passe",
        validators=[DataRequired(REQUIRED), EqualTo("password", "Les deux mots de passe diffèrent.")],
    )


class ExistingAccountForm(FlaskForm):
    """Accepting an invitation with an account that already exists: prove it is yours."""

    password = PasswordField("Mot de passe de votre compte", validators=[DataRequired(REQUIRED)])
