"""`flask referential load`: load the territorial referential and the catalogue of indicator
templates (idempotent)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.extensions import db
from app.referential import load_referential
from app.services.catalogue import load_catalogue

group = AppGroup(
    "referential", help="Référentiel territorial (régions, départements, EPCI, communes)."
)


@group.command("load")
def load() -> None:
    """Load or refresh every region, department, EPCI and commune; add the indicator templates
    the catalogue lacks."""
    started = time.perf_counter()
    counts = load_referential()
    elapsed = time.perf_counter() - started
    click.echo(", ".join(f"{n} {table}" for table, n in counts.items()) + f" en {elapsed:.1f} s")
    added = load_catalogue()
    db.session.commit()
    click.echo(f"{added} modèle(s) d'indicateur ajouté(s) au catalogue")
