#!/usr/bin/env python3
"""Prints the results of bench/run_graph.sh as one Markdown table: ours (SQLite, PostgreSQL)
next to the peers (bench_pg.py, bench_networkx.py) and the targets of issue 4.

usage: summarize_graph.py RESULTS_DIR
"""
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def read(path):
    try:
        with open(path) as f:
            return f.read().split()
    except FileNotFoundError:
        return None


def ms(stats, key="median_ms"):
    return "–" if not stats or key not in stats else f"{stats[key]:g}"


def ours(result, name):
    """median / p99 (first call) of one of our queries."""
    if not result:
        return "–"
    q = result["queries"].get(name)
    if not q:
        return "–"
    return f"{q['median_ms']:g} / {q['p99_ms']:g} ({q['first_ms']:g})"


def peer(result, *names):
    if not result:
        return "–"
    out = []
    for name in names:
        q = result["queries"].get(name)
        if q:
            out.append(f"{q['median_ms']:g} / p90 {q['p90_ms']:g} ({name})")
    return "; ".join(out) or "–"


def main():
    d = sys.argv[1]
    sqlite, pg = load(os.path.join(d, "graph-sqlite.json")), load(os.path.join(d, "graph-postgres.json"))
    ppg, pnx = load(os.path.join(d, "peer-pg.json")), load(os.path.join(d, "peer-networkx.json"))
    imp = {b: read(os.path.join(d, f"import-{b}.time")) for b in ("sqlite", "postgres")}
    size = {b: read(os.path.join(d, f"size-{b}.bytes")) for b in ("sqlite", "postgres")}

    def imp_s(b):
        return f"{float(imp[b][0]):.1f}" if imp[b] else "–"

    def size_mb(b):
        return f"{int(size[b][0]) / 2**20:.0f}" if size[b] else "–"

    def field(r, *path):
        for p in path:
            if not r or p not in r:
                return "–"
            r = r[p]
        return f"{r:g}" if isinstance(r, (int, float)) else str(r)

    rows = [
        ("import (s)", imp_s("sqlite"), imp_s("postgres"),
         f"{field(ppg, 'load', 'total_s')} (COPY + indexes + rollups)",
         f"{field(pnx, 'load', 'total_s')} (CSV scan + graph)", "≤ 30 into SQLite"),
        ("database size (MB)", size_mb("sqlite"), size_mb("postgres"), field(ppg, "db_size_mb"), "–", "–"),
        ("start-up load: projection, rollups, timelines (s)", field(sqlite, "projection", "load_s"),
         field(pg, "projection", "load_s"), "–", field(pnx, "load", "build_graph_s"), "≤ 5"),
        ("RSS after load (MB)", field(sqlite, "rss_mb", "after_load"), field(pg, "rss_mb", "after_load"), "–",
         field(pnx, "graph_rss_mb") + " (graph only)", "≤ 1024"),
        ("ties(USA) (ms)", ours(sqlite, "ties_USA"), ours(pg, "ties_USA"),
         peer(ppg, "q1r_country_ties_rollup", "q1_country_ties"), "–", "≤ 0.5"),
        ("ties(IRN) (ms)", ours(sqlite, "ties_IRN"), ours(pg, "ties_IRN"), peer(ppg, "q1b_country_ties_IRN"), "–",
         "≤ 0.5"),
        ("timeline(top person, 100) (ms)", ours(sqlite, "timeline_top_person_100"),
         ours(pg, "timeline_top_person_100"), peer(ppg, "q2_person_timeline"), "–", "≤ 0.5"),
        ("monthly bilateral(USA, CHN) (ms)", ours(sqlite, "bilateral_USA_CHN_monthly"),
         ours(pg, "bilateral_USA_CHN_monthly"), peer(ppg, "q3r_pair_monthly_rollup", "q3_pair_monthly"), "–",
         "≤ 0.5"),
        ("neighborhood depth 2, count (ms)", ours(sqlite, "neighborhood_depth2_count"),
         ours(pg, "neighborhood_depth2_count"), peer(ppg, "q4_2hop_count"), peer(pnx, "q4_2hop_count"), "–"),
        ("path, depth ≤ 4 (ms)", ours(sqlite, "path_depth4"), ours(pg, "path_depth4"),
         peer(ppg, "q5_path_bidir"), peer(pnx, "q5_path_bidir"), "≤ 5"),
        ("PageRank (ms)", ours(sqlite, "pagerank_persons"), ours(pg, "pagerank_persons"), "–",
         peer(pnx, "pagerank"), "≤ 300"),
    ]
    print("| measure | ours, SQLite | ours, PostgreSQL | peer: bench_pg.py | peer: networkx | target |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print("Ours: median / p99 (first call, cold) in ms, in-process. Peers: median / p90 as their scripts report.")
    for name, r in (("SQLite", sqlite), ("PostgreSQL", pg)):
        if r:
            extra = {k: {x: v for x, v in q.items() if x not in ("first_ms", "median_ms", "p99_ms", "max_ms", "runs")}
                     for k, q in r["queries"].items()}
            print(f"\n{name} answers: {json.dumps(extra)}")
    for name, r in (("bench_pg", ppg), ("networkx", pnx)):
        if r:
            samples = {k: q.get("rows", q.get("sample")) for k, q in r["queries"].items()}
            print(f"\n{name} answers: {json.dumps(samples)[:1500]}")


if __name__ == "__main__":
    main()
