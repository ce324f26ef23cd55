"""`flask rollups rebuild [--tenant S]`: recompute the regional rollups from the source data
(after a bulk load, and each night: statuses derived from dates move with the days)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.rollups.monthly import rebuild as rebuild_rollups
from app.tenants.models import Tenant

group = AppGroup("rollups", help="Agrégats régionaux.")


@group.command("rebuild")
@click.option("--tenant", "slug", help="Identifiant (slug) d'une seule CPTS.")
def rebuild(slug: str | None) -> None:
    """Recompute every CPTS's monthly figures (or one CPTS's) from its data."""
    ids = None
    if slug:
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))
        if tenant_id is None:
            raise click.ClickException(f"--tenant : aucune CPTS « {slug} ».")
        ids = [tenant_id]
    started = time.perf_counter()
    count = rebuild_rollups(ids)
    click.echo(f"{count} CPTS recalculées en {time.perf_counter() - started:.1f} s")
