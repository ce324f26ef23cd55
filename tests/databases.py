"""Test databases: a SQLite file, or a PostgreSQL database with an owner role and an app role.

On PostgreSQL the suite connects as `cpts_test_app`, a role that owns nothing and cannot bypass
row-level security, exactly as production does; migrations run as `cpts_test_owner`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

PG_SERVER = os.environ.get(
    "TEST_PG_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
OWNER, APP_ROLE = "cpts_test_owner", "cpts_test_app"


@dataclass(frozen=True)
class TestDatabase:
    engine_name: str
    app_url: str
    owner_url: str
    cleaner_url: str  # empties the tables between tests (the superuser on PostgreSQL)


def sqlite_database(directory: Path, name: str = "test") -> TestDatabase:
    url = f"sqlite:///{directory / (name + '.db')}"
    return TestDatabase("sqlite", url, url, url)


def server_url(database: str, user: str) -> str:
    return (
        make_url(PG_SERVER)
        .set(database=database, username=user, password=None)
        .render_as_string(hide_password=False)
    )


def postgres_database(name: str = "cpts_test", keep: bool = False) -> TestDatabase:
    """Create (or recreate) a database and the two roles; raise if the server cannot be reached.

    With `keep`, an existing database of that name is kept as it is (a benchmark's data set)."""
    server = create_engine(
        PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    with server.connect() as connection:
        for role, options in (
            (OWNER, "LOGIN NOSUPERUSER"),
            (APP_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS"),
        ):
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first()
            if not exists:
                connection.execute(text(f"CREATE ROLE {role} {options}"))
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if keep and exists:
            server.dispose()
            return _database(name)
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}" OWNER {OWNER}'))
    server.dispose()
    owner = create_engine(server_url(name, "postgres"), isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        # PostgreSQL 15 no longer lets every role create in public: the owner gets the schema.
        connection.execute(text(f"ALTER SCHEMA public OWNER TO {OWNER}"))
    owner.dispose()
    return _database(name)


def _database(name: str) -> TestDatabase:
    return TestDatabase(
        "postgresql",
        server_url(name, APP_ROLE),
        server_url(name, OWNER),
        server_url(name, "postgres"),
    )


def drop_postgres_database(name: str) -> None:
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


_CLEANERS: dict[str, Engine] = {}
_USED_SEQUENCES = text(
    "SELECT s.sequencename FROM pg_sequences s"
    " JOIN pg_class sequence ON sequence.relname = s.sequencename AND sequence.relkind = 'S'"
    " JOIN pg_depend d ON d.objid = sequence.oid AND d.refclassid = 'pg_class'::regclass"
    " JOIN pg_class owner ON owner.oid = d.refobjid"
    " WHERE s.last_value IS NOT NULL AND owner.relname = ANY(:tables)"
)


def empty_tables(database: TestDatabase, tables: list[str]) -> None:
    """Delete every row of `tables` (children first) and restart their ids, quickly: only the
    tables that hold rows or whose ids moved are touched (TRUNCATE costs ~80 ms a test)."""
    engine = _CLEANERS.get(database.cleaner_url)
    if engine is None:
        engine = _CLEANERS.setdefault(database.cleaner_url, create_engine(database.cleaner_url))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Triggers off (append-only and immutable tables refuse deletions), RLS bypassed.
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            probe = " UNION ALL ".join(
                f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {t})" for t in tables
            )
            filled = set(connection.execute(text(probe)).scalars())
            for table in (t for t in tables if t in filled):
                connection.execute(text(f"DELETE FROM {table}"))
            used = connection.execute(_USED_SEQUENCES, {"tables": tables}).scalars()
            for sequence in used:
                connection.execute(text("SELECT setval(:s, 1, false)"), {"s": sequence})
        else:
            # The CPTS go first: amendments may be deleted only with their CPTS (a trigger
            # refuses any other deletion); this connection does not enforce foreign keys.
            for table in ["tenant", *(t for t in tables if t != "tenant")]:
                connection.execute(text(f"DELETE FROM {table}"))
