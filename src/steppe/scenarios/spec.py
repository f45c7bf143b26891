"""The scenario file schema: pydantic models of a scenario TOML file.

A scenario file holds a format version, a title, a description, its sources and a list
of ``[[edits]]``, each a table with a ``type`` naming one of the edit models below.
Every model forbids unknown keys, so a misspelt field is an error, not a silent no-op.
Nothing in a scenario file is executed: it is parsed with :mod:`tomllib` and validated
here.  The reference of every edit type and field is ``docs/scenarios.md``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from steppe.network._tables import MAX_CO2_KG, MAX_HOURS, MAX_LENGTH_KM, MAX_SPEED_KMH, MAX_USD
from steppe.network.model import BorderRegime, Direction, LinkStatus, Mode, NodeKind

__all__ = [
    "DWELL_FIELDS",
    "EDIT_CLASSES",
    "EDIT_TYPES",
    "FORMAT_VERSION",
    "AddBorder",
    "AddLink",
    "AddNode",
    "AddTransfer",
    "ChangeBorder",
    "ChangeCostModel",
    "ChangeFerry",
    "ChangeLink",
    "ChangeTransfer",
    "CloseTransit",
    "Edit",
    "ScenarioSpec",
]

FORMAT_VERSION = 1
_SLUG = r"^[a-z0-9][a-z0-9_-]*$"
_ISO3 = re.compile(r"^[A-Z]{3}$")

Slug = Annotated[str, Field(pattern=_SLUG)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
# The plausibility bounds of the network tables hold for scenario values too: a value
# beyond them is a typo or a unit mistake (issue 17), refused at its field.
MAX_SCALE = 1_000.0  # estimate: no edit makes a time, speed or price a thousandfold
Km = Annotated[float, Field(gt=0, le=MAX_LENGTH_KM, allow_inf_nan=False)]
Kmh = Annotated[float, Field(gt=0, le=MAX_SPEED_KMH, allow_inf_nan=False)]
Hours = Annotated[float, Field(gt=0, le=MAX_HOURS, allow_inf_nan=False)]
NonNegHours = Annotated[float, Field(ge=0, le=MAX_HOURS, allow_inf_nan=False)]
Usd = Annotated[float, Field(ge=0, le=MAX_USD, allow_inf_nan=False)]
Co2 = Annotated[float, Field(ge=0, le=MAX_CO2_KG, allow_inf_nan=False)]
Scale = Annotated[float, Field(gt=0, le=MAX_SCALE, allow_inf_nan=False)]

DWELL_FIELDS: tuple[str, ...] = tuple(c for mode in Mode for c in mode.dwell_columns)


def _check_iso3(value: str) -> str:
    if not _ISO3.match(value):
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-3 code (three capital letters)")
    return value


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

    source: str = ""
    note: str = ""

    def changed_fields(self) -> tuple[str, ...]:
        """Return the object fields this edit sets (not the keys that select the object)."""
        skip = {"type", "source", "note", *self._selectors()}
        return tuple(k for k in self.model_fields_set if k not in skip)

    def _selectors(self) -> tuple[str, ...]:
        return ()


class AddNode(_Edit):
    """Add a node (a planned border post, port or terminal) with every ``nodes.csv`` field."""

    type: Literal["add_node"]
    id: Slug
    name: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    country: str
    kind: NodeKind = NodeKind.CITY
    aliases: tuple[str, ...] = ()
    geonameid: int | None = None
    unlocode: str | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return _check_iso3(value)


class AddLink(_Edit):
    """Add a link (planned road, rail or ferry line) with every ``links.csv`` field."""

    type: Literal["add_link"]
    id: Slug
    a: Slug
    b: Slug
    mode: Mode
    length_km: Km
    speed_kmh: Kmh | None = None
    duration_h: Hours | None = None
    gauge_mm: int | None = Field(default=None, gt=0)
    status: LinkStatus = LinkStatus.OPEN
    direction: Direction = Direction.BOTH
    headway_h: Hours | None = None
    capacity: Positive | None = None
    cost_usd: Usd | None = None
    co2_kg: Co2 | None = None
    countries: tuple[str, ...] = ()
    geometry: tuple[tuple[float, float], ...] | None = None
    length_source: str = ""

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_iso3(c) for c in value)

    @model_validator(mode="after")
    def _timing(self) -> AddLink:
        if self.speed_kmh is None and self.duration_h is None:
            raise ValueError("a link needs speed_kmh or duration_h")
        if self.mode is Mode.RAIL and self.gauge_mm is None:
            raise ValueError("a rail link needs gauge_mm")
        if self.mode is not Mode.RAIL and self.gauge_mm is not None:
            raise ValueError("gauge_mm is only for rail links")
        return self


class _LinkSelector(_Edit):
    id: Slug | None = None
    a: Slug | None = None
    b: Slug | None = None
    mode: Mode | None = None

    def _selectors(self) -> tuple[str, ...]:
        return ("id", "a", "b", "mode")

    @model_validator(mode="after")
    def _select(self) -> _LinkSelector:
        if self.id is None and (self.a is None or self.b is None):
            raise ValueError("name the link by id, or by its two ends a and b (and mode)")
        if self.id is not None and (self.a is not None or self.b is not None):
            raise ValueError("name the link by id or by a and b, not both")
        if not self.changed_fields():
            raise ValueError("the edit changes nothing; set at least one field")
        return self


class ChangeLink(_LinkSelector):
    """Change a link, selected by ``id`` or by its ends ``a``, ``b`` (and ``mode``)."""

    type: Literal["change_link"]
    length_km: Km | None = None
    speed_kmh: Kmh | None = None
    duration_h: Hours | None = None
    status: LinkStatus | None = None
    direction: Direction | None = None
    headway_h: Hours | None = None
    capacity: Positive | None = None
    cost_usd: Usd | None = None
    co2_kg: Co2 | None = None
    speed_scale: Scale | None = None

    @model_validator(mode="after")
    def _scale(self) -> ChangeLink:
        if self.speed_scale is not None and self.speed_kmh is not None:
            raise ValueError("set speed_kmh or speed_scale, not both")
        return self


class ChangeFerry(_LinkSelector):
    """Change a ferry or sea line: sailing time, headway, tariff, emissions."""

    type: Literal["change_ferry"]
    duration_h: Hours | None = None
    headway_h: Hours | None = None
    cost_usd: Usd | None = None
    co2_kg: Co2 | None = None
    status: LinkStatus | None = None
    headway_scale: Scale | None = None
    duration_scale: Scale | None = None

    @model_validator(mode="after")
    def _scale(self) -> ChangeFerry:
        for name in ("headway", "duration"):
            if getattr(self, f"{name}_scale") is not None and (
                getattr(self, f"{name}_h") is not None
            ):
                raise ValueError(f"set {name}_h or {name}_scale, not both")
        return self


class _DwellFields(_Edit):
    road_ab_median_h: NonNegHours | None = None
    road_ab_p90_h: NonNegHours | None = None
    road_ba_median_h: NonNegHours | None = None
    road_ba_p90_h: NonNegHours | None = None
    rail_ab_median_h: NonNegHours | None = None
    rail_ab_p90_h: NonNegHours | None = None
    rail_ba_median_h: NonNegHours | None = None
    rail_ba_p90_h: NonNegHours | None = None
    road_fee_usd: Usd | None = None
    rail_fee_usd: Usd | None = None


class AddBorder(_DwellFields):
    """Add a border crossing between two crossing-point nodes (``borders.csv`` fields)."""

    type: Literal["add_border"]
    id: Slug
    a: Slug
    b: Slug
    name: str = ""
    regime: BorderRegime = BorderRegime.INTERNATIONAL


class ChangeBorder(_DwellFields):
    """Change a border crossing's dwell, fees or regime, selected by ``id`` or ``a``, ``b``.

    ``dwell_scale`` multiplies every median and p90 dwell (of ``modes`` if given).
    """

    type: Literal["change_border"]
    id: Slug | None = None
    a: Slug | None = None
    b: Slug | None = None
    regime: BorderRegime | None = None
    dwell_scale: Scale | None = None
    modes: tuple[Literal["road", "rail"], ...] = ()

    def _selectors(self) -> tuple[str, ...]:
        return ("id", "a", "b")

    @model_validator(mode="after")
    def _select(self) -> ChangeBorder:
        if self.id is None and (self.a is None or self.b is None):
            raise ValueError("name the border crossing by id, or by its two posts a and b")
        if self.id is not None and (self.a is not None or self.b is not None):
            raise ValueError("name the border crossing by id or by a and b, not both")
        if not self.changed_fields():
            raise ValueError("the edit changes nothing; set at least one field")
        if self.dwell_scale is not None and any(f in self.model_fields_set for f in DWELL_FIELDS):
            raise ValueError("set dwell times or dwell_scale, not both")
        if self.modes and self.dwell_scale is None:
            raise ValueError("modes only applies together with dwell_scale")
        return self


class AddTransfer(_Edit):
    """Add a transfer (mode or gauge change) at a node (``transfers.csv`` fields)."""

    type: Literal["add_transfer"]
    node: Slug
    from_mode: Mode
    to_mode: Mode
    time_h: NonNegHours
    cost_usd: Usd


class ChangeTransfer(_Edit):
    """Change the time or cost of a transfer at a node, e.g. a faster gauge change."""

    type: Literal["change_transfer"]
    node: Slug
    from_mode: Mode
    to_mode: Mode
    time_h: NonNegHours | None = None
    cost_usd: Usd | None = None
    time_scale: Scale | None = None
    cost_scale: Scale | None = None
    both_directions: bool = False

    def _selectors(self) -> tuple[str, ...]:
        return ("node", "from_mode", "to_mode", "both_directions")

    @model_validator(mode="after")
    def _check(self) -> ChangeTransfer:
        if not self.changed_fields():
            raise ValueError("the edit changes nothing; set at least one field")
        for name in ("time", "cost"):
            value = "time_h" if name == "time" else "cost_usd"
            if getattr(self, f"{name}_scale") is not None and getattr(self, value) is not None:
                raise ValueError(f"set {value} or {name}_scale, not both")
        return self


class CloseTransit(_Edit):
    """Close transit through countries: a trip may enter them only to start or end there."""

    type: Literal["close_transit"]
    countries: tuple[str, ...] = Field(min_length=1)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_iso3(c) for c in value)


class ChangeCostModel(_Edit):
    """Override cost-model parameters (names as in :class:`steppe.routing.CostModel`)."""

    type: Literal["cost_model"]
    parameters: dict[str, float | dict[str, dict[str, float]] | None] = Field(min_length=1)


Edit = Annotated[
    AddNode
    | AddLink
    | ChangeLink
    | ChangeFerry
    | AddBorder
    | ChangeBorder
    | AddTransfer
    | ChangeTransfer
    | CloseTransit
    | ChangeCostModel,
    Field(discriminator="type"),
]

#: Every edit class, in the order of the ``Edit`` union (the one list to extend).
EDIT_CLASSES: tuple[type[BaseModel], ...] = get_args(get_args(Edit)[0])
#: Every edit ``type`` a scenario file may use, derived from :data:`EDIT_CLASSES`.
EDIT_TYPES: tuple[str, ...] = tuple(
    get_args(cls.model_fields["type"].annotation)[0] for cls in EDIT_CLASSES
)


class ScenarioSpec(BaseModel):
    """A whole scenario file.

    Examples
    --------
    >>> spec = ScenarioSpec.model_validate({
    ...     "format_version": 1, "title": "No transit through Russia",
    ...     "edits": [{"type": "close_transit", "countries": ["RUS"]}]})
    >>> spec.edits[0].countries
    ('RUS',)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: Literal[1]
    title: str = Field(min_length=1)
    description: str = ""
    sources: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = Field(min_length=1)
