"""``__all__`` of every web module lists its public classes and functions.

Request handlers (the endpoints of a module's ``router``) are reached through the router,
not by name, and need not be listed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types

import pytest

import steppe.web


@pytest.mark.parametrize(
    "module_name",
    [i.name for i in pkgutil.walk_packages(steppe.web.__path__, "steppe.web.")]
    + ["steppe._deadline"],
)
def test_web_module_all_matches_public_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ names missing {name}"
    router = getattr(module, "router", None)
    endpoints = {getattr(r, "endpoint", None) for r in router.routes} if router else set()
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", module_name) == module_name
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value not in endpoints
    }
    assert public <= set(exported), sorted(public - set(exported))
