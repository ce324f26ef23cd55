"""The CPTS workspace under /t/<slug>/, one module per page: home, territory, identity (registry
data), users, members, member import, journal (audit trail), health project and missions,
convention (terms, amendments, money), prevention, indicators and their reporting periods. Every route declares the action it needs."""

from __future__ import annotations

from app.blueprints.workspace import (  # noqa: F401  (routes)
    convention,
    convention_terms,
    home,
    identity,
    indicators,
    journal,
    member_import,
    members,
    pathways,
    peers,
    periods,
    prevention,
    project,
    territory,
    users,
)
from app.blueprints.workspace.blueprint import bp

__all__ = ["bp"]
