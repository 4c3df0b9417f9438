#!/usr/bin/env bash
# Fuzzes every input parser: the CSV import, the KPI language, mappings, program files and JSON
# ingestion bodies, N inputs each (default 1,000,000) from seed SEED (default 1), and fails on any
# crash, hang or unclear rejection. Failing inputs are saved under .fuzz/ with the command that
# replays them. See docs/fuzzing.md.
#
#   scripts/fuzz.sh                  # 1,000,000 inputs per target, release build
#   SECONDS_PER_TARGET=25 CONFIG=debug TIME_LIMIT_MS=10000 scripts/fuzz.sh   # what CI runs
#   TARGETS="kpi json" scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-1000000}"
SEED="${SEED:-1}"
CONFIG="${CONFIG:-release}"
SECONDS_PER_TARGET="${SECONDS_PER_TARGET:-86400}"
# An input slower than this is a hang. A debug build on a busy machine wants more than release's 2 s.
TIME_LIMIT_MS="${TIME_LIMIT_MS:-2000}"
TARGETS="${TARGETS:-csv kpi mapping program json}"
SCRATCH="${SCRATCH:-.build}"

swift build -c "$CONFIG" --scratch-path "$SCRATCH" --product channelkpi-fuzz
fuzz="$SCRATCH/$CONFIG/channelkpi-fuzz"
status=0
for t in $TARGETS; do
  "$fuzz" --target "$t" --runs "$RUNS" --seed "$SEED" --seconds "$SECONDS_PER_TARGET" \
    --time-limit-per-input "$TIME_LIMIT_MS" || status=1
done
exit $status
