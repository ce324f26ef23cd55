"""Benchmark: importing a generated 10,000-row member file, preview then commit, on SQLite and
(when it answers on 127.0.0.1:5432) PostgreSQL: time, SQL statements and peak Python memory."""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extensions import db  # noqa: E402
from app.imports.tables import read_table  # noqa: E402
from app.referential import load_referential  # noqa: E402
from app.services.member_import import check, write  # noqa: E402
from app.services.tenants import create_tenant  # noqa: E402
from app.services.territory import communes_of_epcis  # noqa: E402
from bench.common import StatementCounter, fresh_app, postgres_reachable  # noqa: E402
from tests import databases  # noqa: E402

ROWS = 10_000
PROFESSIONS = ("IDE", "MG", "Kiné", "Pharmacien", "Sage-femme", "Orthophoniste")


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def rpps(n: int) -> str:
    base = f"9997{n:06d}"
    return next(base + str(d) for d in range(10) if luhn_ok(base + str(d)))


def generated_file() -> bytes:
    out = io.StringIO()
    out.write(
        "Nom;Prénom;Profession;N° RPPS;Mode d'exercice;Commune d'exercice;Date d'adhésion\r\n"
    )
    for n in range(ROWS):
        profession = PROFESSIONS[n % len(PROFESSIONS)]
        out.write(
            f"Nom{n};Prénom{n};{profession};{rpps(n)};Libéral;11262;{1 + n % 28:02d}/03/2024\r\n"
        )
    return out.getvalue().encode("utf-8-sig")


def run_once(app, content: bytes, slug: str) -> tuple[float, float, int, int, dict]:
    """Preview then commit into a new CPTS: seconds and SQL statements of each."""
    with app.app_context():
        tenant = create_tenant(
            {"slug": slug, "name": f"CPTS {slug}"}, communes_of_epcis(["241100593"])
        )
        db.session.commit()
        started = time.perf_counter()
        with StatementCounter() as counter:
            preview = check(tenant, read_table(content, "bench.csv"))
        preview_s = time.perf_counter() - started
        started = time.perf_counter()
        with StatementCounter() as written:
            write(tenant, preview, all_or_nothing=True)
            db.session.commit()
        return (
            preview_s,
            time.perf_counter() - started,
            counter.count,
            written.count,
            preview.counts(),
        )


def measure(label: str, app) -> None:
    content = generated_file()
    with app.app_context():
        load_referential()
    preview_s, commit_s, read_sql, write_sql, counts = run_once(app, content, "timed")
    tracemalloc.start()  # a second run, for memory only: tracing slows everything down
    run_once(app, content, "traced")
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"{label:11} {ROWS} rows ({counts['new']} new, {counts['error']} errors): "
        f"preview {preview_s:.2f} s ({read_sql} SQL), commit {commit_s:.2f} s "
        f"({write_sql} SQL), peak Python memory {peak:.0f} MiB"
    )


def main() -> None:
    measure("SQLite", fresh_app())
    if postgres_reachable():
        database = databases.postgres_database("cpts_bench_import")
        try:
            measure(
                "PostgreSQL",
                fresh_app(
                    SQLALCHEMY_DATABASE_URI=database.app_url,
                    MIGRATION_DATABASE_URL=database.owner_url,
                ),
            )
        finally:
            databases.drop_postgres_database("cpts_bench_import")


if __name__ == "__main__":
    main()
