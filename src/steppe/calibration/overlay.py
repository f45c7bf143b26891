"""Calibration overlays: a few interpretable factors that transform a network and cost model.

An overlay is a TOML file, like a scenario, but it holds multiplicative factors instead
of edits::

    format_version = 1
    title = "Fitted to the steppe register"

    [factors]
    "time.line_haul.rail" = 1.25      # moving time of rail links x 1.25
    "time.border.rail" = 1.4          # rail border dwell x 1.4
    "time.ferry_wait.ferry" = 2.0     # half-headway wait for ferries x 2
    "price.line_haul.rail" = 0.45     # rail haulage price x 0.45

A key is ``quantity.component[.mode[.qualifier]]``: ``quantity`` is ``time`` or ``price``;
``component`` is ``line_haul`` (links), ``border`` (crossings), ``transfer`` (mode and
gauge changes), ``port`` (changes to or from a ferry or ship) or ``ferry_wait`` (waiting
for a departure); the qualifier is an ISO3 country (line haul), a border id, a transfer
node id or a ferry/sea link id.  Every factor that matches an item multiplies it.
:func:`apply_calibration` returns a new network and cost model; the inputs are untouched,
so an overlay stacks on top of any scenario.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from steppe.errors import CalibrationError, Problem
from steppe.network.model import Border, Dwell, Link, Mode, Network, Transfer
from steppe.routing.costs import CostModel
from steppe.routing.result import Leg

__all__ = [
    "Calibration",
    "apply_calibration",
    "calibration_from_mapping",
    "leg_component",
    "leg_key",
    "read_calibration",
    "write_calibration",
]

_COMPONENTS = {
    "time": ("line_haul", "border", "transfer", "port", "ferry_wait"),
    "price": ("line_haul", "border", "transfer", "port"),
}
_WATER = (Mode.FERRY, Mode.SEA)


@dataclass(frozen=True, slots=True)
class Calibration:
    """A checked overlay: factors by key, with a title and the file it came from.

    Examples
    --------
    >>> Calibration({"time.line_haul.rail": 1.2}).factor("time", "line_haul", "rail")
    1.2
    """

    factors: Mapping[str, float]
    title: str = "calibration"
    description: str = ""
    file: str = "<calibration>"

    def factor(self, quantity: str, component: str, mode: str, qualifier: str = "") -> float:
        """Return the product of the factors matching an item (1.0 if none)."""
        keys = [f"{quantity}.{component}", f"{quantity}.{component}.{mode}"]
        if qualifier:
            keys.append(f"{quantity}.{component}.{mode}.{qualifier}")
        out = 1.0
        for k in keys:
            out *= self.factors.get(k, 1.0)
        return out

    def line_haul(self, quantity: str, mode: str, countries: tuple[str, ...]) -> float:
        """Return the factor of a link: mode level times the geometric mean over its countries."""
        base = self.factor(quantity, "line_haul", mode)
        if not countries:
            return base
        logs = [math.log(self.factors.get(f"{quantity}.line_haul.{mode}.{c}", 1.0))
                for c in countries]  # fmt: skip
        return base * math.exp(sum(logs) / len(logs))


def _transfer_component(tr: Transfer) -> tuple[str, str]:
    """Return (component, mode key) of a transfer: a port if a ferry or ship is involved."""
    for m in (tr.from_mode, tr.to_mode):
        if m in _WATER:
            return "port", m.value
    return "transfer", tr.to_mode.value


def leg_component(leg: Leg) -> str:
    """Return the register component of a route leg.

    Examples
    --------
    >>> from steppe.routing.result import Leg
    >>> leg_component(Leg("a", "a", "A", "A", "rail", "transfer", 0, 1, 1, 0, "a:ferry>rail"))
    'port'
    """
    if leg.kind == "link":
        return "line_haul"
    if leg.kind == "wait":
        return "ferry_wait"
    if leg.kind == "border":
        return "border"
    carriers = leg.ref.split(":", 1)[1] if ":" in leg.ref else ""
    modes = {c.split(":")[0] for c in carriers.split(">")}
    return "port" if modes & {"ferry", "sea"} else "transfer"


def leg_key(leg: Leg, quantity: str) -> str:
    """Return the mode-level factor key a leg's time or price belongs to.

    Transfers and ports are one factor each (``time.transfer``, ``time.port``); links,
    borders and waits have one per mode.  This is the parameter family ``calibrate fit``
    estimates.

    Examples
    --------
    >>> from steppe.routing.result import Leg
    >>> leg_key(Leg("a", "b", "A", "B", "rail", "link", 9, 1, 1, 0, "x"), "price")
    'price.line_haul.rail'
    """
    comp = leg_component(leg)
    if comp in ("transfer", "port"):
        return f"{quantity}.{comp}"
    return f"{quantity}.{comp}.{leg.mode}"


def _check_key(key: str, value: Any, network: Network | None, file: str) -> list[Problem]:
    out: list[Problem] = []
    parts = key.split(".")
    where = f"[factors] {key!r}"
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (math.isfinite(value) and value > 0)
    ):
        out.append(Problem(file, f"{where}: a factor must be a number > 0, got {value!r}"))
    if len(parts) < 2 or parts[0] not in _COMPONENTS or parts[1] not in _COMPONENTS[parts[0]]:
        comps = "; ".join(f"{q}: {', '.join(c)}" for q, c in _COMPONENTS.items())
        out.append(Problem(file, f"{where}: use quantity.component[.mode[.qualifier]] ({comps})"))
        return out
    if len(parts) >= 3 and parts[2] not in {m.value for m in Mode}:
        out.append(Problem(file, f"{where}: unknown mode {parts[2]!r}"))
    if len(parts) > 4:
        out.append(Problem(file, f"{where}: too many parts"))
    if len(parts) == 4 and network is not None:
        qual, comp = parts[3], parts[1]
        known = {
            "line_haul": set(network.countries),
            "border": {b.id for b in network.borders},
            "transfer": {t.node for t in network.transfers},
            "port": {t.node for t in network.transfers},
            "ferry_wait": {lk.id for lk in network.links if lk.mode in _WATER},
        }[comp]
        if qual not in known:
            out.append(
                Problem(file, f"{where}: {qual!r} is not a {comp} qualifier of this network")
            )
    return out


def read_calibration(path: str | Path, network: Network | None = None) -> Calibration:
    """Read and check an overlay file.

    Raises
    ------
    CalibrationError
        Naming the file and every bad key or value.
    """
    path = Path(path)
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CalibrationError(f"cannot read {name}: {exc.strerror or exc}", file=name) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CalibrationError(f"{name}: not valid TOML: {exc}", file=name) from exc
    return calibration_from_mapping(data, network, file=name)


def calibration_from_mapping(
    data: Mapping[str, Any], network: Network | None = None, *, file: str = "<calibration>"
) -> Calibration:
    """Check the parsed TOML of an overlay and return it."""
    problems: list[Problem] = []
    unknown = sorted(set(data) - {"format_version", "title", "description", "factors", "fit"})
    if unknown:
        known = "format_version, title, description, factors, fit"
        problems.append(Problem(file, f"unknown key(s) {', '.join(unknown)}; known: {known}"))
    if data.get("format_version") != 1:
        problems.append(Problem(file, "format_version must be 1"))
    factors = data.get("factors")
    if not isinstance(factors, Mapping) or not factors:
        problems.append(Problem(file, "[factors] is missing or empty"))
        factors = {}
    for key, value in factors.items():
        problems.extend(_check_key(str(key), value, network, file))
    if problems:
        raise CalibrationError(problems)
    return Calibration(
        factors={str(k): float(v) for k, v in factors.items()},
        title=str(data.get("title", "calibration")),
        description=str(data.get("description", "")),
        file=file,
    )


def write_calibration(
    calibration: Calibration, path: str | Path, *, fit: Mapping[str, Any] | None = None
) -> str:
    """Return the overlay as TOML text and write it to ``path`` (atomically)."""
    lines = ["format_version = 1", f"title = {_q(calibration.title)}"]
    if calibration.description:
        lines.append(f"description = {_q(calibration.description)}")
    lines += ["", "[factors]"]
    lines += [f"{_q(k)} = {v:.6g}" for k, v in sorted(calibration.factors.items())]
    if fit:
        lines += ["", "[fit]"]
        for k, v in fit.items():
            lines.append(f"{k} = {_q(v) if isinstance(v, str) else _toml_value(v)}")
    text = "\n".join(lines) + "\n"
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return text


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return f"{v:.6g}"
    if isinstance(v, list | tuple):
        return (
            "[" + ", ".join(_q(str(x)) if isinstance(x, str) else _toml_value(x) for x in v) + "]"
        )
    return _q(str(v))


def apply_calibration(
    network: Network, calibration: Calibration, cost_model: CostModel | None = None
) -> tuple[Network, CostModel]:
    """Return the network and cost model transformed by an overlay's factors.

    Moving time is scaled through the link's speed (or its fixed duration), so road
    driver rest scales with it; per-km prices become a fixed link price only where a
    price factor applies.  Nothing is mutated.

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> cal = Calibration({"time.border.rail": 2.0})
    >>> new, _ = apply_calibration(net, cal)
    >>> b = new.borders_by_pair[frozenset(("dostyk", "alashankou"))]
    >>> b.dwell_for(Mode.RAIL, forward=True).median_h
    13.6
    """
    cm = cost_model or CostModel()
    links = tuple(_link(network, lk, calibration, cm) for lk in network.links)
    borders = tuple(_border(b, calibration) for b in network.borders)
    transfers = tuple(_transfer(t, calibration) for t in network.transfers)
    return network.replace(links=links, borders=borders, transfers=transfers), cm


def _link(net: Network, lk: Link, cal: Calibration, cm: CostModel) -> Link:
    countries = net.link_countries(lk)
    ft = cal.line_haul("time", lk.mode.value, countries)
    fp = cal.line_haul("price", lk.mode.value, countries)
    fw = cal.factor("time", "ferry_wait", lk.mode.value, lk.id)
    changes: dict[str, Any] = {}
    if ft != 1.0:
        if lk.duration_h is not None:
            changes["duration_h"] = lk.duration_h * ft
        else:
            changes["speed_kmh"] = (lk.speed_kmh or cm.speed_kmh(lk.mode)) / ft
    if fp != 1.0:
        base = lk.cost_usd if lk.cost_usd is not None else (
            cm.usd_per_km(lk.mode, countries) * lk.length_km)  # fmt: skip
        changes["cost_usd"] = base * fp
    if fw != 1.0 and lk.headway_h:
        changes["headway_h"] = lk.headway_h * fw
    return dataclasses.replace(lk, **changes) if changes else lk


def _border(b: Border, cal: Calibration) -> Border:
    dwell = []
    for d in b.dwell:
        ft = cal.factor("time", "border", d.mode.value, b.id)
        fp = cal.factor("price", "border", d.mode.value, b.id)
        dwell.append(Dwell(d.mode, d.forward, d.median_h * ft, d.p90_h * ft, d.fee_usd * fp))
    return dataclasses.replace(b, dwell=tuple(dwell))


def _transfer(t: Transfer, cal: Calibration) -> Transfer:
    comp, mode = _transfer_component(t)
    ft = cal.factor("time", comp, mode, t.node)
    fp = cal.factor("price", comp, mode, t.node)
    if ft == 1.0 and fp == 1.0:
        return t
    return dataclasses.replace(t, time_h=t.time_h * ft, cost_usd=t.cost_usd * fp)
