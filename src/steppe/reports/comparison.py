"""The self-contained HTML report of a scenario comparison.

One HTML file with inline CSS and SVG (no scripts, no external URLs) that opens offline:
a map of the changed links and of the places whose accessibility changes most, headline
numbers with their units, bar charts and tables of the top winners and losers (change in
units and in percent), every corridor and border crossing whose usage share changed (in
percent of place pairs and percentage points, one decimal, as in the web app), and the
scenario's changes in words.  Places, corridors and crossings are named, never given by id.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape
from typing import Any

import pandas as pd

from steppe.reports._html import CSS as _CSS
from steppe.reports.svg import MapFrame, bar_chart, basemap_paths
from steppe.scenarios.compare import Comparison
from steppe.scenarios.describe import describe_changes

__all__ = ["comparison_html"]

UNITS = {
    "time_h": "hours",
    "cost_usd": "USD",
    "co2_kg": "kg CO2e",
    "distance_km": "km",
    "generalized_cost": "USD (generalised)",
}
#: What each metric is called in the text.
NAMES = {
    "time_h": "time",
    "cost_usd": "cost",
    "co2_kg": "CO2e",
    "distance_km": "distance",
    "generalized_cost": "generalised cost",
}
_SHARE_EPS = 1e-9

Format = Callable[[float], str]


def _value(v: float) -> str:
    return f"{v:,.1f}"


def _change(v: float) -> str:
    return f"{v:+,.1f}"


def _pct(v: float) -> str:
    return f"{v:+.1f} %"


def _share(v: float) -> str:
    return f"{v:.1f} %"


def _points(v: float) -> str:
    return f"{v:+.2f} pp" if 0 < abs(v) < 0.05 else f"{v:+.1f} pp"  # no "-0.0" for a move


def _unit(metric: str) -> str:
    return UNITS.get(metric, metric)


def _table(df: pd.DataFrame, columns: dict[str, tuple[str, Format | None]]) -> str:
    """Return chosen columns as an HTML table; numbers formatted and right-aligned."""
    if df.empty:
        return "<p>None.</p>"
    head = "".join(f"<th{' class=num' if f else ''}>{escape(h)}</th>" for h, f in columns.values())
    rows = []
    for _, r in df.iterrows():
        cells = []
        for key, (_, fmt) in columns.items():
            v: Any = r[key]
            if fmt is None:
                cells.append(f"<td>{escape('' if v is None else str(v))}</td>")
            elif v is None or (isinstance(v, float) and math.isnan(v)):
                cells.append('<td class="num">–</td>')
            else:
                cells.append(f'<td class="num">{escape(fmt(float(v)))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _summary_rows(c: Comparison) -> str:
    rows = []
    for key, value in c.summary().items():
        label = key.replace("_", " ")
        if key.startswith("mean_") and key.endswith("_delta"):
            metric = key.removeprefix("mean_").removesuffix("_delta")
            label = f"mean change of {NAMES.get(metric, metric)} per pair"
            text = "–" if value is None else f"{value:+,.1f} {_unit(metric)}"
        else:
            text = f"{value:,}" if isinstance(value, int) else str(value)
            label += " (place pairs)"
        rows.append(f"<tr><td>{escape(label)}</td><td class='num'>{escape(text)}</td></tr>")
    return "".join(rows)


def _pairs(df: pd.DataFrame, m: str) -> pd.DataFrame:
    out = df.copy()
    base = out[f"{m}_base"].where(out[f"{m}_base"].abs() > 0)
    out["delta_pct"] = out[f"{m}_delta"] / base * 100
    return out


def _changed_shares(df: pd.DataFrame) -> pd.DataFrame:
    """Return every row whose share changed, largest change first, shares in percent."""
    moved = df[df["share_delta"].abs() > _SHARE_EPS].copy()
    moved = moved.reindex(moved["share_delta"].abs().sort_values(ascending=False).index)
    for col in ("share_base", "share_scen", "share_delta"):
        moved[col] = moved[col] * 100
    return moved


def _border_names(c: Comparison, borders: pd.DataFrame) -> pd.DataFrame:
    """Name each border crossing by its two posts (scenario network: new ones too)."""
    net = c.scenario.network
    nodes = net.nodes_by_id
    names = {b.id: b.name or f"{nodes[b.a].name} – {nodes[b.b].name}" for b in net.borders}
    return borders.assign(name=[names.get(b, b) for b in borders["border"]])


def _map(c: Comparison, top: int) -> str:
    net = c.scenario.network
    nodes = net.nodes_by_id
    changed = set(c.scenario.changed_ids("link"))
    access = c.accessibility
    focus = access.reindex(access["delta_pct"].abs().sort_values(ascending=False).index).head(top)
    pts = [(nodes[lk.a].lat, nodes[lk.a].lon) for lk in net.links if lk.id in changed]
    pts += [(nodes[lk.b].lat, nodes[lk.b].lon) for lk in net.links if lk.id in changed]
    pts += list(zip(focus["lat"], focus["lon"], strict=True))  # frame the change, not all
    frame = MapFrame.around(pts, margin=3.0)
    parts = [f'<svg class="map" width="{frame.width}" height="{frame.height}" '
             'role="img">', basemap_paths(frame)]  # fmt: skip
    for cls in ("link", "changed"):
        for lk in net.links:
            if (lk.id in changed) != (cls == "changed"):
                continue
            line = lk.geometry or ((nodes[lk.a].lat, nodes[lk.a].lon),
                                   (nodes[lk.b].lat, nodes[lk.b].lon))  # fmt: skip
            d = "M" + "L".join("{:.1f},{:.1f}".format(*frame.xy(la, lo)) for la, lo in line)
            title = escape(f"{lk.mode.value} {nodes[lk.a].name} – {nodes[lk.b].name}")
            parts.append(f'<path class="{cls}" d="{d}"><title>{title}</title></path>')
    span = float(focus["delta_pct"].abs().max()) if len(focus) else 0.0
    for _, p in focus.iterrows():
        x, y = frame.xy(p["lat"], p["lon"])
        r = 3 + 9 * abs(p["delta_pct"]) / span if span > 0 else 3
        cls = "gain" if p["delta_pct"] < 0 else "loss"
        name = escape(p["name"])
        parts.append(f'<circle class="place {cls}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">'
                     f'<title>{name}: {p["delta_pct"]:+.1f}%</title></circle>'
                     f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}">{name}</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def comparison_html(c: Comparison, *, top: int = 15) -> str:
    """Return the comparison as one self-contained HTML page.

    Examples
    --------
    >>> import steppe
    >>> from steppe.scenarios import load_scenarios
    >>> from steppe.scenarios.compare import compare
    >>> base = steppe.load_network()
    >>> html = comparison_html(compare(base, load_scenarios(["titr-2030"], base)))
    >>> html.startswith("<!DOCTYPE html>") and "<script" not in html
    True
    """
    m = c.metric
    unit = _unit(m)
    win, lose = _pairs(c.winners(top), m), _pairs(c.losers(top), m)
    labels = [f"{o} → {d}" for o, d in zip(win["origin_name"], win["destination_name"],
                                             strict=True)]  # fmt: skip
    pair_cols: dict[str, tuple[str, Format | None]] = {
        "origin_name": ("from", None), "destination_name": ("to", None),
        f"{m}_base": (f"baseline ({unit})", _value), f"{m}_scen": (f"scenario ({unit})", _value),
        f"{m}_delta": (f"change ({unit})", _change), "delta_pct": ("change %", _pct),
        "corridor_base": ("corridor before", None), "corridor_scen": ("corridor after", None),
    }  # fmt: skip
    if m != "time_h":
        pair_cols = {**pair_cols, "time_h_delta": ("change (hours)", _change)}
    share_cols: dict[str, tuple[str, Format | None]] = {
        "share_base": ("baseline %", _share),
        "share_scen": ("scenario %", _share),
        "share_delta": ("change (percentage points)", _points),
    }
    words = "".join(f"<li>{escape(w)}</li>" for w in describe_changes(c.scenario))
    sources = "".join(f"<li>{escape(src)}</li>" for sc in c.scenario.scenarios
                      for src in sc.spec.sources)  # fmt: skip
    desc = "".join(f"<p>{escape(sc.spec.description)}</p>" for sc in c.scenario.scenarios)
    access = c.accessibility
    what = NAMES.get(m, m)
    corridors = _changed_shares(c.corridors)
    borders = _border_names(c, _changed_shares(c.borders))
    access_cols: dict[str, tuple[str, Format | None]] = {
        "name": ("place", None), "country": ("country", None),
        "base": (f"baseline ({unit})", _value), "scen": (f"scenario ({unit})", _value),
        "delta_pct": ("change %", _pct),
    }  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>steppe: {escape(c.scenario.title)}</title><style>{_CSS}</style></head>
<body>
<h1>{escape(c.scenario.title)}</h1>
{desc}
<h2>What the scenario changes</h2><ul>{words}</ul>
<p>Objective: <b>{escape(c.objective)}</b> (compared: {escape(what)} in {escape(unit)}).
Places on the map: the {top} with the largest change in accessibility
(green gains, red losses, size by the change); red lines: links the scenario adds or changes.</p>
{_map(c, top)}
<h2>Summary</h2><table>{_summary_rows(c)}</table>
<h2>Top gains <small>({escape(unit)}; negative is a gain)</small></h2>
{bar_chart(labels, list(win[f"{m}_delta"]), unit=unit)}
{_table(win, pair_cols)}
<h2>Top losses</h2>{_table(lose, pair_cols)}
<h2>Accessibility per place</h2>
<p>Mean {escape(unit)} from the place to every other place reachable in both networks.</p>
{_table(access.head(top), access_cols)}
<h2>Corridors whose share changed <small>(% of place pairs using them; all
{len(corridors)})</small></h2>
{_table(corridors, {"corridor": ("corridor", None), **share_cols})}
<h2>Border crossings whose share changed <small>(% of place pairs crossing; all
{len(borders)})</small></h2>
{_table(borders, {"name": ("crossing", None), **share_cols})}
<h2>Sources</h2><ul>{sources}</ul>
<p><small>Made by steppe. Basemap: Natural Earth (public domain).</small></p>
</body></html>
"""
