#!/usr/bin/env bash
# Compares channelkpi with the independent DuckDB implementation of the catalog
# (benchmarks/duckdb/catalog.py) on a generated demo program: every KPI, every scope kind,
# every grain. Exits non-zero on any difference.
#   CHANNELKPI=.build/release/channelkpi PARTNERS=60 MONTHS=24 SEED=5 benchmarks/crosscheck.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CHANNELKPI:-.build/debug/channelkpi}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" demo-data --out "$dir/csv" --partners "${PARTNERS:-40}" --months "${MONTHS:-18}" --seed "${SEED:-3}" >/dev/null
"$bin" import "$dir/csv" --database "$dir/db.sqlite" >/dev/null
status=0
for by in network partner type region tier; do
  for grain in month quarter year; do
    "$bin" compute --by "$by" --grain "$grain" --format csv --database "$dir/db.sqlite" >"$dir/swift.csv"
    python3 benchmarks/duckdb/catalog.py "$dir/csv" --by "$by" --grain "$grain" --out "$dir/duck.csv"
    if python3 benchmarks/duckdb/compare.py "$dir/swift.csv" "$dir/duck.csv" --rel 1e-9 --abs 1e-9 >"$dir/report.txt"; then
      echo "same: --by $by --grain $grain ($(($(wc -l <"$dir/swift.csv") - 1)) values)"
    else
      echo "DIFFERENT: --by $by --grain $grain"
      head -40 "$dir/report.txt"
      status=1
    fi
  done
done
exit $status
