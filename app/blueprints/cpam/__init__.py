"""CPAM staff: the convention status of the CPTS of their departments, and its export
(read-only; an admin sees every CPTS)."""

from __future__ import annotations

from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import ColumnElement, true

from app.blueprints import conventions, reviews, scoped_blueprint
from app.security.permissions import departments_of, is_admin
from app.tenants.models import Tenant

bp = scoped_blueprint("cpam", __name__, "cpam", url_prefix="/cpam")


def _scope() -> tuple[ColumnElement[bool], list[str]]:
    departments = sorted(departments_of(current_user))
    if is_admin(current_user) and not departments:
        return true(), departments
    return Tenant.department_code.in_(departments), departments


@bp.get("/")
def home():
    scope, departments = _scope()
    eyebrow = gettext("Assurance Maladie")
    if departments:
        eyebrow += " · " + gettext("départements %(codes)s", codes=", ".join(departments))
    return conventions.list_page(
        scope, gettext("Conventions des CPTS suivies"), eyebrow, "cpam.export"
    )


@bp.get("/conventions/export")
def export():
    scope, departments = _scope()
    return conventions.export(scope, "cpam-" + ("-".join(departments) or "toutes"))


@bp.get("/revue/")
def review_queue():
    scope, _departments = _scope()
    return reviews.queue_page(scope, gettext("Revue des indicateurs"), gettext("Assurance Maladie"))
