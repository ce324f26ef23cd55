"""Models, one module per aggregate. Importing this package registers every mapped class (the
application factory and Alembic rely on it)."""

from __future__ import annotations

from app.models import audit, job, member, referential, territory, user  # noqa: F401
from app.tenants import models as tenants  # noqa: F401
