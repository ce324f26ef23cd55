"""The rows a ContractRecord is read from, for one CPTS or for many: the statements (each in the
order of the CPTS, by name, tenant id first) and the record folded from their rows. The tenant's
own pages run them bound to it; the CPAM and regional lists stream them across CPTS."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import lazyload

from app.models.aci import Mission
from app.models.contract import AmendmentRecord, ContractRecord, ProjectDates, Receipt
from app.models.convention import (
    Amendment,
    AmendmentChange,
    Convention,
    ConventionTerm,
    ReceivedPayment,
    VariableEarned,
)
from app.models.project import STEP_FIELDS, HealthProject, MissionProgress
from app.tenants.models import Tenant

ORDER = (Tenant.name, Tenant.id)  # every statement follows the CPTS in this order
STEPS = [getattr(HealthProject, name) for name in STEP_FIELDS]
CONVENTION = (Convention.id, Convention.reference, Convention.signed_on, Convention.starts_on)
AMENDMENT = (
    Amendment.id,
    Amendment.number,
    Amendment.signed_on,
    Amendment.effective_on,
    Amendment.reason,
    Amendment.termination,
    Amendment.created_by_email,
    Amendment.created_at,
)


def heads(criteria: ColumnElement[bool], full: bool = True) -> Select:
    """A row per CPTS: the CPTS, its project's dates, its convention (and, for the stage alone,
    its termination): each at most one per CPTS."""
    query = (
        select(Tenant, *STEPS, *CONVENTION)
        .options(lazyload(Tenant.region), lazyload(Tenant.department), lazyload(Tenant.seat))
        .outerjoin(HealthProject, HealthProject.tenant_id == Tenant.id)
        .outerjoin(Convention, Convention.tenant_id == Tenant.id)
    )
    if not full:
        ended = (Amendment.tenant_id == Tenant.id) & Amendment.termination
        query = query.add_columns(*AMENDMENT).outerjoin(Amendment, ended)
    return query.where(criteria).order_by(*ORDER)


def _of(model, *columns, criteria: ColumnElement[bool], order=()) -> Select:
    return (
        select(model.tenant_id, *columns)
        .join(Tenant, Tenant.id == model.tenant_id)
        .where(criteria)
        .order_by(*ORDER, *order)
    )


def details(criteria: ColumnElement[bool]) -> dict[str, Select]:
    """The CPTS's many rows: amendments with their changes, terms, mission progress, receipts,
    variable parts settled."""
    changes = (AmendmentChange.amendment_id == Amendment.id) & (
        AmendmentChange.tenant_id == Amendment.tenant_id
    )
    return {
        "amendments": _of(
            Amendment, *AMENDMENT, AmendmentChange.key, AmendmentChange.value,
            criteria=criteria, order=(Amendment.number, AmendmentChange.key),
        ).outerjoin(AmendmentChange, changes),
        "terms": _of(ConventionTerm, ConventionTerm.key, ConventionTerm.value, criteria=criteria),
        "progress": _of(
            MissionProgress, MissionProgress.mission, MissionProgress.started_on,
            MissionProgress.deployed_on, criteria=criteria,
        ),
        "receipts": _of(
            ReceivedPayment, ReceivedPayment.received_on, ReceivedPayment.amount_cents,
            ReceivedPayment.due_key, ReceivedPayment.note, ReceivedPayment.id, criteria=criteria,
            order=(ReceivedPayment.received_on, ReceivedPayment.id),
        ),
        "variable": _of(
            VariableEarned, VariableEarned.mission, VariableEarned.year,
            VariableEarned.amount_cents, criteria=criteria,
        ),
    }  # fmt: skip


def _amendments(rows: list) -> tuple[AmendmentRecord, ...]:
    """Amendment rows (one per change, or one without change) folded into records."""
    found: dict[int, AmendmentRecord] = {}
    for row in rows:
        id_, number, signed, effective, reason, termination, by, at, *change = row
        if id_ is None:
            continue
        if id_ not in found:
            at = at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at  # SQLite
            found[id_] = AmendmentRecord(
                number, signed, effective, reason, {}, termination, id_, by, at
            )
        if change and change[0] is not None:
            found[id_].changes[change[0]] = change[1]  # type: ignore[index]
    return tuple(found.values())


def record_of(head, rows: dict[str, list]) -> tuple[Tenant, ContractRecord]:
    """The CPTS and its record, from its head row and its detail rows (tenant id first)."""
    tenant, *rest = head
    steps, convention = rest[: len(STEPS)], rest[len(STEPS) : len(STEPS) + len(CONVENTION)]
    ended = [tuple(rest[len(STEPS) + len(CONVENTION) :])] if "amendments" not in rows else []
    amendments = _amendments([r[1:] for r in rows.get("amendments", [])] + ended)
    record = ContractRecord(
        tenant_id=tenant.id,
        declared_stage=tenant.declared_stage,
        project=ProjectDates(*steps),
        has_convention=convention[0] is not None,
        reference=convention[1],
        signed_on=convention[2],
        starts_on=convention[3],
        original={key: value for _t, key, value in rows.get("terms", [])},
        amendments=amendments,
        progress={Mission(m): (s, d) for _t, m, s, d in rows.get("progress", [])},
        receipts=tuple(Receipt(*r[1:]) for r in rows.get("receipts", [])),
        variable={(Mission(m), y): a for _t, m, y, a in rows.get("variable", [])},
    )
    return tenant, record
