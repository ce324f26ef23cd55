"""Models, one module per aggregate. Importing this package registers every mapped class (the
application factory and Alembic rely on it)."""

from __future__ import annotations

from app.models import (  # noqa: F401
    aci,
    audit,
    contract,
    convention,
    indicator,
    job,
    member,
    member_import,
    pathway,
    prevention,
    project,
    referential,
    rollup,
    territory,
    token,
    user,
)
from app.tenants import models as tenants  # noqa: F401
