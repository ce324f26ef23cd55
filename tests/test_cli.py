"""`flask tenants create` and `flask users create`: good input works; bad input names the option
at fault, exits non-zero and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.territory import TerritoryCommune
from app.models.user import Role, RoleGrant, User
from app.tenants.context import unscoped
from app.tenants.models import Tenant
from tests.factories import NARBONNE, PASSWORD, make_tenant

GRAND_NARBONNE = "241100593"  # CA Le Grand Narbonne: 37 communes


def count(model) -> int:
    with unscoped("test: count every row"):
        return db.session.scalar(select(func.count()).select_from(model))


def written() -> tuple[int, ...]:
    return tuple(count(model) for model in (Tenant, TerritoryCommune, AuditEvent, User, RoleGrant))


def create_tenant(runner, *options: str):
    return runner.invoke(
        args=["tenants", "create", "--slug", "cpts-test", "--name", "CPTS Test", *options]
    )


def test_create_tenant_from_an_epci(app, runner):
    result = create_tenant(runner, "--epci", GRAND_NARBONNE)

    assert result.exit_code == 0, result.output
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "cpts-test"))
    assert (tenant.name, tenant.population, tenant.size_class) == ("CPTS Test", 134_606, "T3")
    assert (tenant.region_code, tenant.department_code) == ("76", "11")
    assert count(TerritoryCommune) == 37
    assert "37 communes, 134606 habitants (T3)" in result.output


def test_create_tenant_from_communes_with_its_registry_data(app, runner):
    result = create_tenant(
        runner,
        "--communes",
        "34003,34031",
        "--siren",
        "732829320",
        "--finess",
        "340780477",
        "--seat",
        "34003",
        "--stage",
        "aci_signe",
        "--email",
        "contact@cpts-test.fr",
    )

    assert result.exit_code == 0, result.output
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "cpts-test"))
    assert (tenant.population, tenant.size_class, tenant.region_code) == (35_777, "T1", "76")
    assert (tenant.siren, tenant.finess, tenant.seat_commune_code) == (
        "732829320",
        "340780477",
        "34003",
    )
    assert tenant.declared_stage.value == "aci_signe"
    assert count(TerritoryCommune) == 2


def test_repeated_communes_options_are_merged(app, runner):
    result = create_tenant(runner, "--communes", "34003", "--communes", "34031")
    assert result.exit_code == 0, result.output
    assert count(TerritoryCommune) == 2


def test_creation_reports_overlaps_with_other_tenants(app, runner):
    make_tenant("cpts-agde", ("34003",), name="CPTS Agde")
    result = create_tenant(runner, "--communes", "34003,34031")
    assert result.exit_code == 0, result.output
    assert "chevauchement : Agde (34003) appartient aussi à CPTS Agde" in result.output


@pytest.mark.parametrize(
    ("options", "option_named", "message"),
    [
        (["--communes", "34003", "--epci", GRAND_NARBONNE], "--communes", "l'un des deux"),
        ([], "--communes", "l'un des deux"),
        (["--communes", "34003,99999"], "--communes", "Code(s) INSEE inconnu(s) : 99999"),
        (["--communes", ","], "--communes", "au moins une commune"),
        (["--epci", "123456789"], "--epci", "SIREN d'EPCI inconnu(s) : 123456789"),
        (["--communes", "34003", "--siren", "732829321"], "--siren", "clé de contrôle incorrecte"),
        (["--communes", "34003", "--siren", "12345"], "--siren", "exactement 9 chiffres"),
        (["--communes", "34003", "--finess", "2C0000014"], "--finess", "FINESS"),
        (["--communes", "34003", "--region", "99"], "--region", "Région inconnue"),
        (["--communes", f"34003,{NARBONNE},25056"], "--region", "Région inconnue ou ambiguë"),
        (["--communes", "34003", "--seat", NARBONNE], "--seat", "doit faire partie du territoire"),
        (
            ["--communes", "34003", "--email", "pas-une-adresse"],
            "--email",
            "Adresse e-mail invalide.",
        ),
    ],
)
def test_bad_tenant_input_names_the_option_and_writes_nothing(
    app, runner, options, option_named, message
):
    before = written()

    result = create_tenant(runner, *options)

    assert result.exit_code != 0
    assert f"{option_named} : " in result.output
    assert message in result.output
    assert "rien n'a été écrit" in result.output
    assert written() == before


@pytest.mark.parametrize("slug", ["Bad Slug!", "cpts_test", "-cpts", "x"])
def test_bad_slug_is_refused(app, runner, slug):
    before = written()
    result = runner.invoke(
        args=["tenants", "create", "--slug", slug, "--name", "CPTS Test", "--communes", "34003"]
    )
    assert result.exit_code != 0
    assert "--slug : " in result.output
    assert written() == before


def test_duplicate_slug_siren_or_finess_is_refused(app, runner):
    make_tenant("cpts-test", siren="732829320", finess="340780477")
    before = written()

    result = runner.invoke(
        args=[
            "tenants",
            "create",
            "--slug",
            "cpts-test",
            "--name",
            "CPTS Doublon",
            "--communes",
            "34003",
            "--siren",
            "732829320",
            "--finess",
            "340780477",
        ]
    )

    assert result.exit_code != 0
    assert "--slug : Cet identifiant est déjà utilisé par une autre CPTS." in result.output
    assert "--siren : Ce SIREN est déjà utilisé" in result.output
    assert "--finess : Ce FINESS est déjà utilisé" in result.output
    assert written() == before


def test_missing_required_option_is_named(app, runner):
    before = written()
    result = runner.invoke(args=["tenants", "create", "--slug", "cpts-test", "--communes", "34003"])
    assert result.exit_code != 0
    assert "--name" in result.output
    assert written() == before


def test_tenants_list_shows_each_tenant(app, runner):
    make_tenant("cpts-test")
    result = runner.invoke(args=["tenants", "list"])
    assert result.exit_code == 0
    assert result.output.split() == ["cpts-test", "76", "emergence", "57587", "T2"]


@pytest.mark.parametrize(
    ("role", "scope", "expected"),
    [
        ("admin", [], (None, None, None)),
        ("ars", ["--region", "76"], ("76", None, None)),
        ("president", ["--tenant", "cpts-test"], (None, None, "cpts-test")),
        ("coordinator", ["--tenant", "cpts-test"], (None, None, "cpts-test")),
        ("viewer", ["--tenant", "cpts-test"], (None, None, "cpts-test")),
    ],
)
def test_create_user_with_each_role_in_its_scope(app, runner, role, scope, expected):
    make_tenant("cpts-test")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Someone@Test.fr",
            "--password",
            PASSWORD,
            "--role",
            role,
            *scope,
        ]
    )

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "someone@test.fr"))
    [grant] = user.grants
    assert grant.role == Role(role)
    assert (
        grant.region_code,
        grant.department_code,
        grant.tenant and grant.tenant.slug,
    ) == expected


def test_create_cpam_user_with_several_departments(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "cpam@test.fr",
            "--password",
            PASSWORD,
            "--role",
            "cpam",
            "--department",
            "11",
            "--department",
            "34",
        ]
    )

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "cpam@test.fr"))
    assert sorted((g.role.value, g.department_code) for g in user.grants) == [
        ("cpam", "11"),
        ("cpam", "34"),
    ]


@pytest.mark.parametrize(
    ("options", "option_named", "message"),
    [
        (["--role", "ars"], "--region", "obligatoire pour le rôle ars"),
        (["--role", "ars", "--region", "99"], "--region", "région inconnue : 99"),
        (["--role", "president"], "--tenant", "obligatoire pour le rôle president"),
        (["--role", "viewer", "--tenant", "inconnue"], "--tenant", "aucune CPTS « inconnue »"),
        (["--role", "cpam", "--region", "76"], "--region", "sans objet pour le rôle cpam"),
        (["--role", "cpam"], "--department", "obligatoire pour le rôle cpam"),
        (["--role", "cpam", "--department", "9Z"], "--department", "inconnu(s) : 9Z"),
        (["--role", "admin", "--tenant", "cpts-test"], "--tenant", "sans objet pour le rôle admin"),
        (["--role", "admin", "--password", "motdepasse123"], "--password", "trop courant"),
        (["--role", "admin", "--password", "court"], "--password", "au moins 12 caractères"),
        (["--role", "admin", "--email", "pas-une-adresse"], "--email", "Adresse e-mail invalide."),
        (
            ["--role", "admin", "--email", "jean dupont@test.fr"],
            "--email",
            "Adresse e-mail invalide.",
        ),
        (["--role", "admin", "--email", "a@b@test.fr"], "--email", "Adresse e-mail invalide."),
    ],
)
def test_bad_user_input_names_the_option_and_writes_nothing(
    app, runner, options, option_named, message
):
    make_tenant("cpts-test")
    before = written()

    result = runner.invoke(
        args=["users", "create", "--email", "u@test.fr", "--password", PASSWORD, *options]
    )

    assert result.exit_code != 0
    assert f"{option_named} : " in result.output
    assert message in result.output
    assert written() == before


def test_unknown_role_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "u@test.fr", "--password", PASSWORD, "--role", "root"]
    )
    assert result.exit_code != 0
    assert "--role" in result.output
    assert count(User) == 0


def test_users_create_is_audited(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "audit@test.fr",
            "--password",
            "Un-mot-de-passe-solide",
            "--role",
            "ars",
            "--region",
            "76",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["user_created", "role_granted"]
