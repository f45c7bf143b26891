"""The corridor planner web app (``steppe serve``): a JSON API and an offline page.

Needs the ``web`` extra (FastAPI, uvicorn).  Build the app with :func:`create_app`.
"""

from steppe.web.app import create_app
from steppe.web.limits import Limits

__all__ = ["Limits", "create_app"]
