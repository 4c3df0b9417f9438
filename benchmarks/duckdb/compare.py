#!/usr/bin/env python3
"""Compare two KPI output CSVs (header `kpi,scope,period,value`) keyed by (kpi, scope, period).

    python3 benchmarks/duckdb/compare.py A.csv B.csv [--rel 1e-9] [--abs 1e-9] [--show 20]

Reports rows missing on either side, duplicated keys, null-vs-value mismatches and numeric
differences beyond the tolerance: two numbers agree when |a-b| <= abs OR
|a-b| <= rel * max(|a|, |b|). Non-numeric values must be equal as text.
Prints a summary per KPI; exit status 1 if anything differs, 0 otherwise.
The join is done by DuckDB so that multi-million-row outputs compare quickly.
"""
import argparse
import sys

import duckdb


def ql(s):
    return "'" + s.replace("'", "''") + "'"


def show(present, v):
    return "(absent)" if not present else "(null)" if v is None else v


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rel", type=float, default=1e-9)
    ap.add_argument("--abs", dest="abs_", type=float, default=1e-9)
    ap.add_argument("--show", type=int, default=20, help="examples shown per kind of difference")
    a = ap.parse_args(argv)

    con = duckdb.connect(":memory:")
    cols = "{'kpi': 'VARCHAR', 'scope': 'VARCHAR', 'period': 'VARCHAR', 'value': 'VARCHAR'}"
    for name, path in (("ta", a.a), ("tb", a.b)):
        with open(path, newline="", encoding="utf-8-sig") as f:
            header = f.readline().strip().replace('"', "")
        if header != "kpi,scope,period,value":
            print(f"{path}: header is {header!r}, expected 'kpi,scope,period,value'")
            return 1
        con.execute(
            f"CREATE TABLE {name} AS SELECT kpi, scope, period, NULLIF(value, '') AS value FROM "
            f"read_csv({ql(path)}, header=true, delim=',', quote='\"', escape='\"', auto_detect=false, "
            f"columns={cols})")

    bad = False
    for name, path in (("ta", a.a), ("tb", a.b)):
        dups = con.execute(f"SELECT kpi, scope, period, count(*) FROM {name} GROUP BY ALL HAVING count(*) > 1 "
                           f"ORDER BY 1, 2, 3").fetchall()
        if dups:
            bad = True
            print(f"{path}: {len(dups)} duplicated key(s), e.g. {dups[:a.show]}")

    con.execute(f"""
        CREATE TABLE j AS
        WITH x AS (
            SELECT coalesce(ta.kpi, tb.kpi) AS kpi, coalesce(ta.scope, tb.scope) AS scope,
                   coalesce(ta.period, tb.period) AS period,
                   ta.kpi IS NOT NULL AS in_a, tb.kpi IS NOT NULL AS in_b,
                   ta.value AS va, tb.value AS vb,
                   TRY_CAST(ta.value AS DOUBLE) AS na, TRY_CAST(tb.value AS DOUBLE) AS nb
            FROM (SELECT DISTINCT ON (kpi, scope, period) * FROM ta) ta
            FULL OUTER JOIN (SELECT DISTINCT ON (kpi, scope, period) * FROM tb) tb
              ON ta.kpi = tb.kpi AND ta.scope = tb.scope AND ta.period = tb.period)
        SELECT *,
            CASE WHEN NOT in_b THEN 'missing_in_b'
                 WHEN NOT in_a THEN 'missing_in_a'
                 WHEN va IS NULL AND vb IS NULL THEN 'ok'
                 WHEN va IS NULL OR vb IS NULL THEN 'null_mismatch'
                 WHEN na IS NULL OR nb IS NULL THEN CASE WHEN va = vb THEN 'ok' ELSE 'value_diff' END
                 WHEN na = nb THEN 'ok'
                 WHEN abs(na - nb) <= {a.abs_!r} THEN 'ok'
                 WHEN abs(na - nb) <= {a.rel!r} * greatest(abs(na), abs(nb)) THEN 'ok'
                 ELSE 'value_diff' END AS status,
            CASE WHEN na IS NOT NULL AND nb IS NOT NULL THEN abs(na - nb) END AS adiff,
            CASE WHEN na IS NOT NULL AND nb IS NOT NULL AND greatest(abs(na), abs(nb)) > 0
                 THEN abs(na - nb) / greatest(abs(na), abs(nb)) END AS rdiff
        FROM x""")

    summary = con.execute("""
        SELECT kpi, count(*) AS keys,
            count(*) FILTER (WHERE status = 'missing_in_a') AS miss_a,
            count(*) FILTER (WHERE status = 'missing_in_b') AS miss_b,
            count(*) FILTER (WHERE status = 'null_mismatch') AS null_mm,
            count(*) FILTER (WHERE status = 'value_diff') AS val_diff,
            max(adiff) AS max_abs, max(rdiff) AS max_rel
        FROM j GROUP BY kpi ORDER BY kpi""").fetchall()
    w = max([len("kpi")] + [len(r[0]) for r in summary])
    print(f"{'kpi':<{w}} {'keys':>9} {'miss_A':>7} {'miss_B':>7} {'null_mm':>7} {'val_diff':>8} "
          f"{'max_abs_diff':>13} {'max_rel_diff':>13}")
    tot = [0, 0, 0, 0, 0]
    for kpi, keys, ma, mb, nm, vd, mx_a, mx_r in summary:
        flag = "  <-- DIFFERS" if ma or mb or nm or vd else ""
        fa = f"{mx_a:.3g}" if mx_a is not None else "-"
        fr = f"{mx_r:.3g}" if mx_r is not None else "-"
        print(f"{kpi:<{w}} {keys:>9} {ma:>7} {mb:>7} {nm:>7} {vd:>8} {fa:>13} {fr:>13}{flag}")
        for i, v in enumerate((keys, ma, mb, nm, vd)):
            tot[i] += v
    print(f"{'TOTAL':<{w}} {tot[0]:>9} {tot[1]:>7} {tot[2]:>7} {tot[3]:>7} {tot[4]:>8}")

    for status, title in (("missing_in_a", f"rows missing in A ({a.a})"),
                          ("missing_in_b", f"rows missing in B ({a.b})"),
                          ("null_mismatch", "null vs value"),
                          ("value_diff", "values differing beyond tolerance")):
        ex = con.execute(f"SELECT kpi, scope, period, in_a, va, in_b, vb FROM j WHERE status = '{status}' "
                         f"ORDER BY kpi, scope, period LIMIT {int(a.show)}").fetchall()
        if ex:
            bad = True
            print(f"\n{title} (first {len(ex)}):")
            for kpi, scope, period, in_a, va, in_b, vb in ex:
                print(f"  {kpi},{scope},{period}: A={show(in_a, va)} B={show(in_b, vb)}")
    print("\nRESULT:", "DIFFERENT" if bad else "SAME")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
