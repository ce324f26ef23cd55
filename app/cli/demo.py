"""`flask demo load`: the five CPTS of the seed articles and a few fictitious ones (idempotent);
`flask demo national`: a national-scale data set for benchmarks, indicator values included
(idempotent too)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.demo import load_demo
from app.demo.national import load_national
from app.extensions import db
from app.models.referential import Region

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


@group.command("national")
@click.option(
    "--cptss",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 1300),
    help="Nombre de CPTS fictives, chacune sur un EPCI réel.",
)
@click.option(
    "--members",
    default=150,
    show_default=True,
    type=click.IntRange(1, 2000),
    help="Nombre moyen de membres par CPTS.",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="Code INSEE d'une région (répétable) : les CPTS n'y sont créées que là.",
)
@click.option(
    "--prefix",
    default="CPTS nationale",
    show_default=True,
    help="Début du nom de chaque CPTS créée.",
)
def national(cptss: int, members: int, regions: tuple[str, ...], prefix: str) -> None:
    """Fill the database with fictitious CPTS on real territories of every region, their
    members, conventions and, for those with a convention, five years at most of indicator
    values (benchmarks, evaluation). Refused in production."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("APP_ENV=production : données fictives refusées.")
    known = set(db.session.scalars(select(Region.code)))
    if unknown := sorted(set(regions) - known):
        raise click.ClickException(f"--region : région inconnue : {', '.join(unknown)}.")
    for line in load_national(cptss, members, regions=regions, prefix=prefix):
        click.echo(line)
