"""Indicators and their reporting periods through the API: what is accepted (a period to open,
values, a review) and what readers receive."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models.aci import Mission
from app.models.indicator import PeriodAction, PeriodKind, PeriodStatus, Timeliness
from app.models.targets import Aggregation, Direction, EarningStatus, Unit
from app.schemas import BaseSchema, UtcDateTime

COUNT = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=2_000_000_000))


class TierSchema(Schema):
    threshold = fields.Decimal(as_string=True)
    amount_cents = fields.Integer()


class IndicatorSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    template = fields.String(allow_none=True, metadata={"description": "catalogue code, if any"})
    mission = fields.Enum(Mission, by_value=True)
    unit = fields.Enum(Unit, by_value=True)
    direction = fields.Enum(Direction, by_value=True)
    period = fields.Enum(PeriodKind, by_value=True)
    aggregation = fields.Enum(Aggregation, by_value=True)
    baseline = fields.Decimal(as_string=True, allow_none=True)
    evidence = fields.String()
    tiers = fields.List(fields.Nested(TierSchema), metadata={"description": "this contract year"})


class MeasureSchema(Schema):
    numerator = fields.Integer(allow_none=True)
    denominator = fields.Integer(allow_none=True)
    missing_reason = fields.String(allow_none=True)
    masked = fields.Boolean(metadata={"description": "a small count hidden from outside readers"})


class EarningSchema(Schema):
    indicator = fields.String(metadata={"description": "indicator code"})
    year = fields.Integer(metadata={"description": "contract year"})
    measure = fields.Nested(MeasureSchema, allow_none=True)
    status = fields.Enum(EarningStatus, by_value=True)
    amount_cents = fields.Integer()
    reached = fields.Nested(TierSchema, allow_none=True)
    next_tier = fields.Nested(TierSchema, allow_none=True)
    more_cents = fields.Integer(metadata={"description": "what reaching the next tier would add"})


class ReportingPeriodSchema(Schema):
    id = fields.Integer()
    kind = fields.Enum(PeriodKind, by_value=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    due_on = fields.Date()
    status = fields.Enum(PeriodStatus, by_value=True)
    timeliness = fields.Enum(Timeliness, by_value=True)
    submitted_at = UtcDateTime(allow_none=True)
    validated_at = UtcDateTime(allow_none=True)


class IndicatorValueSchema(Schema):
    indicator_id = fields.Integer()
    numerator = fields.Integer(allow_none=True)
    denominator = fields.Integer(allow_none=True)
    missing_reason = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)


class PeriodEventSchema(Schema):
    action = fields.Enum(PeriodAction, by_value=True)
    at = UtcDateTime()
    by = fields.String(attribute="by_email", allow_none=True)
    reason = fields.String(allow_none=True)
    comments = fields.Dict(keys=fields.String(), values=fields.String(),
                           metadata={"description": "indicator id -> reviewer's comment"})  # fmt: skip


class ValueChangeSchema(Schema):
    indicator_id = fields.Integer()
    before = fields.Nested(MeasureSchema, allow_none=True)
    after = fields.Nested(MeasureSchema, allow_none=True)


class ReportingPeriodDetailSchema(ReportingPeriodSchema):
    values = fields.List(fields.Nested(IndicatorValueSchema))
    events = fields.List(fields.Nested(PeriodEventSchema))
    changes = fields.List(fields.Nested(ValueChangeSchema),
                          metadata={"description": "since the last submission or validation"})  # fmt: skip


class PeriodInputSchema(BaseSchema):
    kind = fields.Enum(PeriodKind, by_value=True, required=True)
    starts_on = fields.Date(required=True, metadata={"description": "first day of the period"})


class ValueInputSchema(BaseSchema):
    indicator_id = fields.Integer(required=True)
    numerator = COUNT
    denominator = COUNT
    missing_reason = fields.String(allow_none=True, validate=validate.Length(max=300))
    comment = fields.String(allow_none=True, validate=validate.Length(max=1000))


class ValuesInputSchema(BaseSchema):
    values = fields.List(fields.Nested(ValueInputSchema), required=True,
                         validate=validate.Length(min=1, max=500))  # fmt: skip
    submit = fields.Boolean(load_default=False, metadata={"description": "submit once saved"})


class ReviewCommentSchema(BaseSchema):
    indicator_id = fields.Integer(required=True)
    comment = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class SendBackInputSchema(BaseSchema):
    comments = fields.List(fields.Nested(ReviewCommentSchema), required=True,
                           validate=validate.Length(min=1, max=500))  # fmt: skip


class ReopenInputSchema(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class PathwaySchema(Schema):
    id = fields.Integer()
    kind = fields.String(
        metadata={"description": "insuffisance_cardiaque, diabete_type2, …, autre"}
    )
    name = fields.String()
    started_on = fields.Date(allow_none=True)
    professions = fields.List(fields.String())
    description = fields.String(allow_none=True)
    outcomes = fields.List(fields.String(), metadata={"description": "outcome indicator codes"})


class OutcomeValueSchema(Schema):
    indicator = fields.String()
    measure = fields.Nested(MeasureSchema)


class OutcomePeriodSchema(Schema):
    period_id = fields.Integer()
    kind = fields.Enum(PeriodKind, by_value=True)
    starts_on = fields.Date()
    status = fields.Enum(PeriodStatus, by_value=True)
    values = fields.List(fields.Nested(OutcomeValueSchema))


class PathwayDetailSchema(PathwaySchema):
    periods = fields.List(fields.Nested(OutcomePeriodSchema))
