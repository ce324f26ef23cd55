"""The tenant bound to the current request, job or command, and the one logged escape hatch.

The binding lives in context variables so it follows the unit of work (request, job, CLI
command) and nothing else. Every tenant-scoped ORM statement reads it through `bound_tenant_id()`;
with nothing bound and no escape hatch open, those statements raise instead of running unscoped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, Protocol, TypeVar

log = logging.getLogger("app.tenancy")

_tenant_id: ContextVar[int | None] = ContextVar("tenant_id", default=None)
_unscoped_reason: ContextVar[str | None] = ContextVar("unscoped_reason", default=None)
_listeners: list = []
_exit_listeners: list = []
_flushers: list = []


class TenancyError(RuntimeError):
    """A tenant-scoped operation was attempted without the right tenant bound."""


def bound_tenant_id() -> int | None:
    return _tenant_id.get()


def unscoped_reason() -> str | None:
    return _unscoped_reason.get()


def on_change(listener) -> None:
    """Register a callable run whenever the binding changes (PostgreSQL syncs its setting)."""
    _listeners.append(listener)


def on_unbind_flush(flush) -> None:
    """Register the ORM's flush, run when for_tenant() unbinds the tenant it bound."""
    _flushers.append(flush)


def on_unscoped_exit(listener) -> None:
    """Register a callable run when the escape hatch closes (the ORM forgets what it read)."""
    _exit_listeners.append(listener)


def _notify() -> None:
    for listener in _listeners:
        listener()


def _refuse_switch(tenant_id: int | None) -> None:
    """A unit of work serves one tenant: switching to another mid-way could stamp rows of the
    first with the second (objects added under A, flushed under B)."""
    current = _tenant_id.get()
    if current is not None and tenant_id is not None and tenant_id != current:
        raise TenancyError(f"tenant {current} is bound: binding tenant {tenant_id} is refused")


def bind_tenant(tenant_id: int) -> None:
    """Bind a tenant for the rest of the current context (a request, a job)."""
    _refuse_switch(tenant_id)
    _tenant_id.set(tenant_id)
    _notify()


def clear() -> None:
    """Forget any binding at the end of a request or job, without touching the database."""
    _tenant_id.set(None)
    _unscoped_reason.set(None)


@contextmanager
def tenant_bound(tenant_id: int) -> Iterator[None]:
    """Bind a tenant for a block (CLI commands, jobs, services), restoring the previous one after.

    Nesting the same tenant is fine; another one is refused while a tenant is bound.
    """
    _refuse_switch(tenant_id)
    with _binding(tenant_id):
        yield


class HasId(Protocol):
    id: Any


P = ParamSpec("P")
R = TypeVar("R")


def for_tenant(function: Callable[P, R]) -> Callable[P, R]:
    """THE rule for reading or writing a tenant's data: the function takes the tenant first and
    runs with it bound (refused if another tenant is bound), never with whatever happens to be.
    When it binds the tenant itself, what it changed is flushed before the binding ends, so the
    guard checks those writes against that tenant."""

    @wraps(function)
    def bound(*args: P.args, **kwargs: P.kwargs) -> R:
        tenant: HasId = args[0]  # type: ignore[assignment]
        if _tenant_id.get() == tenant.id:
            return function(*args, **kwargs)
        with tenant_bound(tenant.id):
            result = function(*args, **kwargs)
            for flush in _flushers:
                flush()
            return result

    return bound


@contextmanager
def without_tenant() -> Iterator[None]:
    """Run a block with no tenant bound (a platform job run in-process from within a request):
    tenant-scoped statements then fail instead of inheriting the request's tenant."""
    with _binding(None):
        yield


@contextmanager
def _binding(tenant_id: int | None) -> Iterator[None]:
    token = _tenant_id.set(tenant_id)
    _notify()
    try:
        yield
    finally:
        _tenant_id.reset(token)
        _notify()


@contextmanager
def unscoped(reason: str) -> Iterator[None]:
    """THE escape hatch: read across tenants, for regional and CPAM aggregates only.

    It is read-only (writes still need a bound tenant) and every use is logged with its reason.
    """
    if not reason:
        raise TenancyError("unscoped() needs a reason")
    log.info("tenancy escape hatch opened: %s", reason)
    token = _unscoped_reason.set(reason)
    _notify()
    try:
        yield
    finally:
        _unscoped_reason.reset(token)
        _notify()
        for listener in _exit_listeners:
            listener()
