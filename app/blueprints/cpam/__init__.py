"""CPAM staff: the CPTS of their departments and the state of their conventions (read-only)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.blueprints import scoped_blueprint
from app.reports.regional import tenant_rows, tenants_where
from app.security.permissions import departments_of, is_admin
from app.tenants.models import Tenant

bp = scoped_blueprint("cpam", __name__, "cpam", url_prefix="/cpam")


@bp.get("/")
def home():
    departments = sorted(departments_of(current_user))
    criteria = (
        []
        if is_admin(current_user) and not departments
        else [Tenant.department_code.in_(departments)]
    )
    return render_template(
        "cpam/home.html", rows=tenant_rows(tenants_where(*criteria)), departments=departments
    )
