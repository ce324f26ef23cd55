"""The demo loader reproduces the seed articles' figures and is idempotent."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import func, select, true

from app.demo import PASSWORD, load_demo
from app.extensions import db
from app.identifiers import luhn_ok
from app.models.contract import ConventionStatus, MissionStatus
from app.models.indicator import PeriodStatus
from app.models.member import Member
from app.models.territory import TerritoryCommune
from app.models.user import Role, RoleGrant, User
from app.reports.conventions import convention_rows
from app.reports.members import active_member_count
from app.rollups.conventions import contract_records
from app.rollups.territory import overlaps
from app.security.passwords import verify_password
from app.services import reporting
from app.services.convention import contract_of
from app.services.earnings import earnings
from app.services.users import find_user
from app.tenants.context import tenant_bound, unscoped
from app.tenants.models import Stage, Tenant

POPULATIONS = {
    "agde": 69_339,
    "centre-saone-et-loire": 90_346,
    "costieres-en-camargue": 77_663,
    "pays-horloger": 46_816,
    "grand-narbonne": 134_606,
}


def _tenant(slug: str) -> Tenant:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def _active(slug: str, day: date | None = None) -> int:
    return active_member_count(_tenant(slug), day)


def _snapshot() -> dict[str, list]:
    """Everything the loader writes, without ids of rows it may legitimately recreate."""
    with unscoped("demo test snapshot"):
        members = db.session.execute(
            select(
                Member.id,
                Member.tenant_id,
                Member.rpps,
                Member.first_name,
                Member.last_name,
                Member.profession,
                Member.joined_on,
                Member.left_on,
            ).order_by(Member.id)
        ).all()
        territory = db.session.execute(
            select(TerritoryCommune.tenant_id, TerritoryCommune.commune_code).order_by(
                TerritoryCommune.tenant_id, TerritoryCommune.commune_code
            )
        ).all()
    tenants = db.session.execute(
        select(
            Tenant.id,
            Tenant.slug,
            Tenant.name,
            Tenant.declared_stage,
            Tenant.seat_commune_code,
            Tenant.population,
            Tenant.size_class,
            Tenant.fictitious,
        ).order_by(Tenant.id)
    ).all()
    users = db.session.execute(select(User.id, User.email, User.full_name).order_by(User.id)).all()
    grants = db.session.execute(
        select(
            RoleGrant.id,
            RoleGrant.user_id,
            RoleGrant.role,
            RoleGrant.region_code,
            RoleGrant.department_code,
            RoleGrant.tenant_id,
        ).order_by(RoleGrant.id)
    ).all()
    contracts = [record for _t, record in contract_records(true())]
    return {
        "members": members,
        "territory": territory,
        "tenants": tenants,
        "users": users,
        "grants": grants,
        "contracts": contracts,
    }


def test_seed_territories_have_the_referential_populations(app):
    load_demo()
    assert {slug: _tenant(slug).population for slug in POPULATIONS} == POPULATIONS
    assert _tenant("grand-narbonne").size_class == "T3"
    assert _tenant("agde").size_class == "T2"


def test_member_counts_follow_the_articles(app):
    load_demo()
    assert _active("centre-saone-et-loire", date(2023, 2, 28)) == 11
    assert _active("centre-saone-et-loire", date(2023, 6, 13)) == 51
    assert _active("grand-narbonne") == 137
    assert _active("grand-narbonne", date(2026, 11, 25)) == 137
    assert _active("agde", date(2023, 12, 26)) == 50
    assert _active("costieres-en-camargue", date(2023, 1, 6)) == 30


def test_fictitious_rpps_are_well_formed_and_unique(app):
    load_demo()
    for tenant in db.session.scalars(select(Tenant)):
        with tenant_bound(tenant.id):
            numbers = list(db.session.scalars(select(Member.rpps)))
        assert len(numbers) == len(set(numbers))
        assert all(len(n) == 11 and n.isdigit() and luhn_ok(n) for n in numbers)


def test_demo_accounts_and_overlap(app):
    lines = load_demo()
    assert "Comptes de démonstration" in " ".join(lines)
    president = find_user("president.narbonne@demo.observatoire-cpts.fr")
    assert verify_password(president.password_hash, "Demo-CPTS-2026!")[0]
    assert [(g.role, g.tenant_id) for g in president.grants] == [
        (Role.PRESIDENT, _tenant("grand-narbonne").id)
    ]
    cpam = find_user("cpam.aude@demo.observatoire-cpts.fr")
    assert sorted(g.department_code for g in cpam.grants) == ["11", "34"]
    shared = overlaps(_tenant("grand-narbonne"))
    assert [(o.commune.code, o.other.slug) for o in shared] == [
        ("11264", "fictive-corbieres-minervois")
    ]


def test_loading_twice_changes_nothing(app):
    load_demo()
    first = _snapshot()
    load_demo()
    db.session.expire_all()
    assert _snapshot() == first
    assert len(first["tenants"]) == 9
    assert _active("grand-narbonne") == 137


def test_demo_refuses_to_load_in_production(app, runner):
    app.config["APP_ENV"] = "production"
    try:
        result = runner.invoke(args=["demo", "load"])
    finally:
        app.config["APP_ENV"] = "development"
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(select(func.count()).select_from(Tenant)) == 0


def _contract(slug: str):
    tenant = _tenant(slug)
    with tenant_bound(tenant.id):
        return contract_of(tenant)


def test_conventions_follow_the_articles(app):
    load_demo()
    agde = _contract("agde")
    assert agde.record.signed_on == date(2023, 12, 26)
    assert [year.planned for year in agde.money[:-1]] == [380_000_00] * 5
    narbonne = _contract("grand-narbonne")
    assert narbonne.status is ConventionStatus.AMENDED and len(narbonne.record.amendments) == 1
    assert 0 < narbonne.money[-1].received < narbonne.money[-1].due
    costieres = _contract("costieres-en-camargue")
    assert costieres.record.project.project_submitted_on == date(2023, 4, 28)
    assert costieres.stage is Stage.PROJECT_VALIDATED  # deemed, without objection
    assert _contract("pays-horloger").end_on == date(2027, 4, 12)  # extended by amendment


def test_each_region_has_a_late_and_an_at_risk_mission_to_act_on(app):
    load_demo()
    for region in ("76", "27"):
        rows = list(convention_rows(Tenant.region_code == region, date.today()))
        statuses = {s for row in rows for s in row.missions.values()}
        assert {MissionStatus.LATE, MissionStatus.AT_RISK} <= statuses, region
    aude_herault = list(convention_rows(Tenant.department_code.in_(("11", "34")), date.today()))
    assert any(row.late for row in aude_herault) and any(row.at_risk for row in aude_herault)


def test_indicators_have_periods_in_every_state_and_narbonne_shows_its_earned_euros(app):
    load_demo()
    states = {}
    for slug in ("grand-narbonne", "pays-horloger", "agde", "costieres-en-camargue"):
        tenant = _tenant(slug)
        with tenant_bound(tenant.id):
            states[slug] = {p.status for p in reporting.periods(tenant)}
    assert PeriodStatus.SUBMITTED in states["grand-narbonne"]  # waiting for the ARS of 76
    assert PeriodStatus.SUBMITTED in states["pays-horloger"]  # and of 27
    assert PeriodStatus.SENT_BACK in states["agde"]
    assert PeriodStatus.DRAFT in states["costieres-en-camargue"]
    narbonne = _tenant("grand-narbonne")
    with tenant_bound(narbonne.id):
        contract = contract_of(narbonne)
        last_closed = max(y.number for y in contract.years if y.end <= date.today())
        earned = {
            r.indicator.code: r.earning.amount_cents
            for r in earnings(contract)
            if r.year.number == last_closed
        }
    # A tier reached by each of the three indicators with tiers; the fourth has none.
    assert earned["prevention_touches"] == 0
    assert all(earned[code] > 0 for code in ("mt_ald", "mt_16", "depistage_sein")), earned


SIZES = {"agde": "T2", "centre-saone-et-loire": "T3", "costieres-en-camargue": "T2",
         "pays-horloger": "T2", "grand-narbonne": "T3"}  # fmt: skip


def test_the_regional_overviews_show_the_seed_cptss_as_the_articles_say(app, client):
    """Each seed CPTS in its ARS's overview export with the referential's population, its size
    class and (Narbonne) its 137 professionals; the regions' medians are computed."""
    load_demo()
    seen = {}
    for email, region in (("ars.occitanie@demo.observatoire-cpts.fr", "76"),
                          ("ars.bfc@demo.observatoire-cpts.fr", "27")):  # fmt: skip
        client.post("/login", data={"email": email, "password": PASSWORD})
        body = client.get(f"/region/{region}/synthese.csv").get_data(as_text=True)
        for row in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"):
            seen[row[0]] = row
        assert "Médiane régionale" in client.get(f"/region/{region}/").get_data(as_text=True)
        client.post("/logout")
    for slug, population in POPULATIONS.items():
        row = seen[_tenant(slug).name]
        assert (int(row[3]), row[4]) == (population, SIZES[slug]), slug
    assert seen[_tenant("grand-narbonne").name][5] == "137"
