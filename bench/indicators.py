"""Benchmark: a CPTS with 40 indicators and 5 years of monthly values (2,400 values, 60 periods
validated, tiers for every indicator and year): server time and SQL statements of the
indicators page (targets and the variable part earned), the home page and a period's review page.

SQLite by default; BENCH_DATABASE_URL (and BENCH_MIGRATION_DATABASE_URL) for PostgreSQL.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extensions import db  # noqa: E402
from app.models.indicator import PeriodKind  # noqa: E402
from app.models.user import Role  # noqa: E402
from app.referential import load_referential  # noqa: E402
from app.services import convention, reporting  # noqa: E402
from app.services.indicators import add_indicator  # noqa: E402
from app.services.tenants import create_tenant  # noqa: E402
from app.services.territory import communes_by_code  # noqa: E402
from app.services.users import create_user, grant_in_scope  # noqa: E402
from app.tenants.context import tenant_bound  # noqa: E402
from bench.common import StatementCounter, fresh_app  # noqa: E402

PASSWORD = "Bench-password-2026!"
INDICATORS = 40
YEARS = 5
RUNS = 20


def build(signed: date) -> tuple[str, int]:
    tenant = create_tenant({"slug": "bench", "name": "CPTS Bench"}, communes_by_code(["11262"]))
    for email, role in (("president@bench.fr", Role.PRESIDENT), ("ars@bench.fr", Role.ARS)):
        user = create_user(email, PASSWORD)
        if role is Role.ARS:
            grant_in_scope(user, role, region_code="76")
        else:
            grant_in_scope(user, role, tenant=tenant)
    db.session.commit()
    with tenant_bound(tenant.id):
        indicators = [
            add_indicator(tenant, {
                "code": f"ind_{n:02d}", "name": f"Indicateur {n}", "mission": "parcours",
                "unit": "percent" if n % 2 else "count", "direction": "higher",
                "period": "month", "aggregation": "sum" if n % 3 else "last",
            })
            for n in range(INDICATORS)
        ]  # fmt: skip
        tiers = {
            f"tier:{i.code}:{year}:{n}": f"{threshold}={amount}"
            for i in indicators
            for year in range(1, YEARS + 1)
            for n, (threshold, amount) in enumerate(((10, 100_000), (40, 250_000)), start=1)
        }
        convention.save_convention(tenant, {"reference": "BENCH", "signed_on": signed.isoformat(),
                                            "starts_on": signed.isoformat(), "terms": tiers})  # fmt: skip
        last = None
        for month in range(YEARS * 12):
            start = date(signed.year + month // 12, month % 12 + 1, 1)
            period = reporting.open_period(tenant, PeriodKind.MONTH, start)
            reporting.enter_values(tenant, period, {
                i.id: {"numerator": 30 + month % 20, "denominator": 100} for i in indicators
            })  # fmt: skip
            reporting.submit(tenant, period)
            if month < YEARS * 12 - 1:
                reporting.validate(tenant, period)
            last = period.id
        db.session.commit()
    assert last is not None
    return tenant.slug, last


def measure(app, email: str, path: str) -> tuple[float, float, int]:
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with app.app_context(), StatementCounter() as counter:
            response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(RUNS * 0.9)], counter.count


def main() -> None:
    app = fresh_app()
    with app.app_context():
        load_referential()
        started = time.perf_counter()
        slug, last = build(date(date.today().year - YEARS, 1, 1))
        print(f"{INDICATORS} indicators x {YEARS * 12} monthly periods written through the "
              f"services in {time.perf_counter() - started:.1f} s")  # fmt: skip
    print(f"{'page':45} {'median ms':>10} {'p90 ms':>8} {'SQL':>5}")
    for email, path in (
        ("president@bench.fr", f"/t/{slug}/indicateurs/"),
        ("president@bench.fr", f"/t/{slug}/"),
        ("ars@bench.fr", f"/t/{slug}/indicateurs/periodes/{last}"),
        ("ars@bench.fr", "/region/76/revue/"),
    ):
        median, p90, statements = measure(app, email, path)
        print(f"{path:45} {median:10.1f} {p90:8.1f} {statements:5d}")


if __name__ == "__main__":
    main()
