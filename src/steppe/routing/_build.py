"""Build the expanded routing graph from a network, and cache it.

The build works on arrays, so a network of a million links builds in seconds.  The link
attributes are read once into columns (:mod:`steppe.routing._columns`); vertices and the
start/end/stay edges come from the sorted (node, carrier) pairs; the edges of ordinary
links — no border crossing, no dated tariff, no price or wait of their own — are priced
per group of links with the same mode and countries.  The few other links (crossings,
ferries with published tariffs, links with a wait function) take the per-link path of
:func:`_link_edges`.  The edges come out in the order of the earlier per-link loop (node
edges, transfers, then links in network order, forward before backward), so the CSR's
tie-breaking between parallel edges is unchanged.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, Final, cast

import numpy as np
import numpy.typing as npt

from steppe.network.model import Border, BorderRegime, Direction, Mode, Network
from steppe.routing._columns import Columns, EdgeList, LinkColumns, link_columns
from steppe.routing.graph import EdgeKind, ExpandedGraph, carrier_mode
from steppe.routing.options import RouteOptions
from steppe.routing.prices import EdgePricer, PriceQuery
from steppe.routing.waits import average_waits

__all__ = ["build_graph", "expanded_graph"]

logger = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Waits = dict[tuple[str, str, str, bool], tuple[float, bool]]


class _Layout:
    """Vertex numbering: per node S, T, then A and D for each of its carriers (sorted)."""

    def __init__(self, n_nodes: int, cols: LinkColumns) -> None:
        sea_carrier = np.array([c == Mode.SEA.value for c in cols.carriers] or [False])
        n_car = max(len(cols.carriers), 1)
        self.n_car = n_car
        keys = np.concatenate([cols.a * n_car + cols.carrier, cols.b * n_car + cols.carrier])
        self.pairs = np.unique(keys)
        self.pair_node = self.pairs // n_car
        self.pair_carrier = self.pairs % n_car
        per_node = np.bincount(self.pair_node, minlength=n_nodes)
        size = 2 + 2 * per_node
        self.start = np.zeros(n_nodes, np.int64)
        np.cumsum(size[:-1], out=self.start[1:])
        self.end = self.start + 1
        first_pair = np.zeros(n_nodes, np.int64)
        np.cumsum(per_node[:-1], out=first_pair[1:])
        rank = np.arange(len(self.pairs)) - first_pair[self.pair_node]
        self.arrive = self.start[self.pair_node] + 2 + 2 * rank
        self.depart = self.arrive + 1
        self.n_vertices = int(size.sum())
        self.first_pair, self.per_node = first_pair, per_node
        # every two ports have their own sea link, so a ship never needs to call at a
        # third one on the way; changing ships there would be a (sea, sea) transfer
        self.sea = sea_carrier[self.pair_carrier]
        self.node_edge_count = 3 - self.sea.astype(np.int64)  # S→D, A→T, A→D but at sea

    def pair_of(self, node: IntArray, carrier: IntArray) -> IntArray:
        """Return the pair index of (node, carrier) rows that exist."""
        return np.searchsorted(self.pairs, node * self.n_car + carrier).astype(np.int64)

    def node_pairs(self, node: int) -> range:
        """Return the pair indices of one node."""
        lo = int(self.first_pair[node])
        return range(lo, lo + int(self.per_node[node]))

    def vertex_arrays(
        self, carriers: list[str]
    ) -> tuple[IntArray, tuple[str | None, ...], IntArray]:
        """Return vertex_node, vertex_carrier and vertex_role."""
        n = self.n_vertices
        role = np.empty(n, np.int64)
        role[self.start], role[self.end] = 0, 1
        role[self.arrive], role[self.depart] = 2, 3
        node = np.repeat(np.arange(len(self.start)), 2 + 2 * self.per_node)
        names = np.array([*carriers, None], dtype=object)
        carrier = np.full(n, len(carriers), np.int64)
        carrier[self.arrive] = carrier[self.depart] = self.pair_carrier
        return node, tuple(names[carrier].tolist()), role


def build_graph(
    network: Network, options: RouteOptions, closed: frozenset[str] = frozenset()
) -> ExpandedGraph:
    """Build the expanded graph of a network under routing options.

    Links of the modes not allowed, and links touching the avoided countries or the
    countries ``closed`` to transit on this trip, are left out.  Every edge is priced for
    the options' price date and service (:mod:`steppe.routing.prices`).
    """
    cost_model, cargo = options.cost_model, options.cargo
    pricer = EdgePricer(network, cost_model, cargo, PriceQuery(options.price_date, options.service))
    network = pricer.network  # with the link states of the price date
    node_ids = tuple(n.id for n in network.nodes)
    index = {nid: i for i, nid in enumerate(node_ids)}
    cols = link_columns(network, index, options.modes, options.avoid | closed)
    layout = _Layout(len(node_ids), cols)
    # yearly means of calendars, queues and dwell (issue 14); none without those tables
    waits = average_waits(network) if network.calendars or network.queues else {}
    transfers = _transfer_edges(network, layout, cols.carriers, index, options, pricer, waits)
    links = _LinkEdges(network, cols, layout, options, pricer, waits)
    node_wait = _node_waits(layout, cols.carriers, index, waits)
    del index  # a million-entry dict: not held while the edge arrays are made
    n_node = int(layout.node_edge_count.sum())
    edges = EdgeList.blank(n_node + len(transfers) + links.count)  # the graph's own arrays
    _node_edges(layout, node_wait, edges)
    for name, values in transfers.arrays().items():
        if name in edges:
            edges[name][n_node : n_node + len(transfers)] = values
    links.write(edges, n_node + len(transfers))
    carriers = cols.carriers
    del links, transfers, cols  # the link columns are not needed past here: free them
    border, bil, pairs = edges["border"], edges["bilateral"], list[frozenset[str]]()
    for e in np.flatnonzero(border >= 0):
        b = network.borders[int(border[e])]
        if b.regime is BorderRegime.BILATERAL:
            pair = frozenset(network.node(x).country for x in (b.a, b.b))
            if pair not in pairs:
                pairs.append(pair)
            bil[e] = pairs.index(pair)
    vertex_node, vertex_carrier, vertex_role = layout.vertex_arrays(carriers)
    graph = ExpandedGraph(
        network=network, node_ids=node_ids, vertex_node=vertex_node,
        vertex_carrier=vertex_carrier, vertex_role=vertex_role,
        start=layout.start, end=layout.end, src=edges["src"], dst=edges["dst"], kind=edges["kind"],
        move_h=edges["move"], wait_h=edges["wait"], dwell_h=edges["dwell"],
        transfer_h=edges["tr_h"], link_cost=edges["link_cost"], fee_cost=edges["fee"],
        transfer_cost=edges["tr_cost"], co2_kg=edges["co2"], distance_km=edges["dist"],
        link=edges["link"], border=edges["border"], transfer=edges["transfer"],
        bilateral=bil, bilateral_pairs=tuple(pairs),
        value_of_time=cost_model.value_of_time(cargo), options=options,
        price_month=pricer.month, service=pricer.service, price_bases=tuple(pricer.bases),
        cost_basis=edges["cost_basis"], fee_basis=edges["fee_basis"],
    )  # fmt: skip
    logger.debug("expanded graph: %d vertices, %d edges", graph.n_vertices, len(graph.src))
    return graph


def _node_waits(
    layout: _Layout, carriers: list[str], index: dict[str, int], waits: Waits
) -> FloatArray:
    """Return the wait at the start of each (node, carrier) pair (calendars, queues)."""
    node_wait = np.zeros(len(layout.pairs))
    entries = [(ref, mode, hours) for (kind, ref, mode, forward), (hours, _) in waits.items()
               if kind == "node" and forward and ref in index]  # fmt: skip
    if entries:
        names = np.array([carrier_mode(c).value for c in carriers] or [""])
        pair_mode = names[layout.pair_carrier]
        for ref, mode, hours in entries:
            node_wait[(layout.pair_node == index[ref]) & (pair_mode == mode)] = hours
    return node_wait


def _node_edges(layout: _Layout, node_wait: FloatArray, out: Columns) -> None:
    """Write S→D, A→T and A→D (stay on board) edges of every (node, carrier) pair first."""
    n_pairs, sea = len(layout.pairs), layout.sea
    first = np.zeros(n_pairs, np.int64)
    np.cumsum(layout.node_edge_count[:-1], out=first[1:])
    node = layout.pair_node
    out["src"][first], out["dst"][first] = layout.start[node], layout.depart
    out["kind"][first], out["wait"][first] = EdgeKind.START, node_wait
    out["src"][first + 1], out["dst"][first + 1] = layout.arrive, layout.end[node]
    out["kind"][first + 1] = EdgeKind.END
    stay = first[~sea] + 2
    out["src"][stay], out["dst"][stay] = layout.arrive[~sea], layout.depart[~sea]
    out["kind"][stay] = EdgeKind.STAY


def _transfer_edges(  # noqa: PLR0917 (the parts of one build)
    network: Network,
    layout: _Layout,
    carriers: list[str],
    index: dict[str, int],
    options: RouteOptions,
    pricer: EdgePricer,
    waits: Waits,
) -> EdgeList:
    """Return A(n, c)→D(n, c') edges, one per transfer row and pair of carriers."""
    edges = EdgeList()
    modes = options.modes
    for t_idx, tr in enumerate(network.transfers):
        at = index.get(tr.node)
        if at is None or tr.from_mode not in modes or tr.to_mode not in modes:
            continue
        here = layout.node_pairs(at)
        for p_from in here:
            c_from = carriers[int(layout.pair_carrier[p_from])]
            if carrier_mode(c_from) is not tr.from_mode:
                continue
            for p_to in here:
                c_to = carriers[int(layout.pair_carrier[p_to])]
                if p_to == p_from or carrier_mode(c_to) is not tr.to_mode:
                    continue
                tr_cost, basis = pricer.transfer(tr)
                node_wait = waits.get(("node", tr.node, tr.to_mode.value, True), (0.0,))[0]
                edges.add(
                    int(layout.arrive[p_from]), int(layout.depart[p_to]), EdgeKind.TRANSFER,
                    tr_h=tr.time_h, tr_cost=tr_cost, transfer=t_idx, wait=node_wait,
                    co2=_hub_wtw_kg(options, c_from, c_to), cost_basis=basis,
                )  # fmt: skip
    return edges


class _LinkEdges:
    """The D(u, c)→A(v, c) edges of the usable links, in link order (forward first).

    Prices are asked of the pricer in link order (the per-link links, and the first link
    of each group), so price bases are numbered as by a per-link loop.  The ordinary
    links' edges are computed one column at a time by :meth:`write`, straight into the
    graph's arrays.
    """

    def __init__(  # noqa: PLR0917 (the parts of one build)
        self,
        network: Network,
        cols: LinkColumns,
        layout: _Layout,
        options: RouteOptions,
        pricer: EdgePricer,
        waits: Waits,
    ) -> None:
        self.cols, self.layout, self.options = cols, layout, options
        waited = {ref for kind, ref, _, _ in waits if kind == "link"}
        own = cols.own_price | np.isin(cols.k, sorted(pricer.tariffed_links()))
        if waited:
            own |= np.array([network.links[int(k)].id in waited for k in cols.k], dtype=bool)
        own |= cols.border >= 0
        self.slow = EdgeList()
        slow_pos: list[int] = []
        self.fast = fast = np.flatnonzero(~own)
        groups, first = np.unique(cols.group[fast], return_index=True)
        self.group_basis = np.full(len(cols.groups), -1, np.int64)
        events = [(int(p), -1) for p in np.flatnonzero(own)]
        events += [(int(fast[f]), int(g)) for g, f in zip(groups, first, strict=True)]
        events.sort()
        for pos, g in events:
            if g >= 0:  # register the group's per-km basis where a per-link loop would
                self.group_basis[g] = pricer.link(int(cols.k[pos]), forward=True)[1]
                continue
            before = len(self.slow)
            _link_edges(network, cols, layout, pos, options, pricer, waits, self.slow)
            slow_pos += [pos] * (len(self.slow) - before)
        self.back = cols.both[fast]
        self.slow_arrays = self.slow.arrays()
        keys = np.concatenate([np.asarray(slow_pos, np.int64) * 2 + self.slow_arrays.pop("dir"),
                               fast * 2, fast[self.back] * 2 + 1])  # fmt: skip
        self.count = len(keys)
        self.dest = np.empty(len(keys), np.int64)  # where each edge goes, in link order
        self.dest[np.argsort(keys, kind="stable")] = np.arange(len(keys))

    def write(self, out: Columns, base: int) -> None:
        """Write the edges into ``out`` from position ``base`` on."""
        n_slow, n_fast = len(self.slow), len(self.fast)
        self.dest += base  # in place: no second array of a million positions
        for name, values in self.slow_arrays.items():
            out[name][self.dest[:n_slow]] = values
        forward = self.dest[n_slow : n_slow + n_fast]
        backward = self.dest[n_slow + n_fast :]
        for name, column, back_column in self._fast_columns():
            out[name][forward] = column
            out[name][backward] = column[self.back] if back_column is None else back_column

    def _fast_columns(
        self,
    ) -> Iterator[tuple[str, npt.NDArray[Any], npt.NDArray[Any] | None]]:
        """Yield the columns of the ordinary links' edges, one at a time.

        Each is (name, forward edges, backward edges); ``None`` for the backward edges
        means the same value as forward (the link's own).
        """
        cols, fast, layout = self.cols, self.fast, self.layout
        cm, cargo = self.options.cost_model, self.options.cargo
        length = cols.length[fast]
        yield "dist", length, None
        yield "link", cols.k[fast], None
        yield "kind", np.full(len(fast), EdgeKind.LINK, np.int64), None
        car, a, b = cols.carrier[fast], cols.a[fast], cols.b[fast]
        back = self.back
        dep, arr, pair_of = layout.depart, layout.arrive, layout.pair_of
        yield "src", dep[pair_of(a, car)], dep[pair_of(b[back], car[back])]
        yield "dst", arr[pair_of(b, car)], arr[pair_of(a[back], car[back])]
        moving = np.where(np.isnan(cols.duration[fast]), 0.0, cols.duration[fast])
        timed = np.isnan(cols.duration[fast])
        mode = cols.mode[fast]
        for code, m in enumerate(cols.modes):
            sel = timed & (mode == code)
            if sel.any():
                speed = cols.speed[fast][sel]
                speed = np.where(np.isnan(speed) | (speed == 0), cm.speed_kmh(m), speed)
                moving[sel] = np.asarray(cm.elapsed_h(m, cast(float, length[sel] / speed)))
        yield "move", moving, None
        del moving
        head = cols.headway[fast]
        yield (
            "wait",
            np.where(np.isnan(head) | (head == 0), 0.0, cm.headway_wait_share * head),
            None,
        )
        group = cols.group[fast]
        feu = cm.feu_equivalents(cargo)
        rate = np.array([cm.usd_per_km(m, c) for m, c in cols.groups] or [0.0])[group]
        yield "link_cost", rate * length * feu, None
        yield "cost_basis", self.group_basis[group], None
        wtw = np.array([self.options.emissions.leg_intensity(m.value, c).wtw * cargo.tonnes
                        for m, c in cols.groups] or [0.0])[group]  # fmt: skip
        own_co2 = cols.co2[fast]
        co2 = np.where(
            np.isnan(own_co2), wtw * length / 1000.0, own_co2 * cargo.tonnes / cm.feu_tonnes
        )
        yield "co2", co2, None


def _link_edges(  # noqa: PLR0917 (the parts of one build)
    network: Network,
    cols: LinkColumns,
    layout: _Layout,
    pos: int,
    options: RouteOptions,
    pricer: EdgePricer,
    waits: Waits,
    edges: EdgeList,
) -> None:
    """Add the edges of one link (a crossing, an own price or wait) the per-link way."""
    cm, cargo = options.cost_model, options.cargo
    k = int(cols.k[pos])
    link = network.links[k]
    car = int(cols.carrier[pos])
    if link.duration_h is not None:
        move = link.duration_h  # a fixed duration is elapsed time as given
    else:
        speed = link.speed_kmh or cm.speed_kmh(link.mode)
        move = cm.elapsed_h(link.mode, link.length_km / speed)
    wait = cm.headway_wait_share * link.headway_h if link.headway_h else 0.0
    countries = network.link_countries(link)
    co2 = (  # well-to-wheel CO2e by ISO 14083 / GLEC unless the link carries its own
        link.co2_kg * cargo.tonnes / cm.feu_tonnes
        if link.co2_kg is not None
        else options.emissions.leg_intensity(link.mode.value, countries).wtw
        * cargo.tonnes * link.length_km / 1000.0
    )  # fmt: skip
    border = network.borders[int(cols.border[pos])] if cols.border[pos] >= 0 else None
    ends = [(int(cols.a[pos]), int(cols.b[pos]), link.a)]
    if link.direction is Direction.BOTH:
        ends.append((int(cols.b[pos]), int(cols.a[pos]), link.b))
    for direction, (u, v, u_id) in enumerate(ends):
        forward = u_id == link.a
        dwell_h = fee = 0.0
        b_idx = fee_basis = -1
        if border is not None:
            dwell = _crossing(border, link.mode, forward=(u_id == border.a))
            if dwell is None:
                continue
            fee, fee_basis = pricer.fee(border, link, dwell[1])
            dwell_h, b_idx = dwell[0], int(cols.border[pos])
        money, basis = pricer.link(k, forward=forward)
        link_wait = wait
        if (w := waits.get(("link", link.id, link.mode.value, forward))) is not None:
            link_wait = w[0] + (0.0 if w[1] else wait)  # w[1]: replaces half the headway
        if border is not None:
            w = waits.get(("border", border.id, link.mode.value, u_id == border.a))
            if w is not None:
                dwell_h = w[0] + (0.0 if w[1] else dwell_h)  # w[1]: replaces survey dwell
        src = int(layout.depart[layout.pair_of(np.array([u]), np.array([car]))[0]])
        dst = int(layout.arrive[layout.pair_of(np.array([v]), np.array([car]))[0]])
        edges.add(
            src, dst, EdgeKind.LINK, dir=direction,
            move=move, wait=link_wait, dwell=dwell_h, link_cost=money, fee=fee, co2=co2,
            dist=link.length_km, link=k, border=b_idx, cost_basis=basis, fee_basis=fee_basis,
        )  # fmt: skip


def _hub_wtw_kg(options: RouteOptions, c_from: str, c_to: str) -> float:
    """Return the hub emissions (WTW kg CO2e) of a transfer between two carriers."""
    from steppe.emissions.chain import hub_emissions
    from steppe.emissions.route import hub_kind, shipment_size

    kind = hub_kind(f":{c_from}>{c_to}")
    tonnes, containers = shipment_size(options)
    return hub_emissions(options.emissions, kind, tonnes=tonnes, containers=containers).wtw_kg


def _crossing(border: Border, mode: Mode, *, forward: bool) -> tuple[float, float] | None:
    """Return (median dwell, fee) of crossing a border, or None if it cannot be crossed."""
    if border.regime is BorderRegime.CLOSED:
        return None
    dwell = border.dwell_for(mode, forward=forward)
    if dwell is None and mode in (Mode.FERRY, Mode.SEA):
        # a ship landing in another country: customs clear the trucks and containers it
        # lands, given in the road columns of the port pair's border row
        dwell = border.dwell_for(Mode.ROAD, forward=forward)
    if dwell is None:
        return None
    return dwell.median_h, dwell.fee_usd


class _GraphCache:
    """A small bounded cache of expanded graphs keyed by the identity of the network.

    The key is the network's identity, the options' graph fields
    (:meth:`RouteOptions.graph_key`) and the countries closed to transit on the trip.
    A lock makes it safe to share between the web server's worker threads; two threads
    asking for the same missing graph may both build it (the second result is kept).
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.items: OrderedDict[tuple[object, ...], tuple[weakref.ref[Network], ExpandedGraph]]
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, network: Network, options: RouteOptions, closed: frozenset[str]) -> ExpandedGraph:
        key = (id(network), options.graph_key(), closed)
        with self.lock:
            hit = self.items.get(key)
            if hit is not None and hit[0]() is network:
                self.items.move_to_end(key)
                return hit[1]
        graph = build_graph(network, options, closed)
        with self.lock:
            self.items[key] = (weakref.ref(network), graph)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return graph


_CACHE: Final = _GraphCache()


def expanded_graph(
    network: Network, options: RouteOptions, closed: frozenset[str] = frozenset()
) -> ExpandedGraph:
    """Return the (cached) expanded graph of a network under options.

    ``closed`` are the countries closed to transit on this trip
    (:func:`steppe.routing._query.transit_closed`).
    """
    return _CACHE.get(network, options, closed)
