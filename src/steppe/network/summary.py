"""Summaries of a network: counts by mode, kind and country."""

from __future__ import annotations

from collections import Counter
from typing import Any

from steppe.network.model import Mode, Network

__all__ = ["network_summary"]


def network_summary(network: Network) -> dict[str, Any]:
    """Return counts of nodes, links by mode, kilometres by mode, borders and countries.

    Examples
    --------
    >>> import steppe
    >>> s = network_summary(steppe.load_network())
    >>> sorted(s["links_by_mode"])
    ['ferry', 'rail', 'road', 'sea']
    """
    by_mode = Counter(lk.mode.value for lk in network.links)
    km: dict[str, float] = {}
    for lk in network.links:
        km[lk.mode.value] = km.get(lk.mode.value, 0.0) + lk.length_km
    return {
        "name": network.meta.name,
        "nodes": len(network.nodes),
        "links": len(network.links),
        "links_by_mode": {m.value: by_mode[m.value] for m in Mode if by_mode[m.value]},
        "km_by_mode": {m: round(v, 1) for m, v in sorted(km.items())},
        "links_by_status": dict(sorted(Counter(lk.status.value for lk in network.links).items())),
        "nodes_by_kind": dict(sorted(Counter(n.kind.value for n in network.nodes).items())),
        "border_crossings": len(network.borders),
        "transfers": len(network.transfers),
        "countries": list(network.countries),
    }
