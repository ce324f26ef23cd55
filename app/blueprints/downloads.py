"""Files sent to the browser: one way to name them and to stream them."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, stream_with_context

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def download(body: Iterable[bytes], filename: str, kind: str) -> Response:
    """A streamed attachment (the generator runs inside the request's context)."""
    response = Response(stream_with_context(iter(body)), mimetype=MIMETYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
