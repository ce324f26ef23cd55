"""A national-scale data set, for benchmarks and for anyone evaluating the product: fictitious
CPTS on real territories of every region (each carved from one real EPCI, within its region,
avoiding communes another CPTS holds), their members, and conventions for most of them.

Everything but the territories is invented, from a fixed seed (the same run gives the same
data). Members are written in bulk, one CPTS at a time with that CPTS bound (the tenancy rules,
row-level security included, apply to every insert). Idempotent: a CPTS already there (by slug)
is left as it is. Indicators and their periods are not generated yet.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import insert, select

from app.demo.people import FIRST_NAMES, LAST_NAMES
from app.extensions import db
from app.identifiers import luhn_ok
from app.models.aci import default_running_budget
from app.models.member import ExerciseMode, Member, Place, Profession
from app.models.referential import Commune, Epci
from app.rollups.territory import territory_links
from app.services import convention
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


def territories(count: int, known: set[str]) -> list[tuple[Epci, list[Commune]]]:
    """`count` EPCIs taken in turn from every region (the largest first), each with its
    communes of that region, none held by a CPTS already (but the national CPTS `known`)."""
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
    queues = [by_region[r] for r in sorted(by_region)]
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


def load_national(count: int = 1000, members: int = 150, seed: int = 2026) -> list[str]:
    """Create what is missing of the national data set; return the lines to print."""
    started = time.perf_counter()
    known = set(db.session.scalars(select(Tenant.slug).where(Tenant.slug.startswith(SLUG))))
    names = set(db.session.scalars(select(Tenant.name)))  # unique: EPCIs may share a name
    created = 0
    member_rows = 0
    for number, (epci, communes) in enumerate(territories(count, known), start=1):
        slug = f"{SLUG}{epci.siren}"
        if slug in known:
            continue
        rng = random.Random(f"{seed}-{epci.siren}")
        name = f"CPTS nationale {epci.name}"[:180]
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
            if rng.random() < SIGNED_SHARE:
                _convention(tenant, rng)
        created += 1
        if created % 50 == 0:
            db.session.commit()
    db.session.commit()
    seconds = time.perf_counter() - started
    return [f"{created} CPTS nationales créées ({len(known)} déjà là), {member_rows} membres, "
            f"en {seconds:.1f} s"]  # fmt: skip


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


def _convention(tenant: Tenant, rng: random.Random) -> None:
    signed = FIRST_DAY + timedelta(days=rng.randint(365, 6 * 365))
    if signed > date.today():
        return
    terms = {f"running:{y}": default_running_budget(tenant.size_class, signed, y)
             for y in range(1, 6)}  # fmt: skip
    terms |= {f"fixed:acces_soins:{y}": 2_000_000 for y in range(1, 6)}
    convention.save_convention(tenant, {"reference": f"ACI-{tenant.slug}",
                                        "signed_on": signed.isoformat(),
                                        "starts_on": signed.isoformat(), "terms": terms})  # fmt: skip
