"""The calibration report as one offline HTML page: summary, log-log scatters, the rows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import pandas as pd

from steppe.calibration._format import fmt_published, fmt_value
from steppe.calibration.measure import Measured
from steppe.calibration.report import CalibrationReport
from steppe.reports._html import CSS, table

__all__ = ["report_html", "scatter_svg"]

_EXTRA_CSS = """
.fit{fill:#1f77b4}.check{fill:#e6550d}.diag{stroke:#888;stroke-dasharray:4 3}
.axis{stroke:#333}.grid{stroke:#eee}
"""


def scatter_svg(rows: Sequence[Measured], *, title: str, unit: str, size: int = 360) -> str:
    """Return an SVG scatter of model against published values on log axes.

    Points on the dashed diagonal are exact; fit rows are blue, check rows orange;
    ranges are drawn as horizontal bars.
    """
    pts = [m for m in rows if m.model and m.model > 0 and m.obs.reference > 0]
    if not pts:
        return f"<p>No {escape(title)} rows.</p>"
    vals = [v for m in pts for v in (m.model, m.obs.reference, m.obs.low, m.obs.high)
            if v is not None and v > 0]  # fmt: skip
    lo, hi = math.floor(math.log10(min(vals))), math.ceil(math.log10(max(vals)))
    hi = max(hi, lo + 1)
    pad = 48

    def xy(v: float) -> float:
        return pad + (math.log10(v) - lo) / (hi - lo) * (size - 2 * pad)

    out = [f'<svg class="scatter" width="{size}" height="{size}" role="img" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>']  # fmt: skip
    for e in range(lo, hi + 1):
        p = xy(10.0**e)
        label = f"{10.0**e:g}" if e < 4 else f"{10.0 ** (e - 3):g}k"
        out.append(f'<line class="grid" x1="{pad}" x2="{size - pad}" y1="{size - p:.1f}" '
                   f'y2="{size - p:.1f}"/><line class="grid" x1="{p:.1f}" x2="{p:.1f}" '
                   f'y1="{pad}" y2="{size - pad}"/>'
                   f'<text x="{p:.1f}" y="{size - pad + 14}" '
                   f'text-anchor="middle">{label}</text>'
                   f'<text x="{pad - 4}" y="{size - p + 4:.1f}" '
                   f'text-anchor="end">{label}</text>')  # fmt: skip
    out.append(f'<line class="diag" x1="{pad}" y1="{size - pad}" x2="{size - pad}" y2="{pad}"/>')
    for m in pts:
        model = m.model or 0.0
        x, y = xy(m.obs.reference), size - xy(model)
        if m.obs.low and m.obs.high and m.obs.high > m.obs.low:
            out.append(f'<line stroke="#999" x1="{xy(m.obs.low):.1f}" x2="{xy(m.obs.high):.1f}" '
                       f'y1="{y:.1f}" y2="{y:.1f}"/>')  # fmt: skip
        tip = f"{m.obs.id}: published {m.obs.reference:g}, steppe {model:.3g} {unit}"
        out.append(f'<circle class="{m.obs.role}" cx="{x:.1f}" cy="{y:.1f}" r="4">'
                   f"<title>{escape(tip)}</title></circle>")  # fmt: skip
    out.append(f'<text x="{size / 2}" y="{size - 6}" '
               f'text-anchor="middle">published ({escape(unit)})</text>'
               f'<text x="12" y="{size / 2}" transform="rotate(-90 12 {size / 2})" '
               f'text-anchor="middle">steppe ({escape(unit)})</text></svg>')  # fmt: skip
    return "".join(out)


def _summary_frame(rep: CalibrationReport) -> pd.DataFrame:
    return pd.DataFrame([
        {"role": r, "quantity": q, "n": str(s.n),
         "median |log error|": s.median_abs_log_error, "share inside range": s.share_inside,
         "median ratio": s.median_ratio}
        for (r, q), s in sorted(rep.summary.items())
    ])  # fmt: skip


def _rows_frame(rows: Sequence[Measured]) -> pd.DataFrame:
    recs = []
    for m in rows:
        o = m.obs
        recs.append({
            "id": o.id, "role": o.role, "what": f"{o.quantity} · {o.component}",
            "route": f"{o.origin} → {o.destination} ({o.mode_label})",
            "published": fmt_published(o),
            "steppe": "—" if m.model is None else f"{fmt_value(m.model)} {o.unit}",
            "ratio": "—" if m.ratio is None else f"{m.ratio:.2f}",
            "inside": {True: "✓", False: "✗", None: "—"}[m.inside],
            "source": f"{o.source_title} ({o.source_url}, {o.source_date[0]:%Y-%m})",
            "error": m.error,
        })  # fmt: skip
    return pd.DataFrame(recs)


def report_html(rep: CalibrationReport) -> str:
    """Return the report as a self-contained HTML page (no script, no external URL)."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>steppe calibration report</title>",
        f"<style>{CSS}{_EXTRA_CSS}</style></head><body>",
        "<h1>steppe against published shipments</h1>",
        f"<p>Register: {escape(rep.file)} ({len(rep.rows)} rows); network {escape(rep.network)}"
        + (f"; scenarios {escape(', '.join(rep.scenarios))}" if rep.scenarios else "")
        + (f"; calibration {escape(rep.calibration)}" if rep.calibration else "")
        + ". Ratio = steppe ÷ published (geometric middle of a range). Fit rows in blue, "
          "check rows (held out) in orange.</p>",
        "<h2>Summary</h2>",
        table(_summary_frame(rep), {c: c for c in ("role", "quantity", "n", "median |log error|",
                                                    "share inside range", "median ratio")}),
        "<h2>Model against published (log axes)</h2><div>",
    ]  # fmt: skip
    for q, unit in (("time", "h"), ("price", "USD"), ("distance", "km"), ("volume", "t")):
        rows = [m for m in rep.rows if m.obs.quantity == q]
        scaled = [_in_steppe_units(m) for m in rows]
        parts.append(scatter_svg(scaled, title=q, unit=unit))
    parts.append("</div>")
    for name, stats in rep.groups.items():
        frame = pd.DataFrame([
            {"quantity": q, name: v, "n": str(st.n),
             "median |log error|": st.median_abs_log_error,
             "share inside range": st.share_inside, "median ratio": st.median_ratio}
            for (q, v), st in sorted(stats.items())
        ])  # fmt: skip
        parts.append(f"<h2>By {escape(name)}</h2>" + table(frame, {c: c for c in frame.columns}))
    parts.append("<h2>Every row</h2>")
    frame = _rows_frame(rep.rows)
    parts.append(table(frame, {c: c for c in frame.columns}))
    if rep.failed:
        parts.append(f"<p>{len(rep.failed)} rows could not be routed (see the error column).</p>")
    parts.append("</body></html>")
    return "".join(parts)


def _in_steppe_units(m: Measured) -> Measured:
    """Return a row with published and model values in hours, USD or km (for one axis)."""
    import dataclasses

    s = m.obs.scale
    if s == 1.0:
        return m
    o = dataclasses.replace(
        m.obs, low=None if m.obs.low is None else m.obs.low * s,
        high=None if m.obs.high is None else m.obs.high * s, unit="h",
    )  # fmt: skip
    return dataclasses.replace(m, obs=o, model=None if m.model is None else m.model * s)
