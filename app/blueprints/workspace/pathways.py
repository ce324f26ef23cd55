"""Care pathways: the list and adding one (from the list or custom, with its outcome
indicators), and a pathway's page with its outcomes period by period."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.blueprints.workspace.blueprint import bp, may
from app.blueprints.workspace.contract_forms import PATIENT_WARNING
from app.domain import DomainError
from app.extensions import db
from app.models.pathway import PATHWAY_LABELS
from app.schemas.member import PROFESSION_LABELS
from app.security.permissions import Action, require
from app.services import pathways as service
from app.tenants.resolver import current_tenant


def _list_page(errors: dict | None = None, status: int = 200):
    return render_template(
        "workspace/pathways.html",
        tenant=current_tenant,
        pathways=service.pathways(current_tenant),
        kinds=PATHWAY_LABELS,
        professions=PROFESSION_LABELS,
        patient_warning=PATIENT_WARNING,
        errors=errors or {},
        form=request.form if errors else {},
        can_write=may(Action.WRITE),
    ), status  # fmt: skip


@bp.get("/parcours/")
@require(Action.READ)
def pathways():
    return _list_page()


@bp.post("/parcours/")
@require(Action.WRITE)
def add_pathway():
    form = request.form
    data = {
        "kind": form.get("kind") or None,
        "name": (form.get("name") or "").strip() or None,
        "started_on": form.get("started_on") or None,
        "professions": form.getlist("professions"),
        "description": (form.get("description") or "").strip() or None,
    }
    try:
        pathway = service.add_pathway(current_tenant, data)
    except DomainError as error:
        db.session.rollback()
        return _list_page(error.messages(), 400)
    db.session.commit()
    flash(gettext("Parcours « %(name)s » ajouté, avec ses indicateurs de résultat.",
                  name=pathway.name), "success")  # fmt: skip
    return redirect(url_for("workspace.pathway", pathway_id=pathway.id))


@bp.get("/parcours/<id:pathway_id>")
@require(Action.READ)
def pathway(pathway_id: int):
    found = service.get_pathway(current_tenant, pathway_id) or abort(404)
    outcomes = service.outcomes(current_tenant, found)
    return render_template(
        "workspace/pathway.html",
        tenant=current_tenant,
        pathway=found,
        kinds=PATHWAY_LABELS,
        outcomes=outcomes,
        rows=service.outcome_rows(current_tenant, outcomes),
        outside=not may(Action.READ_PEOPLE),  # small counts masked (app.privacy)
    )
