"""Flask CLI commands for operators and checks: referential, tenants, users, demo."""

from __future__ import annotations

from flask import Flask

from app.cli import demo, members, referential, tenants, tokens, users


def init_app(app: Flask) -> None:
    for group in (
        referential.group,
        tenants.group,
        users.group,
        members.group,
        tokens.group,
        demo.group,
    ):
        app.cli.add_command(group)
