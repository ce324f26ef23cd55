"""Importing members from the spreadsheets French offices produce: preview first, then the valid
rows or nothing; existing members updated, never duplicated; what is not a table refused."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.columns import utcnow
from app.demo import EXAMPLE_IMPORT
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.member import Member, Profession
from app.models.member_import import ImportStatus, MemberImport
from app.models.user import Role
from app.services import imports
from app.tenants.context import tenant_bound
from tests.conftest import UPLOADS, RequestIsolatingClient
from tests.factories import make_tenant, make_user

IMPORT = "/t/cpts-a/membres/import"
HEADER = "Nom;Prénom;Profession;N° RPPS;Date d'adhésion;Commune d'exercice\r\n"


@pytest.fixture
def tenant(app):
    return make_tenant("cpts-a")  # Narbonne (11262)


@pytest.fixture
def client(app, tenant, auth):
    make_user("coord@test.fr", Role.COORDINATOR, tenant=tenant)
    auth.login("coord@test.fr")
    return auth.client


def upload(client, content: bytes, name: str = "membres.csv"):
    return client.post(IMPORT, data={"file": (io.BytesIO(content), name)})


def members(tenant) -> list[Member]:
    db.session.expire_all()
    with tenant_bound(tenant.id):
        return list(db.session.scalars(select(Member).order_by(Member.last_name)))


def imported(client, content: bytes, mode: str = "valid", name: str = "membres.csv"):
    response = upload(client, content, name)
    assert response.status_code == 302, unescape(response.get_data(as_text=True))[-2000:]
    preview = response.location
    return client.post(f"{preview}/confirmer", data={"mode": mode}), preview


def page_text(response) -> str:
    """The page as it reads: tags removed, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return unescape(re.sub(r"\s+", " ", text))


def test_the_example_file_previews_two_mistakes_then_imports_the_six_good_rows(client, tenant):
    response = upload(client, EXAMPLE_IMPORT.read_bytes(), "exemple.csv")
    preview = client.get(response.location)
    text = page_text(preview)

    assert preview.status_code == 200
    assert "Le RPPS comporte exactement 11 chiffres." in text
    assert "Date illisible : attendue au format jj/mm/aaaa." in text and "31/02/2025" in text
    assert members(tenant) == []  # nothing written before the user decides

    done = client.post(f"{response.location}/confirmer", data={"mode": "valid"})

    assert done.status_code == 302
    names = [m.last_name for m in members(tenant)]
    assert names == ["Bertrand", "Garcia", "Martinez", "Moreau", "Petit", "Roux"]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "members_imported"))
    assert event.details["new"] == 6 and event.details["error"] == 2


def test_all_or_nothing_writes_nothing_when_a_row_is_wrong(client, tenant):
    response, preview = imported(client, EXAMPLE_IMPORT.read_bytes(), mode="all")

    assert response.status_code == 400
    assert "rien n'est importé" in page_text(response)
    assert members(tenant) == []
    assert client.get(preview).status_code == 200  # still waiting for a decision


@pytest.mark.parametrize(
    "encoding, separator",
    [("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", ";"), ("cp1252", "\t")],
)
def test_office_csv_flavours_are_read(client, tenant, encoding, separator):
    rows = [
        ["Nom", "Prénom", "Métier", "Identifiant RPPS", "Adhérent depuis"],
        ["Lefèvre", "Hélène", "IDE", "10003456789", "03/04/2024"],
        ["Éluard", "Noël", "kiné", "", "2024-05-06"],
        ["Dâche", "Zoé", "Médecin généraliste", "", "07/06/2024"],
    ]
    content = "\r\n".join(separator.join(r) for r in rows).encode(encoding)

    imported(client, content)

    found = {m.last_name: m for m in members(tenant)}
    assert set(found) == {"Lefèvre", "Éluard", "Dâche"}
    assert found["Lefèvre"].profession == Profession.NURSE
    assert found["Lefèvre"].joined_on == date(2024, 4, 3)
    assert found["Éluard"].profession == Profession.PHYSIO
    assert found["Dâche"].first_name == "Zoé"


def test_xlsx_is_read_with_real_dates_and_numbers(client, tenant):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NOM", "prénom", "Profession", "N° RPPS", "Date d'adhésion"])
    sheet.append(["Morel", "Paul", "Pharmacien", 10003456789, date(2023, 9, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    imported(client, buffer.getvalue(), name="membres.xlsx")

    [member] = members(tenant)
    assert (member.rpps, member.joined_on, member.profession) == (
        "10003456789",
        date(2023, 9, 1),
        Profession.PHARMACIST,
    )


def test_a_known_rpps_updates_the_member_instead_of_duplicating_it(client, tenant):
    first = HEADER + "Morel;Paul;MG;10003456789;01/09/2023;11262\r\n"
    imported(client, first.encode())
    again = HEADER + "Morel;Paul;MG;10003456789;01/09/2023;11203\r\n"
    response = upload(client, again.encode())
    text = page_text(client.get(response.location))
    assert "mise à jour" in text and "Commune d'exercice" in text
    assert "hors du territoire" in text  # a warning, shown, not a refusal

    client.post(f"{response.location}/confirmer", data={"mode": "valid"})

    [member] = members(tenant)
    assert member.practice_commune_code == "11203"


def test_a_failed_rpps_key_is_a_warning_never_a_refusal(client, tenant):
    content = HEADER + "Morel;Paul;MG;10003456788;01/09/2023;\r\n"
    response = upload(client, content.encode())
    assert "Clé de contrôle du RPPS incorrecte" in page_text(client.get(response.location))
    client.post(f"{response.location}/confirmer", data={"mode": "all"})
    assert [m.rpps for m in members(tenant)] == ["10003456788"]


def test_the_same_rpps_twice_in_a_file_is_an_error_on_the_second_row(client, tenant):
    content = HEADER + "A;B;MG;10003456789;01/09/2023;\r\nC;D;MG;10003456789;01/09/2023;\r\n"
    response = upload(client, content.encode())
    assert "Même RPPS qu'à la ligne 2." in page_text(client.get(response.location))


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "vide.csv", "Le fichier est vide."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "photo.csv", "fichier binaire"),
        (b"<!doctype html><html><body>x</body></html>", "page.csv", "page web"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ancien.xls", "Ancien format Excel"),
        (b"a;b;c\r\n1;2;3\r\n", "chiffres.csv", "Aucun en-tête reconnu"),
        (b"Nom;Prenom\r\nA;B\r\n", "partiel.csv", "Colonne(s) obligatoire(s) absente(s)"),
        (b"PK\x03\x04not really a zip", "faux.xlsx", "illisible"),
    ],
)
def test_what_is_not_a_table_is_refused_and_nothing_is_kept(client, tenant, content, name, message):
    response = upload(client, content, name)

    assert response.status_code == 400
    assert message in page_text(response)
    with tenant_bound(tenant.id):
        assert db.session.scalar(select(func.count()).select_from(MemberImport)) == 0
    assert members(tenant) == []


def test_a_file_over_five_megabytes_is_answered_413_in_french(client):
    response = upload(client, b"Nom;Prenom\r\n" + b"x;y\r\n" * 1_100_000)
    assert response.status_code == 413
    assert "Fichier trop volumineux" in page_text(response)


def test_more_than_twenty_thousand_rows_are_refused(client):
    content = HEADER + "A;B;MG;;01/09/2023;\r\n" * 20_001
    response = upload(client, content.encode())
    assert response.status_code == 400
    assert "dépasse 20000 lignes" in page_text(response).replace("\u202f", "")


def test_a_long_file_is_checked_and_imported_by_a_job_and_leaves_no_file(app, extra_app, tenant):
    small_jobs = extra_app(IMPORT_SYNC_ROWS=2)
    client = RequestIsolatingClient(small_jobs, small_jobs.response_class)
    make_user("coord@test.fr", Role.COORDINATOR, tenant=tenant)
    client.post("/login", data={"email": "coord@test.fr", "password": "Test-password-2026!"})
    content = HEADER + "".join(f"Nom{i};P;IDE;;01/09/2023;\r\n" for i in range(5))

    response, preview = imported(client, content.encode())

    assert response.status_code == 302
    assert len(members(tenant)) == 5
    with tenant_bound(tenant.id):
        record = db.session.scalar(select(MemberImport))
        assert record.status == ImportStatus.DONE and record.job_id is not None
        stored = record.stored_name
    assert not list(UPLOADS.glob(f"{stored}*"))


def test_an_import_nobody_confirms_is_forgotten_after_a_day(client, tenant):
    response = upload(client, EXAMPLE_IMPORT.read_bytes())
    with tenant_bound(tenant.id):
        record = db.session.scalar(select(MemberImport))
        record.expires_at = utcnow().replace(year=2020)
        stored = record.stored_name
        db.session.commit()
    assert list(UPLOADS.glob(f"{stored}*"))

    assert imports.sweep(tenant) == 1
    db.session.commit()

    assert not list(UPLOADS.glob(f"{stored}*"))
    assert "annulé ou a expiré" in page_text(client.get(response.location))


def test_the_command_line_import(app, runner, tenant, tmp_path):
    path = tmp_path / "membres.csv"
    path.write_bytes(EXAMPLE_IMPORT.read_bytes())

    dry = runner.invoke(args=["members", "import", "--tenant", "cpts-a", str(path)])
    assert dry.exit_code == 0, dry.output
    assert "ligne 5, RPPS : Le RPPS comporte exactement 11 chiffres. (erreur)" in dry.output
    assert "ligne 6, Date d'adhésion" in dry.output
    assert members(tenant) == []

    strict = runner.invoke(
        args=["members", "import", "--tenant", "cpts-a", str(path), "--commit", "--all-or-nothing"]
    )
    assert strict.exit_code != 0 and members(tenant) == []

    done = runner.invoke(args=["members", "import", "--tenant", "cpts-a", str(path), "--commit"])
    assert done.exit_code == 0, done.output
    assert len(members(tenant)) == 6


def test_export_then_import_changes_nothing(client, tenant):
    imported(client, EXAMPLE_IMPORT.read_bytes())
    before = [(m.id, m.last_name, m.rpps, m.joined_on, m.place) for m in members(tenant)]
    for kind in ("csv", "xlsx"):
        exported = client.get(f"/t/cpts-a/membres/export.{kind}")
        assert exported.status_code == 200
        response = upload(client, exported.get_data(), f"export.{kind}")
        text = page_text(client.get(response.location))
        assert "Lignes en erreur 0" in text, text[:3000]
        client.post(f"{response.location}/confirmer", data={"mode": "all"})
        after = [(m.id, m.last_name, m.rpps, m.joined_on, m.place) for m in members(tenant)]
        assert after == before, kind
