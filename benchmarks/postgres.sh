#!/usr/bin/env bash
# PostgreSQL benchmark, on the same generated program as the SQLite figures (about 10M deals):
# import rows/s into PostgreSQL, load time into the engine from each store, and the freshness
# between two instances (a fact posted to A, visible in a read on B), median and p99.
#
#   swift build -c release && benchmarks/postgres.sh
#   DEALS=1000000 PARTNERS=1000 DIR=bench-pg-small benchmarks/postgres.sh
#
# Starts its own PostgreSQL cluster (Debian's packages) in $DIR/pg, with fsync on and the
# default synchronous_commit, so writes are as durable as in production. Generated data stays in
# $DIR and is reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CHANNELKPI:-.build/release/channelkpi}
dir=${DIR:-bench-pg}
deals=${DEALS:-10000000}
partners=${PARTNERS:-5000}
pgport=${PGPORT:-55499}
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

pgdir="$(mktemp -d /tmp/channelkpi-bench-pg.XXXXXX)"
eval "$(PG_FSYNC=on scripts/postgres-cluster.sh start "$pgdir" "$pgport")"
trap 'kill ${pids:-} 2>/dev/null || true; scripts/postgres-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true' EXIT
psql "$CHANNELKPI_TEST_POSTGRES" -qAt -c "SHOW fsync" | grep -qx on
psql "$CHANNELKPI_TEST_POSTGRES" -qc "CREATE DATABASE bench"
url="${CHANNELKPI_TEST_POSTGRES%/postgres}/bench"

echo "== SQLite (generates the data on the first run)"
if [ -f "$dir/bench.sqlite" ]; then
  "$bin" benchmark --dir "$dir" --deals "$deals" --partners "$partners" --reuse
else
  "$bin" benchmark --dir "$dir" --deals "$deals" --partners "$partners"
fi

echo
echo "== PostgreSQL: import the same CSV files, then load and compute"
"$bin" benchmark --dir "$dir" --deals "$deals" --partners "$partners" --reuse --database "$url"
psql "$url" -qAt -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size('bench'))"

echo
echo "== two instances on the PostgreSQL database: a fact posted to A, visible on B"
pids=""
# Every request carries an admin's key (the servers need an admin user to start).
"$bin" users add bench-admin --role admin --database "$url" >/dev/null 2>&1 || true
key=$("$bin" keys create --name "bench $(date +%s)" --role admin --scope read --scope ingest --database "$url" |
  grep -oE 'ckpi_[0-9a-f]+')
export CHANNELKPI_KEY=$key
for port in 8291 8292; do
  "$bin" serve --database "$url" --port "$port" --log-level warning --today 2025-12-20 >"$dir/serve-$port.log" 2>&1 &
  pids="$pids $!"
done
started=$(date +%s)
for port in 8291 8292; do
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.5; done
done
echo "  both instances answering after $(( $(date +%s) - started )) s (each loads every fact from PostgreSQL)"
partner=$(curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:8291/api/v1/partners?limit=1&type=reseller" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partners"][0]["id"])')
python3 benchmarks/ingest_latency.py --base http://127.0.0.1:8291 --read-base http://127.0.0.1:8292 \
  --partner "$partner" --count "${COUNT:-200}"
