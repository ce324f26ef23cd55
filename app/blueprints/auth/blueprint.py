"""The accounts blueprint, shared by its pages."""

from __future__ import annotations

from app.blueprints import scoped_blueprint

bp = scoped_blueprint("auth", __name__, "public")
