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
    volumes = [m for m in rep.rows if m.obs.quantity == "volume"]
    if volumes:
        out += ["", "Published volumes against the baseline assignment (tonnes over the period, "
                "both directions; steppe: Kazakhstan's trade, all or nothing):", "",
                "| id | role | where | period | published | steppe | ratio |",
                "|---|---|---|---|---|---:|---:|"]  # fmt: skip
        for m in volumes:
            o = m.obs
            where = " + ".join(m.link_ids) or m.error
            ratio = "—" if m.ratio is None else f"{m.ratio:.3f}"
            model = f"{fmt_value(m.model)} {o.unit}"
            out.append(f"| `{o.id}` | {o.role} | {where} | {o.period[0]}..{o.period[1]} | "
                       f"{fmt_published(o)} | {model} | {ratio} |")  # fmt: skip
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
