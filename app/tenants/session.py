"""The application's database session class (see app.extensions)."""

from __future__ import annotations

from flask_sqlalchemy.session import Session as FlaskSession

from app.tenants.context import TenancyError
from app.tenants.scoped import TenantScoped


def _classes(mapper_or_objects) -> list:
    if isinstance(mapper_or_objects, list | tuple):
        return [type(obj) for obj in mapper_or_objects]
    return [getattr(mapper_or_objects, "class_", mapper_or_objects)]


class TenantSession(FlaskSession):
    """The legacy bulk methods skip every ORM check (events, stamping), so tenant tables may not
    use them: add_all() or an ORM insert() go through the tenancy guard instead."""

    def _refuse_bulk(self, mapper_or_objects) -> None:
        if any(
            isinstance(c, type) and issubclass(c, TenantScoped) for c in _classes(mapper_or_objects)
        ):
            raise TenancyError("bulk_* methods are refused on tenant tables")

    def bulk_save_objects(self, objects, *args, **kwargs):
        objects = list(objects)
        self._refuse_bulk(objects)
        return super().bulk_save_objects(objects, *args, **kwargs)

    def bulk_insert_mappings(self, mapper, mappings, *args, **kwargs):
        self._refuse_bulk(mapper)
        return super().bulk_insert_mappings(mapper, mappings, *args, **kwargs)

    def bulk_update_mappings(self, mapper, mappings):
        self._refuse_bulk(mapper)
        return super().bulk_update_mappings(mapper, mappings)
