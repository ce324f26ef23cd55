"""A CPTS's territory: size classes at their boundaries, and overlaps between two CPTS."""

from __future__ import annotations

import pytest

from app.models.user import Role
from app.rollups.territory import overlaps
from app.services.territory import territory_of
from app.tenants.models import size_class_for
from tests.factories import AGDE, NARBONNE, make_tenant, make_user

BESSAN = "34031"


@pytest.mark.parametrize(
    ("population", "size_class"),
    [
        (0, "T1"),
        (39_999, "T1"),
        (40_000, "T2"),
        (79_999, "T2"),
        (80_000, "T3"),
        (175_000, "T3"),
        (175_001, "T4"),
        (2_000_000, "T4"),
    ],
)
def test_size_class_boundaries(population, size_class):
    assert size_class_for(population) == size_class


def test_population_and_size_class_derive_from_the_communes(app):
    tenant = make_tenant("cpts-agde", (AGDE, BESSAN))
    assert tenant.population == 29_939 + 5_838
    assert tenant.size_class == "T1"
    assert tenant.department_code == "34"
    assert [c.code for c in territory_of(tenant)] == [AGDE, BESSAN]  # Agde, Bessan: by name


def test_overlap_is_detected_from_both_sides(app):
    first = make_tenant("cpts-littoral", (AGDE, BESSAN), name="CPTS du Littoral")
    second = make_tenant("cpts-agathois", (AGDE,), name="CPTS de l'Agathois")
    alone = make_tenant("cpts-narbonne", (NARBONNE,))

    [seen_by_first] = overlaps(first)
    assert (seen_by_first.commune.code, seen_by_first.other.slug) == (AGDE, "cpts-agathois")
    assert seen_by_first.other.name == "CPTS de l'Agathois"
    [seen_by_second] = overlaps(second)
    assert (seen_by_second.commune.code, seen_by_second.other.slug) == (AGDE, "cpts-littoral")
    assert overlaps(alone) == []


def test_overlaps_are_shown_on_the_tenant_home_page(app, auth):
    first = make_tenant("cpts-littoral", (AGDE, BESSAN), name="CPTS du Littoral")
    make_tenant("cpts-agathois", (AGDE,), name="CPTS de l'Agathois")
    make_user("president@littoral.fr", Role.PRESIDENT, tenant=first)
    auth.login("president@littoral.fr")

    html = auth.client.get("/t/cpts-littoral/").get_data(as_text=True)
    assert "Chevauchements de territoire" in html
    # A CPTS sees its peers anonymised; the ARS of the region sees their names.
    assert f"Agde ({AGDE}) — une autre CPTS" in html and "Agathois" not in html
    assert f"Bessan ({BESSAN}) —" not in html
    make_user("ars@test.fr", Role.ARS, region="76")
    auth.logout()
    auth.login("ars@test.fr")
    html = auth.client.get("/t/cpts-littoral/").get_data(as_text=True)
    assert f"Agde ({AGDE}) — CPTS de l&#39;Agathois" in html


def test_no_overlap_section_without_overlap(app, auth):
    tenant = make_tenant("cpts-narbonne", (NARBONNE,))
    make_tenant("cpts-agathois", (AGDE,))
    make_user("president@narbonne.fr", Role.PRESIDENT, tenant=tenant)
    auth.login("president@narbonne.fr")

    response = auth.client.get("/t/cpts-narbonne/")
    assert response.status_code == 200
    assert "Chevauchements de territoire" not in response.get_data(as_text=True)


def test_a_peer_is_named_only_to_users_who_may_open_it(app, auth):
    mine = make_tenant("cpts-agde", (AGDE,))
    # Narbonne holds most of the peer's population: it is attached to the Aude (11).
    make_tenant("cpts-secrete", (NARBONNE, AGDE), name="CPTS Secrète Narbonnaise")
    make_user("viewer@test.fr", Role.VIEWER, tenant=mine)
    make_user("viewer@test.fr", Role.CPAM, departments=("34",))  # a funder, not for that peer
    auth.login("viewer@test.fr")
    html = auth.client.get("/t/cpts-agde/").get_data(as_text=True)
    assert "une autre CPTS" in html and "Secrète" not in html
    assert auth.client.get("/t/cpts-secrete/").status_code == 404
    make_user("viewer@test.fr", Role.CPAM, departments=("11",))
    html = auth.client.get("/t/cpts-agde/").get_data(as_text=True)
    assert "CPTS Secrète Narbonnaise" in html
