"""Shortest-path trees as one forest in breadth-first order: sums along every tree at once.

Dijkstra returns each tree as an array of predecessors (one row per source).  To sum
edge metrics from each root down to every vertex, the rows are laid out as one forest
and visited breadth-first by :func:`scipy.sparse.csgraph.breadth_first_order` (C).  In
that order every vertex comes after its parent and each depth is one contiguous slice,
so a tree pass is one numpy step per depth over all trees and all metrics together:
``value[v] = value[parent(v)] + weight(edge into v)`` — the same additions, in the same
order, as walking each path from its root.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from steppe._deadline import check_deadline

__all__ = ["Forest", "forest"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Forest:
    """Trees of predecessor rows in breadth-first order.

    ``order[i]`` is the flat entry (``row * n + vertex``) at position ``i``; ``up[i]`` the
    position of its parent (-1 for a root); depth ``d`` is the slice
    ``bounds[d]:bounds[d + 1]``; ``position[entry]`` is -1 for entries in no tree.
    """

    order: IntArray
    up: IntArray
    bounds: tuple[int, ...]
    position: IntArray
    width: int

    def levels(self) -> list[tuple[int, int]]:
        """Return the (start, stop) slices of depths 1, 2, ... (the roots left out)."""
        return list(itertools.pairwise(self.bounds[1:]))

    def accumulate(self, values: FloatArray, *, overwrite: bool = False) -> FloatArray:
        """Return root-to-vertex sums of per-position ``values`` (metrics × positions).

        ``values[:, i]`` is the weight of the edge into ``order[i]`` (ignored at roots);
        with ``overwrite`` the sums are written into ``values`` itself.
        """
        out = values if overwrite else np.array(values, dtype=np.float64, copy=True)
        out[:, : self.bounds[1]] = 0.0
        for lo, hi in self.levels():
            check_deadline()
            out[:, lo:hi] += out[:, self.up[lo:hi]]
        return out

    def nearest_marked(self, marked: npt.NDArray[np.bool_]) -> tuple[IntArray, IntArray]:
        """Return per position its nearest marked position on the tree path (itself
        included; -1 if none) and how many marked positions that path holds."""
        nearest = np.where(marked, np.arange(len(marked), dtype=np.int64), -1)
        count = marked.astype(np.int64)
        for lo, hi in self.levels():
            up = self.up[lo:hi]
            np.copyto(nearest[lo:hi], nearest[up], where=~marked[lo:hi])
            count[lo:hi] += count[up]
        return nearest, count


def forest(pred: npt.NDArray[np.integer], roots: IntArray) -> Forest:
    """Lay out predecessor rows as one forest and order it breadth-first.

    Parameters
    ----------
    pred
        Sources × vertices; the parent vertex of each vertex in its row's tree, negative
        for the root and for vertices the tree does not reach.
    roots
        The flat entry (``row * n + vertex``) of each row's root.
    """
    n_rows, n = pred.shape
    size = n_rows * n
    # one CSR row per entry holding its parent: the root's parent is a super-root
    # (``size``), an unreached entry's a sink (``size + 1``) the traversal never meets;
    # transposed, it lists each entry's children, in C
    parent = (pred.astype(np.int64) + (np.arange(n_rows, dtype=np.int64) * n)[:, None]).ravel()
    parent[pred.ravel() < 0] = size + 1
    parent[np.asarray(roots, dtype=np.int64)] = size
    indptr = np.arange(size + 3, dtype=np.int64)
    indptr[-2:] = size
    child_of = sp.csr_matrix((np.ones(size), parent, indptr), shape=(size + 2, size + 2))
    order = breadth_first_order(child_of.T, size, directed=True, return_predecessors=False)
    order = order[1:].astype(np.int64)
    position = np.full(size + 2, -1, dtype=np.int64)
    position[order] = np.arange(len(order), dtype=np.int64)
    up = position[parent[order]]
    # breadth-first, parents' positions never decrease: each depth ends where the
    # children of the previous depth end
    bounds = [0, int(np.searchsorted(up, 0))]
    while bounds[-1] < len(order):
        bounds.append(int(np.searchsorted(up, bounds[-1])))
    return Forest(order=order, up=up, bounds=tuple(bounds), position=position[:size], width=n)
