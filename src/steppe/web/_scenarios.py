"""Scenarios for the web: bundled ones by name, and uploaded ones as the text of a TOML file.

A route, Pareto, reliability, comparison or impact request may name bundled scenarios
(never a file) and may carry one uploaded scenario's text (``scenario_toml``); they are
applied to the app's network in order (bundled first, then the upload), cached, and
described in words in the answer.  Uploads are parsed and checked like a file on disk:
a bad one is a 422 listing every problem, with the edit number and field.
"""

from __future__ import annotations

import hashlib
from typing import Any

from steppe.network.model import Network
from steppe.routing.costs import CostModel
from steppe.scenarios import AppliedScenario, Scenario
from steppe.web._context import WebContext

__all__ = [
    "UPLOAD_FILE",
    "applied_scenarios",
    "scenario_network",
    "scenario_summary",
    "uploaded_scenario",
]

UPLOAD_FILE = "uploaded scenario"
"""The file name error messages give an uploaded scenario."""
_UPLOADS_KEPT = 8  # applied uploads kept per app, most recent first


def uploaded_scenario(text: str) -> Scenario:
    """Parse the text of an uploaded scenario TOML file.

    Raises
    ------
    ScenarioError
        Listing every problem (not TOML, unknown edit type, bad field ...).

    Examples
    --------
    >>> uploaded_scenario('format_version = 1\\ntitle = "No Russia"\\n'
    ...                   '[[edits]]\\ntype = "close_transit"\\ncountries = ["RUS"]\\n').name
    'upload'
    """
    from steppe.scenarios import parse_scenario

    return parse_scenario(text, file=UPLOAD_FILE, name="upload")


def _key(names: list[str], text: str | None) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()[:20] if text else ""
    return "scenario:" + "+".join(names) + (f"+upload:{digest}" if text else "")


def applied_scenarios(ctx: WebContext, names: list[str], text: str | None) -> AppliedScenario:
    """Return bundled scenarios (by name) and an uploaded one applied to the app's network.

    Built once per set of names and upload text; the last few uploads are kept.

    Raises
    ------
    ScenarioError
        If a name is not a bundled scenario, the upload is not a valid scenario, or a
        scenario does not apply to the network.
    """

    def build() -> AppliedScenario:
        from steppe.scenarios import apply_scenarios, bundled_scenario

        scenarios = [bundled_scenario(n) for n in names]
        if text:
            scenarios.append(uploaded_scenario(text))
        return apply_scenarios(ctx.network, scenarios)

    key = _key(names, text)
    if text:
        return ctx.cached_recent(key, build, keep=_UPLOADS_KEPT)
    return ctx.cached(key, build)


def scenario_summary(applied: AppliedScenario) -> dict[str, Any]:
    """Return ``{"name", "title", "changes"}``: one sentence per change, for people."""
    from steppe.scenarios import describe_changes

    return {"name": applied.name, "title": applied.title, "changes": describe_changes(applied)}


def scenario_network(
    ctx: WebContext, names: list[str], text: str | None = None
) -> tuple[Network, CostModel | None, dict[str, Any] | None]:
    """Return the network and cost model under scenarios, and what they change.

    Parameters
    ----------
    ctx
        The app's context (its network and cache).
    names
        Bundled scenario names, applied in order; empty (and no ``text``) for the baseline.
    text
        The TOML text of an uploaded scenario, applied after the named ones.

    Returns
    -------
    tuple
        The network, the cost model (None for the baseline) and, under scenarios, a
        JSON-ready ``{"name", "title", "changes"}`` with one sentence per change.

    Raises
    ------
    ScenarioError
        If a name is not a bundled scenario or a scenario does not apply.
    """
    if not names and not text:
        return ctx.network, None, None

    def build() -> tuple[Network, CostModel, dict[str, Any]]:
        applied = applied_scenarios(ctx, names, text)
        return applied.network, applied.cost_model, scenario_summary(applied)

    key = "network:" + _key(names, text)
    if text:
        return ctx.cached_recent(key, build, keep=_UPLOADS_KEPT)
    return ctx.cached(key, build)
