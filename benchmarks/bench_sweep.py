"""Benchmark: a sweep of bundled scenarios, here and on a dask cluster of local processes.

Sides, interleaved (``benchmarks/_timing.py``), medians:

* a plain loop of ``compare()`` over the scenarios — what a user writes without a sweep;
* ``sweep()`` here, one comparison after the other (``workers=1``);
* ``sweep(scheduler=...)`` on a ``distributed.LocalCluster`` of 2 worker processes,
  started once before the timing (as a running cluster would be); its start-up is
  timed separately.

The sweep's answer is checked to equal the loop's on every side.  The machine has 2
cores shared with other jobs, so the cluster's speed-up is bounded by what they leave.

Run: PYTHONPATH=src .venv/bin/python benchmarks/bench_sweep.py
Writes benchmarks/results/sweep.md.
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

import pandas as pd

from steppe.network import load_network
from steppe.routing.matrix import default_places
from steppe.scenarios import load_scenarios
from steppe.scenarios.compare import compare
from steppe.scenarios.sweep import sweep

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, load_note, median_ms

OUT = Path(__file__).parent / "results" / "sweep.md"
SCENARIOS = ["oskemen-ridder-tuyekta", "titr-2030", "russia-transit-closed", "zamiin-uud-2021"]
COUNTRIES = ["KAZ", "MNG", "CHN", "RUS"]
ROUNDS = 3


def main() -> None:
    import distributed

    start_note = load_note()
    net = load_network()
    places = [p for p in default_places(net) if p.country in COUNTRIES]

    def loop() -> list[pd.DataFrame]:
        return [
            compare(net, load_scenarios([s], net), countries=COUNTRIES).pairs for s in SCENARIOS
        ]

    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    t_start = time.perf_counter() - t0
    with cluster:
        address = cluster.scheduler_address
        reference = loop()
        for res in (sweep(SCENARIOS, net, countries=COUNTRIES),
                    sweep(SCENARIOS, net, countries=COUNTRIES, scheduler=address)):  # fmt: skip
            for want, got in zip(reference, res.outcomes, strict=True):
                pd.testing.assert_frame_equal(want, got.pairs)
        times = interleaved(
            {
                "loop": loop,
                "serial": lambda: sweep(SCENARIOS, net, countries=COUNTRIES),
                "cluster": lambda: sweep(SCENARIOS, net, countries=COUNTRIES, scheduler=address),
            },
            rounds=ROUNDS,
        )
    ms = {k: median_ms(v) for k, v in times.items()}
    pairs = len(reference[0])
    lines = [
        "# Scenario sweep benchmark",
        "",
        f"Machine: {platform.platform()}, Python {platform.python_version()}; "
        f"{start_note} at the start, {load_note()} at the end.",
        "",
        f"{len(SCENARIOS)} bundled scenarios ({', '.join(SCENARIOS)}), each compared with the",
        f"embedded baseline over every ordered pair of the {len(places)} places in "
        f"{', '.join(COUNTRIES)}",
        f"({pairs} pairs per scenario, generalized cost).  Interleaved, {ROUNDS} rounds, "
        "medians.  Every side's",
        "pair tables were checked equal to the loop's before timing.",
        "",
        "| side | s | vs the loop |",
        "|:--|--:|--:|",
        f"| loop of `compare()` (reference) | {ms['loop'] / 1e3:.2f} | 1.00x |",
        f"| `sweep()` here, serially | {ms['serial'] / 1e3:.2f} | "
        f"{ms['serial'] / ms['loop']:.2f}x |",
        f"| `sweep(scheduler=...)`, LocalCluster of 2 processes | {ms['cluster'] / 1e3:.2f} | "
        f"{ms['cluster'] / ms['loop']:.2f}x |",
        "",
        f"Starting the LocalCluster (2 processes, each importing steppe) took {t_start:.1f} s, "
        "outside the timing.",
        "The cluster side includes sending the baseline network to each worker once per sweep.",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
