"""The CPTS workspace under /t/<slug>/, one module per page: home, territory, identity (registry
data), users. Every route declares the action it needs."""

from __future__ import annotations

from app.blueprints.workspace import home, identity, territory, users  # noqa: F401  (routes)
from app.blueprints.workspace.blueprint import bp

__all__ = ["bp"]
