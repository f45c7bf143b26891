"""Graphs the benchmarks share: the synthetic road-like grid and igraph copies of a CSR."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from steppe.network.model import Network


def synthetic(n_links: int, seed: int = 0) -> Network:
    """A road-like grid with jittered lengths and speeds (about 2 links per node).

    steppe is imported here, not at module level, so a child process that measures its
    peak memory pays only for what it builds.
    """
    from steppe.network.model import Link, Mode, Network, Node

    rng = np.random.default_rng(seed)
    side = int(np.sqrt(n_links / 2)) + 1
    nodes = tuple(Node(f"v{i}", f"v{i}", 40 + (i // side) * 0.01, 60 + (i % side) * 0.01, "KAZ")
                  for i in range(side * side))  # fmt: skip
    links = []
    for i in range(side * side):
        r, c = divmod(i, side)
        for j in ([i + 1] if c + 1 < side else []) + ([i + side] if r + 1 < side else []):
            if len(links) >= n_links:
                break
            km = float(rng.uniform(0.5, 3.0))
            links.append(Link(f"e{len(links)}", f"v{i}", f"v{j}", Mode.ROAD, km,
                              speed_kmh=float(rng.uniform(30, 90))))  # fmt: skip
    return Network(nodes, tuple(links))


def to_igraph(csr: object) -> object:
    """The same weighted directed graph as a scipy sparse matrix, for igraph's Dijkstra."""
    import igraph

    m = csr.tocoo()  # type: ignore[attr-defined]
    g = igraph.Graph(n=m.shape[0], edges=np.column_stack([m.row, m.col]).tolist(), directed=True)
    g.es["weight"] = m.data.tolist()
    return g
