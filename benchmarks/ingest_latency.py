#!/usr/bin/env python3
"""Time from an accepted ingestion request to the change being visible in a KPI read.

Posts one won deal at a time to POST /api/v1/facts/deals, then reads the partner's revenue
for the deal's month from GET /api/v1/values until it has grown by the deal's amount.
Reports the POST latency, the read latency and the total, median and 99th percentile.

With --read-base, the reads go to another instance on the same database (freshness between
instances: posted to A, visible on B).
"""
import argparse
import json
import statistics
import time
import os
import urllib.request

# The API key every request carries (--key, else $CHANNELKPI_KEY).
AUTH = {}


def get_revenue(base, partner, period):
    url = f"{base}/api/v1/values?kpi=revenue&by=partner&scope=partner:{partner}&grain=month&from={period}&to={period}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=AUTH)) as r:
        return json.load(r)["values"][0]["value"]


def post_deal(base, deal):
    req = urllib.request.Request(
        f"{base}/api/v1/facts/deals", data=json.dumps({"records": [deal]}).encode(),
        headers={"Content-Type": "application/json", **AUTH}, method="POST")
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--read-base", help="read from this instance instead (default: --base)")
    ap.add_argument("--partner", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--key", default=os.environ.get("CHANNELKPI_KEY"), help="an API key with read and ingest scopes")
    a = ap.parse_args()
    if a.key:
        AUTH["Authorization"] = f"Bearer {a.key}"
    reader = a.read_base or a.base
    period = "2025-12"
    posts, reads, totals = [], [], []
    first_read = 0
    stamp = int(time.time() * 1000)
    for i in range(a.count):
        before = get_revenue(reader, a.partner, period)
        deal = {
            "deal_id": f"BENCH-{stamp}-{i}", "partner_id": a.partner, "source": "sourced",
            "created_on": "2025-12-01", "stage": "won", "closed_on": "2025-12-10", "amount": "1000.00",
        }
        t0 = time.perf_counter()
        post_deal(a.base, deal)
        t1 = time.perf_counter()
        attempts = 0
        while True:
            attempts += 1
            after = get_revenue(reader, a.partner, period)
            if abs(after - before - 1000.0) < 1e-6:
                break
        first_read += attempts == 1
        t2 = time.perf_counter()
        posts.append((t1 - t0) * 1000)
        reads.append((t2 - t1) * 1000)
        totals.append((t2 - t0) * 1000)

    def show(name, xs):
        xs = sorted(xs)
        p99 = xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]
        print(f"  {name:<34} median {statistics.median(xs):7.2f} ms   p99 {p99:7.2f} ms")

    where = "" if reader == a.base else f" on {reader}"
    print(f"  {a.count} deals posted one at a time to {a.base}; {first_read} of {a.count} visible{where} in the first read after the POST answered")
    show("POST accepted (validate, store, engine)", posts)
    show("reads until the change is visible" if reader != a.base else "next KPI read", reads)
    show("POST sent → change visible" + where, totals)


if __name__ == "__main__":
    main()
