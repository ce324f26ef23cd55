"""Redirect targets taken from the request: only a plain local path is followed."""

from __future__ import annotations


def local_path(target: str | None, default: str) -> str:
    # Browsers read a backslash as a slash and drop tabs and newlines, so "/\evil.example" or
    # "/<tab>/evil.example" would lead to another site.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return default
