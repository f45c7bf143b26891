"""Column views of a network's links and of expanded-graph edges, for the array build.

:func:`link_columns` reads every link attribute the build needs in one pass per
attribute and keeps the links that a query may use; :class:`EdgeList` collects the few
edges built one at a time and gives every edge column its dtype and default.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from steppe.network.model import Direction, Link, LinkStatus, Mode, Network

__all__ = ["EDGE_COLUMNS", "Columns", "EdgeList", "LinkColumns", "link_columns"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Columns = dict[str, npt.NDArray[Any]]

#: Edge columns and their dtypes, in the order the graph stores them.
EDGE_COLUMNS: Final[dict[str, type[np.generic]]] = {
    "src": np.int64, "dst": np.int64, "kind": np.int64, "move": np.float64,
    "wait": np.float64, "dwell": np.float64, "tr_h": np.float64, "link_cost": np.float64,
    "fee": np.float64, "tr_cost": np.float64, "co2": np.float64, "dist": np.float64,
    "link": np.int64, "border": np.int64, "transfer": np.int64, "bilateral": np.int64,
    "cost_basis": np.int64, "fee_basis": np.int64,
}  # fmt: skip
_MINUS_ONE: Final = frozenset(
    {"link", "border", "transfer", "bilateral", "cost_basis", "fee_basis"}
)
_MODES: Final = tuple(Mode)


class EdgeList:
    """Accumulates edges one at a time; ``dir`` is 0 for a link's a→b edge, 1 for b→a."""

    def __init__(self) -> None:
        self.cols: dict[str, list[float]] = {k: [] for k in [*EDGE_COLUMNS, "dir"]}

    def __len__(self) -> int:
        return len(self.cols["src"])

    def add(self, src: int, dst: int, kind: int, **values: float) -> None:
        """Append one edge; columns not given take their default (0, or -1 for indices)."""
        self.cols["src"].append(src)
        self.cols["dst"].append(dst)
        self.cols["kind"].append(kind)
        for name, column in self.cols.items():
            if name not in ("src", "dst", "kind"):
                column.append(values.get(name, -1 if name in _MINUS_ONE else 0))

    def arrays(self) -> Columns:
        """Return the columns as arrays of their dtypes (``dir`` as int64)."""
        out = {k: np.asarray(self.cols[k], dtype=t) for k, t in EDGE_COLUMNS.items()}
        out["dir"] = np.asarray(self.cols["dir"], dtype=np.int64)
        return out

    @staticmethod
    def blank(n: int, kind: int = 0) -> Columns:
        """Return columns for ``n`` edges of one kind, filled with the defaults."""
        out = {
            k: np.full(n, -1 if k in _MINUS_ONE else 0, dtype=t) for k, t in EDGE_COLUMNS.items()
        }
        out["kind"][:] = kind
        return out


@dataclass(frozen=True, slots=True, eq=False)
class LinkColumns:
    """The usable links of a query as aligned arrays.

    ``k`` is the index in ``network.links``; ``a``/``b`` node indices; ``mode`` an index
    into :attr:`modes`; ``carrier`` into :attr:`carriers` (sorted names: a mode, rail
    split by gauge); ``group`` into :attr:`groups`, the distinct (mode, countries);
    ``border`` the index of the border crossing the link joins (-1 if none).  Missing
    speeds, durations, headways and CO2 are NaN; ``own_price`` marks a ``cost_usd``.
    """

    k: IntArray
    a: IntArray
    b: IntArray
    mode: IntArray
    carrier: IntArray
    group: IntArray
    length: FloatArray
    speed: FloatArray
    duration: FloatArray
    headway: FloatArray
    co2: FloatArray
    both: BoolArray
    own_price: BoolArray
    border: IntArray
    carriers: list[str]
    groups: list[tuple[Mode, tuple[str, ...]]]
    modes: tuple[Mode, ...] = _MODES


def _node_index(links: tuple[Link, ...], index: dict[str, int], end: str) -> IntArray:
    """Return the node index of one end of every link, -1 where the node is missing.

    ``fromiter`` makes no list of a million Python ints, which would stay in the
    process's memory after the build.
    """
    ends = map(attrgetter(end), links)
    try:
        return np.fromiter(map(index.__getitem__, ends), dtype=np.int64, count=len(links))
    except KeyError:  # a link to an unknown node (validation reports it); keep the rest
        return np.array([index.get(x, -1) for x in map(attrgetter(end), links)], np.int64)


def _floats(links: tuple[Link, ...], name: str) -> FloatArray:
    """Return one numeric attribute of every link, NaN where it is None."""
    return np.array(list(map(attrgetter(name), links)), dtype=np.float64)


def link_columns(
    network: Network, index: dict[str, int], modes: frozenset[Mode], avoid: frozenset[str]
) -> LinkColumns:
    """Return the columns of the links a query may use.

    A link is kept when it is usable (open or under repair), of an allowed mode, joins
    two nodes of the network and touches no avoided country (on its way or at an end).
    """
    links = network.links
    a, b = _node_index(links, index, "a"), _node_index(links, index, "b")
    mode_code = {m: i for i, m in enumerate(_MODES)}
    mode = np.array([mode_code[m] for m in map(attrgetter("mode"), links)], dtype=np.int64)
    usable = {s: s.usable for s in LinkStatus}
    allowed = np.array([m in modes for m in _MODES])
    keep = (
        np.array([usable[s] for s in map(attrgetter("status"), links)], dtype=bool)
        & allowed[mode] & (a >= 0) & (b >= 0)
    )  # fmt: skip
    node_country = [n.country for n in network.nodes]
    codes = {c: i for i, c in enumerate(sorted(set(node_country)))}
    ccode = np.array([codes[c] for c in node_country] or [0], dtype=np.int64)
    n_c = max(len(codes), 1)
    explicit: dict[tuple[str, ...], int] = {}
    key = np.where(keep, ccode[np.maximum(a, 0)] * n_c + ccode[np.maximum(b, 0)], -1)
    for k, countries in enumerate(map(attrgetter("countries"), links)):
        if countries:
            key[k] = n_c * n_c + explicit.setdefault(countries, len(explicit))
    key = np.where(keep, key + mode * (n_c * n_c + len(explicit) + 1), -1)
    kept = np.flatnonzero(keep)
    kept_key = key if len(kept) == len(links) else key[kept]
    group_keys, first_at = np.unique(kept_key, return_index=True)
    group = np.searchsorted(group_keys, kept_key)
    del key, kept_key
    first = kept[first_at]  # the first link of each group
    groups = [(links[int(k)].mode, network.link_countries(links[int(k)])) for k in first]
    if avoid:
        avoided = np.array([bool(avoid.intersection(c)) for _, c in groups] or [False])
        in_avoided = np.array([c in avoid for c in sorted(codes)] or [False])[ccode]
        ok = ~avoided[group] & ~in_avoided[a[kept]] & ~in_avoided[b[kept]]
        kept, group = kept[ok], group[ok]
    all_kept = len(kept) == len(links)

    def take(x: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return x if all_kept else x[kept]  # no copy when every link is kept

    gauge = take(_floats(links, "gauge_mm"))
    gauge = np.where(np.isnan(gauge) | (take(mode) != mode_code[Mode.RAIL]), -1, gauge)
    car_key = take(mode) * (1 << 32) + gauge.astype(np.int64) + 1
    del gauge
    car_keys = np.unique(car_key)
    car_inv = np.searchsorted(car_keys, car_key)
    del car_key
    names = [_carrier_name(_MODES[int(c >> 32)], int(c & 0xFFFFFFFF) - 1) for c in car_keys]
    order = np.argsort(np.array(names, dtype=object)) if names else np.zeros(0, np.int64)
    rank = np.empty(len(names), np.int64)
    rank[order] = np.arange(len(names))
    return LinkColumns(
        k=kept.astype(np.int64), a=take(a), b=take(b), mode=take(mode),
        carrier=rank[car_inv].astype(np.int64), group=group.astype(np.int64),
        length=take(_floats(links, "length_km")), speed=take(_floats(links, "speed_kmh")),
        duration=take(_floats(links, "duration_h")), headway=take(_floats(links, "headway_h")),
        co2=take(_floats(links, "co2_kg")),
        both=take(np.fromiter((d is Direction.BOTH for d in map(attrgetter("direction"), links)),
                              dtype=bool, count=len(links))),
        own_price=~np.isnan(take(_floats(links, "cost_usd"))),
        border=_border_of(network, index, take(a), take(b)),
        carriers=[names[int(i)] for i in order], groups=groups,
    )  # fmt: skip


def _carrier_name(mode: Mode, gauge: int) -> str:
    return f"rail:{gauge if gauge >= 0 else None}" if mode is Mode.RAIL else mode.value


def _border_of(network: Network, index: dict[str, int], a: IntArray, b: IntArray) -> IntArray:
    """Return the index of the border crossing each (a, b) node pair joins, or -1."""
    out = np.full(len(a), -1, np.int64)
    if not network.borders or not len(a):
        return out
    by_id = {bd.id: k for k, bd in enumerate(network.borders)}
    n = len(index)
    keys, values = [], []
    for bd in network.borders_by_pair.values():
        if bd.a in index and bd.b in index:
            u, v = sorted((index[bd.a], index[bd.b]))
            keys.append(u * n + v)
            values.append(by_id[bd.id])
    if not keys:
        return out
    sorter = np.argsort(keys)
    sorted_keys = np.asarray(keys, np.int64)[sorter]
    link_keys = np.minimum(a, b) * n + np.maximum(a, b)
    pos = np.minimum(np.searchsorted(sorted_keys, link_keys), len(keys) - 1)
    hit = sorted_keys[pos] == link_keys
    out[hit] = np.asarray(values, np.int64)[sorter][pos[hit]]
    return out
