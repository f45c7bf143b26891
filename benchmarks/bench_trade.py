"""Benchmark the trade store on a synthetic 10-million-row BACI file, against pandas.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_trade.py [--rows N]``.
Writes benchmarks/results/trade.md.  The file is synthetic (random flows in BACI's layout):
timings only, no figures to trust.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from steppe.trade.compare import composition
from steppe.trade.stats import turnover
from steppe.trade.store import TradeStore

CODES = {
    398: "KAZ",
    496: "MNG",
    156: "CHN",
    643: "RUS",
    276: "DEU",
    792: "TUR",
    860: "UZB",
    417: "KGZ",
    112: "BLR",
    31: "AZE",
    268: "GEO",
    804: "UKR",
    392: "JPN",
    410: "KOR",
    356: "IND",
    380: "ITA",
    250: "FRA",
    616: "POL",
    528: "NLD",
    840: "USA",
}


def make_file(folder: Path, rows: int) -> Path:
    rng = np.random.default_rng(42)
    codes = np.array(list(CODES))
    i = rng.choice(codes, rows)
    j = rng.choice(codes, rows)
    j = np.where(i == j, np.roll(codes, 1)[np.searchsorted(np.sort(codes), i) % len(codes)], j)
    frame = pd.DataFrame(
        {
            "t": 2022,
            "i": i,
            "j": j,
            "k": rng.integers(10000, 970000, rows),
            "v": rng.gamma(1.0, 50.0, rows).round(3),
            "q": rng.gamma(1.0, 10.0, rows).round(3),
        }
    ).drop_duplicates(["t", "i", "j", "k"])
    path = folder / "BACI_HS17_Y2022_synthetic.csv"
    frame.to_csv(path, index=False)
    pd.DataFrame({"country_code": list(CODES), "country_iso3": list(CODES.values())}).to_csv(
        folder / "country_codes_V202401.csv", index=False
    )
    return path


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def timed_median(fn, repeat: int = 5):  # type: ignore[no-untyped-def]
    """Median time of ``repeat`` calls (after the first, which is also counted)."""
    times, out = [], None
    for _ in range(repeat):
        t, out = timed(fn)
        times.append(t)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_file(folder, args.rows)
        n = sum(1 for _ in path.open()) - 1
        store = TradeStore(folder / "bench.duckdb", embedded=False)
        t_load, _ = timed(lambda: store.load(path))
        t_turn, res = timed_median(lambda: turnover(store, "KAZ", "MNG", "2022"))
        t_comp, _ = timed_median(lambda: composition(store, "KAZ", "MNG", "2022", level="chapter"))
        t_pread, df = timed(lambda: pd.read_csv(path))

        def pandas_turnover() -> float:
            e = df[(df.i == 398) & (df.j == 496)].v.sum()
            m = df[(df.i == 496) & (df.j == 398)].v.sum()
            return float(e + m) * 1000

        def pandas_composition() -> pd.Series:
            sel = df[(df.i == 398) & (df.j == 496)]
            return sel.groupby(sel.k // 10000).v.sum().sort_values(ascending=False)

        t_pturn, pt = timed_median(pandas_turnover)
        t_pcomp, _ = timed_median(pandas_composition)
        store.close()
    assert abs(pt - res.turnover) < 1.0, (pt, res.turnover)
    lines = [
        "# Trade store benchmark",
        "",
        f"Synthetic BACI-format file, {n:,} rows (20 countries, one year, random HS6 codes).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other jobs), "
        f"Python {platform.python_version()}, pandas {pd.__version__}, "
        f"DuckDB {duckdb.__version__}. Command: `PYTHONPATH=src .venv/bin/python "
        "benchmarks/bench_trade.py`. Query times: median of 5 calls.",
        "",
        "| step | steppe (DuckDB store) | pandas | steppe / pandas |",
        "|---|---:|---:|---:|",
        f"| load (steppe: read + validate + store; pandas: `read_csv`) | {t_load:.2f} s | "
        f"{t_pread:.2f} s | {t_load / t_pread:.2f} |",
        f"| turnover KAZ-MNG 2022 | {t_turn * 1000:.0f} ms | {t_pturn * 1000:.0f} ms | "
        f"{t_turn / t_pturn:.2f} |",
        f"| composition KAZ-MNG 2022 by chapter | {t_comp * 1000:.0f} ms | "
        f"{t_pcomp * 1000:.0f} ms | {t_comp / t_pcomp:.2f} |",
        "",
        "Load: DuckDB parses the CSV with typed columns, checks it in SQL (missing values, "
        "country codes, duplicates), writes the rows sorted by reporter, partner and period "
        "and the per-pair totals, in one transaction. The pandas column is `read_csv` only "
        "(no checks, nothing stored).",
        "",
        "The steppe queries check coverage, expand groups and read from the DuckDB file on disk;",
        "pandas works on a DataFrame already in memory (after its `read_csv`). Both give the same",
        f"turnover ({res.turnover:,.0f} USD). A steppe store is loaded once and queried many",
        "times, also by later processes; pandas must re-read the CSV each time.",
        "",
    ]
    out = Path(__file__).parent / "results" / "trade.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
