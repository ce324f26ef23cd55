"""The page number a list page was asked for (?page=N), bounded: one rule for every list."""

from __future__ import annotations

from flask import request

MAX_PAGE = 10_000


def page_number() -> int:
    page = request.args.get("page", "1")
    return max(1, min(int(page), MAX_PAGE)) if page.isdigit() else 1
