"""The funders' convention-status list and its export: scoped to the CPAM's departments (or the
ARS's region), filtered and counted; CSV, XLSX and JSON give back the database's values, with
injected cells as text; every export is audited and listed in the user's history."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import Role
from app.services.convention import contract_of
from app.tenants.context import tenant_bound
from tests.factories import (
    AGDE,
    NARBONNE,
    NIMES,
    make_contract,
    make_tenant,
    make_user,
    without_tokens,
)
from tests.spreadsheets import CSV_FILTER, convert

INJECTED = '=HYPERLINK("http://x";"clic")'


@pytest.fixture
def world(app):
    narbonne = make_tenant("cpts-narbonne", (NARBONNE,), name="@CPTS du Narbonnais")
    agde = make_tenant("cpts-agde", (AGDE,), name="CPTS d'Agde")
    nimes = make_tenant("cpts-nimes", (NIMES,), name="CPTS de Nîmes")
    make_contract(narbonne, reference=INJECTED)  # what a CPTS typed: a formula, for an attacker
    make_contract(nimes)
    make_user("cpam.aude@test.fr", Role.CPAM, departments=("11", "34"))
    make_user("ars.76@test.fr", Role.ARS, region="76")
    db.session.commit()
    return {"narbonne": narbonne, "agde": agde, "nimes": nimes}


def export(client, fmt: str, **args) -> bytes:
    response = client.get("/cpam/conventions/export", query_string={"format": fmt, **args})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data()


def csv_rows(body: bytes, delimiter: str = ";") -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def test_a_cpam_user_sees_the_cptss_of_their_departments_only(client, world, auth):
    auth.login("cpam.aude@test.fr")
    page = client.get("/cpam/").get_data(as_text=True)
    assert "CPTS d&#39;Agde" in page and "Narbonnais" in page and "Nîmes" not in page
    for fmt in ("csv", "json"):
        assert "Nîmes" not in export(client, fmt).decode("utf-8")
    api = client.get("/api/v1/conventions").get_json()
    assert sorted(r["slug"] for r in api["data"]) == ["cpts-agde", "cpts-narbonne"]
    assert client.get("/region/76/conventions/").status_code == 404
    assert client.get("/t/cpts-nimes/convention/").status_code == 404


def test_an_ars_user_gets_the_same_page_for_their_region(client, world, auth):
    auth.login("ars.76@test.fr")
    page = client.get("/region/76/conventions/").get_data(as_text=True)
    assert "Nîmes" in page and "Narbonnais" in page
    assert client.get("/cpam/").status_code == 404
    body = client.get("/region/76/conventions/export?format=csv").get_data()
    assert len(csv_rows(body)) == 4  # the header and three CPTS


def test_the_ars_list_is_kept_until_a_contract_or_the_readers_exports_change(
    client, world, auth, count_sql
):
    """The ARS's list is a regional page: a second request sends fewer statements for the same
    page; a signature in a CPTS of the region and an export of the reader's each show at once."""
    auth.login("ars.76@test.fr")
    with count_sql() as first:
        page = client.get("/region/76/conventions/").get_data(as_text=True)
    with count_sql() as again:
        same = client.get("/region/76/conventions/").get_data(as_text=True)
    assert without_tokens(same) == without_tokens(page)
    assert again.count < first.count, again.statements
    assert "CPTS d&#39;Agde" in page and "Aucun export" in page, page
    make_contract(world["agde"], reference="ACI-AGDE-2026")
    db.session.commit()
    page = client.get("/region/76/conventions/").get_data(as_text=True)
    assert "ACI-AGDE-2026" in page
    assert client.get("/region/76/conventions/export?format=json").status_code == 200
    page = client.get("/region/76/conventions/").get_data(as_text=True)
    assert "JSON" in page.split("Vos derniers exports")[1]


def test_filters_and_counts(client, world, auth):
    auth.login("cpam.aude@test.fr")
    page = client.get("/cpam/").get_data(as_text=True)
    assert "CPTS suivies</span><strong>2" in page
    assert "Pas de convention</span><strong>1" in page
    late = client.get("/cpam/?alerte=late").get_data(as_text=True)
    assert (
        "Narbonnais" in late
        and "Agde" not in late.split("Vos derniers exports")[0].split("<tbody>")[1]
    )
    assert "1 CPTS" in client.get("/cpam/?statut=sans_convention").get_data(as_text=True)
    assert "Aucune CPTS ne correspond" in client.get("/cpam/?annee=2019").get_data(as_text=True)
    only_34 = client.get("/cpam/?departement=34").get_data(as_text=True)
    assert "1 CPTS" in only_34
    rows = csv_rows(export(client, "csv", alerte="late"))
    assert [r[0] for r in rows[1:]] == ["'@CPTS du Narbonnais"]


def test_the_csv_gives_back_the_database_values(client, world, auth):
    auth.login("cpam.aude@test.fr")
    header, *rows = csv_rows(export(client, "csv"))
    assert header[:4] == ["CPTS", "FINESS", "SIREN", "Département"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    narbonne = by_name["'@CPTS du Narbonnais"]
    with tenant_bound(world["narbonne"].id):
        contract = contract_of(world["narbonne"])
    year, total = contract.money_of(contract.current_year), contract.money[-1]
    assert narbonne["Référence de la convention"] == "'" + INJECTED
    assert narbonne["Signée le"] == "01/03/2024" and narbonne["Fin"] == "28/02/2029"
    assert narbonne["Statut"] == "En vigueur, avenantée" and narbonne["Avenants"] == "1"
    assert narbonne["Mission : Parcours"] == "En retard"
    assert narbonne["Dû, total (€)"] == f"{total.due // 100},{total.due % 100:02d}"
    assert (
        narbonne["Versé, année en cours (€)"] == f"{year.received // 100},{year.received % 100:02d}"
    )
    agde = by_name["CPTS d'Agde"]
    assert agde["Statut"] == "Pas de convention" and agde["Dû, total (€)"] == ""
    comma = csv_rows(export(client, "csv", sep="comma"), delimiter=",")
    assert comma[1][0] == "CPTS d'Agde" or comma[2][0] == "CPTS d'Agde"
    total_column = comma[0].index("Dû, total (€)")
    assert f"{total.due // 100}.{total.due % 100:02d}" in [r[total_column] for r in comma[1:]]


def test_the_xlsx_has_typed_cells_a_frozen_filtered_header_and_no_formula(client, world, auth):
    auth.login("cpam.aude@test.fr")
    sheet = load_workbook(io.BytesIO(export(client, "xlsx"))).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:AA3"
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, cells, strict=True)) for cells in sheet.iter_rows(min_row=2)]
    row = next(r for r in rows if "Narbonnais" in r["CPTS"].value)
    assert row["CPTS"].value == "'@CPTS du Narbonnais"
    assert row["Référence de la convention"].value == "'" + INJECTED
    assert row["Signée le"].value.date() == date(2024, 3, 1)
    with tenant_bound(world["narbonne"].id):
        total = contract_of(world["narbonne"]).money[-1]
    assert row["Dû, total (€)"].value == pytest.approx(total.due / 100)
    assert round(row["Dû, total (€)"].value * 100) == total.due
    assert row["Population"].value == world["narbonne"].population
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_the_json_carries_codes_and_cents(client, world, auth):
    auth.login("cpam.aude@test.fr")
    body = json.loads(export(client, "json"))
    narbonne = next(r for r in body["data"] if r["slug"] == "cpts-narbonne")
    assert narbonne["status"] == "avenantee" and narbonne["signed_on"] == "2024-03-01"
    assert narbonne["missions"]["parcours"] == "en_retard"
    assert narbonne["funding_total"]["received_cents"] == 7_500_000
    assert body["meta"]["filters"]["status"] is None


def test_every_export_is_audited_and_listed_in_the_users_history(client, world, auth):
    auth.login("cpam.aude@test.fr")
    export(client, "xlsx", statut="avenantee")
    assert client.get("/cpam/conventions/export?format=pdf").status_code == 400
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "conventions_exported")
    ).all()
    assert [(e.actor_email, e.details["format"]) for e in events] == [("cpam.aude@test.fr", "xlsx")]
    assert events[0].details["filters"]["status"] == "avenantee"
    page = client.get("/cpam/").get_data(as_text=True)
    assert "XLSX" in page.split("Vos derniers exports")[1]


@pytest.mark.libreoffice
def test_libreoffice_reads_the_export_back_exactly(client, world, auth, tmp_path):
    auth.login("cpam.aude@test.fr")
    (tmp_path / "conventions.xlsx").write_bytes(export(client, "xlsx"))
    convert(tmp_path, "conventions.xlsx", "--convert-to", f"csv:{CSV_FILTER}")
    rows = list(
        csv.reader(
            io.StringIO((tmp_path / "out" / "conventions.csv").read_text("utf-8")), delimiter=";"
        )
    )
    header = rows[0]
    values = next(dict(zip(header, r, strict=True)) for r in rows[1:] if "Narbonnais" in r[0])
    assert header[0] == "CPTS" and values["CPTS"] == "'@CPTS du Narbonnais"
    assert values["Référence de la convention"] == "'" + INJECTED  # text, not a link
    assert values["Signée le"] == "01/03/2024"
    with tenant_bound(world["narbonne"].id):
        total = contract_of(world["narbonne"]).money[-1]
    shown = values["Dû, total (€)"].replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    assert shown.replace("€", "").replace(",", "").replace(".", "") == str(total.due)
