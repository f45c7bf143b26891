"""Benchmark the trade store against plain DuckDB and pandas on a synthetic BACI file.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_trade.py [--rows N] [--repeat R]``.
Writes benchmarks/results/trade.md.  The file is synthetic (random flows in BACI's layout):
timings only, no figures to trust.

Fair comparators, as issue 18 asks:

* load: steppe's ``trade load`` (read, check, store, totals) against DuckDB's own
  ``CREATE TABLE AS SELECT * FROM read_csv(...)`` of the same file into a new database file,
  and pandas' ``read_csv``; each run in a fresh process (time and peak RSS), the sides
  interleaved, medians of ``--repeat`` runs;
* queries: steppe's ``turnover`` and ``composition`` against the same SQL on the plain
  DuckDB table and the same filter/group-by on a pandas DataFrame in memory, interleaved,
  medians.  polars is not installed in this environment, so it is not compared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

CODES = {
    398: "KAZ", 496: "MNG", 156: "CHN", 643: "RUS", 276: "DEU", 792: "TUR", 860: "UZB",
    417: "KGZ", 112: "BLR", 31: "AZE", 268: "GEO", 804: "UKR", 392: "JPN", 410: "KOR",
    356: "IND", 380: "ITA", 251: "FRA", 616: "POL", 528: "NLD", 842: "USA",
}  # fmt: skip

CHILD = r"""
import json, resource, sys, time
kind, path, db = sys.argv[1:4]
start = time.perf_counter()
if kind == "steppe":
    from steppe.trade.store import TradeStore
    with TradeStore(db, embedded=False) as store:
        store.load(path)
elif kind == "duckdb":
    import duckdb
    con = duckdb.connect(db)
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
    con.close()
else:
    import pandas as pd
    pd.read_csv(path)
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"s": elapsed, "mb": rss}))
"""


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


def child(kind: str, path: Path, db: Path) -> dict[str, float]:
    db.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(path), str(db)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def interleaved(fns: dict[str, object], repeat: int) -> dict[str, float]:
    """Median seconds of each function, the functions called in turn ``repeat`` times."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            times[name].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from steppe.trade.compare import composition
    from steppe.trade.stats import turnover
    from steppe.trade.store import TradeStore

    load_avg = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_file(folder, args.rows)
        n = sum(1 for _ in path.open()) - 1
        runs: dict[str, list[dict[str, float]]] = {"steppe": [], "duckdb": [], "pandas": []}
        for _ in range(args.repeat):
            for kind, done in runs.items():
                done.append(child(kind, path, folder / f"{kind}.duckdb"))
        load = {
            k: (statistics.median(r["s"] for r in v), statistics.median(r["mb"] for r in v))
            for k, v in runs.items()
        }
        child("steppe", path, folder / "steppe.duckdb")
        child("duckdb", path, folder / "duckdb.duckdb")
        store = TradeStore(folder / "steppe.duckdb", embedded=False)
        plain = duckdb.connect(str(folder / "duckdb.duckdb"), read_only=True)
        df = pd.read_csv(path)

        def sql_turnover() -> float:
            return float(
                plain.execute(
                    "SELECT sum(v) * 1000 FROM t WHERE t = 2022 AND "
                    "((i = 398 AND j = 496) OR (i = 496 AND j = 398))"
                ).fetchall()[0][0]
            )

        def sql_composition() -> pd.DataFrame:
            return plain.execute(
                "SELECT k // 10000 AS chapter, i, sum(v) * 1000 AS v FROM t WHERE t = 2022 AND "
                "((i = 398 AND j = 496) OR (i = 496 AND j = 398)) GROUP BY ALL ORDER BY v DESC"
            ).df()

        def pandas_turnover() -> float:
            sel = df[((df.i == 398) & (df.j == 496)) | ((df.i == 496) & (df.j == 398))]
            return float(sel.v.sum()) * 1000

        def pandas_composition() -> pd.Series:
            sel = df[((df.i == 398) & (df.j == 496)) | ((df.i == 496) & (df.j == 398))]
            return sel.groupby([sel.k // 10000, sel.i]).v.sum().sort_values(ascending=False)

        res = turnover(store, "KAZ", "MNG", "2022")
        assert abs(res.turnover - sql_turnover()) < 1.0
        assert abs(res.turnover - pandas_turnover()) < 1.0
        q = interleaved(
            {
                "steppe turnover": lambda: turnover(store, "KAZ", "MNG", "2022"),
                "duckdb turnover": sql_turnover,
                "pandas turnover": pandas_turnover,
                "steppe composition": lambda: composition(
                    store, "KAZ", "MNG", "2022", level="chapter"
                ),
                "duckdb composition": sql_composition,
                "pandas composition": pandas_composition,
            },
            max(7, args.repeat),
        )
        store.close()
        plain.close()
    s, d, p = load["steppe"], load["duckdb"], load["pandas"]
    lines = [
        "# Trade store benchmark",
        "",
        f"Synthetic BACI-format file, {n:,} rows (20 countries, one year, random HS6 codes).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other jobs (load "
        f"average at start {load_avg[0]:.1f}), Python {platform.python_version()}, pandas "
        f"{pd.__version__}, DuckDB {duckdb.__version__}. Command: `PYTHONPATH=src "
        f".venv/bin/python benchmarks/bench_trade.py --rows {args.rows} --repeat "
        f"{args.repeat}`. Loads: each in a fresh process, the three sides interleaved, median "
        f"of {args.repeat}; queries: interleaved, median of {max(7, args.repeat)}.",
        "",
        "| load | time | peak memory (RSS) | time / DuckDB CTAS | memory / DuckDB CTAS |",
        "|---|---:|---:|---:|---:|",
        f"| steppe `trade load` (read, check, store, totals) | {s[0]:.2f} s | {s[1]:.0f} MB | "
        f"{s[0] / d[0]:.2f} | {s[1] / d[1]:.2f} |",
        f"| DuckDB `CREATE TABLE AS SELECT * FROM read_csv` | {d[0]:.2f} s | {d[1]:.0f} MB | "
        "1.00 | 1.00 |",
        f"| pandas `read_csv` (nothing stored) | {p[0]:.2f} s | {p[1]:.0f} MB | "
        f"{p[0] / d[0]:.2f} | {p[1] / d[1]:.2f} |",
        "",
        "| query KAZ-MNG 2022 | steppe | same SQL, plain DuckDB | pandas in memory | "
        "steppe / DuckDB | steppe / pandas |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for what in ("turnover", "composition"):
        a, b, c = q[f"steppe {what}"], q[f"duckdb {what}"], q[f"pandas {what}"]
        lines.append(
            f"| {what} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {c * 1000:.1f} ms | "
            f"{a / b:.2f} | {a / c:.2f} |"
        )
    lines += [
        "",
        "Goals (issue 18): load ≤ 1.5× DuckDB's CTAS and ≤ its memory + 30 %; queries ≤ 2× the "
        "same SQL. The plain-DuckDB side checks nothing (codes, duplicates, missing values), "
        "knows no coverage, groups or periods, and answers from one table; steppe's query plans "
        "which dataset answers each piece and refuses uncovered periods. Both give the same "
        f"turnover ({res.turnover:,.0f} USD).",
        "",
    ]
    out = Path(__file__).parent / "results" / "trade.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
