"""The CPTS's home, its dashboard: key facts, membership growth, mission deadlines, the
variable part earned against the tiers, pathway outcomes, funding planned against received, the
reporting calendar; territory and overlaps. Each chart has its figures as a table and a CSV."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template
from flask_babel import gettext

from app import privacy
from app.blueprints.downloads import download
from app.blueprints.workspace.blueprint import bp, may
from app.exports import Euros, csv_stream
from app.reports.dashboard import (
    Table,
    calendar_table,
    money_table,
    pathway_table,
    variable_table,
)
from app.reports.figures import growth_figure, growth_table, lines_figure, money_figure
from app.reports.members import first_join, membership_growth
from app.reports.tenant import tenant_facts
from app.schemas.member import PROFESSION_LABELS
from app.security.permissions import Action, require
from app.services import audit
from app.services.convention import contract_of
from app.services.earnings import earnings
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
    tables = dashboard_tables(contract, outside=not may(Action.READ_PEOPLE))
    return render_template(
        "workspace/home.html",
        tenant=current_tenant,
        facts=tenant_facts(current_tenant, contract.stage),
        contract=contract,
        growth=table,
        growth_figure=growth_figure(table, gettext("Membres actifs")) if points else None,
        tables=tables,
        figures=dashboard_figures(tables),
        outside=not may(Action.READ_PEOPLE),
        can_write=may(Action.WRITE),
    )


def _pathways(contract, outside: bool) -> Table:
    """Read from outside the CPTS, pathway counts from 1 to 10 are masked (app.privacy)."""
    table = pathway_table(current_tenant)
    if outside:
        table.rows = [[row[0], *(privacy.count(c) for c in row[1:])] for row in table.rows]
        table.masked = True
    return table


TABLES = {
    "part-variable": lambda contract, _outside: variable_table(earnings(contract)),
    "parcours": _pathways,
    "financement": lambda contract, _outside: money_table(contract),
    "calendrier": lambda _contract, _outside: calendar_table(current_tenant, date.today()),
}


def dashboard_tables(contract, outside: bool) -> dict[str, Table]:
    return {name: build(contract, outside) for name, build in TABLES.items()}


def dashboard_figures(tables: dict[str, Table]) -> dict[str, dict]:
    figures = {}
    variable, money, pathways = (tables[k] for k in ("part-variable", "financement", "parcours"))
    if any(row[2] for row in variable.rows):  # some tier to reach
        series = {
            name: [r[i] for r in variable.rows] for i, name in enumerate(variable.header) if i
        }
        figures["part-variable"] = money_figure([r[0] for r in variable.rows], series, "€")
    if money.rows:
        series = {name: [r[i] for r in money.rows] for i, name in enumerate(money.header) if i}
        figures["financement"] = money_figure([r[0] for r in money.rows], series, "€")
    if pathways.rows and len(pathways.header) > 1:
        series = {
            name: [r[i] for r in pathways.rows] for i, name in enumerate(pathways.header) if i
        }
        figures["parcours"] = lines_figure([r[0] for r in pathways.rows], series,
                                           gettext("Patients inclus"))  # fmt: skip
    return figures


@bp.get("/tableau-de-bord/<name>.csv")
@require(Action.READ)
def dashboard_csv(name: str):
    """The figures of one of the home's charts or tables, as CSV (amounts in euros)."""
    if name not in TABLES:
        abort(404)
    table = TABLES[name](contract_of(current_tenant), not may(Action.READ_PEOPLE))
    rows = [[Euros(c) if table.money and i and isinstance(c, int) else c
             for i, c in enumerate(row)] for row in table.rows]  # fmt: skip
    audit.record_now("export", details={"what": f"dashboard_{name}", "format": "csv"})
    filename = f"{name}-{current_tenant.slug}-{date.today().isoformat()}.csv"
    return download(csv_stream(table.header, rows), filename, "csv")
