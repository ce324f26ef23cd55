"""`flask tokens create`: a personal access token for a user, printed once."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.cli.common import fail
from app.domain import DomainError
from app.extensions import db
from app.services.tokens import MAX_DAYS, create_token
from app.services.users import find_user

group = AppGroup("tokens", help="Jetons d'accès à l'API.")


@group.command("create")
@click.option("--email", required=True, help="Le compte au nom duquel le jeton agit.")
@click.option("--scope", required=True, type=click.Choice(["read", "write"]))
@click.option("--days", required=True, type=click.IntRange(1, MAX_DAYS), help="Validité en jours.")
@click.option("--name", default="ligne de commande", help="Nom du jeton.")
def create(email: str, scope: str, days: int, name: str) -> None:
    """Create a token and print it: it is shown this once, only its hash is kept."""
    user = find_user(email)
    if user is None or not user.active:
        fail({"email": [f"aucun compte actif pour {email}."]})
    try:
        token, secret = create_token(user, name, scope, days)
    except DomainError as error:
        fail(error)
    db.session.commit()
    click.echo(f"jeton « {token.name} » ({scope}, {days} jours) pour {user.email} :")
    click.echo(secret)
