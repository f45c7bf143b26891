"""``steppe calibrate``: measure steppe against observed shipments, and fit an overlay."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from steppe.cli._common import NetworkOption, console, print_json, progress_bar, write_atomic

__all__ = ["calibrate_app", "fit_cmd", "register", "report_cmd"]

calibrate_app = typer.Typer(
    help="Measure steppe against published shipments (the register or your own), and fit.",
    no_args_is_help=True,
)

ObservationsArg = Annotated[
    Path | None,
    typer.Argument(help="Observations CSV (default: the register shipped with steppe)."),
]
ScenarioOpt = Annotated[
    list[str] | None,
    typer.Option("--scenario", help="Scenario name or file to apply first (repeat to stack)."),
]


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


@calibrate_app.command("report")
def report_cmd(  # noqa: PLR0917 (typer options)
    observations: ObservationsArg = None,
    network: NetworkOption = None,
    scenario: ScenarioOpt = None,
    calibration: Annotated[
        Path | None, typer.Option("--calibration", help="Overlay TOML to apply (after scenarios).")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="HTML report.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown tables.")] = False,
    rows: Annotated[bool, typer.Option("--rows", help="Also print every row.")] = False,
) -> None:
    """Route every observation and compare: ratio, inside the range, by row, group and role."""
    from steppe.calibration import calibration_report, read_calibration, read_observations
    from steppe.calibration._format import fmt_published
    from steppe.network.io import load_network

    net = load_network(network)
    obs = read_observations(observations, net)
    cal = read_calibration(calibration, net) if calibration is not None else None
    with progress_bar(f"routing {len(obs)} observations", as_json=as_json or markdown):
        rep = calibration_report(net, obs, scenarios=_split(scenario), calibration=cal)
    if output is not None:
        from steppe.calibration.html import report_html

        write_atomic(output, report_html(rep))
    if as_json:
        print_json(rep.to_dict())
        return
    if markdown:
        from steppe.calibration.markdown import report_markdown

        typer.echo(report_markdown(rep), nl=False)
        return
    table = Table(title=f"steppe against {len(rep.rows)} observations ({rep.file})",
                  title_justify="left")  # fmt: skip
    for col in ("role", "quantity", "rows", "median |log error|", "inside range", "median ratio"):
        table.add_column(col, justify="left" if col in ("role", "quantity") else "right")
    for (role, q), s in sorted(rep.summary.items()):
        table.add_row(role, q, str(s.n), f"{s.median_abs_log_error:.3f}",
                      f"{s.share_inside:.0%}", f"{s.median_ratio:.2f}")  # fmt: skip
    console.print(table)
    volumes = [m for m in rep.rows if m.obs.quantity == "volume"]
    if volumes:  # the baseline assignment against published tonnages
        vt = Table("id", "role", "period", "published", "steppe", "ratio",
                   title="published volumes against the baseline assignment",
                   title_justify="left")  # fmt: skip
        for m in volumes:
            o = m.obs
            vt.add_row(o.id, o.role, f"{o.period[0]}..{o.period[1]}", fmt_published(o),
                       "—" if m.model is None else f"{m.model:,.3g} {o.unit}",
                       "—" if m.ratio is None else f"{m.ratio:.3f}")  # fmt: skip
        console.print(vt)
    if rows:
        rt = Table("id", "role", "published", "steppe", "ratio", "in")
        for m in rep.rows:
            o = m.obs
            rt.add_row(o.id, o.role, f"{o.low if o.low is not None else ''}–"
                       f"{o.high if o.high is not None else ''} {o.unit}",
                       "—" if m.model is None else f"{m.model:,.3g}",
                       "—" if m.ratio is None else f"{m.ratio:.2f}",
                       {True: "✓", False: "✗", None: m.error[:40]}[m.inside])  # fmt: skip
        console.print(rt)
    if rep.failed:
        console.print(f"{len(rep.failed)} rows could not be routed: "
                      f"{', '.join(m.obs.id for m in rep.failed)}")  # fmt: skip
    if output is not None:
        console.print(f"report written to {output}")


@calibrate_app.command("fit")
def fit_cmd(  # noqa: PLR0917 (typer options)
    observations: Annotated[Path, typer.Argument(help="Observations CSV (fit and check rows).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Overlay TOML to write.")],
    network: NetworkOption = None,
    scenario: ScenarioOpt = None,
    ridge: Annotated[
        float, typer.Option("--ridge", help="Pull of each log factor towards 1.0 (0 = none).")
    ] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fit factors to the fit rows; write an overlay and the check error before and after."""
    from steppe.calibration import fit_calibration, read_observations, write_calibration
    from steppe.network.io import load_network

    net = load_network(network)
    obs = read_observations(observations, net)
    # each round routes every row again: a spinner, not a bar that would start over
    with progress_bar("fitting (rounds of routing)", as_json=as_json, fractions=False):
        res = fit_calibration(net, obs, scenarios=_split(scenario), ridge=ridge,
                              title=f"fitted to {observations.name}")  # fmt: skip
    check = {q: (res.before.get(("check", q)), res.after.get(("check", q)))
             for q in ("time", "price")}  # fmt: skip
    meta: dict[str, object] = {
        "observations": str(observations), "ridge": ridge, "rounds": res.rounds,
        "unidentified": list(res.unidentified),
    }  # fmt: skip
    for q, (b, a) in check.items():
        if b is not None and a is not None:
            meta[f"check_{q}_median_abs_log_error_before"] = round(b.median_abs_log_error, 4)
            meta[f"check_{q}_median_abs_log_error_after"] = round(a.median_abs_log_error, 4)
    write_calibration(res.calibration, output, fit=meta)
    if as_json:
        print_json({"output": str(output), **res.to_dict()})
        return
    table = Table("factor", "value", "fit rows", "± (log)", title="fitted factors",
                  title_justify="left")  # fmt: skip
    for p in res.parameters:
        se = "—" if p.log_se is None else f"{p.log_se:.2f}"
        table.add_row(p.key, f"{p.factor:.3f}", str(p.n_rows), se)
    console.print(table)
    err = Table("role", "quantity", "median |log error| before", "after", "inside before",
                "after", title="error before and after (check rows are out of sample)",
                title_justify="left")  # fmt: skip
    for key in sorted(res.before):
        b, a = res.before[key], res.after.get(key)
        err.add_row(key[0], key[1], f"{b.median_abs_log_error:.3f}",
                    "—" if a is None else f"{a.median_abs_log_error:.3f}",
                    f"{b.share_inside:.0%}",
                    "—" if a is None else f"{a.share_inside:.0%}")  # fmt: skip
    console.print(err)
    if res.unidentified:
        console.print("not identified (no fit row uses them; left at 1.0): "
                      + ", ".join(res.unidentified))  # fmt: skip
    if res.skipped:
        console.print("fit rows left out (no route, or nothing of their component on it): "
                      + ", ".join(res.skipped))  # fmt: skip
    console.print(f"overlay written to {output} ({res.rounds} rounds)")


def register(app: typer.Typer) -> None:
    """Add ``steppe calibrate`` to the root app."""
    app.add_typer(calibrate_app, name="calibrate")
