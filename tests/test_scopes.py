"""One person may hold roles in several scopes; each role keeps to its own scope."""

from __future__ import annotations

from app.models.user import Role
from tests.factories import AGDE, BESANCON, NARBONNE, make_tenant, make_user


def test_a_person_with_roles_in_several_scopes(app, auth, client):
    a = make_tenant("cpts-a", (NARBONNE,))
    b = make_tenant("cpts-b", (AGDE,))
    make_tenant("cpts-c", (BESANCON,))
    email = "multi@test.fr"
    make_user(email, Role.PRESIDENT, tenant=a)
    make_user(email, Role.VIEWER, tenant=b)
    make_user(email, Role.ARS, region="27")
    auth.login(email)
    home = client.get("/").get_data(as_text=True)
    assert "CPTS cpts-a" in home and "CPTS cpts-b" in home and "Bourgogne-Franche-Comté" in home
    assert client.get("/t/cpts-a/").status_code == 200
    assert client.get("/t/cpts-b/").status_code == 200
    assert client.get("/t/cpts-c/").status_code == 200  # through the ARS role of region 27
    assert client.get("/region/27/").status_code == 200
    assert client.get("/region/76/").status_code == 404
    assert client.post("/t/cpts-a/territoire", data={"communes": "11203"}).status_code == 302
    assert client.post("/t/cpts-b/territoire", data={"communes": "34031"}).status_code == 403
    assert client.post("/t/cpts-c/territoire", data={"communes": "25047"}).status_code == 403
    assert client.get("/t/cpts-b/utilisateurs").status_code == 403


def test_admin_sees_every_tenant_and_the_regional_views(app, auth, client):
    make_tenant("cpts-a", (NARBONNE,))
    make_tenant("cpts-c", (BESANCON,))
    make_user("admin@test.fr", Role.ADMIN)
    auth.login("admin@test.fr")
    page = client.get("/admin/").get_data(as_text=True)
    assert "/region/76/" in page and "/region/27/" in page and "2 CPTS enregistrées" in page
    assert client.get("/region/27/").status_code == 200
