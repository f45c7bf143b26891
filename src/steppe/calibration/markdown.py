"""The calibration report as Markdown tables, for ``docs/calibration.md``."""

from __future__ import annotations

from steppe.calibration._format import fmt_published, fmt_value
from steppe.calibration.report import CalibrationReport, GroupStats

__all__ = ["report_markdown"]


def _stat_cells(s: GroupStats) -> str:
    return (f"{s.n} | {s.median_abs_log_error:.3f} | {s.share_inside:.0%} | "
            f"{s.median_ratio:.2f}")  # fmt: skip


def report_markdown(rep: CalibrationReport) -> str:
    """Return the summary, the groups and every row as Markdown tables."""
    out = [
        f"Register `{rep.file.split('/')[-1]}`, {len(rep.rows)} rows, network "
        f"`{rep.network}`" + (f", calibration `{rep.calibration}`" if rep.calibration else "")
        + ".\n",
        "| role | quantity | rows | median abs log error | inside range | median ratio |",
        "|---|---|---:|---:|---:|---:|",
    ]  # fmt: skip
    out += [f"| {r} | {q} | {_stat_cells(s)} |" for (r, q), s in sorted(rep.summary.items())]
    for name, stats in rep.groups.items():
        out += ["", f"By {name}:", "",
                f"| quantity | {name} | rows | median abs log error | inside range "
                "| median ratio |",
                "|---|---|---:|---:|---:|---:|"]  # fmt: skip
        out += [f"| {q} | {v} | {_stat_cells(s)} |" for (q, v), s in sorted(stats.items())]
    out += ["", "Every row (ratio = steppe ÷ published; ✓ inside the published range):", "",
            "| id | role | route | published | steppe | ratio | in |",
            "|---|---|---|---|---:|---:|:-:|"]  # fmt: skip
    for m in rep.rows:
        o = m.obs
        pub = fmt_published(o)
        model = fmt_value(m.model)
        ratio = "—" if m.ratio is None else f"{m.ratio:.2f}"
        inside = {True: "✓", False: "✗", None: "—"}[m.inside]
        out.append(f"| `{o.id}` | {o.role} | {o.origin} → {o.destination} ({o.mode_label}, "
                   f"{o.component}) | {pub} | {model} | {ratio} | {inside} |")  # fmt: skip
    return "\n".join(out) + "\n"
