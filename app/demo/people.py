"""Fictional members for the demo: French names, professions, join and leave dates, RPPS.

Everything is drawn from a random.Random seeded with the CPTS slug, so every run produces the
same people. Any likeness to a real professional is a coincidence of common names.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from app.demo.catalogue import Cohort, DemoCpts
from app.identifiers import luhn_ok
from app.models.member import BoardRole, ExerciseMode, Place, Profession

FIRST_NAMES = (
    "Adèle",
    "Agnès",
    "Alain",
    "Alice",
    "Amélie",
    "Anne",
    "Antoine",
    "Arnaud",
    "Aurélie",
    "Bastien",
    "Benoît",
    "Bernadette",
    "Camille",
    "Caroline",
    "Cécile",
    "Céline",
    "Charlotte",
    "Christophe",
    "Claire",
    "Clément",
    "Damien",
    "Delphine",
    "Denis",
    "Didier",
    "Dominique",
    "Émilie",
    "Éric",
    "Fabien",
    "Fabrice",
    "Florence",
    "Florian",
    "François",
    "Frédéric",
    "Gaëlle",
    "Guillaume",
    "Hélène",
    "Hugo",
    "Isabelle",
    "Jacques",
    "Jean",
    "Jérôme",
    "Joël",
    "Julie",
    "Julien",
    "Karine",
    "Laetitia",
    "Laure",
    "Laurent",
    "Léa",
    "Lucie",
    "Manon",
    "Marc",
    "Margaux",
    "Marie",
    "Martine",
    "Mathieu",
    "Maxime",
    "Mélanie",
    "Michel",
    "Nadine",
    "Nathalie",
    "Nicolas",
    "Noémie",
    "Olivier",
    "Pascal",
    "Patricia",
    "Pauline",
    "Philippe",
    "Pierre",
    "Quentin",
    "Rémi",
    "Romain",
    "Sabine",
    "Sandrine",
    "Sébastien",
    "Sophie",
    "Stéphane",
    "Sylvie",
    "Thomas",
    "Valérie",
    "Vincent",
    "Virginie",
    "Xavier",
    "Yannick",
)
LAST_NAMES = (
    "Arnaud",
    "Aubert",
    "Barbier",
    "Baron",
    "Benoit",
    "Bertrand",
    "Blanc",
    "Boyer",
    "Brun",
    "Carpentier",
    "Carré",
    "Chauvin",
    "Chevalier",
    "Clément",
    "Colin",
    "Collet",
    "Cordier",
    "Dubois",
    "Dufour",
    "Dumas",
    "Dupuis",
    "Durand",
    "Fabre",
    "Faure",
    "Fleury",
    "Fontaine",
    "Fournier",
    "Gaillard",
    "Garnier",
    "Gauthier",
    "Gérard",
    "Giraud",
    "Guérin",
    "Guillot",
    "Hamon",
    "Henry",
    "Hubert",
    "Jacquet",
    "Joly",
    "Julien",
    "Lacroix",
    "Lambert",
    "Laurent",
    "Leclerc",
    "Lefebvre",
    "Legrand",
    "Lemaire",
    "Leroy",
    "Lucas",
    "Marchand",
    "Martin",
    "Masson",
    "Mathieu",
    "Mercier",
    "Meunier",
    "Meyer",
    "Michel",
    "Moulin",
    "Muller",
    "Noël",
    "Olivier",
    "Perrin",
    "Petit",
    "Picard",
    "Pierre",
    "Poirier",
    "Renard",
    "Renaud",
    "Rey",
    "Richard",
    "Rivière",
    "Robin",
    "Roche",
    "Roger",
    "Roussel",
    "Roux",
    "Royer",
    "Schmitt",
    "Simon",
    "Tessier",
    "Thomas",
    "Vidal",
    "Vincent",
    "Vasseur",
    "Valette",
    "Bonnet",
    "Caron",
    "Delmas",
    "Esteve",
    "Ferrer",
    "Pujol",
    "Sabatier",
    "Castel",
    "Roig",
)
# Real RPPS numbers start with "10"; "99" keeps the demo's numbers out of their range.
RPPS_PREFIX = "99"


BOARD = (
    BoardRole.PRESIDENT,
    BoardRole.VICE_PRESIDENT,
    BoardRole.TREASURER,
    BoardRole.SECRETARY,
    BoardRole.BOARD_MEMBER,
    BoardRole.BOARD_MEMBER,
)
# Who mostly practises where: hospital professions are often salaried, the others liberal.
SALARIED_OFTEN = {
    Profession.SPECIALIST,
    Profession.BIOLOGIST,
    Profession.PSYCHOLOGIST,
    Profession.AMBULANCE,
    Profession.OCCUPATIONAL,
    Profession.PSYCHOMOTOR,
}


@dataclass(frozen=True)
class DemoMember:
    first_name: str
    last_name: str
    profession: Profession
    rpps: str
    joined_on: date
    left_on: date | None = None
    exercise_mode: ExerciseMode = ExerciseMode.LIBERAL
    place: Place = Place.PRACTICE
    practice_commune_code: str | None = None
    email: str | None = None
    board_role: BoardRole | None = None
    earlier_period: tuple[date, date] | None = None  # left, then came back

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def rpps_for(cpts_number: int, member_number: int) -> str:
    """An 11-digit number that passes the Luhn check: prefix, CPTS, member, check digit."""
    base = f"{RPPS_PREFIX}{cpts_number:02d}{member_number:06d}"
    return next(base + str(d) for d in range(10) if luhn_ok(base + str(d)))


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _professions(rng: random.Random, cohort: Cohort) -> list[Profession]:
    """Every listed profession once (when the cohort is big enough), the rest by weight."""
    kinds = [profession for profession, _ in cohort.professions]
    weights = [weight for _, weight in cohort.professions]
    picked = kinds[:] if cohort.count >= len(kinds) else []
    picked += rng.choices(kinds, weights, k=cohort.count - len(picked))
    rng.shuffle(picked)
    return picked


def generate_members(
    cpts: DemoCpts, communes: list[tuple[str, int]] | None = None, outside: list[str] | None = None
) -> list[DemoMember]:
    """The members of one demo CPTS; the first one is its president, there from day one, and
    the next ones sit on its board. `communes` (code, population) of the territory give their
    places of practice; one in forty practises just outside it (`outside`)."""
    rng = random.Random(f"observatoire-cpts-demo:{cpts.slug}")
    used: set[tuple[str, str]] = set()
    rows: list[dict] = []
    for index, cohort in enumerate(cpts.cohorts):
        professions = _professions(rng, cohort)
        if index == 0 and cpts.president in professions:  # the president comes first
            position = professions.index(cpts.president)
            professions[0], professions[position] = professions[position], professions[0]
        elif index == 0:
            professions[0] = cpts.president
        for profession in professions:
            name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
            while name in used:
                name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
            used.add(name)
            joined = cohort.first if not rows else _day_between(rng, cohort.first, cohort.last)
            rows.append(
                {
                    "first_name": name[0],
                    "last_name": name[1],
                    "profession": profession,
                    "joined_on": joined,
                    "left_on": None,
                }
            )
    if cpts.departures:
        _set_departures(rng, rows[1:], cpts)
    for index, row in enumerate(rows):
        row.update(_practice(rng, row["profession"], communes or [], outside or []))
        row["board_role"] = BOARD[index] if index < len(BOARD) else None
        if rng.random() < 0.4:
            row["email"] = _email(row["first_name"], row["last_name"])
    if cpts.slug == "pays-horloger":
        _one_comes_back(rows)
    return [DemoMember(rpps=rpps_for(cpts.number, n), **row) for n, row in enumerate(rows, 1)]


def _practice(
    rng: random.Random, profession: Profession, communes: list[tuple[str, int]], outside: list[str]
) -> dict:
    salaried = profession in SALARIED_OFTEN and rng.random() < 0.6
    mode = (
        ExerciseMode.SALARIED
        if salaried
        else rng.choices([ExerciseMode.LIBERAL, ExerciseMode.MIXED], [9, 1])[0]
    )
    if salaried:
        place = rng.choices([Place.HOSPITAL, Place.NURSING_HOME, Place.HEALTH_CENTRE], [5, 2, 2])[0]
    else:
        place = rng.choices([Place.PRACTICE, Place.MSP, Place.HEALTH_CENTRE], [6, 3, 1])[0]
    commune = None
    if outside and rng.random() < 0.025:
        commune = rng.choice(outside)
    elif communes:
        commune = rng.choices([c for c, _ in communes], [max(p, 1) for _, p in communes])[0]
    return {"exercise_mode": mode, "place": place, "practice_commune_code": commune}


def _email(first: str, last: str) -> str:
    local = unicodedata.normalize("NFKD", f"{first}.{last}".lower()).encode("ascii", "ignore")
    return local.decode().replace(" ", "-").replace("'", "") + "@exemple-sante.fr"


def _one_comes_back(rows: list[dict]) -> None:
    """One professional who left comes back three months later: both periods are kept."""
    for row in rows:
        left = row["left_on"]
        if left is not None and left + timedelta(days=90) <= date(2026, 10, 30):
            row["earlier_period"] = (row["joined_on"], left)
            row["joined_on"], row["left_on"] = left + timedelta(days=90), None
            return


def _set_departures(rng: random.Random, rows: list[dict], cpts: DemoCpts) -> None:
    """Members leave at least six months after joining, within the departures window."""
    window = cpts.departures
    assert window is not None
    stay = timedelta(days=180)
    candidates = [row for row in rows if row["joined_on"] + stay <= window.last]
    for row in rng.sample(candidates, window.count):
        row["left_on"] = _day_between(rng, max(window.first, row["joined_on"] + stay), window.last)
