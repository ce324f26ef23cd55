"""Creating and updating CPTS tenants: validation, uniqueness, territory and derived figures."""

from __future__ import annotations

from marshmallow import ValidationError
from sqlalchemy import func, select

from app.extensions import db
from app.models.referential import Commune, Department, Region
from app.services import audit
from app.tenants.models import Tenant
from app.tenants.schemas import TenantSchema
from app.tenants.territory import (
    TerritoryError,
    majority_department,
    outside_region,
    set_territory,
    territory_of,
)


class TenantDataError(ValueError):
    """Invalid registry data: `errors` maps each field to its French messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k} : {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _unique(field: str, value, exclude_id: int | None = None) -> bool:
    """Names compare without case or surrounding spaces: two CPTS may not be told apart by case."""
    if value is None:
        return True
    column = getattr(Tenant, field)
    query = select(Tenant.id).where(
        func.lower(column) == value.strip().lower() if field == "name" else column == value
    )
    if exclude_id is not None:
        query = query.where(Tenant.id != exclude_id)
    return db.session.scalar(query) is None


UNIQUE_LABELS = {
    "slug": "Cet identifiant",
    "name": "Ce nom",
    "finess": "Ce FINESS",
    "siren": "Ce SIREN",
}
EDITABLE = (
    "name",
    "stage",
    "finess",
    "siren",
    "seat_commune_code",
    "contact_email",
    "contact_phone",
)


def _load(data: dict, only: tuple[str, ...] | None = None) -> dict:
    try:
        return TenantSchema(only=only).load(data)
    except ValidationError as error:
        raise TenantDataError(error.messages) from error


def _uniqueness_errors(clean: dict, exclude_id: int | None = None) -> dict[str, list[str]]:
    return {
        field: [f"{label} est déjà utilisé par une autre CPTS."]
        for field, label in UNIQUE_LABELS.items()
        if field in clean and not _unique(field, clean[field], exclude_id)
    }


def _seat_errors(clean: dict, territory_codes: set[str]) -> dict[str, list[str]]:
    seat = clean.get("seat_commune_code")
    if seat and seat not in territory_codes:
        return {"seat_commune_code": ["La commune du siège doit faire partie du territoire."]}
    return {}


def create_tenant(data: dict, communes: list[Commune]) -> Tenant:
    """Validate everything first, then write: a refused tenant leaves nothing behind."""
    clean = _load(data)
    errors = _uniqueness_errors(clean)
    if not communes:
        errors["territory"] = ["Le territoire doit comporter au moins une commune."]
    regions = {c.region_code for c in communes}
    if clean["region_code"] is None and len(regions) == 1:
        clean["region_code"] = next(iter(regions))
    if clean["region_code"] is None or db.session.get(Region, clean["region_code"]) is None:
        errors["region_code"] = ["Région inconnue ou ambiguë : précisez le code de la région."]
    elif outside := outside_region(clean["region_code"], communes):
        errors["territory"] = [
            f"{len(outside)} commune(s) hors de la région {clean['region_code']} : "
            + ", ".join(f"{c.name} ({c.code})" for c in outside[:10])
        ]
    errors.update(_seat_errors(clean, {c.code for c in communes}))
    if errors:
        raise TenantDataError(errors)
    tenant = Tenant(**clean, department_code=majority_department(communes))
    db.session.add(tenant)
    db.session.flush()
    try:
        set_territory(tenant, communes)
    except TerritoryError as error:
        raise TenantDataError({"territory": [str(error)]}) from error
    audit.record("tenant_created", obj=tenant, tenant_id=tenant.id)
    return tenant


def update_tenant(tenant: Tenant, data: dict, territory_codes: set[str]) -> dict[str, list[str]]:
    """Change the CPTS's identity fields; returns what changed as {field: [before, after]}."""
    clean = _load(data, only=EDITABLE)
    errors = {
        **_uniqueness_errors(clean, exclude_id=tenant.id),
        **_seat_errors(clean, territory_codes),
    }
    if errors:
        raise TenantDataError(errors)
    changes = {
        field: [_text(getattr(tenant, field)), _text(value)]
        for field, value in clean.items()
        if getattr(tenant, field) != value
    }
    for field in changes:
        setattr(tenant, field, clean[field])
    if changes:
        audit.record("tenant_updated", obj=tenant, tenant_id=tenant.id, details=changes)
    return changes


def _text(value) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def reattach(tenant: Tenant, department_code: str) -> dict[str, list[str | None]]:
    """Change the department of attachment, which decides the CPAM that follows the CPTS: for the
    ARS of the region or an admin (the route says so), audited with before and after."""
    department = db.session.get(Department, department_code or "")
    if department is None or department.region_code != tenant.region_code:
        raise TenantDataError(
            {"department_code": ["Choisissez un département de la région de la CPTS."]}
        )
    if department.code not in {c.department_code for c in territory_of(tenant)}:
        raise TenantDataError(
            {
                "department_code": [
                    "Le territoire de la CPTS ne compte aucune commune de ce département."
                ]
            }
        )
    if department.code == tenant.department_code:
        return {}
    change = {"department_code": [tenant.department_code, department.code]}
    tenant.department_code = department.code
    audit.record("tenant_reattached", obj=tenant, tenant_id=tenant.id, details=change)
    return change
