"""The national data set: fictitious CPTS on real EPCIs, in turn from every region, with their
members and conventions, written through the tenancy rules; idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo.national import SLUG, load_national, territories
from app.extensions import db
from app.models.member import Member
from app.models.referential import Commune
from app.models.user import Role
from app.reports.national import national_rows
from app.services.convention import contract_record
from app.services.territory import territory_of
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant
from tests.factories import (
    AGDE,
    BESANCON,
    NARBONNE,
    add_members,
    make_contract,
    make_tenant,
    make_user,
)


def test_a_small_national_data_set(app, runner):
    seed = make_tenant("cpts-a", (NARBONNE,))  # its commune is left to it
    result = runner.invoke(args=["demo", "national", "--cptss", "6", "--members", "20"])
    assert result.exit_code == 0, result.output
    assert "6 CPTS nationales créées" in result.output
    tenants = list(db.session.scalars(select(Tenant).where(Tenant.slug.startswith(SLUG))))
    assert len(tenants) == 6 and len({t.region_code for t in tenants}) == 6  # one per region
    signed = 0
    for tenant in tenants:
        with tenant_bound(tenant.id):
            communes = territory_of(tenant)
            members = db.session.scalar(select(func.count()).select_from(Member))
            signed += contract_record(tenant).signed_on is not None
        epci = tenant.slug.removeprefix(SLUG)
        same_epci = db.session.scalars(
            select(Commune.code).where(Commune.epci_siren == epci,
                                       Commune.region_code == tenant.region_code)
        ).all()  # fmt: skip
        assert sorted(c.code for c in communes) == sorted(same_epci)
        assert NARBONNE not in {c.code for c in communes}
        assert 10 <= members <= 30 and tenant.fictitious
    assert 1 <= signed <= 6
    again = runner.invoke(args=["demo", "national", "--cptss", "6", "--members", "20"])
    assert "0 CPTS nationales créées (6 déjà là)" in again.output
    assert seed.id is not None


def test_the_data_set_is_refused_in_production(app, runner):
    app.config["APP_ENV"] = "production"
    try:
        result = runner.invoke(args=["demo", "national", "--cptss", "2"])
    finally:
        app.config["APP_ENV"] = "development"
    assert result.exit_code != 0 and "production" in result.output


def test_a_name_already_taken_gets_the_epcis_siren(app):
    """EPCIs of different regions may share a name; CPTS names are unique."""
    epci, _communes = territories(1, set())[0]
    make_tenant("cpts-homonyme", (NARBONNE,), name=f"CPTS nationale {epci.name}")
    assert "1 CPTS nationales créées" in load_national(1, 5)[0]
    created = db.session.scalar(select(Tenant).where(Tenant.slug == f"{SLUG}{epci.siren}"))
    assert created.name == f"CPTS nationale {epci.name} ({epci.siren})"


def test_the_national_view_gives_each_regions_figures(app, auth):
    signed = make_tenant("cpts-a", (NARBONNE,))
    make_contract(signed)
    make_tenant("cpts-b", (AGDE,))
    add_members(make_tenant("cpts-c", (BESANCON,)), 12)
    rows = {r.region.code: r for r in national_rows()}
    occitanie = rows["76"]
    assert (occitanie.cptss, occitanie.signed, rows["27"].cptss, rows["27"].members) == (
        2,
        1,
        1,
        12,
    )
    covered = db.session.scalar(
        select(func.sum(Commune.population)).where(Commune.code.in_([NARBONNE, AGDE]))
    )
    assert occitanie.covered == covered
    assert occitanie.covered_signed == db.session.scalar(
        select(Commune.population).where(Commune.code == NARBONNE)
    )
    make_user("admin@test.fr", Role.ADMIN)
    make_user("ars@test.fr", Role.ARS, region="76")
    auth.login("ars@test.fr")
    assert auth.client.get("/national/").status_code in (403, 404)
    auth.logout()
    auth.login("admin@test.fr")
    page = auth.client.get("/national/").get_data(as_text=True)
    assert "Occitanie" in page and "Bourgogne-Franche-Comté" in page
