"""The CPTS itself: its registry data, member count and territory."""

from __future__ import annotations

from app.blueprints.api.blueprint import bp
from app.errors import ok
from app.reports.members import active_member_count
from app.schemas.tenant import TenantFactsSchema
from app.security.permissions import Action, require
from app.services.territory import territory_of
from app.tenants.resolver import current_tenant


@bp.get("/")
@require(Action.READ)
def tenant():
    facts = {
        "tenant": current_tenant,
        "member_count": active_member_count(current_tenant),
        "communes": territory_of(current_tenant),
    }
    return ok(TenantFactsSchema().dump(facts))
