"""`flask referential load`: load the territorial referential (idempotent)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.referential import load_referential

group = AppGroup(
    "referential", help="Référentiel territorial (régions, départements, EPCI, communes)."
)


@group.command("load")
def load() -> None:
    """Load or refresh every region, department, EPCI and commune."""
    started = time.perf_counter()
    counts = load_referential()
    elapsed = time.perf_counter() - started
    click.echo(", ".join(f"{n} {table}" for table, n in counts.items()) + f" en {elapsed:.1f} s")
