"""Benchmark: the regional pages at national scale, on PostgreSQL (the starting point of the
regional layer's work): `flask demo national` fills a database with 1,000 CPTS and ~150,000
members through the application's role under row-level security; then each region's ARS opens
its home and its convention list. Prints, per page of the largest region, the median and p90
server time and the SQL statements (BENCH_CPTSS, BENCH_MEMBERS to change the size).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.demo.national import load_national  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models.user import Role  # noqa: E402
from app.referential import load_referential  # noqa: E402
from app.services.users import create_user, grant_in_scope  # noqa: E402
from app.tenants.models import Tenant  # noqa: E402
from bench.common import StatementCounter, fresh_app, postgres_reachable  # noqa: E402
from tests import databases  # noqa: E402

NAME = "cpts_bench_regional"
PASSWORD = "Bench-password-2026!"
CPTSS = int(os.environ.get("BENCH_CPTSS", 1000))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", 150))
RUNS = 20


def measure(client, path: str) -> tuple[float, float, int]:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with StatementCounter() as counter:
            response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(RUNS * 0.9)], counter.count


def main() -> None:
    if not postgres_reachable():
        print("PostgreSQL not reachable on 127.0.0.1:5432: nothing measured")
        return
    database = databases.postgres_database(NAME)
    try:
        app = fresh_app(
            SQLALCHEMY_DATABASE_URI=database.owner_url,  # the referential is the owner's
            MIGRATION_DATABASE_URL=database.owner_url,
        )
        with app.app_context():
            load_referential()
            db.session.commit()
        app = fresh_app(
            SQLALCHEMY_DATABASE_URI=database.app_url, MIGRATION_DATABASE_URL=database.owner_url
        )
        with app.app_context():
            started = time.perf_counter()
            print(load_national(CPTSS, MEMBERS)[0])
            region, count = db.session.execute(
                select(Tenant.region_code, func.count()).group_by(Tenant.region_code)
                .order_by(func.count().desc()).limit(1)
            ).one()  # fmt: skip
            user = create_user("ars@bench.fr", PASSWORD)
            grant_in_scope(user, Role.ARS, region_code=region)
            db.session.commit()
            print(f"set-up {time.perf_counter() - started:.1f} s; largest region {region}: "
                  f"{count} CPTS")  # fmt: skip
        client = app.test_client()
        client.post("/login", data={"email": "ars@bench.fr", "password": PASSWORD})
        print(f"{'page':35} {'median ms':>10} {'p90 ms':>8} {'SQL':>5}")
        with app.app_context():
            for path in (f"/region/{region}/", f"/region/{region}/conventions/",
                         f"/region/{region}/revue/"):  # fmt: skip
                client.get(path)  # warm up
                median, p90, statements = measure(client, path)
                print(f"{path:35} {median:10.1f} {p90:8.1f} {statements:5d}")
    finally:
        databases.drop_postgres_database(NAME)


if __name__ == "__main__":
    main()
