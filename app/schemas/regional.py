"""The regional figures as ARS tooling receives them (GET /api/v1/regions/<code>/...): the same
rows as the regional pages, read from the rollups, small counts masked (null)."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.schemas import BaseSchema


class OverviewCptsSchema(Schema):
    slug = fields.String(attribute="tenant.slug")
    name = fields.String(attribute="tenant.name")
    department = fields.String(attribute="tenant.department_code", allow_none=True)
    stage = fields.String(attribute="stage.value")
    population = fields.Integer(attribute="tenant.population")
    size_class = fields.String(attribute="tenant.size_class")
    members = fields.Integer()
    members_per_10k = fields.Float(attribute="per_10k", allow_none=True)
    growth_12_months_percent = fields.Float(attribute="growth", allow_none=True)
    convention = fields.String(attribute="current.convention", allow_none=True)
    signed_on = fields.Date(attribute="current.signed_on", allow_none=True)
    missions_late = fields.Integer()
    missions_at_risk = fields.Integer()
    reporting_completeness_percent = fields.Float(attribute="completeness", allow_none=True)
    reporting_timeliness_percent = fields.Float(attribute="timeliness", allow_none=True)


class MediansSchema(Schema):
    population = fields.Float(allow_none=True)
    members = fields.Float(allow_none=True)
    members_per_10k = fields.Float(attribute="per_10k", allow_none=True)
    growth_12_months_percent = fields.Float(attribute="growth", allow_none=True)
    missions_late = fields.Float(allow_none=True)
    reporting_completeness_percent = fields.Float(attribute="completeness", allow_none=True)
    reporting_timeliness_percent = fields.Float(attribute="timeliness", allow_none=True)


class OverviewSchema(Schema):
    region = fields.String()
    data_as_of = fields.DateTime(allow_none=True)
    medians = fields.Nested(MediansSchema)
    cptss = fields.Nested(OverviewCptsSchema, many=True)


class MonthSeriesSchema(Schema):
    slug = fields.String()
    members = fields.List(fields.Integer(allow_none=True))


class GrowthSchema(Schema):
    region = fields.String()
    data_as_of = fields.DateTime(allow_none=True)
    months = fields.List(fields.Date())
    region_members = fields.List(fields.Integer())
    cptss = fields.Nested(MonthSeriesSchema, many=True)


class YearMoneySchema(Schema):
    year = fields.Integer()
    planned_cents = fields.Integer()
    due_cents = fields.Integer()
    paid_cents = fields.Integer()


class YearSignaturesSchema(Schema):
    year = fields.Integer()
    signatures = fields.Integer()
    cumulative = fields.Integer()
    amendments = fields.Integer()


class ConventionsSchema(Schema):
    region = fields.String()
    data_as_of = fields.DateTime(allow_none=True)
    statuses = fields.Dict(keys=fields.String(), values=fields.Integer())
    years = fields.Nested(YearSignaturesSchema, many=True)
    money = fields.Nested(YearMoneySchema, many=True)


class OutcomeSchema(Schema):
    slug = fields.String(attribute="row.tenant.slug")
    value = fields.Float(allow_none=True)
    base = fields.Integer(allow_none=True)
    previous = fields.Float(allow_none=True)
    masked = fields.Boolean()


class OutcomesSchema(Schema):
    region = fields.String()
    data_as_of = fields.DateTime(allow_none=True)
    template = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    templates = fields.List(fields.String())
    median = fields.Float(allow_none=True)
    cptss = fields.Nested(OutcomeSchema, many=True)


class OutcomesArgsSchema(BaseSchema):
    template = fields.String(load_default=None, metadata={"example": "mt_16"})
