"""Contracts across CPTS, for the CPAM and regional lists and the convention-status export.

One query per table, each in the order of the CPTS (by name) and read as a stream, merged CPTS
by CPTS: the
number of statements does not grow with the number of CPTS, and neither does memory when the
caller consumes the records as they come (the export streams them).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from app.extensions import db
from app.models.aci import Mission
from app.models.contract import AmendmentRecord, Contract, ContractRecord, ProjectDates, Receipt
from app.models.convention import (
    Amendment,
    AmendmentChange,
    Convention,
    ConventionTerm,
    ReceivedPayment,
)
from app.models.project import STEP_FIELDS, HealthProject, MissionProgress
from app.tenants.context import unscoped
from app.tenants.models import Stage, Tenant

CHUNK = 500  # rows fetched at a time from each stream
ORDER = (Tenant.name, Tenant.id)  # every stream follows the CPTS in this order


class _Stream:
    """Rows of one table in the CPTS's order, tenant_id first, taken CPTS by CPTS."""

    def __init__(self, statement: Select):
        self.rows = iter(db.session.execute(statement.execution_options(yield_per=CHUNK)))
        self.head: Any = next(self.rows, None)

    def take(self, tenant_id: int) -> list:
        taken = []
        while self.head is not None and self.head[0] == tenant_id:
            taken.append(self.head)
            self.head = next(self.rows, None)
        return taken


def _of(model, *columns, criteria: ColumnElement[bool], order=()) -> Select:
    return (
        select(model.tenant_id, *columns)
        .join(Tenant, Tenant.id == model.tenant_id)
        .where(criteria)
        .order_by(*ORDER, *order)
    )


REASON = "convention status of the CPTS of a region or departments"


def contract_records(
    criteria: ColumnElement[bool], full: bool = True
) -> Iterator[tuple[Tenant, ContractRecord]]:
    """Every CPTS matching `criteria` (on Tenant), by name, with its contract record.
    With full=False, only what the lifecycle stage needs (dates, no terms or money).

    The escape hatch is open only while a batch of CHUNK records is read: the caller's code,
    between batches, runs with it closed."""
    with unscoped(REASON):
        tenants, streams = _open(criteria, full)
    while True:
        with unscoped(REASON):
            batch = [
                (tenant, _record(tenant, {name: s.take(tenant.id) for name, s in streams.items()}))
                for tenant in islice(tenants, CHUNK)
            ]
        if not batch:
            return
        yield from batch


def _open(criteria: ColumnElement[bool], full: bool) -> tuple[Iterator[Tenant], dict]:
    tenants = db.session.scalars(
        select(Tenant).where(criteria).order_by(*ORDER).execution_options(yield_per=CHUNK)
    )
    steps = [getattr(HealthProject, name) for name in STEP_FIELDS]
    streams = {
        "project": _Stream(_of(HealthProject, *steps, criteria=criteria)),
        "convention": _Stream(
            _of(
                Convention,
                Convention.reference,
                Convention.signed_on,
                Convention.starts_on,
                criteria=criteria,
            )
        ),  # fmt: skip
        "amendments": _Stream(
            _of(
                Amendment,
                Amendment.id,
                Amendment.number,
                Amendment.signed_on,
                Amendment.effective_on,
                Amendment.reason,
                Amendment.termination,
                criteria=criteria if full else criteria & Amendment.termination,
                order=(Amendment.id,),
            )
        ),  # fmt: skip
    }
    if full:
        streams |= {
            "terms": _Stream(
                _of(ConventionTerm, ConventionTerm.key, ConventionTerm.value, criteria=criteria)
            ),
            "changes": _Stream(
                _of(
                    AmendmentChange,
                    AmendmentChange.amendment_id,
                    AmendmentChange.key,
                    AmendmentChange.value,
                    criteria=criteria,
                    order=(AmendmentChange.amendment_id,),
                )
            ),  # fmt: skip
            "progress": _Stream(
                _of(
                    MissionProgress,
                    MissionProgress.mission,
                    MissionProgress.started_on,
                    MissionProgress.deployed_on,
                    criteria=criteria,
                )
            ),  # fmt: skip
            "receipts": _Stream(
                _of(
                    ReceivedPayment,
                    ReceivedPayment.received_on,
                    ReceivedPayment.amount_cents,
                    ReceivedPayment.due_key,
                    criteria=criteria,
                )
            ),  # fmt: skip
        }
    return iter(tenants), streams


def _record(tenant: Tenant, rows: dict[str, list]) -> ContractRecord:
    project = rows["project"][0][1:] if rows["project"] else ()
    convention = rows["convention"][0] if rows["convention"] else None
    changes: dict[int, dict[str, str]] = {}
    for _tenant, amendment_id, key, value in rows.get("changes", []):
        changes.setdefault(amendment_id, {})[key] = value
    amendments = tuple(
        AmendmentRecord(number, signed, effective, reason, changes.get(id_, {}), termination, id_)
        for _t, id_, number, signed, effective, reason, termination in rows["amendments"]
    )
    return ContractRecord(
        tenant_id=tenant.id,
        declared_stage=tenant.declared_stage,
        project=ProjectDates(*project),
        has_convention=convention is not None,
        reference=convention[1] if convention else None,
        signed_on=convention[2] if convention else None,
        starts_on=convention[3] if convention else None,
        original={key: value for _t, key, value in rows.get("terms", [])},
        amendments=amendments,
        progress={Mission(m): (s, d) for _t, m, s, d in rows.get("progress", [])},
        receipts=tuple(
            Receipt(day, cents, key) for _t, day, cents, key in rows.get("receipts", [])
        ),
    )


def stages_of(tenant_ids: list[int], today: date | None = None) -> dict[int, Stage]:
    """The lifecycle stage of each CPTS, derived from its dates (a fixed number of queries)."""
    if not tenant_ids:
        return {}
    today = today or date.today()
    records = contract_records(Tenant.id.in_(tenant_ids), full=False)
    return {tenant.id: Contract(record, today).stage for tenant, record in records}
