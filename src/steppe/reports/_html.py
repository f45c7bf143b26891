"""Shared pieces of the HTML reports: the style sheet and tables."""

from __future__ import annotations

import math
from html import escape
from typing import Any

import pandas as pd

__all__ = ["CSS", "table"]

CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.9em}td,th{padding:2px 8px;border-bottom:1px solid #ddd}
td.num{text-align:right}.country{fill:#eef0ea;stroke:#aab;stroke-width:.5}
.link{stroke:#bbb;stroke-width:1;fill:none}.changed{stroke:#c0392b;stroke-width:3;fill:none}
.gain{fill:#2e8b57}.loss{fill:#c0392b}.place{stroke:#333;stroke-width:.5}
svg text{font-size:12px}.map{border:1px solid #ccc;background:#dde8f0}
"""


def table(df: pd.DataFrame, columns: dict[str, str]) -> str:
    """Return a DataFrame's chosen columns as an HTML table, numbers right-aligned."""
    if df.empty:
        return "<p>None.</p>"
    head = "".join(f"<th>{escape(v)}</th>" for v in columns.values())
    rows = []
    for _, r in df.iterrows():
        cells = []
        for k in columns:
            v: Any = r[k]
            if isinstance(v, float) and math.isnan(v):  # NaN: no value
                cells.append('<td class="num">–</td>')
            elif isinstance(v, float):
                cells.append(f'<td class="num">{v:,.2f}</td>')
            else:
                cells.append(f"<td>{escape(str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"
