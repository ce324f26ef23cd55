"""The JSON API under /api/v1/t/<slug>/ (read-only in this version); one envelope for every answer."""

from __future__ import annotations

from app.blueprints import scoped_blueprint
from app.blueprints.api.schemas import TenantSchema
from app.reports.tenant import tenant_facts
from app.tenants.resolver import current_tenant

bp = scoped_blueprint("api", __name__, "api", url_prefix="/api/v1/t/<tenant>")


@bp.get("/")
def tenant():
    facts = tenant_facts(current_tenant)
    data = TenantSchema().dump({"tenant": current_tenant, "facts": facts})
    return {"data": data}
