"""Helpers shared by the CLI commands: one way to refuse bad input and write nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

import click

from app.domain import DomainError
from app.extensions import db


def fail(
    errors: DomainError | Mapping[str, list], options: Mapping[str, str] | None = None
) -> NoReturn:
    """Roll back, print the messages by option name and exit non-zero. `options` renames a
    field to the option that carries it (seat_commune_code -> seat)."""
    db.session.rollback()
    error = errors if isinstance(errors, DomainError) else DomainError(errors)
    lines = [
        f"--{(options or {}).get(field, field).replace('_', '-')} : {' '.join(messages)}"
        for field, messages in error.messages().items()
    ]
    raise click.ClickException("\n".join(["données refusées, rien n'a été écrit :", *lines]))
