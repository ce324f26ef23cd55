"""The CPTS workspace under /t/<slug>/, one module per page: home, territory, identity (registry
data), users, members, member import, journal (audit trail). Every route declares the action
it needs."""

from __future__ import annotations

from app.blueprints.workspace import (  # noqa: F401  (routes)
    home,
    identity,
    journal,
    member_import,
    members,
    territory,
    users,
)
from app.blueprints.workspace.blueprint import bp

__all__ = ["bp"]
