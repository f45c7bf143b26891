"""Benchmark: ``calibrate report`` over the register and ``calibrate fit`` on it.

Times reading and checking the register, the report (every row routed) and the fit
(re-routing rounds plus least squares), best of three, and records the check error
before and after the fit.  Writes benchmarks/results/calibration.md.

Run: PYTHONPATH=src .venv/bin/python benchmarks/bench_calibration.py
"""

from __future__ import annotations

import platform
import time
from pathlib import Path

from steppe.calibration import calibration_report, fit_calibration, read_observations
from steppe.network import load_network

OUT = Path(__file__).parent / "results" / "calibration.md"


def _best(fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    net = load_network()
    t_read, reg = _best(lambda: read_observations(None, net))
    t_report, rep = _best(lambda: calibration_report(net, reg))
    t_fit, res = _best(lambda: fit_calibration(net, reg))
    lines = [
        "# Calibration benchmark",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; best of 3; "
        "the machine is shared, so times are upper bounds.",
        "",
        "| step | rows | seconds | target |",
        "|---|---:|---:|---:|",
        f"| read and check the register | {len(reg)} | {t_read:.2f} | |",
        f"| `calibrate report` (route every row) | {len(rep.rows)} | {t_report:.2f} | < 5 |",
        f"| `calibrate fit` ({res.rounds} rounds, {len(res.parameters)} factors) | "
        f"{len(reg.with_role('fit'))} fit rows | {t_fit:.2f} | < 60 |",
        "",
        "Median absolute log error (0.10 is about 10 % off) and share inside the published "
        "range, before and after the fit (ridge 0.5). Check rows are held out of the fit.",
        "",
        "| role | quantity | rows | error before | error after | inside before | inside after |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for key in sorted(res.before):
        b, a = res.before[key], res.after[key]
        lines.append(f"| {key[0]} | {key[1]} | {b.n} | {b.median_abs_log_error:.3f} | "
                     f"{a.median_abs_log_error:.3f} | {b.share_inside:.0%} | "
                     f"{a.share_inside:.0%} |")  # fmt: skip
    lines += ["", "Fitted factors:", "", "| factor | value | fit rows | ± (log) |",
              "|---|---:|---:|---:|"]  # fmt: skip
    for p in res.parameters:
        se = "" if p.log_se is None else f"{p.log_se:.2f}"
        lines.append(f"| `{p.key}` | {p.factor:.3f} | {p.n_rows} | {se} |")
    if res.unidentified:
        lines += ["", f"Not identified (no fit row): {', '.join(res.unidentified)}"]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
