"""The JSON API under /api/v1/t/<slug>/ (read-only in this version); one envelope for every answer."""

from __future__ import annotations

from app.blueprints import scoped_blueprint
from app.blueprints.api.schemas import TenantFactsSchema
from app.reports.members import active_member_count
from app.security.permissions import Action, require
from app.tenants.resolver import current_tenant
from app.tenants.territory import territory_of

bp = scoped_blueprint("api", __name__, "api", url_prefix="/api/v1/t/<tenant>")


@bp.get("/")
@require(Action.READ)
def tenant():
    data = TenantFactsSchema().dump(
        {
            "tenant": current_tenant,
            "member_count": active_member_count(),
            "communes": territory_of(current_tenant),
        }
    )
    return {"data": data}
