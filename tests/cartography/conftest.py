from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "workshop" / "demo" / "mulhouse"


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def mulhouse():
    from maps import read_map

    return read_map(DEMO)
