"""Fuzzing scenario TOML: a ScenarioError with a location, or a scenario equal to its file.

Two generators: any text (must parse or be one ``ScenarioError``, never a traceback), and
the bundled scenarios with one value swapped for one of another TOML type, a key added or
a table nested deeply (must be refused at that edit and field: values are never coerced).
``STEPPE_FUZZ_EXAMPLES`` raises the number of cases (default 150 each).
"""

from __future__ import annotations

import os
import tomllib
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.errors import ScenarioError
from steppe.scenarios import parse_scenario, scenario_names, scenario_path

EXAMPLES = int(os.environ.get("STEPPE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

toml_values = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def _same_kind(a: object, b: object) -> bool:
    number = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, number) and isinstance(b, number):
        return True
    return type(a) is type(b)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_parses_or_is_one_scenario_error(text: str) -> None:
    try:
        parse_scenario(text, file="fuzz.toml")
    except ScenarioError as exc:
        assert exc.problems and all(p.file == "fuzz.toml" for p in exc.problems)


@FUZZ
@given(
    st.sampled_from(scenario_names()),
    st.integers(0, 1_000),
    st.integers(0, 1_000),
    toml_values,
)
def test_a_value_of_another_type_is_refused_at_its_field(
    name: str, i: int, j: int, value: Any
) -> None:
    data = tomllib.loads(scenario_path(name).read_text(encoding="utf-8"))
    edit = data["edits"][i % len(data["edits"])]
    keys = sorted(k for k in edit if k != "type")
    key = keys[j % len(keys)]
    old = edit[key]
    edit[key] = value
    text = tomli_w.dumps(data)
    try:
        scenario = parse_scenario(text, file="fuzz.toml")
    except ScenarioError as exc:
        assert all(p.file == "fuzz.toml" for p in exc.problems)
        assert any(p.row is not None and p.column for p in exc.problems), exc.report()
        return
    # Accepted: only if the new value has the old one's kind, and it is kept as given.
    assert _same_kind(old, value), (key, old, value)
    got = scenario.spec.edits[i % len(data["edits"])]
    kept = got.model_dump(mode="python")[key]
    if isinstance(value, int | float) and not isinstance(value, bool):
        assert kept == value or (isinstance(kept, float) and kept != kept)  # nan
    elif isinstance(value, str):
        assert kept == value or str(kept) == value or getattr(kept, "value", None) == value


@FUZZ
@given(st.sampled_from(scenario_names()), st.integers(1, 3_000))
def test_deep_nesting_is_one_error(name: str, depth: int) -> None:
    text = scenario_path(name).read_text(encoding="utf-8")
    text = text.replace("[[edits]]", "nested = " + "[" * depth + "]" * depth + "\n[[edits]]", 1)
    try:
        parse_scenario(text, file="deep.toml")
    except ScenarioError as exc:
        assert exc.problems and all(p.file == "deep.toml" for p in exc.problems)
    else:
        raise AssertionError("an unknown key 'nested' was accepted")
