"""The breadth-first tree pass against a plain walk up each tree."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.routing._trees import forest


@st.composite
def predecessor_rows(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Draw rows of predecessors: random trees over a random vertex order, some unreached."""
    rows, n = draw(st.integers(1, 4)), draw(st.integers(1, 30))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    pred = np.full((rows, n), -9999, dtype=np.int32)
    roots = np.zeros(rows, dtype=np.int64)
    for r in range(rows):
        order = rng.permutation(n)
        reached = order[: rng.integers(1, n + 1)]
        roots[r] = reached[0]
        for k in range(1, len(reached)):
            pred[r, reached[k]] = reached[rng.integers(0, k)]
    return pred, roots


def _walk(pred: np.ndarray, r: int, v: int) -> list[int]:
    """Return the vertices from the root of row ``r`` down to ``v``."""
    path = [v]
    while pred[r, path[-1]] >= 0:
        path.append(int(pred[r, path[-1]]))
    return path[::-1]


@settings(max_examples=60, deadline=None)
@given(predecessor_rows(), st.integers(0, 2**32 - 1))
def test_sums_and_nearest_marked_equal_a_walk_up_each_tree(
    rows: tuple[np.ndarray, np.ndarray], seed: int
) -> None:
    pred, roots = rows
    n_rows, n = pred.shape
    rng = np.random.default_rng(seed)
    weight = rng.uniform(0, 10, size=(2, n_rows * n))  # per flat entry: the edge into it
    mark = rng.random(n_rows * n) < 0.3
    trees = forest(pred, np.arange(n_rows) * n + roots)
    at = trees.position
    sums = trees.accumulate(weight[:, trees.order])
    nearest, count = trees.nearest_marked(mark[trees.order] & (pred.reshape(-1) >= 0)[trees.order])
    for r in range(n_rows):
        for v in range(n):
            flat = r * n + v
            reached = v == roots[r] or pred[r, v] >= 0
            assert (at[flat] >= 0) == reached
            if not reached:
                continue
            path = _walk(pred, r, v)
            assert path[0] == roots[r]
            expected = np.zeros(2)
            for x in path[1:]:
                expected = expected + weight[:, r * n + x]  # root first, as Dijkstra adds
            assert sums[:, at[flat]].tolist() == expected.tolist()
            marked = [x for x in path[1:] if mark[r * n + x]]
            assert count[at[flat]] == len(marked)
            want = at[r * n + marked[-1]] if marked else -1
            assert nearest[at[flat]] == want
