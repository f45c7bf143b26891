"""The self-contained HTML report of a project appraisal: cash flows and risk."""

from __future__ import annotations

import math
from html import escape

import numpy as np

from steppe.appraisal.appraise import Appraisal
from steppe.reports._html import CSS as _CSS
from steppe.reports._html import table as _table

__all__ = ["appraisal_html"]


def _money(x: float) -> str:
    if not math.isfinite(x):
        return "–"
    return f"{x / 1e6:,.2f} million USD"


def _pct(x: float) -> str:
    return "none (no break-even rate)" if not math.isfinite(x) else f"{100 * x:.2f} %"


def _cash_flow_chart(app: Appraisal, width: int = 900, height: int = 260) -> str:
    """Return SVG bars per year: benefits above the axis, costs below."""
    y = app.yearly
    top = float(max(y["benefits_usd"].max(), y["costs_usd"].max(), 1.0))
    n = len(y)
    bar = (width - 60) / n
    mid = height / 2
    scale = (height / 2 - 20) / top
    out = [f'<svg class="chart" width="{width}" height="{height}" role="img" '
           'aria-label="yearly benefits and costs">']  # fmt: skip
    benefits, costs = y["benefits_usd"].to_numpy(float), y["costs_usd"].to_numpy(float)
    for i, (year, bv, cv) in enumerate(zip(y["calendar_year"], benefits, costs, strict=True)):
        x = 50 + i * bar
        b, c = bv * scale, cv * scale
        out.append(
            f'<rect class="gain" x="{x:.1f}" y="{mid - b:.1f}" width="{bar * 0.8:.1f}" '
            f'height="{b:.1f}"><title>{year}: benefits {_money(bv)}</title></rect>'
        )
        out.append(
            f'<rect class="loss" x="{x:.1f}" y="{mid:.1f}" width="{bar * 0.8:.1f}" '
            f'height="{c:.1f}"><title>{year}: costs {_money(cv)}</title></rect>'
        )
        if i % 5 == 0:
            out.append(f'<text x="{x:.1f}" y="{height - 2}">{year}</text>')
    out.append(f'<line x1="45" x2="{width - 10}" y1="{mid}" y2="{mid}" stroke="#333"/>'
               f'<text x="0" y="14">{_money(top)}</text></svg>')  # fmt: skip
    return "".join(out)


def _histogram(values: np.ndarray, *, label: str, width: int = 640, height: int = 200) -> str:
    """Return an SVG histogram of Monte Carlo draws with the break-even line at 0."""
    vals = values[np.isfinite(values)]
    if vals.size == 0:
        return "<p>No Monte Carlo draws.</p>"
    counts, edges = np.histogram(vals, bins=30)
    lo, hi = float(edges[0]), float(edges[-1])
    span = hi - lo or 1.0
    peak = int(counts.max()) or 1
    bw = (width - 40) / len(counts)
    out = [f'<svg class="chart" width="{width}" height="{height + 20}" role="img" '
           f'aria-label="{escape(label)}">']  # fmt: skip
    for i, c in enumerate(counts):
        h = c / peak * (height - 10)
        cls = "gain" if edges[i + 1] > 0 else "loss"
        out.append(f'<rect class="{cls}" x="{20 + i * bw:.1f}" y="{height - h:.1f}" '
                   f'width="{bw * 0.9:.1f}" height="{h:.1f}"><title>{int(c)} draws</title>'
                   "</rect>")  # fmt: skip
    if lo < 0 < hi:
        x0 = 20 + (0 - lo) / span * (width - 40)
        out.append(f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="0" y2="{height}" stroke="#333" '
                   'stroke-dasharray="4 3"/>')  # fmt: skip
    out.append(f'<text x="20" y="{height + 16}">{lo / 1e6:,.1f}</text>')
    out.append(
        f'<text x="{width - 20}" y="{height + 16}" text-anchor="end">'
        f"{hi / 1e6:,.1f} mn USD</text></svg>"
    )
    return "".join(out)


def appraisal_html(app: Appraisal, *, top: int = 20) -> str:
    """Return an appraisal as one HTML page (inline CSS and SVG, no scripts).

    Examples
    --------
    >>> import steppe
    >>> from steppe.appraisal import AppraisalSettings, appraise, kazakhstan_trade_flows
    >>> from steppe.appraisal import od_demand
    >>> from steppe.scenarios import load_scenarios
    >>> net = steppe.load_network()
    >>> flows = kazakhstan_trade_flows(2023)
    >>> demand = od_demand(net, flows[flows.iso_d == "MNG"])
    >>> a = appraise(net, load_scenarios(["oskemen-ridder-tuyekta"], net), demand,
    ...              AppraisalSettings(capex_usd=50e6, draws=50))
    >>> html = appraisal_html(a)
    >>> html.startswith("<!DOCTYPE html>") and "<script" not in html
    True
    """
    s = app.settings
    summary = app.summary()
    bands = summary["bands"]
    head = [
        ("net present value", _money(summary["npv_usd"])),
        ("benefit–cost ratio", f"{summary['bcr']:.3f}"),
        ("economic internal rate of return", _pct(summary["eirr"])),
        ("present value of benefits", _money(summary["pv_benefits_usd"])),
        ("present value of costs", _money(summary["pv_costs_usd"])),
        ("P(BCR > 1) over the draws", "–" if summary["draws"] == 0
         else f"{100 * summary['p_bcr_above_one']:.1f} % of {summary['draws']} draws"),
        ("NPV 5–95 % band", f"{_money(bands['npv_usd']['low'])} … "
                            f"{_money(bands['npv_usd']['high'])}"),
        ("BCR 5–95 % band", f"{bands['bcr']['low']:.3f} … {bands['bcr']['high']:.3f}"),
        ("value of time", f"{app.value_of_time_usd_per_h:,.2f} USD per shipment-hour"),
        ("demand", app.demand_source),
    ]  # fmt: skip
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in head)
    settings = "".join(
        f"<tr><td>{escape(f)}</td><td>{escape(str(getattr(s, f)))}</td></tr>"
        for f in s.__dataclass_fields__
    )
    yearly_cols = {"calendar_year": "year", "tonnes": "tonnes", "time_savings_usd": "time USD",
                   "cost_savings_usd": "operating cost USD", "co2_savings_usd": "CO2 USD",
                   "induced_usd": "induced USD", "induced_trade_usd": "induced trade USD",
                   "benefits_usd": "benefits USD",
                   "costs_usd": "costs USD", "net_usd": "net USD"}  # fmt: skip
    pair_cols = {
        "origin_name": "from",
        "destination_name": "to",
        "tonnes": "tonnes per year",
        "gain_usd_per_year": "gain, USD per year",
        "generalized_cost_delta": "Δ generalized cost per shipment, USD",
        "time_h_delta": "Δ time, h",
        "corridor_scen": "corridor with the project",
    }
    border_cols = {"border": "border crossing", "tonnes_base": "tonnes/yr without",
                   "tonnes_scen": "tonnes/yr with", "tonnes_delta": "change"}  # fmt: skip
    changed = app.borders[app.borders["tonnes_delta"].abs() > 1e-6]
    draws = app.draws["npv_usd"].to_numpy() if len(app.draws) else np.array([])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Appraisal: {escape(app.scenario)}</title>
<style>{_CSS}</style></head><body>
<h1>Appraisal: {escape(app.scenario)}</h1>
<p>Discount rate {100 * s.discount:.1f} %, {s.years} years from {s.start_year}
({s.construction_years} of construction), money in USD of the price basis. Method and
sources: steppe <code>docs/appraisal.md</code>.</p>
<table>{rows}</table>
<h2>Benefits (green) and costs (red) by year, central case</h2>
{_cash_flow_chart(app)}
<h2>Net present value over {len(app.draws)} Monte Carlo draws</h2>
<p>Draws of the cost overrun ({escape(s.reference_class)} reference class), the demand level
and the CO2 price; the dashed line is break-even.</p>
{_histogram(draws, label="NPV distribution")}
<h2>Pairs that gain most</h2>
{_table(app.pairs.head(top), pair_cols)}
<h2>Border crossings whose freight changes</h2>
{_table(changed.head(top), border_cols)}
<h2>Yearly flows, central case</h2>
{_table(app.yearly, yearly_cols)}
<h2>Settings</h2><table>{settings}</table>
</body></html>
"""
