"""The meta of a paginated API answer: total, page, pages and the links to the other pages
(relative URLs carrying the same filters)."""

from __future__ import annotations

from typing import Any

from flask import request, url_for


def page_meta(total: int, page: int, per_page: int) -> dict:
    pages = max(1, -(-total // per_page))

    def link(number: int) -> str:
        args: dict[str, Any] = {**request.args.to_dict(), "page": number, "per_page": per_page}
        return url_for(request.endpoint or "", **(request.view_args or {}), **args)

    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(pages),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < pages else None,
        },
    }
