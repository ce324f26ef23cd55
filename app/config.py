"""Settings read from the environment when the application is created, with safe embedded defaults."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(RuntimeError):
    """Raised when the environment cannot give a safe configuration."""


def _secret_key(instance_path: Path, env: str) -> str:
    """SECRET_KEY from the environment; in the embedded default, generated once under instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY must be set when APP_ENV=production")
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _base_url(env: str) -> str:
    """The address people reach the product at: every link sent out (invitations) starts with it,
    never with the Host header of the request that caused it."""
    base = os.environ.get("BASE_URL", "").strip().rstrip("/")
    if not base:
        if env == "production":
            raise ConfigError("BASE_URL must be set when APP_ENV=production (https://host)")
        return "http://127.0.0.1:5000"
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ConfigError(f"BASE_URL must be scheme://host[:port] with no path: {base!r}")
    return base


def _trusted_hosts(base_url: str, env: str) -> list[str]:
    """Host names the application answers to; any other Host header gets 400 (TRUSTED_HOSTS)."""
    hosts = [urlsplit(base_url).hostname or ""]
    hosts += [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if env != "production":
        hosts += ["127.0.0.1", "localhost"]
    return list(dict.fromkeys(hosts))


def _engine_options(database_url: str) -> dict:
    options: dict = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        # Server-side cursors here are always read to the end (exports, rollups): plan them for
        # all their rows (a hash join and one sort), not for the first ones (an index walk).
        options["connect_args"] = {"options": "-c cursor_tuple_fraction=1.0"}
    return options


def load_config(instance_path: str) -> dict:
    """Build the configuration mapping from the environment (never called at import time)."""
    instance = Path(instance_path)
    env = os.environ.get("APP_ENV", "development")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'observatoire.db'}"
    production = env == "production"
    base_url = _base_url(env)
    return {
        "APP_ENV": env,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "SECRET_KEY": _secret_key(instance, env),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Migrations run as the schema owner; the application itself connects as a role that
        # owns nothing and cannot bypass row-level security (see README, "Production").
        "MIGRATION_DATABASE_URL": os.environ.get("MIGRATION_DATABASE_URL") or database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Regional pages built again in the background after a write, for their recent readers
        # (app.blueprints.ahead); PAGES_AHEAD=0 leaves each build to the first reader.
        "PAGES_AHEAD": os.environ.get("PAGES_AHEAD", "1") != "0",
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 25)),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "observatoire@localhost"),
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", 30))),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", 12))),
        # The cookie is written again only when the session changes (at most once a minute for
        # the idle timeout, app.sessions), not re-signed on every answer.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "INVITATION_TTL": timedelta(days=7),
        # Throttling (OWASP authentication cheat sheet): failures are counted per account and
        # address, so nobody can lock an account from elsewhere; beyond the account-wide ceiling,
        # addresses the account never logged in from share one attempt per interval (slowed, not
        # locked); invitation links are guessed per address.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS": 5,
        "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
        "LOGIN_ACCOUNT_CEILING": 50,
        "LOGIN_SLOW_INTERVAL": timedelta(seconds=10),
        "LOGIN_THROTTLE_WINDOW": timedelta(minutes=15),
        "TOKEN_MAX_FAILURES_PER_ADDRESS": 10,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "LANGUAGES": ("fr", "en"),
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        # Uploaded spreadsheets wait here (server-chosen names) until imported, or a day.
        "IMPORT_FOLDER": os.environ.get("IMPORT_FOLDER") or str(instance / "imports"),
        "IMPORT_SYNC_ROWS": 1000,
        # Evidence attached to reported values, one folder per CPTS (server-chosen names).
        "EVIDENCE_FOLDER": os.environ.get("EVIDENCE_FOLDER")
        or str(instance / "evidence"),  # longer files are checked and written by a background job
        "API_REQUESTS_PER_MINUTE": int(os.environ.get("API_REQUESTS_PER_MINUTE", 600)),
        # The REST API's description (flask-smorest builds it from the marshmallow schemas).
        "API_TITLE": "Observatoire CPTS",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        "PREFERRED_URL_SCHEME": urlsplit(base_url).scheme,
        "BASE_URL": base_url,
        "TRUSTED_HOSTS": _trusted_hosts(base_url, env),
    }
