#!/usr/bin/env python3
"""Self-test of benchmarks/duckdb/catalog.py (and compare.py).

    python3 benchmarks/duckdb/selftest.py [--seeds N] [--keep DIR]

1. Hand-made fixtures (fixtures/basic, fixtures/sparse): values worked out by hand (see the
   comments next to each expectation).
2. Randomly generated data sets: the whole output of catalog.py, for every --by and --grain,
   is compared with a deliberately naive pure-Python evaluation of the spec (literal loops over
   scopes x periods with exact Fraction arithmetic).
3. compare.py: identical files -> exit 0; perturbed files -> exit 1.
Exit status 0 when everything passes.
"""
import argparse
import calendar
import csv
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, "catalog.py")
COMPARE = os.path.join(HERE, "compare.py")
FIX = os.path.join(HERE, "fixtures")

KPIS = ["revenue", "sourced_revenue", "win_rate", "new_customers", "market_share",
        "lead_conversion_rate", "avg_deal_size", "sales_cycle_days", "co_sell_cycle_days",
        "open_pipeline", "pipeline_velocity", "deal_registrations", "registration_approval_rate",
        "registrations_per_partner", "leads_generated", "web_visits", "visit_to_lead_rate",
        "cost_per_acquisition", "marketing_roi", "nps", "customer_retention_rate",
        "avg_resolution_hours", "support_csat", "certified_partner_rate",
        "time_to_first_deal_days", "active_partner_rate", "customer_lifetime_value"]
MONEY_SUMS = {"revenue", "sourced_revenue", "open_pipeline"}
COUNTS = {"new_customers", "deal_registrations", "leads_generated", "web_visits"}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def run_catalog(data_dir, *args):
    out = subprocess.run([sys.executable, CATALOG, data_dir, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"catalog.py {data_dir} {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def parse_output(text):
    rows = list(csv.reader(text.splitlines()))
    return rows[0], rows[1:]


def check_format(header, rows, where):
    if header != ["kpi", "scope", "period", "value"]:
        fail(f"{where}: header {header}")
    keys = [tuple(r[:3]) for r in rows]
    if keys != sorted(keys):
        fail(f"{where}: rows not sorted by kpi, scope, period")
    if len(set(keys)) != len(keys):
        fail(f"{where}: duplicated keys")
    for k, s, p, v in rows:
        if v == "":
            continue
        if k in MONEY_SUMS:
            Decimal(v)
        elif k in COUNTS:
            if str(int(v)) != v:
                fail(f"{where}: count {k},{s},{p} = {v!r}")
        elif repr(float(v)) != v:
            fail(f"{where}: {k},{s},{p} = {v!r} is not the shortest repr of a float")


def close(a, b, rel=1e-12, abs_=1e-12):
    return a == b or abs(a - b) <= abs_ or abs(a - b) <= rel * max(abs(a), abs(b))


# ---------------------------------------------------------------------------
# 1. hand-made fixtures
# ---------------------------------------------------------------------------
def hand_checks():
    basic = os.path.join(FIX, "basic")
    N = None  # null
    cases = [
        (["--by", "network", "--grain", "month", "--from", "2025-01", "--to", "2025-03"], {
            # Jan: won D1 (1000.00, 15 d, sourced), D3 (2000.50, 61 d, co_sell); lost D2
            ("revenue", "network", "2025-01"): "3000.50",
            ("sourced_revenue", "network", "2025-01"): "1000.00",
            ("win_rate", "network", "2025-01"): 2 / 3,
            ("avg_deal_size", "network", "2025-01"): 1500.25,
            ("sales_cycle_days", "network", "2025-01"): 38.0,
            ("co_sell_cycle_days", "network", "2025-01"): 61.0,
            # Feb: only D6 lost -> win rate 0 (not null), no won deal -> avg/cycle null
            ("win_rate", "network", "2025-02"): 0.0,
            ("revenue", "network", "2025-02"): "0.00",
            ("avg_deal_size", "network", "2025-02"): N,
            ("sales_cycle_days", "network", "2025-02"): N,
            ("pipeline_velocity", "network", "2025-02"): N,
            # Mar: won D5 (700, 49 d), D7 (300, 14 d, co_sell)
            ("revenue", "network", "2025-03"): "1000.00",
            ("sales_cycle_days", "network", "2025-03"): 31.5,
            ("co_sell_cycle_days", "network", "2025-03"): 14.0,
            # open at end of Jan 31: D4 only (D3 closed on Jan 31 is not open)
            ("open_pipeline", "network", "2025-01"): "300.00",
            # end of Feb 28: D4 + D5 (D6 closed Feb 28)
            ("open_pipeline", "network", "2025-02"): "1000.00",
            # end of Mar 31: D4 (D5 closed on Mar 31)
            ("open_pipeline", "network", "2025-03"): "300.00",
            # velocity Jan = 1 * 2/3 * 1500.25 / 38
            ("pipeline_velocity", "network", "2025-01"): 1 * (2 / 3) * 1500.25 / 38,
            ("pipeline_velocity", "network", "2025-03"): 1 * 1.0 * 500.0 / 31.5,
            # registrations: Jan D1 approved + D2 rejected; Feb D4 pending + D5 approved; Mar none
            ("deal_registrations", "network", "2025-01"): "2",
            ("registration_approval_rate", "network", "2025-01"): 0.5,
            ("registration_approval_rate", "network", "2025-02"): 1.0,
            ("registration_approval_rate", "network", "2025-03"): N,
            ("deal_registrations", "network", "2025-03"): "0",
            # active partners: Jan 31 {P1,P2}; Feb 28 {P1,P2,P3}; Mar 31 {P1,P3} (P2 left Mar 10)
            ("registrations_per_partner", "network", "2025-01"): 1.0,
            ("registrations_per_partner", "network", "2025-02"): 2 / 3,
            ("registrations_per_partner", "network", "2025-03"): 0.0,
            ("active_partner_rate", "network", "2025-01"): 0.5,
            ("active_partner_rate", "network", "2025-02"): 2 / 3,
            ("active_partner_rate", "network", "2025-03"): 0.5,
            # sales certification completed: P1 Jan 31, P2 Feb 5; P3 only technical / incomplete
            ("certified_partner_rate", "network", "2025-01"): 0.5,
            ("certified_partner_rate", "network", "2025-02"): 2 / 3,
            ("certified_partner_rate", "network", "2025-03"): 0.5,
            # new customers: C3 (Jan), C5 (Feb)
            ("new_customers", "network", "2025-01"): "1",
            ("new_customers", "network", "2025-03"): "0",
            # retention: Jan base {C1,C2,C6} (C4 churned Dec 31) all kept
            ("customer_retention_rate", "network", "2025-01"): 1.0,
            # Feb base {C1,C2,C3,C6}, C2 churns Feb 15 -> 3/4
            ("customer_retention_rate", "network", "2025-02"): 0.75,
            ("customer_retention_rate", "network", "2025-03"): 0.75,
            # leads: Jan L1 conv, L2 has deal_id but no converted_on, L3 converted in Feb
            ("leads_generated", "network", "2025-01"): "3",
            ("lead_conversion_rate", "network", "2025-01"): 2 / 3,
            ("lead_conversion_rate", "network", "2025-03"): 0.5,
            ("web_visits", "network", "2025-01"): "150",
            ("visit_to_lead_rate", "network", "2025-01"): 3 / 150,
            ("visit_to_lead_rate", "network", "2025-02"): 1 / 40,
            ("web_visits", "network", "2025-03"): "0",
            ("visit_to_lead_rate", "network", "2025-03"): N,
            # campaigns: K1 400 (Jan), K2 0 (Feb), K3 250 (Mar)
            ("cost_per_acquisition", "network", "2025-01"): 400.0,
            ("cost_per_acquisition", "network", "2025-02"): 0.0,
            ("cost_per_acquisition", "network", "2025-03"): N,
            # Jan campaign revenue = D1 (1000) -> (1000-400)/400
            ("marketing_roi", "network", "2025-01"): 1.5,
            ("marketing_roi", "network", "2025-02"): N,
            # Mar: D5 (named by two campaign leads, counted once) + D7 (lead of another partner)
            ("marketing_roi", "network", "2025-03"): (1000 - 250) / 250,
            # NPS Jan: 10, 9, 6, 8 -> (2-1)/4; Feb: S5 re-imported with score 0 (upsert)
            ("nps", "network", "2025-01"): 25.0,
            ("nps", "network", "2025-02"): -100.0,
            ("nps", "network", "2025-03"): N,
            # tickets: T1 resolved 2025-01-31T23:30Z (offset +02:00) 1.5 h, sat 4;
            # T2 resolved 2025-02-01T02:00Z, 35 h, no sat; T3 Feb 0.75 h, sat 2; T4 unresolved
            ("avg_resolution_hours", "network", "2025-01"): 1.5,
            ("avg_resolution_hours", "network", "2025-02"): (35 + 0.75) / 2,
            ("support_csat", "network", "2025-01"): 4.0,
            ("support_csat", "network", "2025-02"): 2.0,
            ("support_csat", "network", "2025-03"): N,
            # market: Jan emea 10000 + na 5000
            ("market_share", "network", "2025-01"): 3000.50 / 15000,
            ("market_share", "network", "2025-02"): 0.0,
            ("market_share", "network", "2025-03"): 1000 / 50000,
            # first won deal: P1 2025-01-20 - 2024-06-01 = 233 d; P3 2025-03-15 - 2025-02-01 = 42 d
            ("time_to_first_deal_days", "network", "2025-01"): 233.0,
            ("time_to_first_deal_days", "network", "2025-02"): N,
            ("time_to_first_deal_days", "network", "2025-03"): 42.0,
            # CLV Mar: W = 2024-04..2025-03; deals with customer: D1,D3,D7 (C1), D5 (C6):
            # ARPC 4000.50/2; churned in W: C2,C4,C5 = 3; active 2024-03-31: C1,C4,C6 = 3 -> 1
            ("customer_lifetime_value", "network", "2025-03"): 2000.25,
            # Jan: W = 2024-02..2025-01: ARPC 3000.50/1; churn C4 / {C1,C6} = 1/2 -> lifetime 2
            ("customer_lifetime_value", "network", "2025-01"): 6001.0,
        }),
        (["--by", "partner", "--grain", "month", "--from", "2025-01", "--to", "2025-03"], {
            # P1 Jan: no open deal, other factors valued -> velocity 0
            ("pipeline_velocity", "partner:P1", "2025-01"): 0.0,
            ("pipeline_velocity", "partner:P3", "2025-03"): 0.0,
            # P3 Mar: ARPC (700+300)/2 customers; churn 0 / 1 -> lifetime 10
            ("customer_lifetime_value", "partner:P3", "2025-03"): 5000.0,
            # P1 Mar: ARPC 3000.50; churn 3 (C2,C4,C5) / 2 (C1,C4) -> lifetime 2/3
            ("customer_lifetime_value", "partner:P1", "2025-03"): 3000.5 * 2 / 3,
            ("customer_lifetime_value", "partner:P2", "2025-03"): N,
            # P2 left on Mar 10: no active partner at end of Mar -> null rates
            ("certified_partner_rate", "partner:P2", "2025-03"): N,
            ("active_partner_rate", "partner:P2", "2025-03"): N,
            ("registrations_per_partner", "partner:P2", "2025-03"): N,
            ("customer_retention_rate", "partner:P2", "2025-01"): N,
            ("customer_retention_rate", "partner:P1", "2025-03"): 0.5,
            ("market_share", "partner:P2", "2025-03"): N,       # no 'na' market row in March
            ("market_share", "partner:P2", "2025-01"): 0.0,
            ("marketing_roi", "partner:P2", "2025-03"): -1.0,
            ("marketing_roi", "partner:P3", "2025-03"): N,      # campaign cost 0
            ("visit_to_lead_rate", "partner:P2", "2025-01"): N,  # 0 visits
            ("lead_conversion_rate", "partner:P2", "2025-01"): 1.0,
        }),
        (["--by", "tier", "--grain", "quarter"], {
            # won D1,D3,D5,D7 lost D2 (P2 has no tier, D6 not counted)
            ("win_rate", "tier:gold", "2025-Q1"): 0.8,
            ("time_to_first_deal_days", "tier:gold", "2025-Q1"): (233 + 42) / 2,
            ("customer_lifetime_value", "tier:gold", "2025-Q1"): 2000.25,
            # W = 2024-07..2025-06: churn 3 / 4 (C1,C2,C4,C6 active 2024-06-30) -> lifetime 4/3
            ("customer_lifetime_value", "tier:gold", "2025-Q2"): 2000.25 * 4 / 3,
            ("customer_lifetime_value", "tier:gold", "2024-Q4"): N,
        }),
        (["--by", "region", "--grain", "year", "--kpi", "market_share,revenue,customer_lifetime_value"], {
            # emea: 4000.50 / (10000+20000+50000); apac market row belongs to no scope
            ("market_share", "region:emea", "2025"): 4000.50 / 80000,
            ("market_share", "region:na", "2025"): 0.0,
            ("market_share", "region:na", "2024"): N,
            ("revenue", "region:emea", "2025"): "4000.50",
            # W = 2025: churned C2, C5 / active 2024-12-31 {C1,C2,C6} -> lifetime 1.5
            ("customer_lifetime_value", "region:emea", "2025"): 2000.25 * 1.5,
        }),
        (["--by", "type", "--grain", "quarter", "--from", "2025-Q1", "--to", "2025-Q1"], {
            # reseller = P1 + P2: won D1, D3; lost D2, D6
            ("win_rate", "type:reseller", "2025-Q1"): 0.5,
            ("win_rate", "type:msp", "2025-Q1"): 1.0,
            ("customer_retention_rate", "type:reseller", "2025-Q1"): 0.5,  # {C1,C2} -> {C1}
            ("nps", "type:msp", "2025-Q1"): -50.0,  # S4=8 (passive), S5=0
        }),
    ]
    for args, expected in cases:
        header, rows = parse_output(run_catalog(basic, *args))
        where = "basic " + " ".join(args)
        check_format(header, rows, where)
        got = {tuple(r[:3]): r[3] for r in rows}
        for key, exp in expected.items():
            if key not in got:
                fail(f"{where}: missing row {key}")
                continue
            v = got[key]
            if exp is None:
                if v != "":
                    fail(f"{where}: {key} expected null, got {v!r}")
            elif isinstance(exp, str):
                if v != exp:
                    fail(f"{where}: {key} expected {exp!r}, got {v!r}")
            elif v == "" or not close(float(v), exp):
                fail(f"{where}: {key} expected {exp!r}, got {v!r}")

    # scope and period listing
    _, rows = parse_output(run_catalog(basic, "--by", "tier", "--grain", "month", "--kpi", "revenue"))
    scopes = sorted({r[1] for r in rows})
    periods = sorted({r[2] for r in rows})
    if scopes != ["tier:gold"]:
        fail(f"tier scopes {scopes}")
    # default range: earliest date 2024-01-01 (C6 acquired) .. market month 2025-04
    if periods[0] != "2024-01" or periods[-1] != "2025-04" or len(periods) != 16:
        fail(f"default month range {periods[0]}..{periods[-1]} ({len(periods)})")
    _, rows = parse_output(run_catalog(basic, "--by", "partner", "--grain", "year", "--kpi", "win_rate,nps"))
    if [tuple(r[:3]) for r in rows] != [(k, f"partner:{p}", y) for k in ("nps", "win_rate")
                                        for p in ("P1", "P2", "P3") for y in ("2024", "2025")]:
        fail(f"partner/year row listing {[r[:3] for r in rows]}")

    # sparse: one partner, only partners.csv and an empty deals.csv (header only)
    header, rows = parse_output(run_catalog(os.path.join(FIX, "sparse"), "--by", "region", "--grain", "year"))
    check_format(header, rows, "sparse")
    got = {tuple(r[:3]): r[3] for r in rows}
    if len(rows) != 27 or set(k[1:] for k in got) != {("region:latam", "2025")}:
        fail(f"sparse rows {len(rows)}")
    for k in KPIS:
        v = got.get((k, "region:latam", "2025"))
        if k in MONEY_SUMS:
            ok = v == "0.00"
        elif k in COUNTS:
            ok = v == "0"
        elif k in ("active_partner_rate", "certified_partner_rate", "registrations_per_partner"):
            ok = v == "0.0"   # one active partner at end of 2025, nothing else
        else:
            ok = v == ""
        if not ok:
            fail(f"sparse {k} = {v!r}")


# ---------------------------------------------------------------------------
# 2. random data vs naive evaluation
# ---------------------------------------------------------------------------
def d2s(d):
    return d.isoformat() if d else ""


def gen_data(seed, out_dir):
    r = random.Random(seed)
    D0 = dt.date(2023, 6, 1)
    span = 900

    def rdate(lo=D0, days=span):
        return lo + dt.timedelta(days=r.randrange(days))

    def maybe(p, v):
        return v if r.random() < p else None

    types, regions, tiers = ["reseller", "msp", "referral"], ["emea", "na", "apac"], ["gold", "silver", None]
    partners = []
    for i in range(r.randint(4, 8)):
        j = rdate()
        left = maybe(0.3, j + dt.timedelta(days=r.randrange(0, 400)))
        partners.append(dict(partner_id=f"p{i}", name=f"Partner {i}", type=r.choice(types),
                             region=r.choice(regions), country="", tier=r.choice(tiers) or "",
                             joined_on=d2s(j), left_on=d2s(left), manager=""))
    pids = [p["partner_id"] for p in partners]
    customers = []
    for i in range(r.randint(20, 60)):
        a = rdate(D0 - dt.timedelta(days=200), span + 200)
        ch = maybe(0.4, a + dt.timedelta(days=r.choice([0, 1, 5, 30, 200, 500])))
        customers.append(dict(customer_id=f"c{i}", partner_id=r.choice(pids), acquired_on=d2s(a),
                              churned_on=d2s(ch), segment=r.choice(["", "smb"])))
    cids = [c["customer_id"] for c in customers] + ["ghost1", "ghost2"]
    deals = []
    for i in range(r.randint(60, 200)):
        c = rdate()
        stage = r.choice(["open", "won", "won", "lost"])
        closed = c + dt.timedelta(days=r.choice([0, 0, 3, 20, 45, 120])) if stage != "open" else None
        reg = maybe(0.5, c + dt.timedelta(days=r.randrange(-10, 30)))
        deals.append(dict(deal_id=f"d{i}", partner_id=r.choice(pids), customer_id=r.choice(cids + [""] * 5),
                          source=r.choice(["sourced", "influenced", "co_sell"]), created_on=d2s(c),
                          registered_on=d2s(reg),
                          registration_status=r.choice(["pending", "approved", "rejected"]) if reg else "",
                          stage=stage, closed_on=d2s(closed),
                          amount=f"{r.randrange(0, 500000) / 100:.2f}" if r.random() < 0.8 else str(r.randrange(0, 9000)),
                          product=""))
    dids = [d["deal_id"] for d in deals]
    campaigns = []
    for i in range(r.randint(3, 15)):
        s = rdate()
        cost = r.choice([0, r.randrange(0, 300000)]) / 100
        campaigns.append(dict(campaign_id=f"k{i}", partner_id=r.choice(pids), name=f"C{i}",
                              channel=r.choice(["", "email"]), started_on=d2s(s),
                              ended_on=d2s(maybe(0.5, s + dt.timedelta(days=30))),
                              cost=f"{cost:.2f}", mdf_amount=""))
    kids = [k["campaign_id"] for k in campaigns]
    leads = []
    for i in range(r.randint(30, 120)):
        c = rdate()
        leads.append(dict(lead_id=f"l{i}", partner_id=r.choice(pids), campaign_id=r.choice(kids + [""] * 3),
                          created_on=d2s(c),
                          converted_on=d2s(maybe(0.4, c + dt.timedelta(days=r.randrange(0, 60)))),
                          deal_id=r.choice(dids + [""] * 20)))
    web = {}
    for i in range(r.randint(20, 120)):
        k = (r.choice(pids), d2s(rdate()), r.choice(kids + [""] * 3))
        web[k] = dict(partner_id=k[0], date=k[1], campaign_id=k[2], visits=str(r.choice([0, r.randrange(1000)])))
    surveys = [dict(response_id=f"s{i}", partner_id=r.choice(pids), customer_id="",
                    responded_on=d2s(rdate()), score=str(r.randrange(11))) for i in range(r.randint(10, 80))]
    tickets = []
    for i in range(r.randint(10, 80)):
        o = dt.datetime.combine(rdate(), dt.time()) + dt.timedelta(minutes=r.randrange(24 * 60))
        tz = dt.timezone(dt.timedelta(minutes=r.choice([0, 0, 330, -480, 60, -300, 840, -720])))
        res = o + dt.timedelta(seconds=r.randrange(0, 5 * 86400)) if r.random() < 0.8 else None

        def fmt(x):
            if x is None:
                return ""
            s = x.replace(tzinfo=dt.timezone.utc).astimezone(tz).isoformat()
            return s.replace("+00:00", "Z") if r.random() < 0.5 else s
        tickets.append(dict(ticket_id=f"t{i}", partner_id=r.choice(pids), customer_id="",
                            opened_at=fmt(o), resolved_at=fmt(res),
                            satisfaction=r.choice(["", "1", "2", "3", "4", "5"])))
    certs = []
    for i in range(r.randint(0, 20)):
        e = rdate()
        certs.append(dict(certification_id=f"x{i}", partner_id=r.choice(pids), person_id=f"e{i}",
                          program=r.choice(["sales", "technical"]), enrolled_on=d2s(e),
                          completed_on=d2s(maybe(0.6, e + dt.timedelta(days=r.randrange(90))))))
    market = {}
    for reg in regions + ["latam"]:
        for m in range(30):
            if r.random() < 0.7:
                y, mo = divmod(2023 * 12 + 5 + m, 12)
                market[(reg, f"{y:04d}-{mo + 1:02d}")] = f"{r.randrange(100, 10 ** 8) / 100:.2f}"
    market = [dict(region=k[0], month=k[1], market_revenue=v) for k, v in market.items()]

    # duplicated keys: a later row replaces an earlier one
    if surveys:
        s = dict(surveys[0])
        surveys.insert(0, dict(s, score=str((int(s["score"]) + 5) % 11)))
    if deals:
        d = dict(deals[-1])
        deals.insert(0, dict(d, amount="123.45", stage="won", closed_on=d["created_on"]))

    tables = dict(partners=partners, customers=customers, deals=deals, campaigns=campaigns, leads=leads,
                  web_traffic=list(web.values()), surveys=surveys, support_tickets=tickets,
                  certifications=certs, market=market)
    os.makedirs(out_dir, exist_ok=True)
    for name, rows in tables.items():
        if not rows:
            continue  # a missing file is an empty table
        cols = list(rows[0].keys())
        r.shuffle(cols)  # column order is free
        with open(os.path.join(out_dir, name + ".csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols, lineterminator="\r\n" if r.random() < 0.3 else "\n")
            w.writeheader()
            w.writerows(rows)


KEYS = {"partners": ("partner_id",), "deals": ("deal_id",), "leads": ("lead_id",),
        "campaigns": ("campaign_id",), "web_traffic": ("partner_id", "date", "campaign_id"),
        "customers": ("customer_id",), "surveys": ("response_id",), "support_tickets": ("ticket_id",),
        "certifications": ("certification_id",), "market": ("region", "month")}
DATE_COLS = {"partners": ["joined_on", "left_on"], "deals": ["created_on", "registered_on", "closed_on"],
             "leads": ["created_on", "converted_on"], "campaigns": ["started_on", "ended_on"],
             "web_traffic": ["date"], "customers": ["acquired_on", "churned_on"],
             "surveys": ["responded_on"], "certifications": ["enrolled_on", "completed_on"]}


def load_naive(data_dir):
    data = {}
    for t, key in KEYS.items():
        path = os.path.join(data_dir, t + ".csv")
        rows = {}
        if os.path.exists(path):
            with open(path, newline="", encoding="utf-8-sig") as f:
                for row in csv.DictReader(f):
                    row = {k: (v if v != "" else None) for k, v in row.items()}
                    for c in DATE_COLS.get(t, []):
                        if row.get(c):
                            row[c] = dt.date.fromisoformat(row[c])
                    if t == "support_tickets":
                        for c in ("opened_at", "resolved_at"):
                            if row.get(c):
                                row[c] = dt.datetime.fromisoformat(row[c]).astimezone(dt.timezone.utc)
                    if t == "market":
                        row["month_start"] = dt.date.fromisoformat(row["month"] + "-01")
                    rows[tuple(row.get(k) for k in key)] = row   # upsert: last wins
        data[t] = list(rows.values())
    return data


def money(s):
    return Fraction(Decimal(s))


def periods_naive(grain, lo, hi):
    """All periods (label, start, end) from the one containing lo to the one containing hi."""
    out = []
    if grain == "month":
        y, m = lo.year, lo.month
        while (y, m) <= (hi.year, hi.month):
            out.append((f"{y:04d}-{m:02d}", dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    elif grain == "quarter":
        y, q = lo.year, (lo.month - 1) // 3 + 1
        while (y, q) <= (hi.year, (hi.month - 1) // 3 + 1):
            e_m = 3 * q
            out.append((f"{y:04d}-Q{q}", dt.date(y, 3 * q - 2, 1), dt.date(y, e_m, calendar.monthrange(y, e_m)[1])))
            y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    else:
        for y in range(lo.year, hi.year + 1):
            out.append((f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31)))
    return out


def naive_eval(data, by, grain):
    P = data["partners"]
    # default range
    alld = []
    for t, cols in DATE_COLS.items():
        for row in data[t]:
            alld += [row[c] for c in cols if row.get(c)]
    for row in data["support_tickets"]:
        alld += [row[c].date() for c in ("opened_at", "resolved_at") if row.get(c)]
    alld += [row["month_start"] for row in data["market"]]
    periods = periods_naive(grain, min(alld), max(alld)) if alld else []

    scopes = {}
    for p in P:
        if by == "network":
            name = "network"
        elif by == "partner":
            name = "partner:" + p["partner_id"]
        elif by == "tier":
            if not p["tier"]:
                continue
            name = "tier:" + p["tier"]
        else:
            name = f"{by}:{p[by]}"
        scopes.setdefault(name, set()).add(p["partner_id"])
    if by == "network":
        scopes.setdefault("network", set())

    def div(a, b):
        return None if b == 0 else Fraction(a) / Fraction(b)

    def active(row, d, a, b):   # a <= d and (b absent or d < b)
        return row[a] <= d and (row[b] is None or d < row[b])

    campaign_deals = {l["deal_id"] for l in data["leads"] if l["campaign_id"] and l["deal_id"]}
    first_won = {}
    for d in data["deals"]:
        if d["stage"] == "won":
            if d["partner_id"] not in first_won or d["closed_on"] < first_won[d["partner_id"]]:
                first_won[d["partner_id"]] = d["closed_on"]

    out = {}
    for sname, S in scopes.items():
        deals = [d for d in data["deals"] if d["partner_id"] in S]
        custs = [c for c in data["customers"] if c["partner_id"] in S]
        leads = [l for l in data["leads"] if l["partner_id"] in S]
        camps = [c for c in data["campaigns"] if c["partner_id"] in S]
        web = [w for w in data["web_traffic"] if w["partner_id"] in S]
        survs = [s for s in data["surveys"] if s["partner_id"] in S]
        tix = [t for t in data["support_tickets"] if t["partner_id"] in S]
        certs = [c for c in data["certifications"] if c["partner_id"] in S]
        parts = [p for p in P if p["partner_id"] in S]
        regions = {p["region"] for p in parts}
        for label, s, e in periods:
            inP = lambda d: d is not None and s <= d <= e
            won = [d for d in deals if d["stage"] == "won" and inP(d["closed_on"])]
            lost = [d for d in deals if d["stage"] == "lost" and inP(d["closed_on"])]
            v = {}
            rev = sum((money(d["amount"]) for d in won), Fraction(0))
            v["revenue"] = rev
            v["sourced_revenue"] = sum((money(d["amount"]) for d in won if d["source"] == "sourced"), Fraction(0))
            win_rate = div(len(won), len(won) + len(lost))
            v["win_rate"] = win_rate
            new_c = len([c for c in custs if inP(c["acquired_on"])])
            v["new_customers"] = new_c
            mk = [m for m in data["market"] if m["region"] in regions and inP(m["month_start"])]
            v["market_share"] = div(rev, sum(money(m["market_revenue"]) for m in mk)) if mk else None
            lc = [l for l in leads if inP(l["created_on"])]
            v["lead_conversion_rate"] = div(len([l for l in lc if l["converted_on"]]), len(lc))
            avg = div(rev, len(won))
            v["avg_deal_size"] = avg
            cyc = div(sum((d["closed_on"] - d["created_on"]).days for d in won), len(won))
            v["sales_cycle_days"] = cyc
            cs = [d for d in won if d["source"] == "co_sell"]
            v["co_sell_cycle_days"] = div(sum((d["closed_on"] - d["created_on"]).days for d in cs), len(cs))
            opn = [d for d in deals if d["created_on"] <= e and (d["closed_on"] is None or d["closed_on"] > e)]
            v["open_pipeline"] = sum((money(d["amount"]) for d in opn), Fraction(0))
            if win_rate is None or avg is None or cyc is None or cyc == 0:
                v["pipeline_velocity"] = None
            else:
                v["pipeline_velocity"] = len(opn) * win_rate * avg / cyc
            regs = [d for d in deals if inP(d["registered_on"])]
            v["deal_registrations"] = len(regs)
            v["registration_approval_rate"] = div(
                len([d for d in regs if d["registration_status"] == "approved"]),
                len([d for d in regs if d["registration_status"] in ("approved", "rejected")]))
            act = [p for p in parts if active(p, e, "joined_on", "left_on")]
            v["registrations_per_partner"] = div(len(regs), len(act))
            v["leads_generated"] = len(lc)
            visits = sum(int(w["visits"]) for w in web if inP(w["date"]))
            v["web_visits"] = visits
            v["visit_to_lead_rate"] = div(len(lc), visits)
            cost = sum((money(c["cost"]) for c in camps if inP(c["started_on"])), Fraction(0))
            v["cost_per_acquisition"] = div(cost, new_c)
            crev = sum((money(d["amount"]) for d in won if d["deal_id"] in campaign_deals), Fraction(0))
            v["marketing_roi"] = div(crev - cost, cost)
            sv = [x for x in survs if inP(x["responded_on"])]
            v["nps"] = div(100 * (len([x for x in sv if int(x["score"]) >= 9]) - len([x for x in sv if int(x["score"]) <= 6])), len(sv))
            base = [c for c in custs if active(c, s - dt.timedelta(days=1), "acquired_on", "churned_on")]
            v["customer_retention_rate"] = div(len([c for c in base if active(c, e, "acquired_on", "churned_on")]), len(base))
            rt = [t for t in tix if t["resolved_at"] is not None and inP(t["resolved_at"].date())]
            v["avg_resolution_hours"] = div(sum((Fraction((t["resolved_at"] - t["opened_at"]) // dt.timedelta(microseconds=1)) for t in rt), Fraction(0)),
                                            len(rt) * 3600 * 10 ** 6)
            sat = [int(t["satisfaction"]) for t in rt if t["satisfaction"]]
            v["support_csat"] = div(sum(sat), len(sat))
            cert_p = {c["partner_id"] for c in certs if c["program"] == "sales" and c["completed_on"] and c["completed_on"] <= e}
            v["certified_partner_rate"] = div(len([p for p in act if p["partner_id"] in cert_p]), len(act))
            ft = [(first_won[p["partner_id"]] - p["joined_on"]).days for p in parts
                  if p["partner_id"] in first_won and inP(first_won[p["partner_id"]])]
            v["time_to_first_deal_days"] = div(sum(ft), len(ft))
            busy = {d["partner_id"] for d in deals if inP(d["registered_on"])} | {d["partner_id"] for d in won}
            v["active_partner_rate"] = div(len([p for p in act if p["partner_id"] in busy]), len(act))
            # CLV
            mi = e.year * 12 + e.month - 1 - 11
            ws = dt.date(mi // 12, mi % 12 + 1, 1)
            inW = lambda d: d is not None and ws <= d <= e
            wd = [d for d in deals if d["stage"] == "won" and inW(d["closed_on"]) and d["customer_id"]]
            arpc = div(sum((money(d["amount"]) for d in wd), Fraction(0)), len({d["customer_id"] for d in wd}))
            churn = div(len([c for c in custs if inW(c["churned_on"])]),
                        len([c for c in custs if active(c, ws - dt.timedelta(days=1), "acquired_on", "churned_on")]))
            if arpc is None or churn is None:
                v["customer_lifetime_value"] = None
            else:
                life = Fraction(10) if churn == 0 else min(1 / churn, Fraction(10))
                v["customer_lifetime_value"] = arpc * life
            for k in KPIS:
                out[(k, sname, label)] = v[k]
    return out


def random_checks(seeds, keep):
    for seed in range(seeds):
        d = os.path.join(keep or tempfile.mkdtemp(prefix="kpi_selftest_"), f"seed{seed}")
        gen_data(seed, d)
        data = load_naive(d)
        for by in ["network", "partner", "type", "region", "tier"]:
            for grain in ["month", "quarter", "year"]:
                where = f"random seed {seed} --by {by} --grain {grain}"
                header, rows = parse_output(run_catalog(d, "--by", by, "--grain", grain))
                check_format(header, rows, where)
                got = {tuple(r[:3]): r[3] for r in rows}
                exp = naive_eval(data, by, grain)
                if set(got) != set(exp):
                    fail(f"{where}: key sets differ: only catalog {sorted(set(got) - set(exp))[:5]}, "
                         f"only naive {sorted(set(exp) - set(got))[:5]}")
                bad = 0
                for key in sorted(set(got) & set(exp)):
                    g, x = got[key], exp[key]
                    if x is None:
                        ok = g == ""
                    elif g == "":
                        ok = False
                    elif key[0] in MONEY_SUMS or key[0] in COUNTS:
                        ok = Fraction(Decimal(g)) == x
                    else:
                        ok = close(float(g), float(x))
                    if not ok:
                        bad += 1
                        if bad <= 5:
                            fail(f"{where}: {key} catalog={g!r} naive={None if x is None else float(x)!r}")
                print(f"  {where}: {len(got)} rows, {bad} mismatches")
        if not keep:
            shutil.rmtree(os.path.dirname(d), ignore_errors=True)


# ---------------------------------------------------------------------------
# 3. compare.py
# ---------------------------------------------------------------------------
def compare_checks():
    tmp = tempfile.mkdtemp(prefix="kpi_cmp_")
    try:
        a = os.path.join(tmp, "a.csv")
        b = os.path.join(tmp, "b.csv")
        subprocess.run([sys.executable, CATALOG, os.path.join(FIX, "basic"), "--by", "partner",
                        "--grain", "month", "--out", a], check=True)
        shutil.copy(a, b)
        r = subprocess.run([sys.executable, COMPARE, a, b], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"compare identical files exit {r.returncode}: {r.stdout}")
        with open(a) as f:
            lines = f.read().splitlines()
        changed = []
        for ln in lines:
            if ln.startswith("win_rate,partner:P1,2025-01,"):
                ln = "win_rate,partner:P1,2025-01,0.6666666666667"   # within 1e-9 relative
            elif ln.startswith("nps,partner:P1,2025-01,"):
                ln = "nps,partner:P1,2025-01,"                        # null vs value
            elif ln.startswith("revenue,partner:P3,2025-03,"):
                ln = "revenue,partner:P3,2025-03,1000.01"             # value diff
            elif ln.startswith("web_visits,partner:P2,2024-06,"):
                continue                                              # missing row
            changed.append(ln)
        with open(b, "w") as f:
            f.write("\n".join(changed) + "\n")
        r = subprocess.run([sys.executable, COMPARE, a, b], capture_output=True, text=True)
        if r.returncode != 1:
            fail(f"compare perturbed files exit {r.returncode}")
        for needle in ("nps,partner:P1,2025-01: A=100.0 B=(null)", "revenue,partner:P3,2025-03: A=1000.00 B=1000.01",
                       "web_visits,partner:P2,2024-06: A=0 B=(absent)"):
            if needle not in r.stdout:
                fail(f"compare output lacks {needle!r}:\n{r.stdout}")
        if "win_rate,partner:P1,2025-01" in r.stdout:
            fail("compare flagged a difference within tolerance")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=4, help="random data sets to cross-check")
    ap.add_argument("--keep", help="keep generated random data sets in this directory")
    a = ap.parse_args()
    print("1. hand-made fixtures")
    hand_checks()
    print("2. random data vs naive evaluation")
    random_checks(a.seeds, a.keep)
    print("3. compare.py")
    compare_checks()
    if failures:
        print(f"\nSELFTEST FAILED: {len(failures)} failure(s)")
        return 1
    print("\nSELFTEST PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
