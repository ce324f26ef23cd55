"""Benchmark: loading the territorial referential (34,969 communes), cold then again (idempotent)."""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extensions import db  # noqa: E402
from app.referential import load_referential  # noqa: E402
from bench.common import StatementCounter, fresh_app  # noqa: E402


def main() -> None:
    app = fresh_app()
    with app.app_context():
        print(f"engine: {db.engine.dialect.name}")
        for label in ("first load (empty tables)", "second load (idempotent)"):
            tracemalloc.start()
            started = time.perf_counter()
            with StatementCounter() as counter:
                counts = load_referential()
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(
                f"{label}: {elapsed:.2f} s, {counter.count} SQL statements, "
                f"peak Python memory {peak:.0f} MiB, rows {counts}"
            )


if __name__ == "__main__":
    main()
