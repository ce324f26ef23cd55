"""Contracts across CPTS, for the CPAM and regional lists and the convention-status export.

One statement per kind of row (app.models.contract_rows), each in the order of the CPTS and read
as a stream, merged CPTS by CPTS: the number of statements does not grow with the number of
CPTS, and neither does memory when the caller consumes the records as they come (the export
streams them).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, Select

from app.extensions import db
from app.models.contract import ContractRecord
from app.models.contract_rows import details, heads, record_of
from app.tenants.context import unscoped
from app.tenants.models import Tenant

CHUNK = 500  # CPTS read at a time (the hatch is open while a batch is read)
FETCH = 1_000  # rows fetched from the database at a time (per statement: memory is bounded by it)
REASON = "convention status of the CPTS of a region or departments"


def _rows(statement: Select, stream: bool):
    """A statement's rows: fetched FETCH at a time through a server-side cursor (an export of
    every CPTS), or all at once (a page's few hundred: one round trip instead of one per
    fetch and per cursor)."""
    return iter(db.session.execute(
        statement.execution_options(yield_per=FETCH) if stream else statement
    ))  # fmt: skip


class _Stream:
    """Rows in the CPTS's order, tenant id first, taken CPTS by CPTS."""

    def __init__(self, statement: Select, stream: bool):
        self.rows = _rows(statement, stream)
        self.head: Any = next(self.rows, None)

    def take(self, tenant_id: int) -> list:
        taken = []
        while self.head is not None and self.head[0] == tenant_id:
            taken.append(self.head)
            self.head = next(self.rows, None)
        return taken


def contract_records(
    criteria: ColumnElement[bool], full: bool = True, stream: bool = True
) -> Iterator[tuple[Tenant, ContractRecord]]:
    """Every CPTS matching `criteria` (on Tenant), by name, with its contract record.
    With full=False, only what the lifecycle stage needs (dates, no terms or money): one query.
    With stream=False, the rows are read at once (a page's scope rather than the country).

    The escape hatch is open only while a batch of CHUNK records is read: the caller's code,
    between batches, runs with it closed."""
    with unscoped(REASON):
        rows = _rows(heads(criteria, full), stream)
        streams = {k: _Stream(s, stream) for k, s in details(criteria).items()} if full else {}
    while True:
        with unscoped(REASON):
            batch = [
                record_of(head, {name: s.take(head[0].id) for name, s in streams.items()})
                for head in islice(rows, CHUNK)
            ]
        if not batch:
            return
        yield from batch
