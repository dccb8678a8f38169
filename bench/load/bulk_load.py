#!/usr/bin/env python3
"""Loads an NDJSON catalog through POST /INDEX/_bulk and reports documents per second.

  bulk_load.py --url http://127.0.0.1:PORT --index products --catalog FILE [--batch 1000] [--clients 2]

Batches of --batch documents (ids from each product's "id", as `ultrasearch import` uses them) go
over --clients keep-alive connections at once, then one _refresh makes them searchable; the time
covers both, as `ultrasearch import` ends with its text index committed. Prints one JSON line.
Exits 1 when any item fails.
"""
import argparse
import http.client
import json
import queue
import sys
import threading
import time
import urllib.parse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--index", default="products")
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=2)
    args = ap.parse_args()
    url = urllib.parse.urlsplit(args.url)

    with open(args.catalog, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    bodies = queue.Queue()
    for start in range(0, len(lines), args.batch):
        out = []
        for line in lines[start:start + args.batch]:
            doc_id = json.loads(line)["id"]
            out.append(json.dumps({"index": {"_id": doc_id}}) + "\n")
            out.append(line if line.endswith("\n") else line + "\n")
        bodies.put("".join(out).encode("utf-8"))
    failures = []

    def client():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
        while True:
            try:
                body = bodies.get_nowait()
            except queue.Empty:
                return
            conn.request("POST", f"/{args.index}/_bulk", body, {"Content-Type": "application/x-ndjson"})
            res = conn.getresponse()
            answer = json.loads(res.read())
            if res.status != 200 or answer.get("errors"):
                failures.append(res.status)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    conn.request("POST", f"/{args.index}/_refresh")
    conn.getresponse().read()
    seconds = time.monotonic() - started
    print(json.dumps({"docs": len(lines), "seconds": round(seconds, 3), "docs_per_s": round(len(lines) / seconds, 1),
                      "batch": args.batch, "clients": args.clients, "failed_requests": len(failures)}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
