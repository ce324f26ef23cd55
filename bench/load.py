"""Load test: the regional pages under concurrent ARS users, served by gunicorn on PostgreSQL.

    .venv/bin/python bench/load.py          (PostgreSQL on 127.0.0.1:5432, gunicorn installed)

1. Prepares the scratch database `cpts_bench_load`: migrations, the referential,
   `load_national(BENCH_CPTSS, BENCH_MEMBERS)` through the application's role under row-level
   security. It is reused when it already holds the same data set: its comment records the
   parameters, a digest of the migrations and of app/demo/national.py (editing either refills
   it) and the number of CPTS, checked against the `tenant` table. Then one ARS user per region
   that has CPTS (created once), and the monthly rollups rebuilt when
   `app.rollups.monthly.rebuild` exists (a failure is printed, and the pages measured anyway;
   BENCH_REBUILD=0 skips it, to measure a reused database again in a minute);
   then VACUUM ANALYZE, so that autovacuum does not run during the measure.
2. Starts gunicorn on `wsgi:app` (127.0.0.1, a free port) as in production: APP_ENV=production,
   the application role in DATABASE_URL, gunicorn's access log off, the application's own log
   in a file (path printed).
3. Runs BENCH_CLIENTS closed-loop clients (no think time: each sends its next request as soon as
   the previous answer is read) for BENCH_WARMUP seconds, discarded, then BENCH_SECONDS
   measured. Each client is signed in as the ARS of one region (clients spread over the regions
   in turn) and asks, each time, one page of its region drawn at random from: overview
   `/region/<code>/`, coverage `couverture/`, growth `adhesions/`, conventions
   `conventions/bilan/`, outcomes `resultats/`, compare `comparer/?cpts=<a>&cpts=<b>` (two
   random CPTS of the region). Redirects are not followed; a page that is not there yet simply
   shows up as 404 under its kind. No If-None-Match is sent (a browser revalidating would get
   304): every answer is a whole page, though one the worker already built for that user and
   URL comes from its page cache (all the clients of a region share their ARS, and only the
   compare pages vary much, so after the warm-up most pages are cache hits: this measures
   serving the regional pages, not building them; see bench/regional.py for that).
4. Prints the requests completed (started within the measured window), the throughput, the
   answers other than 200 by kind and status, the latency (send to last byte read, of the 200
   answers) p50/p95/p99/max overall and by kind, the whole machine's CPU use during the window
   (/proc/stat: server, PostgreSQL and generator together) and the CPU the generator itself
   used (time.process_time of its processes).
5. Stops gunicorn (SIGTERM, graceful) at the end, on Ctrl-C or on SIGTERM. Exits 1 when
   PostgreSQL is unreachable, gunicorn does not start or a client cannot sign in.

The generator is light: BENCH_PROCESSES processes (default one per 10 clients), one thread per
client, one `http.client` connection per client (kept alive when the server allows it), cookies
kept by hand (the session cookie is Secure in production; this is plain HTTP on loopback).

Gunicorn: BENCH_WORKERS (default 2) processes, BENCH_THREADS (default 3) threads each: `gthread`
when more than one thread, `sync` otherwise. The default was chosen on this 2-core machine, where
PostgreSQL and the generator share the cores with the server (1,000 CPTS, 50 clients, run-to-run
spread about 10 %), once a kept page cost no statement at all (2026-12-07): 2 x 3 gthread
569-640 req/s, p95 115-134 ms; 2 x 2, 539-606 req/s, p95 125-136 ms; 2 x 4, 525-555 req/s,
p95 149-165 ms; 3 x 2, 557 req/s, p95 171 ms; 3 sync workers 443 req/s, p95 148 ms but p99
301 ms. With less to wait on, fewer threads contend less for each process's interpreter.

Other settings: BENCH_CPTSS (1000), BENCH_MEMBERS (150 a CPTS on average), BENCH_CLIENTS (50),
BENCH_SECONDS (60), BENCH_WARMUP (5), BENCH_LOG_LEVEL (the application's, INFO as in
production), BENCH_SEED (random page choices, 1), BENCH_WRITES (members joining CPTS drawn at
random, a second, during the run: 0; each write moves a region's version, and the server builds
again the pages of that region its readers opened, app.blueprints.ahead).
"""

from __future__ import annotations

import hashlib
import html
import http.client
import importlib.util
import math
import multiprocessing as mp
import os
import queue
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAME = "cpts_bench_load"
PASSWORD = "Bench-password-2026!"
CPTSS = int(os.environ.get("BENCH_CPTSS", 1000))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", 150))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 50))
SECONDS = float(os.environ.get("BENCH_SECONDS", 60))
WARMUP = float(os.environ.get("BENCH_WARMUP", 5))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
THREADS = int(os.environ.get("BENCH_THREADS", 3))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", 0)) or -(-CLIENTS // 10)
LOG_LEVEL = os.environ.get("BENCH_LOG_LEVEL", "INFO")
SEED = int(os.environ.get("BENCH_SEED", 1))
WRITES = float(os.environ.get("BENCH_WRITES", 0))  # members joining a CPTS, a second
REQUEST_TIMEOUT = 120  # seconds: a slow page is measured, not dropped
START_TIMEOUT = 60
NATIONAL = ROOT / "app" / "demo" / "national.py"
LOG_FILE = Path(tempfile.gettempdir()) / "cpts-bench-load-gunicorn.log"

KINDS = ("overview", "coverage", "growth", "conventions", "outcomes", "compare")
PATHS = {
    "overview": "",
    "coverage": "couverture/",
    "growth": "adhesions/",
    "conventions": "conventions/bilan/",
    "outcomes": "resultats/",
}
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]*)"')


# --- The database ---------------------------------------------------------------------------


def _stamp(tenants: int) -> str:
    """What the database was filled with, recorded as its comment; the digest covers the
    migrations and the data set's code, so editing either (in place too) refills it."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")) + [NATIONAL]:
        digest.update(path.read_bytes())
    return (f"bench/load.py cptss={CPTSS} members={MEMBERS} source={digest.hexdigest()[:12]} "
            f"tenants={tenants}")  # fmt: skip


def _server_engine():
    from sqlalchemy import create_engine

    from tests import databases

    return create_engine(databases.PG_SERVER, isolation_level="AUTOCOMMIT")


def _reusable(database) -> bool:
    """Filled by an earlier run with the same parameters, and still holding its CPTS."""
    from sqlalchemy import create_engine, text

    server = _server_engine()
    with server.connect() as connection:
        comment = connection.execute(
            text("SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                 " WHERE datname = :name"), {"name": NAME}
        ).scalar()  # fmt: skip
    server.dispose()
    if not comment or not comment.startswith(_stamp(0).rsplit(" ", 1)[0] + " "):
        return False
    engine = create_engine(database.cleaner_url)  # the superuser: row-level security bypassed
    with engine.connect() as connection:
        tenants = connection.execute(text("SELECT count(*) FROM tenant")).scalar()
    engine.dispose()
    return comment == _stamp(tenants)


def setup_app(database, url: str):
    """The application on `url`, migrated (as the owner), quiet but for warnings."""
    from bench.common import fresh_app

    return fresh_app(
        SQLALCHEMY_DATABASE_URI=url, MIGRATION_DATABASE_URL=database.owner_url, LOG_LEVEL="WARNING"
    )


def _fill(database) -> None:
    """Referential as the owner, then the national data set as the application's role."""
    from sqlalchemy import func, select, text

    from app.demo.national import load_national
    from app.extensions import db
    from app.referential import load_referential
    from app.tenants.models import Tenant

    app = setup_app(database, database.owner_url)  # the referential is the owner's
    with app.app_context():
        load_referential()
        db.session.commit()
        db.engine.dispose()
    app = setup_app(database, database.app_url)
    with app.app_context():
        print(load_national(CPTSS, MEMBERS)[0])
        tenants = db.session.scalar(select(func.count()).select_from(Tenant))
        db.engine.dispose()
    server = _server_engine()
    with server.connect() as connection:
        connection.execute(text(f"COMMENT ON DATABASE \"{NAME}\" IS '{_stamp(tenants)}'"))
    server.dispose()


def prepare_database():
    """The scratch database, filled (or reused); migrations are applied in either case."""
    from tests import databases

    reuse = databases.TestDatabase(
        "postgresql",
        databases.server_url(NAME, databases.APP_ROLE),
        databases.server_url(NAME, databases.OWNER),
        databases.server_url(NAME, "postgres"),
    )
    try:
        if _reusable(reuse):
            print(f"{NAME}: reused ({CPTSS} CPTS asked, {MEMBERS} members each on average)")
            return reuse
    except Exception:  # noqa: BLE001 - missing database or table: build it afresh
        pass
    started = time.perf_counter()
    database = databases.postgres_database(NAME)
    _fill(database)
    print(f"{NAME}: filled in {time.perf_counter() - started:.0f} s")
    return database


def rebuild_rollups(app) -> str:
    """The monthly rollups, when the function that rebuilds them exists (it is being written)."""
    try:
        from app.rollups.monthly import rebuild
    except ImportError as error:
        return f"rollups: not rebuilt ({error})"
    started = time.perf_counter()
    with app.app_context():
        from app.extensions import db

        try:
            rebuild()
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - work in progress: measure the pages anyway
            db.session.rollback()
            return f"rollups: REBUILD FAILED, pages measured without them: {str(error)[:300]}"
    return f"rollups: rebuilt in {time.perf_counter() - started:.1f} s"


def ars_email(region: str) -> str:
    return f"ars-{region.lower()}@bench.fr"


def prepare_users_and_rollups(database) -> dict[str, list[str]]:
    """One ARS per region that has CPTS (created once); the slugs of the CPTS, by region."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models.user import Role
    from app.services.users import create_user, find_user, grant_in_scope
    from app.tenants.models import Tenant

    app = setup_app(database, database.app_url)
    with app.app_context():
        slugs: dict[str, list[str]] = defaultdict(list)
        for region, slug in db.session.execute(
            select(Tenant.region_code, Tenant.slug).order_by(Tenant.region_code, Tenant.slug)
        ):
            slugs[region].append(slug)
        for region in slugs:
            if find_user(ars_email(region)) is None:
                user = create_user(ars_email(region), PASSWORD)
                grant_in_scope(user, Role.ARS, region_code=region)
        db.session.commit()
    if os.environ.get("BENCH_REBUILD", "1") == "1":
        print(rebuild_rollups(app))
    with app.app_context():
        db.engine.dispose()
    settle(database)
    return dict(slugs)


def settle(database) -> None:
    """VACUUM ANALYZE after the writes, so that autovacuum does not run during the measure."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database.cleaner_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_options() -> list[str]:
    """No control socket: recent gunicorns open one at a path every instance shares
    (~/.gunicorn/gunicorn.ctl), which another gunicorn on this machine may be using."""
    from gunicorn.config import KNOWN_SETTINGS

    names = {setting.name for setting in KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in names else []


def start_server(database, port: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "APP_ENV": "production",
        "DATABASE_URL": database.app_url,
        "MIGRATION_DATABASE_URL": database.owner_url,
        "SECRET_KEY": secrets.token_hex(32),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": LOG_LEVEL,
    }
    command = [
        sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--threads", str(THREADS),
        "--worker-class", "gthread" if THREADS > 1 else "sync", "--graceful-timeout", "10",
        *gunicorn_options(),
    ]  # fmt: skip
    # Its own session: Ctrl-C reaches this script only, which then stops gunicorn gracefully.
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_ready(server: subprocess.Popen, port: int) -> bool:
    """True once /healthz answers 200; False if gunicorn exits or does not answer in time."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and server.poll() is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    return False


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- The clients --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientSpec:
    region: str
    slugs: tuple[str, ...]


class Client:
    """One browser: one connection (kept alive when the server allows), its own cookies."""

    def __init__(self, port: int, spec: ClientSpec):
        self.spec = spec
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple:
        """(status or error name, body, milliseconds)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()  # the next request opens a new one
            return type(error).__name__, b"", (time.perf_counter() - started) * 1000
        elapsed = (time.perf_counter() - started) * 1000
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return response.status, payload, elapsed

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    def login(self) -> None:
        status, page, _ms = self.request("GET", "/login")
        token = CSRF.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page: {status}")
        form = {"csrf_token": html.unescape(token.group(1).decode()),
                "email": ars_email(self.spec.region), "password": PASSWORD}  # fmt: skip
        status, _page, _ms = self.request("POST", "/login", urlencode(form))
        if status != 302:
            raise RuntimeError(f"login of {ars_email(self.spec.region)}: {status}")

    def pick(self, rng: random.Random) -> tuple[str, str]:
        kind = rng.choice(KINDS)
        base = f"/region/{self.spec.region}/"
        if kind != "compare":
            return kind, base + PATHS[kind]
        pair = rng.sample(self.spec.slugs, 2) if len(self.spec.slugs) > 1 else self.spec.slugs * 2
        return kind, base + "comparer/?" + urlencode([("cpts", slug) for slug in pair])


def client_loop(client: Client, rng: random.Random, window: tuple[float, float], samples: list):
    """Closed loop until the window ends; keeps (kind, status, ms) of requests sent within it."""
    opens, closes = window
    while (sent := time.monotonic()) < closes:
        kind, path = client.pick(rng)
        status, _page, elapsed = client.request("GET", path)
        if sent >= opens:
            samples.append((kind, status, elapsed))


def generator(port: int, specs: list[ClientSpec], number: int, ready, go, results) -> None:
    """One generator process: sign its clients in, wait for the start, run them in threads."""
    try:
        clients = [Client(port, spec) for spec in specs]
        try:
            for client in clients:
                client.login()
        except RuntimeError as error:
            ready.put(str(error))
            return
        ready.put(None)
        go.wait()
        opens = time.monotonic() + WARMUP
        window = (opens, opens + SECONDS)
        samples: list = []
        threads = [
            threading.Thread(
                target=client_loop, args=(c, random.Random(f"{SEED}-{number}-{i}"), window, samples),
                daemon=True,
            )
            for i, c in enumerate(clients)
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, opens - time.monotonic()))
        cpu = time.process_time()
        for thread in threads:
            thread.join()
        results.put((samples, time.process_time() - cpu, time.process_time()))
    except KeyboardInterrupt:
        pass


def client_specs(slugs: dict[str, list[str]]) -> list[ClientSpec]:
    regions = sorted(slugs)
    return [
        ClientSpec(regions[i % len(regions)], tuple(slugs[regions[i % len(regions)]]))
        for i in range(CLIENTS)
    ]


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat (zeros elsewhere)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def writer(app_url: str, owner_url: str, go, written) -> None:
    """WRITES members a second join CPTS drawn at random, through the application (its role, the
    tenancy rules, the rollups kept current): each moves its region's version, and the server's
    processes build again the pages their readers opened (app.blueprints.ahead)."""
    from datetime import date

    from sqlalchemy import select

    from app.extensions import db
    from app.services.members import create_member
    from app.tenants.context import tenant_bound
    from app.tenants.models import Tenant
    from bench.common import fresh_app

    app = fresh_app(SQLALCHEMY_DATABASE_URI=app_url, MIGRATION_DATABASE_URL=owner_url,
                    LOG_LEVEL="WARNING")  # fmt: skip
    with app.app_context():
        tenants = list(db.session.scalars(select(Tenant.id)))
    rng, count = random.Random(SEED), 0
    go.wait()
    end = time.monotonic() + WARMUP + SECONDS
    while time.monotonic() < end:
        tenant_id = rng.choice(tenants)
        with app.app_context(), tenant_bound(tenant_id):
            create_member(db.session.get(Tenant, tenant_id), {
                "first_name": "Charge", "last_name": f"Adhérent {count}",
                "profession": "infirmier", "joined_on": date.today().isoformat()})  # fmt: skip
            db.session.commit()
        count += 1
        time.sleep(1 / WRITES)
    written.put(count)


def run_load(
    port: int, specs: list[ClientSpec], processes: list, database
) -> tuple[list, float, float, float]:
    """Start the generators (and the writer), measure; return the samples, generator CPU (window,
    whole) and the machine's busy share during the window."""
    context = mp.get_context("spawn")  # children import this module only, not the application
    ready, results, go, written = context.Queue(), context.Queue(), context.Event(), context.Queue()
    if WRITES:
        process = context.Process(target=writer, daemon=True,
                                  args=(database.app_url, database.owner_url, go, written))  # fmt: skip
        process.start()
        processes.append(process)
    count = min(PROCESSES, len(specs))
    for number in range(count):
        process = context.Process(
            target=generator, args=(port, specs[number::count], number, ready, go, results),
            daemon=True,
        )  # fmt: skip
        process.start()
        processes.append(process)
    failures = [f for f in (ready.get(timeout=300) for _ in range(count)) if f]
    if failures:
        raise RuntimeError("; ".join(failures))
    go.set()
    time.sleep(WARMUP)
    busy0, total0 = cpu_ticks()
    time.sleep(SECONDS)
    busy1, total1 = cpu_ticks()
    samples, cpu_window, cpu_whole = [], 0.0, 0.0
    for _ in range(count):
        got, window, whole = results.get(timeout=REQUEST_TIMEOUT + 60)
        samples += got
        cpu_window += window
        cpu_whole += whole
    machine = (busy1 - busy0) / (total1 - total0) if total1 > total0 else float("nan")
    if WRITES:
        print(f"writes: {written.get(timeout=60)} members added during the run")
    return samples, cpu_window, cpu_whole, machine


# --- The figures --------------------------------------------------------------------------------


def percentile(ordered: list[float], share: float) -> float:
    """Nearest rank."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def latency_line(label: str, samples: list) -> str:
    statuses = Counter(status for _kind, status, _ms in samples)
    answers = " ".join(f"{s}:{n}" for s, n in sorted(statuses.items(), key=lambda x: str(x[0])))
    ok = sorted(ms for _kind, status, ms in samples if status == 200)
    figures = (
        " ".join(f"{percentile(ok, q):7.0f}" for q in (0.5, 0.95, 0.99)) + f" {ok[-1]:7.0f}"
        if ok
        else f"{'-':>7} {'-':>7} {'-':>7} {'-':>7}"
    )
    return f"{label:12} {len(samples):8d} {len(samples) / SECONDS:7.1f} {figures}   {answers}"


def report(samples: list, cpu_window: float, cpu_whole: float, machine: float) -> None:
    errors = Counter((kind, status) for kind, status, _ms in samples if status != 200)
    print(f"\n{len(samples)} requests in {SECONDS:.0f} s: {len(samples) / SECONDS:.1f} req/s, "
          f"{sum(errors.values())} not 200; machine CPU busy {machine:.0%} "
          f"(2 cores: server, PostgreSQL, generator)")  # fmt: skip
    per_request = cpu_window / len(samples) * 1000 if samples else float("nan")
    print(f"generator CPU: {cpu_window:.1f} s in the window ({cpu_window / SECONDS:.0%} of one "
          f"core, {per_request:.2f} ms a request), {cpu_whole:.1f} s in all (sign-ins, warm-up)")  # fmt: skip
    print(f"\n{'page':12} {'requests':>8} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
          f"{'max':>7}   answers (ms of the 200 answers)")  # fmt: skip
    for kind in KINDS:
        print(latency_line(kind, [s for s in samples if s[0] == kind]))
    print(latency_line("all", samples))
    if errors:
        print("\nnot 200, by kind and status:")
        for (kind, status), count in sorted(errors.items(), key=lambda x: (x[0][0], str(x[0][1]))):
            print(f"  {kind:12} {status!s:22} {count:6d}")


# --- Main ---------------------------------------------------------------------------------------


def _terminate(_signum, _frame):
    raise SystemExit(143)  # the finally blocks stop the generators and gunicorn


def main() -> int:
    from bench.common import postgres_reachable

    if not postgres_reachable():
        print("PostgreSQL not reachable on 127.0.0.1:5432: nothing measured")
        return 1
    if importlib.util.find_spec("gunicorn") is None:
        print(f"gunicorn is not installed: {sys.executable} -m pip install gunicorn")
        return 1
    signal.signal(signal.SIGTERM, _terminate)
    database = prepare_database()
    slugs = prepare_users_and_rollups(database)
    print(f"{sum(map(len, slugs.values()))} CPTS in {len(slugs)} regions")
    port = free_port()
    processes: list = []
    with LOG_FILE.open("w") as log:
        server = start_server(database, port, log)
        try:
            kind = "gthread" if THREADS > 1 else "sync"
            print(f"gunicorn: {WORKERS} {kind} workers x {THREADS} threads on 127.0.0.1:{port} "
                  f"(log: {LOG_FILE})")  # fmt: skip
            if not wait_ready(server, port):
                print(f"gunicorn did not start: see {LOG_FILE}")
                return 1
            specs = client_specs(slugs)
            print(f"{len(specs)} clients in {min(PROCESSES, len(specs))} processes, "
                  f"{WARMUP:.0f} s warm-up then {SECONDS:.0f} s measured")  # fmt: skip
            try:
                figures = run_load(port, specs, processes, database)
            except (RuntimeError, queue.Empty) as error:
                print(f"load not run: {error or 'a generator did not answer'}")
                return 1
            report(*figures)
        finally:
            for process in processes:
                if process.is_alive():
                    process.terminate()
                process.join()
            stop_server(server)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # main's finally blocks have stopped the generators and gunicorn
        print("\ninterrupted")
        sys.exit(130)
