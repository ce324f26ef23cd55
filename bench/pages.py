"""Benchmark: time and SQL statements of the main pages with the demo data, per role."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.demo import load_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.referential import load_referential  # noqa: E402
from app.services.tokens import create_token  # noqa: E402
from app.services.users import find_user  # noqa: E402
from bench.common import StatementCounter, fresh_app  # noqa: E402

PASSWORD = "Demo-CPTS-2026!"
DOMAIN = "demo.observatoire-cpts.fr"
PAGES = [
    (f"president.narbonne@{DOMAIN}", "/t/grand-narbonne/"),
    (f"president.narbonne@{DOMAIN}", "/t/grand-narbonne/territoire"),
    (f"president.narbonne@{DOMAIN}", "/t/grand-narbonne/utilisateurs"),
    (f"president.narbonne@{DOMAIN}", "/t/grand-narbonne/membres/"),
    (f"president.narbonne@{DOMAIN}", "/t/grand-narbonne/journal/"),
    (f"president.narbonne@{DOMAIN}", "/api/v1/t/grand-narbonne/"),
    (f"president.narbonne@{DOMAIN}", "/api/v1/t/grand-narbonne/members"),
    (f"president.narbonne@{DOMAIN}", "/api/v1/t/grand-narbonne/members/growth"),
    (f"ars.occitanie@{DOMAIN}", "/region/76/"),
    (f"cpam.aude@{DOMAIN}", "/cpam/"),
    (f"admin@{DOMAIN}", "/admin/"),
]
RUNS = 30


def main() -> None:
    app = fresh_app()
    with app.app_context():
        load_referential()
        load_demo()
    print(f"{'page':40} {'median ms':>10} {'p90 ms':>8} {'SQL':>5}")
    for email, path in PAGES:
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        with app.app_context():
            _token, secret = create_token(find_user(email), "bench", "read", 1)
            db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"} if path.startswith("/api/") else {}
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            with app.app_context(), StatementCounter() as counter:
                response = client.get(path, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        timings.sort()
        print(
            f"{path:40} {statistics.median(timings):10.1f} {timings[int(RUNS * 0.9)]:8.1f} "
            f"{counter.count:5d}"
        )


if __name__ == "__main__":
    main()
