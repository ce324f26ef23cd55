"""marshmallow schemas of the API: what a reader of a CPTS receives."""

from __future__ import annotations

from marshmallow import Schema, fields


class CommuneSchema(Schema):
    code = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    population = fields.Integer(dump_only=True)
    epci_siren = fields.String(dump_only=True, allow_none=True)


class TenantFactsSchema(Schema):
    slug = fields.Function(lambda o: o["tenant"].slug)
    name = fields.Function(lambda o: o["tenant"].name)
    region = fields.Function(lambda o: o["tenant"].region_code)
    department = fields.Function(lambda o: o["tenant"].department_code)
    stage = fields.Function(lambda o: o["tenant"].stage.value)
    population = fields.Function(lambda o: o["tenant"].population)
    size_class = fields.Function(lambda o: o["tenant"].size_class)
    finess = fields.Function(lambda o: o["tenant"].finess)
    siren = fields.Function(lambda o: o["tenant"].siren)
    member_count = fields.Integer(dump_only=True)
    communes = fields.Function(lambda o: CommuneSchema(many=True).dump(o["communes"]))
