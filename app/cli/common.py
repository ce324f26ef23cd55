"""Helpers shared by the CLI commands: one way to refuse bad input and write nothing."""

from __future__ import annotations

import click

from app.extensions import db


def fail(errors: dict[str, list[str]] | str) -> None:
    """Roll back, print the errors by option name and exit non-zero."""
    db.session.rollback()
    if isinstance(errors, str):
        raise click.ClickException(errors)
    lines = [
        f"--{field.replace('_', '-')} : {' '.join(messages)}" for field, messages in errors.items()
    ]
    raise click.ClickException("\n".join(["données refusées, rien n'a été écrit :", *lines]))
