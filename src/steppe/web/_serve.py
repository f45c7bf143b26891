"""The app of one worker process of ``steppe serve --workers N``.

uvicorn starts each worker process by importing :func:`app_from_environment`; the
command line passes its options in one environment variable (JSON), read here, so every
process builds the same app: the network is read once per process and shared by all of
its requests.  Job records go to one folder that all the processes share.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

from fastapi import FastAPI

from steppe.errors import ConfigError

__all__ = ["ENVIRONMENT_VARIABLE", "ServeConfig", "app_from_environment"]

ENVIRONMENT_VARIABLE = "STEPPE_SERVE_CONFIG"


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What every worker process needs to build the app.

    Parameters
    ----------
    network
        Network folder; ``None`` for the embedded network.
    allowed_hosts
        ``Host`` values answered.
    jobs_dir
        Folder of job records shared by the processes.
    limits
        Overrides of :class:`~steppe.web.limits.Limits` fields.

    Examples
    --------
    >>> ServeConfig.from_json(ServeConfig(jobs_dir="/tmp/j").to_json()).jobs_dir
    '/tmp/j'
    """

    network: str | None = None
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
    jobs_dir: str | None = None
    limits: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Return the configuration as JSON text."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServeConfig:
        """Read a configuration written by :meth:`to_json`."""
        data = json.loads(text)
        data["allowed_hosts"] = tuple(data["allowed_hosts"])
        return cls(**data)


def app_from_environment() -> FastAPI:
    """Build the app from the configuration in ``STEPPE_SERVE_CONFIG`` (an app factory).

    Raises
    ------
    ConfigError
        If the variable is not set (this is started by ``steppe serve``).
    """
    from steppe.network import load_network
    from steppe.web.app import create_app
    from steppe.web.limits import Limits

    text = os.environ.get(ENVIRONMENT_VARIABLE)
    if not text:
        raise ConfigError(f"{ENVIRONMENT_VARIABLE} is not set; start the server with steppe serve")
    config = ServeConfig.from_json(text)
    network = load_network(config.network)
    return create_app(
        network,
        limits=Limits(**config.limits),
        network_label=config.network,
        allowed_hosts=config.allowed_hosts,
        jobs_dir=config.jobs_dir,
    )
