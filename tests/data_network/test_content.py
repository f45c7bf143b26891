"""Content checks of the embedded Eurasian network: places, sources, gauges, ports, lengths."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import Point, shape

import steppe.network.io as nio
from steppe.network.lookup import find_place

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "src" / "steppe" / "data" / "network" / "eurasia"

NAMED_PLACES = [
    "Oskemen", "Ust-Kamenogorsk", "Shemonaikha", "Rubtsovsk", "Barnaul", "Biysk",
    "Gorno-Altaysk", "Onguday", "Tuyekta", "Kosh-Agach", "Tashanta", "Tsagaannuur", "Ölgii",
    "Olgiy", "Ulgii", "Khovd", "Ulaanbaatar", "Ridder", "Semey", "Pavlodar", "Astana", "Almaty",
    "Beijing", "Tianjin", "Erenhot", "Zamyn-Uud", "Zamiin-Uud", "Sükhbaatar", "Sukhbaatar",
    "Naushki", "Ulan-Ude", "Irkutsk", "Novosibirsk", "Moscow", "Brest", "Małaszewicze",
    "Malaszewicze", "Warsaw", "Duisburg", "Hamburg", "Rotterdam", "Dostyk", "Druzhba",
    "Petropavl", "Xi'an", "Xian", "Lanzhou", "Chongqing", "Urumqi", "Alashankou", "Khorgos, KAZ",
    "Horgos, CHN", "Altynkol", "Shu", "Aktau", "Kuryk", "Alat", "Baku", "Türkmenbaşy",
    "Turkmenbashi", "Tbilisi", "Poti", "Batumi", "Constanța", "Kars", "Istanbul", "Budapest",
    "Shanghai", "Gashuunsukhait", "Ganqimaodu", "Shiveekhüren", "Ceke", "Yarant", "Takeshiken",
    "Nur Zholy", "Akhalkalaki", "Bucharest", "Sofia",
]  # fmt: skip


@pytest.fixture(scope="module")
def network():  # type: ignore[no-untyped-def]
    return nio.read_network(FOLDER)


def test_folder_validates_without_errors() -> None:
    problems = nio.check_folder(FOLDER)
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_size_and_modes(network) -> None:  # type: ignore[no-untyped-def]
    assert len(network.nodes) >= 200
    assert {str(lk.mode) for lk in network.links} == {"road", "rail", "ferry", "sea"}


@pytest.mark.parametrize("name", NAMED_PLACES)
def test_named_place_resolves(network, name: str) -> None:  # type: ignore[no-untyped-def]
    assert find_place(network, name).id


def test_aliases_find_the_same_node(network) -> None:  # type: ignore[no-untyped-def]
    assert find_place(network, "Ust-Kamenogorsk").id == "oskemen"
    assert find_place(network, "Zamiin-Uud").id == "zamyn_uud"
    assert find_place(network, "Druzhba").id == "dostyk"
    assert find_place(network, "Turkmenbashi").id == "turkmenbashi"


@pytest.mark.parametrize("table", ["nodes", "links", "borders", "transfers"])
def test_every_row_has_a_source(table: str, request: pytest.FixtureRequest) -> None:
    df = request.getfixturevalue(table)
    assert (df.source.str.strip() != "").all()


def test_hand_coordinates_are_marked(nodes: pd.DataFrame) -> None:
    unsourced = nodes[(nodes.geonameid == "") & (nodes.unlocode == "")]
    bad = unsourced[~unsourced.source.str.match(r"^(hand: |estimate: |coordinates: )")]
    assert bad.empty, list(bad.id)


def test_no_node_claims_coordinates_read_from_openstreetmap(nodes: pd.DataFrame) -> None:
    # coordinates typed from memory must say so; OSM-derived ones name the graph and method
    bad = nodes[nodes.source.str.contains("read by hand|from OpenStreetMap", case=False)]
    assert bad.empty, list(bad.id)


def test_graph_estimates_name_the_graph_and_the_boundary(nodes: pd.DataFrame) -> None:
    est = nodes[nodes.source.str.startswith("estimate:")]
    assert len(est) > 0
    named = est.source.str.contains("OSM-derived (?:road|rail) graph", regex=True)
    named &= est.source.str.contains("Natural Earth 10m")
    assert named.all(), list(est[~named].id)


def test_nodes_lie_in_their_country(nodes: pd.DataFrame) -> None:
    geo = json.loads((ROOT / "src/steppe/data/basemap/countries.geojson").read_text("utf-8"))
    polys: dict[str, list] = {}
    for f in geo["features"]:
        polys.setdefault(f["properties"]["adm0_a3"], []).append(shape(f["geometry"]))
    far = []
    for r in nodes.itertuples():
        if r.country not in polys or not (28 <= float(r.lat) <= 62 and 0 <= float(r.lon) <= 125):
            # the basemap covers lon 0..125, lat 28..62: since issue 15 the sea ports of
            # Korea, Japan, South China, Singapore, India and the Gulf lie outside it
            continue
        pt = Point(float(r.lon), float(r.lat))
        d = min(p.distance(pt) for p in polys[r.country])
        # the 1:50m polygons are coarse: allow ~10 km at border posts and ports, ~5 km elsewhere
        tol = 0.1 if r.kind in ("border_crossing", "sea_port", "gauge_change") else 0.05
        if d > tol:
            far.append((r.id, r.country, round(d, 3)))
    assert far == []


def _gc(nodes: pd.DataFrame, a: str, b: str) -> float:
    xy = nodes.set_index("id")
    la1, lo1, la2, lo2 = (float(v) for v in (xy.lat[a], xy.lon[a], xy.lat[b], xy.lon[b]))
    p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_no_link_much_longer_than_its_straight_line_without_saying_why(
    nodes: pd.DataFrame, links: pd.DataFrame
) -> None:
    bad = []
    for r in links.itertuples():
        gc = _gc(nodes, r.a, r.b)
        ratio = float(r.length_km) / gc
        assert ratio >= 0.99, (r.id, ratio)
        # a long detour must be explained: a published distance or an estimate naming the route
        says_why = not r.length_source.startswith(("osm", "estimate: great-circle"))
        if gc > 25 and ratio > 1.8 and not says_why:
            bad.append((r.id, round(ratio, 2)))
    assert bad == []


def test_length_source_says_how(links: pd.DataFrame) -> None:
    ok = links.length_source.str.match(r"^(osm|published: |estimate: |searoute: )")
    assert ok.all(), list(links[~ok].id)


GAUGE_1520 = {"KAZ", "RUS", "MNG", "BLR", "GEO", "AZE", "TKM", "UZB", "KGZ"}
GAUGE_1435 = {"CHN", "POL", "DEU", "NLD", "CZE", "AUT", "SVK", "HUN", "ROU", "BGR", "TUR", "BEL"}


def test_gauges_follow_the_countries(nodes: pd.DataFrame, links: pd.DataFrame) -> None:
    country = nodes.set_index("id").country
    kind = nodes.set_index("id").kind
    assert (links[links["mode"] != "rail"].gauge_mm == "").all()
    wrong = []
    for r in links[links["mode"] == "rail"].itertuples():
        ends = {country[r.a], country[r.b]}
        home = GAUGE_1520 if r.gauge_mm == "1520" else GAUGE_1435
        # the real exceptions: dual-gauge track into the gauge-change station across the border
        # (Erenhot, Zamyn-Uud, Alashankou, Dostyk, Khorgos, Altynkol, Brest, Małaszewicze)
        # and the BTK 1435 mm track from Akhalkalaki (GEO) to Kars
        exception = "gauge_change" in (kind[r.a], kind[r.b]) or r.id.startswith(
            ("rail-akhalkalaki-", "rail-kartsakhi-", "rail-gashuunsukhait-ganqimaodu")
        )
        if not ends <= home and not exception:
            wrong.append(r.id)
    assert wrong == []


def test_gauge_breaks_have_gauge_change_transfers(
    nodes: pd.DataFrame, links: pd.DataFrame, transfers: pd.DataFrame
) -> None:
    rail = links[links["mode"] == "rail"]
    gauges: dict[str, set[str]] = {}
    for r in rail.itertuples():
        for n in (r.a, r.b):
            gauges.setdefault(n, set()).add(r.gauge_mm)
    breaks = {n for n, g in gauges.items() if len(g) > 1}
    rr = set(transfers[(transfers.from_mode == "rail") & (transfers.to_mode == "rail")].node)
    assert breaks <= rr
    assert set(nodes[nodes.kind == "gauge_change"].id) <= rr
    assert {"zamyn_uud", "erenhot", "dostyk", "alashankou", "altynkol", "khorgos_cn", "brest",
            "malaszewicze", "akhalkalaki"} <= breaks  # fmt: skip


def test_ferries_and_sea_legs_only_between_ports(nodes: pd.DataFrame, links: pd.DataFrame) -> None:
    kind = nodes.set_index("id").kind
    water = links[links["mode"].isin(["ferry", "sea"])]
    assert not water.empty
    assert all(
        kind[a] == "sea_port" and kind[b] == "sea_port"
        for a, b in zip(water.a, water.b, strict=True)
    )
    assert (water.duration_h != "").all() and (water.headway_h != "").all()


def test_ports_have_transfers_for_every_mode_change(
    nodes: pd.DataFrame, links: pd.DataFrame, transfers: pd.DataFrame
) -> None:
    have = set(zip(transfers.node, transfers.from_mode, transfers.to_mode, strict=True))
    missing = []
    for port in nodes[nodes.kind == "sea_port"].id:
        at = links[(links.a == port) | (links.b == port)]
        modes = set(at["mode"])
        assert modes & {"ferry", "sea"}, port
        for w in modes & {"ferry", "sea"}:
            for land in modes & {"road", "rail"}:
                for pair in ((land, w), (w, land)):
                    if (port, *pair) not in have:
                        missing.append((port, *pair))
    assert missing == []


def test_altai_baseline_has_no_ridder_to_altai_road(links: pd.DataFrame) -> None:
    at_ridder = links[(links.a == "ridder") | (links.b == "ridder")]
    assert list(at_ridder.id) == ["road-oskemen-ridder"]
    chuya = {"road-maima-tuyekta", "road-tuyekta-onguday", "road-kosh_agach-tashanta"}
    assert chuya <= set(links.id)


def test_border_rows_join_linked_nodes_in_two_countries(
    nodes: pd.DataFrame, links: pd.DataFrame, borders: pd.DataFrame
) -> None:
    country = nodes.set_index("id").country
    pairs = {frozenset(p) for p in zip(links.a, links.b, strict=True)}
    for r in borders.itertuples():
        assert country[r.a] != country[r.b], r.id
        assert frozenset((r.a, r.b)) in pairs, r.id
