"""The library's long loops stop at the current deadline; without one they run as before."""

from __future__ import annotations

import pytest

import steppe
from steppe import routing
from steppe._deadline import (
    Deadline,
    DeadlineExceededError,
    check_deadline,
    current_deadline,
    deadline_scope,
)


@pytest.fixture(scope="module")
def net():
    return steppe.load_network()


def test_no_deadline_no_effect():
    assert current_deadline() is None
    check_deadline()


def test_nested_deadline_never_extends_the_outer_one():
    outer = Deadline.after(1)
    with deadline_scope(outer), deadline_scope(Deadline.after(100)) as inner:
        assert inner is outer
    with deadline_scope(None) as none:
        assert none is None


@pytest.mark.parametrize(
    "call",
    [
        lambda net: routing.pareto(net, "Ulaanbaatar", "Duisburg"),
        lambda net: routing.matrix(net, ["Almaty", "Baku"], ["Tbilisi"]),
        lambda net: routing.route(net, "Almaty", "Baku", alternatives=3),
        lambda net: routing.reliability(net, routing.route(net, "Almaty", "Baku").best, draws=100),
    ],
    ids=["pareto", "matrix", "alternatives", "reliability"],
)
def test_expired_deadline_stops_the_computation(net, call):
    call(net)  # runs without a deadline
    with (
        deadline_scope(Deadline.after(-1, what="the test")),
        pytest.raises(DeadlineExceededError, match="the test passed its time limit"),
    ):
        call(net)


def test_ge_stops_at_the_deadline():
    from steppe.gravity import scenario_impact

    with deadline_scope(Deadline.after(-1)), pytest.raises(DeadlineExceededError):
        scenario_impact(["titr-2030"], draws=0)
