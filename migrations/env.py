"""Alembic environment: runs as the schema owner (MIGRATION_DATABASE_URL), batch mode on SQLite,
then grants data access (never ownership) to the application's role on PostgreSQL."""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import make_url

from app.tenants.postgres import grant_app_role

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")

target_metadata = current_app.extensions["migrate"].db.metadata


def _urls() -> tuple[str, str]:
    app_url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return current_app.config.get("MIGRATION_DATABASE_URL") or app_url, app_url


def run_migrations_offline() -> None:
    url, _ = _urls()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    owner_url, app_url = _urls()
    engine = create_engine(owner_url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            app_role = make_url(app_url).username
            if (
                connection.dialect.name == "postgresql"
                and app_role
                and app_role != make_url(owner_url).username
            ):
                grant_app_role(connection, app_role)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
