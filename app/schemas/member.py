"""A member of a CPTS: what the forms, the import and the API accept, and what the API returns.

Only the CPTS's own users receive members (names and RPPS are personal data); the funders see
counts (growth) only.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from app.i18n import N_
from app.models.member import BoardRole, ExerciseMode, Place, Profession
from app.schemas import BaseSchema
from app.schemas.envelope import PageArgsSchema

PROFESSION_LABELS = {
    Profession.GP: N_("Médecin généraliste"),
    Profession.SPECIALIST: N_("Médecin spécialiste"),
    Profession.NURSE: N_("Infirmier·ère"),
    Profession.PHARMACIST: N_("Pharmacien·ne"),
    Profession.PHYSIO: N_("Masseur-kinésithérapeute"),
    Profession.DENTIST: N_("Chirurgien·ne-dentiste"),
    Profession.MIDWIFE: N_("Sage-femme"),
    Profession.SPEECH: N_("Orthophoniste"),
    Profession.ORTHOPTIST: N_("Orthoptiste"),
    Profession.PODIATRIST: N_("Pédicure-podologue"),
    Profession.OCCUPATIONAL: N_("Ergothérapeute"),
    Profession.PSYCHOMOTOR: N_("Psychomotricien·ne"),
    Profession.DIETICIAN: N_("Diététicien·ne"),
    Profession.PSYCHOLOGIST: N_("Psychologue"),
    Profession.BIOLOGIST: N_("Biologiste"),
    Profession.AMBULANCE: N_("Ambulancier·ère"),
    Profession.OPTICIAN: N_("Opticien·ne"),
    Profession.OSTEOPATH: N_("Ostéopathe"),
    Profession.OTHER: N_("Autre profession"),
}
MODE_LABELS = {
    ExerciseMode.LIBERAL: N_("Libéral"),
    ExerciseMode.SALARIED: N_("Salarié"),
    ExerciseMode.MIXED: N_("Mixte"),
}
PLACE_LABELS = {
    Place.PRACTICE: N_("Cabinet"),
    Place.MSP: N_("Maison de santé (MSP)"),
    Place.HEALTH_CENTRE: N_("Centre de santé"),
    Place.NURSING_HOME: N_("EHPAD"),
    Place.HOSPITAL: N_("Hôpital"),
    Place.OTHER: N_("Autre lieu"),
}
BOARD_LABELS = {
    BoardRole.PRESIDENT: N_("Président·e"),
    BoardRole.VICE_PRESIDENT: N_("Vice-président·e"),
    BoardRole.TREASURER: N_("Trésorier·ère"),
    BoardRole.SECRETARY: N_("Secrétaire"),
    BoardRole.BOARD_MEMBER: N_("Membre du bureau"),
}
# The name of each field as people read it (forms, import preview, command line).
FIELD_LABELS = {
    "last_name": N_("Nom"),
    "first_name": N_("Prénom"),
    "profession": N_("Profession"),
    "rpps": N_("RPPS"),
    "exercise_mode": N_("Mode d'exercice"),
    "place": N_("Lieu d'exercice"),
    "practice_commune_code": N_("Commune d'exercice"),
    "email": N_("E-mail"),
    "board_role": N_("Rôle au bureau"),
    "joined_on": N_("Date d'adhésion"),
    "left_on": N_("Date de départ"),
    "file": N_("Fichier"),
    "mode": N_("Choix"),
}
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "profession",
    "rpps",
    "exercise_mode",
    "place",
    "practice_commune_code",
    "email",
    "board_role",
)
RPPS = validate.Regexp(r"^[0-9]{11}$", error=_l("Le RPPS comporte exactement 11 chiffres."))
INSEE = validate.Regexp(
    r"^[0-9][0-9AB][0-9]{3}$", error=_l("Code INSEE attendu : 5 caractères, par exemple 11262.")
)


def _name(label_max: int = 100):
    return validate.Length(min=1, max=label_max, error=_l("Entre {min} et {max} caractères."))


class MemberInputSchema(BaseSchema):
    """A member as it is entered: by a form, a spreadsheet row or the API."""

    last_name = fields.String(required=True, validate=_name())
    first_name = fields.String(required=True, validate=_name())
    profession = fields.Enum(Profession, by_value=True, required=True)
    rpps = fields.String(load_default=None, allow_none=True, validate=RPPS)
    exercise_mode = fields.Enum(ExerciseMode, by_value=True, load_default=None, allow_none=True)
    place = fields.Enum(Place, by_value=True, load_default=None, allow_none=True)
    practice_commune_code = fields.String(load_default=None, allow_none=True, validate=INSEE)
    email = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"format": "email"},
        validate=[
            validate.Length(max=254, error=_l("Au plus {max} caractères.")),
            validate.Email(error=_l("Adresse e-mail invalide.")),
        ],
    )
    board_role = fields.Enum(BoardRole, by_value=True, load_default=None, allow_none=True)
    joined_on = fields.Date(required=True)
    left_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _dates(self, data: dict, **_kwargs) -> None:
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            raise ValidationError([_l("La date de départ précède la date d'adhésion.")], "left_on")


class MemberPatchSchema(MemberInputSchema):
    """A change to a member (API PATCH): any subset of the fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class PeriodSchema(BaseSchema):
    joined_on = fields.Date(dump_only=True)
    left_on = fields.Date(dump_only=True, allow_none=True)


class MemberSchema(BaseSchema):
    """A member as the CPTS's own users receive it from the API."""

    id = fields.Integer(dump_only=True)
    last_name = fields.String(dump_only=True)
    first_name = fields.String(dump_only=True)
    profession = fields.Enum(Profession, by_value=True, dump_only=True)
    rpps = fields.String(dump_only=True, allow_none=True)
    exercise_mode = fields.Enum(ExerciseMode, by_value=True, dump_only=True, allow_none=True)
    place = fields.Enum(Place, by_value=True, dump_only=True, allow_none=True)
    practice_commune_code = fields.String(dump_only=True, allow_none=True)
    email = fields.String(dump_only=True, allow_none=True)
    board_role = fields.Enum(BoardRole, by_value=True, dump_only=True, allow_none=True)
    joined_on = fields.Date(dump_only=True)
    left_on = fields.Date(dump_only=True, allow_none=True)
    active = fields.Boolean(dump_only=True)
    earlier_periods = fields.List(fields.Nested(PeriodSchema), dump_only=True)
    warnings = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), dump_only=True
    )


class GrowthPointSchema(BaseSchema):
    month = fields.Date(dump_only=True, metadata={"description": "premier jour du mois"})
    profession = fields.Enum(Profession, by_value=True, dump_only=True)
    members = fields.Integer(
        dump_only=True, metadata={"description": "membres actifs en fin de mois"}
    )


class MemberQuerySchema(PageArgsSchema):
    """Filters of the member list: the same as the registry page's."""

    q = fields.String(load_default="", validate=validate.Length(max=100))
    profession = fields.Enum(Profession, by_value=True, load_default=None)
    status = fields.String(
        load_default="active",
        validate=validate.OneOf(
            ["active", "left", "all"], error=_l("Valeur attendue : active, left ou all.")
        ),
    )
    outside_territory = fields.Boolean(load_default=False)
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(
            ["name", "-name", "profession", "joined_on", "-joined_on"],
            error=_l("Tri inconnu."),
        ),
    )


class GrowthQuerySchema(BaseSchema):
    start = fields.Date(
        data_key="from",
        load_default=None,
        metadata={"description": "premier mois (par défaut : la première adhésion)"},
    )
    end = fields.Date(
        data_key="to",
        load_default=None,
        metadata={"description": "dernier mois (par défaut : aujourd'hui)"},
    )

    @validates_schema
    def _range(self, data: dict, **_kwargs) -> None:
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError([_l("La fin précède le début.")], "to")
