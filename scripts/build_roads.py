"""Rebuild ``src/steppe/data/roads/roads.npz``: the first/last-mile road graph.

Input: the OpenStreetMap-derived road graph of PyPI ``scgraph_data`` 2.0.0 clipped to
lon 0..125, lat 28..62 (``world_highways_wide_graph.json`` in the project's shared
reference data; data (c) OpenStreetMap contributors, ODbL 1.0).  The output is a
derived database and stays under ODbL 1.0.  Run from the repository root::

    python scripts/build_roads.py ../shared/data/osm/world_highways_wide_graph.json

Kept: the connected pieces of at least ``MIN_PIECE`` nodes (smaller pieces are fragments a
point would snap to and then reach nothing from).  Stored: ``lat``, ``lon`` (float32
degrees), an undirected graph as CSR ``indptr``/``indices`` (int32) with ``km`` (float32,
the edge lengths of the source, both directions).  Node order is the source's order, so a
rebuild is byte for byte the same.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

OUT = Path("src/steppe/data/roads/roads.npz")
MIN_PIECE = 200


def main(path: str) -> None:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    ids = {nid: i for i, nid in enumerate(data["node_ids"])}
    latlon = np.asarray(data["node_latlon"], dtype=np.float64)
    edges = np.asarray([(ids[u], ids[v], km) for u, v, km in data["edges"] if u != v])
    u, v, km = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64), edges[:, 2]
    n = len(ids)
    graph = sp.coo_matrix((km, (u, v)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    keep = np.flatnonzero(sizes[labels] >= MIN_PIECE)
    new = np.full(n, -1, dtype=np.int64)
    new[keep] = np.arange(len(keep))
    ok = (new[u] >= 0) & (new[v] >= 0)
    a, b, w = new[u[ok]], new[v[ok]], km[ok]
    rows, cols, lens = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([w, w])
    order = np.lexsort((lens, cols, rows))
    rows, cols, lens = rows[order], cols[order], lens[order]
    first = np.ones(len(rows), dtype=bool)  # parallel edges: keep the shortest
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, lens = rows[first], cols[first], lens[first]
    indptr = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(keep)), out=indptr[1:])
    arrays = {
        "lat": latlon[keep, 0].astype(np.float32),
        "lon": latlon[keep, 1].astype(np.float32),
        "indptr": indptr.astype(np.int32),
        "indices": cols.astype(np.int32),
        "km": lens.astype(np.float32),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():  # fixed time stamps: reproducible bytes
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            body = io.BytesIO()
            np.lib.format.write_array(body, arr, allow_pickle=False)
            zf.writestr(info, body.getvalue())
    OUT.write_bytes(buffer.getvalue())
    print(f"{len(keep):,} of {n:,} nodes in {int((sizes >= MIN_PIECE).sum())} pieces, "
          f"{len(cols) // 2:,} edges -> {OUT} ({OUT.stat().st_size:,} bytes)")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/osm/world_highways_wide_graph.json")
