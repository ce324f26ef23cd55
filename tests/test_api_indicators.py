"""Indicators and periods through the API: the CPTS enters and submits with its write token;
reviewers (ARS of the region, CPAM of the department) validate or send back, never write
values; the ARS alone reopens; outsiders get 404."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models.user import Role
from app.services import catalogue
from app.services.indicators import add_indicator, indicators
from app.tenants.context import tenant_bound
from tests.conftest import api_token
from tests.factories import AGDE, make_contract, make_tenant, make_user

BASE = "/api/v1/t/cpts-a"


@pytest.fixture
def world(app):
    catalogue.load_catalogue()
    tenant = make_tenant("cpts-a")
    make_contract(tenant)
    with tenant_bound(tenant.id):
        ald = add_indicator(tenant, {"template": "mt_ald"}).id
        share = add_indicator(tenant, {"template": "mt_16"}).id
        # make_contract's pathway counts its patients quarterly: not measured here
        outcomes = [i.id for i in indicators(tenant) if i.pathway_id is not None]
        db.session.commit()
    make_tenant("cpts-b", (AGDE,))
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    make_user("cpam@test.fr", Role.CPAM, departments=("11",))
    make_user("ars@test.fr", Role.ARS, region="76")
    make_user("ars.bfc@test.fr", Role.ARS, region="27")
    make_user("cpam.doubs@test.fr", Role.CPAM, departments=("25",))
    return {"ald": ald, "share": share, "outcomes": outcomes}


def bearer(email: str, scope: str = "write") -> dict:
    return {"Authorization": f"Bearer {api_token(email, scope)}"}


def test_the_whole_review_through_the_api(client, world):
    president, ars, cpam = (
        bearer("president@test.fr"),
        bearer("ars@test.fr"),
        bearer("cpam@test.fr"),
    )
    opened = client.post(f"{BASE}/periods", json={"kind": "quarter", "starts_on": "2025-01-01"},
                         headers=president)  # fmt: skip
    assert opened.status_code == 201, opened.get_json()
    url = f"{BASE}/periods/{opened.get_json()['data']['id']}"
    values = [{"indicator_id": world["ald"], "numerator": 212},
              {"indicator_id": world["share"], "numerator": 7100, "denominator": 10000},
              *({"indicator_id": i, "missing_reason": "Non suivi"} for i in world["outcomes"])]  # fmt: skip
    refused = client.put(f"{url}/values", json={"values": values}, headers=cpam)
    assert refused.status_code == 403  # a reviewer never writes values
    entered = client.put(f"{url}/values", json={"values": values, "submit": True},
                         headers=president)  # fmt: skip
    assert entered.status_code == 200 and entered.get_json()["data"]["status"] == "submitted"
    assert client.post(f"{url}/validate", headers=president).status_code == 403
    sent = client.post(f"{url}/send-back", headers=cpam, json={
        "comments": [{"indicator_id": world["ald"], "comment": "À vérifier"}]})  # fmt: skip
    assert sent.status_code == 200 and sent.get_json()["data"]["status"] == "sent_back"
    values[0]["numerator"] = 198
    client.put(f"{url}/values", json={"values": values, "submit": True}, headers=president)
    detail = client.get(url, headers=ars).get_json()["data"]
    assert detail["changes"] == [{"indicator_id": world["ald"],
                                  "before": {"numerator": 212, "denominator": None,
                                             "missing_reason": None, "masked": False},
                                  "after": {"numerator": 198, "denominator": None,
                                            "missing_reason": None, "masked": False}}]  # fmt: skip
    assert client.post(f"{url}/validate", headers=ars).get_json()["data"]["status"] == "validated"
    locked = client.put(f"{url}/values", json={"values": values}, headers=president)
    assert locked.status_code == 422 and "period" in locked.get_json()["error"]["fields"]
    reopen = {"reason": "Erreur de requête signalée par la CPAM"}
    assert client.post(f"{url}/reopen", json=reopen, headers=cpam).status_code == 403
    assert client.post(f"{url}/reopen", json=reopen, headers=ars).status_code == 200
    assert [e["action"] for e in client.get(url, headers=ars).get_json()["data"]["events"]] == [
        "submit", "send_back", "submit", "validate", "reopen"]  # fmt: skip


def test_reviewers_of_elsewhere_get_404_and_bad_input_names_the_field(client, world):
    for email in ("ars.bfc@test.fr", "cpam.doubs@test.fr"):
        assert client.get(f"{BASE}/periods", headers=bearer(email)).status_code == 404
        assert client.post(f"{BASE}/periods/1/validate", headers=bearer(email)).status_code == 404
    president = bearer("president@test.fr")
    bad = client.post(f"{BASE}/periods", json={"kind": "week", "starts_on": "2025-01-01"},
                      headers=president)  # fmt: skip
    assert bad.status_code == 422 and "kind" in bad.get_json()["error"]["fields"]
    period = client.post(f"{BASE}/periods", json={"kind": "quarter", "starts_on": "2025-04-01"},
                         headers=president).get_json()["data"]  # fmt: skip
    negative = client.put(f"{BASE}/periods/{period['id']}/values", headers=president,
                          json={"values": [{"indicator_id": world["ald"], "numerator": -3}]})  # fmt: skip
    assert negative.status_code == 422
    rate = client.put(f"{BASE}/periods/{period['id']}/values", headers=president,
                      json={"values": [{"indicator_id": world["share"], "numerator": 3}]})  # fmt: skip
    assert rate.status_code == 422 and "mt_16.denominator" in rate.get_json()["error"]["fields"]


def test_indicators_and_the_variable_part_are_read_by_the_cpts_and_its_reviewers(client, world):
    for email in ("president@test.fr", "ars@test.fr", "cpam@test.fr"):
        body = client.get(f"{BASE}/indicators", headers=bearer(email, "read")).get_json()
        assert {i["code"] for i in body["data"]} >= {"mt_ald", "mt_16", "patients_parcours"}
        earned = client.get(f"{BASE}/indicators/earnings", headers=bearer(email, "read"))
        assert earned.status_code == 200
        assert {r["status"] for r in earned.get_json()["data"]} <= {"pending", "no_target",
                                                                    "earned", "not_reached"}  # fmt: skip
