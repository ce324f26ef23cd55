"""marshmallow schemas, one module per resource: what is accepted (load) and what each audience
receives (dump). Messages are in French, marked for translation, and name no internals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields

from app.domain import DomainError


class UtcDateTime(fields.DateTime):
    """A moment with its offset: SQLite hands back UTC timestamps without one."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


REQUIRED = _l("Ce champ est obligatoire.")
INVALID = {
    fields.Date: _l("Date invalide : attendue au format AAAA-MM-JJ."),
    fields.Integer: _l("Nombre entier attendu."),
    fields.Boolean: _l("Valeur attendue : true ou false."),
    fields.String: _l("Texte attendu."),
    fields.Enum: _l("Valeur inconnue pour ce champ."),
}


class BaseSchema(Schema):
    """Every field's messages in the product's words; unknown fields are refused."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": _l("Champ inconnu."), "type": _l("Données invalides.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED
            field.error_messages["null"] = REQUIRED
            for kind, message in INVALID.items():
                if isinstance(field, kind):
                    field.error_messages["invalid"] = message
                    field.error_messages["unknown"] = message
                    break


def validated(schema: Schema, data: Mapping) -> dict:
    """The data as the schema loads it, or a DomainError naming each field at fault."""
    try:
        return schema.load(data)
    except ValidationError as error:
        raise DomainError(error.messages) from error  # type: ignore[arg-type]
