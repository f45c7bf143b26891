"""The work of each edit type on a working copy of a network (used by ``apply``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from steppe.errors import ConfigError, Problem
from steppe.network.model import Border, Dwell, Link, Mode, Network, Node, Transfer
from steppe.routing.costs import CostModel
from steppe.scenarios import spec as s
from steppe.scenarios.io import Scenario

__all__ = ["HANDLERS", "Change", "EditContext", "apply_edit"]

_P90_DEFAULT = 1.5  # as in the network format: a missing p90 is 1.5 x the median


@dataclass(frozen=True, slots=True)
class Change:
    """One changed field: of a node, link, border, transfer, the transit policy or costs."""

    scenario: str
    edit: int
    kind: str
    ref: str
    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {k: _json(getattr(self, k)) for k in self.__slots__}


def _json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if hasattr(value, "value"):
        return value.value
    return value


@dataclass
class EditContext:
    """Mutable working state while one scenario's edits are applied."""

    network: Network
    cost_model: CostModel
    scenario: Scenario
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    origin: dict[tuple[str, str], int] = field(default_factory=dict)
    claims: dict[tuple[str, str, str], tuple[int, Any]] = field(default_factory=dict)
    nodes: dict[str, Node] = field(init=False)
    links: dict[str, Link] = field(init=False)
    borders: dict[str, Border] = field(init=False)
    transfers: dict[tuple[str, str, str], Transfer] = field(init=False)
    closed: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        net = self.network
        self.nodes = {n.id: n for n in net.nodes}
        self.links = {lk.id: lk for lk in net.links}
        self.borders = {b.id: b for b in net.borders}
        self.transfers = {(t.node, t.from_mode.value, t.to_mode.value): t for t in net.transfers}
        self.closed = net.closed_transit

    def problem(self, edit: int, column: str | None, message: str) -> None:
        """Record a problem of an edit."""
        kind = self.scenario.spec.edits[edit - 1].type
        self.problems.append(
            Problem(self.scenario.file, f"edit {edit} ({kind}): {message}", edit, column)
        )

    def record(self, edit: int, ref: tuple[str, str, str], old: Any, new: Any) -> bool:
        """Record a changed field; return False (and a problem) if it contradicts an edit."""
        key = ref
        kind, obj, name = ref
        if key in self.claims and self.claims[key][1] != new:
            other = self.claims[key][0]
            self.problem(edit, name, f"contradicts edit {other}, which sets {kind} {obj!r} "
                         f"{name} to {_json(self.claims[key][1])!r}")  # fmt: skip
            return False
        self.claims[key] = (edit, new)
        self.changes.append(Change(self.scenario.name, edit, kind, obj, name, old, new))
        return True

    def node_exists(self, edit: int, column: str, node_id: str) -> bool:
        """Return whether a node exists, recording a problem if not."""
        if node_id in self.nodes:
            return True
        self.problem(edit, column, f"unknown node {node_id!r}")
        return False

    def build(self) -> Network:
        """Return the edited network (not yet validated)."""
        return self.network.replace(
            nodes=tuple(self.nodes.values()),
            links=tuple(self.links.values()),
            borders=tuple(self.borders.values()),
            transfers=tuple(self.transfers.values()),
            closed_transit=self.closed,
        )


def _add(ctx: EditContext, n: int, ref: tuple[str, str], *, table: dict[Any, Any], key: Any,
         obj: Any) -> None:  # fmt: skip
    kind, ref_id = ref
    if key in table:
        ctx.problem(n, "id", f"{kind} {ref_id!r} already exists")
        return
    table[key] = obj
    ctx.origin[ref] = n
    ctx.changes.append(Change(ctx.scenario.name, n, kind, ref_id, "added", None, ref_id))


def _add_node(ctx: EditContext, n: int, e: s.AddNode) -> None:
    values = e.model_dump(exclude={"type", "note"})
    _add(ctx, n, ("node", e.id), table=ctx.nodes, key=e.id, obj=Node(**values))


def _add_link(ctx: EditContext, n: int, e: s.AddLink) -> None:
    ok = all([ctx.node_exists(n, "a", e.a), ctx.node_exists(n, "b", e.b)])
    if ok:
        values = e.model_dump(exclude={"type", "note"})
        values["countries"] = tuple(e.countries)
        values["geometry"] = tuple(tuple(p) for p in e.geometry) if e.geometry else None
        _add(ctx, n, ("link", e.id), table=ctx.links, key=e.id, obj=Link(**values))


def _find_link(ctx: EditContext, n: int, e: s.ChangeLink | s.ChangeFerry) -> Link | None:
    if e.id is not None:
        if e.id not in ctx.links:
            ctx.problem(n, "id", f"unknown link {e.id!r}")
            return None
        return ctx.links[e.id]
    if e.a is None or e.b is None:  # the schema requires id, or a and b
        return None
    if not all([ctx.node_exists(n, "a", e.a), ctx.node_exists(n, "b", e.b)]):
        return None
    ends = {e.a, e.b}
    found = [lk for lk in ctx.links.values()
             if {lk.a, lk.b} == ends and (e.mode is None or lk.mode is e.mode)]  # fmt: skip
    how = f" by {e.mode.value}" if e.mode else ""
    if not found:
        ctx.problem(n, "a", f"no link joins {e.a!r} and {e.b!r}{how}")
        return None
    if len(found) > 1:
        ids = ", ".join(lk.id for lk in found)
        ctx.problem(
            n,
            "mode" if e.mode is None else "id",
            f"{len(found)} links join {e.a!r} and {e.b!r}{how} ({ids}); use id",
        )
        return None
    return found[0]


def _change_link(ctx: EditContext, n: int, e: s.ChangeLink | s.ChangeFerry) -> None:
    link = _find_link(ctx, n, e)
    if link is None:
        return
    if isinstance(e, s.ChangeFerry) and not link.mode.scheduled:
        ctx.problem(n, "id", f"link {link.id!r} is a {link.mode.value} link, not a ferry")
        return
    new: dict[str, Any] = {}
    for name in e.changed_fields():
        value = getattr(e, name)
        if name.endswith("_scale"):
            target = {"speed_scale": "speed_kmh", "headway_scale": "headway_h",
                      "duration_scale": "duration_h"}[name]  # fmt: skip
            base = getattr(link, target)
            if base is None:
                ctx.problem(n, name, f"link {link.id!r} has no {target} to scale")
                continue
            new[target] = base * value
        else:
            new[name] = value
    ok = True
    for name, value in new.items():
        ok = ctx.record(n, ("link", link.id, name), getattr(link, name), value) and ok
    if ok and new:
        ctx.links[link.id] = dataclasses.replace(link, **new)


def _find_border(ctx: EditContext, n: int, e: s.ChangeBorder) -> Border | None:
    if e.id is not None:
        if e.id not in ctx.borders:
            ctx.problem(n, "id", f"unknown border crossing {e.id!r}")
        return ctx.borders.get(e.id)
    found = [b for b in ctx.borders.values() if {b.a, b.b} == {e.a, e.b}]
    if not found:
        ctx.problem(n, "a", f"no border crossing joins {e.a!r} and {e.b!r}")
        return None
    return found[0]


def _dwell_updates(border: Border, values: dict[str, float]) -> tuple[tuple[Dwell, ...], str]:
    dwell = {(d.mode.value, d.forward): d for d in border.dwell}
    border_modes = [m.value for m in Mode if m.crosses_borders]
    for mode in border_modes:
        for way, forward in (("ab", True), ("ba", False)):
            median = values.get(f"{mode}_{way}_median_h")
            p90 = values.get(f"{mode}_{way}_p90_h")
            old = dwell.get((mode, forward))
            if median is None and p90 is None:
                continue
            if old is None:
                if median is None:
                    return (), (
                        f"{mode}_{way}_p90_h: {mode} is not open in this direction; "
                        f"set {mode}_{way}_median_h too"
                    )
                fee = next((d.fee_usd for d in border.dwell if d.mode.value == mode), 0.0)
                old = Dwell(Mode(mode), forward, median, median * _P90_DEFAULT, fee)
            med = old.median_h if median is None else median
            ratio = old.p90_h / old.median_h if old.median_h > 0 else _P90_DEFAULT
            p9: float = p90 if p90 is not None else med * ratio  # keep the spread of the old dwell
            dwell[(mode, forward)] = dataclasses.replace(old, median_h=med, p90_h=p9)
    for mode in border_modes:
        new_fee = values.get(f"{mode}_fee_usd")
        if new_fee is None:
            continue
        keys = [k for k in dwell if k[0] == mode]
        if not keys:
            return (), f"{mode}_fee_usd: {mode} is not open at this crossing"
        for k in keys:
            dwell[k] = dataclasses.replace(dwell[k], fee_usd=new_fee)
    return tuple(dwell.values()), ""


def _change_border(ctx: EditContext, n: int, e: s.ChangeBorder) -> None:
    border = _find_border(ctx, n, e)
    if border is None:
        return
    dwell = border.dwell
    if e.dwell_scale is not None:
        modes = set(e.modes) or {"road", "rail"}
        dwell = tuple(
            dataclasses.replace(d, median_h=d.median_h * e.dwell_scale,
                                p90_h=d.p90_h * e.dwell_scale)
            if d.mode.value in modes else d
            for d in dwell
        )  # fmt: skip
    values = {k: getattr(e, k) for k in e.changed_fields()
              if k in s.DWELL_FIELDS or k.endswith("_fee_usd")}  # fmt: skip
    if values:
        dwell, error = _dwell_updates(dataclasses.replace(border, dwell=dwell), values)
        if error:
            ctx.problem(n, error.split(":")[0], error.split(": ", 1)[1])
            return
    before, after = _flat(border.dwell), _flat(dwell)
    ok = True
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            ok = (
                ctx.record(n, ("border", border.id, name), before.get(name), after.get(name)) and ok
            )
    if e.regime is not None:
        ok = ctx.record(n, ("border", border.id, "regime"), border.regime, e.regime) and ok
    if ok:
        ctx.borders[border.id] = dataclasses.replace(
            border, dwell=dwell, regime=e.regime or border.regime
        )


def _flat(dwell: tuple[Dwell, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for d in dwell:
        way = "ab" if d.forward else "ba"
        out[f"{d.mode.value}_{way}_median_h"] = round(d.median_h, 6)
        out[f"{d.mode.value}_{way}_p90_h"] = round(d.p90_h, 6)
        out[f"{d.mode.value}_fee_usd"] = d.fee_usd
    return out


def _add_border(ctx: EditContext, n: int, e: s.AddBorder) -> None:
    if not all([ctx.node_exists(n, "a", e.a), ctx.node_exists(n, "b", e.b)]):
        return
    empty = Border(id=e.id, a=e.a, b=e.b, regime=e.regime, name=e.name, source=e.source)
    values = {k: getattr(e, k) for k in (*s.DWELL_FIELDS, "road_fee_usd", "rail_fee_usd")
              if getattr(e, k) is not None}  # fmt: skip
    dwell, error = _dwell_updates(empty, values)
    if error:
        ctx.problem(n, error.split(":")[0], error.split(": ", 1)[1])
        return
    _add(
        ctx,
        n,
        ("border", e.id),
        table=ctx.borders,
        key=e.id,
        obj=dataclasses.replace(empty, dwell=dwell),
    )


def _transfer_key(e: s.AddTransfer | s.ChangeTransfer) -> tuple[str, str, str]:
    return (e.node, e.from_mode.value, e.to_mode.value)


def _add_transfer(ctx: EditContext, n: int, e: s.AddTransfer) -> None:
    if ctx.node_exists(n, "node", e.node):
        key = _transfer_key(e)
        t = Transfer(e.node, e.from_mode, e.to_mode, e.time_h, e.cost_usd, e.source)
        _add(ctx, n, ("transfer", ":".join(key)), table=ctx.transfers, key=key, obj=t)


def _change_transfer(ctx: EditContext, n: int, e: s.ChangeTransfer) -> None:
    keys = [_transfer_key(e)]
    if e.both_directions and e.from_mode is not e.to_mode:
        keys.append((e.node, e.to_mode.value, e.from_mode.value))
    for key in keys:
        t = ctx.transfers.get(key)
        if t is None:
            ctx.problem(n, "node", f"no transfer {key[1]} -> {key[2]} at {key[0]!r}")
            continue
        new: dict[str, float] = {}
        for name, scale in (("time_h", e.time_scale), ("cost_usd", e.cost_scale)):
            value = getattr(e, name)
            if scale is not None:
                value = getattr(t, name) * scale
            if value is not None:
                new[name] = value
        ref = ":".join(key)
        if all([ctx.record(n, ("transfer", ref, k), getattr(t, k), v) for k, v in new.items()]):
            ctx.transfers[key] = dataclasses.replace(
                t, time_h=new.get("time_h", t.time_h), cost_usd=new.get("cost_usd", t.cost_usd)
            )


def _close_transit(ctx: EditContext, n: int, e: s.CloseTransit) -> None:
    new = tuple(sorted(set(ctx.closed) | set(e.countries)))
    if new != ctx.closed:
        ctx.changes.append(Change(ctx.scenario.name, n, "transit", ",".join(e.countries),
                                  "closed_transit", ctx.closed, new))  # fmt: skip
        ctx.closed = new


def _cost_model(ctx: EditContext, n: int, e: s.ChangeCostModel) -> None:
    known = {f.name for f in dataclasses.fields(CostModel) if not f.name.startswith("_")}
    for name, value in e.parameters.items():
        if name not in known:
            ctx.problem(n, f"parameters.{name}", "unknown cost model parameter; known: "
                        + ", ".join(sorted(known)))  # fmt: skip
            continue
        try:
            model = CostModel.from_mapping({name: value}, base=ctx.cost_model)
        except ConfigError as exc:
            ctx.problem(n, f"parameters.{name}", str(exc))
            continue
        new = getattr(model, name)
        if ctx.record(n, ("cost_model", "cost_model", name), getattr(ctx.cost_model, name), new):
            ctx.cost_model = model


#: The function that applies each edit class; a test checks it covers ``spec.EDIT_CLASSES``.
HANDLERS: dict[type[Any], Any] = {
    s.AddNode: _add_node,
    s.AddLink: _add_link,
    s.ChangeLink: _change_link,
    s.ChangeFerry: _change_link,
    s.AddBorder: _add_border,
    s.ChangeBorder: _change_border,
    s.AddTransfer: _add_transfer,
    s.ChangeTransfer: _change_transfer,
    s.CloseTransit: _close_transit,
    s.ChangeCostModel: _cost_model,
}


def apply_edit(ctx: EditContext, number: int, edit: Any) -> None:
    """Apply one edit to the working copy, recording changes and problems."""
    HANDLERS[type(edit)](ctx, number, edit)
