"""The API blueprint, shared by the resource modules."""

from __future__ import annotations

from app.blueprints import scoped_blueprint

bp = scoped_blueprint("api", __name__, "api", url_prefix="/api/v1/t/<tenant>")
