"""The multimodal corridor network: nodes, links, border crossings and transfers.

Everything here is immutable.  A :class:`Network` is built once (from files or from
code), validated, and then only read; scenarios make new networks instead of editing
one.  Units: km, hours, USD, kg CO2e; countries are ISO 3166 alpha-3 codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

    from steppe.network.calendars import Closure, QueueSpec
    from steppe.network.tariffs import PriceTables

__all__ = [
    "Border",
    "BorderRegime",
    "Direction",
    "Dwell",
    "Link",
    "LinkStatus",
    "Mode",
    "Network",
    "NetworkMeta",
    "Node",
    "NodeKind",
    "Transfer",
]


class Mode(StrEnum):
    """How a link is travelled, and what that implies for routing and data.

    Each mode knows whether it runs to a timetable (:attr:`scheduled`: the router adds
    a wait for the next departure, and scenario ``change_ferry`` edits apply), whether it
    crosses land borders with a dwell (:attr:`crosses_borders`: the ``borders.csv`` and
    scenario dwell columns :attr:`dwell_columns`) and whether its links have a gauge
    (:attr:`has_gauge`).  Adding a mode (an inland waterway, air) touches: this class
    and ``_BEHAVIOUR``; :class:`steppe.routing.CostModel` (its rates and their sources in
    ``docs/routing.md``); ``network/_tables.py`` if it crosses borders; the web request's
    ``ModeName``; and the network data.

    Examples
    --------
    >>> Mode.FERRY.scheduled, Mode.ROAD.scheduled
    (True, False)
    >>> Mode.RAIL.dwell_columns[:2]
    ('rail_ab_median_h', 'rail_ab_p90_h')
    """

    ROAD = "road"
    RAIL = "rail"
    FERRY = "ferry"
    SEA = "sea"

    @property
    def scheduled(self) -> bool:
        """Return whether the mode runs to a timetable (a wait for the next departure)."""
        return _BEHAVIOUR[self][0]

    @property
    def crosses_borders(self) -> bool:
        """Return whether the mode crosses land borders with a dwell and a fee."""
        return _BEHAVIOUR[self][1]

    @property
    def has_gauge(self) -> bool:
        """Return whether the mode's links carry a track gauge."""
        return _BEHAVIOUR[self][2]

    @property
    def dwell_columns(self) -> tuple[str, ...]:
        """Return the border-dwell columns of this mode (none if it crosses no borders)."""
        if not self.crosses_borders:
            return ()
        return tuple(f"{self.value}_{way}_{stat}_h" for way in ("ab", "ba")
                     for stat in ("median", "p90"))  # fmt: skip


# scheduled, crosses land borders, has a gauge
_BEHAVIOUR: Mapping[Mode, tuple[bool, bool, bool]] = MappingProxyType({
    Mode.ROAD: (False, True, False),
    Mode.RAIL: (False, True, True),
    Mode.FERRY: (True, False, False),
    Mode.SEA: (True, False, False),
})  # fmt: skip


class NodeKind(StrEnum):
    """What a node is."""

    CITY = "city"
    BORDER = "border_crossing"
    SEA_PORT = "sea_port"
    DRY_PORT = "dry_port"
    RAIL_TERMINAL = "rail_terminal"
    GAUGE_CHANGE = "gauge_change"


class LinkStatus(StrEnum):
    """Whether a link can be used, and how."""

    OPEN = "open"
    PLANNED = "planned"
    UNDER_REPAIR = "under_repair"
    CLOSED = "closed"

    @property
    def usable(self) -> bool:
        """Return whether traffic can use a link in this state."""
        return self in (LinkStatus.OPEN, LinkStatus.UNDER_REPAIR)


class Direction(StrEnum):
    """Which way a link may be travelled: ``both``, or only ``forward`` from ``a`` to ``b``."""

    BOTH = "both"
    FORWARD = "forward"


class BorderRegime(StrEnum):
    """Who may cross at a border crossing point."""

    INTERNATIONAL = "international"
    BILATERAL = "bilateral"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Node:
    """A place on the network: a city, border post, port, terminal or gauge-change station.

    Parameters
    ----------
    id
        Stable slug, e.g. ``"oskemen"``.
    name
        Display name in English transliteration.
    lat, lon
        WGS84 degrees.
    country
        ISO 3166 alpha-3 code.
    kind
        What the node is.
    aliases
        Other spellings and transliterations used for lookup.
    geonameid, unlocode
        Identifiers in GeoNames and UN/LOCODE, when known.
    source
        Where the coordinates and facts come from (fact id, URL, title or ``estimate: ...``).
    """

    id: str
    name: str
    lat: float
    lon: float
    country: str
    kind: NodeKind = NodeKind.CITY
    aliases: tuple[str, ...] = ()
    geonameid: int | None = None
    unlocode: str | None = None
    source: str = ""

    def to_dict(self) -> dict[str, object]:
        """Return the place as JSON-ready data (id, name, country, kind, lat, lon, aliases)."""
        return {"id": self.id, "name": self.name, "country": self.country,
                "kind": self.kind.value, "lat": self.lat, "lon": self.lon,
                "aliases": list(self.aliases)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Link:
    """A road, rail, ferry or sea leg between two nodes.

    A link has either a ``speed_kmh`` (road, rail) or a fixed ``duration_h``
    (ferries and sea legs, where the schedule rather than distance sets the time).

    Parameters
    ----------
    id
        Stable slug.
    a, b
        Node ids of the two ends.
    mode
        Road, rail, ferry or sea.
    length_km
        Length along the way travelled.
    speed_kmh
        Average commercial speed when moving.
    duration_h
        Fixed travel time; wins over ``speed_kmh`` when both are set.
    gauge_mm
        Rail gauge (1520, 1435, ...); required for rail, empty otherwise.
    status
        Open, planned, under repair (usable, often slower) or closed.
    direction
        ``both`` or ``forward`` (``a`` to ``b`` only).
    headway_h
        Time between departures for scheduled legs (ferries, sea); half of it is the
        expected wait.
    capacity
        Optional capacity, in the unit given by the network metadata.
    cost_usd
        Optional price of the whole leg for one FEU, replacing the per-km cost model
        (ferry and sea tariffs).
    co2_kg
        Optional emissions of the whole leg for one FEU, replacing the per-tonne-km factor.
    countries
        Countries the link runs through, in order from ``a``; empty means those of its ends.
    geometry
        Optional polyline as ``((lat, lon), ...)`` from ``a`` to ``b``.
    source
        Where the numbers come from.
    length_source
        How ``length_km`` was obtained (``osm``, ``published: ...``, ``estimate: ...``).
    """

    id: str
    a: str
    b: str
    mode: Mode
    length_km: float
    speed_kmh: float | None = None
    duration_h: float | None = None
    gauge_mm: int | None = None
    status: LinkStatus = LinkStatus.OPEN
    direction: Direction = Direction.BOTH
    headway_h: float | None = None
    capacity: float | None = None
    cost_usd: float | None = None
    co2_kg: float | None = None
    countries: tuple[str, ...] = ()
    geometry: tuple[tuple[float, float], ...] | None = None
    source: str = ""
    length_source: str = ""


@dataclass(frozen=True, slots=True)
class Dwell:
    """Time spent crossing one border by one mode in one direction.

    ``median_h`` is the typical crossing time, ``p90_h`` a high percentile used for
    reliability; ``fee_usd`` is the charge per FEU.
    """

    mode: Mode
    forward: bool
    median_h: float
    p90_h: float
    fee_usd: float = 0.0


@dataclass(frozen=True, slots=True)
class Border:
    """A border crossing: the two crossing-point nodes facing each other across a border.

    Dwell applies to any link joining ``a`` and ``b``; ``forward`` dwell is for
    travel from ``a`` to ``b``.  A mode with no dwell entry is not open at this crossing.
    """

    id: str
    a: str
    b: str
    regime: BorderRegime = BorderRegime.INTERNATIONAL
    dwell: tuple[Dwell, ...] = ()
    name: str = ""
    source: str = ""

    def dwell_for(self, mode: Mode, *, forward: bool) -> Dwell | None:
        """Return the dwell for a mode and direction, or ``None`` if that mode cannot cross."""
        for d in self.dwell:
            if d.mode is mode and d.forward is forward:
                return d
        return None


@dataclass(frozen=True, slots=True)
class Transfer:
    """Time and cost of changing mode (or rail gauge) at a node.

    ``from_mode == to_mode == rail`` is a gauge change (bogie exchange or transshipment
    between 1520 and 1435 mm wagons).  Changes between land modes and ferry or sea are
    port handling.  The expected wait for a ferry (half its headway) is added by the
    router from the ferry link, not stored here.
    """

    node: str
    from_mode: Mode
    to_mode: Mode
    time_h: float
    cost_usd: float
    source: str = ""


@dataclass(frozen=True, slots=True)
class NetworkMeta:
    """Metadata of a network folder, from its ``network.toml``."""

    name: str = "network"
    description: str = ""
    format_version: int = 1
    sources: tuple[str, ...] = ()
    license: str = ""


def _empty_prices() -> PriceTables:
    from steppe.network.tariffs import PriceTables

    return PriceTables()


@dataclass(frozen=True)
class Network:
    """An immutable multimodal network.

    Build it with :func:`steppe.read_network`, :func:`steppe.load_network` or directly
    from tuples of rows; check it with :func:`steppe.network.validate.validate_network`.

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> net.node("ulaanbaatar").country
    'MNG'
    """

    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    borders: tuple[Border, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    meta: NetworkMeta = field(default_factory=NetworkMeta)
    closed_transit: tuple[str, ...] = ()
    """Countries (ISO3) closed to transit: only shipments that start or end there may enter."""
    calendars: tuple[Closure, ...] = ()
    """Closures and weather suspensions (``calendars.csv``); see :mod:`steppe.network.calendars`."""
    queues: tuple[QueueSpec, ...] = ()
    """Queue models and sourced dwell (``capacities.csv``); see :mod:`steppe.network.calendars`."""
    prices: PriceTables = field(default_factory=_empty_prices)
    """Dated tariffs, sea index series, exchange rates and link states (``tariffs.py``)."""

    @cached_property
    def nodes_by_id(self) -> Mapping[str, Node]:
        """Return a read-only mapping of node id to node."""
        return MappingProxyType({n.id: n for n in self.nodes})

    @cached_property
    def links_by_id(self) -> Mapping[str, Link]:
        """Return a read-only mapping of link id to link."""
        return MappingProxyType({lk.id: lk for lk in self.links})

    @cached_property
    def borders_by_pair(self) -> Mapping[frozenset[str], Border]:
        """Return a read-only mapping of the unordered node pair to its border crossing."""
        return MappingProxyType({frozenset((b.a, b.b)): b for b in self.borders})

    @cached_property
    def place_index(self) -> Mapping[str, tuple[Node, ...]]:
        """Return the nodes under each folded name, alias and id (for place lookup).

        A per-network cached property, so web worker threads share no mutable state:
        two threads computing it at once build equal indexes.
        """
        from steppe.network.lookup import build_place_index

        return build_place_index(self)

    @cached_property
    def countries(self) -> tuple[str, ...]:
        """Return the sorted ISO3 codes of the countries with nodes."""
        return tuple(sorted({n.country for n in self.nodes}))

    def node(self, node_id: str) -> Node:
        """Return the node with this id.

        Raises
        ------
        UnknownPlaceError
            If no node has this id.
        """
        try:
            return self.nodes_by_id[node_id]
        except KeyError:
            from steppe.errors import UnknownPlaceError

            raise UnknownPlaceError(node_id, what="node id") from None

    def link_countries(self, link: Link) -> tuple[str, ...]:
        """Return the countries a link runs through, in order from ``a``."""
        if link.countries:
            return link.countries
        ca, cb = self.nodes_by_id[link.a].country, self.nodes_by_id[link.b].country
        return (ca,) if ca == cb else (ca, cb)

    def to_geopandas(self) -> dict[str, gpd.GeoDataFrame]:
        """Return GeoDataFrames ``nodes``, ``links``, ``borders`` and ``transfers`` (``geo`` extra).

        See :func:`steppe.network.gpkg.network_to_geopandas`.
        """
        from steppe.network.gpkg import network_to_geopandas

        return network_to_geopandas(self)

    def replace(self, **changes: object) -> Network:
        """Return a copy with some fields replaced (used by scenarios)."""
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]
