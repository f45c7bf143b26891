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


def test_serve_on_a_taken_port_says_which_port_to_use(monkeypatch, capsys):
    import socket

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("uvicorn must not start"))
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as exc:
            main(["serve", "--port", str(port), "--no-open"])
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert f"port {port} is already in use" in err[0]
    assert "make run PORT=" in err[0]


def test_url_is_announced_once_the_server_accepts(capsys):
    import socket
    import threading

    from steppe.cli.serve import _announce_when_ready

    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        url = f"http://127.0.0.1:{port}/"
        stop = threading.Event()
        _announce_when_ready("127.0.0.1", port, url, False, stop)
    assert f"ready on {url}" in capsys.readouterr().err


def test_json_readiness_is_one_line_on_stdout(capsys):
    import json
    import socket
    import threading

    from steppe.cli.serve import _announce_when_ready

    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        url = f"http://127.0.0.1:{port}/"
        _announce_when_ready("127.0.0.1", port, url, False, threading.Event(), as_json=True)
    out, err = capsys.readouterr()
    assert err == ""
    assert json.loads(out) == {"ready": True, "url": url, "docs": f"{url}docs"}
