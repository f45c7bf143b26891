"""A scenario's changes in words: what opened or closed, lengths, speeds, dwell and waits.

One sentence per changed object, for people (the web page, reports); the field-by-field
rows stay in :attr:`~steppe.scenarios.AppliedScenario.changes` for machines.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from steppe.countries import country_name
from steppe.network.model import Network
from steppe.scenarios.apply import AppliedScenario, Change

__all__ = ["describe_changes"]

_FIELD_WORDS = {
    "speed_kmh": ("speed", "km/h"),
    "length_km": ("length", "km"),
    "duration_h": ("crossing time", "h"),
    "headway_h": ("a sailing every", "h"),
    "cost_usd": ("cost", "USD"),
    "capacity": ("capacity", ""),
    "time_h": ("time", "h"),
    "fee_usd": ("fee", "USD"),
    "status": ("status", ""),
}


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}".rstrip("0").rstrip(".")
    return str(getattr(value, "value", value))


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _name(net: Network, node_id: str) -> str:
    node = net.nodes_by_id.get(node_id)
    return node.name if node is not None else node_id


def _field(field: str, old: Any, new: Any, ends: tuple[str, str] = ("A", "B")) -> str:
    if field.endswith(("_median_h", "_p90_h")):  # border dwell, e.g. rail_ab_median_h
        mode, way, stat = field.removesuffix("_h").split("_", 2)
        a, b = ends if way == "ab" else ends[::-1]
        label = f"{mode} {a} → {b} {stat} dwell"
        return f"{label} {_num(new)} h instead of {_num(old)} h"
    words, unit = _FIELD_WORDS.get(field, (field.replace("_", " "), ""))
    unit = f" {unit}" if unit else ""
    if old is None:
        return f"{words} {_num(new)}{unit}"
    return f"{words} {_num(new)}{unit} instead of {_num(old)}{unit}"


def _added_link(net: Network, ref: str) -> str:
    link = net.links_by_id.get(ref)
    if link is None:
        return f"new link {ref}"
    text = f"new {link.mode.value} link {_name(net, link.a)} – {_name(net, link.b)}: "
    text += f"{_num(link.length_km)} km"
    if link.speed_kmh:
        text += f" at {_num(link.speed_kmh)} km/h"
    if link.duration_h:
        text += f", {_num(link.duration_h)} h"
    if link.status.value != "open":
        text += f" ({link.status.value.replace('_', ' ')})"
    return text


def _border_ends(net: Network, ref: str) -> tuple[str, str]:
    for border in net.borders:
        if border.id == ref:
            return _name(net, border.a), _name(net, border.b)
    a, _, b = ref.partition("-")
    return _name(net, a), _name(net, b)


def _subject(net: Network, kind: str, ref: str) -> str:
    if kind == "link":
        link = net.links_by_id.get(ref)
        if link is not None:
            return f"{link.mode.value.capitalize()} {_name(net, link.a)} – {_name(net, link.b)}"
    if kind == "border":
        a, b = _border_ends(net, ref)
        return f"Border crossing {a} – {b}"
    if kind == "transfer":
        node, _, modes = ref.partition(":")
        return f"Transfer {modes.replace(':', ' → ')} at {_name(net, node)}"
    if kind == "node":
        return _name(net, ref)
    return ref


def _describe(net: Network, kind: str, ref: str, rows: list[Change]) -> str:
    added = any(c.field == "added" for c in rows)
    if kind == "transit":
        closed = [country_name(c) for c in rows[-1].new if c not in (rows[0].old or ())]
        opened = [country_name(c) for c in (rows[0].old or ()) if c not in rows[-1].new]
        parts = [f"transit through {c} closed" for c in closed]
        parts += [f"transit through {c} reopened" for c in opened]
        return _upper("; ".join(parts)) or "Transit policy unchanged"
    if kind == "cost":
        return "; ".join(f"Cost model: {_field(c.field, c.old, c.new)}" for c in rows)
    if added and kind == "link":
        return _upper(_added_link(net, ref))
    if added and kind == "node":
        node = net.nodes_by_id.get(ref)
        where = f" in {country_name(node.country)}" if node is not None else ""
        return f"New place {_name(net, ref)}{where}"
    if added:
        subject = _subject(net, kind, ref)
        return f"New {subject[:1].lower()}{subject[1:]}"
    dwell = [c for c in rows if c.field.endswith("_p90_h")]
    fields = [c for c in rows if c not in dwell] or rows
    ends = _border_ends(net, ref) if kind == "border" else ("A", "B")
    return f"{_subject(net, kind, ref)}: " + ", ".join(
        _field(c.field, c.old, c.new, ends) for c in fields
    )


def describe_changes(applied: AppliedScenario) -> list[str]:
    """Return one sentence per changed object of applied scenarios, in edit order.

    Parameters
    ----------
    applied
        Scenarios applied to a network.

    Returns
    -------
    list of str
        For example ``"New road link Ridder – Ridder–Altai border post (KZ, planned):
        60 km at 40.2 km/h"`` or ``"Ferry Kuryk – Alat: a sailing every 42 h instead of
        84 h"``.  Border dwell 90th percentiles are left out when the median is given.

    Examples
    --------
    >>> import steppe
    >>> from steppe.scenarios import apply_scenario, bundled_scenario
    >>> out = apply_scenario(steppe.load_network(), bundled_scenario("russia-transit-closed"))
    >>> describe_changes(out)
    ['Transit through Russia closed']
    """
    grouped: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in applied.changes:
        grouped[(change.kind, change.ref)].append(change)
    return [_describe(applied.network, kind, ref, rows) for (kind, ref), rows in grouped.items()]
