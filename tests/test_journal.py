"""The CPTS's audit trail: its own events only, filterable, paginated, exportable; read by its
president and its ARS, through the tenant-scoped helper for platform tables."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import Role
from app.tenants.context import TenancyError
from app.tenants.platform import of_bound_tenant
from tests.factories import AGDE, make_tenant, make_user


@pytest.fixture
def tenants(app):
    a, b = make_tenant("cpts-a"), make_tenant("cpts-b", (AGDE,))
    make_user("president@test.fr", Role.PRESIDENT, tenant=a)
    make_user("president.b@test.fr", Role.PRESIDENT, tenant=b)
    return a, b


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_the_trail_shows_this_cpts_only_and_filters(client, auth, tenants):
    a, b = tenants
    auth.login("president@test.fr")
    changed = client.post(
        "/t/cpts-a/identite",
        data={"name": "CPTS Alpha", "declared_stage": "emergence", "seat_commune_code": ""},
    )
    assert changed.status_code == 302
    page = text(client.get("/t/cpts-a/journal/"))
    assert "Fiche de la CPTS modifiée" in page and "name : CPTS cpts-a → CPTS Alpha" in page
    assert "president.b@test.fr" not in page and "CPTS cpts-b" not in page
    only_updates = text(client.get("/t/cpts-a/journal/?action=tenant_updated"))
    assert "1 événement" in only_updates and "CPTS n° " in only_updates
    future = text(client.get("/t/cpts-a/journal/?du=2099-01-01"))
    assert "0 événement" in future


def test_days_are_paris_days(client, auth, tenants):
    a, _b = tenants
    late = AuditEvent(action="export", tenant_id=a.id, at=datetime(2024, 6, 30, 22, 30, tzinfo=UTC))
    db.session.add(late)
    db.session.commit()
    auth.login("president@test.fr")
    # 22:30 UTC on 30 June is 00:30 in Paris on 1 July.
    assert "1 événement" in text(
        client.get("/t/cpts-a/journal/?action=export&du=2024-07-01&au=2024-07-01")
    )
    assert "0 événement" in text(
        client.get("/t/cpts-a/journal/?action=export&du=2024-06-30&au=2024-06-30")
    )


def test_the_trail_is_paginated_and_exported(client, auth, tenants):
    a, _b = tenants
    db.session.add_all(AuditEvent(action="export", tenant_id=a.id) for _ in range(60))
    db.session.commit()
    auth.login("president@test.fr")
    page = text(client.get("/t/cpts-a/journal/?action=export"))
    assert "Page 1 sur 2" in page
    csv = client.get("/t/cpts-a/journal/export.csv?action=export").get_data(as_text=True)
    assert csv.startswith("\ufeffDate (Paris);Personne;Action;Objet;Détails;Résultat")
    assert csv.count("Export téléchargé") == 61  # and this export itself


def test_the_ars_of_the_region_reads_it_and_a_coordinator_does_not(client, auth, tenants):
    a, _b = tenants
    make_user("ars@test.fr", Role.ARS, region="76")
    make_user("coord@test.fr", Role.COORDINATOR, tenant=a)
    auth.login("ars@test.fr")
    assert client.get("/t/cpts-a/journal/").status_code == 200
    auth.logout()
    auth.login("coord@test.fr")
    assert client.get("/t/cpts-a/journal/").status_code == 403


def test_platform_tables_are_read_relative_to_the_bound_tenant_only(app, tenants):
    with pytest.raises(TenancyError):
        db.session.scalars(of_bound_tenant(AuditEvent)).all()
