"""Accounts: signing in and out, the password, accepting an invitation, API tokens."""

from __future__ import annotations

from app.blueprints.auth import tokens, views  # noqa: F401  (routes)
from app.blueprints.auth.blueprint import bp

__all__ = ["bp"]
