"""Summaries of a network: counts by mode, kind and country."""

from __future__ import annotations

from collections import Counter
from typing import Any

from steppe.network.model import Mode, Network

__all__ = ["network_summary"]


def network_summary(network: Network) -> dict[str, Any]:
    """Return counts of nodes, links by mode, kilometres by mode, borders and countries.

    ``by_country`` gives, per country (ISO3, sorted), the number of nodes and of links by
    mode that touch it: a link is counted for every country it crosses, so a border
    link counts in both countries and the rows do not add up to ``links``.

    Examples
    --------
    >>> import steppe
    >>> s = network_summary(steppe.load_network())
    >>> sorted(s["links_by_mode"])
    ['ferry', 'rail', 'road', 'sea']
    >>> s["by_country"]["MNG"]["nodes"] > 0
    True
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
        "by_country": _by_country(network),
    }


def _by_country(network: Network) -> dict[str, dict[str, int]]:
    nodes = Counter(n.country for n in network.nodes)
    links: dict[str, Counter[str]] = {}
    for lk in network.links:
        for c in set(network.link_countries(lk)):
            links.setdefault(c, Counter())[lk.mode.value] += 1
    out = {}
    for c in sorted(set(nodes) | set(links)):
        row = {"nodes": nodes[c]}
        row.update({m.value: links.get(c, Counter())[m.value] for m in Mode})
        out[c] = row
    return out
