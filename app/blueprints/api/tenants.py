"""The CPTS the caller may read, and one CPTS's registry data, member count and territory."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import RAISE
from sqlalchemy import func, select

from app.blueprints.api.blueprint import account_api, tenant_api
from app.blueprints.api.paging import page_meta
from app.extensions import db
from app.reports.members import active_member_count
from app.reports.regional import tenant_rows
from app.schemas.envelope import PageArgsSchema, envelope
from app.schemas.tenant import TenantFactsSchema, TenantSummarySchema
from app.security.permissions import Action, readable_tenants, require
from app.services.convention import stage_of
from app.services.territory import territory_of
from app.tenants.models import Tenant
from app.tenants.resolver import current_tenant


@account_api.route("/tenants", methods=["GET"])
@account_api.arguments(PageArgsSchema, location="query", as_kwargs=True, unknown=RAISE)
@account_api.response(200, envelope(TenantSummarySchema, paged=True))
def tenants(page: int, per_page: int):
    """The CPTS the caller may read (their own, their region's, their departments')."""
    criteria = readable_tenants(current_user)
    total = db.session.scalar(select(func.count(Tenant.id)).where(criteria)) or 0
    found = db.session.scalars(
        select(Tenant)
        .where(criteria)
        .order_by(Tenant.name)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return {"data": tenant_rows(list(found)), "meta": page_meta(total, page, per_page)}


@tenant_api.route("/", methods=["GET"])
@require(Action.READ)
@tenant_api.response(200, envelope(TenantFactsSchema))
def tenant():
    """The CPTS: registry data, members today, communes of its territory."""
    return {
        "data": {
            "tenant": current_tenant,
            "member_count": active_member_count(current_tenant),
            "stage": stage_of(current_tenant),
            "communes": territory_of(current_tenant),
        }
    }
