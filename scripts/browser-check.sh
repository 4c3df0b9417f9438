#!/usr/bin/env bash
# Checks the dashboard in a browser: starts `channelkpi serve --demo` in the background, waits for
# /healthz, crawls the dashboard pages reachable from / (every nav item, one partner page, one KPI
# page…), checks that every same-origin link and form action on them answers 200, and takes a
# screenshot of each page with headless Chromium. Builds nothing itself.
#
#   scripts/browser-check.sh                          # .build/debug/channelkpi, screenshots/
#   CHANNELKPI=.build/release/channelkpi SCREENSHOTS=/tmp/shots scripts/browser-check.sh
#
# Environment:
#   CHANNELKPI        the binary (default .build/debug/channelkpi)
#   SCREENSHOTS       where the PNG files go (default screenshots/)
#   PORT              the port to serve on (default 0: any free port)
#   CHROMIUM          the browser (default: chromium, else chromium-browser, else google-chrome)
#   DEMO_PARTNERS     partners in the demo program (default 60)
#   STARTUP_TIMEOUT   seconds to wait for the server (default 180)
#   REQUEST_TIMEOUT   seconds per HTTP request (default 20)
#   SHOT_TIMEOUT      seconds per screenshot (default 60)
#   WINDOW            the browser window size (default 1366,900)
#   SKIP_SCREENSHOTS  1 to crawl and check links only
#
# Exits 0 when every page and link answered 200 and every screenshot was taken, 1 otherwise,
# 2 when it cannot run (no binary, no browser, the server does not start).
set -euo pipefail

CHANNELKPI=${CHANNELKPI:-.build/debug/channelkpi}
SCREENSHOTS=${SCREENSHOTS:-screenshots}
PORT=${PORT:-0}
DEMO_PARTNERS=${DEMO_PARTNERS:-60}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-180}
REQUEST_TIMEOUT=${REQUEST_TIMEOUT:-20}
SHOT_TIMEOUT=${SHOT_TIMEOUT:-60}
WINDOW=${WINDOW:-1366,900}
SKIP_SCREENSHOTS=${SKIP_SCREENSHOTS:-0}

log() { printf '%s\n' "$*" >&2; }
die() {
  log "browser-check: $*"
  exit 2
}

[[ -x "$CHANNELKPI" ]] || die "no channelkpi binary at $CHANNELKPI (build it first, or set CHANNELKPI)"
command -v curl >/dev/null || die "curl is needed"
if [[ "$SKIP_SCREENSHOTS" != 1 ]]; then
  if [[ -z "${CHROMIUM:-}" ]]; then
    for c in chromium chromium-browser google-chrome; do
      if command -v "$c" >/dev/null; then
        CHROMIUM=$c
        break
      fi
    done
  fi
  [[ -n "${CHROMIUM:-}" ]] && command -v "$CHROMIUM" >/dev/null ||
    die "no Chromium found (apt-get install -y chromium), or set SKIP_SCREENSHOTS=1"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/channelkpi-browser-check.XXXXXX")
SERVER_PID=""
cleanup() {
  local status=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Start the server on a fresh demo database; the log says which port it listens on.
SERVER_LOG="$WORK/server.log"
UNBUFFERED=()
command -v stdbuf >/dev/null && UNBUFFERED=(stdbuf -oL -eL)
"${UNBUFFERED[@]}" "$CHANNELKPI" serve --demo --demo-partners "$DEMO_PARTNERS" --port "$PORT" \
  --database "$WORK/demo.sqlite" --log-level info >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

BASE=""
deadline=$((SECONDS + STARTUP_TIMEOUT))
while [[ -z "$BASE" ]]; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    tail -n 20 "$SERVER_LOG" >&2 || true
    die "the server exited before it listened"
  fi
  ((SECONDS < deadline)) || die "the server did not start within ${STARTUP_TIMEOUT}s"
  port=$(grep -oE 'listening on [^ ]*:[0-9]+|at http://[^/ ]+:[0-9]+/' "$SERVER_LOG" 2>/dev/null |
    head -n 1 | grep -oE '[0-9]+/?$' | tr -d '/' || true)
  [[ -n "$port" ]] && BASE="http://127.0.0.1:$port"
  [[ -n "$BASE" ]] || sleep 0.5
done
until curl -fsS --max-time "$REQUEST_TIMEOUT" "$BASE/healthz" >/dev/null 2>&1; do
  ((SECONDS < deadline)) || die "$BASE/healthz did not answer within ${STARTUP_TIMEOUT}s"
  kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited"
  sleep 0.5
done
log "serving at $BASE"
mkdir -p "$SCREENSHOTS"

FAILURES=0
fail() {
  log "FAIL: $*"
  FAILURES=$((FAILURES + 1))
}

# GET a URL (path) into a file; fails on any HTTP error.
fetch() {
  curl -fsS --max-time "$REQUEST_TIMEOUT" -o "$2" "$BASE$1"
}

# The links and form actions of a page, one per line, entities decoded, fragments dropped.
links() {
  grep -oE '(href|action)="[^"]*"' "$1" | sed -E 's/^(href|action)="//; s/"$//' |
    sed -e 's/&amp;/\&/g' -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' |
    sed -E 's/#.*$//' | sort -u || true
}

# What a page is, so each kind is visited (and photographed) once: partner and KPI pages stand
# for all the others of their kind.
kind() {
  local path=${1%%\?*}
  case "$path" in
    /partners/*) echo partner ;;
    /kpis/*) echo kpi ;;
    /data/upload) echo data ;;
    # Stylesheets and API downloads (the statements' CSV) are checked for 200, not crawled.
    /assets/* | /api/*) echo asset ;;
    /) echo overview ;;
    *) echo "${path#/}" | tr '/' '-' ;;
  esac
}

declare -A SEEN_KIND=() CHECKED=()
QUEUE=("/")
SEEN_KIND[overview]=1
PAGES=()
while ((${#QUEUE[@]} > 0)); do
  page=${QUEUE[0]}
  QUEUE=("${QUEUE[@]:1}")
  name=$(kind "$page")
  html="$WORK/$name.html"
  if ! fetch "$page" "$html"; then
    fail "$page did not answer 200"
    continue
  fi
  CHECKED[$page]=1
  grep -qi '<!DOCTYPE html>' "$html" || fail "$page is not an HTML page"
  PAGES+=("$name $page")
  log "page $page"
  while IFS= read -r target; do
    [[ -z "$target" ]] && continue
    case "$target" in
      "$BASE"/*) target=${target#"$BASE"} ;;
      //* | http:* | https:*)
        log "  external link not followed: $target"
        continue
        ;;
      mailto:* | tel:*) continue ;;
      /*) ;;
      *)
        fail "$page has a relative link: $target"
        continue
        ;;
    esac
    if [[ -z "${CHECKED[$target]:-}" ]]; then
      CHECKED[$target]=1
      if ! curl -fsS --max-time "$REQUEST_TIMEOUT" -o /dev/null "$BASE$target"; then
        fail "broken link on $page: $target"
        continue
      fi
    fi
    k=$(kind "$target")
    if [[ "$k" != asset && -z "${SEEN_KIND[$k]:-}" ]]; then
      SEEN_KIND[$k]=1
      QUEUE+=("$target")
    fi
  done < <(links "$html")
done

for k in overview partners kpis tiers statements whatif data partner kpi; do
  [[ -n "${SEEN_KIND[$k]:-}" ]] || fail "no $k page is reachable from /"
done
log "checked ${#CHECKED[@]} URLs on ${#PAGES[@]} pages"

if [[ "$SKIP_SCREENSHOTS" != 1 ]]; then
  for entry in "${PAGES[@]}"; do
    name=${entry%% *}
    page=${entry#* }
    file="$SCREENSHOTS/$name.png"
    rm -f "$file"
    timeout --kill-after=5 "$SHOT_TIMEOUT" "$CHROMIUM" --headless --no-sandbox --disable-gpu \
      --hide-scrollbars --no-first-run --user-data-dir="$WORK/chromium" --screenshot="$file" \
      --window-size="$WINDOW" "$BASE$page" >"$WORK/chromium.log" 2>&1 || true
    if [[ -s "$file" ]]; then
      log "screenshot $file ($page)"
    else
      tail -n 5 "$WORK/chromium.log" >&2 || true
      fail "no screenshot of $page"
    fi
  done
fi

if ((FAILURES > 0)); then
  log "browser-check: $FAILURES failures"
  exit 1
fi
log "browser-check: all pages and links answered 200"
