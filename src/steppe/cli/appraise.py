"""``steppe appraise``: freight demand, benefits and costs of a project, NPV, BCR, EIRR."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from steppe.cli._common import NetworkOption, console, print_json, progress_bar, write_atomic
from steppe.cli._options import (
    AvoidOption,
    CargoOption,
    ClosedTransitOption,
    ModesOption,
    PriceDateOption,
    ServiceOption,
    ValueOption,
    route_options,
)
from steppe.errors import ConfigError

if TYPE_CHECKING:
    from steppe.appraisal.flows import FlowSettings

__all__ = ["QueueDemandChoice", "ReferenceClassChoice", "appraise", "assign", "register"]


# The demand options appraise and assign share (steppe.appraisal.demand_from reads them).
FlowsOption = Annotated[
    Path | None, typer.Option(help="Trade flows CSV: iso_o, iso_d, value_usd per year.")
]
OdOption = Annotated[
    Path | None, typer.Option(help="OD tonnes CSV: origin, destination, tonnes per year.")
]
YearOption = Annotated[
    int | None, typer.Option(help="Year of the embedded Kazakh trade table (default latest).")
]
UsdPerTonneOption = Annotated[
    float | None, typer.Option(help="Value of a tonne of the goods (default: a proxy).")
]
# Mode choice and capacity feedback, shared by appraise and assign.
ModeBetaOption = Annotated[
    float | None,
    typer.Option(help="Mode logit scale on log generalized cost (road/rail/multimodal); "
                 "default: no mode choice, the given modes."),
]  # fmt: skip
CapacityOption = Annotated[
    bool, typer.Option("--capacity", help="Queues at capacity crossings feed back (equilibrium).")
]


MaxIterationsOption = Annotated[
    int, typer.Option(min=1, help="Iterations of the capacity equilibrium before giving up.")
]


class QueueDemandChoice(StrEnum):
    """What a capacity queue serves: the assigned load, or that on top of its published demand."""

    ASSIGNED = "assigned"
    ADDED = "added"


QueueDemandOption = Annotated[
    QueueDemandChoice, typer.Option(help="A queue serves the assigned load, or it added to "
                                         "the published demand.")
]  # fmt: skip


class ReferenceClassChoice(StrEnum):
    """Which reference class of cost overruns the Monte Carlo draws."""

    ROAD = "road"
    RAIL = "rail"
    FIXED_LINK = "fixed_link"


def appraise(  # noqa: PLR0917 (typer options)
    scenario: Annotated[list[str], typer.Argument(help="Bundled name(s) or TOML file(s).")],
    capex: Annotated[float, typer.Option(help="Investment cost, USD (as estimated).")],
    opex: Annotated[float, typer.Option(help="Operation and maintenance, USD per year.")] = 0.0,
    years: Annotated[int, typer.Option(help="Appraisal period, construction included.")] = 30,
    discount: Annotated[float, typer.Option(help="Real discount rate, e.g. 0.09.")] = 0.09,
    construction_years: Annotated[int, typer.Option(help="Years before opening.")] = 3,
    start_year: Annotated[int, typer.Option(help="First construction year.")] = 2025,
    growth: Annotated[float, typer.Option(help="Yearly growth of the tonnes.")] = 0.0,
    elasticity: Annotated[
        float, typer.Option(help="Elasticity of tonnes to generalized cost (induced traffic).")
    ] = 0.0,
    reference_class: Annotated[
        ReferenceClassChoice, typer.Option(help="Cost-overrun reference class for the draws.")
    ] = ReferenceClassChoice.ROAD,
    draws: Annotated[int, typer.Option(min=0, help="Monte Carlo draws.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    flows: FlowsOption = None,
    od: OdOption = None,
    year: YearOption = None,
    usd_per_tonne: UsdPerTonneOption = None,
    mode_beta: ModeBetaOption = None,
    capacity: CapacityOption = False,
    queue_demand: QueueDemandOption = QueueDemandChoice.ADDED,
    max_iterations: MaxIterationsOption = 50,
    induced_trade: Annotated[
        bool, typer.Option("--induced-trade", help="Add the GE's induced trade as a benefit.")
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address for the draws (default: here).")
    ] = None,
    modes: ModesOption = None,
    avoid: AvoidOption = None,
    closed_transit: ClosedTransitOption = None,
    cargo: CargoOption = "feu",
    value: ValueOption = None,
    price_date: PriceDateOption = None,
    service: ServiceOption = None,
    network: NetworkOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write an HTML report.")] = (
        None
    ),
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the yearly flows as CSV.")] = (
        None
    ),
) -> None:
    """Appraise SCENARIO as a project: NPV, BCR and EIRR with Monte Carlo bands."""
    from steppe.appraisal import AppraisalSettings, demand_from
    from steppe.appraisal import appraise as run
    from steppe.network import load_network
    from steppe.scenarios import load_scenarios

    settings = AppraisalSettings(
        capex_usd=capex, opex_usd_per_year=opex, years=years, discount=discount,
        construction_years=construction_years, start_year=start_year, demand_growth=growth,
        induced_elasticity=elasticity, reference_class=reference_class.value, draws=draws,
        seed=seed,
    )  # fmt: skip
    net = load_network(network)
    demand = demand_from(net, flows=flows, od=od, year=year, usd_per_tonne=usd_per_tonne)
    options = route_options(modes=modes, avoid=avoid, closed_transit=closed_transit,
                            cargo=cargo, value=value, price_date=price_date,
                            service=service)  # fmt: skip
    loading = _flow_settings(mode_beta, capacity, queue_demand, max_iterations)
    factors = None
    if induced_trade:
        if elasticity != 0:
            raise ConfigError("--induced-trade and --elasticity estimate the same new "
                              "shipments: give one of them")  # fmt: skip
        from steppe.appraisal.induced import trade_change_factors

        factors = trade_change_factors(scenario, net, options)
    with progress_bar("routing the demand with and without the project", as_json=as_json):
        result = run(net, load_scenarios(scenario, net), demand, settings, options, flows=loading,
                     trade_factors=factors, scheduler=scheduler)  # fmt: skip
    if csv is not None:
        write_atomic(csv, result.yearly.to_csv(index=False, float_format="%.6g"))
    if output is not None:
        from steppe.reports.appraisal import appraisal_html

        write_atomic(output, appraisal_html(result))
    if as_json:
        print_json(result.to_dict())
        return
    s = result.summary()
    b = s["bands"]
    t = Table(title=f"Appraisal: {result.scenario}")
    for col in ("measure", "central", "5 %", "median", "95 %"):
        t.add_column(col)
    t.add_row("NPV, million USD", f"{s['npv_usd'] / 1e6:,.2f}",
              *(_num(b["npv_usd"][k] / 1e6, 2) for k in ("low", "median", "high")))  # fmt: skip
    t.add_row("BCR", f"{s['bcr']:.3f}", *(_num(b["bcr"][k], 3) for k in ("low", "median", "high")))
    t.add_row("EIRR, %", _num(100 * s["eirr"], 2),
              *(_num(100 * b["eirr"][k], 2) for k in ("low", "median", "high")))  # fmt: skip
    console.print(t)
    p = s["p_bcr_above_one"]
    console.print(
        f"P(BCR > 1) = {'–' if math.isnan(p) else f'{100 * p:.1f} %'} over {s['draws']} draws; "
        f"{s['pairs_that_gain']} of {s['pairs_with_demand']} OD pairs gain; "
        f"{s['opening_year_tonnes']:,.0f} t in the opening year ({result.demand_source})"
    )
    if induced_trade:
        console.print(f"induced trade (GE, rule of half): {s['induced_trade_tonnes']:,.0f} t "
                      f"in the opening year, "
                      f"{result.yearly['induced_trade_usd'].max():,.0f} USD a year")  # fmt: skip
    if output is not None:
        console.print(f"report: {output}")


def assign(  # noqa: PLR0917 (typer options)
    scenario: Annotated[
        list[str] | None, typer.Argument(help="Bundled name(s) or TOML file(s); none: baseline.")
    ] = None,
    flows: FlowsOption = None,
    od: OdOption = None,
    year: YearOption = None,
    usd_per_tonne: UsdPerTonneOption = None,
    theta: Annotated[
        float | None,
        typer.Option(help="Path-size logit scale on relative cost; default all-or-nothing."),
    ] = None,
    alternatives: Annotated[int, typer.Option(min=1, max=5, help="Routes per pair (logit).")] = 3,
    coverage: Annotated[
        float, typer.Option(help="Assign pairs, largest first, up to this share of tonnes.")
    ] = 0.99,
    top: Annotated[int, typer.Option(min=1, help="Rows to print per table.")] = 10,
    mode_beta: ModeBetaOption = None,
    capacity: CapacityOption = False,
    queue_demand: QueueDemandOption = QueueDemandChoice.ADDED,
    max_iterations: MaxIterationsOption = 50,
    modes: ModesOption = None,
    avoid: AvoidOption = None,
    closed_transit: ClosedTransitOption = None,
    cargo: CargoOption = "feu",
    value: ValueOption = None,
    price_date: PriceDateOption = None,
    service: ServiceOption = None,
    network: NetworkOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the link loads as CSV.")
    ] = None,
) -> None:
    """Assign freight demand to routes: tonnes and FEU per day on links and borders."""
    from steppe.appraisal import assign as run
    from steppe.appraisal import demand_from
    from steppe.network import load_network
    from steppe.scenarios import load_scenarios

    base = load_network(network)
    applied = load_scenarios(scenario or [], base)
    demand = demand_from(base, flows=flows, od=od, year=year, usd_per_tonne=usd_per_tonne)
    options = route_options(modes=modes, avoid=avoid, closed_transit=closed_transit,
                            cargo=cargo, value=value, cost_model=applied.cost_model,
                            price_date=price_date, service=service)  # fmt: skip
    with progress_bar("routing the OD pairs", as_json=as_json):
        result = run(applied.network, demand.table, options, theta=theta,
                     alternatives=alternatives, coverage=coverage, mode_beta=mode_beta,
                     capacity=capacity, queue_demand=queue_demand.value,
                     max_iterations=max_iterations)  # fmt: skip
    if output is not None:
        write_atomic(output, result.links.to_csv(index=False, float_format="%.6g"))
    if as_json:
        print_json(
            {
                "method": result.method,
                "demand_source": demand.source,
                "tonnes": demand.tonnes,
                "assigned_share": result.assigned_share,
                "links": result.links.head(top).to_dict(orient="records"),
                "borders": result.borders.head(top).to_dict(orient="records"),
                "modes": result.modes.to_dict(orient="records"),
                "queues": result.queues.to_dict(orient="records"),
                "convergence": result.convergence,
                "unrouted": result.unrouted.to_dict(orient="records"),
            }
        )
        return
    console.print(f"{demand.tonnes:,.0f} t per year ({demand.source}); {result.method}; "
                  f"{100 * result.assigned_share:.1f} % of the tonnes assigned")  # fmt: skip
    for title, df, key in (("border crossings", result.borders, "border"),
                           ("links", result.links, "link")):  # fmt: skip
        t = Table(title=f"busiest {title}")
        for col in (key, "tonnes per year", "FEU per day"):
            t.add_column(col)
        for r in df.head(top).itertuples():
            t.add_row(str(getattr(r, key)), f"{r.tonnes:,.0f}", f"{r.feu_per_day:,.1f}")
        console.print(t)
    if mode_beta is not None:
        console.print("by mode: " + "; ".join(f"{r.mode} {r.tonnes:,.0f} t"
                                             for r in result.modes.itertuples()))  # fmt: skip
    if result.convergence:
        console.print(result.convergence)
        for r in result.queues.itertuples():
            console.print(f"  {r.border} ({r.mode}, {r.direction}): {r.demand_per_day:,.1f} "
                          f"{r.unit}/day of {r.capacity_per_day:,.0f}, wait {r.wait_h:,.1f} h "
                          f"(uncongested {r.uncongested_wait_h:,.1f} h)")  # fmt: skip
    if output is not None:
        console.print(f"link loads: {output}")


def _flow_settings(
    mode_beta: float | None, capacity: bool, queue_demand: QueueDemandChoice, max_iterations: int
) -> FlowSettings | None:
    """Return the flow settings of the flags (None: the best route of each pair)."""
    if mode_beta is None and not capacity:
        return None
    from steppe.appraisal.flows import FlowSettings
    from steppe.appraisal.modechoice import ModeChoice

    choice = ModeChoice(mode_beta) if mode_beta is not None else None
    return FlowSettings(mode_choice=choice, capacity=capacity, queue_demand=queue_demand.value,
                        max_iterations=max_iterations)  # fmt: skip


def _num(x: float, digits: int) -> str:
    return "–" if not math.isfinite(x) else f"{x:,.{digits}f}"


def register(app: typer.Typer) -> None:
    """Add ``appraise`` and ``assign`` to the root app."""
    app.command("appraise")(appraise)
    app.command("assign")(assign)
