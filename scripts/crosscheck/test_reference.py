"""Hand-worked cases for reference.py. Run from scripts/crosscheck: python3 -m unittest -v

Every expected value below is worked out by hand in the comments next to it.
"""
import collections
import csv
import datetime as dt
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

DUCKDB_CATALOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                              "benchmarks", "duckdb", "catalog.py")

TEMP_DIRS = []


def tearDownModule():
    for d in TEMP_DIRS:
        shutil.rmtree(d, ignore_errors=True)


HEADERS = {
    "partners": ["partner_id", "name", "type", "region", "tier", "joined_on", "left_on"],
    "deals": ["deal_id", "partner_id", "source", "created_on", "registered_on",
              "registration_status", "stage", "closed_on", "amount", "product"],
    "leads": ["lead_id", "partner_id", "campaign_id", "created_on", "converted_on", "deal_id"],
    "campaigns": ["campaign_id", "partner_id", "name", "started_on", "cost", "mdf_amount"],
    "customers": ["customer_id", "partner_id", "acquired_on"],
    "certifications": ["certification_id", "partner_id", "person_id", "program",
                       "enrolled_on", "completed_on"],
}


def partner(pid, typ="reseller", region="emea", tier="", joined="2024-01-01", left=""):
    return [pid, "Partner " + pid, typ, region, tier, joined, left]


_n = [0]


def deal(pid, stage, closed, amount, created=None, source="sourced", product="", registered=""):
    _n[0] += 1
    created = created or closed or "2024-06-01"
    status = "approved" if registered else ""
    return ["D%04d" % _n[0], pid, source, created, registered, status, stage,
            closed if stage != "open" else "", amount, product]


def campaign(cid, pid, started, mdf, cost="10000"):
    return [cid, pid, "Campaign " + cid, started, cost, mdf]


def run_case(tables, yaml_text, today, rng_from, rng_to):
    tmp = tempfile.mkdtemp(prefix="ref-test-")
    TEMP_DIRS.append(tmp)
    data = os.path.join(tmp, "data")
    defs = os.path.join(tmp, "defs")
    out = os.path.join(tmp, "out")
    os.makedirs(data)
    os.makedirs(defs)
    for name, header in HEADERS.items():
        with open(os.path.join(data, name + ".csv"), "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for row in tables.get(name, []):
                w.writerow(row)
    with open(os.path.join(defs, "program.yaml"), "w") as fh:
        fh.write(textwrap.dedent(yaml_text))
    reference.run(data, defs, dt.date.fromisoformat(today), reference.p_parse(rng_from),
                  reference.p_parse(rng_to), out)
    result = {}
    for name in ("tiers", "statements", "mdf"):
        with open(os.path.join(out, name + ".csv"), newline="") as fh:
            result[name] = [tuple(r) for r in csv.reader(fh)][1:]
    return result


class RoundingTests(unittest.TestCase):
    def test_half_away_from_zero(self):
        F = reference.Fraction
        self.assertEqual(reference.fmt_money(F("1500.015")), "1500.02")
        self.assertEqual(reference.fmt_money(F("-1500.015")), "-1500.02")
        self.assertEqual(reference.fmt_money(F("1500.0149999")), "1500.01")
        self.assertEqual(reference.fmt_money(F(0)), "0.00")
        self.assertEqual(reference.fmt_money(F("-0.004")), "0.00")

    def test_yaml_numbers_are_exact(self):
        doc = reference.yaml.load("a: 0.1\nb: 3\nc: 1e-2", Loader=reference.ExactLoader)
        self.assertEqual(doc["a"], reference.Fraction(1, 10))
        self.assertEqual(doc["b"], 3)
        self.assertEqual(doc["c"], reference.Fraction(1, 100))


class RebateTests(unittest.TestCase):
    YAML = """
    incentives:
      - id: marg
        name: Marginal
        kind: rebate
        period: quarter
        basis: revenue
        mode: marginal
        brackets:
          - {from: 0,      rate: 0.02}
          - {from: 100000, rate: 0.03}
          - {from: 500000, rate: 0.04}
        rate_by_tier: {gold: 0.01}
      - id: retro
        name: Retroactive
        kind: rebate
        period: quarter
        mode: retroactive
        brackets:
          - {from: 0,      rate: 0.02}
          - {from: 100000, rate: 0.03}
          - {from: 500000, rate: 0.04}
        rate_by_tier: {gold: 0.01}
    """

    def test_marginal_and_retroactive(self):
        tables = {
            "partners": [
                partner("P1", tier="gold"),
                partner("P2", typ="msp", region="na"),
                # left on 2025-01-01: active on no day of 2025-Q1 -> no statement
                partner("P3", left="2025-01-01"),
            ],
            "deals": [
                # P2 2025-Q1: 60000 + 40000 = 100000, exactly the second bracket's from
                deal("P2", "won", "2025-01-10", "60000"),
                deal("P2", "won", "2025-03-31", "40000"),
                deal("P2", "lost", "2025-02-10", "99999"),
                deal("P2", "open", "", "50000", created="2025-02-01"),
                # P2 2025-Q2: 150000.50
                deal("P2", "won", "2025-04-01", "150000.50"),
                # P1 (gold, +0.01) 2025-Q1: exactly 500000, the third bracket's from
                deal("P1", "won", "2025-02-15", "500000"),
                # P3 has revenue but is not in the program in 2025-Q1
                deal("P3", "won", "2025-02-15", "100000"),
            ],
        }
        r = run_case(tables, self.YAML, "2025-07-15", "2025-01", "2025-12")
        expected = [
            # P1 Q1 marginal: 100000 x (0.02+0.01) = 3000.00; 400000 x (0.03+0.01) = 16000.00;
            # the 0.04 bracket is reached with a part of 0 -> left out.
            ("P1", "2025-Q1", "marg", "rebate", "16000.00"),
            ("P1", "2025-Q1", "marg", "rebate", "3000.00"),
            # P1 Q1 retroactive: 500000 x (0.04+0.01) = 25000.00
            ("P1", "2025-Q1", "retro", "rebate", "25000.00"),
            # P2 Q1 marginal: 100000 x 0.02 = 2000.00; 0 in the 0.03 bracket -> left out
            ("P2", "2025-Q1", "marg", "rebate", "2000.00"),
            # P2 Q1 retroactive: basis on the 100000 edge -> 0.03: 3000.00
            ("P2", "2025-Q1", "retro", "rebate", "3000.00"),
            # P2 Q2 marginal: 2000.00 and 50000.50 x 0.03 = 1500.015 -> 1500.02
            ("P2", "2025-Q2", "marg", "rebate", "1500.02"),
            ("P2", "2025-Q2", "marg", "rebate", "2000.00"),
            # P2 Q2 retroactive: 150000.50 x 0.03 = 4500.015 -> 4500.02
            ("P2", "2025-Q2", "retro", "rebate", "4500.02"),
        ]
        self.assertEqual(sorted(r["statements"]), sorted(expected))


class TierTests(unittest.TestCase):
    YAML = """
    tiers:
      evaluate: month
      window: 1
      demotion_grace: 2
      starts: 2025-01-01
      levels:
        - id: registered
        - id: silver
          requires:
            - {kpi: revenue, min: 1000}
        - id: gold
          requires:
            - {kpi: revenue, min: 5000}
            - {kpi: win_rate, min: 0.5}
    incentives:
      - id: gold-rebate
        name: Only gold
        kind: rebate
        period: month
        applies_to: {tiers: [gold]}
        brackets: [{from: 0, rate: 0.1}]
    """

    TABLES = {
        "partners": [
            partner("P1", tier="gold"),
            # attribute not a ladder level -> starts at registered; joins mid-February,
            # leaves on 2025-04-30 (not in the program on April's last day)
            partner("P2", tier="platinum", joined="2025-02-15", left="2025-04-30"),
        ],
        "deals": [
            deal("P1", "won", "2024-11-05", "100"),   # data starts before the ladder
            deal("P1", "won", "2025-01-20", "6000"),  # Jan: 6000, win rate 1 -> gold
            deal("P1", "won", "2025-02-20", "1500"),  # Feb: silver
            # Mar: nothing -> registered
            deal("P1", "won", "2025-04-20", "1000"),  # Apr: exactly silver's min
            deal("P1", "won", "2025-05-20", "5000"),  # May: 5000 but win rate 1/3 -> silver
            deal("P1", "lost", "2025-05-21", "10"),
            deal("P1", "lost", "2025-05-22", "10"),
            deal("P2", "won", "2025-02-20", "2000"),  # Feb: silver
        ],
    }

    def test_grace_two_at_risk_then_demoted(self):
        r = run_case(self.TABLES, self.YAML, "2025-06-10", "2025-01", "2025-12")
        self.assertEqual(r["tiers"], [
            # held, qualified, level, change, misses
            ("P1", "2025-01", "gold", "gold", "gold", "held", "0"),
            ("P1", "2025-02", "gold", "silver", "gold", "at_risk", "1"),
            ("P1", "2025-03", "gold", "registered", "registered", "demoted", "0"),
            ("P1", "2025-04", "registered", "silver", "silver", "promoted", "0"),
            ("P1", "2025-05", "silver", "silver", "silver", "held", "0"),
            ("P2", "2025-02", "registered", "silver", "silver", "promoted", "0"),
            ("P2", "2025-03", "silver", "registered", "silver", "at_risk", "1"),
            # P2 is not evaluated in 2025-04 (left_on <= 2025-04-30); 2025-06 has not ended.
        ])
        # The gold-only rebate follows the tier held on each month's first day:
        # P1 holds gold in Jan, Feb, Mar (the Feb miss keeps gold until the March evaluation),
        # registered in Apr, silver in May and Jun. Only Jan and Feb have revenue.
        self.assertEqual(r["statements"], [
            ("P1", "2025-01", "gold-rebate", "rebate", "600.00"),
            ("P1", "2025-02", "gold-rebate", "rebate", "150.00"),
        ])

    def test_history_before_from_is_replayed(self):
        r = run_case(self.TABLES, self.YAML, "2025-06-10", "2025-03", "2025-04")
        self.assertEqual(r["tiers"], [
            ("P1", "2025-03", "gold", "registered", "registered", "demoted", "0"),
            ("P1", "2025-04", "registered", "silver", "silver", "promoted", "0"),
            ("P2", "2025-03", "silver", "registered", "silver", "at_risk", "1"),
        ])

    def test_window_and_max(self):
        # window 2 months, a max requirement on sales cycle; evaluation by quarter is not
        # needed: month windows [m-1, m].
        yaml_text = """
        tiers:
          evaluate: month
          window: 2
          demotion_grace: 1
          levels:
            - id: base
            - id: fast
              requires:
                - {kpi: sales_cycle_days, max: 10}
        """
        tables = {
            "partners": [partner("P1")],
            "deals": [
                # Jan: cycle 10 (max inclusive) -> fast
                deal("P1", "won", "2025-01-11", "1", created="2025-01-01"),
                # Feb: window Jan-Feb: cycles 10 and 20 -> mean 15 -> base (grace 1: demoted)
                deal("P1", "won", "2025-02-21", "1", created="2025-02-01"),
                # Mar: window Feb-Mar: cycles 20 and 0 -> mean 10 -> fast
                deal("P1", "won", "2025-03-05", "1", created="2025-03-05"),
            ],
        }
        r = run_case(tables, yaml_text, "2025-05-01", "2025-01", "2025-12")
        self.assertEqual(r["tiers"], [
            ("P1", "2025-01", "base", "fast", "fast", "promoted", "0"),
            ("P1", "2025-02", "fast", "base", "base", "demoted", "0"),
            ("P1", "2025-03", "base", "fast", "fast", "promoted", "0"),
            # Apr: window Mar-Apr: cycle 0 -> fast, held
            ("P1", "2025-04", "fast", "fast", "fast", "held", "0"),
        ])


class MDFTests(unittest.TestCase):
    YAML = """
    incentives:
      - id: mdf
        name: MDF
        kind: mdf
        period: quarter
        starts: 2025-01-01
        accrual_rate: 0.02
        rate_by_tier: {gold: 0.03}
        expires_after: 1
    """

    def test_fund_with_expiry_and_unfunded_claim(self):
        tables = {
            "partners": [partner("P1"), partner("P2", tier="gold")],
            "deals": [
                deal("P1", "won", "2025-03-01", "100000"),   # Q1 accrual 2000.00
                deal("P1", "won", "2025-06-01", "50000"),    # Q2 accrual 1000.00
                deal("P2", "won", "2025-01-15", "10000.50"),  # Q1 x 0.03 = 300.015 -> 300.02
            ],
            "campaigns": [
                campaign("C0", "P1", "2024-12-15", "700"),   # before the fund: not drawn
                campaign("C1", "P1", "2025-02-01", "300"),   # Q1: own accrual not usable
                campaign("C2", "P1", "2025-05-01", "500"),   # Q2
                campaign("C3", "P1", "2025-07-10", "1800"),  # Q3
                campaign("C4", "P1", "2025-08-10", ""),      # no mdf_amount
            ],
        }
        r = run_case(tables, self.YAML, "2026-01-15", "2025-01", "2025-12")
        self.assertEqual(r["mdf"], [
            # plan, partner, period, opening, accrued, claimed, unfunded, expired, closing
            # Q1: nothing to draw from -> 300 unfunded; 2000 credited at the end.
            ("mdf", "P1", "2025-Q1", "0.00", "2000.00", "0.00", "300.00", "0.00", "2000.00"),
            # Q2: 500 drawn from the Q1 credit; its 1500 left expires at the end of Q1+1 = Q2;
            # then 1000 credited: 2000 - 500 - 1500 + 1000 = 1000.
            ("mdf", "P1", "2025-Q2", "2000.00", "1000.00", "500.00", "0.00", "1500.00",
             "1000.00"),
            # Q3: claim 1800 against 1000 -> 1000 funded, 800 unfunded; nothing accrued.
            ("mdf", "P1", "2025-Q3", "1000.00", "0.00", "1000.00", "800.00", "0.00", "0.00"),
            ("mdf", "P1", "2025-Q4", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
            # P2 (gold, 0.03 replaces 0.02): 300.02 credited in Q1, unused, expires end of Q2.
            ("mdf", "P2", "2025-Q1", "0.00", "300.02", "0.00", "0.00", "0.00", "300.02"),
            ("mdf", "P2", "2025-Q2", "300.02", "0.00", "0.00", "0.00", "300.02", "0.00"),
            ("mdf", "P2", "2025-Q3", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
            ("mdf", "P2", "2025-Q4", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
        ])
        self.assertEqual(r["statements"], [])  # mdf pays no statement lines

    def test_range_restricts_rows_not_history(self):
        tables = {
            "partners": [partner("P1")],
            "deals": [deal("P1", "won", "2025-03-01", "100000")],
            "campaigns": [campaign("C2", "P1", "2025-05-01", "500")],
        }
        r = run_case(tables, self.YAML, "2025-10-01", "2025-Q2", "2025-Q4")
        # Q3 ends 2025-09-30 < 2025-10-01, so it has ended; Q1 is replayed but not shown.
        self.assertEqual(r["mdf"], [
            ("mdf", "P1", "2025-Q2", "2000.00", "0.00", "500.00", "0.00", "1500.00", "0.00"),
            ("mdf", "P1", "2025-Q3", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
        ])


class BonusAndSpiffTests(unittest.TestCase):
    YAML = """
    targets:
      - {kpi: revenue, scope: partner:P1, grain: quarter, value: 100000}
      - {kpi: revenue, scope: network, grain: quarter, value: 1}      # a flow: not for partners
      - {kpi: win_rate, scope: network, value: 0.4}
      - {kpi: win_rate, scope: type:reseller, grain: quarter, value: 0.5}
      - {kpi: win_rate, scope: type:reseller, grain: month, value: 0.9}  # other grain
      - {kpi: sales_cycle_days, scope: network, grain: quarter, value: 30}
    incentives:
      - id: bonus
        name: Bonus
        kind: attainment_bonus
        period: quarter
        target_bonus: 1000
        kpis: {revenue: 0.5, win_rate: 0.25, sales_cycle_days: 0.25}
        threshold: 0.8
        at_threshold: 0.5
        accelerator: 2
        cap: 1.5
      - id: spiff
        name: Spiff
        kind: spiff
        period: month
        deals: {product: [Edge X1], min_amount: 10000}
        per_deal: 250
        cap: 500
      - id: share
        name: Share
        kind: spiff
        period: month
        deals: {source: [influenced]}
        share: 0.015
    """

    def test_bonus_and_spiff(self):
        tables = {
            "partners": [partner("P1"), partner("P2", typ="msp")],
            "deals": [
                # P1 Q1: revenue 80000 (a = 0.8 -> f = 0.5 -> 1000 x 0.5 x 0.5 = 250.00)
                # win rate 2/4 = 0.5 vs type target 0.5 -> a = 1 -> 250.00
                # cycles 20 and 40 -> 30 vs 30 -> a = 1 -> 250.00
                deal("P1", "won", "2025-01-21", "30000", created="2025-01-01"),
                deal("P1", "won", "2025-02-10", "50000", created="2025-01-01"),
                deal("P1", "lost", "2025-02-11", "1", created="2025-01-01"),
                deal("P1", "lost", "2025-02-12", "1", created="2025-01-01"),
                # P1 Q2: 79999.99 -> a < 0.8 -> nothing; win rate 1 -> a = 2 -> f = 3 -> cap
                # 1.5 -> 375.00; cycle 24 -> a = 1 + 6/30 = 1.2 -> f = 1.4 -> 350.00
                deal("P1", "won", "2025-04-25", "79999.99", created="2025-04-01"),
                # P2 Q1: no revenue target (the network value is a flow's); win rate 1 vs
                # network 0.4 -> a = 2.5 -> capped 1.5 -> 375.00; cycle 45 -> a = 0.5 -> 0
                deal("P2", "won", "2025-02-15", "5000", created="2025-01-01"),
                # spiff, P2 2025-03: three qualifying Edge X1 deals (750) -> cap line -250
                deal("P2", "won", "2025-03-01", "10000", product="Edge X1", created="2025-02-01"),
                deal("P2", "won", "2025-03-02", "20000", product="Edge X1", created="2025-02-01"),
                deal("P2", "won", "2025-03-03", "30000", product="Edge X1", created="2025-02-01"),
                deal("P2", "won", "2025-03-04", "9999.99", product="Edge X1",
                     created="2025-02-01"),  # below min_amount
                deal("P2", "won", "2025-03-05", "50000", created="2025-02-01"),  # no product
                deal("P2", "lost", "2025-03-06", "50000", product="Edge X1",
                     created="2025-02-01"),
                # spiff, P2 2025-05: exactly two -> 500 = cap -> no cap line;
                # one is influenced: share 0.015 x 10000.33 = 150.00495 -> 150.00
                deal("P2", "won", "2025-05-01", "10000.33", product="Edge X1",
                     source="influenced", created="2025-04-20"),
                deal("P2", "won", "2025-05-02", "10000", product="Edge X1",
                     created="2025-04-20"),
            ],
        }
        r = run_case(tables, self.YAML, "2025-07-01", "2025-01", "2025-06")
        # P2 Q1 also has the March deals (6 won in all, 1 lost):
        #   win rate 6/7 vs network 0.4 -> a = 2.14.. -> capped -> 375.00
        #   cycles: 45, 28, 29, 30, 31, 32 (Feb 1 -> Mar 1..5 = 28..32) -> mean 195/6 = 32.5
        #   -> a = 1 + (30 - 32.5)/30 = 0.91666.. -> f = 0.5 + 0.5 x (0.91666 - 0.8)/0.2
        #   = 0.5 + 0.5 x 0.58333.. = 0.791666.. -> 1000 x 0.25 x 0.791666.. = 197.9166.. -> 197.92
        # P2 Q2: win rate 2/2 vs network 0.4 -> capped -> 375.00; cycles 11 and 12 -> 11.5 -> a = 1 + 18.5/30 =
        #   1.61666.. -> f = 2.2333.. -> cap 1.5 -> 375.00
        expected = [
            ("P1", "2025-Q1", "bonus", "attainment_bonus", "250.00"),
            ("P1", "2025-Q1", "bonus", "attainment_bonus", "250.00"),
            ("P1", "2025-Q1", "bonus", "attainment_bonus", "250.00"),
            ("P1", "2025-Q2", "bonus", "attainment_bonus", "350.00"),
            ("P1", "2025-Q2", "bonus", "attainment_bonus", "375.00"),
            ("P2", "2025-03", "spiff", "spiff", "-250.00"),
            ("P2", "2025-03", "spiff", "spiff", "250.00"),
            ("P2", "2025-03", "spiff", "spiff", "250.00"),
            ("P2", "2025-03", "spiff", "spiff", "250.00"),
            ("P2", "2025-05", "share", "spiff", "150.00"),
            ("P2", "2025-05", "spiff", "spiff", "250.00"),
            ("P2", "2025-05", "spiff", "spiff", "250.00"),
            ("P2", "2025-Q1", "bonus", "attainment_bonus", "197.92"),
            ("P2", "2025-Q1", "bonus", "attainment_bonus", "375.00"),
            ("P2", "2025-Q2", "bonus", "attainment_bonus", "375.00"),
            ("P2", "2025-Q2", "bonus", "attainment_bonus", "375.00"),
        ]
        self.assertEqual(sorted(r["statements"]), sorted(expected))


class GeneratorTests(unittest.TestCase):
    """The generator's files are valid for the reference, deterministic, and its edge cases are
    real edge cases by the reference's own computation."""

    def generate(self, seed):
        import generate
        out = tempfile.mkdtemp(prefix="gen-test-")
        TEMP_DIRS.append(out)
        manifest = generate.Gen(seed).write(out)
        return out, manifest

    def test_deterministic(self):
        a, _ = self.generate(7)
        b, _ = self.generate(7)
        for sub in ("data/deals.csv", "data/partners.csv", "defs/program.yaml"):
            with open(os.path.join(a, sub)) as fa, open(os.path.join(b, sub)) as fb:
                self.assertEqual(fa.read(), fb.read(), sub)

    def test_edge_cases_hold(self):
        F = reference.Fraction
        for seed in (3, 6, 9, 12):
            out, m = self.generate(seed)
            self.assertTrue(m["edge"])
            data = reference.Data(os.path.join(out, "data"))
            defs = reference.load_defs(os.path.join(out, "defs"))
            prog = reference.Program(data, defs, dt.date(2026, 1, 15))
            plans = {p["id"]: p for p in defs["incentives"]}
            cases = collections.Counter(e["case"] for e in m["edges"])
            self.assertGreater(cases["rebate_basis"], 0, seed)
            self.assertGreater(cases["spiff_cap"], 0, seed)
            for e in m["edges"]:
                period = reference.p_parse(e["period"])
                lo, hi = reference.p_start(period), reference.p_end(period)
                if e["case"] == "rebate_basis":
                    basis = data.kpi(e["partner"], e["basis"], lo, hi)
                    self.assertEqual(basis, F(e["value"]), e)
                    froms = [reference.num(b["from"]) for b in plans["rebate"]["brackets"]]
                    self.assertIn(basis, froms, e)
                elif e["case"] == "attainment":
                    plan = plans["bonus"]
                    target = prog.target_for(e["kpi"], e["partner"], period, plan["period"])
                    actual = data.kpi(e["partner"], e["kpi"], lo, hi)
                    a = prog.attainment(e["kpi"], actual, target)
                    self.assertEqual(a, F(e["attainment"]), e)
                elif e["case"] == "spiff_cap":
                    lines = prog.spiff_lines(plans["spiff"], e["partner"], period)
                    self.assertEqual(sum(lines), F(e["value"]), e)
                    self.assertTrue(all(x > 0 for x in lines), e)

    def test_reference_runs_on_generated_programs(self):
        for seed in (1, 2, 4, 5):
            out, m = self.generate(seed)
            res = os.path.join(out, "ref")
            reference.run(os.path.join(out, "data"), os.path.join(out, "defs"),
                          dt.date.fromisoformat(m["today"]), reference.p_parse(m["from"]),
                          reference.p_parse(m["to"]), res)
            with open(os.path.join(res, "tiers.csv")) as fh:
                self.assertGreater(len(fh.readlines()), 1)

    def test_kpis_agree_with_duckdb_catalog(self):
        """The reference's per-partner KPIs equal the project's independent DuckDB catalog
        implementation, for every partner and quarter (a window of 3 months). Skipped without
        DuckDB, except in CI (CHANNELKPI_REQUIRE_DUCKDB=1), where a missing DuckDB fails."""
        if not (importlib.util.find_spec("duckdb") and os.path.exists(DUCKDB_CATALOG)):
            if os.environ.get("CHANNELKPI_REQUIRE_DUCKDB") == "1":
                self.fail("DuckDB (PyPI) is required here: python3 -m pip install duckdb")
            self.skipTest("needs duckdb and benchmarks/duckdb/catalog.py")
        out, _ = self.generate(5)
        dst = os.path.join(out, "duck.csv")
        kpis = ("revenue,sourced_revenue,win_rate,avg_deal_size,sales_cycle_days,"
                "deal_registrations,new_customers,certified_partner_rate,leads_generated,"
                "active_partner_rate,lead_conversion_rate")
        subprocess.run([sys.executable, DUCKDB_CATALOG, os.path.join(out, "data"), "--by",
                        "partner", "--grain", "quarter", "--kpi", kpis, "--out", dst],
                       check=True)
        data = reference.Data(os.path.join(out, "data"))
        n = 0
        with open(dst, newline="") as fh:
            for row in csv.DictReader(fh):
                pid = row["scope"].split(":", 1)[1]
                p = reference.p_parse(row["period"])
                v = data.kpi(pid, row["kpi"], reference.p_start(p), reference.p_end(p))
                if row["value"] == "":
                    self.assertIsNone(v, row)
                else:
                    self.assertIsNotNone(v, row)
                    self.assertAlmostEqual(float(v), float(row["value"]),
                                           delta=1e-9 * max(1, abs(float(v))), msg=str(row))
                n += 1
        self.assertGreater(n, 1000)


if __name__ == "__main__":
    unittest.main()
