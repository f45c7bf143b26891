"""Shared fixtures: a small hand-made multimodal network and random networks."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from steppe.network.model import (
    Border,
    Dwell,
    Link,
    LinkStatus,
    Mode,
    Network,
    Node,
    NodeKind,
    Transfer,
)

R, RL, F = Mode.ROAD, Mode.RAIL, Mode.FERRY
SRC = "estimate: hand-made test network"


def _node(
    id_: str,
    country: str,
    lat: float,
    lon: float,
    kind: NodeKind = NodeKind.CITY,
    aliases: tuple[str, ...] = (),
) -> Node:
    return Node(id_, id_.replace("_", " ").title(), lat, lon, country, kind, aliases, source=SRC)


def _both(
    a: str, b: str, mode: Mode, km: float, kmh: float, gauge: int | None = None, **kw: object
) -> Link:
    lid = f"{a}-{b}-{mode.value}"
    return Link(lid, a, b, mode, km, speed_kmh=kmh, gauge_mm=gauge, source=SRC, **kw)  # type: ignore[arg-type]


def corridor_network() -> Network:
    """Xi'an → Tbilisi by a Trans-Caspian (Dostyk, Aktau–Baku ferry) or a Northern route."""
    B = NodeKind.BORDER
    nodes = (
        _node("xian", "CHN", 34.3, 108.9, aliases=("Xi'an",)),
        _node("alashankou", "CHN", 45.2, 82.6, B),
        _node("dostyk", "KAZ", 45.25, 82.5, B, aliases=("Druzhba",)),
        _node("almaty", "KAZ", 43.2, 76.9),
        _node("aktau", "KAZ", 43.65, 51.2, NodeKind.SEA_PORT),
        _node("baku", "AZE", 40.4, 49.9, NodeKind.SEA_PORT),
        _node("tbilisi", "GEO", 41.7, 44.8),
        _node("petropavl", "KAZ", 54.9, 69.1, B),
        _node("kurgan", "RUS", 55.4, 65.3, B),
        _node("moscow", "RUS", 55.75, 37.6),
        _node("ridder", "KAZ", 50.3, 83.5),
    )
    links = (
        _both("xian", "alashankou", RL, 2500, 50, 1435),
        _both("xian", "alashankou", R, 2600, 60),
        _both("alashankou", "dostyk", RL, 12, 20, 1435),
        _both("alashankou", "dostyk", R, 12, 20),
        _both("dostyk", "almaty", RL, 600, 50, 1520),
        _both("dostyk", "almaty", R, 650, 60),
        _both("almaty", "aktau", RL, 3000, 50, 1520),
        _both("almaty", "aktau", R, 3100, 60),
        Link(
            "aktau-baku-ferry",
            "aktau",
            "baku",
            F,
            450,
            duration_h=20,
            headway_h=72,
            cost_usd=1800,
            co2_kg=500,
            source=SRC,
        ),
        _both("baku", "tbilisi", RL, 550, 40, 1520, countries=("AZE", "GEO")),
        _both("baku", "tbilisi", R, 570, 50, countries=("AZE", "GEO")),
        _both("almaty", "petropavl", RL, 1700, 50, 1520),
        _both("almaty", "petropavl", R, 1800, 60),
        _both("petropavl", "kurgan", RL, 270, 40, 1520),
        _both("petropavl", "kurgan", R, 280, 50),
        _both("kurgan", "moscow", RL, 2000, 50, 1520),
        _both("kurgan", "moscow", R, 2100, 60),
        _both("moscow", "tbilisi", R, 2000, 55, countries=("RUS", "GEO")),
        _both("almaty", "ridder", R, 1100, 60, status=LinkStatus.PLANNED),
    )
    borders = (
        Border(
            "alashankou-dostyk",
            "alashankou",
            "dostyk",
            dwell=(
                Dwell(RL, True, 30, 60, 300),
                Dwell(RL, False, 20, 40, 300),
                Dwell(R, True, 10, 50, 120),
                Dwell(R, False, 8, 30, 120),
            ),
            name="Alashankou / Dostyk",
            source=SRC,
        ),
        Border(
            "petropavl-kurgan",
            "petropavl",
            "kurgan",
            dwell=(
                Dwell(RL, True, 6, 12, 50),
                Dwell(RL, False, 6, 12, 50),
                Dwell(R, True, 3, 6, 40),
                Dwell(R, False, 3, 6, 40),
            ),
            name="Petropavl / Kurgan",
            source=SRC,
        ),
        Border(
            "baku-tbilisi",
            "baku",
            "tbilisi",
            dwell=tuple(Dwell(m, fwd, 0, 0) for m in (R, RL) for fwd in (True, False)),
            source=SRC,
        ),
        Border(
            "moscow-tbilisi",
            "moscow",
            "tbilisi",
            dwell=(
                Dwell(R, True, 0, 0),
                Dwell(R, False, 0, 0),
            ),
            source=SRC,
        ),
    )
    transfers = (
        Transfer("dostyk", RL, RL, 6, 330, SRC),
        Transfer("dostyk", RL, R, 4, 200, SRC),
        Transfer("dostyk", R, RL, 4, 200, SRC),
        Transfer("almaty", R, RL, 4, 200, SRC),
        Transfer("almaty", RL, R, 4, 200, SRC),
        Transfer("aktau", RL, F, 8, 250, SRC),
        Transfer("aktau", R, F, 4, 150, SRC),
        Transfer("baku", F, RL, 8, 250, SRC),
        Transfer("baku", F, R, 4, 150, SRC),
        Transfer("moscow", RL, R, 4, 200, SRC),
    )
    return Network(nodes, links, borders, transfers)


@pytest.fixture
def net() -> Network:
    """The hand-made corridor network (a fresh object per test)."""
    return corridor_network()


COUNTRIES = ("KAZ", "MNG", "CHN")


@st.composite
def random_networks(draw: st.DrawFn, max_nodes: int = 9) -> Network:
    """Draw a small random road/rail network with countries, borders and transfers."""
    n = draw(st.integers(3, max_nodes))
    nodes = tuple(
        Node(f"n{i}", f"Node {i}", float(i), float(i), draw(st.sampled_from(COUNTRIES)))
        for i in range(n)
    )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=3 * n
        )
    )
    links = []
    for k, (a, b) in enumerate(pairs):
        if a == b:
            continue
        mode = draw(st.sampled_from((R, RL)))
        km = draw(st.floats(1, 1000))
        kmh = draw(st.floats(10, 100))
        links.append(
            Link(
                f"l{k}",
                f"n{a}",
                f"n{b}",
                mode,
                km,
                speed_kmh=kmh,
                gauge_mm=1520 if mode is RL else None,
            )
        )
    transfers = tuple(
        Transfer(f"n{i}", fm, tm, draw(st.floats(0, 10)), draw(st.floats(0, 300)))
        for i in range(n)
        if draw(st.booleans())
        for fm, tm in ((R, RL), (RL, R))
    )
    return Network(nodes, tuple(links), (), transfers)
