"""Edge prices from dated tariffs, the per-km fallback and the rules between them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from steppe.errors import ConfigError
from steppe.network import load_network
from steppe.network.model import Mode, Network
from steppe.routing import Cargo, CostModel, RouteOptions
from steppe.routing._assemble import assemble_route
from steppe.routing._build import build_graph
from steppe.routing.options import Objective
from steppe.routing.prices import EdgePricer, PriceQuery, resolve_price_date
from steppe.routing.result import Route

ALL = frozenset(Mode)


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return load_network()


def path_edges(graph, csr, predecessors, source: int, target: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Return the edges of the shortest path to ``target`` (a test helper)."""
    edges: list[int] = []
    v = target
    while v != source:
        u = int(predecessors[v])
        assert u >= 0, "target not reachable"
        edges.append(graph.edge_between(csr, u, v))
        v = u
    return edges[::-1]


def _cheapest(
    net: Network, a: str, b: str, *, modes: frozenset[Mode] = ALL, month: str | None = None,
    service: str | None = None, cm: CostModel | None = None,
) -> Route:  # fmt: skip
    opts = RouteOptions(modes=modes, cost_model=cm, price_date=month, service=service)
    g = build_graph(net, opts)
    csr = g.csr(Objective.COST)
    ia, ib = g.node_ids.index(a), g.node_ids.index(b)
    _, pred = dijkstra(csr[0], indices=int(g.start[ia]), return_predecessors=True)
    return assemble_route(g, path_edges(g, csr, pred, int(g.start[ia]), int(g.end[ib])))


def _legs(r: Route, kind: str) -> list[tuple[str, str, float, str]]:
    return [(leg.from_id, leg.to_id, leg.cost_usd, leg.price_ref) for leg in r.legs
            if leg.kind == kind]  # fmt: skip


def test_the_price_date_picks_that_months_rows(eurasia: Network) -> None:
    july = _cheapest(eurasia, "xian", "duisburg", modes=frozenset({Mode.RAIL}), month="2024-07")
    refs = {leg.price_ref for leg in july.legs if leg.kind == "link"}
    assert "erai-dostyk-2024-07" in refs
    transit = [leg for leg in july.legs if leg.price_ref == "erai-dostyk-2024-07"]
    assert sum(leg.cost_usd for leg in transit) == pytest.approx(3289)  # the whole section
    assert all("index1520.com" in leg.price_source for leg in transit)
    older = _cheapest(eurasia, "xian", "duisburg", modes=frozenset({Mode.RAIL}), month="2018-09")
    section = [leg for leg in older.legs if leg.price_ref == "erai-dostyk-2018-09"]
    assert sum(leg.cost_usd for leg in section) == pytest.approx(2783)


def test_sea_price_and_lane_follow_the_date(eurasia: Network) -> None:
    sea = frozenset({Mode.SEA})
    before = _cheapest(eurasia, "shanghai", "rotterdam", modes=sea, month="2023-09")
    after = _cheapest(eurasia, "shanghai", "rotterdam", modes=sea, month="2024-01")
    assert _legs(before, "link") == [("shanghai", "rotterdam", 1299.0,
                                      "wci-shanghai-rotterdam-suez-2023-09")]  # fmt: skip
    assert _legs(after, "link") == [("shanghai", "rotterdam", 4406.0,
                                     "wci-shanghai-rotterdam-cape-2024-01")]  # fmt: skip
    assert after.link_ids == ("sea-shanghai-rotterdam-cape",)  # Red Sea crisis: round Africa
    assert before.link_ids == ("sea-shanghai-rotterdam-suez",)
    assert after.time_h > before.time_h


def test_a_month_without_a_published_point_falls_back_and_says_so(eurasia: Network) -> None:
    r = _cheapest(eurasia, "shanghai", "rotterdam", modes=frozenset({Mode.SEA}), month="2024-07")
    (leg,) = [leg for leg in r.legs if leg.kind == "link"]
    assert leg.price_ref == "fallback:link-cost" and leg.cost_usd == 4000.0
    assert leg.price_source.startswith("links.csv cost_usd of sea-shanghai-rotterdam-cape")


def test_amounts_in_other_currencies_use_the_months_rate(eurasia: Network) -> None:
    pricer = EdgePricer(eurasia, CostModel(), Cargo(), PriceQuery("2022-01"))
    k = next(i for i, lk in enumerate(eurasia.links)
             if {lk.a, lk.b} == {"zamyn_uud", "erenhot"} and lk.mode is Mode.ROAD)  # fmt: skip
    usd, basis = pricer.link(k, forward=True)
    mnt, cny = (eurasia.prices.usd_per_unit(c, "2022-01") for c in ("MNT", "CNY"))
    assert mnt is not None and cny is not None
    assert usd == pytest.approx(2_065_000 * mnt + 440 * cny)
    assert 700 < usd < 900  # the order of the ~1,000 USD carriers quote, not 56 USD
    assert pricer.bases[basis].ref == "erenhot-shuttle-haul-2022-01+erenhot-shuttle-zone-2022-01"
    border = next(b for b in eurasia.borders if b.id == "zamyn_uud-erenhot")
    fee, fee_basis = pricer.fee(border, eurasia.links[k], 22.0)
    assert fee == 0 and pricer.bases[fee_basis].ref == "included:border-tariff"


def test_no_border_or_gauge_fee_on_top_of_cpmm_per_km_rates(small_network: Network) -> None:
    """MNG's CPMM rate contains border costs: the Zamyn-Uud crossing adds no fee."""
    rail = frozenset({Mode.RAIL})
    r = _cheapest(small_network, "ulaanbaatar", "beijing", modes=rail)
    assert [(leg.cost_usd, leg.price_ref) for leg in r.legs if leg.kind != "link"] == [
        (0.0, "included:cpmm-per-km"),  # border fee, 120 USD in borders.csv
        (0.0, "included:cpmm-per-km"),  # gauge change at Erenhot, 300 USD in transfers.csv
    ]
    assert r.cost_usd == pytest.approx(sum(leg.cost_usd for leg in r.legs if leg.kind == "link"))
    charged = _cheapest(small_network, "ulaanbaatar", "beijing", modes=rail,
                        cm=CostModel(border_costs_in_rates=()))  # fmt: skip
    assert charged.cost_usd == pytest.approx(r.cost_usd + 120 + 300)


def test_a_through_rate_from_the_post_keeps_the_crossing_fee(eurasia: Network) -> None:
    """ERAI starts at Dostyk, so Alashankou/Dostyk's fee is not inside a CPMM rate."""
    r = _cheapest(eurasia, "xian", "duisburg", modes=frozenset({Mode.RAIL}), month="2024-07")
    assert ("alashankou", "dostyk", 297.0, "fallback:border-fee") in _legs(r, "border")


def test_cargo_and_service_change_the_price(eurasia: Network) -> None:
    wagon = _cheapest(eurasia, "xian", "duisburg", modes=frozenset({Mode.RAIL}),
                      month="2024-07", service="wagon")  # fmt: skip
    assert not any(leg.price_ref.startswith("erai") for leg in wagon.legs)  # a block-train index
    g = build_graph(eurasia, RouteOptions(cargo=Cargo("tonnes", 8.0)))
    assert (g.price_month, g.service) == ("2024-11", "wagon")
    g = build_graph(eurasia, RouteOptions())
    assert (g.price_month, g.service) == ("2024-11", "block")


def test_teu_and_tonne_cargo_scale_an_feu_tariff(eurasia: Network) -> None:
    feu = EdgePricer(eurasia, CostModel(), Cargo(), PriceQuery("2024-07"))
    teu = EdgePricer(eurasia, CostModel(), Cargo("teu", 10.0), PriceQuery("2024-07"))
    k = next(i for i, lk in enumerate(eurasia.links) if lk.id == "sea-shanghai-rotterdam-cape")
    assert teu.link(k, True)[0] == pytest.approx(feu.link(k, True)[0] / 2)


def test_dates_outside_the_data_and_unknown_services_are_refused(
    eurasia: Network, small_network: Network
) -> None:
    with pytest.raises(ConfigError, match=r"outside the months the tariffs cover \(2017-06 to "
                       r"2024-12\)"):  # fmt: skip
        resolve_price_date(eurasia.prices, "2030-01")
    with pytest.raises(ConfigError, match="not a month; use YYYY-MM"):
        resolve_price_date(eurasia.prices, "July 2024")
    with pytest.raises(ConfigError, match="has no dated tariffs"):
        resolve_price_date(small_network.prices, "2024-07")
    with pytest.raises(ConfigError, match="unknown service 'balloon'; use one of block, wagon"):
        EdgePricer(eurasia, CostModel(), Cargo(), PriceQuery(service="balloon"))


def test_every_priced_edge_names_its_basis(eurasia: Network) -> None:
    g = build_graph(eurasia, RouteOptions(price_date="2024-01"))
    money = (g.link_cost + g.transfer_cost) > 0
    assert np.all(g.cost_basis[money] >= 0)
    assert np.all(g.fee_basis[g.fee_cost > 0] >= 0)
    assert all(b.source for b in g.price_bases)


def test_route_json_prices_each_leg_from_a_named_dated_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The issue's check: ``steppe route Xi'an Duisburg --modes rail --price-date 2024-07``."""
    from steppe.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["route", "Xi'an", "Duisburg", "--modes", "rail", "--price-date", "2024-07", "--json"])
    assert exc.value.code == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["price_date"], data["service"]) == ("2024-07", "block")
    legs = [leg for leg in data["routes"][0]["legs"] if leg["cost_usd"] > 0]
    assert legs and all(leg["price_ref"] and leg["price_source"] for leg in legs)
    erai = [leg for leg in legs if leg["price_ref"] == "erai-dostyk-2024-07"]
    assert sum(leg["cost_usd"] for leg in erai) == pytest.approx(3289, abs=0.1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--price-date", "2030-01"], "price_date: 2030-01 is outside the months the tariffs "
                                      "cover (2017-06 to 2024-12)"),
        (["--price-date", "July"], "price_date: 'July' is not a month; use YYYY-MM"),
        (["--service", "balloon"], "service: unknown service 'balloon'"),
    ],
)  # fmt: skip
def test_cli_refuses_bad_prices_in_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from steppe.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["route", "Almaty", "Baku", *args])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_every_entry_point_takes_the_price_date(eurasia: Network) -> None:
    import steppe
    from steppe.routing import matrix, pareto, reliability, route

    opts = RouteOptions(modes="sea", price_date="2023-09")

    def sea(r: Route) -> float:  # the sea legs; the landing adds port customs (issue 15)
        return sum(leg.cost_usd for leg in r.legs if leg.kind == "link")

    r = route(eurasia, "Shanghai", "Rotterdam", opts)
    assert r.price_date == "2023-09" and sea(r.best) == 1299
    later = route(eurasia, "Shanghai", "Rotterdam", opts.replace(price_date="2024-01"))
    assert sea(later.best) == 4406  # two dates, two sea prices
    assert pareto(eurasia, "Shanghai", "Rotterdam", opts).price_date == "2023-09"
    m = matrix(eurasia, ["Shanghai"], ["Rotterdam"], opts)
    assert m.price_date == "2023-09"
    assert m.table["cost_usd"].iloc[0] == pytest.approx(r.best.cost_usd)
    assert reliability(eurasia, r.best, opts, draws=10).median_h > 0
    out = steppe.load_scenarios(["zamiin-uud-2021"], eurasia)
    c = steppe.compare(eurasia, out, pairs=[("ulaanbaatar", "erenhot")], price_date="2022-01")
    assert c.to_dict()["price_date"] == "2022-01"
    with pytest.raises(ConfigError, match="outside the months"):
        matrix(eurasia, ["Shanghai"], ["Rotterdam"], opts.replace(price_date="2031-01"))


def test_route_options_normalise_and_key_the_graph(eurasia: Network) -> None:
    import datetime as dt

    assert RouteOptions(price_date=dt.date(2024, 7, 15)).price_date == "2024-07"
    assert RouteOptions(service=" Block ").service == "block"
    a, b = RouteOptions(price_date="2024-07"), RouteOptions(price_date="2024-01")
    assert a.graph_key() != b.graph_key()
    with pytest.raises(ConfigError, match=r"^service: unknown service"):
        RouteOptions(service="truckload")


def test_a_section_tariff_includes_the_borders_and_handling_inside_it(eurasia: Network) -> None:
    """interrail.ru's April 2020 sheet: Tashkent - Aktau ferry - Alat - Derince, 4,284.32 USD."""
    opts = RouteOptions(modes="rail,ferry", via=("aktau",), price_date="2020-04")
    from steppe.routing import route

    r = route(eurasia, "tashkent", "izmit", opts).best
    assert r.cost_usd == pytest.approx(4284.32, abs=0.01)
    inside = [leg for leg in r.legs if leg.kind in ("border", "transfer")]
    assert inside and all(leg.price_ref == "included:section-tariff" for leg in inside)
