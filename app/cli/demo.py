"""`flask demo load`: the five CPTS of the seed articles and a few fictitious ones (idempotent)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

group = AppGroup("demo", help="Données de démonstration.")


@group.command("load")
def load() -> None:
    """Create or refresh the demo CPTS, members and users, then print the demo logins."""
    from app.demo import load_demo

    for line in load_demo():
        click.echo(line)
