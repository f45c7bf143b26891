"""Each bundled scenario validates, cites sources and changes what it says it changes."""

from __future__ import annotations

import pytest

from steppe.network import Network, load_network
from steppe.routing import route
from steppe.scenarios import bundled_scenarios, load_scenarios, scenario_names
from steppe.scenarios.compare import compare


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return load_network()


@pytest.mark.parametrize("name", scenario_names())
def test_applies_and_cites(eurasia: Network, name: str) -> None:
    out = load_scenarios([name], eurasia)
    assert out.changes
    (scenario,) = out.scenarios
    assert scenario.spec.sources
    assert all(e.source for e in scenario.spec.edits), "every edit carries its source"


def test_bundled_count() -> None:
    # 5 before issue 15, which added six planned corridors and five generated passage
    # scenarios (passage-*.toml, written by scripts/build_network.py build)
    assert len(bundled_scenarios()) == 16


def test_zamiin_uud_2021_matches_cpmm(eurasia: Network) -> None:
    # CP07: 6.29 h in 2021 vs 1.99 h in 2023, once per road crossing
    pairs = [("ulaanbaatar", "beijing"), ("beijing", "ulaanbaatar")]
    out = load_scenarios(["zamiin-uud-2021"], eurasia)
    c = compare(eurasia, out, optimize="time", modes="road", pairs=pairs)
    assert c.pairs["time_h_delta"].tolist() == pytest.approx([6.29 - 1.99] * 2)


def test_oskemen_ridder_tuyekta(eurasia: Network) -> None:
    pairs = [("oskemen", "olgii"), ("olgii", "oskemen")]
    kw = {"optimize": "time", "modes": "road", "pairs": pairs}
    rep = compare(eurasia, load_scenarios(["oskemen-ridder-tuyekta"], eurasia), **kw)  # type: ignore[arg-type]
    done = compare(eurasia, load_scenarios(["oskemen-ridder-tuyekta-repaired"], eurasia), **kw)  # type: ignore[arg-type]
    assert (rep.pairs["time_h_delta"] < 0).all()
    assert (rep.pairs["distance_km_delta"] < 0).all()
    assert (done.pairs["time_h_scen"] < rep.pairs["time_h_scen"]).all()
    assert "ridder_kz_post-ridder_ru_post" in set(rep.borders["border"])
    # The Russian section used to be back-solved from the Ministry's 837 km Oskemen -
    # Mongolian border total, and this test checked 837 +- 3 km. Since issue 15 that link
    # is an independent great-circle estimate (no OSM road, no published alignment) and
    # 837 km is a calibration check observation, so the test checks only that the new road
    # is the shortest way and far shorter than the 1,604 km route via Barnaul.
    net = load_scenarios(["oskemen-ridder-tuyekta"], eurasia).network
    best = route(net, "oskemen", "tashanta", modes="road", optimize="distance").routes[0]
    assert "ridder" in best.nodes
    assert best.distance_km < 1000


def test_russia_transit_closed(eurasia: Network) -> None:
    out = load_scenarios(["russia-transit-closed"], eurasia)
    c = compare(eurasia, out, countries=["KAZ", "MNG", "CHN", "POL", "DEU", "AZE"])
    assert c.summary()["faster_or_cheaper"] == 0
    assert c.summary()["slower_or_dearer"] > 0
    changed = c.changed.iloc[0]
    r = route(out.network, changed["origin"], changed["destination"], cost_model=out.cost_model)
    assert "RUS" not in r.routes[0].countries


def test_titr_2030(eurasia: Network) -> None:
    c = compare(eurasia, load_scenarios(["titr-2030"], eurasia), optimize="time",
                pairs=[("almaty", "baku"), ("baku", "almaty")])  # fmt: skip
    assert (c.pairs["time_h_delta"] < 0).all()
    assert c.summary()["slower_or_dearer"] == 0
