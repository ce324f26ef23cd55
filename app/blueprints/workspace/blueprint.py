"""The workspace blueprint, shared by its pages, and what a page may offer the signed-in user."""

from __future__ import annotations

from flask import g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.blueprints import scoped_blueprint
from app.security.permissions import Action, can
from app.tenants.resolver import current_tenant

bp = scoped_blueprint("workspace", __name__, "tenant", url_prefix="/t/<tenant>")


def may(action: Action) -> bool:
    """May the signed-in user do this to the current CPTS (what the page offers)."""
    return can(current_user, action, current_tenant)


TABS = (
    ("workspace.home", _l("Accueil"), Action.READ),
    ("workspace.member_list", _l("Membres"), Action.READ_PEOPLE),
    ("workspace.project", _l("Projet de santé"), Action.READ),
    ("workspace.convention", _l("Convention"), Action.READ),
    ("workspace.prevention", _l("Prévention"), Action.READ),
    ("workspace.indicators", _l("Indicateurs"), Action.READ),
    ("workspace.pathways", _l("Parcours"), Action.READ),
    ("workspace.peers", _l("Comparaison"), Action.READ),
    ("workspace.audit_trail", _l("Journal"), Action.AUDIT),
    ("workspace.user_list", _l("Utilisateurs"), Action.MANAGE_USERS),
)


@bp.context_processor
def tabs() -> dict:
    """The workspace's sections the user may open, the current one marked."""

    def build() -> list[tuple[str, str, bool]]:
        found: list[tuple[str, str, bool]] = []
        if g.get("tenant") is None:  # an error page before the CPTS was resolved
            return found
        for endpoint, label, action in TABS:
            if may(action):
                url = url_for(endpoint)
                home = endpoint == "workspace.home"
                current = request.path == url if home else request.path.startswith(url)
                found.append((url, str(label), current))
        return found

    return {"workspace_tabs": build}
