"""Platform jobs on the rollups (no tenant bound: each CPTS is bound in turn as it is rebuilt)."""

from __future__ import annotations

from app.rollups.monthly import rebuild


def rebuild_rollups() -> dict:
    """Every CPTS's monthly figures computed again: nightly, since statuses derived from dates
    (a mission falling late, a stage reached) move with the days even when nothing is written."""
    return {"cptss": rebuild()}
