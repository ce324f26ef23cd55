"""Test factories: build tenants, users and members through the real services."""

from __future__ import annotations

import re
from datetime import date

from app.blueprints import departments_of, region_ref
from app.extensions import db
from app.models.aci import Mission
from app.models.indicator import PeriodKind
from app.models.member import Member, Profession
from app.models.user import Role, User
from app.rollups.territory import communes_of
from app.services import convention, evidence, indicators, pathways, prevention, project, reporting
from app.services.tenants import create_tenant
from app.services.territory import communes_by_code
from app.services.users import create_user, find_user, grant_in_scope
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant

PASSWORD = "Test-password-2026!"

# Real communes by INSEE code: Narbonne (11), Agde (34), Nîmes (30), Besançon (25, another region).
NARBONNE, AGDE, NIMES, BESANCON = "11262", "34003", "30189", "25056"


def make_tenant(slug: str, communes: tuple[str, ...] = (NARBONNE,), **data) -> Tenant:
    tenant = create_tenant(
        {"slug": slug, "name": data.pop("name", f"CPTS {slug}"), **data}, communes_by_code(communes)
    )
    db.session.commit()
    return tenant


def make_user(
    email: str,
    role: Role | str,
    *,
    tenant: Tenant | None = None,
    region: str | None = None,
    departments: tuple[str, ...] = (),
) -> User:
    role = Role(role)
    user = find_user(email) or create_user(email, PASSWORD)
    grant_in_scope(user, role, tenant=tenant, region_code=region, department_codes=departments)
    db.session.commit()
    return user


def add_members(tenant: Tenant, count: int, joined_on: date = date(2024, 1, 15)) -> list[Member]:
    with tenant_bound(tenant.id):
        members = [
            Member(
                first_name=f"Prénom{i}",
                last_name=f"Nom{i}",
                profession=Profession.NURSE,
                joined_on=joined_on,
            )
            for i in range(count)
        ]
        db.session.add_all(members)
        db.session.commit()
    return members


SIGNED = date(2024, 3, 1)


def make_contract(
    tenant: Tenant, signed_on: date = SIGNED, reference: str = "ACI-TEST-1"
) -> dict[str, int]:
    """A signed convention with an amendment and a payment, a started mission, a priority, a
    mission action and a prevention action; returns their ids by URL argument name."""
    data = {
        "reference": reference,
        "signed_on": signed_on.isoformat(),
        "starts_on": signed_on.isoformat(),
        "terms": {
            **{f"running:{y}": 7_500_000 for y in range(1, 6)},
            "fixed:acces_soins:1": 2_000_000,
            "fixed:acces_soins:2": 2_000_000,
            "variable:acces_soins:1": 1_000_000,
        },
    }
    with tenant_bound(tenant.id):
        convention.save_convention(tenant, data)
        project.save_progress(tenant, Mission.ACCESS, {"started_on": "2024-06-01"})
        convention.record_amendment(
            tenant,
            {
                "signed_on": "2024-09-01",
                "effective_on": "2024-09-01",
                "reason": "Hausse du budget de l'année 2",
                "changes": {"running:2": 8_000_000},
            },
        )
        payment = convention.record_payment(
            tenant, {"received_on": "2024-03-20", "amount_cents": 7_500_000, "due_key": "running:1"}
        )
        priority = project.add_priority(tenant, {"text": "Un médecin traitant pour chacun"})
        project.save_action(
            tenant,
            {"mission": "acces_soins", "title": "Permanence de soins non programmés"},
        )
        action_id = project.actions(tenant)[0].id
        prevention_action = prevention.save_prevention_action(
            tenant,
            {"held_on": "2024-10-10", "theme": "depistage_cancers", "description": "Octobre rose"},
        )
        indicator = indicators.add_indicator(tenant, {
            "code": "patients_parcours", "name": "Patients inclus dans un parcours",
            "mission": "parcours", "unit": "count", "direction": "higher",
            "period": "year", "aggregation": "sum",
        })  # fmt: skip
        period = reporting.open_period(tenant, PeriodKind.YEAR, date(2024, 1, 1))
        reporting.enter_values(
            tenant,
            period,
            {  # every indicator of the CPTS collected then
                i.id: {"numerator": 40, "denominator": 100} for i in reporting.indicators_of(period)
            },
        )
        document = evidence.attach(
            tenant, period, indicator, b"%PDF-1.4\n%%EOF\n", "bilan.pdf", None
        )
        reporting.submit(tenant, period)
        pathway = pathways.add_pathway(
            tenant, {"kind": "autre", "name": "Médecin traitant pour tous"}
        )
        ids = {
            "pathway_id": pathway.id,
            "document_id": document.id,
            "indicator_id": indicator.id,
            "period_id": period.id,
            "payment_id": payment.id,
            "priority_id": priority.id,
            "action_id": action_id,
            "prevention_id": prevention_action.id,
        }
        db.session.commit()
    return ids


def warm_referential(*region_codes: str) -> None:
    """Read the regions, their departments and communes the way a process does once
    (app.blueprints, app.rollups.territory), so that statement counts are those of every request
    after a process's first."""
    for code in region_codes:
        region_ref(code)
        departments_of(code)
        communes_of(code)


_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def without_tokens(page: str) -> str:
    """A page without its form tokens, which are signed with the second they were made in (two
    renderings of the same page differ there only)."""
    return _TOKEN.sub('name="csrf_token"', page)
