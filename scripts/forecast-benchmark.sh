#!/usr/bin/env bash
# Benchmarks `channelkpi forecast` against statsforecast's AutoETS (automatic ETS selection) on
# demo programs of several seeds: one-period-ahead rolling-origin backtests over the last
# BACKTEST months of network KPIs, each partner type's revenue and a sample of partners' revenue.
# The aim (issue): mean MASE no worse than AutoETS's, 80% intervals holding 75–85% of actuals.
#
#   scripts/forecast-benchmark.sh
#   SEEDS="1 2 3 4 5" MONTHS=48 scripts/forecast-benchmark.sh
#
# Environment: SEEDS (default "1 2 3"; 1 is demo-data's default), PARTNERS (120, the demo's
# default), MONTHS (36), END (last month of the data, 2025-12), BACKTEST (12), SAMPLE (partners
# per seed, 40), SCRATCH (build dir, /tmp/ckpi-release), OUT (results, /tmp/ckpi-forecast-benchmark),
# PYTHON (an interpreter with statsforecast; else a venv at VENV is made with pip).
# Exits non-zero only when the build, the data or the setup fails; compare.py always exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

SEEDS=${SEEDS:-1 2 3}
PARTNERS=${PARTNERS:-120}
# 36 months, not the demo's default 24, so that every backtest origin has two full years of
# history: both sides can then choose a seasonal model, which is what the comparison is about.
MONTHS=${MONTHS:-36}
# A fixed end (not demo-data's default of last month) keeps the benchmark's data the same on
# every day it is run.
END=${END:-2025-12}
BACKTEST=${BACKTEST:-12}
SAMPLE=${SAMPLE:-40}
SCRATCH=${SCRATCH:-/tmp/ckpi-release}
OUT=${OUT:-/tmp/ckpi-forecast-benchmark}
VENV=${VENV:-/tmp/ckpi-forecast-venv}

# Which code was measured: the binary is built from the work tree as it is.
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
  git diff --quiet HEAD -- Sources Package.swift || commit+=" plus uncommitted changes to Sources"
fi
echo "commit ${commit:-unknown (not a git checkout)}"
# Its own scratch path: the default .build may be in use by someone else's build.
swift build -c release --scratch-path "$SCRATCH" --product channelkpi
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/channelkpi"

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import statsforecast' 2>/dev/null; then
  # A venv of its own, so that nothing is installed into the system's Python.
  PYTHON="$VENV/bin/python"
  [[ -x "$PYTHON" ]] || python3 -m venv "$VENV"
  "$PYTHON" -c 'import statsforecast' 2>/dev/null || "$PYTHON" -m pip install --quiet statsforecast
fi

# The day after END, so the last month with data is the last that has ended.
TODAY=$(date -u -d "$END-01 +1 month" +%F)
# A partner is sampled only with at least 12 months of history before the first backtest
# origin (otherwise the CLI rightly refuses the backtest) and only while still in the program
# (a partner that left has nothing left to forecast).
JOINED_BY=$(date -u -d "$END-01 -$((BACKTEST + 11)) months" +%Y-%m)

# Only what this script writes there, in case OUT points at a folder that holds more.
rm -rf "$OUT"/seed-* "$OUT"/work-* && mkdir -p "$OUT"
for seed in $SEEDS; do
  dir="$OUT/seed-$seed"
  work="$OUT/work-$seed"
  mkdir -p "$dir" "$work"
  "$BIN" demo-data --out "$work/data" --seed "$seed" --partners "$PARTNERS" --months "$MONTHS" --end "$END" >/dev/null
  # Only the facts: the program's definitions don't change how a KPI is computed or forecast.
  "$BIN" import "$work/data" --database "$work/db.sqlite" >/dev/null

  scopes=(network:revenue network:win_rate network:deal_registrations network:leads_generated)
  for type in $(tail -n +2 "$work/data/partners.csv" | cut -d, -f3 | sort -u); do
    scopes+=("type:$type:revenue")
  done
  # partners.csv columns: partner_id,name,type,region,country,tier,joined_on,left_on,…; names
  # hold no commas in the demo. Evenly spaced over the eligible ids, so the sample is the same
  # on every run and spans types and regions.
  for id in $(awk -F, -v by="$JOINED_BY" -v k="$SAMPLE" \
    'NR > 1 && substr($7, 1, 7) <= by && $8 == "" { ids[n++] = $1 }
     END { for (i = 0; i < k && i < n; i++) print ids[int(i * n / k)] }' "$work/data/partners.csv"); do
    scopes+=("partner:$id:revenue")
  done

  echo "seed $seed: ${#scopes[@]} series"
  for entry in "${scopes[@]}"; do
    kpi=${entry##*:}
    scope=${entry%:*}
    name=${scope//:/_}__$kpi
    # A failed forecast is kept with its message, for compare.py to list: it is a finding.
    if ! "$BIN" forecast --kpi "$kpi" --scope "$scope" --grain month --backtest "$BACKTEST" --today "$TODAY" \
      --database "$work/db.sqlite" --format json >"$dir/$name.json" 2>"$dir/$name.error"; then
      rm -f "$dir/$name.json"
      echo "  $scope $kpi failed: $(cat "$dir/$name.error")" >&2
    else
      rm -f "$dir/$name.error"
    fi
  done
done

"$PYTHON" scripts/forecast/compare.py "$OUT" --summary "$OUT/summary.json" | tee "$OUT/report.md"
