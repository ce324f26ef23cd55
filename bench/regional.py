"""Benchmark: the regional pages at national scale, on PostgreSQL: `flask demo national` fills a
database with 1,000 CPTS, ~150,000 members and five years of indicator values through the
application's role under row-level security (the rollups kept current as it goes); then the ARS
of the largest region opens each regional page, and the platform admin the national view.

Per page, the median server time three ways: cold (nothing kept, as in a process that just
started), after a write in a CPTS of the region (the version moved: the page is built again,
around the table rows and figures that did not change) and from the cache; each against the
page's floor: the statements its build sends (the user, the version, the rollup reads),
replayed raw on the driver, plus a bare Flask response of the same size. Then the page's size
and its largest figure's JSON. Last, each page as served in production, built again ahead of
its reader after each write (app.blueprints.ahead). BENCH_CPTSS, BENCH_MEMBERS change the size;
BENCH_KEEP=1 keeps the database afterwards and reuses a kept one (to measure again in seconds).
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import event, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.blueprints import ahead, page_cache  # noqa: E402
from app.demo.national import load_national  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models.user import Role  # noqa: E402
from app.referential import load_referential  # noqa: E402
from app.services.members import create_member  # noqa: E402
from app.services.users import create_user, grant_in_scope  # noqa: E402
from app.tenants.context import tenant_bound  # noqa: E402
from app.tenants.models import Tenant  # noqa: E402
from bench.common import fresh_app, postgres_reachable  # noqa: E402
from tests import databases  # noqa: E402

NAME = "cpts_bench_regional"
PASSWORD = "Bench-password-2026!"
CPTSS = int(os.environ.get("BENCH_CPTSS", 1000))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", 150))
KEEP = os.environ.get("BENCH_KEEP") == "1"
RUNS = 20


def pages(app, region: str) -> list[str]:
    with app.app_context():
        slugs = list(db.session.scalars(
            select(Tenant.slug).where(Tenant.region_code == region).order_by(Tenant.name).limit(2)
        ))  # fmt: skip
    base = f"/region/{region}"
    return [f"{base}/", f"{base}/couverture/", f"{base}/adhesions/", f"{base}/conventions/bilan/",
            f"{base}/resultats/", f"{base}/comparer/?cpts={slugs[0]}&cpts={slugs[1]}",
            f"{base}/conventions/", f"{base}/revue/", "/national/"]  # fmt: skip


class Recorder:
    """The statements a request sends, to replay them raw (the floor)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list = []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._keep)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._keep)

    def _keep(self, _conn, _cursor, statement, parameters, _context, _many):
        self.statements.append((statement, parameters))


def replay(engine, statements: list) -> float:
    """Milliseconds to run the statements straight on the driver and fetch every row."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description:
                cursor.fetchall()
        elapsed = (time.perf_counter() - started) * 1000
        connection.rollback()
    finally:
        connection.close()
    return elapsed


def bare_response(size: int) -> float:
    """Milliseconds for a bare Flask app to answer a body of that size."""
    bare = Flask("bare")
    body = b"x" * size
    bare.add_url_rule("/", "page", lambda: body)
    client = bare.test_client()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get("/")
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


FIGURE = re.compile(r'<script type="application/json" id="figure-[^"]+">(.*?)</script>', re.S)


class Writer:
    """A member joins a CPTS of the region: the write that moves the region's rollup version."""

    def __init__(self, app, region: str):
        self.app = app
        with app.app_context():
            self.tenant_id, self.name = db.session.execute(
                select(Tenant.id, Tenant.name).where(Tenant.region_code == region).limit(1)
            ).one()
        self.count = 0

    def write(self) -> None:
        self.count += 1
        with self.app.app_context(), tenant_bound(self.tenant_id):
            create_member(db.session.get(Tenant, self.tenant_id), {
                "first_name": "Bench", "last_name": f"Adhérent {self.count}",
                "profession": "infirmier", "joined_on": date.today().isoformat()})  # fmt: skip
            db.session.commit()


def timed(client, engine, path: str, before=None) -> tuple[float, list, bytes]:
    """Milliseconds for one request (after `before`, untimed), its statements and its body."""
    if before is not None:
        before()
    with Recorder(engine) as recorded:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, recorded.statements, response.data


def report(app, client, region: str) -> None:
    """Each page three ways: cold (nothing kept: a process that just started), after a write in
    another CPTS of the region (the rows and figures that did not change are kept) and from
    the cache; each against the page's floor (the statements of its build, replayed raw, and
    a bare Flask response of its size)."""
    writer, floors = Writer(app, region), {}
    app.config["PAGES_AHEAD"] = False  # each page built by its first reader after a write
    with app.app_context():
        engine = db.engine
    print(f"{'page':44} {'SQL':>3} {'floor':>6} {'cold':>6} {'ratio':>5} {'write':>6} "
          f"{'ratio':>5} {'hit':>5} {'SQL':>3} {'ratio':>5} {'KB':>4} {'fig KB':>6}")  # fmt: skip
    for path in pages(app, region):
        # Requests outside any application context: each one loads its user and its versions
        # as in production (an outer context would share `g` and the session between them).
        timed(client, engine, path)  # warm up
        cold = [timed(client, engine, path, page_cache.clear) for _ in range(RUNS)]
        written = [timed(client, engine, path, writer.write) for _ in range(RUNS)]
        hits = [timed(client, engine, path) for _ in range(RUNS)]
        statements, body = written[-1][1], written[-1][2]
        floor = statistics.median(replay(engine, statements) for _ in range(5))
        floor += bare_response(len(body))
        figures = [len(f.encode()) / 1024 for f in FIGURE.findall(body.decode())]
        times = [statistics.median(t for t, _, _ in runs) for runs in (cold, written, hits)]
        floors[path] = floor
        print(f"{path[:44]:44} {len(statements):3d} {floor:6.1f} "
              f"{times[0]:6.1f} {times[0] / floor:5.2f} {times[1]:6.1f} {times[1] / floor:5.2f} "
              f"{times[2]:5.1f} {len(hits[-1][1]):3d} {times[2] / floor:5.2f} "
              f"{len(body) / 1024:4.0f} {max(figures, default=0):6.1f}")  # fmt: skip
    served_ahead(app, client, engine, writer, floors)


def served_ahead(app, client, engine, writer: Writer, floors: dict[str, float]) -> None:
    """As served in production: after each write, the process builds the page again in the
    background (app.blueprints.ahead); the reader comes once it has (the freshness target
    leaves a second). Per page: the time from the start of the write (commit included) to the
    page built ahead, and the reader's time against the page's floor."""
    app.config["PAGES_AHEAD"] = True
    print(f"\n{'page (built ahead after each write)':44} {'built in':>8} {'read':>5} {'ratio':>5}")
    for path, floor in floors.items():
        ahead.clear()
        timed(client, engine, path)  # the page a reader opened, and opened again
        timed(client, engine, path)
        lags, reads = [], []
        for _ in range(RUNS):
            started = time.monotonic()
            writer.write()
            while ahead.last_built_at < started and time.monotonic() - started < 1:
                time.sleep(0.002)
            lags.append((ahead.last_built_at - started) * 1000)
            reads.append(timed(client, engine, path)[0])
        read = statistics.median(reads)
        print(f"{path[:44]:44} {statistics.median(lags):6.0f}ms {read:5.1f} {read / floor:5.2f}")


def freshness_ms(app, client, region: str) -> float:
    """From the start of a write in a CPTS of the region to its home showing the new count."""
    writer = Writer(app, region)
    rows = client.get(f"/region/{region}/synthese.csv").get_data(as_text=True).splitlines()
    before = int(next(line.split(";")[5] for line in rows if line.startswith(writer.name + ";")))
    client.get(f"/region/{region}/")  # cached before the write
    started = time.perf_counter()
    writer.write()
    page = client.get(f"/region/{region}/")
    elapsed = (time.perf_counter() - started) * 1000
    assert f">{before + 1}<" in page.get_data(as_text=True).replace("\u202f", "")  # 1 234
    return elapsed


def load(database) -> str:
    """Fill the database (or reuse a kept one); the ARS user of its largest region."""
    app = fresh_app(SQLALCHEMY_DATABASE_URI=database.owner_url,  # the referential is the owner's
                    MIGRATION_DATABASE_URL=database.owner_url)  # fmt: skip
    with app.app_context():
        load_referential()
        db.session.commit()
    app = fresh_app(
        SQLALCHEMY_DATABASE_URI=database.app_url, MIGRATION_DATABASE_URL=database.owner_url
    )
    with app.app_context():
        started = time.perf_counter()
        print(load_national(CPTSS, MEMBERS)[0])
        region = largest_region()
        user = create_user("ars@bench.fr", PASSWORD)
        grant_in_scope(user, Role.ARS, region_code=region)
        grant_in_scope(user, Role.ADMIN)  # the national view
        db.session.commit()
        print(f"set-up {time.perf_counter() - started:.1f} s")
    return region


def largest_region() -> str:
    return db.session.execute(
        select(Tenant.region_code, func.count()).group_by(Tenant.region_code)
        .order_by(func.count().desc()).limit(1)
    ).first()[0]  # fmt: skip


def main() -> None:
    if not postgres_reachable():
        print("PostgreSQL not reachable on 127.0.0.1:5432: nothing measured")
        return
    database = databases.postgres_database(NAME, keep=KEEP)
    try:
        app = fresh_app(
            SQLALCHEMY_DATABASE_URI=database.app_url, MIGRATION_DATABASE_URL=database.owner_url
        )
        with app.app_context():
            kept = db.session.scalar(select(func.count()).select_from(Tenant))
            region = largest_region() if kept else None
        if not kept:
            region = load(database)
            app = fresh_app(
                SQLALCHEMY_DATABASE_URI=database.app_url,
                MIGRATION_DATABASE_URL=database.owner_url,
            )
        with app.app_context():
            count = db.session.scalar(
                select(func.count()).select_from(Tenant).where(Tenant.region_code == region)
            )
        print(f"largest region {region}: {count} CPTS")
        client = app.test_client()
        client.post("/login", data={"email": "ars@bench.fr", "password": PASSWORD})
        report(app, client, region)
        print(f"freshness: a member added in a CPTS is on the regional home "
              f"{freshness_ms(app, client, region):.0f} ms after the write began (commit "
              "included)")  # fmt: skip
    finally:
        if not KEEP:
            databases.drop_postgres_database(NAME)


if __name__ == "__main__":
    main()
