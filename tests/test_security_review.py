"""The twelve findings of the foundation's security review, one section each: every test here
failed on the foundation and passes now (on SQLite and PostgreSQL where the engine matters)."""

from __future__ import annotations

import http.cookiejar
import json
import logging
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import Invitation, Role, RoleGrant, User
from app.services import access, users
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant
from tests.conftest import RequestIsolatingClient
from tests.factories import AGDE, NARBONNE, PASSWORD, make_tenant, make_user

USERS_PAGE = "/t/cpts-a/utilisateurs"
NEW_PASSWORD = "Une phrase de passe 2026 !"
LINK = re.compile(r"http://localhost/invitation/[A-Za-z0-9_-]+")
PARIS = "75056"


def new_client(app) -> RequestIsolatingClient:
    return RequestIsolatingClient(app, app.response_class)


def login(client, email: str, password: str = PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def invite(client, email: str, role: str = "viewer"):
    return client.post(USERS_PAGE, data={"email": email, "role": role})


def shown_link(client) -> str:
    """The link flashed to the inviting president (no mail server is configured)."""
    return LINK.search(client.get(USERS_PAGE).get_data(as_text=True)).group(0)


def join(client, link: str, password: str = NEW_PASSWORD):
    return client.post(
        link, data={"full_name": "Nouvelle Personne", "password": password, "confirm": password}
    )


def reload_user(email: str) -> User:
    db.session.expire_all()
    return users.find_user(email)


@pytest.fixture
def tenant(app):
    return make_tenant("cpts-a", (NARBONNE,))


@pytest.fixture
def president(tenant):
    return make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)


@pytest.fixture
def president_client(app, president):
    client = new_client(app)
    login(client, president.email)
    return client


# 1. A pending invitation dies with its sender's access


def test_deactivating_a_president_revokes_the_invitations_they_sent(app, tenant, president):
    other = make_user("president.2@test.fr", Role.PRESIDENT, tenant=tenant)
    first = new_client(app)
    login(first, president.email)
    invite(first, "mon-autre-adresse@test.fr", role="president")
    link = shown_link(first)
    second = new_client(app)
    login(second, other.email)
    grant = db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == president.id))

    assert second.post(f"{USERS_PAGE}/{grant.id}/desactiver").status_code == 302

    assert new_client(app).get(link).status_code == 404
    assert join(new_client(app), link).status_code == 404
    assert users.find_user("mon-autre-adresse@test.fr") is None
    assert "mon-autre-adresse@test.fr" not in second.get(USERS_PAGE).get_data(as_text=True)
    [revoked] = audited("invitation_revoked")
    assert revoked.details["reason"] == "inviter_deactivated"


def test_acceptance_checks_the_sender_may_still_manage_users(app, tenant, president_client):
    invite(president_client, "nouvelle@test.fr")
    link = shown_link(president_client)
    grant = db.session.scalar(select(RoleGrant).where(RoleGrant.role == Role.PRESIDENT))
    grant.active = False  # access lost some other way than through the users page
    db.session.commit()

    assert join(new_client(app), link).status_code == 404
    assert users.find_user("nouvelle@test.fr") is None


def test_pending_invitations_are_listed_with_a_revoke_action(app, tenant, president_client):
    invite(president_client, "nouvelle@test.fr")
    link = shown_link(president_client)
    with tenant_bound(tenant.id):
        invitation_id = db.session.scalar(select(Invitation.id))
    page = president_client.get(USERS_PAGE).get_data(as_text=True)
    revoke = f"/t/cpts-a/invitations/{invitation_id}/revoquer"
    assert revoke in page and "president@test.fr" in page  # who sent it

    assert president_client.post(revoke).status_code == 302

    assert new_client(app).get(link).status_code == 404
    assert revoke not in president_client.get(USERS_PAGE).get_data(as_text=True)


# 2. Accounts claimed through invitation links


@pytest.fixture
def mail_server():
    from tests.test_mail import Inbox, smtp_controller

    inbox = Inbox()
    with smtp_controller(inbox) as (host, port):
        yield host, port, inbox


def test_with_a_mail_server_the_link_goes_to_the_invitee_only(
    app, extra_app, president, mail_server, caplog
):
    host, port, inbox = mail_server
    caplog.set_level(logging.DEBUG)
    mailing = extra_app(MAIL_SERVER=host, MAIL_PORT=port)
    client = RequestIsolatingClient(mailing, mailing.response_class)
    login(client, president.email)

    invite(client, "nouvelle@test.fr")

    page = client.get(USERS_PAGE).get_data(as_text=True)
    [message] = inbox.messages
    token = re.search(r"/invitation/(\S+)", message.get_payload(decode=True).decode()).group(1)
    assert "/invitation/" not in page and token not in page
    assert not any(token in r.getMessage() for r in caplog.records if r.name.startswith("app"))
    # Nor is it shown when the mail cannot be sent: the invitation is cancelled instead.
    unreachable = extra_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    client = RequestIsolatingClient(unreachable, unreachable.response_class)
    login(client, president.email)
    invite(client, "autre@test.fr")
    assert "/invitation/" not in client.get(USERS_PAGE).get_data(as_text=True)


def test_an_account_created_from_a_shown_link_is_unverified(app, president_client, runner):
    invite(president_client, "futur.ars@test.fr")
    join(new_client(app), shown_link(president_client))
    account = reload_user("futur.ars@test.fr")
    assert account.email_verified_at is None
    assert account.created_via == "invitation_shown"
    assert account.created_by_id == reload_user("president@test.fr").id

    refused = runner.invoke(
        args=["users", "create", "--email", "futur.ars@test.fr", "--password", NEW_PASSWORD]
        + ["--role", "ars", "--region", "76"]
    )

    assert refused.exit_code != 0
    assert "president@test.fr" in refused.output
    assert "lien d'invitation affiché" in refused.output and "NON vérifiée" in refused.output
    assert [g.role for g in reload_user("futur.ars@test.fr").grants] == [Role.VIEWER]
    granted = runner.invoke(
        args=["users", "create", "--email", "futur.ars@test.fr", "--password", NEW_PASSWORD]
        + ["--role", "ars", "--region", "76", "--allow-unverified"]
    )
    assert granted.exit_code == 0, granted.output
    assert Role.ARS in {g.role for g in reload_user("futur.ars@test.fr").grants}


def test_the_owner_of_the_address_takes_back_an_unverified_account(
    app, extra_app, president_client, mail_server
):
    invite(president_client, "victime@test.fr")
    squatter = new_client(app)
    join(squatter, shown_link(president_client), password="Mot de passe du squatteur 1")
    host, port, inbox = mail_server
    mailing = extra_app(MAIL_SERVER=host, MAIL_PORT=port)
    other_president = make_user("president.b@test.fr", Role.PRESIDENT, tenant=make_tenant("cpts-b"))
    client = RequestIsolatingClient(mailing, mailing.response_class)
    login(client, other_president.email)
    client.post("/t/cpts-b/utilisateurs", data={"email": "victime@test.fr", "role": "viewer"})
    [message] = inbox.messages
    link = re.search(r"http://localhost/invitation/\S+", message.get_payload(decode=True).decode())

    owner = RequestIsolatingClient(mailing, mailing.response_class)
    assert join(owner, link.group(0)).status_code == 302

    account = reload_user("victime@test.fr")
    assert account.email_verified_at is not None
    assert squatter.get("/t/cpts-a/").status_code == 302  # the squatter's session is over
    assert (
        login(new_client(app), "victime@test.fr", "Mot de passe du squatteur 1").status_code == 401
    )
    assert owner.get("/t/cpts-b/").status_code == 200
    assert audited("account_claimed")


# 3. Territory edits cannot move a CPTS between CPAM scopes


@pytest.fixture
def coordinator_client(app, tenant):
    make_user("coordinator@test.fr", Role.COORDINATOR, tenant=tenant)
    client = new_client(app)
    login(client, "coordinator@test.fr")
    return client


def test_communes_outside_the_region_are_refused(app, tenant, coordinator_client):
    cpam = new_client(app)
    make_user("cpam.aude@test.fr", Role.CPAM, departments=("11",))
    login(cpam, "cpam.aude@test.fr")

    response = coordinator_client.post("/t/cpts-a/territoire", data={"communes": PARIS})

    assert response.status_code == 400
    assert "Paris (75056)" in unescape(response.get_data(as_text=True))
    assert "hors de la région" in unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Tenant, tenant.id).department_code == "11"
    assert cpam.get("/t/cpts-a/").status_code == 200


def test_the_cpts_cannot_change_its_department_of_attachment(app, tenant, coordinator_client):
    # The whole EPCI of Agde (Hérault) outweighs Narbonne: the attachment still does not move.
    coordinator_client.post("/t/cpts-a/territoire", data={"epci": "243400769"})
    db.session.expire_all()
    assert db.session.get(Tenant, tenant.id).population > 100_000
    assert db.session.get(Tenant, tenant.id).department_code == "11"
    page = unescape(coordinator_client.get("/t/cpts-a/territoire").get_data(as_text=True))
    assert "Seule l'ARS (ou un administrateur) peut changer le rattachement" in page

    assert (
        coordinator_client.post(
            "/t/cpts-a/territoire/rattachement", data={"department_code": "34"}
        ).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.get(Tenant, tenant.id).department_code == "11"


def test_the_ars_changes_the_attachment_and_it_is_audited(app, tenant, coordinator_client):
    coordinator_client.post("/t/cpts-a/territoire", data={"epci": "243400769"})
    make_user("ars@test.fr", Role.ARS, region="76")
    ars = new_client(app)
    login(ars, "ars@test.fr")

    response = ars.post("/t/cpts-a/territoire/rattachement", data={"department_code": "34"})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Tenant, tenant.id).department_code == "34"
    [event] = audited("tenant_reattached")
    assert event.actor_email == "ars@test.fr" and event.details == {"department_code": ["11", "34"]}
    refused = ars.post("/t/cpts-a/territoire/rattachement", data={"department_code": "75"})
    assert refused.status_code == 400


def test_tenants_create_checks_the_region_against_the_communes(app, runner):
    result = runner.invoke(
        args=["tenants", "create", "--slug", "cpts-x", "--name", "CPTS X", "--communes", NARBONNE]
        + ["--region", "27"]
    )
    assert result.exit_code != 0 and "hors de la région 27" in result.output
    assert db.session.scalar(select(func.count()).select_from(Tenant)) == 0


# 4. The login throttle counts atomically, against a real server process


def _attempt_in_parallel(base: str, email: str, attempts: int) -> list[int]:
    barrier = threading.Barrier(attempts)

    def attempt(_index: int) -> int:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(f"{base}/login", timeout=30).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode(
            {"email": email, "password": "Pas-le-bon-2026", "csrf_token": token}
        ).encode()
        barrier.wait(timeout=60)
        try:
            return opener.open(f"{base}/login", data=data, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(attempts) as pool:
        return list(pool.map(attempt, range(attempts)))


def test_thirty_parallel_wrong_passwords_check_at_most_five(app, president, server_process):
    statuses = _attempt_in_parallel(server_process, president.email, 30)

    assert set(statuses) <= {401, 429} and len(statuses) == 30
    db.session.expire_all()
    checked = len(audited("login_failed"))
    # A burst may be refused whole (each attempt sees the others counted): never more than 5.
    assert checked <= 5, f"{checked} passwords checked against a limit of 5"
    assert statuses.count(401) == checked
    assert len(audited("login_throttled")) == 30 - checked


# 5. Nobody can lock someone else's account


def test_wrong_passwords_from_one_address_do_not_lock_out_another(app, president):
    attacker = new_client(app)
    for _ in range(6):
        login(attacker, president.email, "Pas-le-bon-2026", environ_base={"REMOTE_ADDR": "6.6.6.6"})
    assert (
        login(attacker, president.email, environ_base={"REMOTE_ADDR": "6.6.6.6"}).status_code == 429
    )

    owner = new_client(app)
    assert (
        login(owner, president.email, environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 302
    )


def test_beyond_the_account_ceiling_new_addresses_are_slowed_known_ones_are_not(
    app, extra_app, president
):
    ceiling = extra_app(LOGIN_ACCOUNT_CEILING=3)
    home = RequestIsolatingClient(ceiling, ceiling.response_class)
    assert login(home, president.email, environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 302
    for address in ("6.0.0.1", "6.0.0.2", "6.0.0.3", "6.0.0.4"):
        login(
            new_client(ceiling), president.email, "Faux-2026", environ_base={"REMOTE_ADDR": address}
        )

    stranger = login(new_client(ceiling), president.email, environ_base={"REMOTE_ADDR": "6.0.0.9"})
    known = login(new_client(ceiling), president.email, environ_base={"REMOTE_ADDR": "10.1.1.1"})

    assert stranger.status_code == 429  # slowed: one attempt per interval for new addresses
    assert known.status_code == 302  # the owner, from where they signed in before, gets in


# 6. The invitation page tells nothing about existing accounts


def _page_without_secrets(html: str, token: str) -> str:
    html = re.sub(r'name="csrf_token"[^>]*', "", html)
    return re.sub(r"(invitation/|next=%2Finvitation%2F)[A-Za-z0-9_-]+", "", html.replace(token, ""))


def test_the_invitation_page_is_the_same_whether_or_not_an_account_exists(app, president_client):
    make_user("existe@test.fr", Role.VIEWER, tenant=make_tenant("cpts-b"))
    pages = []
    for email in ("existe@test.fr", "inconnue@test.fr"):
        invite(president_client, email, role="coordinator")
        link = shown_link(president_client)
        response = new_client(app).get(link)
        assert response.status_code == 200
        token = link.rsplit("/", 1)[1]
        html = response.get_data(as_text=True)
        pages.append(_page_without_secrets(html, token).replace(email, "EMAIL"))
    assert pages[0] == pages[1]


# 7. Links follow the configured base URL, never the Host header


def test_unknown_hosts_are_refused(app, president_client):
    response = president_client.post(
        USERS_PAGE, data={"email": "x@test.fr", "role": "viewer"}, headers={"Host": "evil.example"}
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_invitation_links_start_with_the_base_url(app, extra_app, president):
    configured = extra_app(BASE_URL="https://observatoire.example.fr")
    client = RequestIsolatingClient(configured, configured.response_class)
    login(client, president.email)
    invite(client, "x@test.fr")
    page = client.get(USERS_PAGE).get_data(as_text=True)
    assert "https://observatoire.example.fr/invitation/" in page
    assert "http://localhost/invitation/" not in page


def test_production_needs_a_base_url(monkeypatch):
    from app import create_app
    from app.config import ConfigError

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="BASE_URL"):
        create_app()


# 8. Texts given to plotly are escaped; two CPTS cannot share a name


def test_a_link_in_a_cpts_name_is_not_a_link_in_the_chart(app, auth):
    hostile = '<a href="https://evil.example">Cliquez</a>'
    make_tenant("hostile", (AGDE,), name=hostile)
    make_user("ars@test.fr", Role.ARS, region="76")
    auth.login("ars@test.fr")
    html = auth.client.get("/region/76/").get_data(as_text=True)
    source = re.search(r'<script type="application/json" id="figure-membres">(.*?)</script>', html)
    figure = json.loads(source.group(1))
    labels = json.dumps(figure["data"])
    assert "<a" not in labels and "&lt;a href" in labels


def test_two_cpts_cannot_share_a_name(app, runner):
    make_tenant("premiere", (AGDE,), name="CPTS du Littoral")
    result = runner.invoke(
        args=["tenants", "create", "--slug", "seconde", "--name", "cpts du littoral "]
        + ["--communes", NARBONNE]
    )
    assert result.exit_code != 0 and "Ce nom est déjà utilisé" in result.output


# 9. Log lines cannot be forged and carry no secret


def test_an_encoded_newline_cannot_forge_a_log_line(app, client, caplog):
    caplog.set_level(logging.INFO, logger="app.access")
    client.get("/t/a%0a2026-11-25 INFO app.audit forged/")
    [line] = [r for r in caplog.records if r.name == "app.access"]
    assert "\n" not in line.getMessage() and "\\x0a" in line.getMessage()


def test_invitation_tokens_are_redacted_in_the_logs(app, tenant, president, caplog):
    caplog.set_level(logging.INFO)
    _invitation, token = access.invite(tenant, "x@test.fr", Role.VIEWER, president)
    db.session.commit()
    new_client(app).get(f"/invitation/{token}")
    new_client(app).get(f"/login?next=%2Finvitation%2F{token}")
    assert token not in caplog.text
    assert "/invitation/[secret]" in caplog.text


# 10. A NUL byte is a bad request, never a server error


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("POST", "/login", {"email": "a\x00b@test.fr", "password": "x"}),
        ("GET", "/t/a%00b/", None),
        ("GET", "/region/7%006/", None),
        ("GET", "/login?next=%00", None),
    ],
)
def test_nul_bytes_get_400_anonymous(client, method, path, data):
    assert client.open(path, method=method, data=data).status_code == 400


def test_nul_bytes_get_400_signed_in(president_client):
    for path, data in (
        ("/t/cpts-a/identite", {"name": "CPTS\x00", "declared_stage": "emergence"}),
        ("/t/cpts-a/territoire", {"communes": "11\x00262"}),
        (USERS_PAGE, {"email": "x\x00@test.fr", "role": "viewer"}),
    ):
        assert president_client.post(path, data=data).status_code == 400, path
    assert president_client.get("/t/cpts-a/%00").status_code == 400


# 11. Nothing a signed-in user sees is cached


def test_pages_and_api_answers_are_not_stored(president_client):
    for path in ("/t/cpts-a/", "/api/v1/t/cpts-a/", USERS_PAGE, "/"):
        assert president_client.get(path).headers["Cache-Control"] == "no-store", path
    static = president_client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


# 12. Every denial is audited; the audit trail is append-only


def test_probing_another_cpts_grant_ids_is_audited(app, president_client):
    outsider = make_user("president.b@test.fr", Role.PRESIDENT, tenant=make_tenant("cpts-b"))
    grant = outsider.grants[0].id
    for probe in (grant, 999_999):
        assert president_client.post(f"{USERS_PAGE}/{probe}/desactiver").status_code == 404
    events = audited("access_denied")
    assert [e.status_code for e in events] == [404, 404]
    assert {e.details["path"] for e in events} == {
        f"{USERS_PAGE}/{grant}/desactiver",
        f"{USERS_PAGE}/999999/desactiver",
    }
    assert all(e.actor_email == "president@test.fr" for e in events)


def test_invitation_token_failures_are_audited_and_throttled(app, client):
    statuses = [client.get(f"/invitation/faux-jeton-{i}").status_code for i in range(11)]
    assert statuses == [404] * 10 + [429]
    refused = audited("invitation_link_refused")
    assert len(refused) == 10
    assert all("faux-jeton" not in json.dumps(e.details) for e in refused)
    assert audited("invitation_throttled")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET outcome = 'success'",
        "DELETE FROM audit_event",
        "UPDATE commune SET population = 0 WHERE code = '11262'",
        "INSERT INTO region (code, name) VALUES ('99', 'Nulle part')",
        "DELETE FROM epci",
        "UPDATE alembic_version SET version_num = 'x'",
    ],
)
def test_the_application_role_only_appends_to_the_audit_and_reads_the_referential(
    app, president, statement
):
    with pytest.raises(DBAPIError, match="permission denied"):
        with db.engine.begin() as connection:
            connection.execute(text(statement))
    with db.engine.begin() as connection:  # reading and appending still work
        assert connection.execute(text("SELECT count(*) FROM commune")).scalar_one() > 30_000
        connection.execute(
            text("INSERT INTO audit_event (at, action, outcome) VALUES (now(), 't', 's')")
        )
