"""The per-link construction of the expanded graph, as it was before the array build.

Kept as a slow reference: ``test_build_arrays.py`` checks that the array build gives
the same graph on random and embedded networks.
"""

from __future__ import annotations

import logging

import numpy as np
import numpy.typing as npt

from steppe.emissions.model import EmissionsModel
from steppe.network.model import Border, BorderRegime, Direction, Link, Mode, Network
from steppe.routing.costs import Cargo, CostModel
from steppe.routing.graph import EdgeKind, ExpandedGraph, carrier_mode, carrier_of
from steppe.routing.options import RouteOptions
from steppe.routing.prices import EdgePricer, PriceQuery
from steppe.routing.waits import average_waits

__all__ = ["build_graph"]

logger = logging.getLogger(__name__)


class _EdgeList:
    """Accumulates edges as Python lists before they become arrays."""

    def __init__(self) -> None:
        self.cols: dict[str, list[float]] = {
            k: []
            for k in [
                "src",
                "dst",
                "kind",
                "move",
                "wait",
                "dwell",
                "tr_h",
                "link_cost",
                "fee",
                "tr_cost",
                "co2",
                "dist",
                "link",
                "border",
                "transfer",
                "bilateral",
                "cost_basis",
                "fee_basis",
            ]
        }

    def add(self, src: int, dst: int, kind: int, **values: float) -> None:
        defaults = {"link": -1.0, "border": -1.0, "transfer": -1.0, "bilateral": -1.0,
                    "cost_basis": -1.0, "fee_basis": -1.0}  # fmt: skip
        self.cols["src"].append(src)
        self.cols["dst"].append(dst)
        self.cols["kind"].append(kind)
        for name, column in self.cols.items():
            if name not in ("src", "dst", "kind"):
                column.append(values.get(name, defaults.get(name, 0.0)))

    def ints(self, name: str) -> npt.NDArray[np.int64]:
        return np.asarray(self.cols[name], dtype=np.int64)

    def floats(self, name: str) -> npt.NDArray[np.float64]:
        return np.asarray(self.cols[name], dtype=np.float64)


def _usable_links(network: Network, modes: frozenset[Mode], avoid: frozenset[str]) -> list[Link]:
    nodes = network.nodes_by_id
    keep = []
    for link in network.links:
        if not link.status.usable or link.mode not in modes:
            continue
        if link.a not in nodes or link.b not in nodes:
            continue
        if avoid and (
            avoid.intersection(network.link_countries(link))
            or nodes[link.a].country in avoid
            or nodes[link.b].country in avoid
        ):
            continue
        keep.append(link)
    return keep


def build_graph(
    network: Network, options: RouteOptions, closed: frozenset[str] = frozenset()
) -> ExpandedGraph:
    """Build the expanded graph of a network under routing options.

    Links of the modes not allowed, and links touching the avoided countries or the
    countries ``closed`` to transit on this trip, are left out.  Every edge is priced for
    the options' price date and service (:mod:`steppe.routing.prices`).
    """
    cost_model, cargo, modes = options.cost_model, options.cargo, options.modes
    pricer = EdgePricer(network, cost_model, cargo, PriceQuery(options.price_date, options.service))
    network = pricer.network  # with the link states of the price date
    links = _usable_links(network, modes, options.avoid | closed)
    node_ids = tuple(n.id for n in network.nodes)
    index = {nid: i for i, nid in enumerate(node_ids)}
    carriers: dict[int, set[str]] = {i: set() for i in range(len(node_ids))}
    for link in links:
        carriers[index[link.a]].add(carrier_of(link))
        carriers[index[link.b]].add(carrier_of(link))
    vertex_node: list[int] = []
    vertex_carrier: list[str | None] = []
    vertex_role: list[int] = []
    arrive: dict[tuple[int, str], int] = {}
    depart: dict[tuple[int, str], int] = {}
    start, end = np.empty(len(node_ids), np.int64), np.empty(len(node_ids), np.int64)
    for i in range(len(node_ids)):
        start[i], end[i] = len(vertex_node), len(vertex_node) + 1
        vertex_node += [i, i]
        vertex_carrier += [None, None]
        vertex_role += [0, 1]
        for c in sorted(carriers[i]):
            arrive[(i, c)], depart[(i, c)] = len(vertex_node), len(vertex_node) + 1
            vertex_node += [i, i]
            vertex_carrier += [c, c]
            vertex_role += [2, 3]
    edges = _EdgeList()
    waits = average_waits(network)  # yearly means of calendars, queues and dwell (issue 14)
    for (i, c), a in arrive.items():
        d = depart[(i, c)]
        node_wait = waits.get(("node", node_ids[i], carrier_mode(c).value, True), (0.0,))[0]
        edges.add(int(start[i]), d, EdgeKind.START, wait=node_wait)
        edges.add(a, int(end[i]), EdgeKind.END)
        if c != Mode.SEA.value:
            # every two ports have their own sea link, so a ship never needs to call at a
            # third one on the way; changing ships there would be a (sea, sea) transfer
            edges.add(a, d, EdgeKind.STAY)
    for t_idx, tr in enumerate(network.transfers):
        at = index.get(tr.node)
        if at is None or tr.from_mode not in modes or tr.to_mode not in modes:
            continue
        for c_from in carriers[at]:
            for c_to in carriers[at]:
                if c_from == c_to or carrier_mode(c_from) is not tr.from_mode:
                    continue
                if carrier_mode(c_to) is not tr.to_mode:
                    continue
                tr_cost, basis = pricer.transfer(tr)
                node_wait = waits.get(("node", tr.node, tr.to_mode.value, True), (0.0,))[0]
                edges.add(
                    arrive[(at, c_from)], depart[(at, c_to)], EdgeKind.TRANSFER,
                    tr_h=tr.time_h, tr_cost=tr_cost, transfer=t_idx, wait=node_wait,
                    co2=_hub_wtw_kg(options, c_from, c_to), cost_basis=basis,
                )  # fmt: skip
    _add_links(
        network, links, index=index, arrive=arrive, depart=depart, edges=edges,
        cm=cost_model, cargo=cargo, waits=waits, emissions=options.emissions, pricer=pricer,
    )  # fmt: skip
    pairs: list[frozenset[str]] = []
    bil = edges.ints("bilateral")
    border = edges.ints("border")
    for e in np.flatnonzero(border >= 0):
        b = network.borders[int(border[e])]
        if b.regime is BorderRegime.BILATERAL:
            pair = frozenset(network.node(x).country for x in (b.a, b.b))
            if pair not in pairs:
                pairs.append(pair)
            bil[e] = pairs.index(pair)
    graph = ExpandedGraph(
        network=network,
        node_ids=node_ids,
        vertex_node=np.asarray(vertex_node, np.int64),
        vertex_carrier=tuple(vertex_carrier),
        vertex_role=np.asarray(vertex_role, np.int64),
        start=start,
        end=end,
        src=edges.ints("src"),
        dst=edges.ints("dst"),
        kind=edges.ints("kind"),
        move_h=edges.floats("move"),
        wait_h=edges.floats("wait"),
        dwell_h=edges.floats("dwell"),
        transfer_h=edges.floats("tr_h"),
        link_cost=edges.floats("link_cost"),
        fee_cost=edges.floats("fee"),
        transfer_cost=edges.floats("tr_cost"),
        co2_kg=edges.floats("co2"),
        distance_km=edges.floats("dist"),
        link=edges.ints("link"),
        border=border,
        transfer=edges.ints("transfer"),
        bilateral=bil,
        bilateral_pairs=tuple(pairs),
        value_of_time=cost_model.value_of_time(cargo),
        options=options,
        price_month=pricer.month,
        service=pricer.service,
        price_bases=tuple(pricer.bases),
        cost_basis=edges.ints("cost_basis"),
        fee_basis=edges.ints("fee_basis"),
    )
    logger.debug("expanded graph: %d vertices, %d edges", graph.n_vertices, len(graph.src))
    return graph


def _add_links(
    network: Network,
    links: list[Link],
    *,
    index: dict[str, int],
    arrive: dict[tuple[int, str], int],
    depart: dict[tuple[int, str], int],
    edges: _EdgeList,
    cm: CostModel,
    cargo: Cargo,
    waits: dict[tuple[str, str, str, bool], tuple[float, bool]],
    emissions: EmissionsModel,
    pricer: EdgePricer,
) -> None:
    link_index = {lk.id: k for k, lk in enumerate(network.links)}
    border_index = {b.id: k for k, b in enumerate(network.borders)}
    for link in links:
        c = carrier_of(link)
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
            else emissions.leg_intensity(link.mode.value, countries).wtw
            * cargo.tonnes * link.length_km / 1000.0
        )  # fmt: skip
        border = network.borders_by_pair.get(frozenset((link.a, link.b)))
        directions = [(link.a, link.b)]
        if link.direction is Direction.BOTH:
            directions.append((link.b, link.a))
        for u, v in directions:
            dwell_h = fee = 0.0
            b_idx = fee_basis = -1
            if border is not None:
                dwell = _crossing(border, link.mode, forward=(u == border.a))
                if dwell is None:
                    continue
                fee, fee_basis = pricer.fee(border, link, dwell[1])
                dwell_h, b_idx = dwell[0], border_index[border.id]
            money, basis = pricer.link(link_index[link.id], forward=(u == link.a))
            link_wait = wait
            if (w := waits.get(("link", link.id, link.mode.value, u == link.a))) is not None:
                link_wait = w[0] + (0.0 if w[1] else wait)  # w[1]: replaces half the headway
            if border is not None:
                w = waits.get(("border", border.id, link.mode.value, u == border.a))
                if w is not None:
                    dwell_h = w[0] + (0.0 if w[1] else dwell_h)  # w[1]: replaces survey dwell
            edges.add(
                depart[(index[u], c)], arrive[(index[v], c)], EdgeKind.LINK,
                move=move, wait=link_wait, dwell=dwell_h, link_cost=money, fee=fee, co2=co2,
                dist=link.length_km, link=link_index[link.id], border=b_idx,
                cost_basis=basis, fee_basis=fee_basis,
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
