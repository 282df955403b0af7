"""Fixtures for the whole suite; they live in ``support.py`` so that test
modules can import its helpers (``from support import LiveServer``) without
clashing with other ``conftest`` modules."""

from support import *  # noqa: F403
from support import (  # noqa: F401  (fixtures, re-exported for pytest)
    _postgres_url,
    app,
    browser,
    client,
    db_url,
    live_server,
    live_server_sqlite,
)
