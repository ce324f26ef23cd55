"""`flask users create`: create a user with one role in its scope."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.cli.common import fail
from app.domain import DomainError
from app.extensions import db
from app.models.referential import Department, Region
from app.models.user import TENANT_ROLES, Role
from app.services.users import (
    create_user,
    find_user,
    grant_in_scope,
    provenance,
    verify_address,
)
from app.tenants.models import Tenant

group = AppGroup("users", help="Comptes utilisateurs et rôles.")


def _scope_errors(
    role: Role, region: str | None, departments: tuple[str, ...], tenant_slug: str | None
):
    """Check that exactly the scope the role needs is given; return (errors, tenant)."""
    errors: dict[str, list[str]] = {}
    tenant = None
    needs = {Role.ARS: "region", Role.CPAM: "department"}.get(
        role, "tenant" if role in TENANT_ROLES else None
    )
    given = {"region": bool(region), "department": bool(departments), "tenant": bool(tenant_slug)}
    for scope, present in given.items():
        if present and scope != needs:
            errors[scope] = [f"sans objet pour le rôle {role.value}."]
        if not present and scope == needs:
            errors[scope] = [f"obligatoire pour le rôle {role.value}."]
    if region and needs == "region" and db.session.get(Region, region) is None:
        errors["region"] = [f"région inconnue : {region}."]
    unknown = [d for d in departments if db.session.get(Department, d) is None]
    if unknown and needs == "department":
        errors["department"] = [f"département(s) inconnu(s) : {', '.join(unknown)}."]
    if tenant_slug and needs == "tenant":
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == tenant_slug))
        if tenant is None:
            errors["tenant"] = [f"aucune CPTS « {tenant_slug} »."]
    return errors, tenant


@group.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--region", help="Code de région (rôle ars).")
@click.option("--department", multiple=True, help="Code de département, répétable (rôle cpam).")
@click.option(
    "--tenant", "tenant_slug", help="Identifiant de la CPTS (rôles president, coordinator, viewer)."
)
@click.option("--name", "full_name", default="")
@click.option(
    "--allow-unverified",
    is_flag=True,
    help="Accorder le rôle à un compte existant dont l'adresse n'est pas vérifiée.",
)
def create(
    email, password, role, region, department, tenant_slug, full_name, allow_unverified
) -> None:
    """Create a user (or add a role to an existing one) in one scope."""
    role = Role(role)
    errors, tenant = _scope_errors(role, region, department, tenant_slug)
    if errors:
        fail(errors)
    user = find_user(email)
    if user is not None:
        click.echo(f"{user.email} : compte existant ({provenance(user)}), mot de passe inchangé.")
        if not user.email_verified and not allow_unverified:
            fail(
                {
                    "email": [
                        "l'adresse de ce compte n'est pas vérifiée : la personne qui l'a créé "
                        "en connaît peut-être le mot de passe. Confirmez l'adresse avec sa "
                        "titulaire (flask users verify), ou ajoutez --allow-unverified."
                    ]
                }
            )
    else:
        try:
            user = create_user(email, password, full_name)
        except DomainError as error:
            fail(error)
    grant_in_scope(user, role, tenant=tenant, region_code=region, department_codes=department)
    db.session.commit()
    click.echo(f"{user.email} : rôle {role.value} accordé.")


@group.command("verify")
@click.option("--email", required=True)
def verify(email: str) -> None:
    """Confirm, after checking with its owner, that an account's address is theirs."""
    user = find_user(email)
    if user is None:
        fail({"email": [f"aucun compte pour {email}."]})
    click.echo(f"{user.email} : {provenance(user)}.")
    verify_address(user, "operator")
    db.session.commit()
    click.echo(f"{user.email} : adresse confirmée.")
