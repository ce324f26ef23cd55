"""The regional pages: figures from the rollups that agree with the source, regional medians,
filters and exports, a write seen at once, exact caching (ETag, 304), statements flat and at
most ten, and nothing of another region or another CPTS where it must not be."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.blueprints import ahead, page_cache
from app.extensions import db
from app.models.indicator import IndicatorTemplate, PeriodKind
from app.models.user import Role, RoleGrant, User
from app.services import catalogue, members, reporting
from app.services.indicators import add_indicator
from app.tenants.context import tenant_bound
from tests.conftest import api_token
from tests.factories import (
    AGDE,
    BESANCON,
    NIMES,
    PASSWORD,
    add_members,
    make_contract,
    make_tenant,
    make_user,
    warm_referential,
)

PAGES = (
    "/region/76/",
    "/region/76/couverture/",
    "/region/76/adhesions/",
    "/region/76/adhesions/?mesure=densite&profession=infirmier",
    "/region/76/conventions/bilan/",
    "/region/76/resultats/",
    "/region/76/comparer/?cpts=cpts-a&cpts=cpts-b",
)


@pytest.fixture
def region(app):
    """Three CPTS in Occitanie (one signed, with members), one in Bourgogne-Franche-Comté; the
    ARS users of both regions."""
    a = make_tenant("cpts-a", name="CPTS du Narbonnais")
    b = make_tenant("cpts-b", (AGDE,), name="CPTS d'Agde")
    make_tenant("cpts-c", (NIMES,), name="CPTS de Nîmes")
    other = make_tenant("cpts-bfc", (BESANCON,), name="CPTS de Besançon")
    add_members(a, 30, joined_on=date(2024, 1, 15))
    add_members(b, 12, joined_on=date.today() - timedelta(days=100))
    add_members(other, 20)
    make_contract(a)
    make_user("ars.occitanie@test.fr", Role.ARS, region="76")
    make_user("ars.bfc@test.fr", Role.ARS, region="27")
    page_cache.clear()
    return a, b, other


def test_the_overview_shows_each_cpts_with_the_regional_median(region, auth):
    a, b, _other = region
    auth.login("ars.occitanie@test.fr")
    page = auth.client.get("/region/76/").get_data(as_text=True)
    assert "CPTS du Narbonnais" in page and "CPTS d&#39;Agde" in page
    assert "CPTS de Besançon" not in page
    assert "Médiane régionale" in page and "Données au" in page
    assert f"{a.population:,}".replace(",", "\u202f") in page  # the referential's population
    only_11 = auth.client.get("/region/76/?departement=34").get_data(as_text=True)
    assert "CPTS d&#39;Agde" in only_11 and "CPTS du Narbonnais" not in only_11


def test_the_overview_exports_as_csv_and_xlsx_with_its_filters(region, auth):
    a, *_ = region
    auth.login("ars.occitanie@test.fr")
    body = auth.client.get("/region/76/synthese.csv?departement=11").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["CPTS", "Département", "Stade"]
    assert [r[0] for r in rows[1:]] == ["CPTS du Narbonnais"]
    assert rows[1][3] == str(a.population) and rows[1][5] == "30"
    workbook = load_workbook(io.BytesIO(auth.client.get("/region/76/synthese.xlsx").data))
    names = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["CPTS d'Agde", "CPTS de Nîmes", "CPTS du Narbonnais"]


def test_a_committed_write_is_seen_at_once_and_the_etag_changes(region, auth):
    a, *_ = region
    auth.login("ars.occitanie@test.fr")
    first = auth.client.get("/region/76/")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = auth.client.get("/region/76/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    with tenant_bound(a.id):
        members.create_member(
            a,
            {
                "first_name": "Zoé",
                "last_name": "Nouvelle",
                "profession": "sage_femme",
                "joined_on": date.today().isoformat(),
            },
        )
        db.session.commit()  # fmt: skip
    fresh = auth.client.get("/region/76/", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert ">31<" in fresh.get_data(as_text=True)  # 30 members, then 31


def test_a_write_renders_again_only_the_row_of_its_cpts(region, auth):
    """The overview's rows are kept under their figures: another sort reuses them all, and a
    write in one CPTS renders its row alone again."""
    a = region[0]
    auth.login("ars.occitanie@test.fr")
    assert auth.client.get("/region/76/").status_code == 200
    kept = len(page_cache._fragments.items)
    assert kept == 3  # the three CPTS of Occitanie
    assert auth.client.get("/region/76/?tri=population").status_code == 200
    assert len(page_cache._fragments.items) == kept
    with tenant_bound(a.id):
        members.create_member(a, {"first_name": "Zoé", "last_name": "Nouvelle",
                                  "profession": "sage_femme",
                                  "joined_on": date.today().isoformat()})  # fmt: skip
        db.session.commit()
    page = auth.client.get("/region/76/?tri=population").get_data(as_text=True)
    assert ">31<" in page and len(page_cache._fragments.items) == kept + 1


def test_a_page_is_built_again_ahead_of_its_reader_after_a_write(region, auth, app):
    """After a write in the region, the pages its readers opened are built again in the
    background: the next reader is served the new figures without waiting for the build; a
    reader who lost access has nothing built, and is forgotten."""
    a = region[0]
    auth.login("ars.occitanie@test.fr")
    assert ">30<" in auth.client.get("/region/76/").get_data(as_text=True)
    assert auth.client.get("/region/76/couverture/").status_code == 200
    add_members(a, 1, joined_on=date.today())
    assert ahead.build_ahead(app) == 0  # pages read once are left to their reader
    assert ">31<" in auth.client.get("/region/76/").get_data(as_text=True)
    assert ahead.build_ahead(app) == 0  # nothing moved
    add_members(a, 1, joined_on=date.today())
    assert ahead.build_ahead(app) == 1  # the overview, read twice
    bodies = len(page_cache._bodies.items)
    page = auth.client.get("/region/76/").get_data(as_text=True)
    assert ">32<" in page and len(page_cache._bodies.items) == bodies  # served, not built
    assert ahead.build_ahead(app, time.monotonic() + ahead.WINDOW + 1) == 0  # not read lately
    assert not ahead._remembered
    for _ in range(2):
        assert auth.client.get("/region/76/").status_code == 200
    add_members(a, 1, joined_on=date.today())
    db.session.delete(db.session.scalar(select(RoleGrant)
                                        .join(User).where(User.email == "ars.occitanie@test.fr")))  # fmt: skip
    db.session.commit()
    assert ahead.build_ahead(app) == 0 and not ahead._remembered


def test_a_write_builds_ahead_within_its_budget_the_page_read_most_first(region, auth, app,
                                                                         monkeypatch):  # fmt: skip
    auth.login("ars.occitanie@test.fr")
    for path in ("/region/76/", "/region/76/", "/region/76/", *["/region/76/couverture/"] * 2):
        assert auth.client.get(path).status_code == 200
    add_members(region[0], 1, joined_on=date.today())
    monkeypatch.setattr(ahead, "BUDGET", 0)  # time for one page
    assert ahead.build_ahead(app) == 1
    assert ahead.build_ahead(app) == 0  # the other is left to its reader
    bodies = len(page_cache._bodies.items)
    assert ">31<" in auth.client.get("/region/76/").get_data(as_text=True)
    assert len(page_cache._bodies.items) == bodies  # built ahead
    assert auth.client.get("/region/76/couverture/").status_code == 200
    assert len(page_cache._bodies.items) == bodies + 1  # built for its reader


def test_each_page_is_built_ahead_as_its_own_reader(region, auth, app):
    a, _b, other = region
    for email, path in (
        ("ars.occitanie@test.fr", "/region/76/"),
        ("ars.bfc@test.fr", "/region/27/"),
    ):
        auth.login(email)
        for _ in range(2):
            assert auth.client.get(path).status_code == 200
    add_members(a, 1, joined_on=date.today())
    add_members(other, 1, joined_on=date.today())
    assert ahead.build_ahead(app) == 2  # each in its own region, neither refused
    auth.logout()  # the reader of Bourgogne-Franche-Comté signs out: theirs is not built again
    add_members(a, 1, joined_on=date.today())
    add_members(other, 1, joined_on=date.today())
    assert ahead.build_ahead(app) == 1


def test_the_overview_in_english_names_its_sorts_and_statuses_in_english(region, auth):
    auth.login("ars.occitanie@test.fr")
    auth.client.post("/langue", data={"lang": "en", "next": "/"})
    page = auth.client.get("/region/76/").get_data(as_text=True)
    assert "Completeness (lowest first)" in page and "CPTS name" in page
    assert "No agreement" in page  # the CPTS without a convention
    assert "Complétude (la plus faible" not in page and "Pas de convention" not in page


@pytest.mark.parametrize("path", PAGES)
def test_regional_pages_are_flat_and_at_most_ten_statements(region, auth, count_sql, path):
    auth.login("ars.occitanie@test.fr")
    warm_referential("76")
    with count_sql() as small:
        assert auth.client.get(path).status_code == 200
    more = [make_tenant(f"cpts-n{n}", (code,)) for n, code in enumerate(("11001", "34001"))]
    for tenant in more:
        add_members(tenant, 5)
    with count_sql() as large:
        assert auth.client.get(path).status_code == 200
    assert small.count == large.count <= 10
    with count_sql() as cached:
        assert auth.client.get(path).status_code == 200
    assert cached.count <= small.count


def test_another_regions_ars_gets_404_everywhere(region, auth):
    auth.login("ars.bfc@test.fr")
    for path in (*PAGES, "/region/76/synthese.csv", "/region/76/chiffres/signatures.csv"):
        assert auth.client.get(path).status_code == 404, path


def test_compare_keeps_only_the_regions_cpts_and_their_figures(region, auth):
    auth.login("ars.occitanie@test.fr")
    page = auth.client.get("/region/76/comparer/?cpts=cpts-a&cpts=cpts-bfc&cpts=cpts-b")
    text = page.get_data(as_text=True)
    assert "Côte à côte" in text and "Besançon" not in text
    body = auth.client.get("/region/76/chiffres/comparaison.csv?cpts=cpts-a&cpts=cpts-b").get_data(
        as_text=True
    )
    header = next(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert header == ["Indicateur", "CPTS du Narbonnais", "CPTS d'Agde", "Médiane régionale"]


def test_growth_and_conventions_agree_with_the_source(region, auth):
    auth.login("ars.occitanie@test.fr")
    growth = auth.client.get("/region/76/chiffres/adhesions-cpts.csv").get_data(as_text=True)
    rows = {r[0]: r for r in csv.reader(io.StringIO(growth.lstrip("\ufeff")), delimiter=";")}
    assert rows["CPTS du Narbonnais"][2] == "30" and rows["CPTS d'Agde"][2] == "12"
    assert rows["CPTS d'Agde"][1] == ""  # nobody a year ago: no growth rate
    years = auth.client.get("/region/76/chiffres/signatures.csv").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(years.lstrip("\ufeff")), delimiter=";"))
    assert ["2024", "1", "1", "1"] in lines  # signed in 2024, one amendment that year
    money = auth.client.get("/region/76/chiffres/financement.csv").get_data(as_text=True)
    assert "2024" in money and "75000" in money.replace(",00", "").replace(" ", "")


def test_a_president_cannot_open_the_regional_pages(region, auth):
    a, *_ = region
    make_user("president@test.fr", Role.PRESIDENT, tenant=a)
    auth.login("president@test.fr")
    for path in PAGES:
        assert auth.client.get(path).status_code in (403, 404), path


def _bearer(email: str) -> dict:
    return {"Authorization": f"Bearer {api_token(email, 'read')}"}


def test_the_api_gives_the_regions_figures_in_scope_only(region, client):
    a, b, _other = region
    ars = _bearer("ars.occitanie@test.fr")
    overview = client.get("/api/v1/regions/76/overview", headers=ars).get_json()["data"]
    by_slug = {row["slug"]: row for row in overview["cptss"]}
    assert set(by_slug) == {"cpts-a", "cpts-b", "cpts-c"}
    assert by_slug["cpts-a"]["members"] == 30 and by_slug["cpts-a"]["population"] == a.population
    assert overview["medians"]["members"] == 12  # 30, 12 and 0 members
    for path in ("overview", "growth", "conventions", "outcomes"):
        assert client.get(f"/api/v1/regions/76/{path}", headers=ars).status_code == 200, path
        refused = client.get(f"/api/v1/regions/76/{path}", headers=_bearer("ars.bfc@test.fr"))
        assert refused.status_code == 404, path
    growth = client.get("/api/v1/regions/76/growth", headers=ars).get_json()["data"]
    assert growth["region_members"][-1] == 42
    wrong = client.get("/api/v1/regions/76/outcomes?modele=x", headers=ars)
    assert wrong.status_code == 422


def test_the_admin_list_is_paginated_from_the_rollups(region, auth, monkeypatch):
    from app.blueprints import admin

    monkeypatch.setattr(admin, "PER_PAGE", 2)
    make_user("admin@test.fr", Role.ADMIN)
    auth.login("admin@test.fr")
    first = auth.client.get("/admin/").get_data(as_text=True)
    second = auth.client.get("/admin/?page=2").get_data(as_text=True)
    assert "4 CPTS enregistrées" in first and "Page 1 sur 2" in first
    names = ("CPTS d&#39;Agde", "CPTS de Besançon", "CPTS de Nîmes", "CPTS du Narbonnais")
    assert [n in first for n in names] == [True, True, False, False]
    assert [n in second for n in names] == [False, False, True, True]


def test_the_coverage_chart_has_its_csv_and_a_president_gets_no_regional_api(region, client):
    a, *_ = region
    make_user("president@test.fr", Role.PRESIDENT, tenant=a)
    ars = _bearer("ars.occitanie@test.fr")
    client.post("/login", data={"email": "ars.occitanie@test.fr", "password": PASSWORD})
    body = client.get("/region/76/chiffres/couverture.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Territoire" and rows[1][0] == "Région"
    assert "Aude (11)" in {r[0] for r in rows}
    client.post("/logout")
    president = _bearer("president@test.fr")
    for path in ("overview", "growth", "conventions", "outcomes"):
        assert client.get(f"/api/v1/regions/76/{path}", headers=president).status_code == 404
        assert client.get(f"/api/v1/regions/76/{path}", headers=ars).status_code == 200


def test_a_catalogue_change_is_seen_at_once_on_the_kept_outcomes(app, auth):
    """The regional pages name the catalogue's templates: renaming one moves every region's
    version, so a kept outcomes or compare page shows the new name at once."""
    catalogue.load_catalogue()
    tenants = [make_tenant("cpts-a"), make_tenant("cpts-b", (AGDE,), name="CPTS d'Agde")]
    for tenant in tenants:
        make_contract(tenant)
        with tenant_bound(tenant.id):
            share = add_indicator(tenant, {"template": "mt_16"})
            period = reporting.open_period(tenant, PeriodKind.QUARTER, date(2025, 10, 1))
            values = {i.id: {"numerator": 70, "denominator": 90}
                      for i in reporting.indicators_of(period)}  # fmt: skip
            values[share.id] = {"numerator": 70, "denominator": 90}
            reporting.enter_values(tenant, period, values)
            reporting.submit(tenant, period)
            reporting.validate(tenant, period)
            db.session.commit()
    make_user("ars@test.fr", Role.ARS, region="76")
    auth.login("ars@test.fr")
    urls = ("/region/76/resultats/", "/region/76/comparer/?cpts=cpts-a&cpts=cpts-b")
    template = db.session.scalar(select(IndicatorTemplate).filter_by(code="mt_16"))
    old = template.name
    assert all(old in auth.client.get(url).get_data(as_text=True) for url in urls)
    fields = ("code", "mission", "unit", "direction", "period", "aggregation", "definition")
    data = {name: getattr(template, name) for name in fields}
    catalogue.save_template({**data, "name": "Part des patients suivis (renommé)"}, template)
    db.session.commit()
    for url in urls:
        page = auth.client.get(url).get_data(as_text=True)
        assert "Part des patients suivis (renommé)" in page and old not in page, url
