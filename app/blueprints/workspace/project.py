"""The health project: lifecycle dates (the stage follows from them), priorities, and a page per
mission with its progress dates and planned actions. Deleting routes come after the pages that
show the same object."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.blueprints.forms import render_form, show_errors
from app.blueprints.workspace.blueprint import bp, may
from app.blueprints.workspace.contract_forms import (
    PATIENT_WARNING,
    MissionActionForm,
    PriorityForm,
    ProgressForm,
    ProjectStepsForm,
)
from app.domain import DomainError
from app.extensions import db
from app.models.aci import MISSION_LABELS, Mission
from app.models.project import STEP_FIELDS, MissionAction
from app.schemas.project import STEP_LABELS
from app.security.permissions import Action, require
from app.services import project as service
from app.services.convention import contract_of
from app.tenants.resolver import current_tenant


def _dates(form, names) -> dict:
    return {name: (getattr(form, name).data or "").strip() or None for name in names}


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _project_page(steps_form=None, priority_form=None):
    contract = contract_of(current_tenant)
    if steps_form is None:
        steps_form = ProjectStepsForm(formdata=None)
        for name in STEP_FIELDS:
            getattr(steps_form, name).data = _iso(getattr(contract.record.project, name))
    return render_template(
        "workspace/project.html",
        tenant=current_tenant,
        contract=contract,
        steps_form=steps_form,
        priority_form=priority_form or PriorityForm(formdata=None),
        priorities=service.priorities(current_tenant),
        actions=service.actions(current_tenant),
        step_labels=STEP_LABELS,
        deemed=contract.record.project.validated_on(),
        mission_labels=MISSION_LABELS,
        can_write=may(Action.WRITE),
        patient_warning=PATIENT_WARNING,
    )


@bp.get("/projet/")
@require(Action.READ)
def project():
    return _project_page()


@bp.post("/projet/etapes")
@require(Action.WRITE)
def save_steps():
    form = ProjectStepsForm()
    if form.validate_on_submit():
        try:
            changed = service.save_steps(current_tenant, _dates(form, STEP_FIELDS))
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("Étapes enregistrées (%(n)s modifiée(s)).", n=len(changed)), "success")
            return redirect(url_for("workspace.project"))
    return _project_page(steps_form=form), 400


@bp.post("/projet/priorites")
@require(Action.WRITE)
def add_priority():
    form = PriorityForm()
    if form.validate_on_submit():
        try:
            service.add_priority(current_tenant, {"text": (form.text.data or "").strip()})
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("Priorité ajoutée."), "success")
            return redirect(url_for("workspace.project") + "#priorites")
    return _project_page(priority_form=form), 400


@bp.post("/projet/priorites/<id:priority_id>/retirer")
@require(Action.WRITE)
def remove_priority(priority_id: int):
    if not service.remove_priority(current_tenant, priority_id):
        abort(404)
    db.session.commit()
    flash(gettext("Priorité retirée."), "success")
    return redirect(url_for("workspace.project") + "#priorites")


def _mission_or_404(name: str) -> Mission:
    return Mission(name) if name in Mission._value2member_map_ else abort(404)


def _action_form(action: MissionAction | None) -> MissionActionForm:
    form = MissionActionForm(formdata=None, obj=action)
    if action is not None:
        form.professions.data = list(action.professions)
        form.status.data = action.status.value
        form.due_on.data = _iso(action.due_on)
    return form


def _action_data(form: MissionActionForm, mission: Mission) -> dict:
    return {
        "mission": mission.value,
        "title": (form.title.data or "").strip(),
        "description": (form.description.data or "").strip() or None,
        "professions": form.professions.data or [],
        "due_on": form.due_on.data or None,
        "status": form.status.data,
    }


def _mission_page(mission: Mission, progress_form=None, action_form=None):
    contract = contract_of(current_tenant)
    state = next(s for s in contract.missions if s.mission == mission)
    if progress_form is None:
        progress_form = ProgressForm(formdata=None)
        progress_form.started_on.data = _iso(state.started_on)
        progress_form.deployed_on.data = _iso(state.deployed_on)
    return render_template(
        "workspace/mission.html",
        tenant=current_tenant,
        mission=mission,
        label=MISSION_LABELS[mission],
        state=state,
        contract=contract,
        actions=service.actions(current_tenant, mission),
        progress_form=progress_form,
        action_form=action_form or _action_form(None),
        can_write=may(Action.WRITE),
        patient_warning=PATIENT_WARNING,
    )


@bp.get("/projet/missions/<mission>")
@require(Action.READ)
def mission(mission: str):
    return _mission_page(_mission_or_404(mission))


@bp.post("/projet/missions/<mission>/avancement")
@require(Action.WRITE)
def save_progress(mission: str):
    chosen = _mission_or_404(mission)
    form = ProgressForm()
    if form.validate_on_submit():
        try:
            service.save_progress(
                current_tenant, chosen, _dates(form, ("started_on", "deployed_on"))
            )
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("Avancement de la mission enregistré."), "success")
            return redirect(url_for("workspace.mission", mission=chosen.value))
    return _mission_page(chosen, progress_form=form), 400


@bp.post("/projet/missions/<mission>/actions")
@require(Action.WRITE)
def add_action(mission: str):
    chosen = _mission_or_404(mission)
    form = MissionActionForm()
    if form.validate_on_submit():
        try:
            service.save_action(current_tenant, _action_data(form, chosen))
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("Action ajoutée."), "success")
            return redirect(url_for("workspace.mission", mission=chosen.value) + "#actions")
    return _mission_page(chosen, action_form=form), 400


def _action_or_404(action_id: int) -> MissionAction:
    return service.get_action(current_tenant, action_id) or abort(404)


@bp.route("/projet/actions/<id:action_id>", methods=["GET", "POST"])
@require(Action.WRITE)
def edit_action(action_id: int):
    action = _action_or_404(action_id)
    form = MissionActionForm() if request.method == "POST" else _action_form(action)
    if form.validate_on_submit():
        try:
            service.save_action(current_tenant, _action_data(form, action.mission), action)
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("Action modifiée."), "success")
            return redirect(url_for("workspace.mission", mission=action.mission.value) + "#actions")
    return render_form(
        "workspace/action_edit.html",
        form,
        tenant=current_tenant,
        action=action,
        label=MISSION_LABELS[action.mission],
        patient_warning=PATIENT_WARNING,
    )


@bp.post("/projet/actions/<id:action_id>/supprimer")
@require(Action.WRITE)
def delete_action(action_id: int):
    action = _action_or_404(action_id)
    mission = action.mission
    service.delete_action(current_tenant, action)
    db.session.commit()
    flash(gettext("Action supprimée."), "success")
    return redirect(url_for("workspace.mission", mission=mission.value) + "#actions")
