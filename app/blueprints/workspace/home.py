"""The CPTS's home: key facts, membership growth, territory and overlaps."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import gettext

from app.blueprints.workspace.blueprint import bp, may
from app.reports.figures import growth_figure, growth_table
from app.reports.members import first_join, membership_growth
from app.reports.tenant import tenant_facts
from app.schemas.member import PROFESSION_LABELS
from app.security.permissions import Action, require
from app.services.convention import contract_of
from app.tenants.resolver import current_tenant


@bp.get("/")
@require(Action.READ)
def home():
    start = first_join(current_tenant)
    points = membership_growth(current_tenant, start, date.today()) if start else []
    table = growth_table(
        points, lambda p: gettext(PROFESSION_LABELS[p]), gettext("Autres professions")
    )
    contract = contract_of(current_tenant)
    return render_template(
        "workspace/home.html",
        tenant=current_tenant,
        facts=tenant_facts(current_tenant, contract.stage),
        contract=contract,
        growth=table,
        growth_figure=growth_figure(table, gettext("Membres actifs")) if points else None,
        can_write=may(Action.WRITE),
    )
