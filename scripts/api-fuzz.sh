#!/usr/bin/env bash
# Fuzzes the API with schemathesis against the OpenAPI document, once with an admin's key and
# once with a partner's key, each on a throwaway demo database: no server error, every answer as
# documented, invalid requests refused and valid ones accepted (--checks all, stateful phase
# included). The JSON API and the operations routes are fuzzed; the HTML pages (for people, whose
# role redirects come before their parameters) are tried by the access matrix tests and
# scripts/browser-check.sh instead. Builds nothing itself.
#
#   scripts/api-fuzz.sh                     # .build/debug/channelkpi, 120 s per key
#   MAX_TIME=600 scripts/api-fuzz.sh
#
# Environment: CHANNELKPI (the binary), MAX_TIME (seconds per run), SCHEMATHESIS (the command).
# Exits non-zero when schemathesis finds a failure or cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."

CHANNELKPI=${CHANNELKPI:-.build/debug/channelkpi}
MAX_TIME=${MAX_TIME:-120}
SCHEMATHESIS=${SCHEMATHESIS:-schemathesis}
# pip may put the command beside the interpreter without it being on PATH yet.
if ! command -v "$SCHEMATHESIS" >/dev/null; then
  beside=$(python3 -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "schemathesis"))')
  [[ -x "$beside" ]] && SCHEMATHESIS=$beside
fi
[[ -x "$CHANNELKPI" ]] || { echo "api-fuzz: no channelkpi binary at $CHANNELKPI" >&2; exit 2; }
command -v "$SCHEMATHESIS" >/dev/null || { echo "api-fuzz: schemathesis is not installed (pip install schemathesis)" >&2; exit 2; }

run() {
  local who=$1
  local work pid base key
  work=$(mktemp -d "${TMPDIR:-/tmp}/channelkpi-fuzz.XXXXXX")
  # The fuzzer posts facts dated from year 1 to 9999, and a debug build then replays incentives
  # over millennia slowly (tens of seconds): the time limits below allow for it. Speed is
  # measured by the benchmarks, not here.
  "$CHANNELKPI" serve --demo --demo-partners 30 --port 0 --database "$work/demo.sqlite" --log-level error \
    >"$work/server.log" 2>&1 &
  pid=$!
  # shellcheck disable=SC2064
  # The server writes its engine snapshot on the way out: wait for it to end before removing its files.
  trap "kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf '$work'" RETURN
  base=""
  for _ in $(seq 1 600); do
    base=$(grep -oE 'at http://[^/ ]+:[0-9]+' "$work/server.log" | head -n 1 | sed 's/^at //' || true)
    [[ -n "$base" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; return 2; }
    sleep 0.2
  done
  [[ -n "$base" ]] || { echo "api-fuzz: the server did not start" >&2; return 2; }
  if [[ "$who" == admin ]]; then
    key=$("$CHANNELKPI" keys create --name fuzz-admin --role admin --scope read --scope ingest --scope admin \
      --database "$work/demo.sqlite" | grep -oE 'ckpi_[0-9a-f]+')
  else
    key=$("$CHANNELKPI" keys create --name fuzz-partner --role partner --partner P0001 --scope read --scope admin \
      --database "$work/demo.sqlite" | grep -oE 'ckpi_[0-9a-f]+')
  fi
  echo "== schemathesis as $who against $base (${MAX_TIME}s)"
  local found=0
  (cd scripts/api-fuzz && "$SCHEMATHESIS" run "$base/openapi.json" -H "Authorization: Bearer $key" \
    --include-path-regex '^/(api/|healthz$|metrics$|openapi[.]json$)' \
    --checks all --max-time "$MAX_TIME" --workers 1 --suppress-health-check all --seed 1 --no-color \
    --request-timeout 120 --max-response-time 120) || found=$?
  if [[ $found -ne 0 ]]; then
    # The server logs errors only: what it said explains a 5xx that the answer does not detail.
    echo "== the server's log (errors) during that run" >&2
    tail -n 200 "$work/server.log" >&2
  fi
  return $found
}

status=0
run admin || status=$?
run partner || status=$?
exit $status
