"""The self-contained HTML report of a scenario's trade and welfare impact."""

from __future__ import annotations

from html import escape

import pandas as pd

from steppe.gravity.scenario_impact import ScenarioImpact
from steppe.reports._html import CSS as _CSS
from steppe.reports._html import table as _table
from steppe.reports.svg import bar_chart

__all__ = ["impact_html"]


def impact_html(result: ScenarioImpact, *, top: int = 15) -> str:
    """Return the impact of a scenario as one HTML page (inline CSS and SVG, no scripts).

    Examples
    --------
    >>> from steppe.gravity.scenario_impact import scenario_impact
    >>> html = impact_html(scenario_impact(["zamiin-uud-2021"], draws=0))
    >>> html.startswith("<!DOCTYPE html>") and "<script" not in html
    True
    """
    imp = result.impact
    countries = imp.countries.reindex(
        imp.countries["real_gdp_change_pct"].abs().sort_values(ascending=False).index
    ).head(top)
    pairs = result.changed_pairs().head(top)
    settings = "".join(
        f"<tr><td>{escape(str(k))}</td><td>{escape(str(v))}</td></tr>"
        for k, v in result.settings.items()
    )
    band = {"trade_base": "baseline trade (million USD, 2006)", "change_pct": "change %",
            "p05": "5th pct %", "p95": "95th pct %"}  # fmt: skip
    gdp_cols = {"country": "country", "exports_change_pct": "exports change %",
                "exports_p05": "5th pct", "exports_p95": "95th pct",
                "real_gdp_change_pct": "real GDP change %", "real_gdp_p05": "5th pct",
                "real_gdp_p95": "95th pct"}  # fmt: skip
    pair_cols = {"iso_o": "from", "iso_d": "to", "baseline_time_h": "baseline hours",
                 "scenario_time_h": "scenario hours", "change_h": "change hours",
                 "place_pairs": "place pairs"}  # fmt: skip
    focus = pd.DataFrame(imp.focus)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>steppe impact: {escape(result.title)}</title><style>{_CSS}</style></head>
<body>
<h1>Trade and welfare impact: {escape(result.title)}</h1>
<p>Transit times between {result.places} cities were routed on the baseline and on the
scenario network, averaged per country pair, converted to trade-cost changes and fed to a
full-endowment structural-gravity GE counterfactual ({imp.draws} Monte Carlo draws for the
5–95% bands). Method and sources: docs/gravity.md.</p>
<h2>Kazakhstan–Mongolia trade</h2>{_table(focus, {"flow": "flow", **band})}
<h2>Real GDP change by country (%)</h2>
{
        bar_chart(
            list(countries["country"]),
            list(countries["real_gdp_change_pct"]),
            unit="%",
            higher_is_better=True,
        )
    }
{_table(countries, gdp_cols)}
<h2>Country pairs whose transit time changes</h2>{_table(pairs, pair_cols)}
<h2>Settings</h2><table>{settings}</table>
<p><small>Made by steppe. Trade baseline: Head, Mayer &amp; Ries (2010), CEPII (unless another
was given); time cost of trade: Hummels &amp; Schaur (2013), AER 103(7).</small></p>
</body></html>
"""
