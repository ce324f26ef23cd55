"""Prevention actions of a CPTS: record, change, remove (audited), and list them with totals."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select

from app.extensions import db
from app.models.prevention import PreventionAction, Theme
from app.schemas import validated
from app.schemas.project import PreventionActionSchema
from app.services import audit
from app.services.project import apply_changes, check_texts
from app.tenants.context import for_tenant
from app.tenants.models import Tenant


@for_tenant
def prevention_actions(tenant: Tenant, theme: Theme | None = None) -> list[PreventionAction]:
    query = select(PreventionAction).order_by(PreventionAction.held_on.desc(), PreventionAction.id)
    if theme is not None:
        query = query.where(PreventionAction.theme == theme)
    return list(db.session.scalars(query))


@for_tenant
def totals_by_theme(tenant: Tenant) -> dict[Theme, tuple[int, int]]:
    """Per theme: how many actions, how many people reached."""
    rows = db.session.execute(
        select(
            PreventionAction.theme,
            func.count(),
            func.coalesce(func.sum(PreventionAction.people_reached), 0),
        ).group_by(PreventionAction.theme)
    ).all()
    return {theme: (count, int(reached or 0)) for theme, count, reached in rows}


@for_tenant
def get_prevention_action(tenant: Tenant, action_id: int) -> PreventionAction | None:
    return db.session.scalar(select(PreventionAction).where(PreventionAction.id == action_id))


@for_tenant
def save_prevention_action(
    tenant: Tenant, data: Mapping, action: PreventionAction | None = None
) -> PreventionAction:
    clean = validated(PreventionActionSchema(), data)
    check_texts(clean, "description", "partners")
    clean["professions"] = sorted(p.value for p in clean["professions"])
    created = action is None
    if action is None:
        action = PreventionAction()
        db.session.add(action)
    changed = apply_changes(action, clean)
    db.session.flush()
    name = "prevention_action_created" if created else "prevention_action_changed"
    audit.record(name, obj=action, details={"changed": changed})
    return action


@for_tenant
def delete_prevention_action(tenant: Tenant, action: PreventionAction) -> None:
    audit.record("prevention_action_deleted", obj=action, details={"held_on": str(action.held_on)})
    db.session.delete(action)
    db.session.flush()
