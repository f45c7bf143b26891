"""The corridors of issue 3 are connected, checked with networkx independently of the router."""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd
import pytest


def _graph(
    nodes: pd.DataFrame, links: pd.DataFrame, modes: set[str], avoid: set[str] = frozenset()
) -> nx.Graph:
    country = nodes.set_index("id").country
    g = nx.Graph()
    usable = links[links["mode"].isin(modes) & links.status.isin(["open", "under_repair"])]
    for r in usable.itertuples():
        if {country[r.a], country[r.b]} & avoid:
            continue
        g.add_edge(r.a, r.b, weight=float(r.length_km), mode=r.mode, id=r.id)
    return g


def test_road_only_connects_oskemen_to_ulaanbaatar_through_the_altai(
    nodes: pd.DataFrame, links: pd.DataFrame
) -> None:
    g = _graph(nodes, links, {"road"}, avoid={"CHN"})
    path = nx.shortest_path(g, "oskemen", "ulaanbaatar", weight="weight")
    assert {"kosh_agach", "tashanta", "tsagaannuur", "olgii", "khovd"} <= set(path)
    km = nx.shortest_path_length(g, "oskemen", "ulaanbaatar", weight="weight")
    assert 2200 < km < 3300  # Oskemen-Barnaul-Chuya-Ölgii-Khovd-UB is about 2,600-2,800 km


def test_rail_only_connects_xian_to_duisburg_through_russia(
    nodes: pd.DataFrame, links: pd.DataFrame
) -> None:
    g = _graph(nodes, links, {"rail"})
    path = nx.shortest_path(g, "xian", "duisburg", weight="weight")
    assert "moscow" in path or "omsk" in path
    assert {"brest", "malaszewicze"} <= set(path)


def test_rail_and_ferry_connect_xian_to_duisburg_through_the_caspian(
    nodes: pd.DataFrame, links: pd.DataFrame
) -> None:
    g = _graph(nodes, links, {"rail", "ferry"}, avoid={"RUS", "BLR"})
    path = nx.shortest_path(g, "xian", "duisburg", weight="weight")
    modes = {g.edges[u, v]["mode"] for u, v in itertools.pairwise(path)}
    assert "ferry" in modes
    assert {"tbilisi"} <= set(path) or {"constanta"} <= set(path)
    with pytest.raises(nx.NetworkXNoPath):
        nx.shortest_path(_graph(nodes, links, {"rail"}, avoid={"RUS", "BLR"}), "xian", "duisburg")


def test_sea_connects_tianjin_to_rotterdam_hamburg_and_constanta(
    nodes: pd.DataFrame, links: pd.DataFrame
) -> None:
    g = _graph(nodes, links, {"sea"})
    for port in ("rotterdam", "hamburg", "constanta"):
        assert g.has_edge("tianjin", port)
        assert g.has_edge("shanghai", port)
