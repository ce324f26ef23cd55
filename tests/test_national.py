"""The national data set: fictitious CPTS on real EPCIs, in turn from every region, with their
members, conventions and, for those with a convention, indicators reported over it, written
through the tenancy rules; idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.demo.national import HISTORY_MONTHS, SLUG, load_national, territories
from app.extensions import db
from app.models.contract import add_months, default_end
from app.models.indicator import (
    IndicatorValue,
    PeriodAction,
    PeriodKind,
    PeriodStatus,
    ReportingPeriod,
)
from app.models.member import Member
from app.models.referential import Commune
from app.models.targets import Unit
from app.models.user import Role
from app.reports.national import national_rows
from app.services import reporting
from app.services.convention import contract_record
from app.services.indicators import indicators
from app.services.territory import territory_of
from app.tenants.context import TenancyError, tenant_bound, unscoped
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


def test_cptss_with_a_convention_report_over_it(app):
    """Values for the CPTS with a convention only, in calendar periods within it (five years
    back at most, due date passed), validated but for the latest; read as their CPTS only."""
    lines = load_national(6, 5)
    assert "périodes et" in lines[0]
    today = date.today()
    tenants = list(db.session.scalars(select(Tenant).where(Tenant.slug.startswith(SLUG))))
    values_seen, signed = 0, 0
    for tenant in tenants:
        with tenant_bound(tenant.id):
            record = contract_record(tenant)
            mine = indicators(tenant)
            periods = reporting.periods(tenant)
            if record.starts_on is None:
                assert not mine and not periods
                continue
            signed += 1
            assert 4 <= len(mine) <= 6 and all(i.template_id for i in mine)
            assert "snp_rdv" in {i.code for i in mine}  # monthly values for every one
            kinds = {i.period for i in mine}
            assert {p.kind for p in periods} == kinds and PeriodKind.MONTH in kinds
            oldest = max(record.starts_on, add_months(today, -HISTORY_MONTHS))
            for period in periods:
                assert oldest <= period.starts_on and period.ends_on <= default_end(
                    record.starts_on
                )
                assert period.due_on < today
                values_seen += _check_values(period, [i for i in mine if i.period is period.kind])
            for kind in kinds:
                _check_statuses([p for p in reversed(periods) if p.kind is kind])
    assert 1 <= signed < len(tenants)
    with unscoped("test: every value of the data set"):
        assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == values_seen
    with pytest.raises(TenancyError):  # no tenant bound: no read
        db.session.scalars(select(IndicatorValue)).all()
    db.session.rollback()


def _check_values(period: ReportingPeriod, expected: list) -> int:
    """Every indicator of the period's rhythm has a number (or a reason); rates their
    denominator; no other tenant's row reaches the CPTS, raw SQL included (PostgreSQL's RLS)."""
    values = reporting.values_of(period)
    assert set(values) == {i.id for i in expected}
    units = {i.id: i.unit for i in expected}
    for value in values.values():
        assert value.tenant_id == period.tenant_id
        if value.numerator is None:
            assert value.missing_reason
        elif units[value.indicator_id] is Unit.COUNT:
            assert value.denominator is None
        else:
            assert value.denominator
            assert units[value.indicator_id] is not Unit.PERCENT or (
                value.numerator <= value.denominator
            )
    if db.engine.dialect.name == "postgresql":
        raw = db.session.scalar(text("SELECT count(*) FROM indicator_value"))
        assert raw == db.session.scalar(select(func.count()).select_from(IndicatorValue))
    return len(values)


def _check_statuses(periods: list[ReportingPeriod]) -> None:
    """Oldest first: validated (submitted, then validated, both in the trail), then the latest
    one or two submitted or, the very latest, a draft."""
    statuses = [p.status for p in periods]
    open_count = sum(s is not PeriodStatus.VALIDATED for s in statuses)
    assert 1 <= open_count <= 2 and PeriodStatus.VALIDATED not in statuses[-open_count:]
    assert PeriodStatus.DRAFT not in statuses[:-1]
    for period in periods:
        actions = [e.action for e in reporting.trail(period)]
        if period.status is PeriodStatus.VALIDATED:
            assert period.submitted_at <= period.validated_at
            assert actions == [PeriodAction.SUBMIT, PeriodAction.VALIDATE]
        elif period.status is PeriodStatus.SUBMITTED:
            assert actions == [PeriodAction.SUBMIT] and period.submitted_at
        else:
            assert not actions and period.submitted_at is None


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
    make_tenant("cpts-b", (AGDE, NARBONNE))  # Narbonne claimed twice: counted once
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
