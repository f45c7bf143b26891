"""Benchmark: apply a scenario and compare every place pair of the embedded network.

Compares, in the same run, the matrix-based comparison (one shortest-path tree per
origin for every pair) with the reference alternative of one ``route()`` call per pair
(timed on a sample and extrapolated), and shows how the comparison scales with the
number of places.  Writes benchmarks/results/scenarios.md.

Run: PYTHONPATH=src .venv/bin/python benchmarks/bench_scenarios.py
"""

from __future__ import annotations

import contextlib
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import dijkstra

from steppe.network import load_network
from steppe.routing import Objective, RouteOptions, route
from steppe.routing._build import expanded_graph
from steppe.routing.matrix import default_places
from steppe.scenarios import bundled_scenario, load_scenarios
from steppe.scenarios.apply import apply_scenario
from steppe.scenarios.compare import compare

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, load_note

OUT = Path(__file__).parent / "results" / "scenarios.md"


def floor_section(net, applied, places: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """compare() against its floor: a multi-source Dijkstra in each network, same CSRs."""
    opts = RouteOptions()
    g_b = expanded_graph(net, opts)
    g_s = expanded_graph(applied.network, opts.replace(cost_model=applied.cost_model))
    csr_b, _ = g_b.csr(Objective.GENERALIZED)
    csr_s, _ = g_s.csr(Objective.GENERALIZED)

    def sources(g) -> list[int]:  # type: ignore[no-untyped-def]
        index = {nid: i for i, nid in enumerate(g.node_ids)}
        return [int(g.start[index[p]]) for p in places]

    s_b, s_s = sources(g_b), sources(g_s)
    times = interleaved(
        {
            "compare": lambda: compare(net, applied),
            "floor": lambda: (
                dijkstra(csr_b, indices=s_b, return_predecessors=True),
                dijkstra(csr_s, indices=s_s, return_predecessors=True),
            ),
        },
        rounds=5,
    )
    t_c, t_f = float(np.median(times["compare"])), float(np.median(times["floor"]))
    return [
        "",
        "## Against the floor: two multi-source Dijkstras (titr-2030)",
        "",
        f"Interleaved, medians of 5; {load_note()} at the end.",
        "",
        "| method | all pairs, ms | compare / floor |",
        "|---|---|---|",
        f"| compare() (every metric, corridors, crossings, shares, accessibility) | "
        f"{t_c * 1e3:.0f} | **{t_c / t_f:.1f}×** |",
        f"| scipy multi-source Dijkstra with predecessors, baseline + scenario CSRs | "
        f"{t_f * 1e3:.0f} | 1 |",
        "",
        "The floor is what any comparison must do (a shortest-path tree from every place "
        "in both networks); issue 18's goal is compare() within 3× of it.",
    ]


def _best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    net = load_network()
    places = [n.id for n in default_places(net)]
    lines = [
        "# Scenario benchmark",
        "",
        f"Embedded network: {len(net.nodes)} nodes, {len(net.links)} links, "
        f"{len(places)} places ({len(places) * (len(places) - 1)} ordered pairs). "
        f"Python {platform.python_version()}, {platform.machine()}.",
        "",
        "## Apply and compare every pair (best of 3)",
        "",
        "| scenario | apply s | compare all pairs s | changed pairs |",
        "|---|---|---|---|",
    ]
    for name in ("oskemen-ridder-tuyekta", "titr-2030", "russia-transit-closed", "zamiin-uud-2021"):
        sc = bundled_scenario(name)
        t_apply = _best(lambda sc=sc: apply_scenario(net, sc))
        applied = load_scenarios([name], net)
        t_cmp = _best(lambda a=applied: compare(net, a), repeat=2)
        changed = len(compare(net, applied).changed)
        lines.append(f"| {name} | {t_apply:.3f} | {t_cmp:.2f} | {changed} |")

    applied = load_scenarios(["titr-2030"], net)
    rng = random.Random(0)
    sample = [tuple(rng.sample(places, 2)) for _ in range(60)]
    t = time.perf_counter()
    for o, d in sample:
        for network, model in ((net, None), (applied.network, applied.cost_model)):
            with contextlib.suppress(LookupError):
                route(network, o, d, cost_model=model)
    per_pair = (time.perf_counter() - t) / len(sample)
    n_pairs = len(places) * (len(places) - 1)
    t_matrix = _best(lambda: compare(net, applied), repeat=2)
    lines += [
        "",
        "## Against the alternative: one route() per pair",
        "",
        "| method | all pairs, s | ratio |",
        "|---|---|---|",
        f"| compare() via matrix trees | {t_matrix:.2f} | 1 |",
        f"| route() per pair, baseline + scenario (extrapolated from 60 pairs) | "
        f"{per_pair * n_pairs:.0f} | {per_pair * n_pairs / t_matrix:.0f}x slower |",
    ]

    lines += floor_section(net, applied, places)
    lines += [
        "",
        "## Scaling with the number of places (titr-2030)",
        "",
        "| places | pairs | compare s | s per 1000 pairs |",
        "|---|---|---|---|",
    ]
    for k in (25, 50, 100, len(places)):
        chosen = places[:k]
        pairs = [(o, d) for o in chosen for d in chosen if o != d]
        secs = _best(lambda p=pairs: compare(net, applied, pairs=p), repeat=2)
        lines.append(f"| {k} | {len(pairs)} | {secs:.2f} | {1000 * secs / len(pairs):.3f} |")
    lines += [
        "",
        "Every pair is recomputed in both networks: one multi-source Dijkstra per "
        "origin group gives all destinations at once, which is cheaper than deciding "
        "which pairs a scenario can affect (an improvement anywhere can change any "
        "pair). The time grows more slowly than the number of pairs.",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
