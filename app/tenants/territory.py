"""A CPTS's territory: set it commune by commune or by whole EPCI, derive its figures, find overlaps."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select

from app.extensions import db
from app.models.referential import Commune, Epci
from app.tenants.context import tenant_bound, unscoped
from app.tenants.models import Tenant, TerritoryCommune


class TerritoryError(ValueError):
    """Unknown INSEE or EPCI codes; the message names them, in French."""


def split_codes(text: str) -> list[str]:
    """INSEE or SIREN codes as people paste them: separated by commas, semicolons or spaces."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def communes_by_code(codes: Iterable[str]) -> list[Commune]:
    wanted = sorted({code.strip().upper() for code in codes if code.strip()})
    found = db.session.scalars(select(Commune).where(Commune.code.in_(wanted))).all()
    missing = sorted(set(wanted) - {c.code for c in found})
    if missing:
        raise TerritoryError(f"Code(s) INSEE inconnu(s) : {', '.join(missing)}")
    return list(found)


def communes_of_epcis(sirens: Iterable[str]) -> list[Commune]:
    wanted = sorted({s.strip() for s in sirens if s.strip()})
    known = set(db.session.scalars(select(Epci.siren).where(Epci.siren.in_(wanted))))
    missing = sorted(set(wanted) - known)
    if missing:
        raise TerritoryError(f"SIREN d'EPCI inconnu(s) : {', '.join(missing)}")
    return list(db.session.scalars(select(Commune).where(Commune.epci_siren.in_(wanted))))


def territory_of(tenant: Tenant) -> list[Commune]:
    with tenant_bound(tenant.id):
        rows = db.session.scalars(
            select(TerritoryCommune).join(TerritoryCommune.commune).order_by(Commune.name)
        ).all()
    return [row.commune for row in rows]


def set_territory(tenant: Tenant, communes: list[Commune]) -> None:
    """Replace the territory and refresh the figures derived from it (population, size class)."""
    if not communes:
        raise TerritoryError("Le territoire doit comporter au moins une commune.")
    with tenant_bound(tenant.id):
        db.session.execute(delete(TerritoryCommune))
        db.session.add_all(TerritoryCommune(commune_code=c.code) for c in communes)
        db.session.flush()
    refresh_figures(tenant, communes)


def outside_region(region_code: str, communes: Iterable[Commune]) -> list[Commune]:
    return sorted((c for c in communes if c.region_code != region_code), key=lambda c: c.code)


def _refuse_outside_region(tenant: Tenant, communes: Iterable[Commune]) -> None:
    outside = outside_region(tenant.region_code, communes)
    if outside:
        listed = ", ".join(f"{c.name} ({c.code})" for c in outside[:10])
        more = f" et {len(outside) - 10} autre(s)" if len(outside) > 10 else ""
        raise TerritoryError(
            f"Commune(s) hors de la région de la CPTS : {listed}{more}. Le territoire d'une CPTS "
            "reste dans sa région (l'ARS qui la suit)."
        )


def change_territory(tenant: Tenant, add: list[Commune] = (), remove: Iterable[str] = ()) -> dict:
    """Add communes (one by one or a whole EPCI) and remove others; returns what changed.

    The department of attachment (which CPAM follows the CPTS) never changes here: communes
    must lie in the CPTS's region, and the last commune of that department stays.
    """
    _refuse_outside_region(tenant, add)
    current = {c.code: c for c in territory_of(tenant)}
    removed = sorted(set(remove) & set(current))
    if tenant.seat_commune_code in removed:
        raise TerritoryError("La commune du siège ne peut pas être retirée du territoire.")
    kept = set(current) - set(removed) | {c.code for c in add}
    if removed and not any(
        c.department_code == tenant.department_code
        for c in [*current.values(), *add]
        if c.code in kept
    ):
        raise TerritoryError(
            "Cette commune est la dernière du département de rattachement de la CPTS : seule "
            "l'ARS ou un administrateur peut changer ce rattachement (la CPAM qui suit la CPTS)."
        )
    added = sorted({c.code for c in add} - set(current))
    wanted = {**current, **{c.code: c for c in add}}
    for code in removed:
        wanted.pop(code)
    if not wanted:
        raise TerritoryError("Le territoire doit comporter au moins une commune.")
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


@dataclass(frozen=True)
class Overlap:
    commune: Commune
    other: Tenant

    @property
    def other_slug(self) -> str:
        return self.other.slug

    @property
    def other_name(self) -> str:
        return self.other.name


def overlaps(tenant: Tenant) -> list[Overlap]:
    """Communes of this territory that another CPTS also claims (a conflict the ARS settles)."""
    with tenant_bound(tenant.id):
        codes = set(db.session.scalars(select(TerritoryCommune.commune_code)))
    return overlaps_for_codes(codes, exclude_tenant_id=tenant.id)


def overlaps_for_codes(codes: set[str], exclude_tenant_id: int | None = None) -> list[Overlap]:
    if not codes:
        return []
    with unscoped("territory overlap detection"):
        rows = db.session.execute(
            select(Commune, Tenant)
            .select_from(TerritoryCommune)
            .join(Commune, Commune.code == TerritoryCommune.commune_code)
            .join(Tenant, Tenant.id == TerritoryCommune.tenant_id)
            .where(TerritoryCommune.commune_code.in_(sorted(codes)))
            .where(Tenant.id != exclude_tenant_id)
            .order_by(Commune.name, Tenant.name)
        ).all()
    return [Overlap(commune, other) for commune, other in rows]
