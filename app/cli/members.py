"""`flask members import`: the registry import, for operators: one line per problem, a summary,
writes only with --commit, exits non-zero when errors kept it from writing."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext
from sqlalchemy import select

from app.cli.common import fail
from app.domain import DomainError
from app.extensions import db
from app.imports.tables import read_table
from app.schemas.member import FIELD_LABELS
from app.services.member_import import check, write
from app.tenants.models import Tenant

group = AppGroup("members", help="Membres des CPTS.")


@group.command("import")
@click.option("--tenant", "slug", required=True, help="Identifiant de la CPTS.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commit", is_flag=True, help="Écrire (sans cette option, rien n'est écrit).")
@click.option(
    "--all-or-nothing", is_flag=True, help="N'écrire que si aucune ligne n'est en erreur."
)
def import_members(slug: str, file: Path, commit: bool, all_or_nothing: bool) -> None:
    """Check a CSV or XLSX file of members, then import it with --commit."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        fail({"tenant": [f"aucune CPTS « {slug} »."]})
    try:
        preview = check(tenant, read_table(file.read_bytes(), file.name))
    except DomainError as error:
        fail(error, {"file": "fichier"})
    for row in preview.rows:
        for kind, problems in (("erreur", row.errors), ("avertissement", row.warnings)):
            for name, messages in problems.items():
                label = gettext(FIELD_LABELS.get(name, name))
                click.echo(f"ligne {row.line}, {label} : {' '.join(messages)} ({kind})")
    counts = preview.counts()
    click.echo(
        f"{len(preview.rows)} ligne(s) : {counts['new']} nouveau(x), {counts['update']} mise(s) "
        f"à jour, {counts['rejoin']} retour(s), {counts['unchanged']} sans changement, "
        f"{counts['error']} en erreur, {counts['warning']} avec avertissement."
    )
    if not commit:
        click.echo("Rien n'a été écrit (ajoutez --commit pour importer).")
        return
    if counts["error"] and (all_or_nothing or counts["error"] == len(preview.rows)):
        db.session.rollback()
        click.echo("Rien n'a été écrit : des lignes sont en erreur.", err=True)
        sys.exit(1)
    done = write(tenant, preview, all_or_nothing)
    db.session.commit()
    click.echo(
        f"Importé : {done['new']} ajout(s), {done['update'] + done['rejoin']} mise(s) à jour."
    )
