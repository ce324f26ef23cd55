"""`flask tenants ...`: create and list CPTS tenants, refresh their derived figures."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.cli.common import fail
from app.domain import DomainError
from app.extensions import db
from app.jobs import enqueue
from app.rollups.territory import overlaps
from app.services.tenants import create_tenant
from app.services.territory import communes_by_code, communes_of_epcis, split_codes
from app.tenants.models import Stage, Tenant

group = AppGroup("tenants", help="CPTS (tenants) de la plateforme.")

# Fields of the tenant schema whose command-line option has another name.
OPTION_OF_FIELD = {
    "declared_stage": "stage",
    "region_code": "region",
    "seat_commune_code": "seat",
    "contact_email": "email",
}


@group.command("create")
@click.option("--slug", required=True, help="Identifiant dans les adresses : /t/<slug>/")
@click.option("--name", required=True, help="Nom de la CPTS.")
@click.option("--communes", multiple=True, help="Codes INSEE, séparés par des virgules.")
@click.option("--epci", multiple=True, help="SIREN d'EPCI dont toutes les communes sont reprises.")
@click.option(
    "--region", "region_code", help="Code de région (déduit du territoire s'il est unique)."
)
@click.option(
    "--stage",
    "declared_stage",
    type=click.Choice([s.value for s in Stage]),
    default=Stage.EMERGENCE.value,
)
@click.option("--finess")
@click.option("--siren")
@click.option("--seat", "seat_commune_code", help="Code INSEE de la commune du siège.")
@click.option("--email", "contact_email")
def create(communes: tuple[str, ...], epci: tuple[str, ...], **data) -> None:
    """Create a CPTS on its territory (communes by INSEE code, or whole EPCI)."""
    if bool(communes) == bool(epci):
        fail({"communes": ["indiquez soit --communes, soit --epci (l'un des deux)."]})
    territory_option = "communes" if communes else "epci"
    try:
        territory = (
            communes_by_code(split_codes(" ".join(communes)))
            if communes
            else communes_of_epcis(split_codes(" ".join(epci)))
        )
        tenant = create_tenant(data, territory)
    except DomainError as error:
        fail(error, {**OPTION_OF_FIELD, "territory": territory_option})
    db.session.commit()
    click.echo(
        f"CPTS « {tenant.name} » créée : /t/{tenant.slug}/ — {len(territory)} communes, "
        f"{tenant.population} habitants ({tenant.size_class})."
    )
    for overlap in overlaps(tenant):
        click.echo(
            f"  chevauchement : {overlap.commune.name} ({overlap.commune.code}) "
            f"appartient aussi à {overlap.other.name}"
        )


@group.command("list")
def list_tenants() -> None:
    """List every CPTS with its region, stage, population and size class."""
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.region_code, Tenant.name)):
        click.echo(
            f"{tenant.slug:40} {tenant.region_code:>3} {tenant.declared_stage.value:18} "
            f"{tenant.population:>9} {tenant.size_class}"
        )


@group.command("refresh")
@click.option("--slug", required=True)
def refresh(slug: str) -> None:
    """Recompute a CPTS's population and size class (as a background job)."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        fail({"slug": [f"aucune CPTS « {slug} »."]})
    record = enqueue(
        "refresh_figures", "app.jobs.tenants.refresh_tenant_figures", tenant_id=tenant.id
    )
    click.echo(f"tâche {record.id} : {record.status}")
