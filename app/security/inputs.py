"""Input refused before any view runs: a body over the size limit (413), and a NUL byte anywhere
in the URL, the query or a form field.

No text of the product may contain one, and PostgreSQL cannot store one (it would end in a 500);
the request is answered 400 instead, whoever sends it.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, request

NUL = "\x00"


def _has_nul(values) -> bool:
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))


def refuse_nul_bytes() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        abort(413)  # before the body is parsed (werkzeug would spool it to a file first)
    if NUL in request.path or _has_nul(request.args):
        abort(400)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if _has_nul(request.form):
            abort(400)
    elif request.is_json and (
        b"\\u0000" in request.get_data() or NUL.encode() in request.get_data()
    ):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)
