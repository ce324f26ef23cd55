"""Flask CLI commands for operators and checks: referential, tenants, users, demo, rollups."""

from __future__ import annotations

from flask import Flask

from app.cli import demo, members, referential, rollups, tenants, tokens, users


def init_app(app: Flask) -> None:
    for group in (
        referential.group,
        tenants.group,
        users.group,
        members.group,
        tokens.group,
        demo.group,
        rollups.group,
    ):
        app.cli.add_command(group)
