"""`flask demo load`: the five CPTS of the seed articles and a few fictitious ones (idempotent)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.demo import load_demo

group = AppGroup("demo", help="Données de démonstration.")


@group.command("load")
@click.option("--force", is_flag=True, help="Accepter de charger la démo en production.")
def load(force: bool) -> None:
    """Create or refresh the demo CPTS, members and users, then print the demo logins."""
    if current_app.config["APP_ENV"] == "production" and not force:
        raise click.ClickException(
            "APP_ENV=production : la démonstration crée un administrateur au mot de passe publié. "
            "Refusé (ajoutez --force pour passer outre)."
        )
    for line in load_demo():
        click.echo(line)
