"""The CPTS's audit trail: filterable by person, action and date, paginated, exportable."""

from __future__ import annotations

from datetime import date

from flask import render_template, request

from app.blueprints.downloads import download
from app.blueprints.workspace.blueprint import bp, may
from app.exports import csv_stream
from app.reports.journal import (
    ACTION_LABELS,
    JOURNAL_HEADER,
    OBJECT_LABELS,
    JournalFilters,
    describe,
    journal,
    journal_choices,
    journal_rows,
)
from app.security.permissions import Action, require
from app.services import audit
from app.tenants.resolver import current_tenant


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filters() -> JournalFilters:
    return JournalFilters(
        actor=request.args.get("personne", "")[:254],
        action=request.args.get("action", "")[:60],
        since=_day("du"),
        until=_day("au"),
    )


@bp.get("/journal/")
@require(Action.AUDIT)
def audit_trail():
    page = request.args.get("page", "1")
    filters = _filters()
    actors, actions = journal_choices(current_tenant)
    return render_template(
        "workspace/journal.html",
        tenant=current_tenant,
        found=journal(current_tenant, filters, int(page) if page.isdigit() and page != "0" else 1),
        filters=filters,
        actors=actors,
        actions=actions,
        labels=ACTION_LABELS,
        objects=OBJECT_LABELS,
        describe=describe,
        people_visible=may(Action.READ_PEOPLE),
    )


@bp.get("/journal/export.csv")
@require(Action.AUDIT, Action.EXPORT)
def audit_trail_csv():
    filters = _filters()
    audit.record_now("export", details={"what": "audit_trail", "format": "csv"})
    name = f"journal-{current_tenant.slug}-{date.today().isoformat()}.csv"
    return download(csv_stream(JOURNAL_HEADER, journal_rows(current_tenant, filters)), name, "csv")
