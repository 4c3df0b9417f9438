#!/usr/bin/env python3
"""Compare `channelkpi forecast --backtest N` with statsforecast's AutoETS on the same origins.

    python3 scripts/forecast/compare.py RESULTS_DIR [--summary FILE] [--season 12]

RESULTS_DIR holds seed-S/NAME.json files, each the JSON output of `channelkpi forecast ...
--backtest N --format json` (scripts/forecast-benchmark.sh writes them), and NAME.error for a
series whose forecast failed. For every backtest point of every series, AutoETS is fitted on
exactly the history before that period and forecasts one step with 80% and 95% intervals.
Both are scored the way channelkpi scores itself (ForecastAccuracy.swift), so the figures are
comparable: MASE per origin is |error| over the in-sample MAE of the seasonal naive forecast
(lag = season when the training sample, gaps left out, is longer than a season, else lag 1),
averaged over origins; sMAPE in percent; coverage pooled over all points. A partner series is
"intermittent" when at least half its months are 0.

Prints markdown tables (per seed and overall, then per kind of series) and writes the summary
as JSON. Always exits 0: a benchmark, not a gate; it says whether the aim is met.
"""
import argparse
import json
import math
import os
import statistics
import sys
import traceback
import warnings

import numpy as np
from statsforecast.models import AutoETS

# statsforecast divides by zero on flat training samples and says so; the result is still used.
warnings.filterwarnings("ignore", category=RuntimeWarning)


def filled(values):
    """Gaps filled as channelkpi's ETSData does: leading gaps dropped (KPIForecaster drops them
    before fitting too), inner gaps interpolated linearly, trailing gaps held at the last value."""
    y = [math.nan if v is None else float(v) for v in values]
    while y and math.isnan(y[0]):
        y.pop(0)
    if not y:
        return np.array([])
    a = np.array(y)
    known = np.flatnonzero(~np.isnan(a))
    return np.interp(np.arange(len(a)), known, a[known])  # np.interp holds the ends flat


def mase_scale(insample, season):
    """The in-sample MAE of the (seasonal) naive forecast; None when it is 0 or undefined."""
    lag = season if season > 1 and len(insample) > season else 1
    if len(insample) <= lag:
        return None
    scale = sum(abs(insample[t] - insample[t - lag]) for t in range(lag, len(insample))) / (len(insample) - lag)
    return scale if scale > 0 else None


def smape_term(actual, forecast):
    d = abs(actual) + abs(forecast)
    return 200 * abs(actual - forecast) / d if d > 0 else 0.0


def inside(actual, lo, hi):
    return lo is not None and hi is not None and lo <= actual <= hi


def score(points, scales):
    """MASE (mean over origins with a scale), sMAPE, and the points inside each interval."""
    errs = [abs(p["actual"] - p["forecast"]) / s for p, s in zip(points, scales) if s is not None]
    return {
        "mase": sum(errs) / len(errs) if errs else None,
        "smape": sum(smape_term(p["actual"], p["forecast"]) for p in points) / len(points),
        "in80": sum(inside(p["actual"], p["lo80"], p["hi80"]) for p in points),
        "in95": sum(inside(p["actual"], p["lo95"], p["hi95"]) for p in points),
        "points": len(points),
    }


def kind_of(scope, kpi, values):
    if scope == "network":
        return f"network {kpi}"
    if scope.startswith("type:"):
        return "partner type revenue"
    # Intermittent series (a few deals a year) score very differently from regular ones, so
    # they get their own row rather than blur the partners' figures.
    zeros = sum(1 for v in values if not v)
    return "partner revenue, intermittent" if zeros >= len(values) / 2 else "partner revenue, regular"


def run_series(doc, season):
    """Refit AutoETS at each of the series' backtest origins; both sides' scores."""
    periods = [h["period"] for h in doc["history"]]
    values = [h["value"] for h in doc["history"]]
    ours, ets, scales, models = [], [], [], []
    for p in doc["backtest"]["points"]:
        t = periods.index(p["period"])
        train = filled(values[:t])
        model = AutoETS(season_length=season).fit(train)
        f = model.predict(h=1, level=[80, 95])
        models.append(model.model_.get("method", "constant"))  # a constant series has no method
        ets.append({
            "actual": p["actual"], "forecast": float(f["mean"][0]),
            "lo80": float(f["lo-80"][0]), "hi80": float(f["hi-80"][0]),
            "lo95": float(f["lo-95"][0]), "hi95": float(f["hi-95"][0]),
        })
        ours.append(p)
        # The scale of the CLI: the training values with gaps left out, not filled.
        scales.append(mase_scale([v for v in values[:t] if v is not None], season))
    a, b = score(ours, scales), score(ets, scales)
    # A check on this script: our MASE recomputed must equal the one the CLI reported.
    reported = doc["backtest"].get("mase")
    if (reported is None) != (a["mase"] is None) or (
        reported is not None and abs(reported - a["mase"]) > 1e-9 * max(1, abs(reported))
    ):
        print(f"warning: {doc['scope']} {doc['kpi']}: CLI MASE {reported} but recomputed {a['mase']}", file=sys.stderr)
    return {
        "kpi": doc["kpi"], "scope": doc["scope"], "kind": kind_of(doc["scope"], doc["kpi"], values),
        "history": len(values), "ours_model": doc["model"], "ours_method": doc["method"],
        "ets_model_last_origin": models[-1] if models else None, "ours": a, "ets": b,
    }


def aggregate(rows):
    """Mean and median MASE over series, the share where ours is no worse, mean sMAPE, and
    coverage pooled over all points. Every row has both MASEs (main leaves out the others)."""
    n = sum(r["ours"]["points"] for r in rows)
    out = {"series": len(rows), "points": n}
    for side in ("ours", "ets"):
        m = [r[side]["mase"] for r in rows]
        out[side] = {
            "mase_mean": statistics.fmean(m) if m else None,
            "mase_median": statistics.median(m) if m else None,
            "smape_mean": statistics.fmean(r[side]["smape"] for r in rows) if rows else None,
            "coverage80": sum(r[side]["in80"] for r in rows) / n if n else None,
            "coverage95": sum(r[side]["in95"] for r in rows) / n if n else None,
        }
    out["share_ours_le_ets"] = sum(r["ours"]["mase"] <= r["ets"]["mase"] for r in rows) / len(rows) if rows else None
    return out


def fmt(x, pct=False, digits=3):
    if x is None:
        return "—"
    return f"{100 * x:.0f}%" if pct else f"{x:.{digits}f}"


def table(title, groups):
    head = ("| {} | series | points | MASE mean ours / AutoETS | MASE median ours / AutoETS | ours ≤ AutoETS "
            "| sMAPE % ours / AutoETS | 80% coverage ours / AutoETS | 95% coverage ours / AutoETS |")
    lines = [head.format(title), "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for name, g in groups.items():
        o, e = g["ours"], g["ets"]
        lines.append(
            f"| {name} | {g['series']} | {g['points']} | {fmt(o['mase_mean'])} / {fmt(e['mase_mean'])} "
            f"| {fmt(o['mase_median'])} / {fmt(e['mase_median'])} | {fmt(g['share_ours_le_ets'], True)} "
            f"| {fmt(o['smape_mean'], digits=1)} / {fmt(e['smape_mean'], digits=1)} "
            f"| {fmt(o['coverage80'], True)} / {fmt(e['coverage80'], True)} "
            f"| {fmt(o['coverage95'], True)} / {fmt(e['coverage95'], True)} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results")
    ap.add_argument("--summary", help="where to write the JSON summary (default: RESULTS/summary.json)")
    ap.add_argument("--season", type=int, default=12, help="season length of the grain (12 for months)")
    args = ap.parse_args()

    rows, failures = [], []
    seeds = sorted((d for d in os.listdir(args.results) if d.startswith("seed-")), key=lambda d: int(d[5:]))
    for seed in seeds:
        folder = os.path.join(args.results, seed)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if name.endswith(".error"):
                with open(path) as f:
                    failures.append({"seed": seed, "series": name[:-6], "error": f.read().strip()})
            elif name.endswith(".json"):
                with open(path) as f:
                    doc = json.load(f)
                if not (doc.get("backtest") and doc["backtest"]["points"]):
                    failures.append({"seed": seed, "series": name[:-5], "error": "no backtest points"})
                    continue
                try:  # a series AutoETS cannot fit is listed, not scored on one side only
                    row = run_series(doc, args.season)
                except Exception as exc:
                    failures.append({"seed": seed, "series": name[:-5], "error": f"AutoETS: {exc!r}"})
                    continue
                # A history without change (a partner that never sold) has no MASE scale, and
                # its trivially exact forecasts would only inflate the coverage: left out.
                if row["ours"]["mase"] is None or row["ets"]["mase"] is None:
                    failures.append({"seed": seed, "series": name[:-5], "error": "MASE undefined (no change in history)"})
                    continue
                rows.append({"seed": seed, **row})

    by_seed = {s.replace("-", " "): aggregate([r for r in rows if r["seed"] == s]) for s in seeds}
    by_seed["all"] = overall = aggregate(rows)
    kinds = sorted({r["kind"] for r in rows})
    by_kind = {k: aggregate([r for r in rows if r["kind"] == k]) for k in kinds}

    print(table("seed", by_seed))
    print()
    print(table("series (all seeds)", by_kind))
    print()
    for f in failures:
        print(f"not scored: {f['seed']} {f['series']}: {f['error']}")

    o, e = overall["ours"], overall["ets"]
    mase_ok = o["mase_mean"] is not None and e["mase_mean"] is not None and o["mase_mean"] <= e["mase_mean"]
    cov_ok = o["coverage80"] is not None and 0.75 <= o["coverage80"] <= 0.85
    print(f"Aim: mean MASE ours <= AutoETS: {'MET' if mase_ok else 'NOT MET'} "
          f"({fmt(o['mase_mean'])} vs {fmt(e['mase_mean'])}); "
          f"80% coverage in 75-85%: {'MET' if cov_ok else 'NOT MET'} ({fmt(o['coverage80'], True)})")
    print(f"Overall: {'AIM MET' if mase_ok and cov_ok else 'AIM NOT MET'}")

    summary = {
        "by_seed": by_seed, "by_kind": by_kind,
        "aim": {"mase_ours_le_ets": mase_ok, "coverage80_in_75_85": cov_ok, "met": mase_ok and cov_ok},
        "failures": failures, "series": rows,
    }
    out = args.summary or os.path.join(args.results, "summary.json")
    with open(out, "w") as f:
        json.dump(summary, f, indent=1)
    print(f"summary: {out}")


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a benchmark reports, it does not fail the caller
        traceback.print_exc()
    sys.exit(0)
