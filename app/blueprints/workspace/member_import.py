"""Importing members from a spreadsheet: upload, preview (every row, its errors and warnings by
field), then import the valid rows or nothing, as the user chooses."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user

from app.blueprints.forms import show_errors
from app.blueprints.workspace.blueprint import bp
from app.blueprints.workspace.forms import ConfirmImportForm, ImportForm
from app.demo import EXAMPLE_IMPORT
from app.domain import DomainError
from app.extensions import db
from app.i18n import N_
from app.models.job import JobRecord
from app.models.member_import import ImportStatus, MemberImport
from app.schemas.member import FIELD_LABELS
from app.security.permissions import Action, require
from app.services import imports
from app.tenants.platform import of_bound_tenant
from app.tenants.resolver import current_tenant

ROWS_PER_PAGE = 100
STATUS_LABELS = {
    ImportStatus.CHECKING: N_("vérification en cours"),
    ImportStatus.READY: N_("en attente de confirmation"),
    ImportStatus.IMPORTING: N_("import en cours"),
    ImportStatus.DONE: N_("importé"),
    ImportStatus.FAILED: N_("fichier refusé"),
    ImportStatus.CANCELLED: N_("annulé"),
    ImportStatus.EXPIRED: N_("expiré"),
}


def _upload_page(form: ImportForm, status: int = 200):
    imports.sweep(current_tenant)
    db.session.commit()
    return render_template(
        "workspace/import.html",
        tenant=current_tenant,
        form=form,
        recent=imports.recent(current_tenant),
        status_labels=STATUS_LABELS,
        sync_rows=imports.background_threshold(),
    ), status


@bp.get("/membres/import")
@require(Action.READ_PEOPLE, Action.WRITE)
def import_members():
    return _upload_page(ImportForm())


@bp.post("/membres/import")
@require(Action.READ_PEOPLE, Action.WRITE)
def upload_members():
    form = ImportForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors.append(gettext("Choisissez un fichier CSV ou XLSX."))
        return _upload_page(form, 400)
    content = upload.read()
    upload.close()
    try:
        record = imports.start(current_tenant, content, upload.filename, current_user.id)
    except DomainError as error:
        db.session.rollback()
        show_errors(form, error, {"file": "file"})
        return _upload_page(form, 400)
    db.session.commit()
    return redirect(url_for("workspace.import_preview", import_id=record.id))


def _record_or_404(import_id: int) -> MemberImport:
    return imports.get(current_tenant, import_id) or abort(404)


def _job(record: MemberImport) -> JobRecord | None:
    if record.job_id is None:
        return None
    return db.session.scalar(of_bound_tenant(JobRecord).where(JobRecord.id == record.job_id))


@bp.get("/membres/import/<id:import_id>")
@require(Action.READ_PEOPLE, Action.WRITE)
def import_preview(import_id: int):
    record = _record_or_404(import_id)
    return _preview_page(record, ConfirmImportForm(formdata=None))


def _preview_page(record: MemberImport, form: ConfirmImportForm, status: int = 200):
    preview = imports.load_preview(record)
    shown = request.args.get("lignes", "problemes")
    rows = []
    if preview is not None:
        rows = [
            row
            for row in preview.rows
            if shown == "toutes" or row.errors or row.warnings or row.action != "unchanged"
        ]
    page = max(1, int(request.args["page"])) if request.args.get("page", "").isdigit() else 1
    return render_template(
        "workspace/import_preview.html",
        tenant=current_tenant,
        record=record,
        job=_job(record),
        preview=preview,
        rows=rows[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE],
        row_pages=max(1, -(-len(rows) // ROWS_PER_PAGE)),
        page=page,
        shown=shown,
        form=form,
        labels=FIELD_LABELS,
        statuses=ImportStatus,
    ), status


@bp.post("/membres/import/<id:import_id>/confirmer")
@require(Action.READ_PEOPLE, Action.WRITE)
def confirm_import(import_id: int):
    record = _record_or_404(import_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _preview_page(record, form, 400)
    try:
        imports.confirm(current_tenant, record, form.mode.data == "all", current_user.id)
    except DomainError as error:
        db.session.rollback()
        show_errors(form, error)
        return _preview_page(_record_or_404(import_id), form, 400)
    db.session.commit()
    if record.status == ImportStatus.DONE:
        done = record.summary.get("done", {})
        flash(
            gettext(
                "Import terminé : %(new)s membre(s) ajouté(s), %(update)s mis à jour, "
                "%(rejoin)s retour(s), %(error)s ligne(s) ignorée(s).",
                **{key: done.get(key, 0) for key in ("new", "update", "rejoin", "error")},
            ),
            "success",
        )
        return redirect(url_for("workspace.member_list"))
    return redirect(url_for("workspace.import_preview", import_id=record.id))


@bp.post("/membres/import/<id:import_id>/annuler")
@require(Action.READ_PEOPLE, Action.WRITE)
def cancel_import(import_id: int):
    imports.cancel(current_tenant, _record_or_404(import_id))
    db.session.commit()
    flash(gettext("Import annulé : le fichier est supprimé du serveur."), "info")
    return redirect(url_for("workspace.import_members"))


@bp.get("/membres/import/exemple.csv")
@require(Action.READ_PEOPLE, Action.WRITE)
def example_import():
    """A small file to try the import with: two of its rows hold a deliberate mistake."""
    return send_file(
        EXAMPLE_IMPORT,
        mimetype="text/csv",
        as_attachment=True,
        download_name="exemple-import-membres.csv",
    )
