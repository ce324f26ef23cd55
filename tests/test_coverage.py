"""Coverage of a region's territory, checked against the referential's populations."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.referential import Commune
from app.models.user import Role
from tests.factories import AGDE, NARBONNE, NIMES, make_contract, make_tenant, make_user


def population(*where) -> int:
    return db.session.scalar(select(func.sum(Commune.population)).where(*where)) or 0


def test_coverage_by_stage_department_white_zones_and_overlaps(app, auth):
    signed = make_tenant("cpts-a", (NARBONNE,))
    make_contract(signed)  # ACI signed
    make_tenant("cpts-b", (AGDE, NIMES))  # no date: emergence
    make_tenant("cpts-c", (NIMES,))  # Nîmes claimed twice
    make_user("ars@test.fr", Role.ARS, region="76")
    auth.login("ars@test.fr")
    page = auth.client.get("/region/76/couverture/").get_data(as_text=True)
    region = population(Commune.region_code == "76")
    covered = population(Commune.code.in_([NARBONNE, AGDE, NIMES]))
    signed_share = population(Commune.code == NARBONNE) / region
    assert f"{round(covered / region * 100, 1):.1f}".replace(".", ",") in page
    assert f"{round(signed_share * 100, 1):.1f}".replace(".", ",") in page
    overlaps = page.split('id="chevauchements"')[1]
    assert "Nîmes" in overlaps and "CPTS cpts-b ; CPTS cpts-c" in overlaps  # two CPTS claim it
    assert "Agde" not in overlaps and "Narbonne" not in overlaps
    csv = auth.client.get("/region/76/couverture/zones-blanches.csv").get_data(as_text=True)
    assert "Toulouse;31555" in csv and NARBONNE not in csv and NIMES not in csv
    auth.logout()
    make_user("ars.bfc@test.fr", Role.ARS, region="27")
    auth.login("ars.bfc@test.fr")
    assert auth.client.get("/region/76/couverture/").status_code == 404
