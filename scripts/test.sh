#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL (+ Redis) when they are reachable.
# With CI set, PostgreSQL, Redis and Chromium are required: their absence fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
status=0

reachable() {  # host port
  $PY - "$1" "$2" <<'PYEOF'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
except OSError:
    sys.exit(1)
PYEOF
}

redis_url=""
if reachable 127.0.0.1 6379; then
  redis_url="redis://127.0.0.1:6379"  # each pass has its own database number (below)
elif [ -n "${CI:-}" ]; then
  echo "CI: Redis is not reachable on 127.0.0.1:6379" >&2; exit 1
else
  echo "note: Redis not reachable on 127.0.0.1:6379: RQ worker tests are skipped" >&2
fi

# The two passes are independent (each has its own database): they run side by side, each
# into its own log, printed whole when it ends.
logs=$(mktemp -d)
TEST_DATABASE=sqlite TEST_REDIS_URL="${redis_url:+$redis_url/15}" $PY -m pytest -p no:cacheprovider --durations=8 "$@" \
  >"$logs/sqlite" 2>&1 &
sqlite_pid=$!

pg_pid=""
if reachable 127.0.0.1 5432; then
  TEST_DATABASE=postgresql TEST_REDIS_URL="${redis_url:+$redis_url/14}" $PY -m pytest -p no:cacheprovider --durations=8 \
    -m "not browser and not libreoffice" "$@" >"$logs/postgresql" 2>&1 &
  pg_pid=$!
elif [ -n "${CI:-}" ]; then
  echo "CI: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; kill $sqlite_pid; exit 1
else
  echo "note: PostgreSQL not reachable on 127.0.0.1:5432: the PostgreSQL pass was SKIPPED" >&2
fi

wait $sqlite_pid || status=$?
echo "== test suite on SQLite"
cat "$logs/sqlite"
if [ -n "$pg_pid" ]; then
  wait $pg_pid || status=$?
  echo "== test suite on PostgreSQL (row-level security, app role without bypass)"
  cat "$logs/postgresql"
fi
rm -rf "$logs"
exit $status
