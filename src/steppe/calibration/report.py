"""The calibration report: every observation against the model, by row, group and role."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from steppe.calibration.measure import Measured, NetworkFor, measure
from steppe.calibration.overlay import Calibration, apply_calibration
from steppe.calibration.register import Observations
from steppe.network.model import Network
from steppe.routing.costs import CostModel

__all__ = ["CalibrationReport", "GroupStats", "calibration_report", "network_resolver", "summarize"]


@dataclass(frozen=True, slots=True)
class GroupStats:
    """Error statistics of a group of measured rows.

    ``median_abs_log_error`` is the median of ``|log(model / published)|`` (0.10 is
    about 10 % off); ``share_inside`` the share of rows inside their published range;
    ``median_ratio`` the median of model / published.
    """

    n: int
    median_abs_log_error: float
    share_inside: float
    median_ratio: float

    def to_dict(self) -> dict[str, float]:
        """Return the statistics as JSON-ready data."""
        return {"n": self.n, "median_abs_log_error": round(self.median_abs_log_error, 4),
                "share_inside": round(self.share_inside, 4),
                "median_ratio": round(self.median_ratio, 4)}  # fmt: skip


def summarize(rows: Sequence[Measured]) -> GroupStats | None:
    """Return the statistics of the rows that have a model value (None if there are none)."""
    ok = [m for m in rows if m.log_error is not None and m.ratio is not None]
    if not ok:
        return None
    return GroupStats(
        n=len(ok),
        median_abs_log_error=statistics.median(abs(float(m.log_error)) for m in ok),  # type: ignore[arg-type]
        share_inside=sum(bool(m.inside) for m in ok) / len(ok),
        median_ratio=statistics.median(float(m.ratio) for m in ok),  # type: ignore[arg-type]
    )


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    """Observations measured on a network: rows, groups and the summary by role.

    ``summary`` maps ``(role, quantity)`` to statistics; ``groups`` maps a grouping
    (``mode``, ``corridor``, ``component``) to ``{(quantity, value): statistics}``.
    """

    rows: tuple[Measured, ...]
    summary: dict[tuple[str, str], GroupStats]
    groups: dict[str, dict[tuple[str, str], GroupStats]]
    network: str
    scenarios: tuple[str, ...]
    calibration: str
    file: str

    @property
    def failed(self) -> tuple[Measured, ...]:
        """Return the rows the router could not answer."""
        return tuple(m for m in self.rows if m.error)

    def stat(self, role: str, quantity: str) -> GroupStats | None:
        """Return the summary of one role and quantity."""
        return self.summary.get((role, quantity))

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "file": self.file,
            "network": self.network,
            "scenarios": list(self.scenarios),
            "calibration": self.calibration,
            "summary": [{"role": r, "quantity": q, **s.to_dict()}
                        for (r, q), s in sorted(self.summary.items())],
            "groups": {g: [{"quantity": q, "value": v, **s.to_dict()}
                           for (q, v), s in sorted(stats.items())]
                       for g, stats in self.groups.items()},
            "rows": [m.to_dict() for m in self.rows],
        }  # fmt: skip


_GROUPINGS: dict[str, Callable[[Measured], str]] = {
    "mode": lambda m: m.obs.mode_label,
    "corridor": lambda m: m.obs.corridor,
    "component": lambda m: m.obs.component,
}


def network_resolver(
    network: Network,
    *,
    scenarios: Sequence[str] = (),
    calibration: Calibration | None = None,
    cost_model: CostModel | None = None,
) -> NetworkFor:
    """Return a function giving the (network, cost model) a row with a scenario routes on.

    The user's scenarios apply first, then the row's own scenario, then the overlay.
    Results are cached per scenario name.
    """
    cache: dict[str, tuple[Network, CostModel]] = {}

    def resolve(row_scenario: str) -> tuple[Network, CostModel]:
        if row_scenario not in cache:
            names = [*scenarios, *([row_scenario] if row_scenario else [])]
            net, cm = network, cost_model or CostModel()
            if names:
                from steppe.scenarios import load_scenarios

                applied = load_scenarios(names, net, cost_model=cm)
                net, cm = applied.network, applied.cost_model
            if calibration is not None:
                net, cm = apply_calibration(net, calibration, cm)
            cache[row_scenario] = (net, cm)
        return cache[row_scenario]

    return resolve


def _measure_all(observations: Observations, resolve: NetworkFor) -> tuple[Measured, ...]:
    """Route the time, price and distance rows; compare volume rows with the assignment."""
    from steppe.calibration.volumes import measure_volumes

    rows = list(observations)
    volume = [o for o in rows if o.quantity == "volume"]
    done = dict(zip((o.id for o in volume), measure_volumes(volume, resolve), strict=True))
    routed = [o for o in rows if o.quantity != "volume"]
    done.update(zip((o.id for o in routed), measure(routed, resolve), strict=True))
    return tuple(done[o.id] for o in rows)


def calibration_report(
    network: Network,
    observations: Observations,
    *,
    scenarios: Sequence[str] = (),
    calibration: Calibration | None = None,
    cost_model: CostModel | None = None,
) -> CalibrationReport:
    """Measure every observation and summarise by row, group and role.

    Examples
    --------
    >>> import steppe
    >>> from steppe.calibration import read_observations
    >>> rep = calibration_report(steppe.load_network(), read_observations())
    >>> rep.stat("check", "distance").n > 5
    True
    """
    resolve = network_resolver(network, scenarios=scenarios, calibration=calibration,
                               cost_model=cost_model)  # fmt: skip
    rows = _measure_all(observations, resolve)
    summary: dict[tuple[str, str], GroupStats] = {}
    for role in ("fit", "check"):
        for q in ("time", "price", "distance", "volume"):
            s = summarize([m for m in rows if m.obs.role == role and m.obs.quantity == q])
            if s is not None:
                summary[(role, q)] = s
    groups: dict[str, dict[tuple[str, str], GroupStats]] = {}
    for name, key in _GROUPINGS.items():
        buckets: dict[tuple[str, str], list[Measured]] = {}
        for m in rows:
            buckets.setdefault((m.obs.quantity, key(m)), []).append(m)
        groups[name] = {k: s for k, v in buckets.items() if (s := summarize(v)) is not None}
    return CalibrationReport(
        rows=rows, summary=summary, groups=groups, network=network.meta.name,
        scenarios=tuple(scenarios),
        calibration=calibration.file if calibration is not None else "",
        file=observations.file,
    )  # fmt: skip
