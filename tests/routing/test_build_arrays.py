"""The array build gives the graph of the per-link construction it replaced.

``_build_reference.py`` is the per-link loop as it was before issue 18.  The graphs must
have the same vertices and the same edges with the same values and price bases (the
order of a node's transfer edges followed a set's iteration order, so edges are compared
as sorted rows), and shortest paths on both cost the same.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

from steppe.network import load_network
from steppe.network.model import (
    Border,
    BorderRegime,
    Direction,
    Dwell,
    Link,
    LinkStatus,
    Mode,
    Network,
    Node,
    Transfer,
)
from steppe.routing import Cargo, RouteOptions
from steppe.routing._build import build_graph
from steppe.routing.graph import ExpandedGraph

from ._build_reference import build_graph as reference_build

COLUMNS = ("kind", "move_h", "wait_h", "dwell_h", "transfer_h", "link_cost", "fee_cost",
           "transfer_cost", "co2_kg", "distance_km", "link", "border", "transfer",
           "bilateral")  # fmt: skip
COUNTRIES = ("KAZ", "MNG", "CHN", "RUS")
R, RL, F, S = Mode.ROAD, Mode.RAIL, Mode.FERRY, Mode.SEA


def _rows(g: ExpandedGraph) -> list[tuple[object, ...]]:
    bases = [*g.price_bases, None]
    values = [getattr(g, c).tolist() for c in COLUMNS]
    return sorted(
        (int(g.src[e]), int(g.dst[e]), *(v[e] for v in values),
         bases[int(g.cost_basis[e])], bases[int(g.fee_basis[e])])
        for e in range(len(g.src))
    )  # fmt: skip


def assert_same_graph(new: ExpandedGraph, old: ExpandedGraph) -> None:
    assert new.node_ids == old.node_ids
    assert np.array_equal(new.vertex_node, old.vertex_node)
    assert new.vertex_carrier == old.vertex_carrier
    assert np.array_equal(new.vertex_role, old.vertex_role)
    assert np.array_equal(new.start, old.start)
    assert np.array_equal(new.end, old.end)
    assert new.bilateral_pairs == old.bilateral_pairs
    assert new.price_bases == old.price_bases
    assert _rows(new) == _rows(old)
    for objective in ("time", "cost", "generalized"):
        for pair in range(-1, len(new.bilateral_pairs)):
            a, _ = new.csr(objective, pair)
            b, _ = old.csr(objective, pair)
            sources = new.start[: min(len(new.start), 6)]
            np.testing.assert_array_equal(
                dijkstra(a, indices=sources), dijkstra(b, indices=sources)
            )


@st.composite
def networks(draw: st.DrawFn) -> Network:
    """Random multimodal networks: gauges, ferries and sea, borders of every regime,
    explicit countries, one-way and closed links, parallel links and transfers."""
    n = draw(st.integers(2, 8))
    nodes = tuple(Node(f"n{i}", f"N{i}", float(i), float(-i), draw(st.sampled_from(COUNTRIES)))
                  for i in range(n))  # fmt: skip
    links = []
    for k in range(draw(st.integers(1, 3 * n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        mode = draw(st.sampled_from((R, R, RL, F, S)))
        timed = mode in (F, S) and draw(st.booleans())
        links.append(Link(
            f"l{k}", f"n{a}", f"n{b}", mode, draw(st.floats(1, 3000)),
            speed_kmh=None if timed else draw(st.sampled_from([None, 30.0, 55.5])),
            duration_h=draw(st.floats(1, 90)) if timed else None,
            gauge_mm=draw(st.sampled_from((1520, 1435))) if mode is RL else None,
            status=draw(st.sampled_from((LinkStatus.OPEN, LinkStatus.OPEN, LinkStatus.CLOSED))),
            direction=draw(st.sampled_from((Direction.BOTH, Direction.BOTH, Direction.FORWARD))),
            headway_h=draw(st.sampled_from((None, 0.0, 48.0))) if mode in (F, S) else None,
            cost_usd=draw(st.sampled_from((None, 900.0))),
            co2_kg=draw(st.sampled_from((None, 120.0))),
            countries=draw(st.sampled_from(((), ("KAZ", "RUS"), ("CHN",)))),
        ))  # fmt: skip
    borders = []
    for i in range(n - 1):
        if draw(st.booleans()):
            crossing = draw(st.sets(st.sampled_from((R, RL))))
            dwell = tuple(Dwell(m, fwd, draw(st.floats(0, 40)), 50.0, draw(st.floats(0, 300)))
                          for m in crossing for fwd in (True, False))  # fmt: skip
            regime = draw(st.sampled_from(tuple(BorderRegime)))
            borders.append(Border(f"b{i}", f"n{i}", f"n{i + 1}", regime, dwell))
    transfers = tuple(
        Transfer(f"n{i}", fm, tm, draw(st.floats(0, 10)), draw(st.floats(0, 300)))
        for i in range(n) if draw(st.booleans())
        for fm, tm in ((R, RL), (RL, R), (RL, RL), (RL, F), (F, R), (S, R))
    )  # fmt: skip
    return Network(nodes, tuple(links), tuple(borders), transfers)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    net=networks(),
    avoid=st.sets(st.sampled_from(COUNTRIES), max_size=1),
    modes=st.sets(st.sampled_from(tuple(Mode)), min_size=1),
    tonnes=st.sampled_from((20.0, 7.5)),
)
def test_array_build_equals_per_link_build(
    net: Network, avoid: set[str], modes: set[Mode], tonnes: float
) -> None:
    options = RouteOptions(avoid=sorted(avoid), modes=sorted(m.value for m in modes),
                           cargo=Cargo(tonnes=tonnes))  # fmt: skip
    assert_same_graph(build_graph(net, options), reference_build(net, options))


@pytest.mark.parametrize(
    "options",
    [RouteOptions(), RouteOptions(avoid=["RUS"]), RouteOptions(modes=["road"]),
     RouteOptions(cargo=Cargo(tonnes=10, unit="tonnes"), service="wagon"),
     RouteOptions(price_date="2022-06")],
    ids=["default", "avoid-rus", "road", "tonnes-wagon", "2022-06"],
)  # fmt: skip
def test_array_build_equals_per_link_build_on_embedded_network(options: RouteOptions) -> None:
    net = load_network()
    assert_same_graph(build_graph(net, options), reference_build(net, options))
    closed = frozenset({"RUS"})
    assert_same_graph(build_graph(net, options, closed), reference_build(net, options, closed))
