"""``steppe gravity``: fit structural gravity and run GE counterfactuals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from steppe.cli._common import console, print_json

if TYPE_CHECKING:
    from steppe.gravity.estimate import GravityFit

__all__ = ["register"]

DataArg = Annotated[
    str, typer.Argument(help="CSV file, or agtpa-2006 | agtpa-panel | hmr-2006 | gegravity-30.")
]


def _fit(
    data: DataArg,
    formula: Annotated[str, typer.Option(help="pyfixest formula: y ~ x1 + x2 | fe1 + fe2")],
    vcov: Annotated[str, typer.Option(help="hetero | iid | cluster:<column>")] = "hetero",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fit a gravity model by PPML with fixed effects."""
    from steppe.gravity.data import read_trade_table
    from steppe.gravity.estimate import fit_gravity

    table = read_trade_table(data, required=())
    result = fit_gravity(table, formula, vcov=vcov, fixed_effects=not as_json)
    if as_json:
        print_json(result.to_dict())
        return
    out = Table(title=f"PPML: {formula}  (n={result.n_obs}, separated={result.n_separated})")
    for col in ("term", "estimate", "std_error", "p_value"):
        out.add_column(col)
    for row in result.coefficients.itertuples():
        out.add_row(
            str(row.term), f"{row.estimate:.4f}", f"{row.std_error:.4f}", f"{row.p_value:.3g}"
        )
    console.print(out)
    _print_separation(result)


def _print_separation(result: GravityFit, *, limit: int = 20) -> None:
    """Say which rows were dropped as separated, and why (the first ``limit``)."""
    console.print(result.separation.summary())
    if result.omitted:
        console.print("omitted (collinear on the estimation sample): " + ", ".join(result.omitted))
    if not len(result.separation):
        return
    rows = Table(title="separated observations (line: in the CSV file, header is line 1)")
    for col in ("line", "method", "detail"):
        rows.add_column(col)
    frame = result.separation.to_frame()
    for rec in frame.head(limit).itertuples(index=False):
        line = rec.row + 2 if isinstance(rec.row, int) else rec.row
        rows.add_row(str(line), str(rec.method), str(rec.detail))
    console.print(rows)
    if len(frame) > limit:
        console.print(f"... and {len(frame) - limit} more (--json lists them all)")


def _counterfactual(  # noqa: PLR0917
    data: DataArg,
    change: Annotated[
        list[str], typer.Option(help="COL=VALUE, EXP-IMP:phi=F or EXP~IMP:t=F (repeatable).")
    ],
    formula: Annotated[str | None, typer.Option(help="Fit this model first.")] = None,
    kind: Annotated[str, typer.Option(help="full | conditional")] = "full",
    reference: Annotated[str | None, typer.Option(help="Numéraire country.")] = None,
    sigma: Annotated[float, typer.Option(help="Elasticity of substitution.")] = 7.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run a general-equilibrium counterfactual on a trade table."""
    from steppe.gravity.data import read_trade_table
    from steppe.gravity.shocks import run_counterfactual

    table = read_trade_table(data)
    result = run_counterfactual(
        table,
        change,
        formula=formula,
        kind=kind,  # type: ignore[arg-type]
        reference=reference,
        sigma=sigma,
    )
    if as_json:
        print_json(result.to_dict())
        return
    out = Table(title=f"{result.kind} GE (reference {result.reference}, sigma {result.sigma})")
    cols = [
        "country",
        "exports_change_pct",
        "factory_price_change_pct",
        "imr_change_pct",
        "real_gdp_change_pct",
    ]
    for col in cols:
        out.add_column(col)
    for row in result.countries[cols].itertuples(index=False):
        out.add_row(row[0], *(f"{v:.3f}" for v in row[1:]))
    console.print(out)


def register(app: typer.Typer) -> None:
    """Add the ``gravity`` command group to the root app."""
    sub = typer.Typer(
        help="Structural gravity: PPML fits and GE counterfactuals.", no_args_is_help=True
    )
    sub.command("fit")(_fit)
    sub.command("counterfactual")(_counterfactual)
    app.add_typer(sub, name="gravity")
