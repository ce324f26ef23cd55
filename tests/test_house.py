"""The house keeps its shape: the tenancy mechanism imports nothing of the domain, nothing is
imported inside a function to dodge a cycle, only app.rollups reads across tenants, and every
tenant table gets its row-level security policy in the migrations."""

from __future__ import annotations

import ast
from pathlib import Path

from app.extensions import db
from app.tenants.scoped import TenantScoped

ROOT = Path(__file__).resolve().parent.parent
MECHANISM_MAY_IMPORT = ("app.tenants", "app.extensions", "app.columns", "app.config", "app.i18n")
# The only reads across tenants outside app.rollups, each explained where it happens.
HATCH_EXCEPTIONS = {"app/services/access.py": "an invitation link names its CPTS"}
RLS_HELPERS = {"create_tenant_table", "enable_tenant_rls"}


def modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def runtime_imports(tree: ast.AST) -> list[str]:
    """Modules imported when the code runs (imports under `if TYPE_CHECKING:` are not)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            node.body = []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


def test_the_tenancy_mechanism_imports_nothing_of_the_domain():
    strays = {
        relative(path): name
        for path in modules("app/tenants")
        for name in runtime_imports(ast.parse(path.read_text()))
        if name.startswith("app") and not name.startswith(MECHANISM_MAY_IMPORT)
    }
    assert strays == {}, "app/tenants is the mechanism: it may not import the domain"


def test_nothing_is_imported_inside_a_function():
    inside = [
        f"{relative(path)}:{node.lineno}"
        for path in modules("app", "workers")
        for function in ast.walk(ast.parse(path.read_text()))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert inside == [], "imports belong at the top of the module (a cycle is fixed, not dodged)"


def _calls(tree: ast.AST, name: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and name in (getattr(node.func, "id", None), getattr(node.func, "attr", None))
    ]


def test_only_the_rollups_read_across_tenants():
    callers = {
        relative(path): lines
        for path in modules("app")
        if (lines := _calls(ast.parse(path.read_text()), "unscoped"))
    }
    outside = {
        path: lines
        for path, lines in callers.items()
        if not path.startswith("app/rollups/") and path not in HATCH_EXCEPTIONS
    }
    assert outside == {}, "read across tenants in app/rollups/ (the one sanctioned place)"
    assert any(path.startswith("app/rollups/") for path in callers)


def _rls_tables_in_migrations() -> set[str]:
    tables = set()
    for path in modules("migrations/versions"):
        for function in ast.parse(path.read_text()).body:
            if isinstance(function, ast.FunctionDef) and function.name == "upgrade":
                for node in ast.walk(function):
                    if (
                        isinstance(node, ast.Call)
                        and getattr(node.func, "id", None) in RLS_HELPERS
                        and node.args
                        and isinstance(node.args[0], ast.Constant)
                    ):
                        tables.add(node.args[0].value)
    return tables


def test_every_tenant_table_has_its_policy_in_the_migrations():
    tenant_tables = {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, TenantScoped)
    }
    missing = tenant_tables - _rls_tables_in_migrations()
    assert missing == set(), (
        f"create these with create_tenant_table (or enable_tenant_rls): {missing}"
    )
