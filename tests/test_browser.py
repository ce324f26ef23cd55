"""End to end in real headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.models.user import Role
from tests.conftest import CHROMIUM
from tests.factories import PASSWORD, add_members, make_user
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


def test_ars_user_sees_the_regional_chart_drawn_by_local_plotly(app, live_server, browser):
    for slug, code in (("cpts-a", "11262"), ("cpts-b", "34003")):
        add_members(_make_tenant(slug, (code,)), 5)
    make_user("ars@test.fr", Role.ARS, region="76")
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server, "ars@test.fr")
    page.wait_for_url(f"{live_server}/region/76/")
    page.wait_for_selector(".chart .main-svg", timeout=10_000)
    assert page.locator(".chart .bars path").count() == 2
    assert all(url.startswith(live_server) for url in requests), "a request left the machine"
    assert errors == []  # in particular, no Content-Security-Policy violation
    _shot(page, "region-home")
