"""Indicators: the platform's catalogue of templates, the indicators of each CPTS, their
reporting periods, the values reported in them, and the review trail of each period.

A CPTS's tiered targets are contract terms (`tier:<code>:<year>:<n>`, app.models.aci): they
change through amendments like any other term, with their history. The trail of a period
(PeriodEvent) is append-only: each event keeps the values as they were, so a reviewer sees what
changed since the last submission or validation.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.columns import TimestampMixin, enum_column, utcnow
from app.extensions import Model
from app.i18n import N_
from app.models.aci import MISSION_LABELS, Mission
from app.models.convention import ImmutableError
from app.models.targets import (
    AGGREGATION_LABELS,
    DIRECTION_LABELS,
    UNIT_LABELS,
    Aggregation,
    Direction,
    Unit,
)
from app.tenants.scoped import TenantScoped


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}  # a period's length
PERIOD_LABELS = {
    PeriodKind.MONTH: N_("mensuelle"),
    PeriodKind.QUARTER: N_("trimestrielle"),
    PeriodKind.YEAR: N_("annuelle"),
}


class PeriodStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SENT_BACK = "sent_back"
    VALIDATED = "validated"


PERIOD_STATUS_LABELS = {
    PeriodStatus.DRAFT: N_("brouillon"),
    PeriodStatus.SUBMITTED: N_("soumise, en attente de revue"),
    PeriodStatus.SENT_BACK: N_("renvoyée pour correction"),
    PeriodStatus.VALIDATED: N_("validée"),
}


class Timeliness(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    UPCOMING = "upcoming"


TIMELINESS_LABELS = {
    Timeliness.ON_TIME: N_("dans les délais"),
    Timeliness.LATE: N_("rendue en retard"),
    Timeliness.MISSING: N_("manquante"),
    Timeliness.UPCOMING: N_("à venir"),
}


class PeriodAction(enum.StrEnum):
    SUBMIT = "submit"
    VALIDATE = "validate"
    SEND_BACK = "send_back"
    REOPEN = "reopen"


PERIOD_ACTION_LABELS = {  # "période <label>"
    PeriodAction.SUBMIT: N_("soumise"),
    PeriodAction.VALIDATE: N_("validée"),
    PeriodAction.SEND_BACK: N_("renvoyée pour correction"),
    PeriodAction.REOPEN: N_("rouverte"),
}


class IndicatorDefinition:
    """What an indicator measures, shared by a catalogue template and a CPTS's indicator (which
    copies its template's)."""

    name: Mapped[str] = mapped_column(String(200))
    mission: Mapped[Mission] = mapped_column(enum_column(Mission, 40))
    unit: Mapped[Unit] = mapped_column(enum_column(Unit, 20))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, 10))
    period: Mapped[PeriodKind] = mapped_column(enum_column(PeriodKind, 10))
    aggregation: Mapped[Aggregation] = mapped_column(enum_column(Aggregation, 10))
    definition: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")


DEFINITION_FIELDS = ("name", "mission", "unit", "direction", "period", "aggregation",
                     "definition", "evidence")  # fmt: skip
DEFINITION_FIELD_NAMES = {
    "mission": N_("Mission"),
    "unit": N_("Unité"),
    "direction": N_("Sens"),
    "period": N_("Rythme de collecte"),
    "aggregation": N_("Valeur de l'année"),
}
# The choices of a definition, by field, as a form offers them
DEFINITION_LABELS = {"mission": MISSION_LABELS, "unit": UNIT_LABELS, "direction": DIRECTION_LABELS,
                     "period": PERIOD_LABELS, "aggregation": AGGREGATION_LABELS}  # fmt: skip


class IndicatorTemplate(IndicatorDefinition, TimestampMixin, Model):
    """A definition kept by the platform admin, shared by every CPTS that uses it: values of
    the same template are compared across CPTS (regional layer)."""

    __tablename__ = "indicator_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    pathway: Mapped[str | None] = mapped_column(String(40))  # a pathway's outcome measure


class Indicator(IndicatorDefinition, TenantScoped, TimestampMixin, Model):
    """An indicator of the CPTS's convention, from a template (comparable across CPTS) or
    written by the CPTS (local). Its tiers per contract year are convention terms."""

    __tablename__ = "indicator"
    __table_args__ = (
        TenantScoped.tenant_unique("id"),
        TenantScoped.tenant_unique("code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("indicator_template.id"))
    code: Mapped[str] = mapped_column(String(30))
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(14, 3, asdecimal=True))
    pathway_id: Mapped[int | None] = mapped_column(Integer)  # set for a pathway's outcomes


class ReportingPeriod(TenantScoped, TimestampMixin, Model):
    """A period the CPTS reports on (a month, a quarter or a year) for the indicators of that
    frequency. Its status moves only through app.services.reporting."""

    __tablename__ = "reporting_period"
    __table_args__ = (
        TenantScoped.tenant_unique("id"),
        TenantScoped.tenant_unique("kind", "starts_on"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("due_on > ends_on", name="due_after_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PeriodKind] = mapped_column(enum_column(PeriodKind, 10))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[PeriodStatus] = mapped_column(
        enum_column(PeriodStatus, 12), default=PeriodStatus.DRAFT
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def timeliness(self, today: date) -> Timeliness:
        """By the first submission: on time, late (after the due date), missing (due date
        passed, nothing submitted) or upcoming."""
        if self.submitted_at is not None:
            late = self.submitted_at.date() > self.due_on
            return Timeliness.LATE if late else Timeliness.ON_TIME
        return Timeliness.MISSING if today > self.due_on else Timeliness.UPCOMING


class IndicatorValue(TenantScoped, Model):
    """One indicator's value in one period: numbers only (a count, or a rate's numerator and
    denominator), or missing with a reason."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        TenantScoped.child_of("reporting_period", "period_id"),
        TenantScoped.child_of("indicator", "indicator_id"),
        TenantScoped.tenant_unique("period_id", "indicator_id"),
        CheckConstraint("numerator IS NULL OR numerator >= 0", name="numerator_not_negative"),
        CheckConstraint("denominator IS NULL OR denominator >= 0", name="denominator_not_negative"),
        CheckConstraint(
            "(numerator IS NULL) <> (missing_reason IS NULL)", name="value_or_missing_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(Integer, index=True)
    indicator_id: Mapped[int] = mapped_column(Integer, index=True)
    numerator: Mapped[int | None] = mapped_column(Integer)
    denominator: Mapped[int | None] = mapped_column(Integer)
    missing_reason: Mapped[str | None] = mapped_column(String(300))
    comment: Mapped[str | None] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PeriodEvent(TenantScoped, Model):
    """A transition of a period, with who, when, why, the values at that moment and, for a
    period sent back, the reviewer's comment on each value concerned. Never changed."""

    __tablename__ = "period_event"
    __table_args__ = (TenantScoped.child_of("reporting_period", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[PeriodAction] = mapped_column(enum_column(PeriodAction, 12))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    by_email: Mapped[str | None] = mapped_column(String(254))
    reason: Mapped[str | None] = mapped_column(String(1000))
    # {indicator id: [numerator, denominator, missing reason]} as they were
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    # {indicator id: the reviewer's comment} (sent back only)
    comments: Mapped[dict] = mapped_column(JSON, default=dict)


@event.listens_for(PeriodEvent, "before_update")
@event.listens_for(PeriodEvent, "before_delete")
def _refuse(_mapper, _connection, target) -> None:
    raise ImmutableError("period events are never changed or deleted")


class EvidenceDocument(TenantScoped, TimestampMixin, Model):
    """A document attached to a value (attendance sheet, activity report, CPAM extraction): kept
    under a name the server chooses, read only within the CPTS's scope."""

    __tablename__ = "evidence_document"
    __table_args__ = (
        TenantScoped.child_of("reporting_period", "period_id"),
        TenantScoped.child_of("indicator", "indicator_id"),
        TenantScoped.tenant_unique("stored_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(Integer, index=True)
    indicator_id: Mapped[int] = mapped_column(Integer, index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
