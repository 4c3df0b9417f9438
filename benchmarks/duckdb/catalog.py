#!/usr/bin/env python3
"""Independent reference implementation of the built-in KPI catalog in DuckDB SQL.

Written only from shared/spec/data-format.md and shared/spec/kpi-catalog.md.

    python3 benchmarks/duckdb/catalog.py DATA_DIR --by network|partner|type|region|tier \
        --grain month|quarter|year [--from P] [--to P] [--kpi id,id] [--out FILE] [--timing]

Output: CSV `kpi,scope,period,value`, one row per KPI x scope x period, sorted by
kpi, scope, period; a null value is an empty cell.

Internal representation (all exact):
  * money columns are loaded as BIGINT cents; money sums are printed as exact decimals;
  * dates are DATE, datetimes TIMESTAMPTZ (session time zone UTC), market `month` is the
    DATE of the month's first day;
  * every ratio is computed from exact integer sums and divided once (or nearly so) in
    DOUBLE; doubles are printed in their shortest round-trip form (same as Python repr).
"""
import argparse
import calendar
import csv
import datetime as dt
import os
import re
import sys
import time

import duckdb

# ---------------------------------------------------------------------------
# Input tables (data-format.md)
# ---------------------------------------------------------------------------
# column -> (kind, required)
TABLES = {
    "partners": (["partner_id"], {
        "partner_id": ("id", True), "name": ("text", True), "type": ("slug", True),
        "region": ("slug", True), "country": ("text", False), "tier": ("slug", False),
        "joined_on": ("date", True), "left_on": ("date", False), "manager": ("text", False)}),
    "deals": (["deal_id"], {
        "deal_id": ("id", True), "partner_id": ("id", True), "customer_id": ("id", False),
        "source": ("slug", True), "created_on": ("date", True), "registered_on": ("date", False),
        "registration_status": ("slug", False), "stage": ("slug", True),
        "closed_on": ("date", False), "amount": ("money", True), "product": ("text", False)}),
    "leads": (["lead_id"], {
        "lead_id": ("id", True), "partner_id": ("id", True), "campaign_id": ("id", False),
        "created_on": ("date", True), "converted_on": ("date", False), "deal_id": ("id", False)}),
    "campaigns": (["campaign_id"], {
        "campaign_id": ("id", True), "partner_id": ("id", True), "name": ("text", True),
        "channel": ("slug", False), "started_on": ("date", True), "ended_on": ("date", False),
        "cost": ("money", True), "mdf_amount": ("money", False)}),
    "web_traffic": (["partner_id", "date", "campaign_id"], {
        "partner_id": ("id", True), "date": ("date", True), "campaign_id": ("id", False),
        "visits": ("int", True)}),
    "customers": (["customer_id"], {
        "customer_id": ("id", True), "partner_id": ("id", True), "acquired_on": ("date", True),
        "churned_on": ("date", False), "segment": ("slug", False)}),
    "surveys": (["response_id"], {
        "response_id": ("id", True), "partner_id": ("id", True), "customer_id": ("id", False),
        "responded_on": ("date", True), "score": ("int", True)}),
    "support_tickets": (["ticket_id"], {
        "ticket_id": ("id", True), "partner_id": ("id", True), "customer_id": ("id", False),
        "opened_at": ("datetime", True), "resolved_at": ("datetime", False),
        "satisfaction": ("int", False)}),
    "certifications": (["certification_id"], {
        "certification_id": ("id", True), "partner_id": ("id", True), "person_id": ("id", True),
        "program": ("slug", True), "enrolled_on": ("date", True), "completed_on": ("date", False)}),
    "market": (["region", "month"], {
        "region": ("slug", True), "month": ("month", True), "market_revenue": ("money", True)}),
}

SQL_TYPE = {"id": "VARCHAR", "text": "VARCHAR", "slug": "VARCHAR", "date": "DATE",
            "datetime": "TIMESTAMPTZ", "money": "BIGINT", "int": "BIGINT", "month": "DATE"}


def qi(name):
    return '"' + name.replace('"', '""') + '"'


def ql(s):
    return "'" + s.replace("'", "''") + "'"


def cast_expr(col, kind):
    v = f"NULLIF({qi(col)}, '')"
    if kind in ("id", "text", "slug"):
        return v
    if kind == "date":
        return f"CAST({v} AS DATE)"
    if kind == "datetime":
        return f"CAST({v} AS TIMESTAMPTZ)"   # offset applied; session TimeZone is UTC
    if kind == "money":                      # exact: decimal(18,2) -> integer cents
        return f"CAST(CAST({v} AS DECIMAL(18,2)) * 100 AS BIGINT)"
    if kind == "int":
        return f"CAST({v} AS BIGINT)"
    if kind == "month":
        return f"CAST({v} || '-01' AS DATE)"
    raise ValueError(kind)


def read_header(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.reader(f):
            return row
    return None


def load_tables(con, data_dir, ignore_unknown=False):
    for table, (key, cols) in TABLES.items():
        path = os.path.join(data_dir, table + ".csv")
        header = read_header(path) if os.path.exists(path) else None
        if header is None:       # missing or empty file: empty table
            defs = ", ".join(f"{qi(c)} {SQL_TYPE[k]}" for c, (k, _) in cols.items())
            con.execute(f"CREATE TABLE {table} ({defs})")
            continue
        unknown = [h for h in header if h not in cols]
        if unknown and not ignore_unknown:
            raise SystemExit(f"{path}: unknown column(s): {', '.join(unknown)}")
        if len(set(header)) != len(header):
            raise SystemExit(f"{path}: duplicate column name in header")
        missing = [c for c, (_, req) in cols.items() if req and c not in header]
        if missing:
            raise SystemExit(f"{path}: required column(s) absent: {', '.join(missing)}")
        colspec = "{" + ", ".join(f"{ql(h)}: 'VARCHAR'" for h in header) + "}"
        select = ", ".join(
            (cast_expr(c, k) if c in header else f"CAST(NULL AS {SQL_TYPE[k]})") + f" AS {qi(c)}"
            for c, (k, _) in cols.items())
        con.execute(
            f"CREATE TABLE {table} AS SELECT {select} FROM read_csv({ql(path)}, header=true, "
            f"delim=',', quote='\"', escape='\"', auto_detect=false, columns={colspec})")
        req_null = [c for c, (_, req) in cols.items() if req]
        nulls = con.execute("SELECT " + ", ".join(
            f"count(*) FILTER (WHERE {qi(c)} IS NULL)" for c in req_null) + f" FROM {table}").fetchone()
        bad = [c for c, n in zip(req_null, nulls) if n]
        if bad:
            raise SystemExit(f"{path}: required column(s) with empty cells: {', '.join(bad)}")
        # Upsert semantics: a later row with the same key replaces an earlier one.
        keys = ", ".join(qi(k) for k in key)
        n, nd = con.execute(
            f"SELECT (SELECT count(*) FROM {table}), (SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {table}))"
        ).fetchone()
        if n != nd:
            con.execute(
                f"CREATE TABLE {table}__d AS SELECT * EXCLUDE (rn__) FROM "
                f"(SELECT *, rowid AS rn__ FROM {table}) "
                f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY rn__ DESC) = 1")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE {table}__d RENAME TO {table}")


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------
PERIOD_RE = {"month": re.compile(r"^(\d{4})-(\d{2})$"),
             "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
             "year": re.compile(r"^(\d{4})$")}


def pk_of_date(grain, d):
    if grain == "month":
        return d.year * 12 + d.month - 1
    if grain == "quarter":
        return d.year * 4 + (d.month - 1) // 3
    return d.year


def pk_sql(grain, e):
    """SQL expression giving the integer period key of DATE expression e."""
    if grain == "month":
        return f"(year({e}) * 12 + month({e}) - 1)"
    if grain == "quarter":
        return f"(year({e}) * 4 + quarter({e}) - 1)"
    return f"year({e})"


def parse_period(grain, s):
    m = PERIOD_RE[grain].match(s)
    if not m:
        raise SystemExit(f"period {s!r} does not match grain {grain}")
    y = int(m.group(1))
    if grain == "month":
        mo = int(m.group(2))
        if not 1 <= mo <= 12:
            raise SystemExit(f"bad month {s!r}")
        return y * 12 + mo - 1
    if grain == "quarter":
        return y * 4 + int(m.group(2)) - 1
    return y


def period_info(grain, pk):
    """label, start, end (inclusive) of the period with key pk."""
    if grain == "month":
        y, m = divmod(pk, 12)
        m += 1
        return f"{y:04d}-{m:02d}", dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    if grain == "quarter":
        y, q = divmod(pk, 4)
        m1, m3 = 3 * q + 1, 3 * q + 3
        return f"{y:04d}-Q{q + 1}", dt.date(y, m1, 1), dt.date(y, m3, calendar.monthrange(y, m3)[1])
    return f"{pk:04d}", dt.date(pk, 1, 1), dt.date(pk, 12, 31)


def clv_window_start(end):
    """First day of W: the 12 calendar months ending with the month of `end`."""
    mi = end.year * 12 + end.month - 1 - 11
    return dt.date(mi // 12, mi % 12 + 1, 1)


DATE_COLUMNS = [(t, c) for t, (_, cols) in TABLES.items() for c, (k, _) in cols.items()
                if k in ("date", "datetime", "month")]


def data_date_range(con):
    parts = []
    for t, c in DATE_COLUMNS:
        kind = TABLES[t][1][c][0]
        e = f"CAST(timezone('UTC', {qi(c)}) AS DATE)" if kind == "datetime" else qi(c)
        parts.append(f"SELECT min({e}) lo, max({e}) hi FROM {t}")
    return con.execute(f"SELECT min(lo), max(hi) FROM ({' UNION ALL '.join(parts)})").fetchone()


# ---------------------------------------------------------------------------
# KPIs
# ---------------------------------------------------------------------------
KPIS = ["revenue", "sourced_revenue", "win_rate", "new_customers", "market_share",
        "lead_conversion_rate", "avg_deal_size", "sales_cycle_days", "co_sell_cycle_days",
        "open_pipeline", "pipeline_velocity", "deal_registrations", "registration_approval_rate",
        "registrations_per_partner", "leads_generated", "web_visits", "visit_to_lead_rate",
        "cost_per_acquisition", "marketing_roi", "nps", "customer_retention_rate",
        "avg_resolution_hours", "support_csat", "certified_partner_rate",
        "time_to_first_deal_days", "active_partner_rate", "customer_lifetime_value"]

# exact money sum (cents, HUGEINT) -> exact decimal text
def money(e):
    return f"CAST(CAST({e} AS DECIMAL(38,0)) * 0.01 AS VARCHAR)"


def ratio(num, den, cond=None):
    cond = cond or f"({den}) <> 0"
    return f"CASE WHEN {cond} THEN CAST({num} AS DOUBLE) / CAST({den} AS DOUBLE) END"


H = "::HUGEINT"
# kpi -> (component tables needed, value expression over the wide table w)
KPI_DEF = {
    "revenue": (["closed"], money("won_sum")),
    "sourced_revenue": (["closed"], money("src_sum")),
    "win_rate": (["closed"], ratio("won_n", "won_n + lost_n")),
    "new_customers": (["newcust"], "CAST(new_n AS VARCHAR)"),
    "market_share": (["closed", "market"], ratio("won_sum", "mkt_sum", "mkt_n > 0")),
    "lead_conversion_rate": (["leads"], ratio("conv_n", "leads_n")),
    "avg_deal_size": (["closed"], ratio("won_sum", f"won_n{H} * 100", "won_n > 0")),
    "sales_cycle_days": (["closed"], ratio("won_days", "won_n", "won_n > 0")),
    "co_sell_cycle_days": (["closed"], ratio("cs_days", "cs_n", "cs_n > 0")),
    "open_pipeline": (["open"], money("open_sum")),
    # open_deals * (won/(won+lost)) * (won_sum/won/100) / (won_days/won)
    "pipeline_velocity": (["closed", "open"], ratio(
        f"open_n{H} * won_sum{H} * won_n{H}", f"(won_n + lost_n){H} * won_days{H} * 100",
        "won_n > 0 AND won_days <> 0")),
    "deal_registrations": (["reg"], "CAST(reg_n AS VARCHAR)"),
    "registration_approval_rate": (["reg"], ratio("appr_n", "appr_n + rej_n")),
    "registrations_per_partner": (["reg", "actp"], ratio("reg_n", "act_n")),
    "leads_generated": (["leads"], "CAST(leads_n AS VARCHAR)"),
    "web_visits": (["web"], "CAST(visits AS VARCHAR)"),
    "visit_to_lead_rate": (["leads", "web"], ratio("leads_n", "visits")),
    "cost_per_acquisition": (["camp", "newcust"], ratio("camp_cost", f"new_n{H} * 100", "new_n > 0")),
    "marketing_roi": (["camp", "closed"], ratio("camp_rev - camp_cost", "camp_cost")),
    "nps": (["surveys"], ratio("100 * (prom_n - det_n)", "resp_n")),
    "customer_retention_rate": (["retention"], ratio("kept_n", "base_n")),
    "avg_resolution_hours": (["tickets"], ratio("res_us", f"res_n{H} * 3600000000", "res_n > 0")),
    "support_csat": (["tickets"], ratio("csat_sum", "csat_n")),
    "certified_partner_rate": (["actp"], ratio("cert_n", "act_n")),
    "time_to_first_deal_days": (["ttfd"], ratio("ttfd_days", "ttfd_n")),
    "active_partner_rate": (["actp"], ratio("actv_n", "act_n")),
    # ARPC = clv_sum/clv_n/100 ; churn = churned_n/churn_base ; lifetime = min(1/churn, 10)
    "customer_lifetime_value": (["clv"], f"""CASE WHEN clv_n > 0 AND churn_base > 0 THEN
        CASE WHEN churned_n{H} * 10 <= churn_base THEN CAST(clv_sum AS DOUBLE) / CAST(clv_n{H} * 10 AS DOUBLE)
             ELSE CAST(clv_sum{H} * churn_base{H} AS DOUBLE) / CAST(clv_n{H} * 100 * churned_n{H} AS DOUBLE)
        END END"""),
}
assert sorted(KPI_DEF) == sorted(KPIS)

SCOPE_EXPR = {
    "network": "'network'",
    "partner": "'partner:' || partner_id",
    "type": "'type:' || type",
    "region": "'region:' || region",
    "tier": "'tier:' || tier",   # NULL tier -> NULL scope -> in no tier scope
}


def component_sql(name, grain):
    """SQL (as a list of statements) creating table c_<name>(scope, pk, ...)."""
    PK = lambda e: pk_sql(grain, e)
    inrange = lambda e: f"{PK(e)} BETWEEN (SELECT min(pk) FROM periods) AND (SELECT max(pk) FROM periods)"
    if name == "closed":
        return [f"""
        CREATE TABLE c_closed AS
        WITH campaign_deals AS (
            SELECT DISTINCT deal_id FROM leads WHERE campaign_id IS NOT NULL AND deal_id IS NOT NULL),
        d AS (
            SELECT m.scope, {PK('d.closed_on')} AS pk, d.stage, d.source, d.amount,
                   (d.closed_on - d.created_on) AS days,
                   (cd.deal_id IS NOT NULL) AS is_campaign
            FROM deals d JOIN pmap m ON m.partner_id = d.partner_id
            LEFT JOIN campaign_deals cd ON cd.deal_id = d.deal_id
            WHERE d.closed_on IS NOT NULL AND d.stage IN ('won', 'lost') AND {inrange('d.closed_on')})
        SELECT scope, pk,
            count(*) FILTER (WHERE stage = 'won') AS won_n,
            coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0) AS won_sum,
            count(*) FILTER (WHERE stage = 'lost') AS lost_n,
            coalesce(sum(amount) FILTER (WHERE stage = 'won' AND source = 'sourced'), 0) AS src_sum,
            coalesce(sum(days) FILTER (WHERE stage = 'won'), 0) AS won_days,
            count(*) FILTER (WHERE stage = 'won' AND source = 'co_sell') AS cs_n,
            coalesce(sum(days) FILTER (WHERE stage = 'won' AND source = 'co_sell'), 0) AS cs_days,
            coalesce(sum(amount) FILTER (WHERE stage = 'won' AND is_campaign), 0) AS camp_rev
        FROM d GROUP BY scope, pk"""]
    if name == "reg":
        return [f"""
        CREATE TABLE c_reg AS
        SELECT m.scope, {PK('d.registered_on')} AS pk, count(*) AS reg_n,
            count(*) FILTER (WHERE d.registration_status = 'approved') AS appr_n,
            count(*) FILTER (WHERE d.registration_status = 'rejected') AS rej_n
        FROM deals d JOIN pmap m ON m.partner_id = d.partner_id
        WHERE d.registered_on IS NOT NULL AND {inrange('d.registered_on')}
        GROUP BY ALL"""]
    if name == "open":
        # open at the end of day e: created_on <= e and (closed_on absent or closed_on > e)
        return ["""
        CREATE TABLE c_open AS
        SELECT m.scope, p.pk, count(*) AS open_n, sum(d.amount) AS open_sum
        FROM deals d JOIN pmap m ON m.partner_id = d.partner_id
        JOIN periods p ON d.created_on <= p.e AND coalesce(d.closed_on, DATE '9999-12-31') > p.e
        GROUP BY ALL"""]
    if name == "newcust":
        return [f"""
        CREATE TABLE c_newcust AS
        SELECT m.scope, {PK('c.acquired_on')} AS pk, count(*) AS new_n
        FROM customers c JOIN pmap m ON m.partner_id = c.partner_id
        WHERE {inrange('c.acquired_on')}
        GROUP BY ALL"""]
    if name == "market":
        return [f"""
        CREATE TABLE c_market AS
        WITH sr AS (SELECT DISTINCT m.scope, p.region FROM pmap m JOIN partners p ON p.partner_id = m.partner_id)
        SELECT sr.scope, {PK('mk.month')} AS pk, sum(mk.market_revenue) AS mkt_sum, count(*) AS mkt_n
        FROM market mk JOIN sr ON sr.region = mk.region
        WHERE {inrange('mk.month')}
        GROUP BY ALL"""]
    if name == "leads":
        return [f"""
        CREATE TABLE c_leads AS
        SELECT m.scope, {PK('l.created_on')} AS pk, count(*) AS leads_n,
            count(*) FILTER (WHERE l.converted_on IS NOT NULL) AS conv_n
        FROM leads l JOIN pmap m ON m.partner_id = l.partner_id
        WHERE {inrange('l.created_on')}
        GROUP BY ALL"""]
    if name == "web":
        return [f"""
        CREATE TABLE c_web AS
        SELECT m.scope, {PK('w.date')} AS pk, sum(w.visits) AS visits
        FROM web_traffic w JOIN pmap m ON m.partner_id = w.partner_id
        WHERE {inrange('w.date')}
        GROUP BY ALL"""]
    if name == "camp":
        return [f"""
        CREATE TABLE c_camp AS
        SELECT m.scope, {PK('c.started_on')} AS pk, sum(c.cost) AS camp_cost
        FROM campaigns c JOIN pmap m ON m.partner_id = c.partner_id
        WHERE {inrange('c.started_on')}
        GROUP BY ALL"""]
    if name == "surveys":
        return [f"""
        CREATE TABLE c_surveys AS
        SELECT m.scope, {PK('s.responded_on')} AS pk, count(*) AS resp_n,
            count(*) FILTER (WHERE s.score >= 9) AS prom_n,
            count(*) FILTER (WHERE s.score <= 6) AS det_n
        FROM surveys s JOIN pmap m ON m.partner_id = s.partner_id
        WHERE {inrange('s.responded_on')}
        GROUP BY ALL"""]
    if name == "retention":
        # base: active on start-1 ; kept: of those, active on e (churned_on absent or > e)
        return ["""
        CREATE TABLE c_retention AS
        SELECT m.scope, p.pk, count(*) AS base_n,
            count(*) FILTER (WHERE coalesce(c.churned_on, DATE '9999-12-31') > p.e) AS kept_n
        FROM customers c JOIN pmap m ON m.partner_id = c.partner_id
        JOIN periods p ON c.acquired_on <= p.prev AND coalesce(c.churned_on, DATE '9999-12-31') > p.prev
        GROUP BY ALL"""]
    if name == "tickets":
        return [f"""
        CREATE TABLE c_tickets AS
        WITH t AS (
            SELECT m.scope, CAST(timezone('UTC', t.resolved_at) AS DATE) AS rd,
                   epoch_us(t.resolved_at) - epoch_us(t.opened_at) AS us, t.satisfaction
            FROM support_tickets t JOIN pmap m ON m.partner_id = t.partner_id
            WHERE t.resolved_at IS NOT NULL)
        SELECT scope, {PK('rd')} AS pk, count(*) AS res_n, sum(us) AS res_us,
            count(satisfaction) AS csat_n, coalesce(sum(satisfaction), 0) AS csat_sum
        FROM t WHERE {inrange('rd')}
        GROUP BY ALL"""]
    if name == "actp":
        return [f"""
        CREATE TABLE c_actp AS
        WITH cert AS (
            SELECT partner_id, min(completed_on) AS first_cert FROM certifications
            WHERE program = 'sales' AND completed_on IS NOT NULL GROUP BY partner_id),
        act AS (
            SELECT DISTINCT partner_id, pk FROM (
                SELECT partner_id, {PK('registered_on')} AS pk FROM deals WHERE registered_on IS NOT NULL
                UNION ALL
                SELECT partner_id, {PK('closed_on')} AS pk FROM deals WHERE stage = 'won' AND closed_on IS NOT NULL))
        SELECT m.scope, p.pk, count(*) AS act_n,
            count(*) FILTER (WHERE cert.first_cert <= p.e) AS cert_n,
            count(act.partner_id) AS actv_n
        FROM partners pa JOIN pmap m ON m.partner_id = pa.partner_id
        JOIN periods p ON pa.joined_on <= p.e AND coalesce(pa.left_on, DATE '9999-12-31') > p.e
        LEFT JOIN cert ON cert.partner_id = pa.partner_id
        LEFT JOIN act ON act.partner_id = pa.partner_id AND act.pk = p.pk
        GROUP BY ALL"""]
    if name == "ttfd":
        return [f"""
        CREATE TABLE c_ttfd AS
        WITH f AS (SELECT partner_id, min(closed_on) AS first_won FROM deals
                   WHERE stage = 'won' AND closed_on IS NOT NULL GROUP BY partner_id)
        SELECT m.scope, {PK('f.first_won')} AS pk, count(*) AS ttfd_n,
            sum(f.first_won - pa.joined_on) AS ttfd_days
        FROM f JOIN partners pa ON pa.partner_id = f.partner_id
        JOIN pmap m ON m.partner_id = f.partner_id
        WHERE {inrange('f.first_won')}
        GROUP BY ALL"""]
    if name == "clv":
        return ["""
        CREATE TABLE c_clv_a AS
        SELECT m.scope, p.pk, sum(d.amount) AS clv_sum, count(DISTINCT d.customer_id) AS clv_n
        FROM deals d JOIN pmap m ON m.partner_id = d.partner_id
        JOIN periods p ON d.closed_on >= p.ws AND d.closed_on <= p.e
        WHERE d.stage = 'won' AND d.customer_id IS NOT NULL
        GROUP BY ALL""", """
        CREATE TABLE c_clv_c AS
        SELECT m.scope, p.pk, count(*) AS churned_n
        FROM customers c JOIN pmap m ON m.partner_id = c.partner_id
        JOIN periods p ON c.churned_on >= p.ws AND c.churned_on <= p.e
        GROUP BY ALL""", """
        CREATE TABLE c_clv_b AS
        SELECT m.scope, p.pk, count(*) AS churn_base
        FROM customers c JOIN pmap m ON m.partner_id = c.partner_id
        JOIN periods p ON c.acquired_on <= p.wprev AND coalesce(c.churned_on, DATE '9999-12-31') > p.wprev
        GROUP BY ALL""", """
        CREATE TABLE c_clv AS
        SELECT g.scope, g.pk, a.clv_sum, a.clv_n, c.churned_n, b.churn_base
        FROM grid g LEFT JOIN c_clv_a a USING (scope, pk) LEFT JOIN c_clv_c c USING (scope, pk)
        LEFT JOIN c_clv_b b USING (scope, pk)"""]
    raise ValueError(name)


# columns of each component table, all zero when the component has no row
COMPONENT_COLS = {
    "closed": ["won_n", "won_sum", "lost_n", "src_sum", "won_days", "cs_n", "cs_days", "camp_rev"],
    "reg": ["reg_n", "appr_n", "rej_n"], "open": ["open_n", "open_sum"], "newcust": ["new_n"],
    "market": ["mkt_sum", "mkt_n"], "leads": ["leads_n", "conv_n"], "web": ["visits"],
    "camp": ["camp_cost"], "surveys": ["resp_n", "prom_n", "det_n"],
    "retention": ["base_n", "kept_n"], "tickets": ["res_n", "res_us", "csat_n", "csat_sum"],
    "actp": ["act_n", "cert_n", "actv_n"], "ttfd": ["ttfd_n", "ttfd_days"],
    "clv": ["clv_sum", "clv_n", "churned_n", "churn_base"],
}


def compute(con, by, grain, p_from, p_to, kpis):
    """Builds table `result(kpi, scope, period, value)`, sorted. Returns number of rows."""
    lo_hi = None
    if p_from is None or p_to is None:
        lo, hi = data_date_range(con)
        if lo is not None:
            lo_hi = (pk_of_date(grain, lo), pk_of_date(grain, hi))
    pk_lo = parse_period(grain, p_from) if p_from else (lo_hi[0] if lo_hi else None)
    pk_hi = parse_period(grain, p_to) if p_to else (lo_hi[1] if lo_hi else None)
    if pk_lo is None:
        pk_lo = pk_hi
    if pk_hi is None:
        pk_hi = pk_lo
    rows = []
    if pk_lo is not None:
        for pk in range(pk_lo, pk_hi + 1):
            label, s, e = period_info(grain, pk)
            ws = clv_window_start(e)
            rows.append(f"({pk}, '{label}', DATE '{s}', DATE '{e}', DATE '{s - dt.timedelta(days=1)}', "
                        f"DATE '{ws}', DATE '{ws - dt.timedelta(days=1)}')")
    con.execute("CREATE TABLE periods (pk BIGINT, label VARCHAR, s DATE, e DATE, prev DATE, ws DATE, wprev DATE)")
    if rows:
        con.execute("INSERT INTO periods VALUES " + ", ".join(rows))

    con.execute(f"CREATE TABLE pmap AS SELECT partner_id, {SCOPE_EXPR[by]} AS scope FROM partners "
                f"WHERE {SCOPE_EXPR[by]} IS NOT NULL")
    scopes = "SELECT 'network' AS scope" if by == "network" else "SELECT DISTINCT scope FROM pmap"
    con.execute(f"CREATE TABLE grid AS SELECT s.scope, p.pk, p.label FROM ({scopes}) s CROSS JOIN periods p")

    needed = []
    for k in kpis:
        for c in KPI_DEF[k][0]:
            if c not in needed:
                needed.append(c)
    for c in needed:
        for stmt in component_sql(c, grain):
            con.execute(stmt)

    sel = ["g.scope", "g.label"]
    joins = []
    for c in needed:
        sel += [f"coalesce(c_{c}.{col}, 0) AS {col}" for col in COMPONENT_COLS[c]]
        joins.append(f"LEFT JOIN c_{c} ON c_{c}.scope = g.scope AND c_{c}.pk = g.pk")
    con.execute(f"CREATE TABLE wide AS SELECT {', '.join(sel)} FROM grid g {' '.join(joins)}")
    union = " UNION ALL ".join(
        f"SELECT '{k}' AS kpi, scope, label AS period, CAST({KPI_DEF[k][1]} AS VARCHAR) AS value FROM wide"
        for k in kpis)
    con.execute(f"CREATE TABLE result AS SELECT * FROM ({union}) ORDER BY kpi, scope, period")
    return con.execute("SELECT count(*) FROM result").fetchone()[0]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir")
    ap.add_argument("--by", required=True, choices=["network", "partner", "type", "region", "tier"])
    ap.add_argument("--grain", required=True, choices=["month", "quarter", "year"])
    ap.add_argument("--from", dest="p_from")
    ap.add_argument("--to", dest="p_to")
    ap.add_argument("--kpi", help="comma-separated KPI ids (default: all)")
    ap.add_argument("--out", help="output CSV file (default: stdout)")
    ap.add_argument("--timing", action="store_true", help="print load/compute seconds to stderr")
    ap.add_argument("--ignore-unknown-columns", action="store_true")
    ap.add_argument("--threads", type=int, help="DuckDB threads (default: DuckDB's default)")
    a = ap.parse_args(argv)

    if a.kpi:
        kpis = [k.strip() for k in a.kpi.split(",") if k.strip()]
        bad = [k for k in kpis if k not in KPI_DEF]
        if bad:
            raise SystemExit(f"unknown KPI id(s): {', '.join(bad)}")
        kpis = sorted(set(kpis))
    else:
        kpis = sorted(KPIS)
    for p in (a.p_from, a.p_to):
        if p is not None:
            parse_period(a.grain, p)
    if not os.path.isdir(a.data_dir):
        raise SystemExit(f"not a directory: {a.data_dir}")

    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    if a.threads:
        con.execute(f"SET threads = {int(a.threads)}")

    t0 = time.perf_counter()
    load_tables(con, a.data_dir, a.ignore_unknown_columns)
    t1 = time.perf_counter()
    n = compute(con, a.by, a.grain, a.p_from, a.p_to, kpis)
    t2 = time.perf_counter()
    if a.out:
        con.execute(f"COPY result TO {ql(a.out)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', NULL '')")
    else:
        sys.stdout.flush()
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["kpi", "scope", "period", "value"])
        cur = con.execute("SELECT * FROM result")
        while True:
            chunk = cur.fetchmany(100000)
            if not chunk:
                break
            w.writerows(("" if v is None else v for v in r) for r in chunk)
        sys.stdout.flush()
    t3 = time.perf_counter()
    if a.timing:
        print(f"load_seconds {t1 - t0:.6f}", file=sys.stderr)
        print(f"compute_seconds {t2 - t1:.6f}", file=sys.stderr)
        print(f"write_seconds {t3 - t2:.6f}", file=sys.stderr)
        print(f"rows {n}", file=sys.stderr)


if __name__ == "__main__":
    main()
