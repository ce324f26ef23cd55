"""The CPTS's home: key facts, territory and overlaps."""

from __future__ import annotations

from flask import render_template

from app.blueprints.workspace.blueprint import bp, may
from app.reports.tenant import tenant_facts
from app.security.permissions import Action, require
from app.tenants.resolver import current_tenant


@bp.get("/")
@require(Action.READ)
def home():
    return render_template(
        "workspace/home.html",
        tenant=current_tenant,
        facts=tenant_facts(current_tenant),
        can_write=may(Action.WRITE),
        can_manage=may(Action.MANAGE_USERS),
    )
