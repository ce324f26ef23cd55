"""Importing members from a spreadsheet: understand the columns as people name them, check every
row (errors and warnings by field), match rows to existing members, then write, all valid rows
or nothing at all, as the user chooses.

A row matches an existing member by the "N° membre" of our own export, else by RPPS, else by
last name, first name and profession: exporting then importing the same file changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import insert, select

from app.domain import DomainError
from app.extensions import db
from app.imports.tables import Row, Table, Value
from app.models.member import BoardRole, ExerciseMode, Member, MemberPeriod, Place, Profession
from app.models.referential import Commune
from app.schemas.member import (
    BOARD_LABELS,
    FIELD_LABELS,
    MODE_LABELS,
    PERSON_FIELDS,
    PLACE_LABELS,
    PROFESSION_LABELS,
    MemberInputSchema,
)
from app.services import audit
from app.services.members import territory_set, warnings_for
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

MEMBER_NUMBER = "member_id"  # the "N° membre" column of our own export


def normalise(text: str) -> str:
    """Lower case, no accents, letters and digits only: "N° RPPS" -> "nrpps"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("°", "").replace("º", ""))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


def _aliases(*names: str) -> set[str]:
    return {normalise(name) for name in names}


HEADERS: dict[str, set[str]] = {
    MEMBER_NUMBER: _aliases("N° membre", "Numéro de membre", "Id membre"),
    "last_name": _aliases("Nom", "Nom d'usage", "Nom de famille", "Nom de naissance", "Last name"),
    "first_name": _aliases("Prénom", "Prenoms", "First name"),
    "profession": _aliases(
        "Profession", "Métier", "Spécialité", "Catégorie", "Profession de santé"
    ),
    "rpps": _aliases(
        "RPPS", "N° RPPS", "Numéro RPPS", "Identifiant RPPS", "N RPPS", "Num RPPS", "Code RPPS"
    ),
    "exercise_mode": _aliases("Mode d'exercice", "Mode", "Exercice", "Statut d'exercice"),
    "place": _aliases("Lieu d'exercice", "Lieu", "Structure", "Type de structure"),
    "practice_commune_code": _aliases(
        "Commune d'exercice (INSEE)",
        "Commune d'exercice",
        "Code INSEE",
        "INSEE",
        "Commune",
        "Code commune",
    ),
    "email": _aliases(
        "E-mail",
        "Email",
        "Mail",
        "Courriel",
        "Adresse e-mail",
        "E-mail professionnel",
        "Adresse mail",
    ),
    "board_role": _aliases("Rôle au bureau", "Bureau", "Fonction au bureau", "Fonction"),
    "joined_on": _aliases(
        "Date d'adhésion",
        "Adhésion",
        "Date adhésion",
        "Adhérent depuis",
        "Membre depuis",
        "Date d'entrée",
        "Entrée",
    ),
    "left_on": _aliases(
        "Date de départ", "Départ", "Date de sortie", "Sortie", "Fin d'adhésion", "Date de fin"
    ),
}
REQUIRED_COLUMNS = ("last_name", "first_name", "profession", "joined_on")
PROFESSIONS: dict[str, Profession] = {
    alias: profession
    for profession, names in {
        Profession.GP: (
            "Médecin généraliste",
            "MG",
            "Généraliste",
            "Médecin",
            "MT",
            "Médecin traitant",
        ),
        Profession.SPECIALIST: (
            "Médecin spécialiste",
            "Spécialiste",
            "Cardiologue",
            "Pédiatre",
            "Psychiatre",
            "Gériatre",
            "Dermatologue",
            "Gynécologue",
            "Ophtalmologue",
            "Pneumologue",
        ),
        Profession.NURSE: (
            "Infirmier",
            "Infirmière",
            "IDE",
            "IDEL",
            "Infirmier libéral",
            "IPA",
            "Inf",
        ),
        Profession.PHARMACIST: ("Pharmacien", "Pharmacienne", "Pharmacie", "Ph"),
        Profession.PHYSIO: (
            "Masseur-kinésithérapeute",
            "Kinésithérapeute",
            "Kiné",
            "Kinesi",
            "MK",
            "MKDE",
        ),
        Profession.DENTIST: ("Chirurgien-dentiste", "Chirurgienne-dentiste", "Dentiste", "CD"),
        Profession.MIDWIFE: ("Sage-femme", "SF", "Maïeuticien"),
        Profession.SPEECH: ("Orthophoniste", "Ortho"),
        Profession.ORTHOPTIST: ("Orthoptiste",),
        Profession.PODIATRIST: ("Pédicure-podologue", "Podologue", "Pédicure"),
        Profession.OCCUPATIONAL: ("Ergothérapeute", "Ergo"),
        Profession.PSYCHOMOTOR: ("Psychomotricien", "Psychomotricienne", "Psychomot"),
        Profession.DIETICIAN: ("Diététicien", "Diététicienne", "Diét", "Nutritionniste"),
        Profession.PSYCHOLOGIST: ("Psychologue", "Psy"),
        Profession.BIOLOGIST: ("Biologiste", "Biologiste médical", "Laboratoire"),
        Profession.AMBULANCE: ("Ambulancier", "Ambulancière", "Ambulance"),
        Profession.OPTICIAN: ("Opticien", "Opticienne", "Opticien-lunetier"),
        Profession.OSTEOPATH: ("Ostéopathe", "Ostéo"),
        Profession.OTHER: ("Autre", "Autre profession"),
    }.items()
    for alias in _aliases(*names, profession.value, PROFESSION_LABELS[profession])
}
MODES = {
    alias: mode
    for mode, names in {
        ExerciseMode.LIBERAL: ("Libéral", "Libérale", "Lib"),
        ExerciseMode.SALARIED: ("Salarié", "Salariée", "Sal"),
        ExerciseMode.MIXED: ("Mixte",),
    }.items()
    for alias in _aliases(*names, mode.value, MODE_LABELS[mode])
}
PLACES = {
    alias: place
    for place, names in {
        Place.PRACTICE: ("Cabinet", "Cabinet libéral", "Cabinet de groupe", "Officine"),
        Place.MSP: ("MSP", "Maison de santé", "Maison de santé pluriprofessionnelle"),
        Place.HEALTH_CENTRE: ("Centre de santé", "CDS"),
        Place.NURSING_HOME: ("EHPAD",),
        Place.HOSPITAL: ("Hôpital", "CH", "CHU", "Clinique", "Centre hospitalier"),
        Place.OTHER: ("Autre", "Autre lieu"),
    }.items()
    for alias in _aliases(*names, place.value, PLACE_LABELS[place])
}
BOARD = {
    alias: role
    for role, names in {
        BoardRole.PRESIDENT: ("Président", "Présidente"),
        BoardRole.VICE_PRESIDENT: ("Vice-président", "Vice-présidente", "VP"),
        BoardRole.TREASURER: ("Trésorier", "Trésorière"),
        BoardRole.SECRETARY: ("Secrétaire",),
        BoardRole.BOARD_MEMBER: ("Membre du bureau", "Bureau"),
    }.items()
    for alias in _aliases(*names, role.value, BOARD_LABELS[role])
}
NO_ROLE = _aliases("", "Aucun", "Aucune", "Non", "Néant", "-", "Membre", "Adhérent")
CHOICES: dict[str, dict] = {
    "profession": PROFESSIONS,
    "exercise_mode": MODES,
    "place": PLACES,
    "board_role": BOARD,
}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


@dataclass
class RowCheck:
    """What the preview says of one row."""

    line: int
    action: str  # new, update, rejoin, unchanged, error
    shown: dict[str, str]  # the row's values as read, for the preview
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # fields an update changes
    data: dict | None = None  # the validated values (ISO dates), when the row is valid
    member_id: int | None = None


@dataclass
class Preview:
    columns: dict[str, str]  # field -> the header it was read from
    ignored: list[str]  # headers nobody recognised
    rows: list[RowCheck]

    def counts(self) -> dict[str, int]:
        counted = {"new": 0, "update": 0, "rejoin": 0, "unchanged": 0, "error": 0, "warning": 0}
        for row in self.rows:
            counted[row.action] += 1
            counted["warning"] += bool(row.warnings)
        return counted

    def to_json(self) -> dict:
        return {
            "columns": self.columns,
            "ignored": self.ignored,
            "rows": [asdict(r) for r in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict) -> Preview:
        return cls(data["columns"], data["ignored"], [RowCheck(**row) for row in data["rows"]])


def map_columns(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Which column holds which field; DomainError("file") without a recognisable header."""
    by_alias = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
    mapping: dict[int, str] = {}
    ignored = []
    for index, title in enumerate(header):
        name = by_alias.get(normalise(title))
        if name is not None and name not in mapping.values():
            mapping[index] = name
        elif title.strip():
            ignored.append(title)
    missing = [name for name in REQUIRED_COLUMNS if name not in mapping.values()]
    if len(mapping) < 2:
        raise DomainError.on(
            "file",
            _l(
                "Aucun en-tête reconnu sur la première ligne : il faut au moins les colonnes "
                "Nom, Prénom, Profession et Date d'adhésion."
            ),
        )
    if missing:
        raise DomainError.on(
            "file",
            _l(
                "Colonne(s) obligatoire(s) absente(s) : %(columns)s.",
                columns=", ".join(_label(name) for name in missing),
            ),
        )
    return mapping, ignored


def _label(name: str) -> str:
    return gettext(FIELD_LABELS.get(name, name))


def _read_choice(name: str, value: str) -> str | None:
    """A controlled value read leniently (label, abbreviation or code); None when unknown."""
    if name == "board_role" and normalise(value) in NO_ROLE:
        return ""
    found = CHOICES[name].get(normalise(value))
    return None if found is None else found.value


def _read_date(value: Value) -> str | None:
    if isinstance(value, date):
        return value.isoformat()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(str(value), pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _raw_values(row: Row, mapping: dict[int, str]) -> dict[str, Value]:
    return {name: row.values[index] for index, name in mapping.items() if index < len(row.values)}


def _shown(value: Value) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def _input(raw: dict[str, Value]) -> tuple[dict, dict[str, list]]:
    """The row as the member schema takes it, and what could not even be read."""
    data: dict = {}
    errors: dict[str, list] = {}
    for name, value in raw.items():
        if name == MEMBER_NUMBER or value is None:
            continue
        text = str(value)
        if name in CHOICES:
            choice = _read_choice(name, text)
            if choice is None:
                errors[name] = [_l("« %(value)s » n'est pas reconnu.", value=text)]
            elif choice:
                data[name] = choice
        elif name in ("joined_on", "left_on"):
            day = _read_date(value)
            if day is None:
                errors[name] = [_l("Date illisible : attendue au format jj/mm/aaaa.")]
            else:
                data[name] = day
        elif name == "rpps":
            data[name] = re.sub(r"[\s.]", "", text)
        elif name == "practice_commune_code":
            data[name] = text.upper().zfill(5) if text.isdigit() else text.upper()
        else:
            data[name] = text
    return data, errors


@dataclass
class _Existing:
    """The CPTS's members, found by number, RPPS or name, loaded once for the whole file."""

    by_id: dict[int, Member]
    by_rpps: dict[str, Member]
    by_name: dict[tuple[str, str, str], Member]

    @classmethod
    def load(cls) -> _Existing:
        members = db.session.scalars(select(Member).where(Member.erased_at.is_(None))).all()
        return cls(
            {m.id: m for m in members},
            {m.rpps: m for m in members if m.rpps},
            {_name_key(m.last_name, m.first_name, m.profession.value): m for m in members},
        )

    def match(self, raw: dict[str, Value], data: dict) -> Member | None:
        number = raw.get(MEMBER_NUMBER)
        if number is not None and str(number).isdigit() and int(str(number)) in self.by_id:
            return self.by_id[int(str(number))]
        if data.get("rpps") in self.by_rpps:
            return self.by_rpps[data["rpps"]]
        key = _name_key(
            data.get("last_name", ""), data.get("first_name", ""), data.get("profession", "")
        )
        return self.by_name.get(key)


def _name_key(last: str, first: str, profession: str) -> tuple[str, str, str]:
    return normalise(last), normalise(first), profession


@for_tenant
def check(tenant: Tenant, table: Table, progress=None) -> Preview:
    """Every row checked, nothing written: the preview the user decides on."""
    mapping, ignored = map_columns(table.header)
    existing = _Existing.load()
    territory = territory_set(tenant)
    communes = _known_communes(table, mapping)
    schema = MemberInputSchema()
    seen_rpps: dict[str, int] = {}
    rows = []
    for position, row in enumerate(table.rows):
        if progress is not None and position and position % 500 == 0:
            progress(position * 100 // len(table.rows))
        rows.append(_check_row(row, mapping, schema, existing, territory, communes, seen_rpps))
    columns = {name: table.header[index] for index, name in mapping.items()}
    return Preview(columns, ignored, rows)


def _known_communes(table: Table, mapping: dict[int, str]) -> set[str]:
    index = next((i for i, name in mapping.items() if name == "practice_commune_code"), None)
    if index is None:
        return set()
    codes = {str(row.values[index]).upper().zfill(5) for row in table.rows if row.values[index]}
    found: set[str] = set()
    listed = sorted(codes)
    for start in range(0, len(listed), 900):
        found |= set(
            db.session.scalars(
                select(Commune.code).where(Commune.code.in_(listed[start : start + 900]))
            )
        )
    return found


def _check_row(row, mapping, schema, existing, territory, communes, seen_rpps) -> RowCheck:
    raw = _raw_values(row, mapping)
    shown = {name: _shown(value) for name, value in raw.items()}
    data, errors = _input(raw)
    try:
        clean = schema.load({k: v for k, v in data.items() if k not in errors})
    except ValidationError as error:
        for name, found in error.messages.items():  # type: ignore[union-attr]
            errors.setdefault(name, found)  # what could not be read says more than "required"
        clean = None
    code = data.get("practice_commune_code")
    if code and "practice_commune_code" not in errors and code not in communes:
        errors["practice_commune_code"] = [_l("Code INSEE inconnu.")]
    rpps = data.get("rpps")
    if rpps and "rpps" not in errors:
        if rpps in seen_rpps:
            errors["rpps"] = [_l("Même RPPS qu'à la ligne %(line)s.", line=seen_rpps[rpps])]
        else:
            seen_rpps[rpps] = row.line
    check = RowCheck(row.line, "error", shown, warnings=_texts(warnings_for(data, territory)))
    if errors or clean is None:
        check.errors = _texts(errors)
        return check
    member = existing.match(raw, data)
    if member is not None and rpps and member.rpps and member.rpps != rpps:
        check.errors = {"rpps": [str(_l("Ce membre a un autre RPPS dans le registre."))]}
        return check
    if member is not None and rpps and existing.by_rpps.get(rpps, member) is not member:
        check.errors = {"rpps": [str(_l("Un autre membre de la CPTS a déjà ce RPPS."))]}
        return check
    check.data = _jsonable(clean)
    if member is None:
        check.action = "new"
        return check
    check.member_id = member.id
    check.action, check.changes = _plan(member, clean)
    return check


def _plan(member: Member, clean: dict) -> tuple[str, list[str]]:
    """What importing the row does to an existing member. Empty cells keep what is recorded."""
    if (
        member.left_on is not None
        and clean.get("left_on") is None
        and clean["joined_on"] > member.left_on
    ):
        return "rejoin", ["joined_on"]
    changes = [
        name
        for name in (*PERSON_FIELDS, "joined_on", "left_on")
        if name in clean and clean[name] is not None and getattr(member, name) != clean[name]
    ]
    return ("update" if changes else "unchanged"), changes


def _texts(messages: dict[str, list]) -> dict[str, list[str]]:
    return {name: [str(message) for message in found] for name, found in messages.items()}


def _jsonable(clean: dict) -> dict:
    return {
        name: value.isoformat() if isinstance(value, date) else getattr(value, "value", value)
        for name, value in clean.items()
    }


@for_tenant
def write(tenant: Tenant, preview: Preview, all_or_nothing: bool) -> dict[str, int]:
    """Write the valid rows (or, all or nothing, every row or none); returns what was done."""
    counts = preview.counts()
    if all_or_nothing and counts["error"]:
        raise DomainError.on(
            "mode",
            _l(
                "%(n)s ligne(s) en erreur : rien n'est importé (choix « tout ou rien »).",
                n=counts["error"],
            ),
        )
    schema = MemberInputSchema()
    existing = _Existing.load().by_id
    created = []
    for row in preview.rows:
        if row.data is None or row.action in ("error", "unchanged"):
            continue
        clean = schema.load(row.data)
        if row.action == "new":
            created.append(clean)
        else:
            _apply(existing[row.member_id], row, clean)  # type: ignore[index]
    db.session.flush()
    if created:  # one executemany (the guard stamps and checks every row's tenant)
        db.session.execute(insert(Member), created)
    done = {key: counts[key] for key in ("new", "update", "rejoin", "unchanged", "error")}
    audit.record("members_imported", details=done)
    return done


def _apply(member: Member, row: RowCheck, clean: dict) -> None:
    if row.action == "rejoin":
        member.earlier_periods.append(
            MemberPeriod(joined_on=member.joined_on, left_on=member.left_on)
        )
        member.joined_on, member.left_on = clean["joined_on"], None
    for name in row.changes:
        if row.action == "update":
            setattr(member, name, clean[name])
    for name in PERSON_FIELDS:
        if row.action == "rejoin" and clean.get(name) is not None:
            setattr(member, name, clean[name])
