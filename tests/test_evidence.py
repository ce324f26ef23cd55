"""Evidence attached to values: recognised by content, size-limited, stored under a name the
server chooses, read only within the CPTS's scope, frozen with the period."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.extensions import db
from app.models.indicator import EvidenceDocument, PeriodKind
from app.models.user import Role
from app.services import evidence, reporting
from app.services.indicators import add_indicator
from app.tenants.context import tenant_bound
from tests.factories import AGDE, make_tenant, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Émargement", 12])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def world(app, auth):
    tenant = make_tenant("cpts-a")
    make_tenant("cpts-b", (AGDE,))
    with tenant_bound(tenant.id):
        indicator = add_indicator(tenant, {
            "code": "ateliers", "name": "Ateliers", "mission": "prevention", "unit": "count",
            "direction": "higher", "period": "quarter", "aggregation": "sum",
        })  # fmt: skip
        period = reporting.open_period(tenant, PeriodKind.QUARTER, date(2025, 1, 1))
        ids = {"indicator": indicator.id, "period": period.id}
        db.session.commit()
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    make_user("ars@test.fr", Role.ARS, region="76")
    make_user("president.b@test.fr", Role.PRESIDENT, tenant=make_tenant("cpts-c", (AGDE,)))
    return ids


def upload(client, world, content: bytes, name: str):
    return client.post(
        f"/t/cpts-a/indicateurs/periodes/{world['period']}/justificatifs",
        data={"indicator_id": str(world["indicator"]), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_pdf_and_spreadsheets_are_kept_under_a_server_chosen_name(client, world, auth):
    auth.login("president@test.fr")
    assert upload(client, world, PDF, "../../etc/Bilan T1.pdf").status_code == 302
    assert upload(client, world, xlsx(), "emargement.xlsx").status_code == 302
    page = client.get(f"/t/cpts-a/indicateurs/periodes/{world['period']}").get_data(as_text=True)
    assert "Bilan T1.pdf" in page and "emargement.xlsx" in page
    with tenant_bound(1):
        stored = [(d.stored_name, evidence.path_of(d)) for d in db.session.scalars(
            select(EvidenceDocument))]  # fmt: skip
    assert len(stored) == 2
    assert all(len(name) == 32 and path.name == name and path.exists() for name, path in stored)
    download = client.get("/t/cpts-a/indicateurs/justificatifs/1")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    auth.logout()
    auth.login("ars@test.fr")  # a reviewer of the CPTS reads it
    assert client.get("/t/cpts-a/indicateurs/justificatifs/1").status_code == 200
    auth.logout()
    auth.login("president.b@test.fr")  # another CPTS never does
    assert client.get("/t/cpts-a/indicateurs/justificatifs/1").status_code == 404
    assert client.get("/t/cpts-c/indicateurs/justificatifs/1").status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "rapport.pdf", "Format non accepté"),
        (b"", "vide.pdf", "Le fichier est vide"),
        (b"%PDF-" + b"0" * (evidence.MAX_BYTES), "lourd.pdf", "Fichier trop lourd"),
        (b"nom;valeur\n", "valeurs.csv", "Format non accepté"),
    ],
)
def test_other_files_are_refused_naming_the_field(client, world, auth, content, name, message):
    auth.login("president@test.fr")
    response = upload(client, world, content, name)
    assert response.status_code in (400, 413)
    if response.status_code == 400:
        assert message in response.get_data(as_text=True)
    assert client.get("/t/cpts-a/indicateurs/justificatifs/1").status_code == 404


def test_evidence_is_frozen_with_its_period(client, world, auth):
    auth.login("president@test.fr")
    upload(client, world, PDF, "bilan.pdf")
    client.post(f"/t/cpts-a/indicateurs/periodes/{world['period']}/valeurs",
                data={f"{world['indicator']}.numerator": "12", "submit": "1"})  # fmt: skip
    refused = upload(client, world, PDF, "encore.pdf")
    assert refused.status_code == 400 and "ne changent plus" in refused.get_data(as_text=True)
    removed = client.post("/t/cpts-a/indicateurs/justificatifs/1/supprimer")
    assert removed.status_code == 400
    assert client.get("/t/cpts-a/indicateurs/justificatifs/1").status_code == 200
