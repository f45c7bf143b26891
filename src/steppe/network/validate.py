"""Check a network for problems that single rows cannot show, reporting all of them at once.

Row-level problems (missing cells, non-numbers, unknown enum values) are found while
reading, in :mod:`steppe.network.io`; this module checks the network as a whole:
duplicate ids, links to unknown nodes, border crossings within one country, ferries that
do not touch a port, gauges that meet with no gauge-change transfer, and pieces of the
network that cannot be reached from the rest (a warning).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from steppe.errors import NetworkFileError, Problem
from steppe.network.calendars import check_time_tables
from steppe.network.model import Mode, Network, NodeKind

__all__ = ["check_network", "validate_network"]

_PORTS = frozenset({NodeKind.SEA_PORT})


def _row(rows: Mapping[str, Sequence[int]] | None, table: str, index: int) -> int:
    if rows is not None and table in rows:
        return rows[table][index]
    return index + 2  # header is row 1


def check_network(
    network: Network,
    *,
    rows: Mapping[str, Sequence[int]] | None = None,
    unparsed_node_ids: Collection[str] = (),
) -> list[Problem]:
    """Return every problem of a network, errors and warnings, in file order.

    Parameters
    ----------
    network
        The network to check.
    rows
        For each table file name, the CSV row number of each object in order; when the
        network was built in code, rows count from 2 in tuple order.
    unparsed_node_ids
        Ids of node rows that could not be parsed (already reported); references to
        them are not reported again as unknown nodes.

    Returns
    -------
    list of Problem
        ``severity`` is ``"error"`` or ``"warning"`` (disconnected pieces).

    Examples
    --------
    >>> import steppe
    >>> [p for p in check_network(steppe.load_network()) if p.severity == "error"]
    []
    """
    problems: list[Problem] = []

    def add(
        table: str, index: int, column: str | None, message: str, severity: str = "error"
    ) -> None:
        problems.append(Problem(table, message, _row(rows, table, index), column, severity))

    nodes = network.nodes_by_id
    known = set(nodes) | set(unparsed_node_ids)
    for table, ids in (
        ("nodes.csv", [n.id for n in network.nodes]),
        ("links.csv", [lk.id for lk in network.links]),
        ("borders.csv", [b.id for b in network.borders]),
    ):
        counts = Counter(ids)
        for i, x in enumerate(ids):
            if counts[x] > 1:
                add(table, i, "id", f"duplicate id {x!r}")

    for i, lk in enumerate(network.links):
        for column in ("a", "b"):
            if getattr(lk, column) not in known:
                add("links.csv", i, column, f"unknown node {getattr(lk, column)!r}")
        if lk.a == lk.b:
            add("links.csv", i, "b", "a link must join two different nodes")
        if lk.mode in (Mode.FERRY, Mode.SEA):
            ends = [nodes[x] for x in (lk.a, lk.b) if x in nodes]
            for end in ends:
                if end.kind not in _PORTS:
                    add(
                        "links.csv",
                        i,
                        "mode",
                        f"a {lk.mode} link must join sea ports; {end.id!r} is a {end.kind}",
                    )
            if lk.duration_h is None:
                add("links.csv", i, "duration_h", f"a {lk.mode} link needs a duration_h")
        elif (
            lk.a in nodes
            and lk.b in nodes
            and nodes[lk.a].country != nodes[lk.b].country
            and frozenset((lk.a, lk.b)) not in network.borders_by_pair
        ):
            add(
                "links.csv",
                i,
                "b",
                f"{lk.mode} link {lk.id!r} crosses from {nodes[lk.a].country} to "
                f"{nodes[lk.b].country} with no border crossing in borders.csv",
            )

    for i, b in enumerate(network.borders):
        for column in ("a", "b"):
            if getattr(b, column) not in known:
                add("borders.csv", i, column, f"unknown node {getattr(b, column)!r}")
        if b.a in nodes and b.b in nodes and nodes[b.a].country == nodes[b.b].country:
            add("borders.csv", i, "b", f"both sides of border {b.id!r} are in {nodes[b.a].country}")
        joined = [lk for lk in network.links if {lk.a, lk.b} == {b.a, b.b}]
        if b.a in nodes and b.b in nodes and not joined:
            add("borders.csv", i, "a", f"no link joins {b.a!r} and {b.b!r}")

    seen: Counter[tuple[str, Mode, Mode]] = Counter(
        (t.node, t.from_mode, t.to_mode) for t in network.transfers
    )
    gauge_changes = {
        t.node for t in network.transfers if t.from_mode is Mode.RAIL and t.to_mode is Mode.RAIL
    }
    for i, t in enumerate(network.transfers):
        if t.node not in known:
            add("transfers.csv", i, "node", f"unknown node {t.node!r}")
        if seen[(t.node, t.from_mode, t.to_mode)] > 1:
            add(
                "transfers.csv",
                i,
                "node",
                f"duplicate transfer {t.from_mode}->{t.to_mode} at {t.node!r}",
            )

    gauges: dict[str, set[int]] = {}
    for lk in network.links:
        if lk.mode is Mode.RAIL and lk.gauge_mm is not None:
            for end_id in (lk.a, lk.b):
                gauges.setdefault(end_id, set()).add(lk.gauge_mm)
    for i, n in enumerate(network.nodes):
        if len(gauges.get(n.id, ())) > 1 and n.id not in gauge_changes:
            add(
                "nodes.csv",
                i,
                "id",
                f"rail gauges {sorted(gauges[n.id])} meet at {n.id!r} with no rail->rail "
                "transfer (gauge change) in transfers.csv",
            )

    problems.extend(check_time_tables(network, rows=rows))
    problems.extend(_disconnected(network, rows))
    return problems


def _disconnected(network: Network, rows: Mapping[str, Sequence[int]] | None) -> list[Problem]:
    index = {n.id: i for i, n in enumerate(network.nodes)}
    pairs = [
        (index[lk.a], index[lk.b])
        for lk in network.links
        if lk.a in index and lk.b in index and lk.status.usable
    ]
    if not network.nodes:
        return []
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    size = len(network.nodes)
    graph = coo_matrix((np.ones(len(pairs)), (src, dst)), shape=(size, size))
    count, labels = connected_components(graph, directed=False)
    if count <= 1:
        return []
    main = np.bincount(labels).argmax()
    return [
        Problem(
            "nodes.csv",
            f"node {n.id!r} is not connected to the main network",
            _row(rows, "nodes.csv", i),
            "id",
            "warning",
        )
        for i, n in enumerate(network.nodes)
        if labels[index[n.id]] != main
    ]


def validate_network(
    network: Network, *, rows: Mapping[str, Sequence[int]] | None = None
) -> Network:
    """Return the network unchanged if it has no errors; raise them all at once otherwise.

    Raises
    ------
    NetworkFileError
        Carrying every error (and warning) found, each with file, row and column.

    Examples
    --------
    >>> import steppe
    >>> net = validate_network(steppe.load_network())
    """
    problems = check_network(network, rows=rows)
    if any(p.severity == "error" for p in problems):
        raise NetworkFileError(problems)
    return network
