#!/usr/bin/python3
"""A Prometheus exporter for meshctl's progressive canary tests (stdlib only).

Serves /metrics with Istio-shaped istio_requests_total and
istio_request_duration_milliseconds_bucket/_sum/_count series
(reporter="destination") for a stable and a canary workload. Traffic follows
the cluster, as in a mesh: the canary's request rate is --rps times the
canary weight of the VirtualService, read from the fake API server's apply
log (the last stored object named --route). What the canary does at each
weight comes from the scenario file (JSON, re-read on every scrape, so a
test may rewrite it):

  {"rps": 100, "default": {"errors": 0.0, "latency_ms": 40},
   "weights": {"25": {"errors": 0.5}}, "apply_log": "/tmp/x/applies.jsonl"}

Prints "PORT <n>" when ready; exits when stdin closes.
"""

import argparse
import http.server
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
import pyserver  # noqa: E402  (tests/support: the servers' shared start-up)

BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.last = time.monotonic()
        # (workload, code) -> count; workload -> [bucket counts], sum
        self.requests = {}
        self.buckets = {}
        self.sums = {}
        for w in (args.stable_workload, args.canary_workload):
            for code in ("200", "503"):
                self.requests[(w, code)] = 0.0
            self.buckets[w] = [0.0] * (len(BUCKETS) + 1)
            self.sums[w] = 0.0

    def scenario(self):
        try:
            with open(self.args.scenario, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def canary_weight(self, sc):
        path = sc.get("apply_log", "")
        weight = 0
        if not path or not os.path.exists(path):
            return 0
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if obj.get("kind") != "VirtualService" or obj.get("metadata", {}).get("name") != self.args.route:
                    continue
                w = 0
                for http in obj.get("spec", {}).get("http", []):
                    for r in http.get("route", []):
                        if r.get("destination", {}).get("subset") == self.args.canary_subset:
                            w = r.get("weight", 0)
                weight = w
        return weight

    def observe(self, workload, n, errors, latency):
        self.requests[(workload, "503")] += n * errors
        self.requests[(workload, "200")] += n * (1 - errors)
        for i, le in enumerate(BUCKETS):
            if latency <= le:
                self.buckets[workload][i] += n
        self.buckets[workload][len(BUCKETS)] += n
        self.sums[workload] += n * latency

    def advance(self):
        sc = self.scenario()
        now = time.monotonic()
        dt, self.last = now - self.last, now
        weight = self.canary_weight(sc)
        rps = float(sc.get("rps", 0))
        cfg = dict(sc.get("default", {}))
        cfg.update(sc.get("weights", {}).get(str(weight), {}))
        self.observe(self.args.canary_workload, rps * weight / 100.0 * dt, float(cfg.get("errors", 0)),
                     float(cfg.get("latency_ms", 40)))
        self.observe(self.args.stable_workload, rps * (100 - weight) / 100.0 * dt, 0.0, 30.0)

    def render(self):
        ns = self.args.namespace
        out = ["# TYPE istio_requests_total counter"]
        for (w, code), v in sorted(self.requests.items()):
            for reporter in ("destination", "source"):
                out.append('istio_requests_total{reporter="%s",destination_workload="%s",'
                           'destination_workload_namespace="%s",response_code="%s"} %f' % (reporter, w, ns, code, v))
        out.append("# TYPE istio_request_duration_milliseconds histogram")
        for w in sorted(self.buckets):
            lbl = 'reporter="destination",destination_workload="%s",destination_workload_namespace="%s"' % (w, ns)
            for i, le in enumerate(BUCKETS):
                out.append('istio_request_duration_milliseconds_bucket{%s,le="%s"} %f' % (lbl, le, self.buckets[w][i]))
            out.append('istio_request_duration_milliseconds_bucket{%s,le="+Inf"} %f' % (lbl, self.buckets[w][-1]))
            out.append('istio_request_duration_milliseconds_sum{%s} %f' % (lbl, self.sums[w]))
            out.append('istio_request_duration_milliseconds_count{%s} %f' % (lbl, self.buckets[w][-1]))
        return "\n".join(out) + "\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        if self.path.split("?")[0] != "/metrics":
            self.send_error(404)
            return
        st = self.server.state
        with st.lock:
            st.advance()
            body = st.render().encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(pyserver.ThreadedServer, http.server.HTTPServer):
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--namespace", default="bookinfo")
    ap.add_argument("--route", default="reviews")
    ap.add_argument("--canary-subset", default="v2")
    ap.add_argument("--stable-workload", default="reviews-v1")
    ap.add_argument("--canary-workload", default="reviews-v2")
    args = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.state = State(args)
    pyserver.serve(srv)


if __name__ == "__main__":
    main()
