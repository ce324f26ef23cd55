"""The reviewers' queue, for ARS staff over their region and CPAM staff over their departments
(the same page, another scope): periods waiting for review, oldest first, and what each CPTS
still owes."""

from __future__ import annotations

from datetime import date

from flask import render_template
from sqlalchemy import ColumnElement

from app.rollups.reporting import review_queue


def queue_page(scope: ColumnElement[bool], title: str, eyebrow: str):
    """The CPAM's queue over its departments."""
    waiting, owed = review_queue(scope, date.today())
    return render_template("reviews/queue.html", title=title, eyebrow=eyebrow, waiting=waiting,
                           owed=owed)  # fmt: skip


def queue_body(scope: ColumnElement[bool]) -> str:
    """The queue's tables (a regional page's body, app.blueprints.page_cache)."""
    waiting, owed = review_queue(scope, date.today())
    return render_template("reviews/_queue.html", waiting=waiting, owed=owed)
