"""Set-up for the docstring examples in ``src/steppe``, which ``make test`` runs as doctests.

The slowest examples carry the ``slow`` marker (``make test-fast`` leaves them out), like
the slowest tests.
"""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    # Starlette's TestClient warns that it will move from httpx to httpx2 (web examples).
    warnings.simplefilter("ignore")
    try:
        import fastapi.testclient  # noqa: F401
    except ImportError:  # the web extra is not installed: its examples fail to import
        pass

# Docstring examples that take more than a few seconds (they route every place pair or
# fit a model); measured with ``pytest --durations``.
SLOW_EXAMPLES = frozenset(
    {
        "steppe.gravity.estimate.fit_gravity",
        "steppe.gravity.scenario_impact.scenario_impact",
        "steppe.reports.comparison.comparison_html",
        "steppe.reports.impact.impact_html",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in SLOW_EXAMPLES:
            item.add_marker(pytest.mark.slow)
