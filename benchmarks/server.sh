#!/usr/bin/env bash
# Server benchmark: requests/s and p50/p99 latency of the scorecard and KPI-values endpoints
# under 64 concurrent connections (wrk) on a program of 5,000 partners, first alone, then while
# deals stream in at $RATE facts/s (default 10,000, in batches of 100 on $INGEST_CONNECTIONS
# connections taking turns, default 4) with a probe timing how soon a posted deal
# shows in a read; then the time from an accepted ingestion request to the change being visible.
#
#   swift build -c release && benchmarks/server.sh
#   PARTNERS=5000 SCALE=7 DURATION=30s CHANNELKPI=.build/release/channelkpi benchmarks/server.sh
#
# SCALE=7 makes about 10M deals (the default 0.5, about 1M). On a machine with two cores or more
# the load generators (wrk, the ingestion) are held to core 1 (taskset; LOAD_CPUS changes it), so
# that they never take more than one core from the server. The server itself is not pinned: its
# event loops and task threads squeezed onto one core wait on each other (p99 of /healthz alone
# went from 6 to 105 ms that way on the 2-core machine of docs/performance.md).
#
# Needs wrk (Debian: apt-get install wrk) and python3. The generated program and database stay
# in $DIR (default bench-server/) and are reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CHANNELKPI:-.build/release/channelkpi}
dir=${DIR:-bench-server}
partners=${PARTNERS:-5000}
port=${PORT:-8181}
duration=${DURATION:-20s}
rate=${RATE:-10000}
# Connections the ingestion takes turns on (several sources feeding the server at once).
ingest_connections=${INGEST_CONNECTIONS:-4}
if [ "$(nproc)" -ge 2 ]; then
  load_pin=(taskset -c "${LOAD_CPUS:-1}")
else
  load_pin=()
fi
db="$dir/server.sqlite"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
mkdir -p "$dir"
if [ ! -f "$db" ]; then
  "$bin" demo-data --out "$dir/csv" --partners "$partners" --months 24 --scale "${SCALE:-0.5}"
  "$bin" import "$dir/csv" --database "$db"
  "$bin" program apply "$dir/csv/program" --effective 2024-01-01 --database "$db"
fi

# Every request carries an admin's key (the server needs an admin user to start).
"$bin" users add bench-admin --role admin --database "$db" >/dev/null 2>&1 || true
key=$("$bin" keys create --name "bench $(date +%s)" --role admin --scope read --scope ingest --database "$db" |
  grep -oE 'ckpi_[0-9a-f]+')
auth="Authorization: Bearer $key"
export CHANNELKPI_KEY=$key
started=$(date +%s.%N)
"$bin" serve --database "$db" --port "$port" --log-level warning --today 2025-12-20 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.5
done
base="http://127.0.0.1:$port"
echo "server answering after $(python3 -c "print(f'{$(date +%s.%N) - $started:.2f}')") s"
partner=$(curl -sf -H "$auth" "$base/api/v1/partners?limit=1&type=reseller" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partners"][0]["id"])')
# Ingestion goes to 200 other partners (the probe to one more), not to the ones read.
targets=$(curl -sf -H "$auth" "$base/api/v1/partners?limit=202&offset=100" |
  python3 -c 'import json,sys; print(",".join(p["id"] for p in json.load(sys.stdin)["partners"]))')
probe=${targets##*,}
targets=${targets%,*}
echo "server up with $partners partners; partner $partner"

wrk_run() {
  "${load_pin[@]}" wrk -t1 -c64 -d"$duration" --latency -H "$auth" "$1" |
    grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx" | sed 's/^/  /'
}

run() {
  echo
  echo "== $1"
  # The first request computes; the server then answers the same request from its cache until
  # the next write.
  curl -sf -H "$auth" -o /dev/null -w "  first request (computed): %{time_total} s\n" "$2"
  echo " alone:"
  wrk_run "$2"
  echo " while deals stream in at $rate facts/s:"
  stop="$dir/stop-ingest"
  rm -f "$stop"
  "${load_pin[@]}" python3 benchmarks/ingest_load.py --base "$base" --partners "$targets" --probe-partner "$probe" \
    --rate "$rate" --connections "$ingest_connections" --seconds 3600 --stop "$stop" > "$dir/ingest.out" &
  ingest=$!
  sleep 2
  wrk_run "$2"
  touch "$stop"
  wait $ingest
  sed 's/^/ /' "$dir/ingest.out"
}
run "scorecard of one partner (ranked within its type)" "$base/api/v1/partners/$partner/scorecard?period=2025-Q4"
run "KPI values: 4 KPIs for every partner type by quarter over a year" \
  "$base/api/v1/values?kpi=revenue,win_rate,open_pipeline,nps&by=type&grain=quarter&from=2025-Q1&to=2025-Q4"
run "KPI values: one partner, every KPI, by month over a year" \
  "$base/api/v1/values?by=partner&scope=partner:$partner&grain=month&from=2025-01&to=2025-12"

echo
echo "== from an accepted ingestion to the change in a KPI read"
"${load_pin[@]}" python3 benchmarks/ingest_latency.py --base "$base" --partner "$partner"
