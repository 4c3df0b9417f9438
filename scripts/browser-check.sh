#!/usr/bin/env bash
# Checks the dashboard in a browser: starts `channelkpi serve --demo` in the background, waits for
# /healthz, signs in as the demo's admin (its password is in the server's output), crawls the
# dashboard pages reachable from / (every nav item, one partner page, one KPI page…), checks that
# every same-origin link and GET form action on them answers 200, then signs in as the demo partner
# and checks its portal and printable report, and as the demo manager (who lands on their
# partners). Takes a screenshot of each page with headless Chromium (of the page as fetched with
# the session, since the browser has no cookie). Builds nothing itself.
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

# Every page needs a signed-in user: the demo prints one per role with its password.
password_of() { grep -E "^  $1 " "$SERVER_LOG" | awk '{print $2}' | head -n 1; }
# Signs in through the form into a cookie jar; fails unless the answer is a redirect.
sign_in() {
  local jar=$1 user=$2 token code
  curl -fsS --max-time "$REQUEST_TIMEOUT" -c "$jar" -b "$jar" -o /dev/null "$BASE/login"
  token=$(awk '$6 == "ckpi_login" {print $7}' "$jar")
  [[ -n "$token" ]] || die "the sign-in page set no form token"
  code=$(curl -sS --max-time "$REQUEST_TIMEOUT" -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "_csrf=$token" --data-urlencode "username=$user" \
    --data-urlencode "password=$(password_of "$user")" --data-urlencode "next=/" "$BASE/login")
  [[ "$code" == 303 ]] || die "signing in as $user answered $code"
  grep -q ckpi_session "$jar" || die "signing in as $user set no session cookie"
}
JAR="$WORK/admin.cookies"
sign_in "$JAR" admin

FAILURES=0
fail() {
  log "FAIL: $*"
  FAILURES=$((FAILURES + 1))
}

# GET a URL (path) into a file as the signed-in user; fails on any HTTP error or redirect.
fetch() {
  local code
  code=$(curl -sS --max-time "$REQUEST_TIMEOUT" -b "${3:-$JAR}" -o "$2" -w '%{http_code}' "$BASE$1") || return 1
  [[ "$code" == 200 ]]
}

# The links and the actions of GET forms of a page, one per line, entities decoded, fragments
# dropped. A POST form's action (acknowledging an alert) need not answer a GET; the server tests
# post to each.
links() {
  {
    grep -oE 'href="[^"]*"' "$1" || true
    grep -oE '<form[^>]*>' "$1" | grep -viE 'method="post"' | grep -oE 'action="[^"]*"' || true
  } | sed -E 's/^(href|action)="//; s/"$//' |
    sed -e 's/&amp;/\&/g' -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' |
    sed -E 's/#.*$//' | grep -vE '^/(logout|login)$' | sort -u || true
}

# What a page is, so each kind is visited (and photographed) once: partner and KPI pages stand
# for all the others of their kind.
kind() {
  local path=${1%%\?*}
  case "$path" in
    /partners/*) echo partner ;;
    /kpis/*/explain) echo explain ;;
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
      if ! fetch "$target" /dev/null; then
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

for k in overview partners kpis tiers statements whatif data partner kpi explain; do
  [[ -n "${SEEN_KIND[$k]:-}" ]] || fail "no $k page is reachable from /"
done
log "checked ${#CHECKED[@]} URLs on ${#PAGES[@]} pages"

# The partner's portal and report, and the manager's landing page.
PARTNER_JAR="$WORK/partner.cookies"
sign_in "$PARTNER_JAR" partner
for page in /portal /portal/report; do
  name=$(echo "${page#/}" | tr '/' '-')
  if fetch "$page" "$WORK/$name.html" "$PARTNER_JAR" && grep -qi '<!DOCTYPE html>' "$WORK/$name.html"; then
    PAGES+=("$name $page $PARTNER_JAR")
    log "page $page (partner)"
  else
    fail "$page did not answer 200 to the partner"
  fi
done
code=$(curl -sS -b "$PARTNER_JAR" -o /dev/null -w '%{http_code}' "$BASE/partners")
[[ "$code" == 403 ]] || fail "the partner's request for the vendor's partner list answered $code, not 403"
MANAGER_JAR="$WORK/manager.cookies"
sign_in "$MANAGER_JAR" manager
landing=$(curl -sS -b "$MANAGER_JAR" -o /dev/null -w '%{redirect_url}' "$BASE/")
[[ "$landing" == "$BASE/partners" ]] || fail "the manager's home is $landing, not their partners"
if fetch /partners "$WORK/manager-partners.html" "$MANAGER_JAR"; then
  PAGES+=("manager-partners /partners $MANAGER_JAR")
else
  fail "the manager's partner list did not answer 200"
fi

if [[ "$SKIP_SCREENSHOTS" != 1 ]]; then
  # The browser has no session: it is shown each page as fetched, with the stylesheet beside it.
  curl -fsS --max-time "$REQUEST_TIMEOUT" -o "$WORK/app.css" "$BASE/assets/app.css"
  for entry in "${PAGES[@]}"; do
    read -r name page jar <<<"$entry"
    file="$SCREENSHOTS/$name.png"
    rm -f "$file"
    if ! fetch "$page" "$WORK/shot-$name.html" "${jar:-$JAR}"; then
      fail "$page did not answer 200 for its screenshot"
      continue
    fi
    sed -i 's#href="/assets/app.css"#href="app.css"#' "$WORK/shot-$name.html"
    timeout --kill-after=5 "$SHOT_TIMEOUT" "$CHROMIUM" --headless --no-sandbox --disable-gpu \
      --hide-scrollbars --no-first-run --user-data-dir="$WORK/chromium" --screenshot="$file" \
      --window-size="$WINDOW" "file://$WORK/shot-$name.html" >"$WORK/chromium.log" 2>&1 || true
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
