"""The workspace blueprint, shared by its pages, and what a page may offer the signed-in user."""

from __future__ import annotations

from flask_login import current_user

from app.blueprints import scoped_blueprint
from app.security.permissions import Action, can
from app.tenants.resolver import current_tenant

bp = scoped_blueprint("workspace", __name__, "tenant", url_prefix="/t/<tenant>")


def may(action: Action) -> bool:
    """May the signed-in user do this to the current CPTS (what the page offers)."""
    return can(current_user, action, current_tenant)
