"""Sea links between every two ports of ``network-src/sea_mesh.csv``, and passage scenarios.

Used by ``scripts/build_network.py`` only.  The ``sea`` step computes, for every pair of
mesh ports that has no curated sea link, the shortest lane on searoute's maritime
network (``_sea_lanes.lane_for``, the same lane and land check as the curated links).  A
lane through the Suez Canal becomes two links, ``...-suez`` and a ``...-cape`` variant
that avoids Suez, Bab-el-Mandeb and Panama, as the curated Asia-Europe legs are.  The
lanes are cached in ``network-src/enrichment/sea_mesh.csv`` with the passages each one
traverses, so ``build`` needs no searoute.

``build`` turns the cache into ``sea`` links (length from searoute, duration at the
effective speed of the curated Shanghai-Rotterdam Cape service, weekly headway, price
from the router's per-km sea rate) and writes one bundled scenario per passage
(``passage-*.toml``) that closes, or for Suez reopens, every sea and ferry link whose lane
traverses it.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from typing import Any

import pandas as pd

__all__ = [
    "EFFECTIVE_KMH",
    "EU_CUSTOMS",
    "PASSAGES",
    "mesh_lanes",
    "mesh_links",
    "passage_scenarios",
    "port_borders",
]

log = logging.getLogger("build_network.mesh")

# 25,558 km (13,800 nm, PortEconomics) in 46.5 days (geesecargo.com 2025): the curated
# Shanghai-Rotterdam Cape service, port calls included.
EFFECTIVE_KMH = 25558.0 / (46.5 * 24.0)
HEADWAY_H = 168.0
# searoute passage name -> (scenario name, title, status the scenario sets, why)
PASSAGES: dict[str, tuple[str, str, str, str]] = {
    "suez": (
        "passage-suez-reopened",
        "Suez Canal and Red Sea reopened to container shipping",
        "open",
        "The baseline keeps every lane through Suez closed (Red Sea diversions since "
        "December 2023, PortEconomics, The Red Sea crisis and shipping routes); this "
        "scenario opens them again.",
    ),
    "bosporus": (
        "passage-bosporus-closed",
        "Bosporus and Dardanelles closed",
        "closed",
        "Every sea and ferry lane between the Black Sea and the Mediterranean is closed "
        "(a policy or conflict assumption, not a forecast).",
    ),
    "malacca": (
        "passage-malacca-closed",
        "Strait of Malacca closed",
        "closed",
        "Every sea lane through the Strait of Malacca is closed; lanes round Sunda or "
        "Lombok are not in the network (an assumption, not a forecast).",
    ),
    "ormuz": (
        "passage-hormuz-closed",
        "Strait of Hormuz closed",
        "closed",
        "Every sea lane into or out of the Persian Gulf is closed (an assumption, not a forecast).",
    ),
    "south_africa": (
        "passage-cape-closed",
        "Cape of Good Hope route closed",
        "closed",
        "Every lane round the Cape of Good Hope is closed, so with the baseline's closed "
        "Suez lanes Asia-Europe sea freight is impossible (a stress test).",
    ),
}


def mesh_lanes(ports: list[str], skip: set[frozenset[str]], coords: pd.DataFrame, land: Any) -> Any:
    """Return the ``sea_mesh.csv`` cache rows: one or two lanes per pair of mesh ports.

    Examples
    --------
    >>> mesh_lanes(["poti", "rotterdam"], set(), coords, land)  # doctest: +SKIP
    """
    from _sea_lanes import _marnet, lane_for

    xy = coords.set_index("id")[["lat", "lon"]].astype(float)
    marnet = _marnet()
    rows = []
    failed = []
    for a, b in itertools.combinations(sorted(ports), 2):
        if frozenset((a, b)) in skip:
            continue
        pa, pb = (float(xy.lat[a]), float(xy.lon[a])), (float(xy.lat[b]), float(xy.lon[b]))
        base = f"sea-{a}-{b}"
        try:
            lane = lane_for(base, (a, b), pa, pb, land, marnet)
            lanes = [lane]
            if "suez" in lane.passages:
                lanes = [
                    dataclasses.replace(lane, link=f"{base}-suez"),
                    lane_for(f"{base}-cape", (a, b), pa, pb, land, marnet),
                ]
        except ValueError as e:
            failed.append(str(e))
            continue
        for ln in lanes:
            log.info("%s: %.0f km, passages %s", ln.link, ln.searoute_km, ",".join(ln.passages))
            rows.append({"a": a, "b": b, **ln.row()})
    if failed:
        raise ValueError("sea mesh lanes failed:\n" + "\n".join(failed))
    return pd.DataFrame(rows).sort_values("link")


def mesh_links(mesh: pd.DataFrame, columns: list[str], searoute_text: str) -> pd.DataFrame:
    """Return the ``links.csv`` rows of the cached mesh lanes."""
    rows = []
    for r in mesh.itertuples():
        km = float(r.searoute_km)
        passages = str(r.passages) or "none"
        suez = "suez" in str(r.passages).split("|")
        source = (
            f"sea lane between two ports of network-src/sea_mesh.csv; passages: {passages}; "
            "price from the router's per-km sea rate; headway estimate: weekly loops"
        )
        if suez:
            source = (
                "closed in the baseline: Red Sea diversions since Dec 2023 (PortEconomics, "
                f"The Red Sea crisis and shipping routes); {source}"
            )
        row = dict.fromkeys(columns, "")
        row.update(
            id=r.link,
            a=r.a,
            b=r.b,
            mode="sea",
            length_km=_num(km),
            duration_h=_num(round(km / EFFECTIVE_KMH)),
            status="closed" if suez else "open",
            direction="both",
            headway_h=_num(HEADWAY_H),
            geometry=r.geometry,
            length_source=searoute_text.format(version=r.searoute_version),
            source=(
                f"duration: estimate: searoute length at {EFFECTIVE_KMH:.1f} km/h, the effective "
                "speed of the Shanghai-Rotterdam Cape service (13,800 nm, PortEconomics, in "
                f"46.5 d, geesecargo.com 2025), port calls included; {source}"
            ),
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _num(x: float) -> str:
    s = f"{x:.1f}"
    return s.rstrip("0").rstrip(".")


def passage_scenarios(lanes: pd.DataFrame, status: dict[str, str]) -> dict[str, str]:
    """Return ``{file name: TOML text}`` of the passage scenarios.

    ``lanes`` has a ``link`` and a ``|``-separated ``passages`` column for every sea and
    ferry link; ``status`` maps link ids to their baseline status.
    """
    out = {}
    for passage, (name, title, new, why) in PASSAGES.items():
        hit = sorted(
            str(r.link)
            for r in lanes.itertuples()
            if passage in str(r.passages).split("|") and status.get(str(r.link)) != new
        )
        if not hit:
            continue
        lines = [
            "# generated by scripts/build_network.py build from the sea-lane caches; do not edit",
            "format_version = 1",
            f'title = "{title}"',
            'description = """',
            why,
            f"The {len(hit)} links are those whose searoute lane traverses the passage "
            f'"{passage}" (network-src/enrichment/link_sea.csv and sea_mesh.csv).',
            '"""',
            "sources = [",
            '    "searoute 1.6.0 (Apache-2.0), traversed_passages of each lane",',
            "]",
        ]
        for link in hit:
            lines += [
                "",
                "[[edits]]",
                'type = "change_link"',
                f'id = "{link}"',
                f'status = "{new}"',
                f'source = "lane traverses {passage} (searoute)"',
            ]
        out[f"{name}.toml"] = "\n".join(lines) + "\n"
    return out


# EU customs union members among the network's countries: no customs between their ports
EU_CUSTOMS = {"AUT", "BEL", "BGR", "CZE", "DEU", "GRC", "HUN", "NLD", "POL", "ROU", "SVK"}
PORT_CUSTOMS = (
    "estimate: customs clearance of the trucks and containers a ship lands in another "
    "country, 6 h median, p90 3 x median, fee 100 USD (as the estimated road crossings "
    "Sarpi/Sarp and Alat/Farap; no published port figure); in the road columns, which "
    "the router applies to ferry and sea links"
)
EU_PORTS = "EU customs union: goods shipped between EU ports need no customs clearance, 0 h"


def port_borders(
    links: pd.DataFrame, nodes: pd.DataFrame, have: set[frozenset[str]], columns: list[str]
) -> pd.DataFrame:
    """Return a border row for every ferry or sea port pair in two countries without one.

    A ship landing in another country passes customs; the router reads the road columns
    of a port pair's border row for ferry and sea links (``routing/_build.py``).
    """
    country = dict(zip(nodes.id, nodes.country, strict=True))
    name = dict(zip(nodes.id, nodes.name, strict=True))
    rows = {}
    water = links[links["mode"].isin(["ferry", "sea"])]
    for a, b in zip(water.a, water.b, strict=True):
        pair = frozenset((a, b))
        if country[a] == country[b] or pair in have or pair in rows:
            continue
        eu = country[a] in EU_CUSTOMS and country[b] in EU_CUSTOMS
        h, p90, fee = ("0", "0", "") if eu else ("6", "18", "100")
        row = dict.fromkeys(columns, "")
        row.update(
            id=f"port-{a}-{b}",
            name=f"{name[a]} / {name[b]} (port customs)",
            a=a,
            b=b,
            regime="international",
            road_ab_median_h=h,
            road_ab_p90_h=p90,
            road_ba_median_h=h,
            road_ba_p90_h=p90,
            road_fee_usd=fee,
            source=EU_PORTS if eu else PORT_CUSTOMS,
        )
        rows[pair] = row
    return pd.DataFrame(list(rows.values()), columns=columns)
