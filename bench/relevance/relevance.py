#!/usr/bin/env python3
"""nDCG@10, recall@10 and top-1 of UltraSearch on the judged query set, through the HTTP API.

Loads two catalogs into an `ultrasearch` server (the fixture catalog data/fixtures/products.ndjson
as index `fixtures`, and gen-catalog's first --count products of --seed as index `generated`), runs
every query of judged_queries.jsonl through `POST /INDEX/_search` in the storefront's query shape
(a multi_match over name^3 and description with fuzziness AUTO; bool_prefix for the prefix family),
and grades the top 10 with the query's judgement rule (make_judged_set.py) applied to every product
of the catalog.

  nDCG@10   gains 2^grade - 1, discount log2(rank + 1), over the ideal order of all judged products
  recall@10 the share of the query's best-graded products found in the top 10, out of
            min(10, how many there are) (so a query with 400 relevant products can still reach 1)
  top-1     the share of queries whose first hit has the best grade any product has for them

With --bin the tool starts its own server (a temporary data directory, 127.0.0.1, a free port) and
stops it by PID; with --url it uses a running one. Either way the catalogs go in over `_bulk`, into
indices created with the `products` template's mapping (replacing any of those names). --thresholds FILE fails the run (exit 1) when a figure drops below its floor.

  bench/relevance/relevance.py --bin build/cli/ultrasearch [--markdown] [--thresholds FILE]
"""
import argparse
import collections
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIELDS = ["name^3", "description"]
K = 10


def default_gen_catalog():
    return os.environ.get("ULTRASEARCH_GEN_CATALOG") or os.path.join(ROOT, "..", "shared", "tools", "gen-catalog")


class Http:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def call(self, method, path, body=None, content_type="application/json"):
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`ultrasearch serve` on 127.0.0.1 over its own data directory; stopped by PID."""

    def __init__(self, binary, data_dir):
        self.port = free_port()
        self.log = open(os.path.join(data_dir, "serve.log"), "wb")
        self.proc = subprocess.Popen([binary, "serve", "--data", os.path.join(data_dir, "data"), "--host", "127.0.0.1", "--port",
                                      str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)
        self.http = Http("http://127.0.0.1:%d" % self.port)
        deadline = time.time() + 60
        while True:
            try:
                if self.http.call("GET", "/_cluster/health")[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("ultrasearch serve did not come up (see %s)" % self.log.name)
            time.sleep(0.1)

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def create_index(http, index):
    """Creates INDEX as the `products` template (which applies to that name only) would: its
    mapping and its analysis settings (the default analyzer, the bilingual vocabulary), read from
    a throwaway `products` index when none exists, else from the existing one."""
    status, existing = http.call("GET", "/products/_mapping")
    throwaway = status == 404
    if throwaway:
        http.call("PUT", "/products")
        status, existing = http.call("GET", "/products/_mapping")
    if status != 200:
        raise RuntimeError("cannot read the products mapping: %s" % str(existing)[:300])
    mappings = next(iter(existing.values()))["mappings"]
    status, settings = http.call("GET", "/products/_settings")
    if status != 200:
        raise RuntimeError("cannot read the products settings: %s" % str(settings)[:300])
    template_index = next(iter(settings.values()))["settings"]["index"]
    own = {key: template_index[key] for key in ("analysis", "ultrasearch") if key in template_index}
    if throwaway:
        http.call("DELETE", "/products")
    http.call("DELETE", "/" + index)
    status, body = http.call("PUT", "/" + index, {"settings": {"index": own}, "mappings": mappings})
    if status != 200:
        raise RuntimeError("cannot create %s: %s" % (index, str(body)[:300]))


def bulk_load(http, index, products):
    create_index(http, index)
    for start in range(0, len(products), 2000):
        lines = []
        for p in products[start:start + 2000]:
            lines.append(json.dumps({"index": {"_index": index, "_id": p["id"]}}))
            lines.append(json.dumps(p, ensure_ascii=False))
        status, body = http.call("POST", "/_bulk", ("\n".join(lines) + "\n").encode("utf-8"), "application/x-ndjson")
        if status != 200 or body.get("errors"):
            raise RuntimeError("bulk load of %s failed: %s" % (index, str(body)[:500]))
    http.call("POST", "/%s/_refresh" % index)


def grade(judge, product, model_re):
    ids = judge.get("ids")
    if ids is not None:
        return ids.get(product["id"], 0)
    if product["category"] not in judge["_categories"]:
        return 0
    conditions = []
    if "brand" in judge:
        conditions.append(product["brand"].lower() == judge["brand"].lower())
    if model_re is not None:
        conditions.append(bool(model_re.search(product["name"])))
    if "attribute" in judge:
        value = product.get("attributes", {}).get(judge["attribute"]["field"])
        conditions.append(isinstance(value, str) and value.lower() in judge["attribute"]["values"])
    if not conditions:
        return 1
    if all(conditions):
        return 2
    # brand + model: the right brand's products of the type are the next best thing; otherwise type only.
    if model_re is not None:
        return 1 if conditions[0] else 0
    return 1


def judge_all(query, products, by_category):
    judge = query["judge"]
    model_re = re.compile(judge["model"], re.I) if "model" in judge else None
    if "ids" in judge:
        candidates = [p for p in products if p["id"] in judge["ids"]]
    else:
        judge["_categories"] = set(judge["categories"])
        candidates = [p for c in judge["categories"] for p in by_category.get(c, [])]
    grades = {}
    for p in candidates:
        g = grade(judge, p, model_re)
        if g > 0:
            grades[p["id"]] = g
    return grades


def search_body(query):
    mm = {"query": query["query"], "fields": FIELDS}
    if query["shape"] == "bool_prefix":
        mm["type"] = "bool_prefix"
    else:
        mm["fuzziness"] = "AUTO"
    return {"query": {"multi_match": mm}, "size": K, "_source": False}


def dcg(gains):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def evaluate(query, hits, grades):
    got = [grades.get(h, 0) for h in hits[:K]]
    ideal = sorted(grades.values(), reverse=True)[:K]
    ndcg = dcg(got) / dcg(ideal) if ideal else 0.0
    if not grades:
        return ndcg, 0.0, 0.0
    best = max(grades.values())
    wanted = sum(1 for g in grades.values() if g == best)
    found = sum(1 for g in got if g == best)
    top1 = 1.0 if got and got[0] == best else 0.0
    return ndcg, found / min(K, wanted), top1


def run(http, queries, catalogs, verbose):
    rows = []
    latencies = []
    for q in queries:
        products, by_category = catalogs[q["catalog"]]
        grades = judge_all(q, products, by_category)
        started = time.perf_counter()
        status, body = http.call("POST", "/%s/_search" % q["catalog"], search_body(q))
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError("query %r answered %d: %s" % (q["query"], status, str(body)[:300]))
        hits = [h["_id"] for h in body["hits"]["hits"]]
        ndcg, recall, top1 = evaluate(q, hits, grades)
        rows.append((q, ndcg, recall, top1))
        if verbose:
            print("%-9s %-16s %.3f %.3f %.0f  %s" % (q["catalog"], q["family"], ndcg, recall, top1, q["query"]),
                  file=sys.stderr)
    return rows, latencies


def time_load_mix(http, gen_catalog, count, seed):
    """Latencies (ms, client side) of gen-catalog's query mix over `generated`, after a warm-up pass."""
    mix = subprocess.run([sys.executable, gen_catalog, "--queries", str(count), "--seed", str(seed)],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    latencies = []
    for measured in (False, True):
        for text in mix:
            body = search_body({"query": text, "shape": "match"})
            started = time.perf_counter()
            status, _ = http.call("POST", "/generated/_search", body)
            if measured:
                latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError("load-mix query %r answered %d" % (text, status))
    return sorted(latencies)


def summarise(rows):
    groups = collections.OrderedDict()
    for key in sorted({(r[0]["catalog"], r[0]["family"]) for r in rows}):
        groups["%s/%s" % key] = [r for r in rows if (r[0]["catalog"], r[0]["family"]) == key]
    families = sorted({r[0]["family"] for r in rows})
    for f in families:
        groups["all/%s" % f] = [r for r in rows if r[0]["family"] == f]
    groups["all"] = rows
    return {name: {"queries": len(rs), "ndcg": sum(r[1] for r in rs) / len(rs), "recall": sum(r[2] for r in rs) / len(rs),
                   "top1": sum(r[3] for r in rs) / len(rs)}
            for name, rs in groups.items()}


def print_table(summary, latencies, markdown):
    if markdown:
        print("| catalog/family | queries | nDCG@10 | recall@10 | top-1 |")
        print("|---|---:|---:|---:|---:|")
        for name, s in summary.items():
            print("| %s | %d | %.3f | %.3f | %.3f |" % (name, s["queries"], s["ndcg"], s["recall"], s["top1"]))
    else:
        print("%-30s %7s %8s %9s %6s" % ("catalog/family", "queries", "nDCG@10", "recall@10", "top-1"))
        for name, s in summary.items():
            print("%-30s %7d %8.3f %9.3f %6.3f" % (name, s["queries"], s["ndcg"], s["recall"], s["top1"]))
    lat = sorted(latencies)
    print("\nHTTP round trip per query (client side, %d queries): median %.2f ms, p95 %.2f ms" %
          (len(lat), statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]))


def check_thresholds(summary, path):
    with open(path, encoding="utf-8") as f:
        floors = json.load(f)
    failures = []
    for name, floor in floors.items():
        if name.startswith("_"):
            continue
        s = summary.get(name)
        if s is None:
            failures.append("%s: no such row" % name)
            continue
        for metric in ("ndcg", "recall", "top1"):
            if metric in floor and s[metric] < floor[metric]:
                failures.append("%s %s %.3f < %.3f" % (name, metric, s[metric], floor[metric]))
    for f in failures:
        print("BELOW THRESHOLD: " + f, file=sys.stderr)
    return not failures


def load_catalogs(args):
    with open(os.path.join(ROOT, "data", "fixtures", "products.ndjson"), encoding="utf-8") as f:
        fixtures_text = f.read()
    generated_text = subprocess.run([sys.executable, args.gen_catalog, "--count", str(args.count), "--seed",
                                     str(args.seed)], check=True, capture_output=True, text=True).stdout
    catalogs = {}
    for name, text in (("fixtures", fixtures_text), ("generated", generated_text)):
        products = [json.loads(line) for line in text.splitlines() if line.strip()]
        by_category = collections.defaultdict(list)
        for p in products:
            by_category[p["category"]].append(p)
        catalogs[name] = (products, by_category)
    return catalogs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--bin", help="the ultrasearch program: start a private server")
    where.add_argument("--url", help="a running server to load and query (indices fixtures, generated)")
    ap.add_argument("--queries", default=os.path.join(HERE, "judged_queries.jsonl"))
    ap.add_argument("--gen-catalog", default=default_gen_catalog())
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--thresholds", help="JSON {row: {ndcg: floor, recall: floor}}; exit 1 below a floor")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--json-out", help="write per-query figures here")
    ap.add_argument("--latency-queries", type=int, default=0, metavar="N",
                    help="also time N queries of gen-catalog's load mix over the generated catalog")
    ap.add_argument("--verbose", action="store_true", help="print each query's figures to stderr")
    args = ap.parse_args()

    with open(args.queries, encoding="utf-8") as f:
        queries = [json.loads(line) for line in f if line.strip()]
    catalogs = load_catalogs(args)
    tmp = tempfile.mkdtemp(prefix="ultrasearch-relevance-")
    server = None
    try:
        if args.bin:
            server = Server(args.bin, tmp)
            http = server.http
        else:
            http = Http(args.url)
        for name, (products, _) in catalogs.items():
            bulk_load(http, name, products)
        rows, latencies = run(http, queries, catalogs, args.verbose)
        mix = time_load_mix(http, args.gen_catalog, args.latency_queries, args.seed) if args.latency_queries else None
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    summary = summarise(rows)
    print_table(summary, latencies, args.markdown)
    if mix:
        print("gen-catalog load mix (%d queries, storefront shape, after a warm-up pass): median %.2f ms, "
              "p95 %.2f ms, p99 %.2f ms" % (len(mix), statistics.median(mix), mix[int(0.95 * (len(mix) - 1))],
                                           mix[int(0.99 * (len(mix) - 1))]))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump({"summary": summary, "queries": [{"catalog": q["catalog"], "family": q["family"], "query": q["query"],
                                                        "ndcg": n, "recall": r, "top1": t} for q, n, r, t in rows]},
                      f, ensure_ascii=False, indent=1)
    if args.thresholds and not check_thresholds(summary, args.thresholds):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
