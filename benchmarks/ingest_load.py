#!/usr/bin/env python3
"""Steady ingestion against a running server, with a freshness probe.

Posts batches of won deals to POST /api/v1/facts/deals at a fixed rate of facts per second
(spread over the given partners), on --connections keep-alive connections that take turns
(batch n goes out on connection n mod N at its scheduled time, so up to N batches are in flight
when the server is slower than the schedule, as with several sources feeding one server). Meanwhile a second connection
probes freshness: it posts one deal of its own, then reads the partner's revenue until the deal
shows, and records the time from sending the POST to the read that shows it.

Prints the rate reached, the batches' POST latency and the freshness, median and p99. Runs until
--seconds have passed or the file named by --stop exists.
"""
import argparse
import http.client
import json
import os
import random
import statistics
import threading
import time
import urllib.parse


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


class Client:
    def __init__(self, base, key):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port or 80
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method, path, body=None):
        headers = dict(self.headers)
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else None


def deal(deal_id, partner, amount):
    return {
        "deal_id": deal_id, "partner_id": partner, "source": "sourced", "created_on": "2025-12-01",
        "stage": "won", "closed_on": "2025-12-10", "amount": f"{amount}.00",
    }


def revenue(client, partner):
    q = f"/api/v1/values?kpi=revenue&by=partner&scope=partner:{partner}&grain=month&from=2025-12&to=2025-12"
    return client.request("GET", q)["values"][0]["value"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--key", default=os.environ.get("CHANNELKPI_KEY"))
    ap.add_argument("--partners", required=True, help="comma-separated partner ids the deals go to")
    ap.add_argument("--probe-partner", required=True)
    ap.add_argument("--rate", type=int, default=10000, help="facts per second")
    ap.add_argument("--batch", type=int, default=100, help="facts per POST")
    ap.add_argument("--connections", type=int, default=1, help="connections taking turns")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--stop", help="stop when this file exists")
    a = ap.parse_args()
    partners = a.partners.split(",")
    stamp = int(time.time() * 1000)
    done = threading.Event()
    posts, fresh = [], []

    interval = a.batch / a.rate
    start = time.perf_counter()

    def load(first):
        c = Client(a.base, a.key)
        n = first
        while not done.is_set():
            # Batches go out on a fixed schedule; a late one is sent at once (no catching up twice).
            due = start + n * interval
            now = time.perf_counter()
            if due > now:
                time.sleep(due - now)
            records = [deal(f"LOAD-{stamp}-{n}-{i}", random.choice(partners), 100 + i) for i in range(a.batch)]
            t0 = time.perf_counter()
            c.request("POST", "/api/v1/facts/deals", {"records": records})
            posts.append((time.perf_counter() - t0) * 1000)
            n += a.connections

    def probe():
        c = Client(a.base, a.key)
        i = 0
        while not done.is_set():
            before = revenue(c, a.probe_partner)
            t0 = time.perf_counter()
            c.request("POST", "/api/v1/facts/deals", {"records": [deal(f"PROBE-{stamp}-{i}", a.probe_partner, 7)]})
            while abs(revenue(c, a.probe_partner) - before - 7.0) > 1e-6:
                pass
            fresh.append((time.perf_counter() - t0) * 1000)
            i += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(i,), daemon=True) for i in range(a.connections)]
    threads.append(threading.Thread(target=probe, daemon=True))
    started = time.perf_counter()
    for t in threads:
        t.start()
    while time.perf_counter() - started < a.seconds and not (a.stop and os.path.exists(a.stop)):
        time.sleep(0.1)
    done.set()
    for t in threads:
        t.join(timeout=30)
    elapsed = time.perf_counter() - started
    print(f"  ingestion: {len(posts) * a.batch:,} deals in {elapsed:.1f} s = {len(posts) * a.batch / elapsed:,.0f} facts/s "
          f"(asked {a.rate:,}/s in batches of {a.batch} on {a.connections} connection(s))")
    print(f"  POST of a batch          median {statistics.median(posts):7.2f} ms   p99 {percentile(posts, 0.99):7.2f} ms")
    print(f"  posted → visible (probe) median {statistics.median(fresh):7.2f} ms   p99 {percentile(fresh, 0.99):7.2f} ms"
          f"   ({len(fresh)} probes)")


if __name__ == "__main__":
    main()
