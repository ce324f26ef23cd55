"""HTTP hardening: security headers, CSRF on every state change, error pages without internals,
the health check and request ids."""

from __future__ import annotations

import logging
import re
from html import unescape

import plotly
import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from app.domain import DomainError
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import Role
from app.tenants.context import unscoped
from tests.conftest import REFERENTIAL_TABLES
from tests.factories import PASSWORD, make_tenant, make_user

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def president(app):
    tenant = make_tenant("cpts-a")
    return make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)


def login(client, email: str = "president@test.fr"):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


# Headers


@pytest.mark.parametrize(
    "path", ["/login", "/t/cpts-a/", "/t/cpts-a/utilisateurs", "/page-inconnue"]
)
def test_html_responses_carry_the_security_headers(client, president, path):
    login(client)
    response = client.get(path)

    assert response.status_code == (404 if path == "/page-inconnue" else 200)
    assert response.mimetype == "text/html"
    csp = csp_directives(response)
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    }
    assert "Strict-Transport-Security" not in response.headers  # not over plain HTTP in development


def test_csp_allows_no_other_host(client):
    allowed = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
    sources = {s for values in csp_directives(client.get("/login")).values() for s in values}
    assert sources <= allowed


def test_pages_load_nothing_from_another_host(client, president):
    login(client)
    for path in ("/login", "/t/cpts-a/", "/t/cpts-a/utilisateurs"):
        html = client.get(path).get_data(as_text=True)
        assert re.findall(r'(?:src|href|action)="(?:https?:)?//[^"]*"', html) == [], path


def test_hsts_in_production(extra_app, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("BASE_URL", "https://observatoire.example.fr")
    monkeypatch.setenv("TRUSTED_HOSTS", "localhost")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-for-tests")
    response = extra_app().test_client().get("/login")
    max_age = re.search(r"max-age=(\d+)", response.headers["Strict-Transport-Security"])
    assert int(max_age.group(1)) >= 31_536_000


def test_json_and_static_answers_carry_nosniff(client):
    assert client.get("/healthz").headers["X-Content-Type-Options"] == "nosniff"
    with client.get("/static/css/app.css") as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# CSRF and safe methods


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_needs_a_csrf_token(extra_app, president):
    client = extra_app(WTF_CSRF_ENABLED=True).test_client()

    refused = login(client)
    assert refused.status_code == 400
    assert "Le formulaire a expiré" in refused.get_data(as_text=True)
    assert "CSRF" not in refused.get_data(as_text=True)

    token = csrf_token(client.get("/login").get_data(as_text=True))
    accepted = client.post(
        "/login", data={"email": "president@test.fr", "password": PASSWORD, "csrf_token": token}
    )
    assert accepted.status_code == 302
    assert client.get("/t/cpts-a/").status_code == 200


# What a request may always write: the audit trail and the attempts counted by the throttle.
BOOKKEEPING = {"audit_event", "login_attempt"}


def table_counts() -> dict[str, int]:
    tables = sorted(t for t in db.metadata.tables if t not in REFERENTIAL_TABLES | BOOKKEEPING)
    with unscoped("test: count every table"):
        return {t: db.session.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables}


SAMPLES = {
    "tenant": "cpts-a",
    "region": "76",
    "version": plotly.__version__,
    "token": "not-a-real-token",
    "filename": "css/app.css",
    "commune_code": "11262",
    "invitation_id": 1,
    "member_id": 1,
    "import_id": 1,
    "kind": "csv",
    "token_id": 1,
    "name": "swagger-ui.css",
    "payment_id": 1,
    "prevention_id": 1,
    "priority_id": 1,
    "action_id": 1,
    "mission": "acces_soins",
    "period_id": 1,
    "indicator_id": 1,
    "pathway_id": 1,
    "table": "signatures",  # a chart of the regional pages, as CSV
    "document_id": 1,
    "template_id": 1,
}


# Everything a form of the application could ask for, valid: only the missing token is wrong.
VALID_FORM = {
    "email": "president@test.fr",
    "password": PASSWORD,
    "role": "viewer",
    "lang": "en",
    "current_password": PASSWORD,
    "new_password": "Une phrase de passe 2026",
    "confirm": "Une phrase de passe 2026",
    "full_name": "Nouvelle Personne",
    "communes": "34003",
    "epci": "",
}


def routes(application, methods: set[str], grant_id: int):
    values = {**SAMPLES, "grant_id": grant_id}
    for rule in application.url_map.iter_rules():
        missing = set(rule.arguments) - set(values)
        assert not missing, f"add a sample value for {missing} of {rule.rule} in SAMPLES"
        path = rule.build({k: values[k] for k in rule.arguments})[1]
        for method in sorted(rule.methods & methods):
            yield method, path


def test_every_state_change_needs_a_csrf_token(extra_app, president):
    application = extra_app(WTF_CSRF_ENABLED=True)
    client = application.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"email": president.email, "password": PASSWORD, "csrf_token": token}
    )
    make_user("viewer@test.fr", Role.VIEWER, tenant=president.grants[0].tenant)
    viewer_grant = db.session.scalar(text("SELECT id FROM role_grant WHERE role = 'viewer'"))
    before = table_counts()

    checked = 0
    for method, path in routes(application, UNSAFE, viewer_grant):
        response = client.open(path, method=method, data=VALID_FORM)
        if path.startswith("/api/"):  # the API takes a bearer token, never the session cookie
            assert response.status_code == 401, f"{method} {path} -> {response.status_code}"
            continue
        assert response.status_code == 400, f"{method} {path} -> {response.status_code}"
        assert '<p class="error-code">400</p>' in response.get_data(as_text=True), (
            f"{method} {path}"
        )
        checked += 1

    assert checked >= 6
    assert table_counts() == before
    assert client.get("/t/cpts-a/").status_code == 200  # still logged in: /logout was refused too


def test_no_get_changes_state(client, president):
    login(client)
    before = table_counts()

    for _method, path in routes(client.application, {"GET"}, grant_id=president.grants[0].id):
        with client.get(path) as response:
            expected = (200, 401, 404) if path.startswith("/api/") else (200, 302, 404)
            assert response.status_code in expected, path

    assert table_counts() == before
    assert client.get("/logout").status_code == 405
    assert client.get("/t/cpts-a/").status_code == 200


# Errors


@pytest.fixture
def failing_app(extra_app):
    application = extra_app()

    def crash():
        raise RuntimeError("internal detail: password=hunter2")

    def bad_sql():
        db.session.execute(text("SELECT secret_column FROM no_such_table"))

    def refused_input():
        raise DomainError({"email": [_l("Adresse e-mail invalide.")], "name": ["Trop court."]})

    application.add_url_rule("/crash", "crash", crash)
    application.add_url_rule("/sql", "sql", bad_sql)
    application.add_url_rule("/api/v1/crash", "api_crash", crash)
    application.add_url_rule("/api/v1/refused", "api_refused", refused_input)
    application.add_url_rule("/refused", "refused", refused_input)
    return application


def test_refused_input_is_a_422_envelope_in_the_api_and_a_400_page_elsewhere(failing_app):
    client = failing_app.test_client()

    api = client.get("/api/v1/refused")
    page = client.get("/refused")

    assert api.status_code == 422
    assert api.get_json() == {
        "error": {
            "status": 422,
            "message": "Données invalides.",
            "fields": {"email": ["Adresse e-mail invalide."], "name": ["Trop court."]},
        }
    }
    assert page.status_code == 400
    assert "Adresse e-mail invalide. Trop court." in unescape(page.get_data(as_text=True))
    client.post("/langue", data={"lang": "en"})
    english = client.get("/api/v1/refused").get_json()["error"]
    assert english["message"] == "Invalid data." and english["fields"]["email"] == [
        "Invalid e-mail address."
    ]


@pytest.mark.parametrize("path", ["/crash", "/sql"])
def test_unexpected_error_shows_a_french_page_without_internals(failing_app, caplog, path):
    caplog.set_level(logging.ERROR, logger="app.errors")

    response = failing_app.test_client().get(path)

    assert response.status_code == 500
    html = unescape(response.get_data(as_text=True))
    assert "Une erreur interne est survenue. L'équipe technique a été prévenue." in html
    for leak in (
        "Traceback",
        "RuntimeError",
        "hunter2",
        "no_such_table",
        "SELECT",
        "sqlalchemy",
        'File "',
    ):
        assert leak not in html
    assert "Content-Security-Policy" in response.headers
    assert "Traceback" in caplog.text  # the team does get the details, in the log


def test_database_works_again_after_a_failed_statement(failing_app, caplog):
    client = failing_app.test_client()
    assert client.get("/sql").status_code == 500
    assert client.get("/healthz").get_json()["database"] == "ok"


def test_api_errors_are_json(failing_app, caplog, president):
    client = failing_app.test_client()

    crashed = client.get("/api/v1/crash")
    assert crashed.status_code == 500
    assert crashed.get_json() == {
        "error": {
            "status": 500,
            "message": "Une erreur interne est survenue. L'équipe technique a été prévenue.",
        }
    }
    anonymous = client.get("/api/v1/t/cpts-a/")
    assert anonymous.status_code == 401
    assert anonymous.get_json() == {
        "error": {"status": 401, "message": "Authentification requise."}
    }
    missing = client.get("/api/v1/nothing-here")
    assert missing.get_json() == {"error": {"status": 404, "message": "Page introuvable."}}


def test_html_404_is_french(client):
    response = client.get("/page-inconnue")
    assert response.status_code == 404
    assert "Page introuvable." in response.get_data(as_text=True)


def test_json_is_answered_to_who_asks_for_it(client):
    response = client.get("/page-inconnue", headers={"Accept": "application/json"})
    assert response.get_json() == {"error": {"status": 404, "message": "Page introuvable."}}


# Health and request ids


def test_healthz_without_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert {k: body[k] for k in ("status", "database", "queue")} == {
        "status": "ok",
        "database": "ok",
        "queue": "in-process",
    }
    assert body["row_level_security"] in ("n/a", "enforced")


def test_request_id_is_echoed_and_audited(client):
    response = client.post(
        "/login",
        data={"email": "nobody@test.fr", "password": "x"},
        headers={"X-Request-ID": "abc-123.DEF_9"},
    )

    assert response.headers["X-Request-ID"] == "abc-123.DEF_9"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert event.request_id == "abc-123.DEF_9"


@pytest.mark.parametrize("incoming", [None, "", "x" * 41, "bad id", "a\u00e9b", "<script>"])
def test_request_id_is_generated_when_absent_or_unsafe(client, incoming):
    headers = {} if incoming is None else {"X-Request-ID": incoming}
    request_id = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert client.get("/healthz", headers=headers).headers["X-Request-ID"] != request_id


def test_method_not_allowed_keeps_its_allow_header(client):
    response = client.get("/logout")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


def test_dates_are_shown_in_paris_time(app):
    from datetime import UTC, datetime

    from app.templating import date_fr

    with app.test_request_context():
        assert date_fr(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "01/07/2026"
        assert date_fr(datetime(2026, 6, 30, 23, 30)) == "01/07/2026"  # naive: stored in UTC
