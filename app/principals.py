"""The signed-in user, kept by each process between requests.

Once a page is kept (app.blueprints.page_cache), loading its reader and their grants is all that
is left of a request's work in the database. Each process keeps a copy of each signed-in user
(their columns but the password hash and the last login, and their grants) under the accounts'
version: a row that every change of an account or a role grant moves in its own transaction
(triggers of migration 0012, whatever wrote the change). The version is read again at most every
VERSION_SECONDS, and at once after a commit of this process: a deactivation, a revoked grant
or a logout from everywhere holds at once in the process that wrote it, and within half a
second in the others.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, select
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from app.extensions import db
from app.kept import Kept, Recent
from app.models.user import AccountVersion, RoleGrant, User

VERSION_SECONDS = 0.5
_WITH_GRANTS = [joinedload(User.grants).lazyload(RoleGrant.tenant)]
# Left out of the copies: the password hash (never kept), the last login (not an account change:
# it does not move the version), both read from the database if ever asked for.
_LEFT_OUT = ("password_hash", "last_login_at")
_USER_COLUMNS = tuple(a.key for a in User.__mapper__.column_attrs if a.key not in _LEFT_OUT)
_GRANT_COLUMNS = tuple(a.key for a in RoleGrant.__mapper__.column_attrs)

_kept = Kept(4096)
_WROTE_ACCOUNTS = "principals_wrote_accounts"
_version = Recent(VERSION_SECONDS)


def accounts_version() -> int | None:
    """The accounts' version (None without its row: nothing is kept then). Read without
    flushing: an account change this request has not committed must not name a version."""
    read = select(AccountVersion.version).where(AccountVersion.id == 1)

    def committed() -> int | None:
        with db.session.no_autoflush:
            return db.session.scalar(read)

    return _version.get("accounts", committed)


def forget(*_args) -> None:
    """Read the accounts' version again at the next request (after a commit of this process)."""
    _version.forget()


def _committed(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint is not the transaction's commit
        forget()
        _ended(session)


def clear() -> None:
    forget()
    _kept.clear()


def load(user_id: int) -> User | None:
    """The user with their grants, in this request's session: from this process's copy when
    the accounts have not moved since it was read, else in one statement (and then kept).

    Nothing is kept or taken from the copies by a session that has written an account or a
    grant, nor when the user or one of their grants is in the session already (their state
    may be older than the version, or about to change)."""
    if db.session.info.get(_WROTE_ACCOUNTS) or _present(user_id):
        return db.session.get(User, user_id, options=_WITH_GRANTS)
    version = accounts_version()  # before the user: a copy is never older than its version
    kept = _kept.get((user_id, version)) if version is not None else None
    if kept is not None and not _present(user_id, kept[1]):
        return _attached(*kept)
    user = db.session.get(User, user_id, options=_WITH_GRANTS)
    if user is not None and version is not None:
        _kept.put((user_id, version), _copy(user))
    return user


def _present(user_id: int, grants: tuple[dict, ...] = ()) -> bool:
    keys = [db.session.identity_key(User, user_id)]
    keys += [db.session.identity_key(RoleGrant, g["id"]) for g in grants]
    return any(key in db.session.identity_map for key in keys)


def _copy(user: User) -> tuple[dict, tuple[dict, ...]]:
    """Plain values (never an object of a session, which is not shared between threads)."""
    grants = tuple({k: getattr(g, k) for k in _GRANT_COLUMNS} for g in user.grants)
    return {k: getattr(user, k) for k in _USER_COLUMNS}, grants


def _attached(values: dict, grants: tuple[dict, ...]) -> User:
    """Objects made afresh from the copy, joined to the session as if loaded (no statement)."""
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


def _after_flush(session: Session, _context) -> None:
    if any(
        isinstance(o, (User, RoleGrant)) for o in chain(session.new, session.dirty, session.deleted)
    ):
        session.info[_WROTE_ACCOUNTS] = True


def _ended(session: Session, *_args) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_WROTE_ACCOUNTS, None)


def install(session_class: type[Session] = Session) -> None:
    """Forget the version after every commit of this process; note a session's account writes
    until it ends (idempotent)."""
    for name, hook in (("after_commit", _committed), ("after_rollback", _ended),
                       ("after_flush", _after_flush)):  # fmt: skip
        if not event.contains(session_class, name, hook):
            event.listen(session_class, name, hook)
