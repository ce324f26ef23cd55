"""A reporting period: the CPTS enters its values and submits them; reviewers (ARS of the
region, CPAM of the department) validate or send back with a comment on given values; the ARS
reopens a validated period with a reason. The trail shows every step."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user

from app.blueprints.workspace.blueprint import bp, may
from app.domain import DomainError
from app.extensions import db
from app.models.indicator import (
    PERIOD_ACTION_LABELS,
    PERIOD_STATUS_LABELS,
    EvidenceDocument,
    ReportingPeriod,
)
from app.models.targets import Measure
from app.security.permissions import Action, require
from app.services import evidence, reporting
from app.tenants.resolver import current_tenant


def _period_or_404(period_id: int) -> ReportingPeriod:
    return reporting.get_period(current_tenant, period_id) or abort(404)


def _page(period: ReportingPeriod, errors: dict | None = None, status: int = 200):
    values = reporting.values_of(period)
    events = reporting.trail(period)
    return render_template(
        "workspace/period.html",
        tenant=current_tenant,
        period=period,
        indicators=reporting.indicators_of(period),
        values=values,
        measures={k: Measure(v.numerator, v.denominator, v.missing_reason)
                  for k, v in values.items()},
        comments=reporting.last_comments(events),
        changes=reporting.changes_since_review(period),
        events=events,
        status_labels=PERIOD_STATUS_LABELS,
        action_labels=PERIOD_ACTION_LABELS,
        today=date.today(),
        editable=period.status in reporting.EDITABLE,
        errors=errors or {},
        form=request.form if errors else {},
        can_write=may(Action.WRITE),
        can_review=may(Action.REVIEW),
        can_reopen=may(Action.REOPEN),
        documents=evidence.documents(current_tenant, period),
    ), status  # fmt: skip


@bp.get("/indicateurs/periodes/<id:period_id>")
@require(Action.READ)
def period(period_id: int):
    return _page(_period_or_404(period_id))


def _entries(period: ReportingPeriod) -> dict[int, dict]:
    fields = ("numerator", "denominator", "missing_reason", "comment")
    return {
        i.id: {f: request.form.get(f"{i.id}.{f}", "") for f in fields}
        for i in reporting.indicators_of(period)
    }


@bp.post("/indicateurs/periodes/<id:period_id>/valeurs")
@require(Action.WRITE)
def save_values(period_id: int):
    period = _period_or_404(period_id)
    try:
        reporting.enter_values(current_tenant, period, _entries(period))
        if "submit" in request.form:
            reporting.submit(current_tenant, period)
    except DomainError as error:
        db.session.rollback()
        return _page(_period_or_404(period_id), _by_field(period, error), 400)
    db.session.commit()
    if "submit" in request.form:
        flash(gettext("Période soumise : l'ARS et la CPAM peuvent la valider."), "success")
    else:
        flash(gettext("Valeurs enregistrées (brouillon)."), "success")
    return redirect(url_for("workspace.period", period_id=period_id))


def _by_field(period: ReportingPeriod, error: DomainError) -> dict:
    """Messages named "<code>.<field>" or "<code>" go to the inputs "<id>.<field>"."""
    ids = {i.code: i.id for i in reporting.indicators_of(period)}
    found: dict[str, list[str]] = {}
    for key, messages in error.messages().items():
        code, _, field = key.partition(".")
        target = f"{ids[code]}.{field or 'numerator'}" if code in ids else key
        found.setdefault(target, []).extend(messages)
    return found


def _review(period_id: int, step, message: str, *args):
    period = _period_or_404(period_id)
    try:
        step(current_tenant, period, *args)
    except DomainError as error:
        db.session.rollback()
        return _page(_period_or_404(period_id), _by_field(period, error), 400)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("workspace.period", period_id=period_id))


@bp.post("/indicateurs/periodes/<id:period_id>/soumettre")
@require(Action.WRITE)
def submit_period(period_id: int):
    return _review(period_id, reporting.submit, gettext("Période soumise."))


@bp.post("/indicateurs/periodes/<id:period_id>/valider")
@require(Action.REVIEW)
def validate_period(period_id: int):
    return _review(
        period_id, reporting.validate, gettext("Période validée : elle est verrouillée.")
    )


@bp.post("/indicateurs/periodes/<id:period_id>/renvoyer")
@require(Action.REVIEW)
def send_back_period(period_id: int):
    comments = {
        int(key.split(".")[0]): text
        for key, text in request.form.items()
        if key.endswith(".review") and key.split(".")[0].isdigit()
    }
    return _review(period_id, reporting.send_back, gettext("Période renvoyée à la CPTS."), comments)


@bp.post("/indicateurs/periodes/<id:period_id>/rouvrir")
@require(Action.REOPEN)
def reopen_period(period_id: int):
    reason = request.form.get("reason", "")
    return _review(period_id, reporting.reopen, gettext("Période rouverte."), reason)


@bp.post("/indicateurs/periodes/<id:period_id>/justificatifs")
@require(Action.WRITE)
def attach_evidence(period_id: int):
    period = _period_or_404(period_id)
    chosen = request.form.get("indicator_id", "")
    indicators = {i.id: i for i in reporting.indicators_of(period)}
    indicator = indicators.get(int(chosen)) if chosen.isdigit() else None
    upload = request.files.get("file")
    try:
        if indicator is None:
            raise DomainError.on("indicator_id", gettext("Choisissez l'indicateur concerné."))
        if upload is None or not upload.filename:
            raise DomainError.on("file", gettext("Choisissez un fichier."))
        evidence.attach(current_tenant, period, indicator, upload.read(), upload.filename,
                        current_user.id)  # fmt: skip
    except DomainError as error:
        db.session.rollback()
        return _page(_period_or_404(period_id), error.messages(), 400)
    db.session.commit()
    flash(gettext("Justificatif joint."), "success")
    return redirect(url_for("workspace.period", period_id=period_id))


def _document_or_404(document_id: int) -> EvidenceDocument:
    return evidence.get_document(current_tenant, document_id) or abort(404)


@bp.get("/indicateurs/justificatifs/<id:document_id>")
@require(Action.READ)
def evidence_document(document_id: int):
    document = _document_or_404(document_id)
    path = evidence.path_of(document)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=document.content_type, as_attachment=True,
                     download_name=document.original_name)  # fmt: skip


@bp.post("/indicateurs/justificatifs/<id:document_id>/supprimer")
@require(Action.WRITE)
def remove_evidence(document_id: int):
    document = _document_or_404(document_id)
    period = _period_or_404(document.period_id)
    try:
        evidence.remove(current_tenant, document, period)
    except DomainError as error:
        db.session.rollback()
        return _page(period, error.messages(), 400)
    db.session.commit()
    flash(gettext("Justificatif retiré."), "success")
    return redirect(url_for("workspace.period", period_id=period.id))
