"""The convention-status list and its export, for the funders: CPAM staff over their
departments, ARS staff over their region (the same page, another scope). Every export is
audited, and the list shows the user's own export history."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import ColumnElement, select
from werkzeug.datastructures import MultiDict

from app.blueprints.downloads import download
from app.blueprints.paging import page_number
from app.domain import DomainError
from app.exports import csv_stream, json_stream, xlsx_stream
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.contract import ConventionStatus
from app.reports.convention_exports import (
    export_cells,
    export_header,
    export_labels,
    export_record,
)
from app.reports.conventions import (
    ALERTS,
    SORTS,
    ConventionFilters,
    convention_rows,
    scope_counts,
    sorted_rows,
)
from app.schemas.convention import STATUS_LABELS
from app.services import audit

PER_PAGE = 50
EXPORT_ACTION = "conventions_exported"
FORMATS = ("csv", "xlsx", "json")


def filters_from(args: MultiDict) -> ConventionFilters:
    """The page's filters from its query string; a value that is not one is ignored."""
    status = args.get("statut", "")
    year = args.get("annee", "")
    return ConventionFilters(
        status=ConventionStatus(status) if status in ConventionStatus._value2member_map_ else None,
        department=args.get("departement", "")[:3] or None,
        size_class=args.get("taille") if args.get("taille") in ("T1", "T2", "T3", "T4") else None,
        alert=args.get("alerte") if args.get("alerte") in ALERTS else None,
        signed_year=int(year) if year.isdigit() and len(year) == 4 else None,
        sort=str(args.get("tri")) if args.get("tri") in SORTS else "name",
    )


def list_page(scope: ColumnElement[bool], heading: str, eyebrow: str, export_endpoint: str):
    """The CPAM's page: the list, then the reader's own exports."""
    return render_template(
        "conventions/list.html",
        heading=heading,
        eyebrow=eyebrow,
        body=Markup(list_body(scope, export_endpoint)),
        history=history(),
    )


def list_body(scope: ColumnElement[bool], export_endpoint: str) -> str:
    """Counts, filters, the page of rows asked for and the export links: a function of the
    data in scope, the day and the URL (the ARS's page caches it)."""
    today = date.today()
    filters = filters_from(request.args)
    rows = list(convention_rows(scope, today, stream=False))
    counts = scope_counts(rows)
    kept = sorted_rows((r for r in rows if filters.keeps(r)), filters.sort)
    page = page_number()
    shown = kept[(page - 1) * PER_PAGE : page * PER_PAGE]
    query = {k: v for k, v in request.args.items() if k not in ("page", "format")}

    def link(**changes) -> str:
        """This page with some filters changed (None removes one); back to the first page."""
        args = {k: v for k, v in {**query, **changes}.items() if v is not None}
        return request.path + "?" + urlencode(args)

    return render_template(
        "conventions/_list.html",
        rows=shown,
        total=len(kept),
        page=page,
        pages=max(1, -(-len(kept) // PER_PAGE)),
        counts=counts,
        filters=filters,
        link=link,
        statuses=STATUS_LABELS,
        export_links={
            f: url_for(export_endpoint) + "?" + urlencode({**query, "format": f}) for f in FORMATS
        },
    )


def history() -> list[AuditEvent]:
    """The user's last exports of convention status."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == EXPORT_ACTION, AuditEvent.actor_id == current_user.id)
            .order_by(AuditEvent.id.desc())
            .limit(10)
        )
    )


def export(scope: ColumnElement[bool], name: str):
    """The rows of the list (its filters applied), streamed as CSV, XLSX or JSON."""
    kind = request.args.get("format", "csv")
    if kind not in FORMATS:
        raise DomainError.on("format", _l("Format inconnu : csv, xlsx ou json."))
    filters = filters_from(request.args)
    delimiter = "," if request.args.get("sep") == "comma" else ";"
    audit.record_now(
        EXPORT_ACTION,
        details={"format": kind, "scope": name, "filters": _described(filters)},
    )
    rows = (r for r in convention_rows(scope, date.today()) if filters.keeps(r))
    filename = f"conventions-{name}-{date.today().isoformat()}.{kind}"
    if kind == "json":
        meta = {"generated_on": date.today(), "scope": name, "filters": _described(filters)}
        return download(json_stream((export_record(r) for r in rows), meta), filename, kind)
    labels = export_labels()
    cells = (export_cells(r, labels) for r in rows)
    if kind == "xlsx":
        return download(xlsx_stream(gettext("Conventions"), export_header(), cells), filename, kind)
    return download(csv_stream(export_header(), cells, delimiter), filename, kind)


def _described(filters: ConventionFilters) -> dict:
    return {
        "status": filters.status.value if filters.status else None,
        "department": filters.department,
        "size_class": filters.size_class,
        "alert": filters.alert,
        "signed_year": filters.signed_year,
    }
