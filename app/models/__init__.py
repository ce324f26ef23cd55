"""Models, one module per aggregate. `load_all()` registers every mapped class (app factory, Alembic)."""

from __future__ import annotations


def load_all() -> None:
    from app.models import audit, job, member, referential, user  # noqa: F401
    from app.tenants import models  # noqa: F401
