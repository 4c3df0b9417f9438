#!/usr/bin/env bash
# Tiers, statements, MDF and what-if at scale: 5,000 partners over 12 quarters (the demo program,
# its ladder and one plan of each kind). Each command is a whole process (open the store, load
# the engine, evaluate, write CSV); a compute of one KPI over one window is timed the same way so
# the loading part can be told apart. Median of 3 runs of each.
#
#   swift build -c release && benchmarks/incentives.sh
#   PARTNERS=500 DIR=bench-inc-small benchmarks/incentives.sh
#
# Generated data stays in $DIR and is reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CHANNELKPI:-.build/release/channelkpi}
dir=${DIR:-bench-incentives}
partners=${PARTNERS:-5000}
scale=${SCALE:-0.5}
today=2026-01-15
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
cd "$dir"

if [ ! -f bench.sqlite ]; then
  echo "== generating $partners partners × 36 months (scale $scale) and importing"
  "$bin" demo-data --out demo --partners "$partners" --months 36 --end 2025-12 --scale "$scale" >/dev/null
  "$bin" import demo --database bench.sqlite
  "$bin" program apply demo/program --effective 2023-01-01 --database bench.sqlite
fi
mkdir -p draft
sed -e 's/min: 150000/min: 250000/' -e 's/min: 1000000/min: 1500000/' demo/program/tiers.yaml > draft/tiers.yaml

median() {
  # Runs "$@" three times; prints the median wall time in seconds.
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  LC_ALL=C printf "%.2f" "$(printf "%s\n" "${times[@]}" | sort -n | sed -n 2p)"
}

db=(--database bench.sqlite --today "$today")
echo "deals: $(($(wc -l < demo/deals.csv) - 1)), partners: $partners"
printf '%-48s %8s s\n' "load + one KPI over one window (baseline)" \
  "$(median "$bin" compute --kpi revenue --window 2025-01:2025-12 --database bench.sqlite --format csv)"
printf '%-48s %8s s\n' "tiers history, 12 quarters" "$(median "$bin" tiers history --from 2023-Q1 --to 2025-Q4 --format csv "${db[@]}")"
printf '%-48s %8s s\n' "statements, 12 quarters (+ monthly spiff)" \
  "$(median "$bin" statements --from 2023-Q1 --to 2025-Q4 --format csv "${db[@]}")"
printf '%-48s %8s s\n' "mdf funds, 12 quarters" "$(median "$bin" mdf --from 2023-Q1 --to 2025-Q4 --format csv "${db[@]}")"
printf '%-48s %8s s\n' "what-if of a stricter ladder, 12 quarters" \
  "$(median "$bin" whatif draft --from 2023-Q1 --to 2025-Q4 --format csv "${db[@]}")"
echo "tier evaluations: $(("$("$bin" tiers history --from 2023-Q1 --to 2025-Q4 --format csv "${db[@]}" | wc -l)" - 1))," \
  "statement lines: $(("$("$bin" statements --from 2023-Q1 --to 2025-Q4 --format csv "${db[@]}" | wc -l)" - 1))"
