"""Prevention actions: the list with totals by theme, add, change, remove (in that order of
routes: removing comes after the pages that show the action)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.blueprints.forms import render_form, show_errors
from app.blueprints.workspace.blueprint import bp, may
from app.blueprints.workspace.contract_forms import PATIENT_WARNING, PreventionForm
from app.domain import DomainError
from app.extensions import db
from app.models.aci import MISSION_LABELS, Mission
from app.models.prevention import PreventionAction, Theme
from app.schemas.member import PROFESSION_LABELS
from app.schemas.project import THEME_LABELS
from app.security.permissions import Action, require
from app.services import prevention as service
from app.tenants.resolver import current_tenant


@bp.get("/prevention/")
@require(Action.READ)
def prevention():
    theme = request.args.get("theme", "")
    chosen = Theme(theme) if theme in Theme._value2member_map_ else None
    return render_template(
        "workspace/prevention.html",
        tenant=current_tenant,
        actions=service.prevention_actions(current_tenant, chosen),
        totals=service.totals_by_theme(current_tenant),
        theme=chosen,
        themes=THEME_LABELS,
        missions=MISSION_LABELS,
        professions=PROFESSION_LABELS,
        can_write=may(Action.WRITE),
    )


def _data(form: PreventionForm) -> dict:
    reached = (form.people_reached.data or "").strip().replace(" ", "")
    return {
        "held_on": form.held_on.data or None,
        "theme": form.theme.data or None,
        "mission": form.mission.data or Mission.PREVENTION.value,
        "description": (form.description.data or "").strip(),
        "professions": form.professions.data or [],
        "people_reached": int(reached) if reached.isdigit() else (reached or None),
        "partners": (form.partners.data or "").strip() or None,
    }


def _form_page(form: PreventionForm, action: PreventionAction | None = None):
    return render_form(
        "workspace/prevention_form.html",
        form,
        tenant=current_tenant,
        action=action,
        patient_warning=PATIENT_WARNING,
    )


def _save(form: PreventionForm, action: PreventionAction | None):
    if form.validate_on_submit():
        try:
            service.save_prevention_action(current_tenant, _data(form), action)
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("Action de prévention enregistrée."), "success")
            return redirect(url_for("workspace.prevention"))
    return _form_page(form, action)


@bp.route("/prevention/nouvelle", methods=["GET", "POST"])
@require(Action.WRITE)
def new_prevention_action():
    form = PreventionForm()
    if not form.is_submitted():
        form.mission.data = Mission.PREVENTION.value
    return _save(form, None)


def _action_or_404(action_id: int) -> PreventionAction:
    return service.get_prevention_action(current_tenant, action_id) or abort(404)


@bp.route("/prevention/<id:prevention_id>", methods=["GET", "POST"])
@require(Action.WRITE)
def edit_prevention_action(prevention_id: int):
    action = _action_or_404(prevention_id)
    form = PreventionForm(obj=action)
    if not form.is_submitted():
        form.held_on.data = action.held_on.isoformat()
        form.theme.data, form.mission.data = action.theme.value, action.mission.value
        form.people_reached.data = (
            "" if action.people_reached is None else str(action.people_reached)
        )
    return _save(form, action)


@bp.post("/prevention/<id:prevention_id>/supprimer")
@require(Action.WRITE)
def delete_prevention_action(prevention_id: int):
    service.delete_prevention_action(current_tenant, _action_or_404(prevention_id))
    db.session.commit()
    flash(gettext("Action de prévention supprimée."), "success")
    return redirect(url_for("workspace.prevention"))
