"""The monthly rollups: right figures, kept current by every kind of write (property-based: any
sequence of writes leaves them equal to a rebuild), rebuilt by the CLI, read only in scope."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from threading import Thread

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from app.domain import DomainError
from app.extensions import db
from app.models.indicator import PeriodKind
from app.models.member import Member, Profession
from app.models.rollup import FIGURES, CptsMonth, RollupVersion
from app.rollups.figures import month_figures
from app.rollups.regional import freshness
from app.services import catalogue, convention, members, reporting
from app.services.indicators import add_indicator
from app.tenants.context import tenant_bound
from tests.factories import add_members, make_contract, make_tenant

TODAY = date.today()
THIS_MONTH = TODAY.replace(day=1)


def stored(tenant) -> dict[date, dict]:
    with tenant_bound(tenant.id):
        rows = db.session.scalars(select(CptsMonth).order_by(CptsMonth.month))
        return {row.month: dict(zip(FIGURES, row.figures(), strict=True)) for row in rows}


def rebuilt(tenant) -> dict[date, dict]:
    with tenant_bound(tenant.id):
        months = month_figures(tenant, TODAY)
    return {month: {name: figures[name] for name in FIGURES} for month, figures in months.items()}


def test_a_cpts_months_count_members_money_and_reporting(app):
    tenant = make_tenant("cpts-a")
    add_members(tenant, 3, joined_on=date(2024, 1, 15))
    make_contract(tenant)  # signed 2024-03-01, 75,000 € received on 2024-03-20
    months = stored(tenant)
    january, march = months[date(2024, 1, 1)], months[date(2024, 3, 1)]
    assert (january["members"], january["arrivals"], january["professions"]) == (
        3, 3, {"infirmier": 3}
    )  # fmt: skip
    assert (january["stage"], january["convention"], january["signed_on"]) == (
        "emergence", "brouillon", None  # recorded, signed later
    )  # fmt: skip
    assert (march["stage"], march["signed_on"], march["paid"]) == (
        "aci_signe", date(2024, 3, 1), 7_500_000
    )  # fmt: skip
    assert march["due"] >= 7_500_000  # the first year's running budget falls due at signature
    assert months[THIS_MONTH]["members"] == 3
    assert sum(m["planned"] for m in months.values()) > 0
    assert months == rebuilt(tenant)


def test_every_write_moves_the_regions_version(app):
    tenant = make_tenant("cpts-a")
    version = db.session.get(RollupVersion, tenant.region_code).version
    add_members(tenant, 1)
    db.session.expire_all()
    assert db.session.get(RollupVersion, tenant.region_code).version == version + 1


def test_this_process_reads_the_version_again_at_the_commit_not_at_a_savepoint(app):
    """SQLAlchemy signals a savepoint's release (a member's flush goes through one) as a commit:
    the version must be read again after the transaction's own commit, or a read in between
    (another request of the process) holds the old one for VERSION_SECONDS."""
    tenant = make_tenant("cpts-a")
    before = freshness(tenant.region_code).version
    between: list[int] = []

    def another_request() -> None:
        with app.app_context():
            between.append(freshness(tenant.region_code).version)

    with tenant_bound(tenant.id):
        members.create_member(tenant, {"first_name": "Zoé", "last_name": "Nouvelle",
                                       "profession": "infirmier", "joined_on": TODAY.isoformat()})  # fmt: skip
        reader = Thread(target=another_request)
        reader.start()
        reader.join()
        db.session.commit()
    assert between == [before]
    assert freshness(tenant.region_code).version == before + 1


def test_a_write_rewrites_only_the_months_it_changes(app):
    tenant = make_tenant("cpts-a")
    add_members(tenant, 2, joined_on=date(2024, 1, 15))
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)
    with tenant_bound(tenant.id):
        db.session.execute(update(CptsMonth).values(computed_at=long_ago))
        db.session.commit()

    def rewritten() -> list[date]:
        with tenant_bound(tenant.id):
            return list(db.session.scalars(
                select(CptsMonth.month).where(CptsMonth.computed_at > long_ago)
            ))  # fmt: skip

    add_members(tenant, 1, joined_on=TODAY)  # changes this month only
    assert rewritten() == [THIS_MONTH]
    assert len(stored(tenant)) > 12 and stored(tenant)[THIS_MONTH]["members"] == 3
    add_members(tenant, 1, joined_on=date(2023, 11, 2))  # earlier: two months more, all counts
    assert min(stored(tenant)) == date(2023, 11, 1)
    assert stored(tenant) == rebuilt(tenant)


def test_the_cli_rebuilds_one_cpts_or_all_and_refuses_an_unknown_one(app, runner):
    tenant = make_tenant("cpts-a")
    add_members(tenant, 2)
    with tenant_bound(tenant.id):
        db.session.execute(CptsMonth.__table__.delete())  # lost, as after a bulk load
        db.session.commit()
    assert stored(tenant) == {}
    result = runner.invoke(args=["rollups", "rebuild", "--tenant", "cpts-a"])
    assert result.exit_code == 0, result.output
    assert "1 CPTS recalculées" in result.output
    assert stored(tenant) == rebuilt(tenant) != {}
    refused = runner.invoke(args=["rollups", "rebuild", "--tenant", "inconnue"])
    assert refused.exit_code != 0 and "--tenant" in refused.output
    assert runner.invoke(args=["rollups", "rebuild"]).exit_code == 0


# -- any sequence of writes leaves the rollups equal to a rebuild

DAYS = st.dates(date(2022, 1, 1), TODAY)
WRITES = st.one_of(
    st.tuples(st.just("join"), st.sampled_from(list(Profession)), DAYS),
    st.tuples(st.just("bulk_join"), st.integers(1, 4), DAYS),
    st.tuples(st.just("leave"), st.integers(0, 30), st.integers(0, 900)),
    st.tuples(st.just("rejoin"), st.integers(0, 30), st.integers(1, 400)),
    st.tuples(st.just("sign"), DAYS),
    st.tuples(st.just("pay"), st.integers(1, 10_000_000), st.integers(0, 900)),
    st.tuples(st.just("report"), st.integers(0, 14), st.integers(0, 400), st.booleans()),
)
_numbers = itertools.count()


def _active(tenant) -> list[Member]:
    return list(db.session.scalars(select(Member).order_by(Member.id)))


def _apply(tenant, write) -> None:
    kind, *args = write
    if kind == "join":
        profession, day = args
        members.create_member(tenant, {"first_name": "A", "last_name": f"B{next(_numbers)}",
                                       "profession": profession.value,
                                       "joined_on": day.isoformat()})  # fmt: skip
    elif kind == "bulk_join":  # as the import and the national data set write: ORM bulk insert
        count, day = args
        db.session.execute(insert(Member), [
            {"first_name": "C", "last_name": f"D{next(_numbers)}",
             "profession": Profession.PHARMACIST, "joined_on": day} for _ in range(count)
        ])  # fmt: skip
    elif kind in ("leave", "rejoin"):
        found = _active(tenant)
        if not found:
            return
        member = found[args[0] % len(found)]
        base = member.left_on or member.joined_on
        day = min(base + timedelta(days=args[1]), TODAY)
        if kind == "leave":
            members.record_departure(tenant, member, day)
        else:
            members.rejoin(tenant, member, day)
    elif kind == "sign":
        convention.save_convention(tenant, {
            "reference": "ACI-1", "signed_on": args[0].isoformat(),
            "starts_on": args[0].isoformat(), "terms": {"running:1": 5_000_000},
        })  # fmt: skip
    elif kind == "pay":
        found = convention.get_convention(tenant)
        if found is None or found.signed_on is None:
            return
        day = min(found.signed_on + timedelta(days=args[1]), TODAY)
        convention.record_payment(tenant, {"received_on": day.isoformat(),
                                           "amount_cents": args[0]})  # fmt: skip
    else:
        _report(tenant, *args)


def _report(tenant, quarter: int, value: int, validate: bool) -> None:
    """A quarter of 2023-2026 reported (mt_ald is quarterly), submitted, perhaps validated."""
    year, index = 2023 + quarter // 4, quarter % 4
    starts = date(year, 1 + 3 * index, 1)
    if starts > TODAY:
        return
    period = reporting.open_period(tenant, PeriodKind.QUARTER, starts)
    indicator = next(i for i in reporting.indicators_of(period) if i.code == "mt_ald")
    reporting.enter_values(tenant, period, {indicator.id: {"numerator": value}})
    reporting.submit(tenant, period)
    if validate:
        reporting.validate(tenant, period)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(WRITES, min_size=1, max_size=8))
def test_any_sequence_of_writes_leaves_the_rollups_equal_to_a_rebuild(app, writes):
    if not catalogue.templates():
        catalogue.load_catalogue()
        db.session.commit()
    tenant = make_tenant(f"cpts-{next(_numbers)}")
    with tenant_bound(tenant.id):
        add_indicator(tenant, {"template": "mt_ald"})
        db.session.commit()
        for write in writes:
            try:
                _apply(tenant, write)
            except DomainError:
                db.session.rollback()  # refused writes write nothing, rollups included
            else:
                db.session.commit()
    assert stored(tenant) == rebuilt(tenant)
