#!/usr/bin/env python3
"""Scrapes a Gonggu service's /metrics (or reads a textfile) and prints its samples as JSON.

An independent check of the exposition format (docs/MONITORING.md): parsed by prometheus_client's own
parser (Debian's python3-prometheus-client), not by Gonggu code. Also probes what the endpoint
refuses: another path (404), another method (405).

usage: scrape_metrics.py http://127.0.0.1:PORT   |   scrape_metrics.py --file PATH
Prints {"content_type", "families": {name: {"type", "help", "samples": [[name, labels, value]]}},
"not_found", "not_allowed"}.
"""
import http.client
import json
import sys
import urllib.parse
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def families(text):
    out = {}
    for f in text_string_to_metric_families(text):
        out[f.name] = {
            "type": f.type,
            "help": f.documentation,
            "samples": [[s.name, s.labels, s.value] for s in f.samples],
        }
    return out


def status_of(base, method, path):
    u = urllib.parse.urlparse(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    c.request(method, path)
    r = c.getresponse()
    r.read()
    c.close()
    return r.status


def main():
    if sys.argv[1] == "--file":
        with open(sys.argv[2], encoding="utf-8") as f:
            print(json.dumps({"families": families(f.read())}))
        return
    base = sys.argv[1]
    with urllib.request.urlopen(base + "/metrics", timeout=10) as r:
        content_type = r.headers.get("Content-Type")
        text = r.read().decode("utf-8")
    print(json.dumps({
        "content_type": content_type,
        "families": families(text),
        "not_found": status_of(base, "GET", "/"),
        "not_allowed": status_of(base, "POST", "/metrics"),
    }))


if __name__ == "__main__":
    main()
