"""Creating and updating CPTS tenants: validation, uniqueness, territory and attachment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.domain import DomainError
from app.extensions import db
from app.models.referential import Commune, Department, Region
from app.schemas import validated
from app.schemas.tenant import EDITABLE, TenantSchema
from app.services import audit
from app.services.territory import (
    listed,
    majority_department,
    outside_region,
    set_territory,
    territory_codes,
    territory_of,
)
from app.tenants.models import Tenant

TAKEN = {
    "slug": _l("Cet identifiant est déjà utilisé par une autre CPTS."),
    "name": _l("Ce nom est déjà utilisé par une autre CPTS."),
    "finess": _l("Ce FINESS est déjà utilisé par une autre CPTS."),
    "siren": _l("Ce SIREN est déjà utilisé par une autre CPTS."),
}


def _taken(field: str, value, exclude_id: int | None) -> bool:
    """Names compare without case or surrounding spaces: two CPTS may not be told apart by case."""
    if value is None:
        return False
    column = getattr(Tenant, field)
    same = func.lower(column) == value.strip().lower() if field == "name" else column == value
    query = select(Tenant.id).where(same)
    if exclude_id is not None:
        query = query.where(Tenant.id != exclude_id)
    return db.session.scalar(query) is not None


def _load(data: dict, only: tuple[str, ...] | None = None) -> dict:
    return validated(TenantSchema(only=only), data)


def _uniqueness_errors(clean: dict, exclude_id: int | None = None) -> dict[str, list]:
    return {
        field: [message]
        for field, message in TAKEN.items()
        if field in clean and _taken(field, clean[field], exclude_id)
    }


def _seat_errors(clean: dict, territory: set[str]) -> dict[str, list]:
    seat = clean.get("seat_commune_code")
    if seat and seat not in territory:
        return {"seat_commune_code": [_l("La commune du siège doit faire partie du territoire.")]}
    return {}


def create_tenant(data: dict, communes: list[Commune]) -> Tenant:
    """Validate everything first, then write: a refused tenant leaves nothing behind. The
    department of attachment is the one holding most of the territory's population."""
    clean = _load(data)
    errors = _uniqueness_errors(clean)
    if not communes:
        errors["territory"] = [_l("Le territoire doit comporter au moins une commune.")]
    regions = {c.region_code for c in communes}
    if clean["region_code"] is None and len(regions) == 1:
        clean["region_code"] = next(iter(regions))
    if clean["region_code"] is None or db.session.get(Region, clean["region_code"]) is None:
        errors["region_code"] = [_l("Région inconnue ou ambiguë : précisez le code de la région.")]
    elif outside := outside_region(clean["region_code"], communes):
        errors["territory"] = [
            _l(
                "Commune(s) hors de la région %(region)s : %(communes)s",
                region=clean["region_code"],
                communes=listed(outside),
            )
        ]
    errors.update(_seat_errors(clean, {c.code for c in communes}))
    if errors:
        raise DomainError(errors)
    tenant = Tenant(**clean, department_code=majority_department(communes))
    db.session.add(tenant)
    db.session.flush()
    set_territory(tenant, communes, field="territory")
    audit.record("tenant_created", obj=tenant, tenant_id=tenant.id)
    return tenant


def update_tenant(tenant: Tenant, data: dict) -> dict[str, list[str | None]]:
    """Change the CPTS's registry data; returns what changed as {field: [before, after]}."""
    clean = _load(data, only=EDITABLE)
    errors = {
        **_uniqueness_errors(clean, exclude_id=tenant.id),
        **_seat_errors(clean, territory_codes(tenant)),
    }
    if errors:
        raise DomainError(errors)
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


def reattach(tenant: Tenant, department_code: str) -> dict[str, list[str | None]]:
    """Change the department of attachment, which decides the CPAM that follows the CPTS: for the
    ARS of the region or an admin (the route says so), audited with before and after."""
    department = db.session.get(Department, department_code or "")
    if department is None or department.region_code != tenant.region_code:
        raise DomainError.on(
            "department_code", _l("Choisissez un département de la région de la CPTS.")
        )
    if department.code not in {c.department_code for c in territory_of(tenant)}:
        raise DomainError.on(
            "department_code",
            _l("Le territoire de la CPTS ne compte aucune commune de ce département."),
        )
    if department.code == tenant.department_code:
        return {}
    change = {"department_code": [tenant.department_code, department.code]}
    tenant.department_code = department.code
    audit.record("tenant_reattached", obj=tenant, tenant_id=tenant.id, details=change)
    return change


def _text(value) -> str | None:
    return None if value is None else str(getattr(value, "value", value))
