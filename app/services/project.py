"""The health project of a CPTS: lifecycle dates, priorities, and per mission its progress dates
and planned actions. Texts are checked for patient details; every write is audited."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select

from app.domain import DomainError
from app.extensions import db
from app.identifiers import patient_detail_problem
from app.models.aci import Mission
from app.models.project import (
    STEP_FIELDS,
    HealthProject,
    MissionAction,
    MissionProgress,
    ProjectPriority,
)
from app.schemas import validated
from app.schemas.project import (
    MissionActionSchema,
    PrioritySchema,
    ProgressSchema,
    ProjectStepsSchema,
)
from app.services import audit
from app.tenants.context import for_tenant
from app.tenants.models import Tenant


def check_texts(clean: Mapping, *names: str) -> None:
    """Refuse a text that carries a patient's details (the field named)."""
    errors = {n: [p] for n in names if (p := patient_detail_problem(clean.get(n)))}
    if errors:
        raise DomainError(errors)


def apply_changes(row: object, clean: Mapping) -> dict:
    """Set the fields on the row; return what changed (before, after), as the audit keeps it."""
    changed = {}
    for name, value in clean.items():
        before = getattr(row, name, None)
        if before != value:
            changed[name] = [_plain(before), _plain(value)]
            setattr(row, name, value)
    return changed


def _plain(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "value", value)


@for_tenant
def project_of(tenant: Tenant) -> HealthProject | None:
    return db.session.scalar(select(HealthProject))


@for_tenant
def save_steps(tenant: Tenant, data: Mapping) -> dict:
    clean = validated(ProjectStepsSchema(), data)
    project = project_of(tenant)
    if project is None:
        project = HealthProject(**{name: None for name in STEP_FIELDS})
        db.session.add(project)
    changed = apply_changes(project, clean)
    db.session.flush()
    if changed:
        audit.record("project_steps_changed", obj=project, details={"changed": changed})
    return changed


@for_tenant
def priorities(tenant: Tenant) -> list[ProjectPriority]:
    query = select(ProjectPriority).order_by(ProjectPriority.position, ProjectPriority.id)
    return list(db.session.scalars(query))


@for_tenant
def add_priority(tenant: Tenant, data: Mapping) -> ProjectPriority:
    clean = validated(PrioritySchema(), data)
    check_texts(clean, "text")
    last = db.session.scalar(select(func.max(ProjectPriority.position))) or 0
    priority = ProjectPriority(text=clean["text"].strip(), position=last + 1)
    db.session.add(priority)
    db.session.flush()
    audit.record("priority_added", obj=priority, details={"text": priority.text})
    return priority


@for_tenant
def remove_priority(tenant: Tenant, priority_id: int) -> bool:
    priority = db.session.scalar(select(ProjectPriority).where(ProjectPriority.id == priority_id))
    if priority is None:
        return False
    audit.record("priority_removed", obj=priority, details={"text": priority.text})
    db.session.delete(priority)
    db.session.flush()
    return True


@for_tenant
def progress_of(tenant: Tenant, mission: Mission) -> MissionProgress | None:
    return db.session.scalar(select(MissionProgress).where(MissionProgress.mission == mission))


@for_tenant
def save_progress(tenant: Tenant, mission: Mission, data: Mapping) -> dict:
    clean = validated(ProgressSchema(), data)
    progress = progress_of(tenant, mission)
    if progress is None:
        progress = MissionProgress(mission=mission, started_on=None, deployed_on=None)
        db.session.add(progress)
    changed = apply_changes(progress, clean)
    db.session.flush()
    if changed:
        details = {"mission": mission.value, "changed": changed}
        audit.record("mission_progress_changed", obj=progress, details=details)
    return changed


@for_tenant
def actions(tenant: Tenant, mission: Mission | None = None) -> list[MissionAction]:
    query = select(MissionAction).order_by(MissionAction.due_on, MissionAction.id)
    if mission is not None:
        query = query.where(MissionAction.mission == mission)
    return list(db.session.scalars(query))


@for_tenant
def get_action(tenant: Tenant, action_id: int) -> MissionAction | None:
    return db.session.scalar(select(MissionAction).where(MissionAction.id == action_id))


def _action_values(data: Mapping) -> dict:
    clean = validated(MissionActionSchema(), data)
    check_texts(clean, "title", "description")
    clean["professions"] = sorted(p.value for p in clean["professions"])
    return clean


@for_tenant
def save_action(tenant: Tenant, data: Mapping, action: MissionAction | None = None) -> dict:
    """Create an action (action=None) or change one; return what changed."""
    clean = _action_values(data)
    created = action is None
    if action is None:
        action = MissionAction()
        db.session.add(action)
    changed = apply_changes(action, clean)
    db.session.flush()
    name = "mission_action_created" if created else "mission_action_changed"
    audit.record(name, obj=action, details={"changed": changed})
    return changed


@for_tenant
def delete_action(tenant: Tenant, action: MissionAction) -> None:
    audit.record("mission_action_deleted", obj=action, details={"title": action.title})
    db.session.delete(action)
    db.session.flush()
