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


def test_five_bundled() -> None:
    assert len(bundled_scenarios()) == 5


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
    # the new road: Oskemen to the Mongolian border post 837 km (Kazakh Ministry of Transport)
    net = load_scenarios(["oskemen-ridder-tuyekta"], eurasia).network
    best = route(net, "oskemen", "tashanta", modes="road", optimize="distance").routes[0]
    assert best.distance_km == pytest.approx(837, abs=3)


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
