"""Benchmark: the CPAM convention-status export (CSV, XLSX, JSON) of 1,000 and 10,000 CPTS with
conventions, on PostgreSQL: time, bytes, SQL statements and peak Python memory.

The data is generated in SQL by the database superuser (set-up only, to stay fast); the export is
measured as production runs it: through the application, as its role under row-level security,
an admin downloading over HTTP (the WSGI test client, the body read chunk by chunk and dropped).
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extensions import db  # noqa: E402
from app.models.user import Role  # noqa: E402
from app.referential import load_referential  # noqa: E402
from app.services.users import create_user, grant_in_scope  # noqa: E402
from bench.common import StatementCounter, fresh_app, postgres_reachable  # noqa: E402
from tests import databases  # noqa: E402

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000").split(","))
NAME = "cpts_bench_export"
PASSWORD = "Bench-password-2026!"

# Every CPTS: a project, a convention signed in 2022-2024 with five years of terms, one
# amendment of two changes, two missions started, ten payments received.
GENERATE = """
INSERT INTO tenant (slug, name, region_code, department_code, declared_stage, fictitious,
                    population, size_class, created_at)
SELECT 'bench-' || i, 'CPTS banc ' || lpad(i::text, 6, '0'), '76',
       (ARRAY['11','30','34','66','81'])[1 + i % 5], 'aci_signe', true,
       40000 + i % 100000, (ARRAY['T1','T2','T3','T4'])[1 + i % 4], now()
FROM generate_series(1, :n) AS i;

INSERT INTO health_project (tenant_id, letter_submitted_on, project_submitted_on,
                            project_validated_on)
SELECT id, date '2021-01-04', date '2021-06-01', date '2021-09-01' FROM tenant;

INSERT INTO convention (tenant_id, reference, signed_on, starts_on, created_at)
SELECT id, 'ACI-' || id, date '2022-01-03' + (id % 900), date '2022-01-03' + (id % 900), now()
FROM tenant;

INSERT INTO convention_term (tenant_id, convention_id, key, value)
SELECT c.tenant_id, c.id, k.key, k.value
FROM convention c CROSS JOIN (
    SELECT 'running:' || y AS key, '7500000' AS value FROM generate_series(1, 5) y
    UNION ALL
    SELECT part || ':' || m || ':' || y, '2000000'
    FROM unnest(ARRAY['fixed', 'variable']) part,
         unnest(ARRAY['acces_soins', 'parcours', 'prevention', 'crise_sanitaire']) m,
         generate_series(1, 5) y
) k;

INSERT INTO convention_term (tenant_id, convention_id, key, value)
SELECT tenant_id, id, 'end_on', to_char(signed_on + interval '5 years' - interval '1 day',
                                        'YYYY-MM-DD')
FROM convention;

INSERT INTO amendment (tenant_id, convention_id, number, termination, signed_on, effective_on,
                       reason, created_at)
SELECT tenant_id, id, 1, false, signed_on + 200, signed_on + 210, 'Révision', now()
FROM convention;

INSERT INTO amendment_change (tenant_id, amendment_id, key, value)
SELECT a.tenant_id, a.id, k.key, '8000000'
FROM amendment a CROSS JOIN (VALUES ('running:2'), ('running:3')) AS k(key);

INSERT INTO mission_progress (tenant_id, mission, started_on, deployed_on)
SELECT tenant_id, m, signed_on + 90, NULL
FROM convention CROSS JOIN unnest(ARRAY['acces_soins', 'prevention']) m;

INSERT INTO received_payment (tenant_id, convention_id, received_on, amount_cents, created_at)
SELECT tenant_id, id, signed_on + 30 * k, 750000, now()
FROM convention CROSS JOIN generate_series(1, 10) k;
"""


def generate(count: int) -> None:
    superuser = create_engine(databases.server_url(NAME, "postgres"))
    with superuser.begin() as connection:
        tables = "received_payment, mission_progress, amendment_change, amendment, "
        connection.execute(text(f"TRUNCATE {tables} convention_term, convention, health_project"))
        connection.execute(text("DELETE FROM tenant WHERE slug LIKE 'bench-%'"))
        for statement in GENERATE.split(";\n\n"):
            connection.execute(text(statement), {"n": count})
        connection.execute(text("ANALYZE"))
    superuser.dispose()


def _read(client, fmt: str) -> int:
    response = client.get(f"/cpam/conventions/export?format={fmt}", buffered=False)
    assert response.status_code == 200, response.status_code
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return size


def download(client, fmt: str) -> tuple[float, int, int, float]:
    """Seconds, bytes, SQL statements and peak Python memory (MiB) of one export; memory is
    traced in a second run (tracing slows everything down)."""
    started = time.perf_counter()
    with StatementCounter() as counter:
        size = _read(client, fmt)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    _read(client, fmt)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, size, counter.count, peak


def main() -> None:
    if not postgres_reachable():
        print("PostgreSQL not reachable on 127.0.0.1:5432: nothing measured")
        return
    database = databases.postgres_database(NAME)
    try:
        app = fresh_app(
            SQLALCHEMY_DATABASE_URI=database.app_url,
            MIGRATION_DATABASE_URL=database.owner_url,
            LOG_LEVEL="WARNING",
        )
        with app.app_context():
            load_referential()
            admin = create_user("admin@bench.fr", PASSWORD)
            grant_in_scope(admin, Role.ADMIN)
            db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": "admin@bench.fr", "password": PASSWORD})
        for count in SIZES:
            generate(count)
            with app.app_context():  # the statement counter listens on the app's engine
                download(client, "csv")  # warm up: plans, caches
                for fmt in ("csv", "xlsx", "json"):
                    seconds, size, statements, peak = download(client, fmt)
                    print(
                        f"{count:>6} CPTS  {fmt:4}  {seconds:6.2f} s  "
                        f"{size / 2**20:6.2f} MiB written  {statements:3} SQL  "
                        f"peak Python memory {peak:5.1f} MiB"
                    )
    finally:
        databases.drop_postgres_database(NAME)


if __name__ == "__main__":
    main()
