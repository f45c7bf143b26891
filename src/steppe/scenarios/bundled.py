"""The scenarios shipped with steppe (``src/steppe/data/scenarios/*.toml``) and lookup by name.

:func:`load_scenarios` is what the command line and the web app call: it turns names of
bundled scenarios or paths of scenario files into one :class:`AppliedScenario`.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from steppe.errors import Problem, ScenarioError
from steppe.network.model import Network
from steppe.routing.costs import CostModel
from steppe.scenarios.apply import AppliedScenario, apply_scenarios
from steppe.scenarios.io import Scenario, parse_scenario, read_scenario

__all__ = [
    "bundled_scenario",
    "bundled_scenarios",
    "load_scenarios",
    "resolve_scenario",
    "scenario_names",
    "scenario_path",
]


def _folder() -> Path:
    return Path(str(resources.files("steppe.data") / "scenarios"))


def scenario_names() -> tuple[str, ...]:
    """Return the names of the bundled scenarios, sorted.

    Examples
    --------
    >>> "russia-transit-closed" in scenario_names()
    True
    """
    return tuple(sorted(p.stem for p in _folder().glob("*.toml")))


def scenario_path(name: str) -> Path:
    """Return the path of a bundled scenario file.

    Raises
    ------
    ScenarioError
        If no bundled scenario has this name; the message lists the names.

    Examples
    --------
    >>> scenario_path("titr-2030").name
    'titr-2030.toml'
    """
    names = scenario_names()
    if name not in names:  # also keeps a name like '../x' out of the folder
        raise ScenarioError(
            [
                Problem(
                    name[:100],
                    f"no bundled scenario of this name; bundled: {', '.join(names)} "
                    "(a scenario file is named by its path, ending in .toml)",
                )
            ]
        )
    return _folder() / f"{name}.toml"


def bundled_scenario(name: str) -> Scenario:
    """Return a bundled scenario by name.

    Examples
    --------
    >>> bundled_scenario("russia-transit-closed").spec.edits[0].countries
    ('RUS',)
    """
    path = scenario_path(name)
    return parse_scenario(path.read_text(encoding="utf-8"), file=f"{name}.toml", name=name)


def bundled_scenarios() -> tuple[Scenario, ...]:
    """Return every bundled scenario, sorted by name.

    Examples
    --------
    >>> len(bundled_scenarios()) >= 5
    True
    """
    return tuple(bundled_scenario(n) for n in scenario_names())


def resolve_scenario(name_or_path: str | Path) -> Scenario:
    """Return the scenario a user names: a path to a ``.toml`` file, or a bundled name.

    A :class:`~pathlib.Path`, or text ending in ``.toml`` or holding a path separator,
    is a file; anything else is looked up among the bundled names only, never in the
    working directory, so a file there cannot stand in for a bundled scenario.

    Examples
    --------
    >>> resolve_scenario("titr-2030").name
    'titr-2030'
    """
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        return read_scenario(Path(text))
    return bundled_scenario(text)


def load_scenarios(
    names_or_paths: Iterable[str | Path],
    base_network: Network,
    *,
    cost_model: CostModel | None = None,
) -> AppliedScenario:
    """Resolve scenarios by name or path and apply them in order (stacked) to a network.

    Parameters
    ----------
    names_or_paths
        Bundled names (``titr-2030``) or paths of scenario files; empty gives the baseline.
    base_network
        The network to edit; it is not changed.
    cost_model
        The baseline cost model.

    Returns
    -------
    AppliedScenario
        The edited network and cost model, to pass to ``steppe.routing.route``.

    Examples
    --------
    >>> import steppe
    >>> out = load_scenarios(["russia-transit-closed"], steppe.load_network())
    >>> out.network.closed_transit
    ('RUS',)
    """
    scenarios = [resolve_scenario(x) for x in names_or_paths]
    return apply_scenarios(base_network, scenarios, cost_model=cost_model)
