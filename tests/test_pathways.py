"""Care pathways: added from the list with the catalogue's outcome indicators, or custom;
their outcomes are reported in the periods and shown period by period."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import DomainError
from app.extensions import db
from app.models.indicator import PeriodKind
from app.models.user import Role
from app.services import catalogue, pathways, reporting
from app.tenants.context import tenant_bound
from tests.factories import make_tenant, make_user


@pytest.fixture
def tenant(app):
    catalogue.load_catalogue()
    return make_tenant("cpts-a")


def test_a_heart_failure_pathway_comes_with_its_outcomes(tenant):
    with tenant_bound(tenant.id):
        pathway = pathways.add_pathway(tenant, {"kind": "insuffisance_cardiaque",
                                                "started_on": "2024-02-01",
                                                "professions": ["medecin_generaliste", "infirmier"]})  # fmt: skip
        codes = sorted(i.code for i in pathways.outcomes(tenant, pathway))
        assert codes == [f"ic_suivi_7j_p{pathway.id}", f"parcours_inclus_p{pathway.id}",
                         f"rehospit_30j_p{pathway.id}"]  # fmt: skip
        assert pathway.name == "Insuffisance cardiaque"
        second = pathways.add_pathway(tenant, {"kind": "diabete_type2"})
        assert len(pathways.outcomes(tenant, second)) == 2  # the same template, its own code


def test_bad_pathways_are_refused_naming_the_field(tenant):
    with tenant_bound(tenant.id):
        with pytest.raises(DomainError) as unnamed:
            pathways.add_pathway(tenant, {"kind": "autre"})
        assert set(unnamed.value.errors) == {"name"}
        with pytest.raises(DomainError) as patient:
            pathways.add_pathway(tenant, {"kind": "vaccination",
                                          "description": "Mme X née le 12/03/1950"})  # fmt: skip
        assert set(patient.value.errors) == {"description"}
        with pytest.raises(DomainError) as kind:
            pathways.add_pathway(tenant, {"kind": "chirurgie"})
        assert set(kind.value.errors) == {"kind"}
        assert pathways.pathways(tenant) == []


def test_the_pathway_page_shows_its_outcomes_period_by_period(tenant, auth):
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login("president@test.fr")
    created = auth.client.post("/t/cpts-a/parcours/", data={
        "kind": "insuffisance_cardiaque", "started_on": "2024-02-01",
        "professions": ["infirmier", "pharmacien"],
    })  # fmt: skip
    assert created.status_code == 302
    with tenant_bound(tenant.id):
        pathway = pathways.pathways(tenant)[0]
        included = next(i for i in pathways.outcomes(tenant, pathway) if "inclus" in i.code)
        period = reporting.open_period(tenant, PeriodKind.QUARTER, date(2025, 1, 1))
        reporting.enter_values(tenant, period, {included.id: {"numerator": 37}})
        db.session.commit()
    page = auth.client.get(created.location).get_data(as_text=True)
    assert "T1 2025" in page and "37" in page and "Infirmier" in page
    refused = auth.client.post("/t/cpts-a/parcours/", data={"kind": "autre"})
    assert refused.status_code == 400 and "Nommez le parcours" in refused.get_data(as_text=True)
