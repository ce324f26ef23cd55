"""Demo data loader: the seed CPTS and fictitious peers, their members, one login per role.

Idempotent: a CPTS found by slug is updated (fields and territory) rather than created again;
its members are made exactly the generated set, matched by their (fictitious) RPPS number; its
project, convention and payments are made those of app.demo.contracts (amendments, which never
change, are only added); its indicators and reporting periods those of app.demo.indicators; users are found by e-mail and granted roles idempotently. Running it
twice the same day gives the same data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from sqlalchemy import select

from app.demo.catalogue import ACCOUNTS, ALL_CPTS, DOMAIN, PASSWORD, DemoAccount, DemoCpts
from app.demo.contracts import CHOSEN, catalogue, sync_contract, sync_payments
from app.demo.indicators import sync_indicators
from app.demo.people import DemoMember, generate_members
from app.domain import DomainError
from app.extensions import db
from app.models.member import Member, MemberPeriod
from app.models.referential import Commune
from app.models.user import AccountOrigin, Role
from app.reports.members import active_member_count
from app.security.passwords import hash_password, password_problem, verify_password
from app.services.catalogue import load_catalogue
from app.services.tenants import create_tenant
from app.services.territory import (
    communes_by_code,
    communes_of_epcis,
    majority_department,
    set_territory,
)
from app.services.users import create_user, find_user, grant_in_scope
from app.tenants.context import for_tenant
from app.tenants.models import Tenant


class DemoError(click.ClickException):
    """The demo could not be loaded (nothing was written); the message is French."""


def load_demo() -> list[str]:
    """Create or refresh every demo CPTS and account, commit, and return the lines to print."""
    if problem := password_problem(PASSWORD):
        raise DemoError(f"mot de passe de démonstration refusé : {problem}")
    try:
        lines, presidents = [], {}
        contracts = catalogue(date.today())
        load_catalogue()  # the indicator templates the demo's indicators come from
        for cpts in ALL_CPTS:
            communes = _territory(cpts)
            tenant = _upsert_tenant(cpts, communes)
            members = generate_members(
                cpts, [(c.code, c.population) for c in communes], _neighbours(communes)
            )
            presidents[cpts.slug] = members[0].full_name
            lines.append(_summary(tenant, _sync_members(tenant, members)))
            if cpts.slug in contracts:
                sync_contract(tenant, contracts[cpts.slug], date.today())
            sync_indicators(tenant, date.today())
            if cpts.slug in contracts:
                sync_payments(tenant, contracts[cpts.slug], date.today())
        lines.append(CHOSEN)
        lines += ["", f"Comptes de démonstration (mot de passe commun : {PASSWORD})"]
        lines += [_load_account(account, presidents) for account in ACCOUNTS]
    except DomainError as error:
        db.session.rollback()
        hint = "le référentiel est-il chargé ? flask referential load"
        raise DemoError(f"{error} ({hint})") from error
    db.session.commit()
    return lines


def _territory(cpts: DemoCpts) -> list[Commune]:
    communes = communes_of_epcis(cpts.epcis) if cpts.epcis else []
    if cpts.communes:
        communes += communes_by_code(cpts.communes)
    unique = {commune.code: commune for commune in communes}
    if cpts.seat not in unique:
        message = f"{cpts.seat} hors du territoire de {cpts.slug}."
        raise DomainError.on("seat_commune_code", message)
    return sorted(unique.values(), key=lambda commune: commune.code)


def _neighbours(communes: list[Commune]) -> list[str]:
    """The largest communes of the territory's departments that lie outside it."""
    inside = {c.code for c in communes}
    departments = {c.department_code for c in communes}
    nearby = db.session.scalars(
        select(Commune.code)
        .where(Commune.department_code.in_(departments), Commune.code.not_in(inside))
        .order_by(Commune.population.desc())
        .limit(10)
    )
    return list(nearby)


def _upsert_tenant(cpts: DemoCpts, communes: list[Commune]) -> Tenant:
    data = {
        "slug": cpts.slug,
        "name": cpts.name,
        "region_code": cpts.region_code,
        "declared_stage": cpts.stage.value,
        "seat_commune_code": cpts.seat,
        "contact_email": cpts.contact_email,
        "fictitious": cpts.fictitious,
    }
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == cpts.slug))
    if tenant is None:
        return create_tenant(data, communes)
    for key, value in data.items():
        setattr(tenant, key, value)
    tenant.declared_stage = cpts.stage
    tenant.finess = tenant.siren = None
    tenant.department_code = majority_department(communes)
    set_territory(tenant, communes)
    return tenant


@for_tenant
def _sync_members(tenant: Tenant, members: list[DemoMember]) -> int:
    """Make the tenant's members exactly `members`; return how many are active today."""
    wanted = {member.rpps for member in members}
    rows = db.session.scalars(select(Member)).all()
    by_rpps = {row.rpps: row for row in rows if row.rpps in wanted}
    for row in rows:
        if row.rpps not in wanted:
            db.session.delete(row)
    for member in members:
        found = by_rpps.get(member.rpps)
        row = found if found is not None else Member(rpps=member.rpps)
        db.session.add(row)
        for name in FIELDS:
            setattr(row, name, getattr(member, name))
        row.erased_at = None
        periods = [member.earlier_period] if member.earlier_period else []
        if [(p.joined_on, p.left_on) for p in row.earlier_periods] != periods:
            row.earlier_periods = [MemberPeriod(joined_on=j, left_on=left) for j, left in periods]
    db.session.flush()
    return active_member_count(tenant)


FIELDS = (
    "first_name",
    "last_name",
    "profession",
    "joined_on",
    "left_on",
    "exercise_mode",
    "place",
    "practice_commune_code",
    "email",
    "board_role",
)


EXAMPLE_IMPORT = Path(__file__).resolve().parent / "exemple-import-membres.csv"


def _summary(tenant: Tenant, active: int) -> str:
    population = f"{tenant.population:,}".replace(",", " ")
    return f"{tenant.name} : {population} habitants ({tenant.size_class}), {active} membres actifs"


def _load_account(account: DemoAccount, presidents: dict[str, str]) -> str:
    email = f"{account.email_local}@{DOMAIN}"
    full_name = account.full_name or presidents[account.tenant_slug or ""]
    user = find_user(email)
    if user is None:
        user = create_user(email, PASSWORD, full_name, origin=AccountOrigin.DEMO)
    else:
        user.full_name, user.active = full_name, True
        if not verify_password(user.password_hash, PASSWORD)[0]:
            user.password_hash = hash_password(PASSWORD)
    tenant = None
    if account.tenant_slug:
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == account.tenant_slug))
    grant_in_scope(
        user,
        account.role,
        tenant=tenant,
        region_code=account.region_code,
        department_codes=account.department_codes,
    )
    if account.role == Role.CPAM:
        scope = "départements " + ", ".join(account.department_codes)
    elif account.tenant_slug:
        scope = account.tenant_slug
    else:
        scope = f"région {account.region_code}" if account.region_code else "plateforme"
    return f"  {email:58} {account.role.value:12} {scope:24} {PASSWORD}  ({full_name})"
