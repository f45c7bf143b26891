"""The ``steppe gravity`` commands."""

from __future__ import annotations

import json

import pytest

from steppe.cli import main as _main


def main(args: list[str]) -> None:
    """Run the CLI and require success (standalone mode exits with code 0)."""
    try:
        _main(args)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


@pytest.mark.slow
def test_fit_json_reproduces_the_book(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "gravity",
            "fit",
            "agtpa-2006",
            "--formula",
            "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer",
            "--json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    coefs = {c["term"]: c["estimate"] for c in out["coefficients"]}
    assert coefs["INTL_BRDR"] == pytest.approx(-2.47445, abs=5e-5)


def test_counterfactual_trade_without_borders(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "gravity",
            "counterfactual",
            "agtpa-2006",
            "--formula",
            "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer",
            "--change",
            "INTL_BRDR=0",
            "--kind",
            "conditional",
            "--reference",
            "ZZZ",
            "--json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    usa = next(c for c in out["countries"] if c["country"] == "USA")
    assert usa["exports_change_pct"] == pytest.approx(359.9806, abs=1e-3)


def test_pair_change_and_plain_output(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "gravity",
            "counterfactual",
            "gegravity-30",
            "--change",
            "CAN~USA:t=0.9",
            "--reference",
            "USA",
        ]
    )
    assert "CAN" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["gravity", "fit", "no/such.csv", "--formula", "trade ~ x"],
        ["gravity", "counterfactual", "gegravity-30", "--change", "nonsense"],
        ["gravity", "counterfactual", "gegravity-30", "--change", "INTL_BRDR=0"],
    ],
)
def test_bad_input_exits_1_with_one_line(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        _main(args)
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


def test_fit_names_the_separated_rows(capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    data = Path(__file__).parents[1] / "data" / "gravity" / "separation" / "10.csv"
    main(["gravity", "fit", str(data), "--formula", "y ~ x1 + x2 + x3"])
    out = capsys.readouterr().out
    assert "5 separated observations dropped" in out
    assert "omitted (collinear on the estimation sample): x3" in out
    main(["gravity", "fit", str(data), "--formula", "y ~ x1 + x2 + x3", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert [r["row"] for r in payload["separated"]] == [0, 1, 2, 4, 5]
    assert payload["separated_by"]["simplex"] == 5
