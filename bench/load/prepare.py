#!/usr/bin/env python3
"""Writes the request files bench/load/run replays with wrk (see requests.lua for the format).

  prepare.py --catalog FILE --queries FILE --out DIR [--index products] [--popular 20]

Files written to DIR:
  popular.req     one-word `match` searches (size 10) on the POPULAR most frequent one-word queries
  distinct.req    one `match` search (size 10) per distinct query of the query file
  uncached.req    distinct.req with ?request_cache=false: the engine's own cost per query
  facets.req      terms aggregations on brand and category over a price range, size 0 or 10
  mixed.req       popular and distinct searches with a _bulk of 50 catalog documents every 10th
"""
import argparse
import collections
import json
import os


def record(method, target, body):
    data = body.encode("utf-8")
    return f"{method} {target}\n{len(data)}\n".encode("utf-8") + data


def search_body(text, size=10):
    return json.dumps({"size": size, "query": {"match": {"name": text}}}, ensure_ascii=False)


def facet_body(text, low, high, size):
    return json.dumps({
        "size": size,
        "query": {"bool": {"must": [{"match": {"name": text}}],
                           "filter": [{"range": {"price": {"gte": low, "lte": high}}}]}},
        "aggs": {"brands": {"terms": {"field": "brand", "size": 10}},
                 "categories": {"terms": {"field": "category", "size": 10}}},
    }, ensure_ascii=False)


def write(path, records):
    with open(path, "wb") as f:
        for r in records:
            f.write(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--index", default="products")
    ap.add_argument("--popular", type=int, default=20)
    args = ap.parse_args()

    with open(args.queries, encoding="utf-8") as f:
        queries = [q.strip() for q in f if q.strip()]
    distinct = list(dict.fromkeys(queries))
    words = collections.Counter(q for q in queries if " " not in q and len(q) > 2)
    popular = [w for w, _ in words.most_common(args.popular)]
    with open(args.catalog, encoding="utf-8") as f:
        products = [json.loads(line) for line in f if line.strip()]

    search = f"/{args.index}/_search"
    bulk = f"/{args.index}/_bulk"
    popular_reqs = [record("POST", search, search_body(w)) for w in popular]
    distinct_reqs = [record("POST", search, search_body(q)) for q in distinct]
    uncached_reqs = [record("POST", search + "?request_cache=false", search_body(q)) for q in distinct]
    bands = [(0, 500000), (100000, 2000000), (500000, 10000000), (1000000, 50000000)]
    facet_reqs = [record("POST", search, facet_body(q, *bands[i % len(bands)], 0 if i % 2 == 0 else 10))
                  for i, q in enumerate(distinct)]

    bulk_reqs = []
    for start in range(0, min(len(products), 5000), 50):
        lines = []
        for p in products[start:start + 50]:
            lines.append(json.dumps({"index": {"_id": p["id"]}}))
            lines.append(json.dumps(p, ensure_ascii=False))
        bulk_reqs.append(record("POST", bulk, "\n".join(lines) + "\n"))
    mixed = []
    for i in range(2000):
        if i % 10 == 9:
            mixed.append(bulk_reqs[(i // 10) % len(bulk_reqs)])
        elif i % 2 == 0:
            mixed.append(popular_reqs[i % len(popular_reqs)])
        else:
            mixed.append(distinct_reqs[i % len(distinct_reqs)])

    os.makedirs(args.out, exist_ok=True)
    for name, reqs in [("popular", popular_reqs), ("distinct", distinct_reqs), ("uncached", uncached_reqs),
                       ("facets", facet_reqs), ("mixed", mixed)]:
        write(os.path.join(args.out, name + ".req"), reqs)
    with open(os.path.join(args.out, "popular-words.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(popular) + "\n")
    print(f"prepared {len(popular)} popular words, {len(distinct)} distinct queries, {len(bulk_reqs)} bulk bodies")


if __name__ == "__main__":
    main()
