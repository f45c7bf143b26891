"""``__all__`` lists exactly the public names, in steppe and in every module."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types

import pytest

import steppe


def _modules() -> list[str]:
    names = ["steppe"]
    for info in pkgutil.walk_packages(steppe.__path__, "steppe."):
        if ".web" in info.name or info.name.endswith("__main__"):
            continue  # web needs the extra; checked in tests/web
        names.append(info.name)
    return names


def test_top_level_all_resolves() -> None:
    assert steppe.__all__ == sorted(steppe.__all__)
    assert set(steppe.__all__) == {*steppe._EXPORTS, "__version__"}
    for name in steppe.__all__:
        assert getattr(steppe, name) is not None


@pytest.mark.parametrize("module_name", _modules())
def test_module_all_matches_public_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ names missing {name}"
    if module_name == "steppe":
        return
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", module_name) == module_name
        and (inspect.isclass(value) or inspect.isfunction(value))
    }
    assert public <= set(exported), (
        f"{module_name}: public but not in __all__: {sorted(public - set(exported))}"
    )
