"""The CPTS among its region's others, anonymised, with the regional medians; and as CSV."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import format_decimal, gettext

from app.blueprints.downloads import download
from app.blueprints.workspace.blueprint import bp
from app.exports import csv_stream
from app.reports.figures import peers_figure
from app.reports.peers import peers_of
from app.schemas.tenant import STAGE_LABELS
from app.security.permissions import Action, require
from app.services import audit
from app.tenants.resolver import current_tenant


@bp.get("/comparaison")
@require(Action.READ)
def peers():
    found = peers_of(current_tenant)
    figure = peers_figure(
        [p.per_10k for p in found.rows], [p.own for p in found.rows], found.median_per_10k,
        gettext("Membres pour 10 000 habitants"),
        gettext("Les CPTS de la région, anonymes ; la vôtre en couleur"),
        gettext("Médiane régionale : %(m)s", m=format_decimal(found.median_per_10k or 0)),
    )  # fmt: skip
    return render_template("workspace/peers.html", tenant=current_tenant, peers=found,
                           chart=figure)  # fmt: skip


@bp.get("/comparaison.csv")
@require(Action.READ)
def peers_csv():
    found = peers_of(current_tenant)
    header = [gettext("Votre CPTS"), gettext("Taille"), gettext("Étape"),
              gettext("Membres pour 10 000 habitants"), gettext("Évolution sur 12 mois")]  # fmt: skip
    rows = [[gettext("oui") if p.own else "", p.size_class, gettext(STAGE_LABELS[p.stage]),
             p.per_10k, p.growth] for p in found.rows]  # fmt: skip
    audit.record_now("export", details={"what": "peers", "format": "csv"})
    name = f"comparaison-{current_tenant.slug}-{date.today().isoformat()}.csv"
    return download(csv_stream(header, rows), name, "csv")
