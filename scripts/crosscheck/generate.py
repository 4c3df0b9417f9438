#!/usr/bin/env python3
"""Random program generator for the tiers / incentives cross-check.

    python3 scripts/crosscheck/generate.py SEED OUT_DIR

Writes OUT_DIR/data/{partners,deals,leads,campaigns,customers,certifications}.csv (canonical
format, shared/spec/data-format.md) and OUT_DIR/defs/program.yaml (a ladder, a rebate, an
attainment bonus with its targets, a spiff and an MDF plan). The same seed always gives the same
files. Seeds with seed % 3 == 0 are "edge" seeds: some rebate bases land exactly on a bracket's
`from`, some attainments are exactly 1 or exactly the threshold, and a spiff total is exactly its
cap. OUT_DIR/manifest.json records the data range and what the edge cases are.

Standard library only (the YAML is written by hand; numbers are exact decimals).
"""
import csv
import datetime as dt
import json
import os
import random
import re
import sys
from fractions import Fraction

D = dt.date
END = D(2025, 12, 31)          # the data ends here (a few deals close in early January 2026)
LATE_END = D(2026, 1, 10)
TYPES = ["reseller", "msp", "referral"]
REGIONS = ["emea", "na", "apac", "latam"]
PRODUCTS = ["Edge X1", "Edge X2", "Core S", "Cloud Suite"]
SOURCES = ["sourced", "influenced", "co_sell"]
ROUND_AMOUNTS = [5000, 10000, 20000, 25000, 30000, 50000, 75000, 100000, 150000, 250000]
LEVEL_NAMES = ["registered", "silver", "gold", "platinum"]


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
def dec(x):
    """Exact decimal text of a Fraction/int whose denominator is 2^a 5^b."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    sign = "-" if x < 0 else ""
    x = abs(x)
    places = 0
    while (x * 10 ** places).denominator != 1:
        places += 1
        if places > 12:
            raise ValueError("not a short decimal: %r" % x)
    n = (x * 10 ** places).numerator
    s = str(n).rjust(places + 1, "0")
    return sign + s[:-places] + "." + s[-places:]


def money(cents):
    return dec(Fraction(cents, 100))


def rand_day(rng, lo, hi):
    if hi < lo:
        hi = lo
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def q_of(d):
    return (d.year, (d.month - 1) // 3 + 1)


def period_of(grain, d):
    if grain == "month":
        return "%04d-%02d" % (d.year, d.month)
    if grain == "quarter":
        return "%04d-Q%d" % q_of(d)
    return "%04d" % d.year


def period_bounds(label):
    if re.fullmatch(r"\d{4}", label):
        y = int(label)
        return D(y, 1, 1), D(y, 12, 31)
    y, rest = label.split("-")
    y = int(y)
    if rest.startswith("Q"):
        q = int(rest[1:])
        s = D(y, 3 * q - 2, 1)
        e = D(y + 1, 1, 1) if q == 4 else D(y, 3 * q + 1, 1)
        return s, e - dt.timedelta(days=1)
    m = int(rest)
    s = D(y, m, 1)
    e = D(y + 1, 1, 1) if m == 12 else D(y, m + 1, 1)
    return s, e - dt.timedelta(days=1)


def periods_between(grain, lo, hi):
    out = []
    d = lo
    while d <= hi:
        label = period_of(grain, d)
        if label not in out:
            out.append(label)
        d = period_bounds(label)[1] + dt.timedelta(days=1)
    return out


def months_of(grain):
    return {"month": 1, "quarter": 3, "year": 12}[grain]


def nice(x, step):
    return max(step, int(round(x / step)) * step)


# ---------------------------------------------------------------------------
# YAML emitter (block style for structure, flow style for small leaves)
# ---------------------------------------------------------------------------
PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


def yscalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Fraction)):
        return dec(v)
    if isinstance(v, D):
        return v.isoformat()
    s = str(v)
    if PLAIN.match(s) and s.lower() not in ("true", "false", "null", "yes", "no", "on", "off"):
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yflow(v):
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, yflow(x)) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(yflow(x) for x in v) + "]"
    return yscalar(v)


def is_leafy(v):
    if isinstance(v, dict):
        return all(not isinstance(x, (dict, list)) or
                   (isinstance(x, list) and all(not isinstance(y, (dict, list)) for y in x))
                   for x in v.values())
    if isinstance(v, list):
        return all(not isinstance(x, (dict, list)) for x in v)
    return True


def yblock(v, indent=0):
    pad = " " * indent
    lines = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and not (is_leafy(x) and len(yflow(x)) < 90):
                lines.append("%s%s:" % (pad, k))
                lines.extend(yblock(x, indent + 2))
            else:
                lines.append("%s%s: %s" % (pad, k, yflow(x)))
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, dict) and not (is_leafy(x) and len(yflow(x)) < 90):
                sub = yblock(x, indent + 2)
                sub[0] = pad + "- " + sub[0][indent + 2:]
                lines.extend(sub)
            else:
                lines.append("%s- %s" % (pad, yflow(x)))
    return lines


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------
class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.edge = seed % 3 == 0
        self.notes = []   # human-readable edge cases
        self.edges = []   # the same, machine-readable (checked by test_reference.py)
        rng = self.rng
        self.start = D(2024, 1, 1) + dt.timedelta(days=rng.choice([0, 0, 0, 3, 17, 40]))
        self.n_levels = rng.choice([3, 4])
        self.levels = LEVEL_NAMES[:self.n_levels]

    # -- facts ---------------------------------------------------------------
    def partners(self):
        rng = self.rng
        n = rng.randint(15, 40)
        out = []
        for i in range(1, n + 1):
            pid = "P%03d" % i
            r = rng.random()
            if r < 0.7:
                joined = rand_day(rng, D(2020, 1, 1), D(2023, 12, 31))
            elif r < 0.8:
                # on a period boundary: first day or last day of a quarter
                y, q = rng.choice([(2024, 2), (2024, 3), (2025, 1), (2025, 2)])
                s, e = period_bounds("%d-Q%d" % (y, q))
                joined = rng.choice([s, e])
            else:
                joined = rand_day(rng, D(2024, 1, 1), D(2025, 10, 31))
            left = None
            r = rng.random()
            if r < 0.12:
                left = rand_day(rng, max(joined, D(2024, 2, 1)), D(2025, 12, 20))
            elif r < 0.18:
                y, q = rng.choice([(2024, 3), (2024, 4), (2025, 2), (2025, 3)])
                s, e = period_bounds("%d-Q%d" % (y, q))
                left = max(joined, rng.choice([s, e]))
            tier_r = rng.random()
            if tier_r < 0.45:
                tier = rng.choice(self.levels)
            elif tier_r < 0.55:
                tier = "platinum" if self.n_levels == 3 else "diamond"  # not a ladder level
            else:
                tier = ""
            out.append({
                "partner_id": pid, "name": "Partner %d" % i, "type": rng.choice(TYPES),
                "region": rng.choice(REGIONS), "country": rng.choice(["DE", "US", "FR", "BR", ""]),
                "tier": tier, "joined_on": joined, "left_on": left,
                "manager": rng.choice(["Dana Lee", "Sam Ortiz", ""]),
                "_size": rng.choice([0.3, 0.8, 1.5, 2.5, 4.0]),
            })
        self.P = out
        return out

    def active_span(self, p):
        lo = max(self.start, p["joined_on"] - dt.timedelta(days=45))
        hi = END if p["left_on"] is None else min(END, p["left_on"] + dt.timedelta(days=30))
        return lo, max(lo, hi)

    def amount_cents(self):
        rng = self.rng
        r = rng.random()
        if r < 0.45:
            return rng.choice(ROUND_AMOUNTS + self.round_extra) * 100
        if r < 0.47:
            return 0
        return rng.randint(100000, 20000000)

    def deals(self):
        rng = self.rng
        out = []
        n = 0
        for p in self.P:
            lo, hi = self.active_span(p)
            months = max(1, (hi - lo).days / 30.4)
            count = int(months * p["_size"] * rng.uniform(0.6, 1.4))
            for _ in range(count):
                n += 1
                created = rand_day(rng, lo, hi)
                out.append(self.make_deal("D%05d" % n, p["partner_id"], created))
        # the first day of the data
        n += 1
        first = self.make_deal("D%05d" % n, self.P[0]["partner_id"], self.start)
        out.append(first)
        self.D = out
        self.next_deal = n + 1
        return out

    def make_deal(self, did, pid, created, stage=None, closed=None, amount=None, source=None,
                  product=None):
        rng = self.rng
        if stage is None:
            cycle = rng.choice([0, 1, 7, 14, 30, 30, 45, 60, 60, 90, 120, 180])
            cycle = max(0, cycle + rng.randint(-5, 5))
            closed = created + dt.timedelta(days=cycle)
            r = rng.random()
            if closed > END:
                if closed <= LATE_END and rng.random() < 0.5:
                    stage = "won"
                else:
                    stage, closed = "open", None
            elif r < 0.5:
                stage = "won"
            elif r < 0.82:
                stage = "lost"
            else:
                stage, closed = "open", None
        reg = None
        status = None
        if rng.random() < 0.6:
            reg = max(self.start, created + dt.timedelta(days=rng.randint(-5, 20)))
            if reg > END:
                reg = END
            status = rng.choice(["approved", "approved", "rejected", "pending"])
        return {
            "deal_id": did, "partner_id": pid, "customer_id": None,
            "source": source or rng.choice(SOURCES + ["sourced"]),
            "created_on": created, "registered_on": reg, "registration_status": status,
            "stage": stage, "closed_on": closed,
            "amount": amount if amount is not None else self.amount_cents(),
            "product": product if product is not None else rng.choice(PRODUCTS + [""]),
        }

    def customers(self):
        rng = self.rng
        out = []
        n = 0
        for p in self.P:
            lo, hi = self.active_span(p)
            for _ in range(rng.randint(0, int(3 + 4 * p["_size"]))):
                n += 1
                acq = rand_day(rng, lo, hi)
                churn = rand_day(rng, acq, END) if rng.random() < 0.25 else None
                out.append({"customer_id": "CU%05d" % n, "partner_id": p["partner_id"],
                            "acquired_on": acq, "churned_on": churn,
                            "segment": rng.choice(["smb", "mid_market", "enterprise", ""])})
        by = {}
        for c in out:
            by.setdefault(c["partner_id"], []).append(c["customer_id"])
        for d in self.D:
            if by.get(d["partner_id"]) and rng.random() < 0.5:
                d["customer_id"] = rng.choice(by[d["partner_id"]])
        return out

    def certifications(self):
        rng = self.rng
        out = []
        n = 0
        for p in self.P:
            lo, hi = self.active_span(p)
            for person in range(rng.choice([0, 0, 1, 1, 2, 3])):
                for program in rng.sample(["sales", "technical"], rng.randint(1, 2)):
                    n += 1
                    enr = rand_day(rng, lo, hi)
                    comp = None
                    if rng.random() < 0.7:
                        comp = enr + dt.timedelta(days=rng.randint(0, 90))
                        if comp > END:
                            comp = None
                    out.append({"certification_id": "CE%05d" % n,
                                "partner_id": p["partner_id"],
                                "person_id": "%s-E%d" % (p["partner_id"], person),
                                "program": program, "enrolled_on": enr, "completed_on": comp})
        return out

    def campaigns(self):
        rng = self.rng
        out = []
        n = 0
        for p in self.P:
            lo, hi = self.active_span(p)
            for _ in range(rng.randint(1, int(3 + 5 * p["_size"]))):
                n += 1
                start = rand_day(rng, lo, hi)
                cost = rng.choice([rng.randint(20000, 2000000), 500000, 1000000])
                r = rng.random()
                if r < 0.2:
                    mdf = None
                elif r < 0.25:
                    mdf = 0
                elif r < 0.35:
                    mdf = cost
                else:
                    # claims of the size of a few months' accrual
                    mdf = min(cost, rng.randint(5000, 600000))
                    if rng.random() < 0.5:
                        mdf = max(100, mdf // 10000 * 10000)
                out.append({"campaign_id": "CA%05d" % n, "partner_id": p["partner_id"],
                            "name": "Campaign %d" % n,
                            "channel": rng.choice(["email", "event", "web", "paid_search", ""]),
                            "started_on": start,
                            "ended_on": start + dt.timedelta(days=rng.randint(0, 60))
                            if rng.random() < 0.7 else None,
                            "cost": cost, "mdf_amount": mdf})
        self.C = out
        return out

    def leads(self):
        rng = self.rng
        out = []
        n = 0
        camps = {}
        for c in self.C:
            camps.setdefault(c["partner_id"], []).append(c["campaign_id"])
        deals = {}
        for d in self.D:
            deals.setdefault(d["partner_id"], []).append(d["deal_id"])
        for p in self.P:
            lo, hi = self.active_span(p)
            for _ in range(rng.randint(0, int(4 + 8 * p["_size"]))):
                n += 1
                created = rand_day(rng, lo, hi)
                conv = None
                if rng.random() < 0.4:
                    conv = min(END, created + dt.timedelta(days=rng.randint(0, 30)))
                deal_id = None
                if deals.get(p["partner_id"]) and rng.random() < (0.7 if conv else 0.1):
                    deal_id = rng.choice(deals[p["partner_id"]])
                camp = None
                if camps.get(p["partner_id"]) and rng.random() < 0.6:
                    camp = rng.choice(camps[p["partner_id"]])
                out.append({"lead_id": "L%05d" % n, "partner_id": p["partner_id"],
                            "campaign_id": camp, "created_on": created,
                            "converted_on": conv, "deal_id": deal_id})
        return out

    # -- definitions -----------------------------------------------------------
    def ladder(self):
        rng = self.rng
        grain = rng.choice(["month", "quarter", "quarter"])
        window = rng.choice([1, 2, 3, 4] if grain == "quarter" else [1, 3, 6, 12])
        wm = window * months_of(grain)
        lad = {"evaluate": grain, "window": window, "demotion_grace": rng.choice([1, 2, 2, 3])}
        if rng.random() < 0.4:
            lad["starts"] = rng.choice([D(2024, 7, 1), D(2025, 1, 1), D(2024, 5, 17),
                                        D(2025, 3, 31)])
        if rng.random() < 0.3:
            lad["applies_to"] = {"types": ["reseller", "msp"]}
        levels = [{"id": self.levels[0]}]
        scale = [None, 15000, 40000, 80000]
        for i in range(1, self.n_levels):
            reqs = [{"kpi": "revenue", "min": nice(scale[i] * wm * rng.uniform(0.7, 1.3), 5000)}]
            extras = [
                {"kpi": "win_rate", "min": Fraction(rng.choice([25, 30, 40, 45, 50]), 100)},
                {"kpi": "sales_cycle_days", "max": rng.choice([40, 50, 60, 75])},
                {"kpi": "deal_registrations", "min": max(1, int(wm * i * 0.5))},
                {"kpi": "certified_partner_rate", "min": 1},
                {"kpi": "leads_generated", "min": max(1, int(wm * i * 0.6))},
                {"kpi": "active_partner_rate", "min": 1},
                {"kpi": "lead_conversion_rate", "min": Fraction(rng.choice([2, 3, 4]), 10)},
                {"kpi": "new_customers", "min": i},
                {"kpi": "avg_deal_size", "min": rng.choice([20000, 30000, 45000])},
                {"kpi": "sourced_revenue", "min": nice(scale[i] * wm * 0.3, 5000)},
            ]
            reqs += rng.sample(extras, rng.choice([0, 1, 1, 2, 2, 3]))
            lv = {"id": self.levels[i], "requires": reqs}
            if rng.random() < 0.5:
                lv["benefits"] = {"discount": Fraction(10 + 5 * i, 100), "support": "priority"}
            levels.append(lv)
        lad["levels"] = levels
        self.lad = lad
        return lad

    def plan_applies_to(self, allow_tiers=True):
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return None
        if r < 0.75:
            return {"types": rng.sample(TYPES, 2)}
        if r < 0.85:
            return {"regions": rng.sample(REGIONS, 3)}
        if r < 0.92 and allow_tiers:
            return {"tiers": self.levels[1:]}
        return {"types": rng.sample(TYPES, 2), "regions": rng.sample(REGIONS, 3)}

    def rebate(self):
        rng = self.rng
        grain = rng.choice(["quarter", "quarter", "month", "year"])
        m = months_of(grain)
        n = rng.choice([2, 3, 4])
        froms = [0] + sorted(rng.sample([nice(x * m, 5000) for x in
                                         (15000, 30000, 50000, 80000, 120000)], n - 1))
        rates = sorted(rng.sample([Fraction(x, 10000) for x in
                                   (100, 150, 200, 250, 300, 325, 400, 500, 1)], n))
        plan = {"id": "rebate", "name": "Resale rebate", "kind": "rebate", "period": grain,
                "basis": rng.choice(["revenue", "revenue", "sourced_revenue"]),
                "mode": rng.choice(["marginal", "retroactive"]),
                "brackets": [{"from": f, "rate": r} for f, r in zip(froms, rates)]}
        if rng.random() < 0.6:
            plan["rate_by_tier"] = {self.levels[-1]: Fraction(1, 100),
                                    self.levels[-2]: Fraction(5, 1000)}
        at = self.plan_applies_to()
        if at:
            plan["applies_to"] = at
        if rng.random() < 0.25:
            plan["starts"] = rng.choice([D(2024, 4, 1), D(2024, 7, 1), D(2025, 1, 1)])
        if rng.random() < 0.15:
            plan["ends"] = D(2025, 9, 30)
        self.round_extra = [f for f in froms if f > 0]
        self.rebate_plan = plan
        return plan

    def bonus(self):
        rng = self.rng
        grain = rng.choice(["quarter", "quarter", "month", "year"])
        flows = ["revenue", "deal_registrations", "new_customers", "leads_generated",
                 "sourced_revenue"]
        rates = ["win_rate", "sales_cycle_days", "lead_conversion_rate", "avg_deal_size",
                 "active_partner_rate", "certified_partner_rate"]
        ks = rng.sample(flows, rng.choice([1, 2])) + rng.sample(rates, rng.choice([1, 2]))
        weights = rng.choice({2: [[Fraction(7, 10), Fraction(3, 10)],
                                  [Fraction(1, 2), Fraction(1, 2)]],
                              3: [[Fraction(1, 2), Fraction(3, 10), Fraction(1, 5)],
                                  [Fraction(2, 5), Fraction(2, 5), Fraction(1, 5)]],
                              4: [[Fraction(1, 4)] * 4,
                                  [Fraction(2, 5), Fraction(3, 10), Fraction(1, 5),
                                   Fraction(1, 10)]]}[len(ks)])
        plan = {"id": "bonus", "name": "Growth bonus", "kind": "attainment_bonus",
                "period": grain,
                "target_bonus": rng.choice([5000, 2500, Fraction(123450, 100), 10000]),
                "kpis": dict(zip(ks, weights)),
                "threshold": Fraction(rng.choice([50, 60, 75, 80, 90]), 100),
                "at_threshold": Fraction(rng.choice([0, 25, 50, 100]), 100),
                "accelerator": rng.choice([1, Fraction(3, 2), 2, 3]),
                "cap": rng.choice([1, Fraction(3, 2), 2, 3])}
        at = self.plan_applies_to()
        if at:
            plan["applies_to"] = at
        self.bonus_plan = plan
        return plan

    def spiff(self):
        rng = self.rng
        grain = rng.choice(["month", "quarter"])
        filt = {}
        if rng.random() < 0.7:
            filt["product"] = rng.sample(PRODUCTS, rng.choice([1, 2]))
        if rng.random() < 0.5:
            filt["source"] = rng.sample(SOURCES, rng.choice([1, 2]))
        if rng.random() < 0.6:
            filt["min_amount"] = rng.choice([10000, 25000, 50000])
        plan = {"id": "spiff", "name": "New product spiff", "kind": "spiff", "period": grain}
        if filt:
            plan["deals"] = filt
        if rng.random() < 0.6:
            plan["per_deal"] = rng.choice([250, 500, Fraction(7525, 100)])
        else:
            plan["share"] = Fraction(rng.choice([100, 125, 200, 50]), 10000)
        if rng.random() < 0.8:
            plan["cap"] = rng.choice([500, 1000, 1500, 2500])
        at = self.plan_applies_to()
        if at:
            plan["applies_to"] = at
        self.spiff_plan = plan
        return plan

    def mdf(self):
        rng = self.rng
        plan = {"id": "mdf", "name": "Market development funds", "kind": "mdf",
                "period": rng.choice(["quarter", "quarter", "month"]),
                "accrual_rate": rng.choice([Fraction(1, 100), Fraction(2, 100), Fraction(3, 100),
                                            Fraction(25, 1000)])}
        if rng.random() < 0.7:
            plan["rate_by_tier"] = {self.levels[-1]: Fraction(3, 100),
                                    self.levels[1]: Fraction(15, 1000)}
        if rng.random() < 0.8:
            plan["expires_after"] = rng.choice([1, 2, 3, 4])
        if rng.random() < 0.35:
            plan["starts"] = rng.choice([D(2024, 4, 1), D(2024, 10, 1), D(2025, 1, 1)])
        at = self.plan_applies_to(allow_tiers=rng.random() < 0.5)
        if at:
            plan["applies_to"] = at
        return plan

    # -- targets ---------------------------------------------------------------
    def kpi_scale(self, kpi, grain):
        """A plausible value target for a partner's KPI over one period of the grain."""
        rng = self.rng
        m = months_of(grain)
        if kpi == "revenue":
            return nice(rng.uniform(10000, 90000) * m, 1000)
        if kpi == "sourced_revenue":
            return nice(rng.uniform(5000, 40000) * m, 1000)
        if kpi == "deal_registrations":
            return max(1, int(rng.uniform(0.3, 2) * m))
        if kpi == "new_customers":
            return rng.choice([1, 1, 2, 3]) if m < 12 else rng.choice([2, 4, 5])
        if kpi == "leads_generated":
            return max(1, int(rng.uniform(0.5, 3) * m))
        if kpi == "win_rate":
            return Fraction(rng.choice([30, 40, 45, 50, 60]), 100)
        if kpi == "sales_cycle_days":
            return rng.choice([30, 45, 60])
        if kpi == "lead_conversion_rate":
            return Fraction(rng.choice([20, 30, 40]), 100)
        if kpi == "avg_deal_size":
            return rng.choice([25000, 40000, 60000])
        if kpi in ("active_partner_rate", "certified_partner_rate"):
            return rng.choice([1, Fraction(1, 2)])
        raise ValueError(kpi)

    def targets(self):
        rng = self.rng
        plan = self.bonus_plan
        grain = plan["period"]
        out = []
        years = ["2024", "2025", "2026"]
        for kpi in plan["kpis"]:
            if kpi in ("revenue", "sourced_revenue", "deal_registrations", "new_customers",
                       "leads_generated"):
                # partner-level value targets (the only ones that apply to a partner for a flow)
                for p in self.P:
                    if rng.random() < 0.7:
                        t = {"kpi": kpi, "scope": "partner:" + p["partner_id"],
                             "value": self.kpi_scale(kpi, grain)}
                        r = rng.random()
                        if r < 0.6:
                            t["grain"] = grain
                        elif r < 0.7:
                            t["grain"] = rng.choice([g for g in ("month", "quarter", "year")
                                                     if g != grain])  # never applies
                        if rng.random() < 0.3:
                            y = rng.choice(years[:2])
                            t["from"] = y
                            t["to"] = y
                        out.append(t)
                # network and type values of a flow: must not apply to partners
                out.append({"kpi": kpi, "scope": "network", "grain": grain,
                            "value": self.kpi_scale(kpi, grain)})
                if rng.random() < 0.5:
                    out.append({"kpi": kpi, "scope": "type:" + rng.choice(TYPES),
                                "value": self.kpi_scale(kpi, grain)})
            else:
                out.append({"kpi": kpi, "scope": "network", "value": self.kpi_scale(kpi, grain)})
                for typ in rng.sample(TYPES, rng.randint(1, 3)):
                    t = {"kpi": kpi, "scope": "type:" + typ, "grain": grain,
                         "value": self.kpi_scale(kpi, grain)}
                    if rng.random() < 0.3:
                        t["from"] = "2025"
                    out.append(t)
                if rng.random() < 0.5:
                    out.append({"kpi": kpi, "scope": "region:" + rng.choice(REGIONS),
                                "value": self.kpi_scale(kpi, grain)})
                if rng.random() < 0.5:
                    out.append({"kpi": kpi, "scope": "tier:" + rng.choice(self.levels[1:]),
                                "grain": grain, "value": self.kpi_scale(kpi, grain)})
                if rng.random() < 0.4:
                    p = rng.choice(self.P)
                    out.append({"kpi": kpi, "scope": "partner:" + p["partner_id"],
                                "grain": grain, "value": self.kpi_scale(kpi, grain)})
                if rng.random() < 0.3:  # a later, equally specific network target wins
                    out.append({"kpi": kpi, "scope": "network", "grain": grain,
                                "value": self.kpi_scale(kpi, grain)})
        self.T = out
        return out

    # -- edge cases ---------------------------------------------------------------
    def won_in(self, pid, lo, hi, pred=lambda d: True):
        return [d for d in self.D if d["partner_id"] == pid and d["stage"] == "won"
                and d["closed_on"] is not None and lo <= d["closed_on"] <= hi and pred(d)]

    def in_program_some_day(self, p, lo, hi):
        s = max(lo, p["joined_on"])
        return s <= hi and (p["left_on"] is None or s < p["left_on"])

    def plan_may_apply(self, plan, p, label):
        """Whether `plan` can apply to partner p in period `label`: starts/ends, in the program
        on some day, and applies_to except its `tiers` key (which needs the ladder)."""
        lo, hi = period_bounds(label)
        if plan.get("starts") and lo < plan["starts"]:
            return False
        if plan.get("ends") and hi > plan["ends"]:
            return False
        if not self.in_program_some_day(p, lo, hi):
            return False
        at = plan.get("applies_to") or {}
        if "types" in at and p["type"] not in at["types"]:
            return False
        if "regions" in at and p["region"] not in at["regions"]:
            return False
        return True

    def edge_rebate(self):
        """Bases exactly on a bracket's `from`."""
        rng = self.rng
        plan = self.rebate_plan
        grain = plan["period"]
        sourced = plan["basis"] == "sourced_revenue"
        labels = [x for x in periods_between(grain, self.start, END)]
        froms = [b["from"] for b in plan["brackets"]][1:]
        done = 0
        used = set()
        for _ in range(60):
            if done >= 4:
                break
            p = rng.choice(self.P)
            label = rng.choice(labels)
            lo, hi = period_bounds(label)
            if not self.plan_may_apply(plan, p, label) or (p["partner_id"], label) in used:
                continue
            basis = sum(d["amount"] for d in self.won_in(
                p["partner_id"], lo, hi, lambda d: d["source"] == "sourced" or not sourced))
            above = [f * 100 for f in froms if f * 100 > basis]
            if not above:
                continue
            edge = above[0]
            used.add((p["partner_id"], label))
            closed = rand_day(rng, lo, min(hi, END))
            d = self.make_deal("D%05d" % self.next_deal, p["partner_id"],
                               max(self.start, closed - dt.timedelta(days=rng.randint(0, 40))),
                               stage="won", closed=closed, amount=edge - basis,
                               source="sourced")
            self.next_deal += 1
            self.D.append(d)
            self.notes.append("rebate basis of %s in %s = %s (a bracket's from)"
                              % (p["partner_id"], label, money(edge)))
            self.edges.append({"case": "rebate_basis", "partner": p["partner_id"],
                               "period": label, "basis": plan["basis"], "value": money(edge)})
            done += 1

    def actual(self, kpi, pid, lo, hi):
        ds = [d for d in self.D if d["partner_id"] == pid]
        won = [d for d in ds if d["stage"] == "won" and lo <= (d["closed_on"] or END) <= hi
               and d["closed_on"] is not None]
        if kpi == "revenue":
            return Fraction(sum(d["amount"] for d in won), 100)
        if kpi == "sourced_revenue":
            return Fraction(sum(d["amount"] for d in won if d["source"] == "sourced"), 100)
        if kpi == "deal_registrations":
            return sum(1 for d in ds if d["registered_on"] and lo <= d["registered_on"] <= hi)
        return None

    def edge_bonus(self):
        """Attainments exactly 1 and exactly at the threshold (partner-level flow targets
        restricted to one period by from/to, listed last so that they win)."""
        rng = self.rng
        plan = self.bonus_plan
        grain = plan["period"]
        flows = [k for k in plan["kpis"] if k in ("revenue", "sourced_revenue",
                                                  "deal_registrations")]
        if not flows:
            return
        labels = periods_between(grain, self.start, END)
        th = plan["threshold"]
        made = 0
        used = set()
        for _ in range(80):
            if made >= 6:
                break
            kpi = rng.choice(flows)
            p = rng.choice(self.P)
            label = rng.choice(labels)
            lo, hi = period_bounds(label)
            if not self.plan_may_apply(plan, p, label) or (kpi, p["partner_id"], label) in used:
                continue
            act = self.actual(kpi, p["partner_id"], lo, hi)
            if not act:
                continue
            at_threshold = made % 2 == 1
            if at_threshold:
                value = Fraction(act) / th
                if (value * 100).denominator != 1:  # keep targets in whole cents
                    continue
            else:
                value = Fraction(act)
            used.add((kpi, p["partner_id"], label))
            self.T.append({"kpi": kpi, "scope": "partner:" + p["partner_id"], "grain": grain,
                           "from": label, "to": label, "value": value})
            self.notes.append("attainment of %s for %s in %s = %s" % (
                kpi, p["partner_id"], label, "threshold" if at_threshold else "1"))
            self.edges.append({"case": "attainment", "partner": p["partner_id"],
                               "period": label, "kpi": kpi,
                               "attainment": dec(th) if at_threshold else "1"})
            made += 1

    def spiff_qualifies(self, d):
        f = self.spiff_plan.get("deals", {})
        if d["stage"] != "won":
            return False
        if "product" in f and d["product"] not in f["product"]:
            return False
        if "source" in f and d["source"] not in f["source"]:
            return False
        if "min_amount" in f and d["amount"] < f["min_amount"] * 100:
            return False
        return True

    def edge_spiff(self):
        """A spiff total exactly at its cap."""
        rng = self.rng
        plan = self.spiff_plan
        grain = plan["period"]
        labels = periods_between(grain, self.start, END)
        for _ in range(200):
            p = rng.choice(self.P)
            label = rng.choice(labels)
            lo, hi = period_bounds(label)
            if not self.plan_may_apply(plan, p, label):
                continue
            q = self.won_in(p["partner_id"], lo, hi, self.spiff_qualifies)
            if not q:
                continue
            if "per_deal" in plan:
                total = Fraction(plan["per_deal"]) * len(q)
            else:
                total = sum(Fraction(round_half_up(plan["share"] * d["amount"]), 100) for d in q)
            if total <= 0:
                continue
            plan["cap"] = total
            self.notes.append("spiff total of %s in %s = cap %s" % (p["partner_id"], label,
                                                                    dec(total)))
            self.edges.append({"case": "spiff_cap", "partner": p["partner_id"], "period": label,
                               "value": dec(total)})
            return

    # -- output ------------------------------------------------------------------
    def write(self, out_dir):
        data_dir = os.path.join(out_dir, "data")
        defs_dir = os.path.join(out_dir, "defs")
        os.makedirs(data_dir, exist_ok=True)
        os.makedirs(defs_dir, exist_ok=True)
        partners = self.partners()
        ladder = self.ladder()
        rebate = self.rebate()
        bonus = self.bonus()
        spiff = self.spiff()
        mdf = self.mdf()
        self.deals()
        campaigns = self.campaigns()
        customers = self.customers()
        certs = self.certifications()
        leads = self.leads()
        targets = self.targets()
        if self.edge:
            self.edge_rebate()
            self.edge_bonus()
            self.edge_spiff()
        targets = self.T

        def fmt(v, kind=None):
            if v is None:
                return ""
            if kind == "money":
                return money(v)
            if isinstance(v, D):
                return v.isoformat()
            return str(v)

        def write_csv(name, cols, rows, money_cols=()):
            with open(os.path.join(data_dir, name + ".csv"), "w", newline="",
                      encoding="utf-8") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(cols)
                for r in rows:
                    w.writerow([fmt(r[c], "money" if c in money_cols else None) for c in cols])

        write_csv("partners", ["partner_id", "name", "type", "region", "country", "tier",
                               "joined_on", "left_on", "manager"], partners)
        write_csv("deals", ["deal_id", "partner_id", "customer_id", "source", "created_on",
                            "registered_on", "registration_status", "stage", "closed_on",
                            "amount", "product"],
                  sorted(self.D, key=lambda d: d["deal_id"]), money_cols=("amount",))
        write_csv("leads", ["lead_id", "partner_id", "campaign_id", "created_on",
                            "converted_on", "deal_id"], leads)
        write_csv("campaigns", ["campaign_id", "partner_id", "name", "channel", "started_on",
                                "ended_on", "cost", "mdf_amount"], campaigns,
                  money_cols=("cost", "mdf_amount"))
        write_csv("customers", ["customer_id", "partner_id", "acquired_on", "churned_on",
                                "segment"], customers)
        write_csv("certifications", ["certification_id", "partner_id", "person_id", "program",
                                     "enrolled_on", "completed_on"], certs)
        doc = {"tiers": ladder, "incentives": [rebate, bonus, spiff, mdf], "targets": targets}
        text = ["# generated by scripts/crosscheck/generate.py, seed %d%s"
                % (self.seed, " (edge cases)" if self.edge else "")]
        for key in ("tiers", "incentives", "targets"):
            text.extend(yblock({key: doc[key]}))
        with open(os.path.join(defs_dir, "program.yaml"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(text) + "\n")
        first = self.start
        manifest = {"seed": self.seed, "edge": self.edge, "first_date": first.isoformat(),
                    "from": "%04d-01" % first.year, "to": "2026-12",
                    "today": "2026-01-15", "partners": len(partners), "deals": len(self.D),
                    "notes": self.notes, "edges": self.edges}
        with open(os.path.join(out_dir, "manifest.json"), "w") as fh:
            json.dump(manifest, fh, indent=2)
        return manifest


def round_half_up(x):
    """Fraction in cents -> integer cents, half away from zero (x >= 0 here)."""
    x = Fraction(x)
    return (x.numerator * 2 + x.denominator) // (2 * x.denominator)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        sys.exit("usage: generate.py SEED OUT_DIR")
    m = Gen(int(argv[0])).write(argv[1])
    print(json.dumps(m))


if __name__ == "__main__":
    main()
