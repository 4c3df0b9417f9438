#!/usr/bin/env python3
"""Independent reference implementation of tiers, incentive statements and MDF funds.

Written only from shared/spec/tiers-incentives.md, kpi-catalog.md, data-format.md and
docs/program.md (targets and attainment), not from the Swift sources. Standard library plus
PyYAML. Every amount and rate is an exact fractions.Fraction or int; YAML numbers are read from
their text (never through float).

    python3 scripts/crosscheck/reference.py DATA_DIR DEFS_DIR --today 2026-01-15 \
        --from 2024-01 --to 2026-12 --out OUT_DIR

Writes OUT_DIR/tiers.csv, OUT_DIR/statements.csv and OUT_DIR/mdf.csv (columns in
scripts/crosscheck/README.md).

Readings
========
Where the spec leaves room, this implementation takes the most literal reading:

Periods and ranges
- --from/--to may be periods of any grain (2025-03, 2025-Q1, 2025). A period "lies in
  [from, to]" when start(P) >= start(from) and end(P) <= end(to).
- A period has ENDED by today when end(P) < today (on its last day it is still under way).
  A period is under way when start(P) <= today <= end(P). Statements cover periods with
  start(P) <= today; tier evaluations and MDF rows only periods with end(P) < today.
- "The first period of the data" is the period (of the grain at hand) holding the earliest date
  found in any date or datetime column of any table other than partners and market (datetimes
  by their UTC date).

- Facts dated after --today are counted like any other (the generator writes none).

KPIs
- Facts belong to a partner by partner_id (facts of partners missing from partners.csv are
  ignored); a partner's window KPI is the catalog's definition
  with the scope = that one partner and the period = the window [first day, last day].
- certified_partner_rate and active_partner_rate of one partner are 1 or 0 when the partner is
  active on the window's last day, and have no value otherwise (denominator 0).

Tiers
- A partner is evaluated at period P when it is in the program on end(P) (joined_on <= end(P)
  and not left_on <= end(P)) and matches every key of the ladder's applies_to (types, regions,
  partners). Periods where it is not evaluated change nothing (held level and misses carry on).
- The tier "held during" a period of any grain is the tier held on its first day d: the level
  that resulted from the partner's last evaluation of a period E with end(E) < d, otherwise the
  level held before the first evaluation (tier attribute if a level of the ladder, else lowest).
  Partners outside the ladder's applies_to hold no tier (None). Without a ladder, the tier is the
  partner's tier attribute.
- The lowest level is taken to have no requirements; if it lists some they are ignored (it
  "always qualifies").
- tiers.csv `held` is the level held before the evaluation, `level` the level after it,
  `misses` the count after it. change: promoted (q > held), held (q = held), at_risk
  (q < held, misses still below grace), demoted (q < held, misses reached grace).

Plans
- A plan applies to a partner in a period P when P lies inside [starts, ends] (start(P) >=
  starts, end(P) <= ends), the partner was in the program on at least one day of P (some d in
  P with joined_on <= d < left_on), and it matches every key of applies_to given (types,
  regions, partners, and tiers = the ladder tier held on start(P); a partner holding no tier
  matches no tiers list).
- statements.csv `kind` is the plan's kind (rebate, attainment_bonus, spiff), for every line of
  the plan including a spiff's negative cap line.
- Rebate: the basis is the partner's KPI (default revenue) over P. Marginal: for every bracket i
  with from_i <= basis, the part min(basis, from_{i+1}) - from_i at (rate_i + tier bonus); a
  basis exactly on from_i gives a 0 line for bracket i, which is left out. Retroactive: basis x
  (rate of the highest bracket with from <= basis + tier bonus). rate_by_tier uses the tier held
  on start(P); a partner holding no tier gets no bonus.
- Attainment bonus: for each KPI of `kpis`, the target in force is chosen among the `value`
  targets of that KPI whose grain is the plan's or absent and whose from/to range overlaps P
  (end(P) >= start(from) and start(P) <= end(to); this is how the existing `channelkpi targets`
  command behaves for a quarter target with `from: 2024-05, to: 2024-05`, which is in force for
  2024-Q2; the generator only writes from/to of the plan's grain or coarser, where containment
  and overlap agree); targets not applicable to the partner (wrong type/region/tier/
  partner, or a value target of a flow KPI on any scope other than partner:ID) are dropped
  first, then the most specific scope wins (partner > tier > type > region > network) and among
  equals the one listed last. No target or no actual value: no line. A target of 0 gives
  attainment 1 when actual >= 0 (<= 0 for sales_cycle_days) and 0 otherwise. The curve at a
  == threshold is at_threshold, at a == 1 it is 1. Defaults when a key is missing: accelerator
  1, cap none (the generator always writes all of them). Weights are not checked to sum to 1.
- Spiff: a deal qualifies when stage = won, closed_on in P, product in `product` (a deal with no
  product matches no product list), source in `source`, amount >= min_amount. Line = per_deal,
  or share x amount rounded per line; a won deal of amount 0 qualifies too (a per_deal line is
  paid for it; a share line is 0 and left out). When the sum of the rounded lines exceeds the
  cap, one more line of (cap - sum).
- Lines are rounded once each, half away from zero, to cents; lines of 0.00 are left out.

MDF
- The fund of a plan for a partner starts (empty) at the first period of the plan's grain in
  which the plan applies to the partner (as for plans above), searching from the plan's first
  period: the first period lying entirely on or after `starts`, or, without `starts`, the first
  period of the data. A partner to which the plan never applies up to the last ended period has
  no fund. Rows run from the fund's first period to the last period ended by today, restricted to
  the periods lying in [from, to].
- In each period k, in this order: opening = previous closing; the period's claims (sum of the
  mdf_amount of the partner's campaigns with started_on in k; absent = 0) are drawn FIFO from
  credits of earlier periods, funded = min(claims, opening), unfunded = the rest; then the
  credit of period k - N (expires_after N) still unused expires; then the accrual of k is
  credited = round(rate x basis) when the plan applies in k (rate = rate_by_tier[tier held on
  start(k)] when given for that tier, else accrual_rate; basis KPI over k, default revenue; no
  value or <= 0 accrues 0), else 0. closing = opening - funded - expired + accrued.
  Without expires_after credits never expire. Claims dated before the fund's first period are
  not drawn and are not shown. The rows go on (claims and expiry, no accrual) after the plan
  stops applying, including after the partner has left the program.
- Only one definitions version and no overrides or approvals are modelled.
"""
import argparse
import csv
import datetime as dt
import os
import re
from fractions import Fraction

import yaml

# ---------------------------------------------------------------------------
# Periods: (grain, year, index) with index 1..12 for months, 1..4 for quarters, 1 for years
# ---------------------------------------------------------------------------
GRAINS = ("month", "quarter", "year")


def p_parse(text):
    s = str(text).strip()
    if len(s) == 4 and s.isdigit():
        return ("year", int(s), 1)
    y, rest = s.split("-", 1)
    if rest.startswith("Q"):
        q = int(rest[1:])
        if not 1 <= q <= 4:
            raise ValueError("bad quarter: %s" % s)
        return ("quarter", int(y), q)
    m = int(rest)
    if not 1 <= m <= 12:
        raise ValueError("bad month: %s" % s)
    return ("month", int(y), m)


def p_label(p):
    g, y, i = p
    if g == "month":
        return "%04d-%02d" % (y, i)
    if g == "quarter":
        return "%04d-Q%d" % (y, i)
    return "%04d" % y


def p_of(grain, d):
    if grain == "month":
        return ("month", d.year, d.month)
    if grain == "quarter":
        return ("quarter", d.year, (d.month - 1) // 3 + 1)
    if grain == "year":
        return ("year", d.year, 1)
    raise ValueError("bad grain: %r" % grain)


def p_start(p):
    g, y, i = p
    if g == "month":
        return dt.date(y, i, 1)
    if g == "quarter":
        return dt.date(y, 3 * (i - 1) + 1, 1)
    return dt.date(y, 1, 1)


def p_next(p):
    g, y, i = p
    n = {"month": 12, "quarter": 4, "year": 1}[g]
    return (g, y + 1, 1) if i == n else (g, y, i + 1)


def p_prev(p):
    g, y, i = p
    n = {"month": 12, "quarter": 4, "year": 1}[g]
    return (g, y - 1, n) if i == 1 else (g, y, i - 1)


def p_end(p):
    return p_start(p_next(p)) - dt.timedelta(days=1)


def p_shift(p, k):
    for _ in range(abs(k)):
        p = p_next(p) if k > 0 else p_prev(p)
    return p


def p_range(first, last):
    out = []
    p = first
    while p_start(p) <= p_start(last):
        out.append(p)
        p = p_next(p)
    return out


def last_ended(grain, today):
    """The last period of the grain with end < today."""
    return p_prev(p_of(grain, today))


def to_date(v):
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


# ---------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------
def round_cents(x):
    """Exact Fraction -> integer cents, half away from zero."""
    x = Fraction(x)
    sign = -1 if x < 0 else 1
    a = abs(x) * 100
    c = (a.numerator * 2 + a.denominator) // (2 * a.denominator)  # floor(a + 1/2)
    return sign * c


def fmt_cents(c):
    sign = "-" if c < 0 else ""
    c = abs(c)
    return "%s%d.%02d" % (sign, c // 100, c % 100)


def fmt_money(x):
    return fmt_cents(round_cents(x))


# ---------------------------------------------------------------------------
# YAML without floats
# ---------------------------------------------------------------------------
class ExactLoader(yaml.SafeLoader):
    pass


def _exact_float(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    low = text.lower()
    if low in (".inf", "+.inf", "-.inf", ".nan"):
        raise ValueError("non-finite number in definitions: %s" % text)
    return Fraction(text)


ExactLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)
# YAML 1.2 also reads 1e-2 (no dot) as a number; YAML 1.1 resolvers would keep it a string.
ExactLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."))


def num(v):
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError("expected a number, got %r" % v)
    if isinstance(v, (int, Fraction)):
        return Fraction(v)
    return Fraction(str(v))


def load_defs(defs_dir):
    defs = {"tiers": None, "incentives": [], "targets": []}
    files = sorted(f for f in os.listdir(defs_dir) if f.endswith((".yaml", ".yml")))
    for name in files:
        with open(os.path.join(defs_dir, name), encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=ExactLoader) or {}
        for key, val in doc.items():
            if key == "tiers":
                defs["tiers"] = val
            elif key in ("incentives", "targets"):
                defs[key].extend(val or [])
    return defs


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------
DATE_COLUMNS = {
    "deals": ["created_on", "registered_on", "closed_on"],
    "leads": ["created_on", "converted_on"],
    "campaigns": ["started_on", "ended_on"],
    "web_traffic": ["date"],
    "customers": ["acquired_on", "churned_on"],
    "surveys": ["responded_on"],
    "support_tickets": ["opened_at", "resolved_at"],
    "certifications": ["enrolled_on", "completed_on"],
}


def read_table(data_dir, name):
    path = os.path.join(data_dir, name + ".csv")
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        out.append({k: (v if v != "" else None) for k, v in r.items()})
    return out


def parse_day_or_datetime(s):
    if s is None:
        return None
    if "T" in s:
        t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        return t.astimezone(dt.timezone.utc).date()
    return dt.date.fromisoformat(s)


class Data:
    def __init__(self, data_dir):
        def dte(v):
            return dt.date.fromisoformat(v) if v else None

        def money(v):
            return Fraction(v) if v is not None else None

        self.partners = {}
        for r in read_table(data_dir, "partners"):
            self.partners[r["partner_id"]] = {
                "id": r["partner_id"], "type": r["type"], "region": r["region"],
                "tier": r.get("tier"), "joined_on": dte(r["joined_on"]),
                "left_on": dte(r.get("left_on")),
            }
        by = lambda: {pid: [] for pid in self.partners}  # noqa: E731
        self.deals = by()
        for r in read_table(data_dir, "deals"):
            self.deals.setdefault(r["partner_id"], []).append({
                "id": r["deal_id"], "source": r["source"], "stage": r["stage"],
                "created_on": dte(r["created_on"]), "registered_on": dte(r.get("registered_on")),
                "closed_on": dte(r.get("closed_on")), "amount": money(r["amount"]),
                "product": r.get("product"),
            })
        self.leads = by()
        for r in read_table(data_dir, "leads"):
            self.leads.setdefault(r["partner_id"], []).append({
                "created_on": dte(r["created_on"]), "converted_on": dte(r.get("converted_on")),
            })
        self.campaigns = by()
        for r in read_table(data_dir, "campaigns"):
            self.campaigns.setdefault(r["partner_id"], []).append({
                "started_on": dte(r["started_on"]), "mdf_amount": money(r.get("mdf_amount")),
            })
        self.customers = by()
        for r in read_table(data_dir, "customers"):
            self.customers.setdefault(r["partner_id"], []).append({
                "acquired_on": dte(r["acquired_on"]),
            })
        self.certs = by()
        for r in read_table(data_dir, "certifications"):
            self.certs.setdefault(r["partner_id"], []).append({
                "program": r["program"], "completed_on": dte(r.get("completed_on")),
            })
        first = None
        for table, cols in DATE_COLUMNS.items():
            for r in read_table(data_dir, table):
                for c in cols:
                    d = parse_day_or_datetime(r.get(c))
                    if d is not None and (first is None or d < first):
                        first = d
        self.first_date = first

    # -- partner status ----------------------------------------------------
    def active_on(self, pid, d):
        p = self.partners[pid]
        return p["joined_on"] <= d and (p["left_on"] is None or d < p["left_on"])

    def in_program_some_day(self, pid, start, end):
        p = self.partners[pid]
        lo = max(start, p["joined_on"])
        return lo <= end and (p["left_on"] is None or lo < p["left_on"])

    # -- KPIs of one partner over [start, end] -----------------------------
    def kpi(self, pid, k, start, end):
        inside = lambda d: d is not None and start <= d <= end  # noqa: E731
        deals = self.deals.get(pid, [])
        won = [x for x in deals if x["stage"] == "won" and inside(x["closed_on"])]
        if k == "revenue":
            return sum((x["amount"] for x in won), Fraction(0))
        if k == "sourced_revenue":
            return sum((x["amount"] for x in won if x["source"] == "sourced"), Fraction(0))
        if k == "win_rate":
            lost = [x for x in deals if x["stage"] == "lost" and inside(x["closed_on"])]
            n = len(won) + len(lost)
            return Fraction(len(won), n) if n else None
        if k == "avg_deal_size":
            if not won:
                return None
            return sum((x["amount"] for x in won), Fraction(0)) / len(won)
        if k == "sales_cycle_days":
            if not won:
                return None
            return Fraction(sum((x["closed_on"] - x["created_on"]).days for x in won), len(won))
        if k == "deal_registrations":
            return Fraction(sum(1 for x in deals if inside(x["registered_on"])))
        if k == "new_customers":
            return Fraction(sum(1 for c in self.customers.get(pid, []) if inside(c["acquired_on"])))
        if k == "leads_generated":
            return Fraction(sum(1 for x in self.leads.get(pid, []) if inside(x["created_on"])))
        if k == "lead_conversion_rate":
            created = [x for x in self.leads.get(pid, []) if inside(x["created_on"])]
            if not created:
                return None
            return Fraction(sum(1 for x in created if x["converted_on"] is not None), len(created))
        if k == "certified_partner_rate":
            if pid not in self.partners or not self.active_on(pid, end):
                return None
            ok = any(c["program"] == "sales" and c["completed_on"] is not None
                     and c["completed_on"] <= end for c in self.certs.get(pid, []))
            return Fraction(1 if ok else 0)
        if k == "active_partner_rate":
            if pid not in self.partners or not self.active_on(pid, end):
                return None
            ok = any(inside(x["registered_on"]) for x in deals) or bool(won)
            return Fraction(1 if ok else 0)
        raise ValueError("KPI not supported by the reference: %s" % k)


LOWER_IS_BETTER = {"sales_cycle_days"}
FLOW_KPIS = {"revenue", "sourced_revenue", "deal_registrations", "new_customers",
             "leads_generated"}


def matches(applies_to, partner, tier=None, allow_tiers=True):
    if not applies_to:
        return True
    for key, vals in applies_to.items():
        vals = [str(v) for v in (vals or [])]
        if key == "types":
            if partner["type"] not in vals:
                return False
        elif key == "regions":
            if partner["region"] not in vals:
                return False
        elif key == "partners":
            if partner["id"] not in vals:
                return False
        elif key == "tiers" and allow_tiers:
            if tier is None or tier not in vals:
                return False
        else:
            raise ValueError("unknown applies_to key: %s" % key)
    return True


# ---------------------------------------------------------------------------
# Tiers
# ---------------------------------------------------------------------------
class Ladder:
    def __init__(self, spec, data, today):
        self.spec = spec
        self.data = data
        self.grain = spec.get("evaluate", "quarter")
        self.window = int(spec.get("window", 1))
        self.grace = int(spec.get("demotion_grace", 1))
        if self.grace < 1:
            raise ValueError("demotion_grace must be at least 1")
        self.levels = [lv["id"] for lv in spec["levels"]]
        self.reqs = [lv.get("requires") or [] for lv in spec["levels"]]
        self.applies_to = spec.get("applies_to")
        starts = to_date(spec.get("starts"))
        anchor = starts if starts is not None else data.first_date
        self.first = p_of(self.grain, anchor) if anchor is not None else None
        self.last = last_ended(self.grain, today)
        # per partner: initial level and list of evaluations
        self.history = {}
        self.initial = {}
        for pid, p in sorted(data.partners.items()):
            if not matches(self.applies_to, p, allow_tiers=False):
                continue
            self.initial[pid] = p["tier"] if p["tier"] in self.levels else self.levels[0]
            self.history[pid] = self._replay(pid)

    def qualified(self, pid, period):
        start = p_start(p_shift(period, -(self.window - 1)))
        end = p_end(period)
        q = 0
        for i in range(1, len(self.levels)):
            ok = True
            for r in self.reqs[i]:
                v = self.data.kpi(pid, r["kpi"], start, end)
                if v is None:
                    ok = False
                    break
                if "min" in r and r["min"] is not None and not v >= num(r["min"]):
                    ok = False
                    break
                if "max" in r and r["max"] is not None and not v <= num(r["max"]):
                    ok = False
                    break
            if ok:
                q = i
        return q

    def _replay(self, pid):
        out = []
        if self.first is None:
            return out
        held = self.levels.index(self.initial[pid])
        misses = 0
        for period in p_range(self.first, self.last):
            p = self.data.partners[pid]
            e = p_end(period)
            if not (p["joined_on"] <= e and (p["left_on"] is None or not p["left_on"] <= e)):
                continue
            q = self.qualified(pid, period)
            before = held
            if q > held:
                held, misses, change = q, 0, "promoted"
            elif q == held:
                misses, change = 0, "held"
            else:
                misses += 1
                if misses >= self.grace:
                    held, misses, change = q, 0, "demoted"
                else:
                    change = "at_risk"
            out.append((period, self.levels[before], self.levels[q], self.levels[held],
                        change, misses))
        return out

    def tier_on(self, pid, d):
        """Ladder level held by the partner on day d, None outside applies_to."""
        if pid not in self.history:
            return None
        level = self.initial[pid]
        for ev in self.history[pid]:
            if p_end(ev[0]) < d:
                level = ev[3]
            else:
                break
        return level


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------
class Program:
    def __init__(self, data, defs, today):
        self.data = data
        self.defs = defs
        self.today = today
        self.ladder = Ladder(defs["tiers"], data, today) if defs.get("tiers") else None

    def tier_on(self, pid, d):
        if self.ladder is None:
            return self.data.partners[pid]["tier"]
        return self.ladder.tier_on(pid, d)

    def plan_applies(self, plan, pid, period):
        start, end = p_start(period), p_end(period)
        starts, ends = to_date(plan.get("starts")), to_date(plan.get("ends"))
        if starts is not None and start < starts:
            return False
        if ends is not None and end > ends:
            return False
        if not self.data.in_program_some_day(pid, start, end):
            return False
        return matches(plan.get("applies_to"), self.data.partners[pid],
                       tier=self.tier_on(pid, start))

    # -- rebate --------------------------------------------------------------
    def rebate_lines(self, plan, pid, period):
        start, end = p_start(period), p_end(period)
        basis = self.data.kpi(pid, plan.get("basis", "revenue"), start, end)
        if basis is None or basis <= 0:
            return []
        brackets = [(num(b["from"]), num(b["rate"])) for b in plan["brackets"]]
        bonus = Fraction(0)
        rbt = plan.get("rate_by_tier") or {}
        tier = self.tier_on(pid, start)
        if tier is not None and tier in rbt:
            bonus = num(rbt[tier])
        mode = plan.get("mode", "marginal")
        if mode == "retroactive":
            rate = None
            for f, r in brackets:
                if f <= basis:
                    rate = r
            if rate is None:
                return []
            return [basis * (rate + bonus)]
        lines = []
        for i, (f, r) in enumerate(brackets):
            if f > basis:
                break
            top = brackets[i + 1][0] if i + 1 < len(brackets) else None
            part = (min(basis, top) if top is not None else basis) - f
            lines.append(part * (r + bonus))
        return lines

    # -- attainment bonus ---------------------------------------------------
    def target_for(self, kpi, pid, period, grain):
        p = self.data.partners[pid]
        tier = self.tier_on(pid, p_start(period))
        best, best_rank = None, -1
        for t in self.defs.get("targets") or []:
            if t.get("kpi") != kpi:
                continue
            if "value" not in t:
                raise ValueError("only value targets are supported by the reference")
            g = t.get("grain")
            if g is not None and g != grain:
                continue
            # in force when P overlaps [start(from), end(to)]
            if t.get("from") is not None and p_end(period) < p_start(p_parse(t["from"])):
                continue
            if t.get("to") is not None and p_start(period) > p_end(p_parse(t["to"])):
                continue
            scope = str(t.get("scope", "network"))
            if scope == "network":
                rank = 0
            else:
                kind, _, val = scope.partition(":")
                if kind == "partner" and val == pid:
                    rank = 4
                elif kind == "tier" and tier is not None and val == tier:
                    rank = 3
                elif kind == "type" and val == p["type"]:
                    rank = 2
                elif kind == "region" and val == p["region"]:
                    rank = 1
                else:
                    continue
            if kpi in FLOW_KPIS and rank != 4:
                continue
            if rank >= best_rank:
                best, best_rank = t, rank
        return None if best is None else num(best["value"])

    @staticmethod
    def attainment(kpi, actual, target):
        if target == 0:
            met = actual <= 0 if kpi in LOWER_IS_BETTER else actual >= 0
            return Fraction(1 if met else 0)
        if kpi in LOWER_IS_BETTER:
            return 1 + (target - actual) / abs(target)
        return 1 + (actual - target) / abs(target)

    @staticmethod
    def curve(plan, a):
        th = num(plan.get("threshold", 0))
        at = num(plan.get("at_threshold", 0))
        acc = num(plan.get("accelerator", 1))
        cap = num(plan.get("cap")) if plan.get("cap") is not None else None
        if th >= 1 or at < 0 or at > 1 or (cap is not None and cap < 1):
            raise ValueError("attainment_bonus %s refused" % plan.get("id"))
        if a < th:
            f = Fraction(0)
        elif a < 1:
            f = at + (1 - at) * (a - th) / (1 - th)
        else:
            f = 1 + (a - 1) * acc
        if cap is not None and f > cap:
            f = cap
        return f

    def bonus_lines(self, plan, pid, period):
        start, end = p_start(period), p_end(period)
        lines = []
        for kpi, w in (plan.get("kpis") or {}).items():
            target = self.target_for(kpi, pid, period, plan["period"])
            if target is None:
                continue
            actual = self.data.kpi(pid, kpi, start, end)
            if actual is None:
                continue
            a = self.attainment(kpi, actual, target)
            lines.append(num(plan["target_bonus"]) * num(w) * self.curve(plan, a))
        return lines

    # -- spiff ---------------------------------------------------------------
    def spiff_lines(self, plan, pid, period):
        start, end = p_start(period), p_end(period)
        flt = plan.get("deals") or {}
        products = flt.get("product")
        sources = flt.get("source")
        min_amount = num(flt.get("min_amount")) if flt.get("min_amount") is not None else None
        cents = []
        for d in sorted(self.data.deals.get(pid, []), key=lambda x: x["id"]):
            if d["stage"] != "won" or d["closed_on"] is None or not start <= d["closed_on"] <= end:
                continue
            if products is not None and (d["product"] is None
                                         or d["product"] not in [str(x) for x in products]):
                continue
            if sources is not None and d["source"] not in [str(x) for x in sources]:
                continue
            if min_amount is not None and d["amount"] < min_amount:
                continue
            if plan.get("per_deal") is not None:
                cents.append(round_cents(num(plan["per_deal"])))
            else:
                cents.append(round_cents(num(plan["share"]) * d["amount"]))
        lines = [Fraction(c, 100) for c in cents]
        if plan.get("cap") is not None:
            total = Fraction(sum(cents), 100)
            cap = num(plan["cap"])
            if total > cap:
                lines.append(cap - total)
        return lines

    # -- statements ----------------------------------------------------------
    def statements(self, rng_from, rng_to):
        rows = []
        lo, hi = p_start(rng_from), p_end(rng_to)
        for plan in self.defs.get("incentives") or []:
            kind = plan["kind"]
            if kind == "mdf":
                continue
            fn = {"rebate": self.rebate_lines, "attainment_bonus": self.bonus_lines,
                  "spiff": self.spiff_lines}[kind]
            grain = plan["period"]
            for period in p_range(p_of(grain, lo), p_of(grain, hi)):
                if p_start(period) < lo or p_end(period) > hi or p_start(period) > self.today:
                    continue
                for pid in sorted(self.data.partners):
                    if not self.plan_applies(plan, pid, period):
                        continue
                    for x in fn(plan, pid, period):
                        c = round_cents(x)
                        if c != 0:
                            rows.append((pid, p_label(period), plan["id"], kind, c))
        rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
        return rows

    # -- mdf -----------------------------------------------------------------
    def mdf(self, rng_from, rng_to):
        rows = []
        lo, hi = p_start(rng_from), p_end(rng_to)
        for plan in self.defs.get("incentives") or []:
            if plan["kind"] != "mdf":
                continue
            grain = plan["period"]
            starts = to_date(plan.get("starts"))
            if starts is not None:
                first = p_of(grain, starts)
                if p_start(first) < starts:
                    first = p_next(first)
            elif self.data.first_date is not None:
                first = p_of(grain, self.data.first_date)
            else:
                continue
            last = last_ended(grain, self.today)
            periods = p_range(first, last)
            n = plan.get("expires_after")
            n = int(n) if n is not None else None
            rbt = plan.get("rate_by_tier") or {}
            for pid in sorted(self.data.partners):
                applies = [self.plan_applies(plan, pid, k) for k in periods]
                if not any(applies):
                    continue
                i0 = applies.index(True)
                credits = []  # [index, remaining]
                closing = Fraction(0)
                for i in range(i0, len(periods)):
                    k = periods[i]
                    start, end = p_start(k), p_end(k)
                    opening = closing
                    claims = sum((c["mdf_amount"] for c in self.data.campaigns.get(pid, [])
                                  if c["mdf_amount"] is not None
                                  and start <= c["started_on"] <= end), Fraction(0))
                    need = claims
                    for cr in credits:
                        if need <= 0:
                            break
                        take = min(cr[1], need)
                        cr[1] -= take
                        need -= take
                    funded = claims - need
                    unfunded = need
                    expired = Fraction(0)
                    if n is not None:
                        keep = []
                        for cr in credits:
                            if cr[0] + n <= i:
                                expired += cr[1]
                            else:
                                keep.append(cr)
                        credits = keep
                    credits = [cr for cr in credits if cr[1] > 0]
                    accrued = Fraction(0)
                    if applies[i]:
                        basis = self.data.kpi(pid, plan.get("basis", "revenue"), start, end)
                        if basis is not None and basis > 0:
                            tier = self.tier_on(pid, start)
                            rate = num(rbt[tier]) if tier is not None and tier in rbt \
                                else num(plan.get("accrual_rate", 0))
                            accrued = Fraction(round_cents(rate * basis), 100)
                    if accrued > 0:
                        credits.append([i, accrued])
                    closing = opening - funded - expired + accrued
                    if lo <= start and end <= hi:
                        rows.append((plan["id"], pid, p_label(k), opening, accrued, funded,
                                     unfunded, expired, closing))
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        return rows

    def tiers_rows(self, rng_from, rng_to):
        rows = []
        if self.ladder is None:
            return rows
        lo, hi = p_start(rng_from), p_end(rng_to)
        for pid, hist in sorted(self.ladder.history.items()):
            for (period, held, q, level, change, misses) in hist:
                if lo <= p_start(period) and p_end(period) <= hi:
                    rows.append((pid, p_label(period), held, q, level, change, misses))
        rows.sort(key=lambda r: (r[0], r[1]))
        return rows


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def run(data_dir, defs_dir, today, rng_from, rng_to, out_dir):
    data = Data(data_dir)
    defs = load_defs(defs_dir)
    prog = Program(data, defs, today)
    os.makedirs(out_dir, exist_ok=True)
    write_csv(os.path.join(out_dir, "tiers.csv"),
              ["partner", "period", "held", "qualified", "level", "change", "misses"],
              prog.tiers_rows(rng_from, rng_to))
    write_csv(os.path.join(out_dir, "statements.csv"),
              ["partner", "period", "plan", "kind", "amount"],
              [r[:4] + (fmt_cents(r[4]),) for r in prog.statements(rng_from, rng_to)])
    write_csv(os.path.join(out_dir, "mdf.csv"),
              ["plan", "partner", "period", "opening", "accrued", "claimed", "unfunded",
               "expired", "closing"],
              [r[:3] + tuple(fmt_money(x) for x in r[3:]) for r in prog.mdf(rng_from, rng_to)])
    return prog


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir")
    ap.add_argument("defs_dir")
    ap.add_argument("--today", required=True)
    ap.add_argument("--from", dest="rng_from", required=True)
    ap.add_argument("--to", dest="rng_to", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    run(a.data_dir, a.defs_dir, dt.date.fromisoformat(a.today), p_parse(a.rng_from),
        p_parse(a.rng_to), a.out)


if __name__ == "__main__":
    main()
