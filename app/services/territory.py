"""A CPTS's territory: set it commune by commune or by whole EPCI, and derive its figures."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.domain import DomainError
from app.extensions import db
from app.models.referential import Commune, Epci
from app.models.territory import TerritoryCommune
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

LISTED = 10  # communes named in a message before "and N others"


def split_codes(text: str) -> list[str]:
    """INSEE or SIREN codes as people paste them: separated by commas, semicolons or spaces."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def communes_by_code(codes: Iterable[str], field: str = "communes") -> list[Commune]:
    wanted = sorted({code.strip().upper() for code in codes if code.strip()})
    found = db.session.scalars(select(Commune).where(Commune.code.in_(wanted))).all()
    missing = sorted(set(wanted) - {c.code for c in found})
    if missing:
        raise DomainError.on(
            field, _l("Code(s) INSEE inconnu(s) : %(codes)s", codes=", ".join(missing))
        )
    return list(found)


def communes_of_epcis(sirens: Iterable[str], field: str = "epci") -> list[Commune]:
    wanted = sorted({s.strip() for s in sirens if s.strip()})
    known = set(db.session.scalars(select(Epci.siren).where(Epci.siren.in_(wanted))))
    missing = sorted(set(wanted) - known)
    if missing:
        raise DomainError.on(
            field, _l("SIREN d'EPCI inconnu(s) : %(codes)s", codes=", ".join(missing))
        )
    return list(db.session.scalars(select(Commune).where(Commune.epci_siren.in_(wanted))))


@for_tenant
def territory_of(tenant: Tenant) -> list[Commune]:
    rows = db.session.scalars(
        select(TerritoryCommune).join(TerritoryCommune.commune).order_by(Commune.name)
    ).all()
    return [row.commune for row in rows]


@for_tenant
def territory_codes(tenant: Tenant) -> set[str]:
    return set(db.session.scalars(select(TerritoryCommune.commune_code)))


@for_tenant
def set_territory(tenant: Tenant, communes: list[Commune], field: str = "communes") -> None:
    """Replace the territory and refresh the figures derived from it (population, size class)."""
    if not communes:
        raise DomainError.on(field, _l("Le territoire doit comporter au moins une commune."))
    db.session.execute(delete(TerritoryCommune))
    db.session.add_all(TerritoryCommune(commune_code=c.code) for c in communes)
    db.session.flush()
    refresh_figures(tenant, communes)


def listed(communes: Iterable[Commune]) -> str:
    """Communes as a message names them: "Paris (75056), Lyon (69123) et 3 autre(s)"."""
    communes = list(communes)
    text = ", ".join(f"{c.name} ({c.code})" for c in communes[:LISTED])
    return text + (f" + {len(communes) - LISTED}" if len(communes) > LISTED else "")


def outside_region(region_code: str, communes: Iterable[Commune]) -> list[Commune]:
    return sorted((c for c in communes if c.region_code != region_code), key=lambda c: c.code)


def change_territory(
    tenant: Tenant, add: Iterable[Commune] = (), remove: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Add communes (one by one or a whole EPCI) and remove others; returns what changed.

    The department of attachment (which CPAM follows the CPTS) never changes here: communes
    must lie in the CPTS's region, and the last commune of that department stays.
    """
    add = list(add)
    if outside := outside_region(tenant.region_code, add):
        raise DomainError.on(
            "communes",
            _l(
                "Commune(s) hors de la région de la CPTS : %(communes)s. Le territoire d'une "
                "CPTS reste dans sa région (l'ARS qui la suit).",
                communes=listed(outside),
            ),
        )
    current = {c.code: c for c in territory_of(tenant)}
    removed = sorted(set(remove) & set(current))
    if tenant.seat_commune_code in removed:
        raise DomainError.on(
            "communes", _l("La commune du siège ne peut pas être retirée du territoire.")
        )
    wanted = {**current, **{c.code: c for c in add}}
    for code in removed:
        wanted.pop(code)
    if removed and not any(c.department_code == tenant.department_code for c in wanted.values()):
        raise DomainError.on(
            "communes",
            _l(
                "Cette commune est la dernière du département de rattachement de la CPTS : seule "
                "l'ARS ou un administrateur peut changer ce rattachement (la CPAM qui suit la CPTS)."
            ),
        )
    added = sorted(set(wanted) - set(current))
    if added or removed:
        set_territory(tenant, sorted(wanted.values(), key=lambda c: c.code))
    return {"added": added, "removed": removed}


def refresh_figures(tenant: Tenant, communes: list[Commune] | None = None) -> None:
    """Population is the sum of the communes' municipal populations (size class follows)."""
    communes = territory_of(tenant) if communes is None else communes
    tenant.set_figures(sum(c.population or 0 for c in communes))
    db.session.flush()


def population_by_department(communes: Iterable[Commune]) -> list[tuple[str, int]]:
    """(department code, population) of a territory, most populated first."""
    by_department: Counter[str] = Counter()
    for commune in communes:
        by_department[commune.department_code] += commune.population or 0
    return by_department.most_common()


def majority_department(communes: Iterable[Commune]) -> str | None:
    """The department holding most of the population: the attachment given at creation."""
    ranked = population_by_department(communes)
    return ranked[0][0] if ranked else None
