"""What the demo contains: the five CPTS of the seed articles, four fictitious ones, the logins.

Territories are real (INSEE commune codes, EPCI SIRENs of the 2026 referential); people are not.
Facts taken from the articles are marked "article"; every other date is chosen
to be plausible and marked "chosen". The tenant model has no founding or signature date: those
dates only shape the members' join dates (and so the membership-growth charts).

No FINESS or SIREN is given: inventing Luhn-valid numbers could collide with real bodies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.models.member import Profession as P
from app.models.user import Role
from app.tenants.models import Stage

Weights = tuple[tuple[P, int], ...]


@dataclass(frozen=True)
class Cohort:
    """`count` members who joined between `first` and `last` (inclusive), professions weighted.

    When count allows, every listed profession appears at least once in the cohort.
    """

    count: int
    first: date
    last: date
    professions: Weights


@dataclass(frozen=True)
class Departures:
    """`count` members (never the president) who left between `first` and `last`."""

    count: int
    first: date
    last: date


@dataclass(frozen=True)
class DemoCpts:
    number: int  # stable, part of the members' fictitious RPPS numbers
    slug: str
    name: str
    region_code: str
    stage: Stage
    seat: str  # INSEE code, inside the territory
    president: P  # profession of the first member, who presides the CPTS
    cohorts: tuple[Cohort, ...]
    departures: Departures | None = None
    epcis: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()
    fictitious: bool = False

    @property
    def contact_email(self) -> str:
        return f"contact@cpts-{self.slug}.example"


@dataclass(frozen=True)
class DemoAccount:
    email_local: str
    role: Role
    full_name: str | None = None  # None: the president member of the tenant
    tenant_slug: str | None = None
    region_code: str | None = None
    department_codes: tuple[str, ...] = field(default=())


DOMAIN = "demo.observatoire-cpts.fr"
# At least 12 characters and not in the common-password list (checked by the loader).
PASSWORD = "Demo-CPTS-2026!"

FIRST_LINE: Weights = ((P.GP, 4), (P.NURSE, 4), (P.PHARMACIST, 2), (P.PHYSIO, 3))
LATER_JOINERS: Weights = FIRST_LINE + (
    (P.DENTIST, 2),
    (P.MIDWIFE, 1),
    (P.SPEECH, 1),
    (P.PODIATRIST, 1),
    (P.PSYCHOLOGIST, 1),
    (P.DIETICIAN, 1),
    (P.SPECIALIST, 1),
)
NARBONNE: Weights = FIRST_LINE + (
    (P.SPEECH, 2),
    (P.BIOLOGIST, 1),
    (P.MIDWIFE, 1),
    (P.PSYCHOLOGIST, 1),
    (P.DIETICIAN, 1),
    (P.PODIATRIST, 1),
    (P.ORTHOPTIST, 1),
)
# The sixteen professions of the Pays Horloger article (kinésiologues fall under "other").
HORLOGER: Weights = FIRST_LINE + (
    (P.DENTIST, 2),
    (P.SPEECH, 1),
    (P.OCCUPATIONAL, 1),
    (P.DIETICIAN, 1),
    (P.AMBULANCE, 1),
    (P.MIDWIFE, 1),
    (P.PODIATRIST, 1),
    (P.PSYCHOLOGIST, 1),
    (P.PSYCHOMOTOR, 1),
    (P.OSTEOPATH, 1),
    (P.OPTICIAN, 1),
    (P.OTHER, 1),
)
AGDE: Weights = FIRST_LINE + ((P.SPECIALIST, 2),)

SEEDS: tuple[DemoCpts, ...] = (
    DemoCpts(
        # The article gives no name (only "the ninth CPTS of Hérault"): this name is invented.
        # Created Tue 26 Dec 2023, ~50 professionals pledged (article); ACI date chosen.
        number=1,
        slug="agde",
        name="CPTS du Cap d'Agde et de l'Hérault méditerranéen",
        region_code="76",
        stage=Stage.ACI_SIGNED,
        seat="34003",
        president=P.GP,
        communes=(
            "34003",
            "34031",
            "34101",
            "34150",
            "34166",
            "34203",
            "34207",
            "34209",
            "34289",
            "34332",
        ),
        cohorts=(
            Cohort(50, date(2023, 4, 3), date(2023, 12, 26), AGDE),  # first joins: chosen
            Cohort(24, date(2023, 12, 27), date(2026, 10, 30), LATER_JOINERS),
        ),
        departures=Departures(3, date(2024, 6, 1), date(2026, 9, 30)),
    ),
    DemoCpts(
        # Founded on a Tuesday in Montceau-les-Mines (article); 13 Jun 2023 is chosen.
        # 11 members in February, 51 at founding, GPs/physios/pharmacists/nurses (article).
        number=2,
        slug="centre-saone-et-loire",
        name="CPTS Centre Saône-et-Loire",
        region_code="27",
        stage=Stage.LETTER_OF_INTENT,
        seat="71310",
        president=P.GP,
        epcis=("247100290",),
        cohorts=(
            Cohort(11, date(2022, 11, 15), date(2023, 2, 28), FIRST_LINE),
            Cohort(40, date(2023, 3, 1), date(2023, 6, 13), FIRST_LINE),
            Cohort(34, date(2023, 6, 14), date(2026, 10, 30), LATER_JOINERS),  # dentists join
        ),
        departures=Departures(4, date(2024, 1, 8), date(2026, 9, 30)),
    ),
    DemoCpts(
        # About thirty professionals met on Fri 6 Jan 2023 (article); seat chosen.
        number=3,
        slug="costieres-en-camargue",
        name="CPTS Costières en Camargue",
        region_code="76",
        stage=Stage.PROJECT_SUBMITTED,
        seat="30258",
        president=P.NURSE,
        communes=(
            "30034",
            "30032",
            "30047",
            "30060",
            "30089",
            "30117",
            "30125",
            "30135",
            "30155",
            "30211",
            "30356",
            "30258",
            "30336",
        ),
        cohorts=(
            Cohort(30, date(2022, 9, 1), date(2023, 1, 6), FIRST_LINE),
            Cohort(12, date(2023, 1, 7), date(2026, 9, 30), LATER_JOINERS),
        ),
        departures=Departures(2, date(2023, 6, 1), date(2026, 6, 30)),
    ),
    DemoCpts(
        # Officialised with the CPAM and the ARS (article, undated): 13 Apr 2021 is chosen;
        # ~50 professionals of some 16 professions; the president is a pharmacist in Le Russey.
        number=4,
        slug="pays-horloger",
        name="CPTS du Pays Horloger",
        region_code="27",
        stage=Stage.ACI_SIGNED,
        seat="25356",
        president=P.PHARMACIST,
        epcis=("200023075", "242504116", "242504355"),
        cohorts=(
            Cohort(50, date(2019, 5, 6), date(2021, 4, 13), HORLOGER),
            Cohort(22, date(2021, 4, 14), date(2026, 10, 30), HORLOGER),
        ),
        departures=Departures(4, date(2022, 1, 3), date(2026, 9, 30)),
    ),
    DemoCpts(
        # ACI signed (article, undated): 15 Mar 2022 is chosen; 137 professionals then (article)
        # and 137 today (arrivals since then balance departures).
        number=5,
        slug="grand-narbonne",
        name="CPTS du Grand Narbonne",
        region_code="76",
        stage=Stage.ACI_SIGNED,
        seat="11262",
        president=P.GP,
        epcis=("241100593",),
        cohorts=(
            Cohort(90, date(2019, 10, 1), date(2021, 12, 31), NARBONNE),
            Cohort(47, date(2022, 1, 1), date(2022, 3, 15), NARBONNE),
            Cohort(14, date(2022, 3, 16), date(2026, 10, 30), NARBONNE),
        ),
        departures=Departures(14, date(2022, 9, 1), date(2026, 10, 30)),
    ),
)

# Clearly fictitious CPTS on real EPCIs of regions 76 and 27 not covered above, so that a
# regional comparison has enough peers. All their dates are chosen.
FICTITIOUS: tuple[DemoCpts, ...] = (
    DemoCpts(
        number=6,
        slug="fictive-carcassonne",
        name="CPTS fictive – Carcassonne Agglo",
        region_code="76",
        stage=Stage.PROJECT_VALIDATED,
        seat="11069",
        president=P.PHYSIO,
        epcis=("200035715",),
        fictitious=True,
        cohorts=(
            Cohort(40, date(2022, 1, 10), date(2023, 6, 30), FIRST_LINE),
            Cohort(38, date(2023, 7, 1), date(2026, 10, 30), LATER_JOINERS),
        ),
        departures=Departures(5, date(2023, 9, 1), date(2026, 9, 30)),
    ),
    DemoCpts(
        # CC Région Lézignanaise plus Névian (11264), a commune of the Grand Narbonne: the
        # overlap gives the "chevauchement" display something to show.
        number=7,
        slug="fictive-corbieres-minervois",
        name="CPTS fictive – Corbières et Minervois",
        region_code="76",
        stage=Stage.LETTER_OF_INTENT,
        seat="11203",
        president=P.NURSE,
        epcis=("200035863",),
        communes=("11264",),
        fictitious=True,
        cohorts=(
            Cohort(12, date(2025, 1, 13), date(2025, 9, 30), FIRST_LINE),
            Cohort(9, date(2025, 10, 1), date(2026, 11, 13), LATER_JOINERS),
        ),
    ),
    DemoCpts(
        number=8,
        slug="fictive-grand-chalon",
        name="CPTS fictive – Grand Chalon",
        region_code="27",
        stage=Stage.ACI_SIGNED,
        seat="71076",
        president=P.PHARMACIST,
        epcis=("247100589",),
        fictitious=True,
        cohorts=(
            Cohort(80, date(2020, 1, 6), date(2021, 6, 30), FIRST_LINE),
            Cohort(45, date(2021, 7, 1), date(2026, 10, 30), LATER_JOINERS),
        ),
        departures=Departures(9, date(2022, 1, 3), date(2026, 9, 30)),
    ),
    DemoCpts(
        number=9,
        slug="fictive-grand-dole",
        name="CPTS fictive – Grand Dole",
        region_code="27",
        stage=Stage.PROJECT_SUBMITTED,
        seat="39198",
        president=P.GP,
        epcis=("200010650",),
        fictitious=True,
        cohorts=(
            Cohort(28, date(2024, 2, 5), date(2025, 3, 31), FIRST_LINE),
            Cohort(10, date(2025, 4, 1), date(2026, 10, 30), LATER_JOINERS),
        ),
        departures=Departures(1, date(2025, 6, 1), date(2026, 9, 30)),
    ),
)

ALL_CPTS: tuple[DemoCpts, ...] = SEEDS + FICTITIOUS

ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", Role.ADMIN, "Camille Lefort"),
    DemoAccount("ars.occitanie", Role.ARS, "Hélène Marquès", region_code="76"),
    DemoAccount("ars.bfc", Role.ARS, "Julien Perrot", region_code="27"),
    DemoAccount("cpam.aude", Role.CPAM, "Nadia Ferrand", department_codes=("11", "34")),
    DemoAccount("president.narbonne", Role.PRESIDENT, tenant_slug="grand-narbonne"),
    DemoAccount(
        "coordination.narbonne", Role.COORDINATOR, "Élodie Sanchez", tenant_slug="grand-narbonne"
    ),
    DemoAccount("lecture.narbonne", Role.VIEWER, "Marc Aubry", tenant_slug="grand-narbonne"),
    *(
        DemoAccount(f"president.{seed.slug}", Role.PRESIDENT, tenant_slug=seed.slug)
        for seed in SEEDS
        if seed.slug != "grand-narbonne"
    ),
)
