"""The signed-in user, kept by each process between requests.

Once a page is kept (app.blueprints.page_cache), loading its reader and their grants is all that
is left of a request's work in the database. Each process keeps a copy of each signed-in user
(their columns but the password hash, and their grants) under the accounts' version: a row
that every change of an account or a role grant moves in its own transaction (triggers of
migration 0012, whatever wrote the change). The version is read again at most every
VERSION_SECONDS, and at once after a commit of this process: a deactivation, a revoked grant
or a logout from everywhere holds at once in the process that wrote it, and within half a
second in the others.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from app.extensions import db
from app.kept import Kept, Recent
from app.models.user import AccountVersion, RoleGrant, User

VERSION_SECONDS = 0.5
_WITH_GRANTS = [joinedload(User.grants).lazyload(RoleGrant.tenant)]
_USER_COLUMNS = tuple(a.key for a in User.__mapper__.column_attrs if a.key != "password_hash")
_GRANT_COLUMNS = tuple(a.key for a in RoleGrant.__mapper__.column_attrs)

_kept = Kept(4096)
_version = Recent(VERSION_SECONDS)


def accounts_version() -> int | None:
    """The accounts' version (None without its row: nothing is kept then)."""
    read = select(AccountVersion.version).where(AccountVersion.id == 1)
    return _version.get("accounts", lambda: db.session.scalar(read))


def forget(*_args) -> None:
    """Read the accounts' version again at the next request (after a commit of this process)."""
    _version.forget()


def clear() -> None:
    forget()
    _kept.clear()


def load(user_id: int) -> User | None:
    """The user with their grants, in this request's session: from this process's copy when
    the accounts have not moved since it was read, else in one statement (and then kept)."""
    version = accounts_version()  # before the user: a copy is never older than its version
    kept = _kept.get((user_id, version)) if version is not None else None
    if kept is not None:
        return _attached(*kept)
    user = db.session.get(User, user_id, options=_WITH_GRANTS)
    if user is not None and version is not None and not db.session.is_modified(user):
        _kept.put((user_id, version), _copy(user))  # as committed: never a change in progress
    return user


def _copy(user: User) -> tuple[dict, tuple[dict, ...]]:
    """Plain values (never an object of a session, which is not shared between threads)."""
    grants = tuple({k: getattr(g, k) for k in _GRANT_COLUMNS} for g in user.grants)
    return {k: getattr(user, k) for k in _USER_COLUMNS}, grants


def _attached(values: dict, grants: tuple[dict, ...]) -> User:
    """Objects made afresh from the copy, joined to the session as if loaded (no statement)."""
    identity = db.session.identity_map.get(db.session.identity_key(User, values["id"]))
    if identity is not None:
        return identity
    user = _loaded(User, values)  # the password hash, left out, is read if ever asked for
    set_committed_value(user, "grants", [_loaded(RoleGrant, g) for g in grants])
    db.session.add(user)
    return user


def _loaded(model, values: dict):
    """An instance of `model` holding `values` as if read from the database."""
    instance = model.__mapper__.class_manager.new_instance()
    instance_state(instance).dict.update(values)
    make_transient_to_detached(instance)  # its values become its loaded state, no history
    return instance


def install(session_class: type[Session] = Session) -> None:
    """Forget the version after every commit of this process (idempotent)."""
    if not event.contains(session_class, "after_commit", forget):
        event.listen(session_class, "after_commit", forget)
