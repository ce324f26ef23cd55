"""marshmallow schemas, one module per resource: what is accepted (load) and what each audience
receives (dump). Messages are in French, marked for translation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

REQUIRED = _l("Ce champ est obligatoire.")


class BaseSchema(Schema):
    """Every field's "required" and "null" messages in the product's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED
            field.error_messages["null"] = REQUIRED
