"""Loading the territorial referential shipped in app/data/referentiel (Etalab, MIT licence)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

from flask import current_app
from sqlalchemy import Connection, create_engine, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import NullPool

from app.models.referential import Commune, Department, Epci, Region

DATA_DIR = Path(str(files("app").joinpath("data/referentiel")))
BATCH = 5_000


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _upsert(connection: Connection, model, key: str, rows: list[dict]) -> None:
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    for start in range(0, len(rows), BATCH):
        statement = insert(model.__table__)
        columns = {c: statement.excluded[c] for c in rows[0] if c != key}
        connection.execute(
            statement.on_conflict_do_update(index_elements=[key], set_=columns),
            rows[start : start + BATCH],
        )


def load_referential() -> dict[str, int]:
    """Insert or update every region, department, EPCI and commune (idempotent).

    The referential belongs to the schema's owner, like the migrations: the application's own
    role may only read it, so the load connects as the owner (MIGRATION_DATABASE_URL).
    """
    engine = create_engine(current_app.config["MIGRATION_DATABASE_URL"], poolclass=NullPool)
    try:
        with engine.begin() as connection:
            _load(connection)
            return {
                model.__tablename__: int(
                    connection.scalar(select(func.count()).select_from(model)) or 0
                )
                for model in (Region, Department, Epci, Commune)
            }
    finally:
        engine.dispose()


def _load(connection: Connection) -> None:
    _upsert(
        connection,
        Region,
        "code",
        [{"code": r["code"], "name": r["nom"]} for r in _rows("regions.csv")],
    )
    _upsert(
        connection,
        Department,
        "code",
        [
            {"code": r["code"], "name": r["nom"], "region_code": r["region"]}
            for r in _rows("departements.csv")
        ],
    )
    _upsert(
        connection,
        Epci,
        "siren",
        [
            {
                "siren": r["siren"],
                "name": r["nom"],
                "kind": r["type"],
                "population": int(r["population"] or 0),
                "commune_count": int(r["nb_communes"] or 0),
            }
            for r in _rows("epci.csv")
        ],
    )
    _upsert(
        connection,
        Commune,
        "code",
        [
            {
                "code": r["code_insee"],
                "name": r["nom"],
                "department_code": r["departement"],
                "region_code": r["region"],
                "epci_siren": r["epci"] or None,
                "population": int(r["population"] or 0),
                "postal_codes": r["codes_postaux"],
            }
            for r in _rows("communes.csv")
        ],
    )
