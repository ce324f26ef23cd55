"""End to end in real headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.serving import make_server

from app.extensions import db
from app.models.user import Role
from app.services import catalogue
from app.services.indicators import add_indicator
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant
from tests.conftest import CHROMIUM
from tests.factories import PASSWORD, add_members, make_contract, make_user
from tests.factories import make_tenant as _make_tenant

pytestmark = pytest.mark.browser

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():  # only reached in CI (elsewhere skipped at collection)
        pytest.fail(f"CI: Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_president_logs_in_and_sees_the_tenant_home(app, live_server, browser):
    tenant = _make_tenant("grand-narbonne", ("11262", "11203"), name="CPTS du Grand Narbonne")
    add_members(tenant, 12)
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server, "president@test.fr")
    page.wait_for_url(f"{live_server}/t/grand-narbonne/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("CPTS du Grand Narbonne")
    kpis = page.locator(".kpis").inner_text()
    assert "12" in kpis and "T" in kpis
    assert page.get_by_role("row", name="Narbonne").count() >= 1
    _shot(page, "tenant-home")
    assert errors == []


def test_ars_user_walks_the_regional_pages_drawn_by_local_plotly(app, live_server, browser):
    """Overview (filtered by department), coverage, compare (two CPTS picked, kept in the URL)
    and the review queue, as the ARS of Occitanie."""
    for slug, code, name in (("cpts-a", "11262", "CPTS du Narbonnais"),
                             ("cpts-b", "34003", "CPTS d'Agde"),
                             ("cpts-c", "30189", "CPTS de Nîmes")):  # fmt: skip
        add_members(_make_tenant(slug, (code,), name=name), 15)
    make_user("ars@test.fr", Role.ARS, region="76")
    page = browser.new_page(viewport={"width": 1500, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server, "ars@test.fr")
    page.wait_for_url(f"{live_server}/region/76/")
    page.wait_for_selector(".chart .main-svg", timeout=10_000)
    assert page.locator(".chart .bars path").count() == 3
    page.get_by_label("Département").select_option("34")
    page.get_by_role("button", name="Appliquer").click()
    page.wait_for_url("**departement=34**")
    names = page.locator("table.overview tbody th").all_inner_texts()
    assert [n.strip() for n in names] == ["CPTS d'Agde"]
    _shot(page, "region-overview")

    page.get_by_role("link", name="Couverture", exact=True).click()
    page.wait_for_selector(".chart .main-svg", timeout=10_000)
    assert "Zones blanches" in page.content()
    _shot(page, "region-coverage")

    page.get_by_role("link", name="Comparer", exact=True).click()
    page.get_by_label("CPTS du Narbonnais").check()
    page.get_by_label("CPTS de Nîmes").check()
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_url("**cpts=cpts-a**")
    assert "cpts=cpts-c" in page.url
    header = page.locator("table.data-table thead th").all_inner_texts()
    assert header[1:] == ["CPTS de Nîmes", "CPTS du Narbonnais", "Médiane régionale"]
    page.wait_for_selector(".chart .main-svg", timeout=10_000)
    _shot(page, "region-compare")

    page.get_by_role("link", name="Revue des indicateurs", exact=True).click()
    page.wait_for_url(f"{live_server}/region/76/revue/")
    assert page.get_by_role("heading", level=1).inner_text() == "Revue des indicateurs"
    assert all(url.startswith(live_server) for url in requests), "a request left the machine"
    assert errors == []  # in particular, no Content-Security-Policy violation


def test_members_added_imported_and_found_in_the_journal(app, live_server, browser, tmp_path):
    """A president adds a member, tries the import with the example file (two bad rows), reads
    the errors, imports the valid rows, then finds the import in the journal."""
    _make_tenant("grand-narbonne", ("11262", "11106", "11170"), name="CPTS du Grand Narbonne")
    make_user("president@test.fr", Role.PRESIDENT, tenant=_tenant("grand-narbonne"))
    page = browser.new_page(accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server, "president@test.fr")
    page.goto(f"{live_server}/t/grand-narbonne/membres/")
    page.get_by_role("link", name="Ajouter un membre").click()
    page.get_by_label("Nom", exact=True).fill("Lefèvre")
    page.get_by_label("Prénom").fill("Hélène")
    page.get_by_label("Profession", exact=True).select_option("infirmier")
    page.get_by_label("RPPS").fill("10003456789")
    page.get_by_label("Date d'adhésion").fill("2024-03-01")
    page.get_by_role("button", name="Inscrire au registre").click()
    assert "Hélène Lefèvre est inscrit·e au registre." in page.locator(".notice").inner_text()

    page.get_by_role("link", name="Importer un fichier").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger un fichier d'exemple").click()
    example = tmp_path / "exemple.csv"
    download.value.save_as(example)
    page.get_by_label("Fichier (CSV ou XLSX, 5 Mo au plus)").set_input_files(str(example))
    page.get_by_role("button", name="Vérifier le fichier").click()
    problems = page.locator(".row-error").all_inner_texts()
    assert len(problems) == 2
    assert "Le RPPS comporte exactement 11 chiffres." in problems[0]
    assert "Date illisible" in problems[1]
    _shot(page, "import-preview")
    page.get_by_role("button", name="Importer", exact=True).click()
    assert "6 membre(s) ajouté(s)" in page.locator(".notice").inner_text()
    assert "7 membres" in page.locator(".result-count").inner_text()

    page.goto(f"{live_server}/t/grand-narbonne/journal/")
    assert page.get_by_role("cell", name="Membres importés").count() == 1
    _shot(page, "journal")
    assert errors == []


def test_the_api_documentation_draws_from_local_assets(app, live_server, browser):
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=10_000)
    assert page.locator(".opblock").count() >= 7
    assert all(url.startswith(live_server) for url in requests), "a request left the machine"
    assert errors == []
    _shot(page, "api-docs")


def test_an_amendment_recorded_then_read_in_the_history(app, live_server, browser):
    tenant = _make_tenant("grand-narbonne", ("11262",), name="CPTS du Grand Narbonne")
    make_contract(tenant)
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server, "president@test.fr")
    page.get_by_role("link", name="Convention", exact=True).click()
    page.wait_for_selector(".chart .main-svg", timeout=10_000)  # the deadline timeline
    page.get_by_role("link", name="Enregistrer un avenant").click()
    page.get_by_label("Signé le").fill("2025-01-15")
    page.get_by_label("Prend effet le").fill("2025-02-01")
    page.get_by_label("Objet de l'avenant").fill("Hausse du budget de l'année 3")
    page.get_by_label("Budget de fonctionnement, année 3").fill("90 000")
    page.get_by_role("button", name="Enregistrer l'avenant").click()
    assert (
        "Avenant n° 2 enregistré : 1 terme(s) modifié(s)." in page.locator(".notice").inner_text()
    )
    second = page.get_by_role("region", name="Avenant n° 2")
    row = second.get_by_role("row", name="Budget de fonctionnement · année 3")
    assert row.inner_text().split("\t")[1:] == ["75\u202f000,00\u00a0€", "90\u202f000,00\u00a0€"]
    _shot(page, "amendments")
    assert errors == []


def test_the_cpam_user_filters_the_conventions_and_downloads_the_xlsx(
    app, live_server, browser, tmp_path
):
    late = _make_tenant("cpts-late", ("11262",), name="CPTS en retard")
    make_contract(late)
    _make_tenant("cpts-none", ("34003",), name="CPTS sans convention")
    _make_tenant("cpts-gard", ("30189",), name="CPTS du Gard")
    make_user("cpam@test.fr", Role.CPAM, departments=("11", "34"))
    page = browser.new_page(accept_downloads=True)
    _login(page, live_server, "cpam@test.fr")
    page.wait_for_url(f"{live_server}/cpam/")
    table = page.locator("table.data-table tbody")
    assert "CPTS du Gard" not in table.inner_text() and table.locator("tr").count() == 2
    page.get_by_label("Missions").select_option("late")
    page.get_by_role("button", name="Filtrer").click()
    assert table.locator("tr").count() == 1 and "CPTS en retard" in table.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter (XLSX)").click()
    saved = tmp_path / "conventions.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["CPTS en retard"]
    page.reload()
    assert "XLSX" in page.get_by_role("region", name="Vos derniers exports").inner_text()
    _shot(page, "cpam-conventions")


def _tenant(slug: str) -> Tenant:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def test_a_period_entered_sent_back_corrected_and_validated(app, live_server, browser):
    """The president enters and submits; the ARS sends one value back with a comment; the
    president sees it, corrects and resubmits; the ARS sees what changed and validates."""
    tenant = _make_tenant("grand-narbonne", ("11262",), name="CPTS du Grand Narbonne")
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    make_user("ars@test.fr", Role.ARS, region="76")
    catalogue.load_catalogue()
    with tenant_bound(tenant.id):
        ald = add_indicator(tenant, {"template": "mt_ald"}).id
        db.session.commit()
    president = browser.new_context().new_page()
    _login(president, live_server, "president@test.fr")
    president.wait_for_load_state("networkidle")  # the home's chart script, read to its end
    president.get_by_role("link", name="Indicateurs", exact=True).click()
    president.get_by_label("Collecte", exact=True).select_option("quarter")
    president.get_by_label("Premier mois").fill("2025-01")
    president.get_by_role("button", name="Ouvrir la période").click()
    president.locator(f"#f-{ald}-numerator").fill("212")
    president.get_by_role("button", name="Enregistrer et soumettre").click()
    assert "Période soumise" in president.locator(".notice").first.inner_text()
    period_url = president.url

    ars = browser.new_context().new_page()
    _login(ars, live_server, "ars@test.fr")
    ars.wait_for_load_state("networkidle")
    ars.goto(period_url)
    ars.locator(f"#f-{ald}-review").fill("212 paraît élevé : vérifiez la requête")
    ars.get_by_role("button", name="Renvoyer à la CPTS").click()
    assert "renvoyée pour correction" in ars.locator("h1").inner_text()

    president.reload()
    assert "212 paraît élevé" in president.locator(".review-comment").inner_text()
    president.locator(f"#f-{ald}-numerator").fill("198")
    president.get_by_role("button", name="Enregistrer et soumettre").click()

    ars.reload()
    changes = ars.get_by_role("region", name="Ce qui a changé depuis la dernière soumission")
    assert "212" in changes.inner_text() and "198" in changes.inner_text()
    ars.get_by_role("button", name="Valider la période").click()
    assert "validée" in ars.locator("h1").inner_text()
    _shot(ars, "period-validated")

    president.reload()
    assert president.get_by_role("button", name="Enregistrer et soumettre").count() == 0
    assert president.locator(f"#f-{ald}-numerator").count() == 0  # locked: shown, not editable
