"""Import and query measurements of UltraSearch and each peer, one catalog at a time.

Every peer returns a dict: status ("ok" or "skipped"/"failed" with a reason), import
(seconds, docs_per_s, peak_rss_mib, index_mib) and queries (per kind, from bench_compare)."""
import json
import os
import shutil

from . import install, postgres, process, sphinx

ALL = ["ultrasearch", "sqlite", "xapian", "sphinx", "postgres-simple", "postgres-russian"]
MIB = 1024 * 1024


class Context:
    def __init__(self, build, catalog, queries, count, out, query_limit, warmup, log):
        self.build, self.catalog, self.queries, self.count = build, catalog, queries, count
        self.out, self.query_limit, self.warmup, self.log = out, query_limit, warmup, log
        self.driver = os.path.join(build, "bench", "bench_compare")
        self.cli = os.path.join(build, "cli", "ultrasearch")

    def import_step(self, peer, store, extra=()):
        return process.run_measured([self.driver, "import", "--peer", peer, "--catalog", self.catalog, "--dir", store,
                                     *extra], self.log)

    def query_step(self, peer, extra=()):
        _, _, out = process.run_measured([self.driver, "query", "--peer", peer, "--queries", self.queries,
                                          "--limit", str(self.query_limit), "--warmup", str(self.warmup), *extra],
                                         self.log)
        return json.loads(out)

    def import_figures(self, seconds, rss_kib, index_bytes):
        return {"seconds": round(seconds, 3), "docs_per_s": round(self.count / seconds, 1),
                "peak_rss_mib": round(rss_kib / 1024, 1), "index_mib": round(index_bytes / MIB, 1)}


def _fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def in_process(ctx, peer):
    """ultrasearch (the engine API in process), sqlite, xapian: bench_compare builds and queries."""
    store = _fresh(os.path.join(ctx.out, "stores", peer))
    seconds, rss, _ = ctx.import_step(peer, store)
    return {"import": ctx.import_figures(seconds, rss, process.dir_bytes(store)),
            "queries": ctx.query_step(peer, ["--dir", store])}


def ultrasearch_cli(ctx):
    """`ultrasearch import` end to end (the CLI process: parsing, analysis threads, durable batches)."""
    data = _fresh(os.path.join(ctx.out, "stores", "ultrasearch-cli"))
    seconds, rss, _ = process.run_measured(
        [ctx.cli, "import", "--data", data, "--index", "products", "--no-progress",
         "--report", os.path.join(ctx.out, "ultrasearch-cli-rejected.ndjson"), ctx.catalog], ctx.log)
    return {"import": ctx.import_figures(seconds, rss, process.dir_bytes(data))}


def sphinx_peer(ctx):
    if not install.ensure_packages(["sphinxsearch"], sphinx.available, ctx.log):
        return {"status": "skipped", "reason": "sphinxsearch not installable"}
    root = _fresh(os.path.join(ctx.out, "stores", "sphinx"))
    port = process.free_port()
    config, index_dir = sphinx.write_config(root, os.path.join(root, "products.tsv"), port)
    # The import is both steps: the NDJSON to tsvpipe conversion, then indexer.
    convert_s, convert_rss, _ = ctx.import_step("sphinx", root)
    index_s, index_rss, _ = process.run_measured(["indexer", "--config", config, "--all", "--quiet"], ctx.log)
    os.remove(os.path.join(root, "products.tsv"))
    figures = ctx.import_figures(convert_s + index_s, max(convert_rss, index_rss), process.dir_bytes(index_dir))
    figures["indexer_seconds"] = round(index_s, 3)
    with sphinx.Searchd(config, port, ctx.log):
        queries = ctx.query_step("sphinx", ["--port", str(port), "--table", "products"])
    return {"import": figures, "queries": queries}


def postgres_peers(ctx, wanted):
    """postgres-simple and postgres-russian share one cluster; each has its own table and index."""
    results = {}
    probe = lambda: postgres.available() and shutil.which("psql") is not None
    if not install.ensure_packages(["postgresql-15", "postgresql-client-15"], probe, ctx.log):
        return {p: {"status": "skipped", "reason": "postgresql-15 not installable"} for p in wanted}
    root = os.path.join(ctx.out, "stores", "postgres")
    try:
        with postgres.Cluster(root, ctx.log) as cluster:
            for peer in wanted:
                table = peer.replace("-", "_")
                args = ["--conninfo", cluster.conninfo(), "--table", table]
                try:
                    seconds, rss, out = ctx.import_step(peer, root, args)
                    server_rss = json.loads(out or "{}").get("server_peak_rss_kib", 0)
                    size = int(cluster.scalar(f"SELECT pg_total_relation_size('{table}')"))
                    figures = ctx.import_figures(seconds, max(rss, server_rss), size)
                    figures["peak_rss_note"] = "the loading backend's VmHWM (shared buffers it touched included)"
                    results[peer] = {"import": figures, "queries": ctx.query_step(peer, args)}
                except Exception as e:  # noqa: BLE001 -- reported per peer
                    results[peer] = {"status": "failed", "reason": str(e)}
    except Exception as e:  # noqa: BLE001 -- a cluster that cannot start (initdb, permissions) skips its peers
        for peer in wanted:
            results.setdefault(peer, {"status": "skipped", "reason": f"postgres: {e}"})
    return results


def measure(ctx, peers):
    results = {}
    for peer in peers:
        if peer.startswith("postgres-"):
            continue
        print(f"== {ctx.count:,} products: {peer}", flush=True)
        try:
            if peer == "ultrasearch":
                results[peer] = in_process(ctx, peer)
                print(f"== {ctx.count:,} products: ultrasearch import (CLI)", flush=True)
                results["ultrasearch-cli"] = ultrasearch_cli(ctx)
            elif peer in ("sqlite", "xapian"):
                results[peer] = in_process(ctx, peer)
            elif peer == "sphinx":
                results[peer] = sphinx_peer(ctx)
            else:
                results[peer] = {"status": "skipped", "reason": "unknown peer"}
        except Exception as e:  # noqa: BLE001 -- one peer's failure is reported, the run goes on
            results[peer] = {"status": "failed", "reason": str(e)}
    wanted = [p for p in peers if p.startswith("postgres-")]
    if wanted:
        print(f"== {ctx.count:,} products: {', '.join(wanted)}", flush=True)
        results.update(postgres_peers(ctx, wanted))
    for r in results.values():
        r.setdefault("status", "ok")
    return results
