"""The JSON API under /api/v1/t/<slug>/, one module per resource; every answer in the envelope of
app.errors (`ok`, or an error with the fields at fault)."""

from __future__ import annotations

from app.blueprints.api import tenants  # noqa: F401  (routes)
from app.blueprints.api.blueprint import bp

__all__ = ["bp"]
