"""French by default, English on request; numbers follow the language."""

from __future__ import annotations

from app.models.user import Role
from tests.factories import PASSWORD, make_tenant, make_user


def test_french_by_default_and_english_on_request(app, client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Se connecter" in page
    client.post("/langue", data={"lang": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page and "Se connecter" not in page
    assert "Email address" in page or "E-mail address" in page


def test_an_unknown_language_falls_back_to_french(app, client):
    client.post("/langue", data={"lang": "xx"})
    assert '<html lang="fr">' in client.get("/login").get_data(as_text=True)


def test_stage_labels_and_numbers_follow_the_language(app, client, auth):
    tenant = make_tenant("cpts-a", ("11262",), declared_stage="aci_signe")
    make_user("p@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login("p@test.fr")
    population = f"{tenant.population:,}"
    french = client.get("/t/cpts-a/").get_data(as_text=True)
    assert "ACI signé" in french and population.replace(",", "\u202f") in french
    client.post("/langue", data={"lang": "en"})
    english = client.get("/t/cpts-a/").get_data(as_text=True)
    assert "ACI signed" in english and population in english


def test_every_ui_string_has_an_english_translation():
    """A string added to the UI without its translation fails here (run `make messages`)."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "_l": None, "N_": None, "ngettext": (1, 2)}
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            root / "app", method_map, keywords=keywords
        )
    }
    with (root / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)

    def translated(message: str) -> bool:
        entry = catalog.get(message)
        strings = (
            entry.string if entry and isinstance(entry.string, tuple) else (entry and entry.string,)
        )
        return bool(entry) and all(strings)

    missing = sorted(m for m in found if not translated(m))
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert missing == [] and fuzzy == []


def test_refusals_speak_the_language_of_the_page(app, client, auth):
    """Messages of the services are translated where they are shown, not fixed in French."""
    tenant = make_tenant("cpts-a", ("11262",))
    make_user("p@test.fr", Role.PRESIDENT, tenant=tenant)
    client.post("/langue", data={"lang": "en"})

    refused = client.post("/login", data={"email": "p@test.fr", "password": "Wrong-2026-pass"})
    assert "Wrong e-mail address or password." in refused.get_data(as_text=True)
    auth.login("p@test.fr")
    unknown = client.post("/t/cpts-a/territoire", data={"communes": "99999"})
    assert "Unknown INSEE code(s): 99999" in unknown.get_data(as_text=True)
    weak = client.post(
        "/compte/mot-de-passe",
        data={"current_password": PASSWORD, "new_password": "short", "confirm": "short"},
    )
    assert "The password must have at least 12 characters." in weak.get_data(as_text=True)
