"""``steppe serve``: options reach uvicorn, and a missing web extra is one clear line."""

from __future__ import annotations

import builtins

import pytest

from steppe.cli import main


def test_serve_passes_host_and_port(monkeypatch):
    import uvicorn

    seen = {}

    def fake_run(app, **kwargs):
        seen.update(kwargs, title=app.title)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", "8123", "--no-open", "--network", "tests/data/network/small"])
    assert exc.value.code in (0, None)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["title"] == "steppe corridor planner"


def test_serve_without_web_extra_says_which_extra(monkeypatch, capsys):
    real_import = builtins.__import__

    def no_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ImportError("No module named 'uvicorn'", name="uvicorn")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--no-open"])
    assert exc.value.code == 1
    assert "steppe[web]" in capsys.readouterr().err
