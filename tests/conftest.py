"""Fixtures for the whole suite; they live in ``support.py`` so that test
modules can import its helpers (``from support import LiveServer``) without
clashing with other ``conftest`` modules."""

from pathlib import Path

import pytest

from support import *  # noqa: F403
from support import (  # noqa: F401  (fixtures, re-exported for pytest)
    _postgres_url,
    app,
    browser,
    client,
    db_url,
    fresh_db_url,
    live_server,
    live_server_sqlite,
)

# The cartography tests' fixtures: the Mulhouse example map shipped with the demo.
DEMO_MAP = Path(__file__).resolve().parents[1] / "workshop" / "demo" / "mulhouse"


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO_MAP


@pytest.fixture(scope="session")
def mulhouse():
    from maps import read_map

    return read_map(DEMO_MAP)
