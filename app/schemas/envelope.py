"""THE envelope of every API answer, as schemas (so the OpenAPI description shows it exactly):
{"data": ..., "meta": {...}} for a success, {"error": {"status", "message", "fields"}} for a
refusal. Lists are paginated, with their total and the links to the other pages."""

from __future__ import annotations

from functools import cache

from marshmallow import Schema, fields, validate

from app.schemas import BaseSchema


class PageArgsSchema(BaseSchema):
    page = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=100_000), metadata={"example": 1}
    )
    per_page = fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=200), metadata={"example": 50}
    )


class LinksSchema(Schema):
    self = fields.String(required=True)
    first = fields.String(required=True)
    last = fields.String(required=True)
    prev = fields.String(required=True, allow_none=True)
    next = fields.String(required=True, allow_none=True)


class PageMetaSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    links = fields.Nested(LinksSchema, required=True)


class ErrorBodySchema(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    at_fault = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "messages by field at fault (422)"},
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


@cache
def envelope(schema: type[Schema], many: bool = False, paged: bool = False) -> type[Schema]:
    """The envelope schema around `schema` (one object, a list, or a page of a list)."""
    name = schema.__name__.removesuffix("Schema") + ("Page" if paged else "List" if many else "")
    attributes: dict = {"data": fields.Nested(schema, many=many or paged, required=True)}
    if paged:
        attributes["meta"] = fields.Nested(PageMetaSchema, required=True)
    return type(f"{name}Envelope", (Schema,), attributes)
