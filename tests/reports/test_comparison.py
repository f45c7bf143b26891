"""The comparison report is one self-contained HTML page: no scripts, no external URLs."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from steppe.network import read_network
from steppe.reports import comparison_html
from steppe.scenarios import apply_scenario, read_scenario
from steppe.scenarios.compare import compare

DATA = Path(__file__).parents[1] / "data"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def _html() -> str:
    net = read_network(DATA / "network" / "small")
    out = apply_scenario(net, read_scenario(DATA / "scenarios" / "all-edits.toml"))
    return comparison_html(compare(net, out), top=5)


def test_self_contained() -> None:
    html = _html()
    parser = _Collect()
    parser.feed(html)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert not any(k in ("src", "href") for k, _ in parser.attrs)
    assert not re.search(r"https?://", html.split("<h2>Sources</h2>")[0])
    assert parser.tags.count("svg") >= 2  # the map and the chart


def test_content() -> None:
    html = _html()
    assert "Every edit type on the small network" in html
    assert html.count('class="changed"') == 3  # the three links the scenario edits
    assert "Aktau → Baku" in html  # a top gain in the chart
    assert 'class="country"' in html  # the Natural Earth basemap is drawn


def test_units_percentages_changed_corridors_and_names() -> None:
    import steppe
    from steppe.scenarios import bundled_scenario
    from steppe.scenarios.compare import compare as compare_

    net = steppe.load_network()
    applied = apply_scenario(net, bundled_scenario("oskemen-ridder-tuyekta"))
    c = compare_(net, applied, countries=["KAZ", "MNG"], optimize="time")
    html = comparison_html(c, top=5)
    assert "baseline (hours)" in html and "change %" in html
    assert "mean change of time per pair" in html and " hours</td>" in html
    assert "Corridors whose share changed" in html and "baseline %" in html
    assert "New road link Ridder – Ridder–Altai border post (KZ, planned)" in html
    assert "road-ridder_ru_post-tuyekta" not in html  # names, not link ids
    corridors = html.split("Corridors whose share changed")[1].split("<h2>")[0]
    moved = c.corridors[c.corridors["share_delta"].abs() > 1e-9]
    assert len(moved) > 5  # every corridor that changed, not the top 5
    assert corridors.count("<tr>") - 1 == len(moved)
    for corridor in moved["corridor"]:
        assert escape(corridor) in corridors


def test_shares_in_percent_and_points_as_in_the_app_crossings_by_name() -> None:
    import steppe
    from steppe.scenarios import bundled_scenario
    from steppe.scenarios.compare import compare as compare_

    net = steppe.load_network()
    applied = apply_scenario(net, bundled_scenario("oskemen-ridder-tuyekta"))
    c = compare_(net, applied, countries=["KAZ", "MNG"], optimize="time")
    html = comparison_html(c, top=5)
    borders = html.split("Border crossings whose share changed")[1].split("<h2>")[0]
    moved = c.borders[c.borders["share_delta"].abs() > 1e-9]
    assert borders.count("<tr>") - 1 == len(moved)
    for row in moved.itertuples():
        assert row.border not in borders  # an id such as turksib_kz-lokot
        b = next(x for x in applied.network.borders if x.id == row.border)
        name = b.name or (f"{applied.network.nodes_by_id[b.a].name} – "
                          f"{applied.network.nodes_by_id[b.b].name}")  # fmt: skip
        # the app: 100 x share with one decimal; the change in percentage points, signed
        cells = f'<td>{escape(name)}</td><td class="num">{100 * row.share_base:.1f} %</td>'
        assert cells in borders
        assert f"{100 * row.share_delta:+.1f} pp" in borders
    gains = html.split("Top gains")[1].split("<h2>")[0]
    best = c.winners(5).iloc[0]
    pct = best["time_h_delta"] / best["time_h_base"] * 100
    assert f"{pct:+.1f} %" in gains and f"{best['time_h_base']:,.1f}" in gains
