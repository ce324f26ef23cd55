"""Platform administration: every tenant of the platform, the catalogue of indicator templates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select

from app.blueprints import scoped_blueprint
from app.blueprints.paging import page_number
from app.domain import DomainError
from app.extensions import db
from app.models.indicator import DEFINITION_FIELDS, DEFINITION_LABELS
from app.models.referential import Region
from app.reports.regional import tenant_rows
from app.services import catalogue
from app.tenants.models import Tenant

bp = scoped_blueprint("admin", __name__, "admin", url_prefix="/admin")


PER_PAGE = 50


@bp.get("/")
def tenants():
    """Every CPTS, a page at a time (read from the rollups: flat whatever their number)."""
    page = page_number()
    total = db.session.scalar(select(func.count(Tenant.id))) or 0
    found = db.session.scalars(
        select(Tenant).order_by(Tenant.name).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    )
    regions = db.session.scalars(
        select(Region).where(Region.code.in_(select(Tenant.region_code))).order_by(Region.name)
    )
    return render_template(
        "admin/tenants.html", rows=tenant_rows(list(found)), regions=list(regions), total=total,
        page=page, pages=max(1, -(-total // PER_PAGE)),
        link=lambda **args: url_for("admin.tenants", **args),
    )  # fmt: skip


def _catalogue_page(template=None, errors: dict | None = None, status: int = 200):
    return render_template(
        "admin/catalogue.html",
        templates=catalogue.templates(),
        editing=template,
        labels=DEFINITION_LABELS,
        errors=errors or {},
        form=request.form if errors else ({} if template is None else _values(template)),
    ), status  # fmt: skip


def _values(template) -> dict:
    """The template as its form shows it (choices by their values)."""
    values = {f: getattr(template, f) for f in ("code", *DEFINITION_FIELDS)}
    return {f: getattr(v, "value", v) for f, v in values.items()}


@bp.get("/indicateurs/")
def indicator_catalogue():
    """The catalogue of indicator templates: what the CPTS's indicators are compared on."""
    return _catalogue_page()


@bp.post("/indicateurs/")
def add_indicator_template():
    try:
        template = catalogue.save_template(request.form)
    except DomainError as error:
        db.session.rollback()
        return _catalogue_page(None, error.messages(), 400)
    db.session.commit()
    flash(gettext("Modèle « %(name)s » ajouté au catalogue.", name=template.name), "success")
    return redirect(url_for("admin.indicator_catalogue"))


@bp.route("/indicateurs/<id:template_id>", methods=["GET", "POST"])
def edit_indicator_template(template_id: int):
    template = catalogue.get_template(template_id) or abort(404)
    if request.method == "POST":
        try:
            catalogue.save_template(request.form, template)
        except DomainError as error:
            db.session.rollback()
            return _catalogue_page(template, error.messages(), 400)
        db.session.commit()
        flash(gettext("Modèle « %(name)s » modifié.", name=template.name), "success")
        return redirect(url_for("admin.indicator_catalogue"))
    return _catalogue_page(template)
