"""Large graphs: building the expanded graph, and queries with a contraction hierarchy.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_large.py`` (about 20 minutes;
``--quick`` stops at 100 k links); writes ``benchmarks/results/large.md``.

* Build: the road-like synthetic grid of ``bench_routing.py`` at 10 k, 100 k and 1 M
  links, each in a fresh process so its peak memory is its own; the per-link build it
  replaced (``tests/routing/_build_reference.py``) beside it where it finishes in minutes.
* Queries: a trip between two network nodes on the same expanded graph by steppe's
  contraction hierarchy (:class:`steppe.routing.hierarchy.GraphHierarchy`, RoutingKit's
  CCH), scipy's Dijkstra (distances only, no predecessors: the cheapest full search) and
  igraph's Dijkstra from the source to the target; interleaved, medians.
* Matrices: 1,000 origins by 1,000 destinations.  The hierarchy runs all of it; scipy
  and igraph run 20 of the origins and are scaled by 50 (their cost is linear in the
  origins: one full search each).
* The embedded OpenStreetMap road graph of the door-to-door module, the same way.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _graphs import synthetic, to_igraph
from _timing import interleaved, load_note, median_ms

OUT = Path(__file__).parent / "results" / "large.md"
SIZES = (10_000, 100_000) if "--quick" in sys.argv else (10_000, 100_000, 1_000_000)
REFERENCE_UP_TO = 100_000  # the per-link build takes minutes beyond (issue 18: 167 s at 1 M)
ROUNDS = 5
PAIRS = 20


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_build(n_links: int, reference: bool) -> dict[str, float]:
    """Build one graph in this (fresh) process; return times and peak memory."""
    import steppe.routing as rt

    t = time.perf_counter()
    net = synthetic(n_links)
    made = time.perf_counter() - t
    before = rss_mb()
    if reference:
        sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "routing"))
        from _build_reference import build_graph
    else:
        from steppe.routing._build import build_graph
    t = time.perf_counter()
    g = build_graph(net, rt.RouteOptions())  # type: ignore[arg-type]
    took = time.perf_counter() - t
    return {"network_s": made, "build_s": took, "rss_before_mb": before, "peak_mb": rss_mb(),
            "vertices": g.n_vertices, "edges": len(g.src)}  # fmt: skip


def run_child(*args: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = subprocess.run([sys.executable, __file__, "--child", *args], env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def query_sides(
    route: object, matrix: object, ig: object | None, src: list[int], dst: list[int]
) -> dict[str, object]:
    """Callables running PAIRS queries each: hierarchy, scipy, igraph."""
    from scipy.sparse.csgraph import dijkstra

    sides: dict[str, object] = {
        "hierarchy": lambda: [route(s, t) for s, t in zip(src, dst, strict=True)],  # type: ignore[operator]
        "scipy": lambda: [dijkstra(matrix, indices=s) for s in src],
    }
    if ig is not None:
        sides["igraph"] = lambda: [ig.distances(s, t, weights="weight")  # type: ignore[attr-defined]
                                   for s, t in zip(src, dst, strict=True)]  # fmt: skip
    return sides


def child_queries(what: str) -> dict[str, float]:
    """Preprocessing, query and matrix times on one graph (fresh process)."""
    from scipy.sparse.csgraph import dijkstra

    import steppe.routing as rt
    from steppe.routing._build import build_graph
    from steppe.routing.hierarchy import GraphHierarchy, Hierarchy

    try:
        import igraph  # noqa: F401

        has_igraph = True
    except ImportError:
        has_igraph = False
    rng = np.random.default_rng(7)
    out: dict[str, float] = {}
    cache = Path(tempfile.mkdtemp(prefix="steppe-cch-"))
    if what == "roads":
        from steppe.door.roads import road_graph

        roads = road_graph()
        matrix = roads.matrix
        out["vertices"], out["arcs"] = float(len(roads)), float(matrix.nnz)
        t = time.perf_counter()
        Hierarchy(matrix, roads.lat, roads.lon, cache_dir=cache)
        out["cold_s"] = time.perf_counter() - t
        t = time.perf_counter()
        h = Hierarchy(matrix, roads.lat, roads.lon, cache_dir=cache)
        out["warm_s"] = time.perf_counter() - t
        n = len(roads)
        nodes = rng.choice(n, 2 * PAIRS, replace=False)
        src, dst = nodes[:PAIRS].tolist(), nodes[PAIRS:].tolist()
        route, starts, ends = h.path, src, dst
        picked = rng.choice(n, 2000, replace=False)
        mo, md = picked[:1000].tolist(), picked[1000:].tolist()
        mo_v, md_v = mo, md

        def table() -> object:
            return h.distances(mo, md)
    else:
        net = synthetic(int(what))
        graph = build_graph(net, rt.RouteOptions())  # type: ignore[arg-type]
        matrix, _ = graph.csr("time")
        out["vertices"], out["arcs"] = float(graph.n_vertices), float(matrix.nnz)
        t = time.perf_counter()
        GraphHierarchy(graph, "time", cache_dir=cache)
        out["cold_s"] = time.perf_counter() - t
        t = time.perf_counter()
        gh = GraphHierarchy(graph, "time", cache_dir=cache)
        out["warm_s"] = time.perf_counter() - t
        out["core"] = float(len(gh.a_of))
        n = len(graph.node_ids)
        nodes = rng.choice(n, 2 * PAIRS, replace=False)
        src, dst = nodes[:PAIRS].tolist(), nodes[PAIRS:].tolist()
        route = gh.route
        starts = [int(graph.start[i]) for i in src]
        ends = [int(graph.end[i]) for i in dst]
        picked = rng.choice(n, 2000, replace=False)
        mo, md = picked[:1000].tolist(), picked[1000:].tolist()
        mo_v = [int(graph.start[i]) for i in mo]
        md_v = [int(graph.end[i]) for i in md]

        def table() -> object:
            return gh.distances(mo, md)

        # the answers agree (within the integer rounding of the hierarchy)
        d = dijkstra(matrix, indices=starts[:3])
        for k in range(3):
            found = gh.route(src[k], dst[k])
            assert found is not None and abs(found[0] - d[k, ends[k]]) <= 1e-9 * d[k, ends[k]]
    ig = to_igraph(matrix) if has_igraph else None
    sides = query_sides(route, matrix, ig, src, dst)
    # the hierarchy takes node indices (its own mapping); scipy and igraph vertex ids
    sides["scipy"] = lambda: [dijkstra(matrix, indices=s) for s in starts]
    if ig is not None:
        sides["igraph"] = lambda: [ig.distances(s, t, weights="weight")  # type: ignore[attr-defined]
                                   for s, t in zip(starts, ends, strict=True)]  # fmt: skip
    times = interleaved(sides, rounds=ROUNDS if what != "1000000" else 3)  # type: ignore[arg-type]
    for name, ts in times.items():
        out[f"query_{name}_ms"] = median_ms(ts) / PAIRS
    t = time.perf_counter()
    full = table()
    out["matrix_hierarchy_s"] = time.perf_counter() - t
    t = time.perf_counter()
    part = dijkstra(matrix, indices=mo_v[:20])[:, md_v]
    out["matrix_scipy_s"] = (time.perf_counter() - t) * 50
    out["matrix_max_rel_diff"] = float(np.nanmax(np.abs(full[:20] - part)  # type: ignore[index]
                                                 / np.where(part > 0, part, 1)))  # fmt: skip
    if ig is not None:
        t = time.perf_counter()
        ig.distances(mo_v[:20], md_v, weights="weight")  # type: ignore[attr-defined]
        out["matrix_igraph_s"] = (time.perf_counter() - t) * 50
    out["peak_mb"] = rss_mb()
    return out


def main() -> None:
    lines = ["# Large graphs: array build and contraction hierarchies", "",
             f"Machine: {platform.machine()}, Python {platform.python_version()}, "
             f"{platform.system()}; {load_note()} at the start.", "",
             "## Building the expanded graph (synthetic road-like grid)", "",
             "| links | vertices | edges | build (s) | per-link build (s) | speed-up | "
             "network objects (MB) | peak RSS (MB) | build's own (MB) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for n in SIZES:
        new = run_child("build", str(n))
        ref = run_child("reference", str(n)) if n <= REFERENCE_UP_TO else None
        ref_s = f"{ref['build_s']:.2f}" if ref else "not run"
        ratio = f"{ref['build_s'] / new['build_s']:.0f}×" if ref else "—"
        lines.append(f"| {n:,} | {int(new['vertices']):,} | {int(new['edges']):,} | "
                     f"{new['build_s']:.2f} | {ref_s} | {ratio} | {new['rss_before_mb']:.0f} | "
                     f"{new['peak_mb']:.0f} | {new['peak_mb'] - new['rss_before_mb']:.0f} |"
                     )  # fmt: skip
        print(lines[-1], file=sys.stderr, flush=True)
        write(lines)
    lines += ["", "Each size runs in a fresh process. *Network objects* is the process's memory "
              "after making the 1 M `Link` objects in Python, before the build; *peak RSS* is "
              "the whole process; *build's own* the difference. Issue 18 measured the per-link "
              "build at 1 M links: 167 s and 2.9 GB.", "",
              "## Queries and matrices", "",
              "| graph | vertices | arcs | hierarchy: order + customize, cold (s) | warm, order "
              "from disk (s) | query: hierarchy (ms) | scipy Dijkstra (ms) | igraph (ms) | "
              "speed-up vs fastest | 1,000×1,000: hierarchy (s) | scipy (s, ×50 of 20 rows) | "
              "igraph (s, ×50) | max rel. diff |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for what in ["roads", *(str(n) for n in SIZES if n >= 100_000)]:
        r = run_child("queries", what)
        label = ("OpenStreetMap roads (door)" if what == "roads"
                 else f"grid, {int(what):,} links")  # fmt: skip
        fastest = min(r["query_scipy_ms"], r.get("query_igraph_ms", np.inf))
        ig_q = f"{r['query_igraph_ms']:.1f}" if "query_igraph_ms" in r else "n/a"
        ig_m = f"{r['matrix_igraph_s']:.1f}" if "matrix_igraph_s" in r else "n/a"
        lines.append(f"| {label} | {int(r['vertices']):,} | {int(r['arcs']):,} | "
                     f"{r['cold_s']:.1f} | {r['warm_s']:.1f} | {r['query_hierarchy_ms']:.2f} | "
                     f"{r['query_scipy_ms']:.1f} | {ig_q} | "
                     f"{fastest / r['query_hierarchy_ms']:.0f}× | {r['matrix_hierarchy_s']:.1f} | "
                     f"{r['matrix_scipy_s']:.0f} | {ig_m} | {r['matrix_max_rel_diff']:.1e} |"
                     )  # fmt: skip
        print(lines[-1], file=sys.stderr, flush=True)
        write(lines)
    lines += ["", "A query is a trip between two random places: on the grids from `S(u)` to "
              "`T(v)` of the expanded graph (the hierarchy covers its core, see docs/routing.md, "
              "Large graphs; the path is expanded and its float weights summed), on the roads "
              "between two random road nodes. scipy runs a full single-source Dijkstra without "
              "predecessors; igraph its Dijkstra from the source to the target. Medians of "
              "interleaved rounds of 20 queries. *cold* computes the nested-dissection order; "
              "*warm* reads it from the disk cache and only builds and customizes. Matrix "
              "values are the hierarchy's integer distances over its scale; *max rel. diff* "
              "compares its first 20 rows with scipy's.", "",
              f"Load at the end: {load_note()}.", ""]  # fmt: skip
    write(lines)
    print("\n".join(lines))


def write(lines: list[str]) -> None:
    """Write the results so far (a long run leaves its finished rows behind)."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, arg = sys.argv[2], sys.argv[3]
        result = (child_queries(arg) if kind == "queries"
                  else child_build(int(arg), reference=kind == "reference"))  # fmt: skip
        print(json.dumps(result))
    else:
        main()
