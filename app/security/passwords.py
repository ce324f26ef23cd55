"""Password hashing (Argon2id) and the password policy."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# OWASP's minimum for Argon2id (19 MiB, t=2, p=1); check_needs_rehash upgrades older hashes.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 12
MAX_LENGTH = 1024


def hash_password(password: str) -> str:
    return HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    return HASHER.hash("no account has this password")


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Check a password; return (ok, new hash when the stored one should be upgraded).

    With no stored hash (unknown account) a dummy one is checked, so both cost the same time.
    """
    try:
        HASHER.verify(stored_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored_hash is None:
        return False, None
    return True, hash_password(password) if HASHER.check_needs_rehash(stored_hash) else None


@cache
def _common_passwords() -> frozenset[str]:
    text = files("app.security").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, email: str = "") -> LazyString | None:
    """Why a password is refused (a message to translate), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _l("Le mot de passe doit comporter au moins %(n)s caractères.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Le mot de passe ne peut dépasser %(n)s caractères.", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return _l("Ce mot de passe est trop courant : choisissez-en un autre.")
    local_part = email.split("@")[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        return _l("Le mot de passe ne doit pas contenir votre adresse e-mail.")
    return None
