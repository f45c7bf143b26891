"""Result dataclasses of routing queries, with their JSON and GeoJSON forms.

A :class:`Route` is a sequence of :class:`Leg` objects — links, waits for a departure,
border dwell and transfers — whose times, money, CO2 and distance add up to the route's
totals.  :meth:`Route.to_dict` is the JSON object documented in ``docs/routing.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from steppe.emissions.chain import ChainEmissions

__all__ = ["Leg", "LegKind", "Route", "RouteResult"]

LegKind = Literal["link", "wait", "border", "transfer", "first_mile", "last_mile"]


@dataclass(frozen=True, slots=True)
class Leg:
    """One step of a route.

    ``kind`` is ``link`` (moving along a network link), ``wait`` (for a scheduled
    departure, half the headway, or a ship that sails when full; or a port or terminal
    dwell, ``ref`` ``node:mode``), ``border`` (dwell, queue and fees at a crossing) or
    ``transfer`` (a change of mode or gauge).  ``ref`` is the link, border or transfer
    behind the leg (``node:from_mode>to_mode`` for transfers).  Door-to-door routes add
    ``first_mile`` and ``last_mile`` road legs off the network (``steppe.door``) and say
    in ``source`` which graph each leg ran on and where its length comes from.
    """

    from_id: str
    to_id: str
    from_name: str
    to_name: str
    mode: str
    kind: LegKind
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    ref: str = ""
    geometry: tuple[tuple[float, float], ...] = ()
    price_ref: str = ""
    """The tariff row ids (or ``fallback:``/``included:`` rule) that priced the leg."""
    price_source: str = ""

    start: str = ""
    """With a departure date: when the leg begins (``YYYY-MM-DDTHH:MM``)."""
    note: str = ""
    """With a departure date: why the shipment waited here (closure, queue, sailing)."""
    source: str = ""
    """Door-to-door routes: the graph the leg ran on and where its length comes from."""

    def to_dict(self) -> dict[str, Any]:
        """Return the leg as the JSON object of the docs."""
        dated = {"start": self.start, "note": self.note} if self.start else {}
        if self.source:  # door-to-door routes
            dated["source"] = self.source
        price = {"price_ref": self.price_ref, "price_source": self.price_source}
        return (
            {
                "from": self.from_name,
                "to": self.to_name,
                "from_id": self.from_id,
                "to_id": self.to_id,
                "mode": self.mode,
                "kind": self.kind,
                "distance_km": round(self.distance_km, 3),
                "time_h": round(self.time_h, 3),
                "cost_usd": round(self.cost_usd, 2),
                "co2_kg": round(self.co2_kg, 3),
                "ref": self.ref,
            }
            | dated
            | (price if self.price_ref else {})
        )


@dataclass(frozen=True, slots=True)
class Route:
    """A route from origin to destination with its legs and totals."""

    nodes: tuple[str, ...]
    places: tuple[str, ...]
    countries: tuple[str, ...]
    legs: tuple[Leg, ...]
    border_crossings: tuple[str, ...]
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    generalized_cost: float
    corridor: str
    link_ids: tuple[str, ...]
    depart: str = ""
    """With a departure date: when the shipment leaves (``YYYY-MM-DDTHH:MM``)."""
    arrive: str = ""
    """With a departure date: when it arrives."""
    emissions: ChainEmissions | None = None

    @property
    def time_days(self) -> float:
        """Return the total time in days."""
        return self.time_h / 24.0

    def legs_frame(self) -> pd.DataFrame:
        """Return the legs as a table."""
        import pandas as pd  # not at import: a route on the command line needs no pandas

        return pd.DataFrame([leg.to_dict() for leg in self.legs])

    def to_dict(self) -> dict[str, Any]:
        """Return the route as the JSON object documented in ``docs/routing.md``."""
        return {
            "nodes": list(self.nodes),
            "places": list(self.places),
            "countries": list(self.countries),
            "legs": self._legs_dicts(),
            "border_crossings": list(self.border_crossings),
            "distance_km": round(self.distance_km, 3),
            "time_h": round(self.time_h, 3),
            "time_days": round(self.time_days, 3),
            "cost_usd": round(self.cost_usd, 2),
            "co2_kg": round(self.co2_kg, 3),
            "generalized_cost": round(self.generalized_cost, 2),
            "corridor": self.corridor,
            "link_ids": list(self.link_ids),
            **self._co2e(),
        } | ({"depart": self.depart, "arrive": self.arrive} if self.depart else {})

    def _legs_dicts(self) -> list[dict[str, Any]]:
        co2e = self.leg_co2e()
        out = []
        for i, leg in enumerate(self.legs):
            d = leg.to_dict()
            if co2e:
                wtw, ttw = co2e.get(i, (0.0, 0.0))
                d["co2e_wtw_kg"] = round(wtw, 3)
                d["co2e_ttw_kg"] = None if ttw is None else round(ttw, 3)
            out.append(d)
        return out

    def _co2e(self) -> dict[str, Any]:
        """Return the ISO 14083 breakdown (``co2e``) and per-leg WTW/TTW, if computed."""
        if self.emissions is None:
            return {}
        out = self.emissions.to_dict()
        out["method"] = "ISO 14083:2023 / GLEC Framework v3.0 default values (docs/emissions.md)"
        return {"co2e_wtw_kg": out["wtw_kg"], "co2e_ttw_kg": out["ttw_kg"], "co2e": out}

    def leg_co2e(self) -> dict[int, tuple[float, float | None]]:
        """Return ``{leg index: (WTW kg, TTW kg or None)}`` for legs that emit."""
        if self.emissions is None:
            return {}
        out: dict[int, tuple[float, float | None]] = {}
        for x in self.emissions.legs:
            out[x.leg_index] = (x.wtw_kg, x.ttw_kg)
        for h in self.emissions.hubs:
            out[h.leg_index] = (h.wtw_kg, None)
        return out

    def to_features(self, index: int = 0) -> list[dict[str, Any]]:
        """Return GeoJSON features: one LineString per moving leg, Points for stops."""
        features: list[dict[str, Any]] = []
        for leg, leg_dict in zip(self.legs, self._legs_dicts(), strict=True):
            props = {"route": index, **leg_dict}
            coords = [[lon, lat] for lat, lon in leg.geometry]
            if leg.kind in ("link", "first_mile", "last_mile") and len(coords) >= 2:
                geom: dict[str, Any] = {"type": "LineString", "coordinates": coords}
            elif leg.kind in ("border", "transfer") and coords:
                geom = {"type": "Point", "coordinates": coords[-1]}
            else:
                continue
            features.append({"type": "Feature", "geometry": geom, "properties": props})
        return features


@dataclass(frozen=True, slots=True)
class RouteResult:
    """The answer to a routing query: one or more routes, best first.

    ``kind`` says how the routes were chosen: ``shortest`` (and alternatives) or
    ``pareto`` (the non-dominated set over time, cost and CO2, fastest first).
    """

    origin: str
    destination: str
    objective: str
    kind: Literal["shortest", "pareto"]
    routes: tuple[Route, ...]
    price_date: str | None = None
    """Month of the tariffs that priced the routes (``None``: the network has no tariffs)."""
    service: str | None = None
    depart: str = ""
    """The departure date the routes were found or timed for; empty: yearly averages."""
    notes: tuple[str, ...] = ()
    """With a date: why the best route differs from the undated one (e.g. a closure)."""

    @property
    def best(self) -> Route:
        """Return the first route."""
        return self.routes[0]

    def summary(self) -> pd.DataFrame:
        """Return one row per route with its totals and corridor."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "corridor": r.corridor,
                    "time_days": r.time_days,
                    "cost_usd": r.cost_usd,
                    "co2_kg": r.co2_kg,
                    "distance_km": r.distance_km,
                    "borders": len(r.border_crossings),
                }
                for r in self.routes
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"routes": [...]}`` plus the query, as documented."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "objective": self.objective,
            "kind": self.kind,
            "price_date": self.price_date,
            "service": self.service,
            "routes": [r.to_dict() for r in self.routes],
        } | ({"depart": self.depart, "notes": list(self.notes)} if self.depart else {})

    def to_geojson(self) -> dict[str, Any]:
        """Return the routes as a GeoJSON FeatureCollection for a map."""
        features = [f for i, r in enumerate(self.routes) for f in r.to_features(i)]
        return {"type": "FeatureCollection", "features": features}

    def to_geopandas(self) -> gpd.GeoDataFrame:
        """Return the legs of every route as a GeoDataFrame in WGS 84 (``geo`` extra).

        A line per moving leg and a point per border or transfer, with the columns of a
        leg in :meth:`Route.to_dict` and ``route`` (0 is the best).
        """
        from steppe._geopandas import route_frame

        return route_frame(self)
