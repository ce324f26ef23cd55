"""The CPTS's registry data page (name, stage, FINESS, SIREN, seat, contact), audited."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from app.blueprints.forms import render_form, show_errors
from app.blueprints.workspace.blueprint import bp
from app.blueprints.workspace.forms import IdentityForm
from app.domain import DomainError
from app.extensions import db
from app.models.referential import Commune
from app.schemas.tenant import EDITABLE, STAGE_LABELS
from app.security.permissions import Action, require
from app.services.tenants import update_tenant
from app.services.territory import territory_of
from app.tenants.resolver import current_tenant


def _form(communes: list[Commune]) -> IdentityForm:
    form = IdentityForm(obj=current_tenant)
    form.declared_stage.choices = [
        SelectChoice(stage.value, gettext(label)) for stage, label in STAGE_LABELS.items()
    ]
    form.seat_commune_code.choices = [SelectChoice("", gettext("— non renseignée —"))] + [
        SelectChoice(c.code, f"{c.name} ({c.code})") for c in communes
    ]
    if not form.is_submitted():
        form.declared_stage.data = current_tenant.declared_stage.value
    return form


@bp.route("/identite", methods=["GET", "POST"])
@require(Action.WRITE)
def identity():
    form = _form(territory_of(current_tenant))
    if form.validate_on_submit():
        data = {field: (getattr(form, field).data or "").strip() or None for field in EDITABLE}
        try:
            changes = update_tenant(current_tenant, data)
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(
                gettext("Fiche mise à jour (%(n)s champ(s) modifié(s)).", n=len(changes)), "success"
            )
            return redirect(url_for("workspace.home"))
    return render_form("workspace/identity.html", form, tenant=current_tenant)
