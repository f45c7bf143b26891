"""Apply scenarios to a network: edits -> a new, validated network and cost model.

The baseline is never mutated: every edit builds new immutable rows with
:func:`dataclasses.replace` and a new :class:`~steppe.network.Network`.  Scenarios stack:
each one applies to the result of the previous one.  Every problem — an unknown node, a
link that does not exist, two edits of one scenario setting one field differently, a
resulting network that does not validate — is reported at once as a
:class:`~steppe.errors.ScenarioError` naming the file, the edit and the field.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from steppe.errors import NetworkFileError, Problem, ScenarioError
from steppe.network.model import Network
from steppe.network.validate import validate_network
from steppe.routing.costs import CostModel
from steppe.scenarios import _edits
from steppe.scenarios._edits import Change, EditContext
from steppe.scenarios.io import Scenario

__all__ = ["AppliedScenario", "Change", "apply_scenario", "apply_scenarios"]

log = logging.getLogger(__name__)
# the GeoJSON property that identifies each kind of changed object
_FEATURE_KEYS = {"node": "id", "link": "id", "border": "id", "transfer": "node"}


@dataclass(frozen=True, slots=True)
class AppliedScenario:
    """The result of applying scenarios: a new network, a cost model and what changed.

    Parameters
    ----------
    network
        The edited, validated network.
    cost_model
        The cost model with the scenarios' overrides.
    scenarios
        The scenarios applied, in order.
    changes
        One row per changed field of a network object, transit policy or cost parameter.
    """

    network: Network
    cost_model: CostModel
    scenarios: tuple[Scenario, ...]
    changes: tuple[Change, ...]

    @property
    def name(self) -> str:
        """Return the names of the scenarios, joined with ``+``."""
        return "+".join(s.name for s in self.scenarios) or "baseline"

    @property
    def title(self) -> str:
        """Return the titles of the scenarios, joined with ``+``."""
        return " + ".join(s.title for s in self.scenarios) or "baseline"

    def changed_ids(self, kind: str) -> tuple[str, ...]:
        """Return the ids of the objects of one kind (``link``, ``node``, ...) that changed."""
        return tuple(dict.fromkeys(c.ref for c in self.changes if c.kind == kind))

    def changed_features(self) -> dict[str, Any]:
        """Return the nodes, links, border crossings and transfers that changed, as GeoJSON.

        A FeatureCollection of the scenario network's features (with their new values)
        whose object the scenarios add or change.
        """
        from steppe.network import network_to_geojson

        changed = {kind: set(self.changed_ids(kind)) for kind in _FEATURE_KEYS}
        features = [
            f
            for f in network_to_geojson(self.network)["features"]
            if (kind := f["properties"]["feature_type"]) in changed
            and f["properties"][_FEATURE_KEYS[kind]] in changed[kind]
        ]
        return {"type": "FeatureCollection", "features": features}

    def to_dict(self) -> dict[str, Any]:
        """Return the applied scenarios and their changes as JSON-ready data."""
        return {
            "name": self.name,
            "title": self.title,
            "scenarios": [s.to_dict() for s in self.scenarios],
            "changes": [c.to_dict() for c in self.changes],
        }


def _validation_problems(
    exc: NetworkFileError, network: Network, ctx: EditContext, file: str
) -> list[Problem]:
    tables: dict[str, Sequence[Any]] = {
        "nodes.csv": network.nodes,
        "links.csv": network.links,
        "borders.csv": network.borders,
    }
    kinds = {"nodes.csv": "node", "links.csv": "link", "borders.csv": "border"}
    out: list[Problem] = []
    for p in exc.problems:
        if p.severity != "error":
            continue
        edit: int | None = None
        what = p.file
        rows = tables.get(p.file)
        if rows is not None and p.row is not None and 0 <= p.row - 2 < len(rows):
            obj_id = rows[p.row - 2].id
            edit = ctx.origin.get((kinds[p.file], obj_id))
            what = f"{kinds[p.file]} {obj_id!r}"
        prefix = f"edit {edit}: " if edit is not None else ""
        out.append(
            Problem(file, f"{prefix}the edited network is invalid: {what}: {p.message}",
                    edit, p.column)
        )  # fmt: skip
    return out


def apply_scenario(
    network: Network, scenario: Scenario, *, cost_model: CostModel | None = None
) -> AppliedScenario:
    """Apply one scenario to a network, returning a new network; the input is untouched.

    Parameters
    ----------
    network
        The baseline network.
    scenario
        A scenario from :func:`~steppe.scenarios.read_scenario` or the bundled ones.
    cost_model
        The baseline cost model; default :class:`~steppe.routing.CostModel`.

    Returns
    -------
    AppliedScenario

    Raises
    ------
    ScenarioError
        Listing every problem with file, edit number and field.

    Examples
    --------
    >>> import steppe
    >>> from steppe.scenarios import bundled_scenario
    >>> out = apply_scenario(steppe.load_network(), bundled_scenario("russia-transit-closed"))
    >>> out.network.closed_transit
    ('RUS',)
    """
    return apply_scenarios(network, [scenario], cost_model=cost_model)


def apply_scenarios(
    network: Network, scenarios: Sequence[Scenario], *, cost_model: CostModel | None = None
) -> AppliedScenario:
    """Apply scenarios one after the other (stacking); later ones win over earlier ones.

    Examples
    --------
    >>> import steppe
    >>> from steppe.scenarios import bundled_scenario
    >>> names = ["oskemen-ridder-tuyekta", "russia-transit-closed"]
    >>> out = apply_scenarios(steppe.load_network(), [bundled_scenario(n) for n in names])
    >>> out.name
    'oskemen-ridder-tuyekta+russia-transit-closed'
    """
    model = cost_model or CostModel()
    changes: list[Change] = []
    current = network
    for scenario in scenarios:
        ctx = EditContext(network=current, cost_model=model, scenario=scenario)
        for number, edit in enumerate(scenario.spec.edits, start=1):
            _edits.apply_edit(ctx, number, edit)
        if ctx.problems:
            raise ScenarioError(ctx.problems)
        edited = ctx.build()
        try:
            validate_network(edited)
        except NetworkFileError as exc:
            raise ScenarioError(_validation_problems(exc, edited, ctx, scenario.file)) from None
        log.debug("applied scenario %s: %d changes", scenario.name, len(ctx.changes))
        changes.extend(ctx.changes)
        current, model = edited, ctx.cost_model
    return AppliedScenario(
        network=current, cost_model=model, scenarios=tuple(scenarios), changes=tuple(changes)
    )
