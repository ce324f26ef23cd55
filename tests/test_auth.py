"""Login, throttling, sessions and passwords."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy import select

from app import create_app
from app.config import ConfigError
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import Role, User
from app.security.passwords import verify_password
from tests.conftest import RequestIsolatingClient, make_app
from tests.factories import PASSWORD, make_tenant, make_user

TENANT_PAGE = "/t/cpts-a/"
NEW_PASSWORD = "Une phrase de passe bien longue 2026"
BAD_LOGIN = "Adresse e-mail ou mot de passe incorrect."
THROTTLED = "Trop de tentatives : réessayez dans quelques minutes."


def new_client(app) -> FlaskClient:
    """Another browser: its own cookies, each request in its own app context (see conftest)."""
    return RequestIsolatingClient(app, app.response_class)


@pytest.fixture
def user(app) -> User:
    tenant = make_tenant("cpts-a")
    return make_user("coordinator@test.fr", Role.COORDINATOR, tenant=tenant)


def login(client, email: str = "coordinator@test.fr", password: str = PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def is_logged_in(client) -> bool:
    response = client.get(TENANT_PAGE)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.location.startswith("/login")
    return response.status_code == 200


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field_id}-error">([^<]*)</p>', html)
    return unescape(match.group(1)) if match else ""


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# Login and throttling


def test_login_redirects_and_records_an_audit_event(client, user):
    response = login(client, email="  Coordinator@Test.FR ")

    assert response.status_code == 302
    assert response.location == "/"
    assert is_logged_in(client)
    [event] = events("login")
    assert (event.actor_id, event.outcome, event.address) == (user.id, "success", "127.0.0.1")
    assert reload(user).last_login_at is not None


def test_login_goes_back_to_the_page_asked_for(client, user):
    assert client.get(TENANT_PAGE).location == f"/login?next={TENANT_PAGE.replace('/', '%2F')}"
    assert login(client, query_string={"next": TENANT_PAGE}).location == TENANT_PAGE


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "\\\\evil.example",
    ],
)
def test_login_never_redirects_to_another_site(client, user, target):
    assert login(client, query_string={"next": target}).location == "/"


def test_wrong_password_is_refused_and_audited(client, user):
    response = login(client, password="Mauvais-mot-de-passe-1")

    assert response.status_code == 401
    assert BAD_LOGIN in response.get_data(as_text=True)
    assert not is_logged_in(client)
    [event] = events("login_failed")
    assert (event.actor_id, event.outcome, event.details) == (
        user.id,
        "failure",
        {"email": user.email},
    )
    assert events("login") == []


def test_unknown_email_gets_the_same_answer(client, user):
    response = login(client, email="nobody@test.fr")

    assert response.status_code == 401
    assert BAD_LOGIN in response.get_data(as_text=True)
    [event] = events("login_failed")
    assert (event.actor_id, event.details) == (None, {"email": "nobody@test.fr"})


def test_deactivated_user_cannot_log_in(client, user):
    user.active = False
    db.session.commit()

    response = login(client)

    assert response.status_code == 401
    assert BAD_LOGIN in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_empty_form_is_refused_in_french(client, user):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "email") == "Ce champ est obligatoire."


def test_login_is_throttled_per_account(client, user):
    for _ in range(5):
        assert login(client, password="Mauvais-mot-de-passe-1").status_code == 401

    response = login(client)  # the right password, too late

    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    assert not is_logged_in(client)
    assert [e.status_code for e in events("login_throttled")] == [429]
    # The guesser is stopped, not the owner: from another address the right password works.
    assert login(new_client(client.application), **from_address("10.9.9.9")).status_code == 302


def test_successful_login_forgets_earlier_failures(client, user):
    for _ in range(4):
        login(client, password="Mauvais-mot-de-passe-1")
    assert login(client).status_code == 302
    client.post("/logout")
    for _ in range(4):
        login(client, password="Mauvais-mot-de-passe-1")
    assert login(client).status_code == 302


def test_login_is_throttled_per_address(client, user):
    for i in range(20):
        response = login(
            client, email=f"guess{i}@test.fr", password="x", **from_address("10.0.0.1")
        )
        assert response.status_code == 401

    assert login(client, **from_address("10.0.0.1")).status_code == 429
    assert login(new_client(client.application), **from_address("10.0.0.2")).status_code == 302


# Sessions


def test_login_starts_a_fresh_session(client, user):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"

    login(client)

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_version}"


def test_logout_ends_every_session_of_the_user(app, client, user):
    other_device = new_client(app)
    login(client)
    login(other_device)
    assert is_logged_in(other_device)

    response = client.post("/logout")

    assert response.status_code == 302 and response.location == "/login"
    assert not is_logged_in(client)
    assert not is_logged_in(other_device)
    assert [e.actor_id for e in events("logout")] == [user.id]


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, user):
    other_device = new_client(app)
    login(client)
    login(other_device)

    response = client.post(
        "/compte/mot-de-passe",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(other_device)
    assert login(new_client(app)).status_code == 401  # the old password no longer works
    assert login(new_client(app), password=NEW_PASSWORD).status_code == 302
    assert [e.actor_id for e in events("password_changed")] == [user.id]


def test_deactivation_by_the_president_ends_the_users_sessions(app, client, user):
    make_user("president@test.fr", Role.PRESIDENT, tenant=user.grants[0].tenant)
    president = new_client(app)
    login(president, email="president@test.fr")
    login(client)
    assert is_logged_in(client)

    response = president.post(f"/t/cpts-a/utilisateurs/{user.grants[0].id}/desactiver")

    assert response.status_code == 302
    assert not is_logged_in(client)
    assert reload(user).session_version == 2


def test_session_cookie_is_httponly_and_samesite_lax(client, user):
    response = login(client)
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert "httponly" in attributes
    assert attributes["samesite"].strip() == "SameSite=Lax"
    assert "secure" not in attributes  # plain HTTP in development
    assert "expires" in attributes  # permanent, so bounded by the absolute lifetime


@pytest.fixture
def production_app(app, database, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("BASE_URL", "https://observatoire.example.fr")
    monkeypatch.setenv("TRUSTED_HOSTS", "localhost")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-for-tests")
    application = make_app(database)
    yield application
    with application.app_context():
        db.engine.dispose()


def test_session_cookie_is_secure_in_production(production_app, user):
    assert production_app.config["SESSION_COOKIE_SECURE"] is True
    response = login(production_app.test_client())
    assert response.status_code == 302
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Secure" in [part.strip() for part in cookie.split(";")]


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("BASE_URL", "https://observatoire.example.fr")
    monkeypatch.setenv("TRUSTED_HOSTS", "localhost")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def _age_session(client, **seconds_ago: int) -> None:
    now = int(time.time())
    with client.session_transaction() as session:
        for key, ago in seconds_ago.items():
            session[key] = now - ago


def test_idle_session_is_logged_out(app, client, user):
    idle = int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds())
    login(client)
    _age_session(client, seen_at=idle - 60)
    assert is_logged_in(client)  # recent enough, and the request refreshes seen_at

    _age_session(client, seen_at=idle + 5)
    response = client.get(TENANT_PAGE, follow_redirects=True)

    assert response.request.path == "/login"
    assert "Votre session a expiré" in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_session_ends_after_its_absolute_lifetime_even_when_active(app, client, user):
    lifetime = int(app.config["PERMANENT_SESSION_LIFETIME"].total_seconds())
    login(client)
    _age_session(client, auth_at=lifetime + 5, seen_at=10)
    assert not is_logged_in(client)


# Passwords


def change_password(client, new: str, current: str = PASSWORD, confirm: str | None = None):
    return client.post(
        "/compte/mot-de-passe",
        data={
            "current_password": current,
            "new_password": new,
            "confirm": new if confirm is None else confirm,
        },
    )


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("motdepasse123", "Ce mot de passe est trop courant : choisissez-en un autre."),
        ("MotDePasse2026", "Ce mot de passe est trop courant : choisissez-en un autre."),
        ("aaaaaaaaaaaaaaaa", "Ce mot de passe est trop courant : choisissez-en un autre."),
        ("court-2026", "Le mot de passe doit comporter au moins 12 caractères."),
        ("coordinator-2026!", "Le mot de passe ne doit pas contenir votre adresse e-mail."),
        ("Abcd-" * 205, "Le mot de passe ne peut dépasser 1024 caractères."),
    ],
)
def test_weak_new_password_is_refused_on_its_field(client, user, new, message):
    login(client)
    before = reload(user).password_hash

    response = change_password(client, new)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "new_password") == message
    assert 'aria-describedby="new_password-error"' in html
    assert reload(user).password_hash == before


def test_wrong_current_password_is_named(client, user):
    login(client)
    response = change_password(client, NEW_PASSWORD, current="Pas-le-bon-2026")
    assert response.status_code == 400
    assert (
        field_error(response.get_data(as_text=True), "current_password")
        == "Le mot de passe actuel est incorrect."
    )
    assert is_logged_in(client)


def test_confirmation_must_match(client, user):
    login(client)
    response = change_password(client, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert response.status_code == 400
    assert (
        field_error(response.get_data(as_text=True), "confirm")
        == "Les deux mots de passe diffèrent."
    )


def test_long_password_is_accepted(app, client, user):
    long_password = ("Une très longue phrase de passe, ponctuée ! " * 5)[:200]
    assert len(long_password) == 200
    login(client)

    assert change_password(client, long_password).status_code == 302
    assert login(new_client(app), password=long_password).status_code == 302


def argon2_parameters(stored_hash: str) -> tuple[str, dict[str, int]]:
    _, variant, _version, parameters, _salt, _digest = stored_hash.split("$")
    return variant, {k: int(v) for k, v in (p.split("=") for p in parameters.split(","))}


def test_password_hash_is_argon2id_with_owasp_parameters(user):
    variant, parameters = argon2_parameters(user.password_hash)
    assert variant == "argon2id"
    assert parameters["m"] >= 19_456 and parameters["t"] >= 2
    assert PASSWORD not in user.password_hash


def test_weaker_hash_is_upgraded_at_login(client, user):
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    db.session.commit()
    assert argon2_parameters(user.password_hash)[1]["m"] == 8192

    assert login(client).status_code == 302

    variant, parameters = argon2_parameters(reload(user).password_hash)
    assert variant == "argon2id"
    assert parameters["m"] >= 19_456 and parameters["t"] >= 2
    assert login(new_client(client.application)).status_code == 302  # still the same password


def test_wrong_current_passwords_are_throttled_like_logins(client, user):
    login(client)
    for _ in range(5):
        assert change_password(client, NEW_PASSWORD, current="Pas-le-bon-2026").status_code == 400
    assert change_password(client, NEW_PASSWORD).status_code == 429
    assert verify_password(reload(user).password_hash, PASSWORD)[0]
