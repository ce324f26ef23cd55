"""The signed-in user kept by the process (app.principals): no statement for them while the
accounts stand still; any change of an account or a grant, whoever writes it, moves the
accounts' version in its own transaction, and the kept copy is then read again."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import ProgrammingError

from app import principals
from app.extensions import db
from app.models.user import AccountVersion, Role
from app.sessions import end_all_sessions
from tests.factories import PASSWORD, make_tenant, make_user

PAGE = "/region/76/"


def _sent(engine, do) -> list[str]:
    statements: list[str] = []

    def keep(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        do()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return statements


def _stored_version() -> int:
    db.session.rollback()  # a fresh snapshot
    return db.session.scalar(select(AccountVersion.version))


def test_a_kept_user_costs_no_statement_and_a_revoked_grant_holds_at_once(app, auth):
    make_tenant("cpts-a")
    user = make_user("ars@test.fr", Role.ARS, region="76")
    auth.login("ars@test.fr")
    assert auth.client.get(PAGE).status_code == 200
    sent = _sent(db.engine, lambda: auth.client.get(PAGE))
    assert not [s for s in sent if "user_account" in s], sent
    [grant] = user.grants
    grant.active = False  # as an administrator revoking it would, from this process
    db.session.commit()
    assert auth.client.get(PAGE).status_code == 404


def test_a_change_written_outside_the_application_moves_the_version(app, auth):
    """Raw SQL on another connection (an operator's fix, another process): the triggers move the
    version with the change; a process reading it again refuses the deactivated account."""
    make_tenant("cpts-a")
    user = make_user("ars@test.fr", Role.ARS, region="76")
    auth.login("ars@test.fr")
    assert auth.client.get(PAGE).status_code == 200
    before = _stored_version()
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE role_grant SET active = active WHERE user_id = :id"),
                           {"id": user.id})  # fmt: skip
    assert _stored_version() == before + 1
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE user_account SET active = false WHERE id = :id"),
                           {"id": user.id})  # fmt: skip
    assert _stored_version() == before + 2
    principals.forget()  # half a second later, as far as this process is concerned
    response = auth.client.get(PAGE)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_rolled_back_change_leaves_the_version_and_the_kept_user(app, auth):
    make_tenant("cpts-a")
    user = make_user("ars@test.fr", Role.ARS, region="76")
    before = _stored_version()
    user.full_name = "Jamais écrit"
    db.session.flush()
    db.session.rollback()
    assert _stored_version() == before


def test_the_kept_copy_holds_no_password_hash_and_the_password_still_changes(app, auth):
    make_tenant("cpts-a")
    make_user("ars@test.fr", Role.ARS, region="76")
    auth.login("ars@test.fr")
    assert auth.client.get(PAGE).status_code == 200  # the user is kept from here
    assert all("password_hash" not in values for values, _grants in _copies())
    new = "Un-autre-mot-de-passe-2026"
    response = auth.client.post("/compte/mot-de-passe", data={
        "current_password": PASSWORD, "new_password": new, "confirm": new})  # fmt: skip
    assert response.status_code == 302
    assert auth.client.get(PAGE).status_code == 200  # this session goes on
    auth.logout()
    assert auth.login("ars@test.fr", new).status_code == 302


def _copies() -> list:
    with principals._kept.lock:
        return [value for _at, value in principals._kept.items.values()]


def test_a_commit_of_this_process_during_a_read_of_the_version_is_not_lost(app):
    """Another thread of the process commits an account change while this one reads the
    version: the (older) read must not stand for the next half second."""
    reads: list[str] = []

    def commit_elsewhere(_conn, _cursor, statement, *_args):
        if "account_version" in statement:
            reads.append(statement)
            if len(reads) == 1:
                principals.forget()  # what the other thread's commit does

    principals.clear()
    event.listen(db.engine, "before_cursor_execute", commit_elsewhere)
    try:
        principals.accounts_version()
        principals.accounts_version()
    finally:
        event.remove(db.engine, "before_cursor_execute", commit_elsewhere)
    assert len(reads) == 2  # read again: the first read began before the commit


def test_a_sign_in_leaves_the_version_and_the_kept_copies(app, auth):
    make_tenant("cpts-a")
    make_user("ars@test.fr", Role.ARS, region="76")
    before = _stored_version()
    assert auth.login("ars@test.fr").status_code == 302  # its last login written
    assert _stored_version() == before


def test_a_session_that_wrote_an_account_neither_keeps_nor_takes_a_copy(app):
    """Its own uncommitted change (or one about to be rolled back) never names a version."""
    user = make_user("ars@test.fr", Role.ARS, region="76")
    [grant] = user.grants
    principals.clear()
    grant.active = False
    db.session.flush()
    db.session.expunge_all()
    assert principals.load(user.id).grants[0].active is False  # this session's own view
    assert _copies() == []
    db.session.rollback()
    assert principals.load(user.id).grants[0].active is True
    assert len(_copies()) == 1


def test_ending_every_session_counts_from_the_database(app):
    """A process's copy may hold an older session version: the new one is counted by the
    database, never from the copy."""
    user = make_user("ars@test.fr", Role.ARS, region="76")
    assert user.session_version == 1  # what this process holds from here
    with db.engine.begin() as connection:  # another process ended the sessions four times
        connection.execute(text("UPDATE user_account SET session_version = 5"))
    end_all_sessions(user)
    db.session.commit()
    assert user.session_version == 6


@pytest.mark.postgres
def test_the_application_cannot_set_the_version_back(app):
    with pytest.raises(ProgrammingError, match="permission denied"):
        db.session.execute(text("UPDATE account_version SET version = 1"))
    db.session.rollback()
