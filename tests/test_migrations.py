"""Migrations: one head; empty -> head; models and migrations agree; round trip."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from app.extensions import db
from tests import databases
from tests.conftest import ENGINE, make_app


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the engine under test, separate from the suite's own."""
    if ENGINE != "postgresql":
        yield databases.sqlite_database(tmp_path, "migrations")
        return
    name = f"cpts_migrations_{os.getpid()}"
    yield databases.postgres_database(name)
    databases.drop_postgres_database(name)


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), db.metadata)
    finally:
        engine.dispose()


def test_one_alembic_head(app):
    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_empty_to_head_matches_models_and_round_trips(fresh_database):
    application = make_app(fresh_database)
    with application.app_context():
        upgrade()
        assert _tables(fresh_database.owner_url) == set(db.metadata.tables)
        assert _differences(fresh_database.owner_url) == []
        downgrade(revision="base")
        assert _tables(fresh_database.owner_url) == set()
        upgrade()
        assert _differences(fresh_database.owner_url) == []
        db.engine.dispose()
