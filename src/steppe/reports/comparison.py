"""The self-contained HTML report of a scenario comparison.

One HTML file with inline CSS and SVG (no scripts, no external URLs) that opens offline:
a map of the changed links and of the places whose accessibility changes most, headline
numbers, bar charts and tables of the top winners and losers, and the corridor and
border-crossing usage shares.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from steppe.reports._html import CSS as _CSS
from steppe.reports._html import table as _table
from steppe.reports.svg import MapFrame, bar_chart, basemap_paths
from steppe.scenarios.compare import Comparison

__all__ = ["comparison_html"]


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
            parts.append(f'<path class="{cls}" d="{d}"><title>{escape(lk.id)}</title></path>')
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
    s = c.summary()
    summary = "".join(f"<tr><td>{escape(k.replace('_', ' '))}</td><td class='num'>{v}</td></tr>"
                      for k, v in s.items())  # fmt: skip
    win, lose = c.winners(top), c.losers(top)
    labels = [f"{o} → {d}" for o, d in zip(win["origin_name"], win["destination_name"],
                                             strict=True)]  # fmt: skip
    pair_cols = {"origin_name": "from", "destination_name": "to", f"{m}_base": "baseline",
                 f"{m}_scen": "scenario", f"{m}_delta": "change", "time_h_delta": "Δ hours",
                 "corridor_base": "corridor before", "corridor_scen": "corridor after"}  # fmt: skip
    share_cols = {"share_base": "baseline", "share_scen": "scenario", "share_delta": "change"}
    changes = pd.DataFrame([ch.to_dict() for ch in c.scenario.changes])
    sources = "".join(f"<li>{escape(src)}</li>" for sc in c.scenario.scenarios
                      for src in sc.spec.sources)  # fmt: skip
    desc = "".join(f"<p>{escape(sc.spec.description)}</p>" for sc in c.scenario.scenarios)
    access = c.accessibility
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>steppe: {escape(c.scenario.title)}</title><style>{_CSS}</style></head>
<body>
<h1>{escape(c.scenario.title)}</h1>
{desc}
<p>Objective: <b>{escape(c.objective)}</b> (compared metric: {escape(m)}).
Places on the map: the {top} with the largest change in accessibility (green gains, red
losses, size by the change); red lines: links the scenario adds or changes.</p>
{_map(c, top)}
<h2>Summary</h2><table>{summary}</table>
<h2>Top gains</h2>{bar_chart(labels, list(win[f"{m}_delta"]), unit=m)}
{_table(win, pair_cols)}
<h2>Top losses</h2>{_table(lose, pair_cols)}
<h2>Accessibility per place</h2>
<p>Mean {escape(m)} from the place to every other place reachable in both networks.</p>
{
        _table(
            access.head(top),
            {
                "name": "place",
                "country": "country",
                "base": "baseline",
                "scen": "scenario",
                "delta_pct": "change %",
            },
        )
    }
<h2>Corridor usage shares</h2>{
        _table(c.corridors.head(top), {"corridor": "corridor", **share_cols})
    }
<h2>Border-crossing usage shares</h2>{_table(c.borders, {"border": "crossing", **share_cols})}
<h2>What the scenario changes</h2>
{
        _table(
            changes,
            {
                "scenario": "scenario",
                "edit": "edit",
                "kind": "kind",
                "ref": "object",
                "field": "field",
                "old": "before",
                "new": "after",
            },
        )
        if len(changes)
        else ""
    }
<h2>Sources</h2><ul>{sources}</ul>
<p><small>Made by steppe. Basemap: Natural Earth (public domain).</small></p>
</body></html>
"""
