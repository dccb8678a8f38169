#!/usr/bin/env python3
"""Summarises bench/load/run's wrk results: medians over runs, the ratio to the fixed-body ceiling.

  report.py --dir DIR --out results.json [--meta JSON]

DIR holds RUN-MIX.json files (one wrk line each, from requests.lua) and, when measured,
bulk.json and import.json. The ratio of a mix is taken within each run (against that run's
fixed-body figure, measured minutes apart on the same machine) and its median reported.
"""
import argparse
import glob
import json
import os
import re
import statistics

ORDER = ["fixed", "popular", "distinct", "uncached", "facets", "mixed"]
LABEL = {
    "fixed": "fixed-body Beast server (ceiling)",
    "popular": "popular one-word match, size 10",
    "distinct": "generated queries (2,000, deduped), size 10",
    "uncached": "same, ?request_cache=false",
    "facets": "facets: terms brand+category, price range",
    "mixed": "mixed: searches + _bulk (every 10th)",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta", default="{}")
    args = ap.parse_args()

    runs = {}
    for path in glob.glob(os.path.join(args.dir, "*-*.json")):
        m = re.match(r"(\d+)-(\w+)\.json$", os.path.basename(path))
        if not m:
            continue
        with open(path) as f:
            lines = [json.loads(line) for line in f if line.strip()]
        if lines:
            runs.setdefault(int(m.group(1)), {})[m.group(2)] = lines[-1]

    mixes = {}
    for run, results in sorted(runs.items()):
        ceiling = results.get("fixed", {}).get("rps")
        for mix, r in results.items():
            r = dict(r, run=run)
            if ceiling:
                r["ratio"] = r["rps"] / ceiling
            mixes.setdefault(mix, []).append(r)

    summary = {}
    print(f"{'mix':<44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ceiling':>8} {'non-2xx':>8}")
    for mix in ORDER + sorted(set(mixes) - set(ORDER)):
        if mix not in mixes:
            continue
        rs = mixes[mix]
        med = {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50_ms", "p99_ms")}
        if all("ratio" in r for r in rs):
            med["ratio"] = statistics.median(r["ratio"] for r in rs)
        med["non_2xx"] = sum(r["errors"]["status"] for r in rs)
        med["socket_errors"] = sum(r["errors"][k] for r in rs for k in ("connect", "read", "write", "timeout"))
        summary[mix] = {"median": med, "runs": rs}
        ratio = f"{med['ratio'] * 100:.1f}%" if "ratio" in med else "-"
        print(f"{LABEL.get(mix, mix):<44} {med['rps']:>9.0f} {med['p50_ms']:>8.2f} {med['p99_ms']:>8.2f} "
              f"{ratio:>8} {med['non_2xx']:>8}")

    out = {"meta": json.loads(args.meta), "runs": len(runs), "mixes": summary}
    bulk_path, import_path = os.path.join(args.dir, "bulk.json"), os.path.join(args.dir, "import.json")
    if os.path.exists(bulk_path) and os.path.exists(import_path):
        with open(bulk_path) as f:
            bulk = json.loads(f.read())
        with open(import_path) as f:
            imp = json.loads(f.read())
        out["bulk_vs_import"] = {"bulk": bulk, "import": imp, "ratio": bulk["docs_per_s"] / imp["docs_per_s"]}
        print(f"\n_bulk over HTTP: {bulk['docs_per_s']:.0f} docs/s ({bulk['seconds']:.2f} s); "
              f"ultrasearch import: {imp['docs_per_s']:.0f} docs/s ({imp['seconds']:.2f} s); "
              f"ratio {bulk['docs_per_s'] / imp['docs_per_s']:.2f}")
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
