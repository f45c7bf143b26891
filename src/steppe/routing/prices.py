"""Price each edge of the routing graph from dated tariffs, or from the per-km fallback.

For a price date (a month), a service and a cargo, :class:`EdgePricer` gives the money of
every link, border and transfer edge, and remembers what priced it (a
:class:`PriceBasis`: the tariff rows, or the fallback and its source):

* **links** — the tariff rows that apply to the link that month (``link:``, ``border:`` for
  the link across a crossing, or a ``path:`` section whose amount is spread over its links
  by length); else the link's own ``cost_usd`` (ferry and sea tariffs of the network); else
  the cost model's USD per km (CAREC CPMM rates for KAZ and MNG, estimates elsewhere);
* **borders** — a ``border:`` tariff prices the crossing link and its fee together; else the
  fee of ``borders.csv`` — **not** charged where the CPMM per-km rate prices the crossing and
  the links beyond its post in a CPMM country, because CPMM's cost per corridor section
  already contains border-crossing costs (the double counting fixed in issue 13);
* **transfers** — a ``transfer:`` tariff; else ``transfers.csv``, with the same rule for a
  gauge change at the post of such a crossing.

Amounts in other currencies are converted with the month's rate of ``fx_rates.csv``.
Everything is computed while the graph is built (and cached), so routing is not slowed.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from steppe.errors import ConfigError
from steppe.network.model import Border, Link, LinkStatus, Mode, Network, Transfer
from steppe.network.tariffs import PriceTables, Tariff, TariffUnit, parse_month
from steppe.routing.costs import Cargo, CostModel

__all__ = [
    "SERVICES",
    "EdgePricer",
    "PriceBasis",
    "PriceQuery",
    "dated_network",
    "default_service",
    "resolve_price_date",
    "resolve_service",
]

logger = logging.getLogger(__name__)

SERVICES: tuple[str, ...] = ("block", "wagon", "express")
"""Rail services a query may book; road legs are always priced as ``truck``."""
_PATH_MODES = frozenset({Mode.RAIL, Mode.FERRY})
# node index, CSR of rail/ferry link lengths, (node, node) -> (link index, travelled a->b)
_PathGraph = tuple[dict[str, int], Any, dict[tuple[int, int], tuple[int, bool]]]


@dataclass(frozen=True, slots=True)
class PriceQuery:
    """The price basis of a query: a month (``YYYY-MM``) and a rail service.

    ``None`` means the default: the latest month the tariff tables cover, and the
    service a forwarder books for the cargo (:func:`default_service`).
    """

    month: str | None = None
    service: str | None = None


@dataclass(frozen=True, slots=True)
class PriceBasis:
    """What priced an edge: tariff ids (``+``-joined) or a ``fallback:`` rule, and its source."""

    ref: str
    source: str

    @property
    def is_fallback(self) -> bool:
        """Return whether no tariff row priced the edge."""
        return self.ref.startswith("fallback:")

    def to_dict(self) -> dict[str, Any]:
        """Return the basis as JSON-ready data."""
        return {"ref": self.ref, "source": self.source}


def default_service(cargo: Cargo) -> str:
    """Return the rail service a forwarder books for a cargo: block train for a container.

    A part load given in tonnes below one FEU's mass goes as wagon load.

    Examples
    --------
    >>> default_service(Cargo()), default_service(Cargo("tonnes", 8.0))
    ('block', 'wagon')
    """
    if cargo.unit == "tonnes" and cargo.tonnes < 20.0:
        return "wagon"
    return "block"


def resolve_service(service: str | None, cargo: Cargo) -> str:
    """Return the service to price with, refusing unknown names.

    Raises
    ------
    ConfigError
        Naming the allowed services.
    """
    if service is None:
        return default_service(cargo)
    name = service.strip().lower()
    if name not in SERVICES:
        raise ConfigError(f"service: unknown service {service!r}; use one of {', '.join(SERVICES)}")
    return name


def resolve_price_date(tables: PriceTables, month: str | None) -> str | None:
    """Return the month to price at: the one given, or the latest the tables cover.

    Returns ``None`` when the network has no tariffs (every edge uses the fallback).

    Raises
    ------
    ConfigError
        If the month is not ``YYYY-MM`` or lies outside the months the tariffs cover.

    Examples
    --------
    >>> import steppe
    >>> resolve_price_date(steppe.load_network().prices, "2024-07")
    '2024-07'
    """
    span = tables.span()
    if month is None:
        return tables.latest()
    parsed = parse_month(str(month))
    if parsed is None:
        raise ConfigError(f"price_date: {month!r} is not a month; use YYYY-MM, e.g. 2024-07")
    if span is None:
        raise ConfigError(f"price_date: {parsed}: this network has no dated tariffs")
    if not span[0] <= parsed <= span[1]:
        raise ConfigError(
            f"price_date: {parsed} is outside the months the tariffs cover ({span[0]} to {span[1]})"
        )
    return parsed


def dated_network(network: Network, month: str | None) -> Network:
    """Return the network with the link states of ``link_status.csv`` for a month applied.

    The Suez and Cape sea lanes, for instance, open and close by date.  The network is
    returned unchanged when no state differs.
    """
    if month is None or not network.prices.link_states:
        return network
    status = {s.link: s.status for s in network.prices.link_states if s.covers(month)}
    if all(network.links_by_id[k].status is v for k, v in status.items() if k in
           network.links_by_id):  # fmt: skip
        return network
    from dataclasses import replace

    links = tuple(
        replace(lk, status=LinkStatus(status[lk.id])) if lk.id in status else lk
        for lk in network.links
    )
    return network.replace(links=links)


class EdgePricer:
    """Prices of a network's edges for one month, service, cost model and cargo."""

    def __init__(
        self,
        network: Network,
        cost_model: CostModel,
        cargo: Cargo,
        query: PriceQuery | None = None,
    ) -> None:
        query = query or PriceQuery()
        self.tables = network.prices
        self.month = resolve_price_date(self.tables, query.month)
        self.service = resolve_service(query.service, cargo)
        self.network = dated_network(network, self.month)
        self.cm, self.cargo = cost_model, cargo
        self.feu = cost_model.feu_equivalents(cargo)
        self.bases: list[PriceBasis] = []
        self._basis_index: dict[PriceBasis, int] = {}
        self._link_rows: dict[tuple[int, bool], list[tuple[Tariff, float]]] = {}
        self._border_rows: dict[str, list[Tariff]] = {}
        self._transfer_rows: dict[str, list[Tariff]] = {}
        self._fallback_cache: dict[str, tuple[float, int]] = {}
        self._km_basis: dict[tuple[Mode, tuple[str, ...]], int] = {}
        self._tariff_cache: dict[tuple[int, bool], tuple[float, int] | None] = {}
        self._section_nodes: dict[str, str] = {}  # interior node -> section (path) item
        self._link_ids: dict[str, int] | None = None  # link id -> index, built on first fee
        self._path_cache: _PathGraph | None = None
        if self.month is not None:
            self._index_rows()
        self._waived = self._waived_posts()

    # -- bookkeeping -------------------------------------------------------------------
    def basis(self, ref: str, source: str) -> int:
        """Return the index of a price basis, adding it if new."""
        key = PriceBasis(ref, source)
        if key not in self._basis_index:
            self._basis_index[key] = len(self.bases)
            self.bases.append(key)
        return self._basis_index[key]

    def _applies(self, t: Tariff, mode: Mode | None) -> bool:
        if self.month is None or not t.covers(self.month):
            return False
        if t.service == "any":
            return True
        if mode is Mode.ROAD:
            return t.service == "truck"
        return t.service == self.service

    def _index_rows(self) -> None:
        links = {lk.id: k for k, lk in enumerate(self.network.links)}
        paths: dict[str, list[tuple[int, bool]]] = {}
        for t in self.tables.tariffs:
            if self.month is None or not t.covers(self.month):
                continue
            kind, _, ref = t.applies_to.partition(":")
            if kind == "link" and ref in links:
                for fwd in (True, False):
                    if fwd or t.direction == "both":
                        self._link_rows.setdefault((links[ref], fwd), []).append((t, 1.0))
            elif kind == "border":
                self._border_rows.setdefault(ref, []).append(t)
            elif kind == "transfer":
                self._transfer_rows.setdefault(ref, []).append(t)
            elif kind == "path":
                if ref not in paths:
                    paths[ref] = self._path_links(ref.split(">"))
                steps = paths[ref]
                for k, fwd in steps[1:]:  # interior nodes: where the section goes on
                    lk = self.network.links[k]
                    self._section_nodes.setdefault(lk.a if fwd else lk.b, t.applies_to)
                total = sum(self.network.links[k].length_km for k, _ in steps)
                for k, fwd in steps:
                    share = self.network.links[k].length_km / total if total else 0.0
                    for along in (True, False):
                        if along or t.direction == "both":
                            key = (k, fwd if along else not fwd)
                            self._link_rows.setdefault(key, []).append((t, share))

    def _path_graph(self) -> _PathGraph:
        """Return (node index, CSR of rail/ferry lengths, edge -> (link, a->b)), built once."""
        if self._path_cache is None:
            self._path_cache = self._build_path_graph()
        return self._path_cache

    def _path_links(self, places: list[str]) -> list[tuple[int, bool]]:
        """Return (link index, travelled a->b) along the shortest rail/ferry path."""
        index, graph, edge_of = self._path_graph()
        steps: list[tuple[int, bool]] = []
        for a, b in itertools.pairwise(places):
            if a not in index or b not in index:
                return []
            _, pred = dijkstra(graph, indices=index[a], return_predecessors=True)
            v, leg = index[b], []
            while v != index[a]:
                u = int(pred[v])
                if u < 0:
                    logger.warning("tariff path %s>%s is not connected; tariff unused", a, b)
                    return []
                leg.append(edge_of[(u, v)])
                v = u
            steps += reversed(leg)
        return steps

    def _build_path_graph(self) -> _PathGraph:
        net = self.network
        index = {n.id: i for i, n in enumerate(net.nodes)}
        cand = [(k, lk) for k, lk in enumerate(net.links)
                if lk.mode in _PATH_MODES and lk.status.usable]  # fmt: skip
        src = np.array([index[lk.a] for _, lk in cand] + [index[lk.b] for _, lk in cand])
        dst = np.array([index[lk.b] for _, lk in cand] + [index[lk.a] for _, lk in cand])
        w = np.array([lk.length_km for _, lk in cand] * 2, dtype=np.float64)
        n = len(net.nodes)
        order = np.lexsort((w, dst, src))
        src, dst, w = src[order], dst[order], w[order]
        first = np.ones(len(src), bool)
        first[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
        graph = coo_matrix((w[first], (src[first], dst[first])), shape=(n, n)).tocsr()
        edge_of: dict[tuple[int, int], tuple[int, bool]] = {}
        for k, lk in cand:
            for a, b, fwd in ((lk.a, lk.b, True), (lk.b, lk.a, False)):
                key = (index[a], index[b])
                if key not in edge_of or net.links[edge_of[key][0]].length_km > lk.length_km:
                    edge_of[key] = (k, fwd)
        return index, graph, edge_of

    # -- amounts -------------------------------------------------------------------------
    def _usd(self, t: Tariff, km: float) -> float:
        assert self.month is not None  # rows apply only with a month
        rate = self.tables.usd_per_unit(t.currency, self.month)
        if rate is None:  # validated on reading; a network built in code may lack it
            raise ConfigError(f"tariff {t.id}: no {t.currency} rate for {self.month}")
        amount = t.amount * rate
        if t.unit in (TariffUnit.FEU, TariffUnit.TRUCK, TariffUnit.WAGON):
            return amount * self.feu
        if t.unit is TariffUnit.FEU_KM:
            return amount * km * self.feu
        if t.unit is TariffUnit.TEU:
            if self.cargo.unit == "teu":
                return amount
            return amount * self.feu / self.cm.teu_feu_equivalent
        return amount * self.cargo.tonnes

    def _rows_basis(self, rows: Iterable[Tariff]) -> int:
        rows = list(rows)
        return self.basis("+".join(t.id for t in rows), " | ".join(t.source for t in rows))

    def _tariff_link(self, k: int, forward: bool) -> tuple[float, int] | None:
        if (k, forward) not in self._link_rows:
            return None
        if (k, forward) not in self._tariff_cache:
            self._tariff_cache[(k, forward)] = self._tariff_price(k, forward)
        return self._tariff_cache[(k, forward)]

    def _tariff_price(self, k: int, forward: bool) -> tuple[float, int] | None:
        link = self.network.links[k]
        found = [(t, s) for t, s in self._link_rows.get((k, forward), ())
                 if self._applies(t, link.mode)]  # fmt: skip
        if not found:
            return None
        # One item prices the link: a link row beats a section, else the first section in
        # file order; its components (rows of different names) add up.
        items = sorted({t.applies_to for t, _ in found}, key=lambda a: not a.startswith("link:"))
        first = [t.applies_to for t, _ in found]
        item = items[0] if items[0].startswith("link:") else min(items, key=first.index)
        chosen = [(t, s) for t, s in found if t.applies_to == item]
        usd = sum(self._usd(t, link.length_km) * s for t, s in chosen)
        return usd, self._rows_basis(t for t, _ in chosen)

    def _fallback_link(self, link: Link) -> tuple[float, int]:
        hit = self._fallback_cache.get(link.id)
        if hit is None:
            hit = self._fallback_cache[link.id] = self._fallback_price(link)
        return hit

    def _fallback_price(self, link: Link) -> tuple[float, int]:
        if link.cost_usd is not None:
            return link.cost_usd * self.feu, self.basis(
                "fallback:link-cost", f"links.csv cost_usd of {link.id}: {link.source}"
            )
        countries = self.network.link_countries(link)
        rate = self.cm.usd_per_km(link.mode, countries)
        key = (link.mode, countries)
        if key not in self._km_basis:
            cpmm = [c for c in countries if self._cpmm(link.mode, c)]
            what = "CAREC CPMM" if cpmm else "cost model estimate"
            self._km_basis[key] = self.basis(
                f"fallback:{link.mode.value}-per-km",
                f"{what}: {link.mode.value} USD per FEU-km by country ({', '.join(countries)});"
                " docs/routing.md, cost model defaults",
            )
        return rate * link.length_km * self.feu, self._km_basis[key]

    def _cpmm(self, mode: Mode, country: str) -> bool:
        return country in self.cm.border_costs_in_rates and self.cm.has_country_rate(mode, country)

    def link(self, k: int, forward: bool) -> tuple[float, int]:
        """Return (USD for the cargo, basis index) of travelling link ``k``."""
        link = self.network.links[k]
        border = self.network.borders_by_pair.get(frozenset((link.a, link.b)))
        if border is not None:
            shuttle = self._border_tariff(border, link.mode)
            if shuttle is not None:
                return shuttle
        return self._tariff_link(k, forward) or self._fallback_link(link)

    def tariffed_links(self) -> frozenset[int]:
        """Return the indices of the links that dated tariff rows may price this month."""
        return frozenset(k for k, _ in self._link_rows)

    def _border_tariff(self, border: Border, mode: Mode) -> tuple[float, int] | None:
        rows = [t for t in self._border_rows.get(border.id, ()) if self._applies(t, mode)
                and (mode is Mode.ROAD) == (t.service == "truck")]  # fmt: skip
        if not rows:
            return None
        return sum(self._usd(t, 0.0) for t in rows), self._rows_basis(rows)

    def fee(self, border: Border, link: Link, fee_usd: float) -> tuple[float, int]:
        """Return (USD, basis index) of a crossing's fee for the cargo."""
        if self._border_tariff(border, link.mode) is not None:
            what = "included in the border tariff of the crossing link"
            return 0.0, self.basis("included:border-tariff", what)
        if (border.id, link.mode) in self._waived:
            return 0.0, self._included_cpmm()
        if self._link_ids is None:
            self._link_ids = {lk.id: k for k, lk in enumerate(self.network.links)}
        k = self._link_ids[link.id]
        if any(self._in_section(k, fwd) for fwd in (True, False)):
            return 0.0, self._included_section()
        return fee_usd * self.feu, self.basis(
            "fallback:border-fee", f"borders.csv fee of {border.id}: {border.source}"
        )

    def _in_section(self, k: int, forward: bool) -> bool:
        """Return whether a section (``path:``) tariff prices link ``k`` in this month."""
        priced = self._tariff_link(k, forward)
        return priced is not None and any(
            t.applies_to.startswith("path:") for t in self._rows_of(priced[1])
        )

    def _section_applies(self, item: str) -> bool:
        return any(t.applies_to == item and self._applies(t, Mode.RAIL)
                   for t in self.tables.tariffs)  # fmt: skip

    def _rows_of(self, basis: int) -> list[Tariff]:
        ids = set(self.bases[basis].ref.split("+"))
        return [t for t in self.tables.tariffs if t.id in ids]

    def _included_section(self) -> int:
        return self.basis(
            "included:section-tariff",
            "included in the through-rate of the section (border formalities, port and "
            "gauge-change handling inside it)",
        )

    def _included_cpmm(self) -> int:
        return self.basis(
            "included:cpmm-per-km",
            "CAREC CPMM cost per corridor section (TFI3) already contains border-crossing "
            "costs; not charged again where the CPMM per-km rate prices the crossing",
        )

    def transfer(self, tr: Transfer) -> tuple[float, int]:
        """Return (USD, basis index) of a transfer for the cargo."""
        key = f"{tr.node}:{tr.from_mode.value}>{tr.to_mode.value}"
        rows = [t for t in self._transfer_rows.get(key, ()) if self._applies(t, tr.from_mode)]
        if rows:
            return sum(self._usd(t, 0.0) for t in rows), self._rows_basis(rows)
        if (
            tr.node in self._section_nodes
            and tr.from_mode in _PATH_MODES
            and tr.to_mode in _PATH_MODES
            and self._section_applies(self._section_nodes[tr.node])
        ):
            return 0.0, self._included_section()
        gauge = tr.from_mode is Mode.RAIL and tr.to_mode is Mode.RAIL
        if gauge and any((b, Mode.RAIL) in self._waived for b in self._posts.get(tr.node, ())):
            return 0.0, self._included_cpmm()
        return tr.cost_usd * self.feu, self.basis(
            "fallback:transfer-cost", f"transfers.csv cost of {key}: {tr.source}"
        )

    def _waived_posts(self) -> set[tuple[str, Mode]]:
        """Return (border id, mode) whose fees the CPMM per-km rate already contains.

        A crossing qualifies when its link is priced by the per-km fallback and, at a post
        in a CPMM country, every other link of that mode is too (a through-rate starting
        at the post, such as ERAI from Dostyk, does not contain the crossing's costs).
        """
        net = self.network
        self._posts: dict[str, list[str]] = {}
        if not net.borders:
            return set()
        at_posts = {p for b in net.borders for p in (b.a, b.b)}
        index: dict[str, int] = {}
        incident: dict[str, list[Link]] = {}
        for k, lk in enumerate(net.links):  # only the links at border posts matter
            if lk.a in at_posts or lk.b in at_posts:
                index[lk.id] = k
                incident.setdefault(lk.a, []).append(lk)
                incident.setdefault(lk.b, []).append(lk)
        waived: set[tuple[str, Mode]] = set()
        for b in net.borders:
            self._posts.setdefault(b.a, []).append(b.id)
            self._posts.setdefault(b.b, []).append(b.id)
            for lk in incident.get(b.a, ()):
                if {lk.a, lk.b} != {b.a, b.b} or not self._by_cpmm(lk, index[lk.id]):
                    continue
                posts = [p for p in (b.a, b.b) if self._cpmm(lk.mode, net.node(p).country)]
                if posts and all(
                    self._by_cpmm(o, index[o.id])
                    for p in posts for o in incident[p] if o.mode is lk.mode and o is not lk
                ):  # fmt: skip
                    waived.add((b.id, lk.mode))
        return waived

    def _by_cpmm(self, link: Link, k: int) -> bool:
        """Return whether a link is priced by a CPMM per-km rate (no tariff, no cost_usd)."""
        if link.cost_usd is not None or link.mode not in (Mode.ROAD, Mode.RAIL):
            return False
        if self._tariff_link(k, True) is not None or self._tariff_link(k, False) is not None:
            return False
        return any(self._cpmm(link.mode, c) for c in self.network.link_countries(link))
