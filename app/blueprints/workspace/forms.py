"""Forms of the CPTS workspace."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.models.user import Role
from app.schemas.member import BOARD_LABELS, MODE_LABELS, PLACE_LABELS, PROFESSION_LABELS

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
    declared_stage = SelectField(
        _l("Étape"),
        description=_l(
            "Utilisée tant qu'aucune date du projet de santé ni de la convention n'est saisie ; "
            "ensuite, l'étape se déduit des dates."
        ),
    )
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


def choices(labels: dict, empty=None) -> list[SelectChoice]:
    """Choices of a controlled list, labels translated when the form is drawn."""
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(key.value, _l(label)) for key, label in labels.items()]


class MemberForm(FlaskForm):
    """A member's fields; the rules (RPPS, dates, commune) live in the member schema."""

    last_name = StringField(_l("Nom"), validators=[Length(max=100)])
    first_name = StringField(_l("Prénom"), validators=[Length(max=100)])
    profession = SelectField(
        _l("Profession"), choices=choices(PROFESSION_LABELS, _l("— choisir —"))
    )
    rpps = StringField(
        _l("RPPS"),
        validators=[Length(max=20)],
        description=_l("11 chiffres (facultatif pour les professions sans RPPS)"),
    )
    exercise_mode = SelectField(
        _l("Mode d'exercice"), choices=choices(MODE_LABELS, _l("— non renseigné —"))
    )
    place = SelectField(
        _l("Lieu d'exercice"), choices=choices(PLACE_LABELS, _l("— non renseigné —"))
    )
    practice_commune_code = StringField(
        _l("Commune d'exercice (code INSEE)"),
        validators=[Length(max=10)],
        description=_l("Par exemple 11262 pour Narbonne"),
    )
    email = EmailField(_l("E-mail professionnel"), validators=[Length(max=254)])
    board_role = SelectField(_l("Rôle au bureau"), choices=choices(BOARD_LABELS, _l("— aucun —")))
    joined_on = StringField(_l("Date d'adhésion"), render_kw={"type": "date"})
    left_on = StringField(_l("Date de départ"), render_kw={"type": "date"})


class DateForm(FlaskForm):
    """One date: a departure, or a return."""

    day = StringField(_l("Date"), render_kw={"type": "date"})


class EraseForm(FlaskForm):
    confirm = BooleanField(_l("Je confirme l'effacement définitif des données de ce membre"))


class ImportForm(FlaskForm):
    file = FileField(_l("Fichier (CSV ou XLSX, 5 Mo au plus)"))


class ConfirmImportForm(FlaskForm):
    mode = RadioField(
        _l("Que faut-il importer ?"),
        choices=[
            SelectChoice("valid", _l("Les lignes valides (les lignes en erreur sont ignorées)")),
            SelectChoice("all", _l("Tout ou rien : rien, s'il reste une seule ligne en erreur")),
        ],
        default="valid",
    )
