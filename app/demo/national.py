"""A national-scale data set, for benchmarks and for anyone evaluating the product: fictitious
CPTS on real territories of every region (each carved from one real EPCI, within its region,
avoiding communes another CPTS holds), their members, conventions for most of them and, for
each CPTS with a convention, 4 to 6 catalogue indicators reported over its convention (five
years at most): every month, quarter or year the template says, up to the last period due.

Everything but the territories is invented, from a fixed seed (the same run on the same day
gives the same data): members, dates and every indicator value (plausible orders of magnitude
scaled to the CPTS's population, smooth trends, some noise; small counts under 11 included, so
that masking shows). Periods are validated but for the latest one or two of each rhythm
(submitted or draft); some were submitted late. Members, indicators, periods, values and the
periods' submit/validate events are written in bulk, one CPTS at a time with that CPTS bound
(the tenancy rules, row-level security included, apply to every insert); no audit records.
Idempotent: a CPTS already there (by slug) is left as it is.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sqlalchemy import insert, select

from app.demo.people import FIRST_NAMES, LAST_NAMES
from app.extensions import db
from app.identifiers import luhn_ok
from app.models.aci import default_running_budget
from app.models.contract import add_months, default_end
from app.models.indicator import (
    DEFINITION_FIELDS,
    MONTHS,
    Indicator,
    IndicatorTemplate,
    IndicatorValue,
    PeriodAction,
    PeriodEvent,
    PeriodKind,
    PeriodStatus,
    ReportingPeriod,
)
from app.models.member import ExerciseMode, Member, Place, Profession
from app.models.referential import Commune, Epci
from app.models.targets import Unit
from app.rollups.territory import territory_links
from app.services import convention
from app.services.catalogue import load_catalogue
from app.services.reporting import bounds, due_delay
from app.services.tenants import create_tenant
from app.tenants.context import tenant_bound
from app.tenants.models import Stage, Tenant

SLUG = "nat-"  # every national CPTS's slug starts so
PROFESSIONS = [(Profession.NURSE, 30), (Profession.GP, 22), (Profession.PHYSIO, 14),
               (Profession.PHARMACIST, 10), (Profession.SPECIALIST, 6), (Profession.MIDWIFE, 4),
               (Profession.DENTIST, 4), (Profession.SPEECH, 3), (Profession.PODIATRIST, 3),
               (Profession.DIETICIAN, 2), (Profession.PSYCHOLOGIST, 2)]  # fmt: skip
SIGNED_SHARE = 0.7  # of the national CPTS have signed the ACI
FIRST_DAY = date(2019, 1, 1)
HISTORY_MONTHS = 60  # values go back five years at most
MISSING_REASON = "Donnée non transmise par la CPAM pour cette période"


@dataclass(frozen=True)
class Profile:
    """How a template's values are invented. A count is `level` per 10,000 inhabitants (per
    period for a flow); a rate is `level` per 1,000 of its denominator, `share` of the
    population. The level moves from a draw in `level` to that times a draw in `trend` over
    the five years."""

    level: tuple[float, float]
    trend: tuple[float, float]
    share: float | None = None  # denominator per inhabitant; None for a count


PROFILES = {  # by catalogue code; the pathways' outcomes are left out (no pathways here)
    "mt_ald": Profile((15, 45), (0.35, 0.8)),
    "mt_70": Profile((40, 120), (0.5, 0.9)),
    "mt_c2s_ald": Profile((8, 25), (0.4, 0.85)),
    "mt_16": Profile((820, 900), (1.0, 1.06), 0.82),
    "snp_sas": Profile((1.5, 5), (1.2, 2.5)),
    "snp_rdv": Profile((700, 880), (1.0, 1.12), 0.02),
    "parcours_inclus": Profile((0.5, 3), (1.5, 4)),
    "urgences_sans_hospit": Profile((55, 85), (0.8, 0.95), 1.0),
    "depistage_sein": Profile((450, 600), (1.0, 1.12), 0.085),
    "depistage_colorectal": Profile((260, 380), (1.0, 1.15), 0.33),
    "prevention_touches": Profile((8, 30), (1.3, 3)),
    "crise_formes": Profile((1, 6), (1.0, 2.5)),
}


def territories(count: int, known: set[str],
                regions: Sequence[str] = ()) -> list[tuple[Epci, list[Commune]]]:  # fmt: skip
    """`count` EPCIs taken in turn from every region (or the `regions` given), the largest
    first, each with its communes of that region, none held by a CPTS already (but the national
    CPTS `known`)."""
    claimed = {code for code, _tenant in territory_links()}
    by_epci: dict[str, list[Commune]] = defaultdict(list)
    for commune in db.session.scalars(select(Commune).where(Commune.epci_siren.is_not(None))):
        by_epci[commune.epci_siren].append(commune)  # type: ignore[index]
    by_region: dict[str, list[tuple[Epci, list[Commune]]]] = defaultdict(list)
    for epci in db.session.scalars(select(Epci).order_by(Epci.population.desc(), Epci.siren)):
        communes = by_epci.get(epci.siren, [])
        mine = f"{SLUG}{epci.siren}" in known
        if not communes or (not mine and any(c.code in claimed for c in communes)):
            continue
        region = max({c.region_code for c in communes},
                     key=lambda r: sum(c.population for c in communes if c.region_code == r))  # fmt: skip
        by_region[region].append((epci, [c for c in communes if c.region_code == region]))
    picked: list[tuple[Epci, list[Commune]]] = []
    queues = [by_region[r] for r in sorted(by_region) if not regions or r in regions]
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


def load_national(count: int = 1000, members: int = 150, seed: int = 2026,
                  regions: Sequence[str] = (), prefix: str = "CPTS nationale") -> list[str]:  # fmt: skip
    """Create what is missing of the national data set (in some `regions` only, if given);
    return the lines to print."""
    started = time.perf_counter()
    known = set(db.session.scalars(select(Tenant.slug).where(Tenant.slug.startswith(SLUG))))
    names = set(db.session.scalars(select(Tenant.name)))  # unique: EPCIs may share a name
    load_catalogue()  # the templates the indicators come from
    templates = _templates()
    created = member_rows = period_rows = value_rows = 0
    for number, (epci, communes) in enumerate(territories(count, known, regions), start=1):
        slug = f"{SLUG}{epci.siren}"
        if slug in known:
            continue
        rng = random.Random(f"{seed}-{epci.siren}")
        name = f"{prefix} {epci.name}"[:180]
        name = f"{name} ({epci.siren})" if name in names else name
        names.add(name)
        tenant = create_tenant(
            {"slug": slug, "name": name, "fictitious": True,
             "declared_stage": rng.choice([Stage.EMERGENCE, Stage.LETTER_OF_INTENT,
                                           Stage.PROJECT_SUBMITTED])},
            communes,
        )  # fmt: skip
        with tenant_bound(tenant.id):
            member_rows += _members(tenant, communes, members, rng, number)
            if rng.random() < SIGNED_SHARE and (starts := _convention(tenant, rng)):
                periods, values = _reporting(tenant, starts, templates, rng)
                period_rows, value_rows = period_rows + periods, value_rows + values
        created += 1
        if created % 50 == 0:
            db.session.commit()
    db.session.commit()
    seconds = time.perf_counter() - started
    return [f"{created} CPTS nationales créées ({len(known)} déjà là), {member_rows} membres, "
            f"{period_rows} périodes et {value_rows} valeurs d'indicateurs, en {seconds:.1f} s"]  # fmt: skip


def _rpps(cpts_number: int, member_number: int) -> str:
    base = f"98{cpts_number:04d}{member_number:04d}"
    return next(base + str(d) for d in range(10) if luhn_ok(base + str(d)))


def _members(tenant: Tenant, communes: list[Commune], count: int, rng: random.Random,
             number: int) -> int:  # fmt: skip
    """Members joining over the years since the CPTS's first day, some having left."""
    kinds = [p for p, _ in PROFESSIONS]
    weights = [w for _, w in PROFESSIONS]
    founded = FIRST_DAY + timedelta(days=rng.randint(0, 4 * 365))
    span = max((date.today() - founded).days, 1)
    codes = [c.code for c in communes]
    rows = []
    for k in range(max(1, int(count * rng.uniform(0.5, 1.5)))):
        joined = founded + timedelta(days=int(span * rng.random() ** 1.5))
        left = joined + timedelta(days=rng.randint(90, 900)) if rng.random() < 0.08 else None
        rows.append({
            "tenant_id": tenant.id, "first_name": rng.choice(FIRST_NAMES),
            "last_name": rng.choice(LAST_NAMES), "profession": rng.choices(kinds, weights)[0],
            "rpps": _rpps(number, k), "exercise_mode": ExerciseMode.LIBERAL,
            "place": Place.PRACTICE, "practice_commune_code": rng.choice(codes),
            "joined_on": joined, "left_on": left if left and left < date.today() else None,
        })  # fmt: skip
    db.session.execute(insert(Member), rows)
    return len(rows)


def _convention(tenant: Tenant, rng: random.Random) -> date | None:
    """A convention signed between 2020 and 2024 (none if that day is still to come); it starts
    on its signature day, which is returned."""
    signed = FIRST_DAY + timedelta(days=rng.randint(365, 6 * 365))
    if signed > date.today():
        return None
    terms = {f"running:{y}": default_running_budget(tenant.size_class, signed, y)
             for y in range(1, 6)}  # fmt: skip
    terms |= {f"fixed:acces_soins:{y}": 2_000_000 for y in range(1, 6)}
    convention.save_convention(tenant, {"reference": f"ACI-{tenant.slug}",
                                        "signed_on": signed.isoformat(),
                                        "starts_on": signed.isoformat(), "terms": terms})  # fmt: skip
    return signed


# -- indicators and their reporting (every value invented)


@dataclass(frozen=True)
class Series:
    """One indicator's invented values: its level moves from `start` to `start` x `trend`
    over five years (see Profile)."""

    indicator_id: int
    kind: PeriodKind
    unit: Unit
    profile: Profile
    start: float
    trend: float

    def level(self, share: float) -> float:
        return self.start * (1 + (self.trend - 1) * share)


def _templates() -> dict[str, dict]:
    """The catalogue templates with a profile, as an indicator's columns (template and
    definition), by code."""
    rows = {}
    for template in db.session.scalars(select(IndicatorTemplate)):
        profile = PROFILES.get(template.code)
        if profile and (profile.share is None) == (template.unit is Unit.COUNT):
            fields = {name: getattr(template, name) for name in DEFINITION_FIELDS}
            rows[template.code] = {"template_id": template.id, "code": template.code, **fields}
    return rows


def _pick(templates: dict[str, dict], rng: random.Random) -> list[str]:
    """4 to 6 template codes: the monthly ones for every CPTS, the others at random."""
    codes = sorted(templates)
    monthly = [c for c in codes if templates[c]["period"] is PeriodKind.MONTH]
    others = [c for c in codes if c not in monthly]
    count = min(rng.randint(4, 6), len(codes))
    return (monthly + rng.sample(others, max(0, count - len(monthly))))[:count]


def _reporting(
    tenant: Tenant, starts_on: date, templates: dict[str, dict], rng: random.Random
) -> tuple[int, int]:
    """The CPTS's indicators, and their periods from the convention's start (five years back
    at most) to its end or the last period due, with values and review events; how many
    periods and values."""
    today, now = date.today(), datetime.now(UTC)
    first = max(starts_on, add_months(today, -HISTORY_MONTHS))
    codes = _pick(templates, rng)
    statement = insert(Indicator).returning(Indicator.id, sort_by_parameter_order=True)
    ids = db.session.scalars(statement, [{"tenant_id": tenant.id, **templates[c]} for c in codes])
    series = [Series(i, templates[c]["period"], templates[c]["unit"], PROFILES[c],
                     rng.uniform(*PROFILES[c].level), rng.uniform(*PROFILES[c].trend))
              for i, c in zip(ids.all(), codes, strict=True)]  # fmt: skip
    delay, late = due_delay(tenant.region_code), rng.choice((0.0, 0.05, 0.15, 0.4))
    periods: list[dict] = []
    for kind in sorted({s.kind for s in series}, key=MONTHS.__getitem__):
        starts = _period_starts(kind, first, default_end(starts_on), delay, today)
        periods += [_period(tenant, kind, start, delay, status, late, rng, now)
                    for start, status in zip(starts, _statuses(len(starts), rng), strict=True)]  # fmt: skip
    if not periods:
        return 0, 0
    statement = insert(ReportingPeriod).returning(ReportingPeriod.id, sort_by_parameter_order=True)
    values: list[dict] = []
    events: list[dict] = []
    for period_id, period in zip(db.session.scalars(statement, periods), periods, strict=True):
        share = (period["starts_on"] - first).days / (HISTORY_MONTHS * 30.44)
        rows = [{"tenant_id": tenant.id, "period_id": period_id, "indicator_id": s.indicator_id,
                 "updated_at": period["submitted_at"] or now,
                 **_value(s, s.level(share), max(tenant.population, 1), rng)}
                for s in series if s.kind == period["kind"]]  # fmt: skip
        values += rows
        events += _events(tenant, period_id, period, rows)
    db.session.execute(insert(IndicatorValue), values)
    if events:  # an empty list would insert one row of defaults
        db.session.execute(insert(PeriodEvent), events)
    return len(periods), len(values)


def _period_starts(
    kind: PeriodKind, first: date, last: date, delay: int, today: date
) -> list[date]:
    """The calendar months, quarters or years within [first, last] whose due date has passed."""
    step = MONTHS[kind]
    index = first.year * 12 + first.month - 1 + (first.day > 1)  # months since year 0
    index += -index % step
    starts: list[date] = []
    while True:
        start = date(index // 12, index % 12 + 1, 1)
        ends = bounds(kind, start)[1]
        if ends > last or ends + timedelta(days=delay) >= today:
            return starts
        starts.append(start)
        index += step


def _statuses(count: int, rng: random.Random) -> list[PeriodStatus]:
    """Validated but for the latest one or two: submitted, the very latest maybe a draft."""
    still_open = min(count, rng.randint(1, 2))
    latest = rng.choice((PeriodStatus.SUBMITTED, PeriodStatus.DRAFT))
    return ([PeriodStatus.VALIDATED] * (count - still_open)
            + [PeriodStatus.SUBMITTED] * (still_open - 1) + ([latest] if still_open else []))  # fmt: skip


def _period(tenant: Tenant, kind: PeriodKind, start: date, delay: int, status: PeriodStatus,
            late: float, rng: random.Random, now: datetime) -> dict:  # fmt: skip
    """A period's row: submitted some days before its due date, or after it (a `late` share);
    validated some days later."""
    ends = bounds(kind, start)[1]
    due = ends + timedelta(days=delay)
    row = {"tenant_id": tenant.id, "kind": kind, "starts_on": start, "ends_on": ends,
           "due_on": due, "status": status, "submitted_at": None, "validated_at": None}  # fmt: skip
    if status is PeriodStatus.DRAFT:
        return row
    days = rng.randint(1, 45) if rng.random() < late else -rng.randint(0, 20)
    submitted = min(datetime.combine(due + timedelta(days=days), clock(11), UTC), now)
    row["submitted_at"] = submitted
    if status is PeriodStatus.VALIDATED:
        row["validated_at"] = min(submitted + timedelta(days=rng.randint(2, 25)), now)
    return row


def _value(series: Series, level: float, population: int, rng: random.Random) -> dict:
    """A count scaled to the population, or a rate's numerator and denominator; now and then
    missing, with its reason."""
    if rng.random() < 0.01:
        return {"numerator": None, "denominator": None, "missing_reason": MISSING_REASON}
    share = series.profile.share
    if share is None:
        count = round(level * population / 10_000 * rng.gauss(1, 0.08))
        return {"numerator": max(count, 0), "denominator": None, "missing_reason": None}
    denominator = max(round(population * share * rng.gauss(1, 0.03)), 1)
    numerator = max(round(denominator * level / 1000 * rng.gauss(1, 0.02)), 0)
    if series.unit is Unit.PERCENT:
        numerator = min(numerator, denominator)
    return {"numerator": numerator, "denominator": denominator, "missing_reason": None}


def _events(tenant: Tenant, period_id: int, period: dict, values: list[dict]) -> list[dict]:
    """The period's submission and validation (as they happened), each with the values."""
    snapshot = {str(v["indicator_id"]): [v["numerator"], v["denominator"], v["missing_reason"]]
                for v in values}  # fmt: skip
    steps = ((PeriodAction.SUBMIT, period["submitted_at"]),
             (PeriodAction.VALIDATE, period["validated_at"]))  # fmt: skip
    return [{"tenant_id": tenant.id, "period_id": period_id, "action": action, "at": at,
             "values": snapshot, "comments": {}}
            for action, at in steps if at is not None]  # fmt: skip
