#!/usr/bin/env python3
"""Cross-check channelkpi's tiers, statements and MDF funds against reference.py.

    python3 scripts/crosscheck/compare.py --channelkpi .build/debug/channelkpi --seeds 1-20

For each seed: generate.py writes a random program into a temporary directory; channelkpi
imports the data, applies the definitions (--effective 2000-01-01) and prints
`tiers history`, `statements` and `mdf` as CSV; reference.py computes the same from the same
files; the outputs are compared:
  - tiers: rows keyed by (partner, period), columns held, qualified, level, change, misses;
  - statements: (partner, period, plan, kind, amount) as a sorted multiset (other columns of
    channelkpi's CSV are ignored), and the totals per (partner, period, plan);
  - mdf: rows keyed by (plan, partner, period), columns opening … closing.
Amounts are compared as exact decimals (1234.5 = 1234.50). The first --show differences per
file are printed; the exit status is 1 when anything differs or a command fails.
Standard library only (plus PyYAML, which reference.py needs).
"""
import argparse
import collections
import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference  # noqa: E402

TIER_COLS = ["held", "qualified", "level", "change", "misses"]
MDF_COLS = ["opening", "accrued", "claimed", "unfunded", "expired", "closing"]
ALIASES = {"partner_id": "partner", "plan_id": "plan", "funded": "claimed"}


def parse_seeds(text):
    out = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def read_csv_text(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{ALIASES.get(k, k): (v if v is not None else "") for k, v in r.items()} for r in rows]


def read_csv_file(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return read_csv_text(fh.read())


def need(rows, cols, what):
    if rows:
        missing = [c for c in cols if c not in rows[0]]
        if missing:
            raise SystemExit("%s: columns %s not found (header: %s)"
                             % (what, ", ".join(missing), ", ".join(rows[0].keys())))


def money(text):
    """Normalise a decimal to 2 places; keep anything unparseable as is (shown as different)."""
    t = (text or "").strip()
    if t == "":
        return "<empty>"
    try:
        x = Fraction(t)
    except ValueError:
        return "<%s>" % t
    if (x * 100).denominator != 1:
        return "%s (not whole cents)" % t
    return reference.fmt_cents(int(x * 100))


def show_amount(x):
    if (x * 100).denominator == 1:
        return reference.fmt_cents(int(x * 100))
    return "%s (not whole cents)" % float(x)


def intish(text):
    t = (text or "").strip()
    try:
        return str(int(Fraction(t)))
    except (ValueError, ZeroDivisionError):
        return "<%s>" % t


class Report:
    def __init__(self, show):
        self.show = show
        self.lines = []
        self.count = 0

    def add(self, msg):
        self.count += 1
        if self.count <= self.show:
            self.lines.append("    " + msg)

    def flush(self, title):
        if self.count:
            print("  %s: %d difference(s)%s" % (title, self.count,
                                                 " (first %d)" % self.show
                                                 if self.count > self.show else ""))
            for line in self.lines:
                print(line)
        return self.count


def compare_keyed(swift, ref, key_cols, val_cols, norm, title, show):
    rep = Report(show)

    def keyed(rows, side):
        out = {}
        for r in rows:
            k = tuple(r[c] for c in key_cols)
            if k in out:
                rep.add("%s has %s twice" % (side, "/".join(k)))
            out[k] = tuple(norm(c, r[c]) for c in val_cols)
        return out

    a, b = keyed(swift, "channelkpi"), keyed(ref, "reference")
    for k in sorted(set(a) | set(b)):
        name = "/".join(k)
        if k not in b:
            rep.add("only in channelkpi: %s %s" % (name, dict(zip(val_cols, a[k]))))
        elif k not in a:
            rep.add("only in reference:  %s %s" % (name, dict(zip(val_cols, b[k]))))
        elif a[k] != b[k]:
            diffs = ["%s channelkpi=%s reference=%s" % (c, x, y)
                     for c, x, y in zip(val_cols, a[k], b[k]) if x != y]
            rep.add("%s: %s" % (name, "; ".join(diffs)))
    return rep.flush(title)


def compare_statements(swift, ref, show):
    cols = ["partner", "period", "plan", "kind"]
    key = lambda r: tuple(r[c] for c in cols) + (money(r["amount"]),)  # noqa: E731
    a = collections.Counter(key(r) for r in swift)
    b = collections.Counter(key(r) for r in ref)
    rep = Report(show)
    for k in sorted(set(a) | set(b)):
        if a[k] != b[k]:
            rep.add("%s: channelkpi has %d line(s), reference %d" % ("/".join(k), a[k], b[k]))
    n = rep.flush("statements lines (partner/period/plan/kind/amount)")

    def totals(rows):
        t = collections.defaultdict(Fraction)
        for r in rows:
            try:
                t[(r["partner"], r["period"], r["plan"])] += Fraction(r["amount"])
            except ValueError:
                t[(r["partner"], r["period"], r["plan"])] += 0
        return t

    ta, tb = totals(swift), totals(ref)
    rep = Report(show)
    for k in sorted(set(ta) | set(tb)):
        x, y = ta.get(k, Fraction(0)), tb.get(k, Fraction(0))
        if x != y:
            rep.add("%s: channelkpi total %s, reference total %s"
                    % ("/".join(k), show_amount(x), show_amount(y)))
    return n + rep.flush("statement totals per partner/period/plan")


def run(cmd, what):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if p.returncode != 0:
        print("  %s failed (exit %d): %s" % (what, p.returncode, " ".join(cmd)))
        for line in (p.stderr or p.stdout).strip().splitlines()[:20]:
            print("    " + line)
        return None
    return p.stdout


def check_seed(seed, binary, args):
    work = tempfile.mkdtemp(prefix="crosscheck-%d-" % seed)
    keep = args.keep
    try:
        gen = subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(seed), work],
                             capture_output=True, text=True, check=True)
        manifest = json.loads(gen.stdout.strip().splitlines()[-1])
        data, defs = os.path.join(work, "data"), os.path.join(work, "defs")
        db = os.path.join(work, "db.sqlite")
        rng_from = args.rng_from or manifest["from"]
        rng_to = args.rng_to or manifest["to"]
        today = args.today
        rng = ["--from", rng_from, "--to", rng_to]
        common = ["--today", today, "--database", db]
        failures = 0
        if run([binary, "import", data, "--database", db], "import") is None:
            return 1, work
        if run([binary, "program", "apply", defs, "--effective", "2000-01-01", "--database", db],
               "program apply") is None:
            return 1, work
        outs = {}
        for name, cmd in (("tiers", ["tiers", "history"]), ("statements", ["statements"]),
                          ("mdf", ["mdf"])):
            text = run([binary] + cmd + rng + ["--format", "csv"] + common, " ".join(cmd))
            if text is None:
                failures += 1
            else:
                with open(os.path.join(work, "channelkpi-%s.csv" % name), "w") as fh:
                    fh.write(text)
                outs[name] = read_csv_text(text)
        ref_dir = os.path.join(work, "reference")
        reference.run(data, defs, dt.date.fromisoformat(today),
                      reference.p_parse(rng_from), reference.p_parse(rng_to), ref_dir)
        ref = {n: read_csv_file(os.path.join(ref_dir, n + ".csv"))
               for n in ("tiers", "statements", "mdf")}
        sizes = "%d tier rows, %d statement lines, %d mdf rows" % (
            len(ref["tiers"]), len(ref["statements"]), len(ref["mdf"]))
        print("seed %d%s (%s; range %s..%s, today %s)" % (
            seed, " [edge cases]" if manifest.get("edge") else "", sizes, rng_from, rng_to,
            today))
        if "tiers" in outs:
            need(outs["tiers"], ["partner", "period"] + TIER_COLS, "channelkpi tiers history")
            failures += compare_keyed(
                outs["tiers"], ref["tiers"], ["partner", "period"], TIER_COLS,
                lambda c, v: intish(v) if c == "misses" else (v or "").strip(),
                "tiers", args.show)
        if "statements" in outs:
            need(outs["statements"], ["partner", "period", "plan", "kind", "amount"],
                 "channelkpi statements")
            failures += compare_statements(outs["statements"], ref["statements"], args.show)
        if "mdf" in outs:
            need(outs["mdf"], ["plan", "partner", "period"] + MDF_COLS, "channelkpi mdf")
            failures += compare_keyed(outs["mdf"], ref["mdf"], ["plan", "partner", "period"],
                                      MDF_COLS, lambda c, v: money(v), "mdf", args.show)
        if failures and manifest.get("notes"):
            print("  edge cases of this seed: " + "; ".join(manifest["notes"]))
        print("  %s" % ("same" if not failures else "DIFFERENT (files kept in %s)" % work))
        if failures:
            keep = True
        return failures, work
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description="Cross-check channelkpi against reference.py.")
    ap.add_argument("--channelkpi", required=True, help="path to the channelkpi binary")
    ap.add_argument("--seeds", default="1-20", help="e.g. 1-20 or 3,7,11")
    ap.add_argument("--today", default="2026-01-15")
    ap.add_argument("--from", dest="rng_from", help="default: the first month of the data")
    ap.add_argument("--to", dest="rng_to", help="default: 2026-12")
    ap.add_argument("--show", type=int, default=20, help="differences shown per file")
    ap.add_argument("--keep", action="store_true", help="keep every seed's directory")
    args = ap.parse_args()
    binary = os.path.abspath(args.channelkpi)
    if not os.access(binary, os.X_OK):
        sys.exit("not an executable: %s" % binary)
    bad = []
    for seed in parse_seeds(args.seeds):
        failures, _ = check_seed(seed, binary, args)
        if failures:
            bad.append(seed)
    print()
    if bad:
        print("DIFFERENT on seed(s) %s" % ", ".join(map(str, bad)))
        sys.exit(1)
    print("all seeds agree")


if __name__ == "__main__":
    main()
