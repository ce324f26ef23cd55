"""The convention status of many CPTS (the CPAM and ARS lists and their export): one row per
CPTS in scope, those without a convention included, filtered, sorted and counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement

from app.models.aci import Mission
from app.models.contract import Contract, ConventionStatus, MissionStatus, MoneyYear
from app.rollups.conventions import contract_records
from app.tenants.models import Stage, Tenant

ALERTS = ("late", "at_risk", "any")
SORTS = ("name", "department", "-signed_on", "-late")


@dataclass(frozen=True)
class ConventionRow:
    tenant: Tenant
    stage: Stage
    status: ConventionStatus
    reference: str | None
    signed_on: date | None
    starts_on: date | None
    end_on: date | None
    amendments: int
    missions: dict[Mission, MissionStatus | None]
    year: MoneyYear | None  # the current contract year
    total: MoneyYear | None

    @property
    def late(self) -> list[Mission]:
        return [m for m, s in self.missions.items() if s is MissionStatus.LATE]

    @property
    def at_risk(self) -> list[Mission]:
        return [m for m, s in self.missions.items() if s is MissionStatus.AT_RISK]


def row_of(tenant: Tenant, contract: Contract) -> ConventionRow:
    has_money = contract.record.signed_on is not None and bool(contract.years)
    return ConventionRow(
        tenant=tenant,
        stage=contract.stage,
        status=contract.status,
        reference=contract.record.reference,
        signed_on=contract.record.signed_on,
        starts_on=contract.starts_on,
        end_on=contract.end_on,
        amendments=sum(1 for a in contract.record.amendments if not a.termination),
        missions={s.mission: s.status for s in contract.missions},
        year=contract.money_of(contract.current_year),
        total=contract.money[-1] if has_money else None,
    )


@dataclass(frozen=True)
class ConventionFilters:
    status: ConventionStatus | None = None
    department: str | None = None
    size_class: str | None = None
    alert: str | None = None  # one of ALERTS
    signed_year: int | None = None
    sort: str = "name"

    def keeps(self, row: ConventionRow) -> bool:
        if self.status is not None and row.status is not self.status:
            return False
        if self.department and row.tenant.department_code != self.department:
            return False
        if self.size_class and row.tenant.size_class != self.size_class:
            return False
        if self.signed_year and (row.signed_on is None or row.signed_on.year != self.signed_year):
            return False
        if self.alert == "late":
            return bool(row.late)
        if self.alert == "at_risk":
            return bool(row.at_risk)
        if self.alert == "any":
            return bool(row.late or row.at_risk)
        return True


def convention_rows(
    scope: ColumnElement[bool], today: date, stream: bool = True
) -> Iterator[ConventionRow]:
    """Every CPTS in scope with its convention status, by name (streamed for an export)."""
    for tenant, record in contract_records(scope, stream=stream):
        yield row_of(tenant, Contract(record, today))


def sorted_rows(rows: Iterable[ConventionRow], sort: str) -> list[ConventionRow]:
    keys = {
        "name": lambda r: r.tenant.name.lower(),
        "department": lambda r: (r.tenant.department_code or "", r.tenant.name.lower()),
        "-signed_on": lambda r: (r.signed_on is None, -(r.signed_on or date.min).toordinal()),
        "-late": lambda r: (-len(r.late), -len(r.at_risk), r.tenant.name.lower()),
    }
    return sorted(rows, key=keys.get(sort, keys["name"]))


@dataclass(frozen=True)
class ScopeCounts:
    cpts: int
    by_status: dict[ConventionStatus, int]
    late: int  # CPTS with at least one late mission
    at_risk: int
    signed_years: list[int]
    departments: list[str]


def scope_counts(rows: list[ConventionRow]) -> ScopeCounts:
    statuses = Counter(row.status for row in rows)
    return ScopeCounts(
        cpts=len(rows),
        by_status={status: statuses[status] for status in ConventionStatus if statuses[status]},
        late=sum(1 for row in rows if row.late),
        at_risk=sum(1 for row in rows if row.at_risk),
        signed_years=sorted({row.signed_on.year for row in rows if row.signed_on}),
        departments=sorted(
            {row.tenant.department_code for row in rows if row.tenant.department_code}
        ),
    )
