"""A CPTS's audit trail as its president and its ARS read it: who did what, when, to which
object, with the values before and after (never a member's personal data, never a secret)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func

from app.extensions import db
from app.i18n import N_
from app.models.audit import AuditEvent
from app.tenants.context import for_tenant, tenant_bound
from app.tenants.models import Tenant
from app.tenants.platform import of_bound_tenant

PARIS = ZoneInfo("Europe/Paris")
ACTION_LABELS = {
    "tenant_created": N_("CPTS créée"),
    "tenant_updated": N_("Fiche de la CPTS modifiée"),
    "territory_changed": N_("Territoire modifié"),
    "tenant_reattached": N_("Rattachement modifié"),
    "user_invited": N_("Invitation envoyée"),
    "invitation_accepted": N_("Invitation acceptée"),
    "invitation_revoked": N_("Invitation annulée"),
    "role_granted": N_("Accès accordé"),
    "user_deactivated": N_("Accès désactivé"),
    "member_created": N_("Membre ajouté"),
    "member_updated": N_("Membre modifié"),
    "member_left": N_("Départ d'un membre"),
    "member_rejoined": N_("Retour d'un membre"),
    "member_erased": N_("Membre effacé (RGPD)"),
    "import_uploaded": N_("Fichier d'import déposé"),
    "import_cancelled": N_("Import annulé"),
    "members_imported": N_("Membres importés"),
    "export": N_("Export téléchargé"),
    "api_write": N_("Écriture par l'API"),
    "cross_tenant_attempt": N_("Accès refusé (autre CPTS)"),
    "action_denied": N_("Action refusée"),
    "access_denied": N_("Accès refusé"),
}


OBJECT_LABELS = {
    "Member": N_("Membre"),
    "RoleGrant": N_("Accès"),
    "Tenant": N_("CPTS"),
    "Invitation": N_("Invitation"),
    "MemberImport": N_("Import"),
    "ApiToken": N_("Jeton"),
    "User": N_("Compte"),
}


@dataclass(frozen=True)
class JournalFilters:
    actor: str = ""  # an e-mail address
    action: str = ""
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class JournalPage:
    events: list[AuditEvent]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _criteria(filters: JournalFilters) -> list:
    criteria = []
    if filters.actor:
        criteria.append(AuditEvent.actor_email == filters.actor)
    if filters.action:
        criteria.append(AuditEvent.action == filters.action)
    if filters.since:
        criteria.append(AuditEvent.at >= _paris_midnight(filters.since))
    if filters.until:
        criteria.append(AuditEvent.at < _paris_midnight(filters.until + timedelta(days=1)))
    return criteria


def _paris_midnight(day: date) -> datetime:
    """Days are Paris days: the 3rd starts at 23:00 or 22:00 UTC on the 2nd (compared in UTC,
    as the moments are stored)."""
    return datetime.combine(day, time.min, tzinfo=PARIS).astimezone(UTC)


@for_tenant
def journal(
    tenant: Tenant, filters: JournalFilters, page: int = 1, per_page: int = 50
) -> JournalPage:
    criteria = _criteria(filters)
    total = db.session.scalar(
        of_bound_tenant(AuditEvent, func.count(AuditEvent.id)).where(*criteria)
    )
    events = db.session.scalars(
        of_bound_tenant(AuditEvent)
        .where(*criteria)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return JournalPage(list(events), int(total or 0), page, per_page)


@for_tenant
def journal_choices(tenant: Tenant) -> tuple[list[str], list[str]]:
    """The people and the actions that appear in the trail, for the filters."""
    actors = db.session.scalars(
        of_bound_tenant(AuditEvent, AuditEvent.actor_email)
        .where(AuditEvent.actor_email.is_not(None))
        .distinct()
        .order_by(AuditEvent.actor_email)
    ).all()
    actions = db.session.scalars(
        of_bound_tenant(AuditEvent, AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    return list(actors), list(actions)


JOURNAL_HEADER = ("Date (Paris)", "Personne", "Action", "Objet", "Détails", "Résultat")


def journal_rows(tenant: Tenant, filters: JournalFilters) -> Iterator[tuple]:
    with tenant_bound(tenant.id):
        events = db.session.scalars(
            of_bound_tenant(AuditEvent)
            .where(*_criteria(filters))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .execution_options(yield_per=500)
        )
        for event in events:
            yield (
                event.at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M"),
                event.actor_email,
                ACTION_LABELS.get(event.action, event.action),
                object_label(event),
                describe(event.details),
                event.outcome,
            )


def describe(details: dict | None) -> str:
    """Details as one readable line: "stage : emergence → aci_signe ; rows : 12"."""
    if not details:
        return ""
    parts = []
    for key, value in details.items():
        if value is None:
            continue
        if isinstance(value, list) and len(value) == 2 and key != "personal_fields_changed":
            parts.append(f"{key} : {value[0] if value[0] is not None else '—'} → {value[1]}")
        elif isinstance(value, list):
            parts.append(f"{key} : {', '.join(str(v) for v in value)}")
        else:
            parts.append(f"{key} : {value}")
    return " ; ".join(parts)


def object_label(event: AuditEvent) -> str | None:
    if not event.object_type:
        return None
    return f"{OBJECT_LABELS.get(event.object_type, event.object_type)} n° {event.object_id}"
