"""The human table (with UltraSearch's ratio to each peer), the JSON file and the scaling plot."""
import json
import os
import shutil
import subprocess

KINDS = ["text", "facet", "sort"]
# Engines run inside bench_compare's process: its CPU time is theirs.
IN_PROCESS = {"ultrasearch", "xapian", "sqlite"}


def _ratio(ours, theirs, higher_is_better):
    if not ours or not theirs:
        return ""
    r = ours / theirs if higher_is_better else theirs / ours
    return f"{r:.2f}x"


def _fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def table(run):
    """One catalog's table: a row per figure, a column per engine; peer columns carry UltraSearch's
    ratio (above 1: UltraSearch is better by that factor; below 1: the peer is)."""
    peers = run["peers"]
    us = peers.get("ultrasearch", {})
    names = sorted((n for n in peers if n != "ultrasearch"), key=lambda n: n != "ultrasearch-cli")
    ok = lambda n: peers[n].get("status") == "ok"
    rows = []

    def imp(name, key):
        return peers[name].get("import", {}).get(key) if ok(name) else None

    def qry(name, kind, key):
        return peers[name].get("queries", {}).get(kind, {}).get(key) if ok(name) else None

    figures = [("import, products/s", lambda n: imp(n, "docs_per_s"), True, 0),
               ("import, peak RSS MiB", lambda n: imp(n, "peak_rss_mib"), False, 1),
               ("index on disk, MiB", lambda n: imp(n, "index_mib"), False, 1)]
    for kind in KINDS:
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            figures.append((f"{kind} {p.replace('_ms', '')}, ms", lambda n, k=kind, p=p: qry(n, k, p), False, 3))
        # CPU time per query (the steadier figure on a shared machine); a server peer's work is
        # in another process, so only the in-process engines have it.
        for p in ("cpu_p50_ms", "cpu_p99_ms"):
            figures.append((f"{kind} {p.replace('_ms', '').replace('_', ' ')}, ms",
                            lambda n, k=kind, p=p: qry(n, k, p) if n in IN_PROCESS else None, False, 3))
        figures.append((f"{kind}: matches (sum)", lambda n, k=kind: qry(n, k, "total_matches"), None, 0))
        figures.append((f"{kind}: zero-hit queries", lambda n, k=kind: qry(n, k, "zero_hit_queries"), None, 0))
    header = ["", "ultrasearch"] + names
    rows.append(header)
    for label, get, higher, digits in figures:
        ours = get("ultrasearch") if "ultrasearch" in peers else None
        row = [label, _fmt(ours, digits)]
        for n in names:
            v = get(n)
            cell = _fmt(v, digits)
            # ultrasearch-cli is ours too: a ratio to the in-process engine would read as a peer's.
            if higher is not None and v is not None and ours is not None and n != "ultrasearch-cli":
                cell += f" ({_ratio(ours, v, higher)})"
            row.append(cell)
        if any(c != "-" for c in row[1:]):
            rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    for n in names:
        if not ok(n):
            lines.append(f"{n}: {peers[n].get('status')}: {peers[n].get('reason', '')}")
        else:
            errors = sum(peers[n].get("queries", {}).get(k, {}).get("errors", 0) for k in KINDS)
            if errors:
                lines.append(f"{n}: {errors} queries failed")
    return "\n".join(lines)


def http_table(http):
    if not http:
        return ""
    if "error" in http:
        return f"HTTP (bench/load/run): {http['error']}"
    meta = http.get("meta", {})
    lines = [f"UltraSearch end to end over HTTP (`ultrasearch serve`, bench/load/run on {meta.get('count', '?'):,} products: "
             f"wrk -t{meta.get('wrk_threads', '?')} -c{meta.get('connections', '?')} -d{meta.get('duration', '?')}; "
             "'of ceiling' is the ratio to the fixed-body Beast server measured in the same run):",
             f"  {'mix':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'of ceiling':>10}"]
    for mix, summary in http.get("mixes", {}).items():
        m = summary["median"]
        ratio = f"{m['ratio'] * 100:.1f}%" if "ratio" in m else "-"
        lines.append(f"  {mix:<10} {m['rps']:>9,.0f} {m['p50_ms']:>8.2f} {m['p99_ms']:>8.2f} {ratio:>10}")
    return "\n".join(lines)


def write_json(path, document):
    with open(path, "w") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")


def scaling_plot(runs, out_dir):
    """scaling.dat and scaling.png (gnuplot): import throughput and text-query p50 against the
    catalog size, one line per engine. Returns the PNG's path, or None without gnuplot."""
    engines = []
    for run in runs:
        for name, r in run["peers"].items():
            if r.get("status") == "ok" and name not in engines:
                engines.append(name)
    dat = os.path.join(out_dir, "scaling.dat")
    with open(dat, "w") as f:
        f.write("# count " + " ".join(f"{e}:import/s {e}:text_p50_ms" for e in engines) + "\n")
        for run in runs:
            cells = [str(run["count"])]
            for e in engines:
                r = run["peers"].get(e, {})
                ok = r.get("status") == "ok"
                cells.append(str(r["import"]["docs_per_s"]) if ok else "NaN")
                p50 = r.get("queries", {}).get("text", {}).get("p50_ms") if ok else None
                cells.append(str(p50) if p50 is not None else "NaN")
            f.write(" ".join(cells) + "\n")
    if shutil.which("gnuplot") is None:
        return None
    png = os.path.join(out_dir, "scaling.png")
    # One line type per engine, so an engine has the same colour in both plots.
    plot_import = ", ".join(f"'{dat}' using 1:{2 + 2 * i} with linespoints lt {i + 1} title '{e}'"
                            for i, e in enumerate(engines))
    plot_p50 = ", ".join(f"'{dat}' using 1:{3 + 2 * i} with linespoints lt {i + 1} title '{e}'"
                         for i, e in enumerate(engines) if e != "ultrasearch-cli")
    script = f"""
set terminal pngcairo size 1200,500 noenhanced
set output '{png}'
set multiplot layout 1,2
set logscale x
set key outside bottom center horizontal
set grid
set xlabel 'products'
set ylabel 'products/s'
set title 'import throughput'
plot {plot_import}
set logscale y
set ylabel 'ms'
set title 'text query p50'
plot {plot_p50}
unset multiplot
"""
    result = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if result.returncode != 0:
        # pngcairo is missing from gnuplot-nox builds without cairo: the plain png terminal.
        result = subprocess.run(["gnuplot"], input=script.replace("pngcairo", "png"), text=True, capture_output=True)
    return png if result.returncode == 0 else None
