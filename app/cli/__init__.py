"""Flask CLI commands for operators and checks: referential, tenants, users, demo."""

from __future__ import annotations

from flask import Flask

from app.cli import demo, referential, tenants, users


def init_app(app: Flask) -> None:
    for group in (referential.group, tenants.group, users.group, demo.group):
        app.cli.add_command(group)
