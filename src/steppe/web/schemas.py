"""Request and response models of the JSON API; they are also its OpenAPI schema at ``/docs``.

Requests are strict (unknown fields are refused, every name's length is capped);
responses describe the objects the Python API's ``to_dict()`` methods return and allow
extra fields, so the page keeps working when the Python results grow.

Caps that depend on the server's :class:`~steppe.web.limits.Limits` (alternatives, draws,
list lengths) are not written here: the handlers check them and ``create_app`` writes the
app's values into the OpenAPI document (``limits.SCHEMA_BOUNDS``), from the one place.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from steppe.routing import Cargo, CostModel, Objective, RouteOptions
from steppe.web.limits import NAME_MAX_CHARS

UPLOAD_MAX_CHARS = 60_000
"""Longest uploaded scenario text accepted in a request (it must fit the body limit too)."""

__all__ = [
    "CARGO_PATTERN",
    "REQUEST_FIELDS",
    "UPLOAD_MAX_CHARS",
    "Country",
    "ErrorBody",
    "ErrorDetail",
    "Leg",
    "MatrixRequest",
    "Name",
    "OptionsRequest",
    "ParetoRequest",
    "Place",
    "ReliabilityRequest",
    "Route",
    "RouteQuery",
    "RouteRequest",
    "RouteResponse",
    "Source",
]

ModeName = Literal["road", "rail", "ferry", "sea"]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX_CHARS)]
# feu, teu, or a positive mass in tonnes: tonnes:12, feu:24.5 (what routing.Cargo.parse reads).
CARGO_PATTERN = (
    r"^(([Ff][Ee][Uu]|[Tt][Ee][Uu])"
    r"|(([Ff][Ee][Uu]|[Tt][Ee][Uu]|[Tt][Oo][Nn][Nn][Ee][Ss])"
    r":(0\.[0-9]{0,2}[1-9]|[1-9][0-9]{0,4}(\.[0-9]{1,3})?)))$"
)

#: The request field of each library parameter whose name differs, for error messages.
REQUEST_FIELDS: dict[str, str] = {"objective": "optimize"}


class _Request(BaseModel):
    # strict: JSON types are not converted (true is not 1, "5" is not 5); enum fields
    # (the objective) say strict=False, as they arrive as their JSON string values.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class _Response(BaseModel):
    model_config = ConfigDict(extra="allow")


class OptionsRequest(_Request):
    """The routing options every routing request shares; :meth:`options` builds them.

    A request's ``via`` and ``optimize``, where it has them, are part of the options
    too.  Adding a field to :class:`~steppe.routing.RouteOptions` means adding it here
    and in :meth:`options`.
    """

    modes: list[ModeName] | None = Field(
        default=None, min_length=1, description="Allowed modes; null allows all."
    )
    avoid: list[Name] = Field(
        default=[],
        examples=[["RUS"]],
        description="Countries to avoid: ISO3, ISO2 or English names.",
    )
    cargo: str = Field(
        default="feu",
        max_length=30,
        pattern=CARGO_PATTERN,
        description="feu, teu or tonnes:N.",
        examples=["feu", "tonnes:12"],
    )
    cargo_value_usd: float | None = Field(
        default=None, ge=0, le=1e12, description="Value of the goods, for the value of time."
    )
    closed_transit: list[Name] = Field(
        default=[],
        description="Countries routes may start or end in but not cross.",
    )
    price_date: str | None = Field(
        default=None,
        max_length=7,
        examples=["2024-07"],
        description="Month of the tariffs (YYYY-MM); null: the latest month the data cover.",
    )
    service: Literal["block", "wagon", "express"] | None = Field(
        default=None, description="Rail service booked; null: what suits the cargo."
    )
    depart: str | None = Field(
        default=None,
        max_length=40,
        examples=["2025-07-10"],
        description="Departure date (YYYY-MM-DD or YYYY-MM-DDTHH:MM): closures, queues and "
        "sailings on that date; null uses yearly averages.",
    )

    def options(self, cost_model: CostModel | None = None) -> RouteOptions:
        """Return the request's routing options, checked once."""
        via: list[str] | None = getattr(self, "via", None)
        optimize: Objective | None = getattr(self, "optimize", None)
        return RouteOptions.build(
            via=via,
            modes=self.modes,
            avoid=self.avoid,
            closed_transit=self.closed_transit,
            optimize=optimize,
            cargo=Cargo.parse(self.cargo, value_usd=self.cargo_value_usd),
            cost_model=cost_model,
            price_date=self.price_date,
            service=self.service,
            depart=self.depart or None,
        )


class RouteQuery(OptionsRequest):
    """The options shared by route, Pareto and reliability requests."""

    origin: str = Field(min_length=1, max_length=NAME_MAX_CHARS, examples=["Ulaanbaatar"])
    destination: str = Field(min_length=1, max_length=NAME_MAX_CHARS, examples=["Duisburg"])
    via: list[Name] = Field(default=[], description="Places to pass, in order.")
    scenario: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,80}$")]] = Field(
        default=[],
        max_length=5,
        examples=[["oskemen-ridder-tuyekta"]],
        description="Bundled scenarios to route under (a name or a list, applied in order); "
        "empty for the baseline.",
    )
    scenario_toml: str | None = Field(
        default=None,
        min_length=1,
        max_length=UPLOAD_MAX_CHARS,
        description="The text of an uploaded scenario TOML file, applied after the named "
        "scenarios.",
    )

    @field_validator("scenario", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class RouteRequest(RouteQuery):
    """A shortest-route request, optionally with corridor-distinct alternatives."""

    optimize: Objective = Field(default=Objective.GENERALIZED, strict=False)
    alternatives: int = Field(default=1, ge=1)


class ParetoRequest(RouteQuery):
    """A request for the routes no other route beats on time, cost and CO2 at once."""


class ReliabilityRequest(RouteRequest):
    """Monte Carlo arrival-time distribution of one route of a route request."""

    route_index: int = Field(default=0, ge=0, description="Which route of the answer.")
    pareto: bool = Field(default=False, description="Pick the route from the Pareto set.")
    draws: int = Field(default=1000, ge=10)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    within_days: float | None = Field(default=None, gt=0, le=365)


class MatrixRequest(OptionsRequest):
    """Travel times (or another objective) between places."""

    origins: list[Name] = Field(min_length=1)
    destinations: list[Name] | None = Field(
        default=None, description="Null means the same as origins."
    )
    optimize: Objective = Field(default=Objective.TIME, strict=False)


class Place(_Response):
    """A network node offered by autocomplete."""

    id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    aliases: list[str] = []


class Country(_Response):
    """A country present on the network."""

    iso3: str
    name: str


class Source(_Response):
    """One data source and its licence, as shown in the page footer."""

    id: str
    name: str
    what: str
    licence: str
    url: str


class Leg(_Response):
    """One step of a route: a link, a wait, a border crossing or a transfer."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    mode: str
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    price_ref: str | None = Field(
        default=None, description="Tariff row ids or fallback rule that priced the leg."
    )
    price_source: str | None = Field(default=None, description="Where that price comes from.")


class Route(_Response):
    """A route with its legs and totals (km, hours, USD, kg CO2e)."""

    nodes: list[str]
    places: list[str]
    countries: list[str]
    legs: list[Leg]
    border_crossings: list[str]
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    corridor: str


class RouteResponse(_Response):
    """The routes found (best first) and their GeoJSON for the map."""

    routes: list[Route]
    price_date: str | None = Field(default=None, description="Month of the tariffs used.")
    service: str | None = Field(default=None, description="Rail service priced.")
    geojson: dict[str, Any] = Field(description="FeatureCollection: legs, borders, transfers.")


class ErrorDetail(_Response):
    """What went wrong, in words."""

    type: str = Field(examples=["UnknownPlaceError"])
    message: str = Field(examples=["unknown place 'Ulanbatar'; did you mean Ulaanbaatar (MNG)?"])
    field: str | None = Field(
        default=None, description="The request field at fault, when the error is about one."
    )


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail
