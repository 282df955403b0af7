"""The wheel ships the templates, static files, demo data, catalogues and
migrations, and the app runs from a fresh virtual environment."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    return next(out.glob("workshop-*.whl"))


def test_wheel_contains_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in [
        "workshop/templates/base.html",
        "workshop/templates/projection.html",
        "workshop/static/vendor/socket.io.min.js",
        "workshop/static/js/live.js",
        "workshop/static/css/app.css",
        "workshop/demo/mulhouse/actors.csv",
        "workshop/migrations/env.py",
        "workshop/migrations/versions/0001_foundation.py",
        "workshop/translations/en/LC_MESSAGES/messages.mo",
        "maps/__init__.py",
        "suggest/__init__.py",
    ]:
        assert required in names, required


def test_wheel_runs_in_a_fresh_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True)
    script = (
        "import workshop, tempfile, pathlib\n"
        "assert 'site-packages' in workshop.__file__, workshop.__file__\n"
        "from workshop.paths import TEMPLATES_DIR, STATIC_DIR\n"
        "assert (TEMPLATES_DIR / 'base.html').exists() and 'site-packages' in str(TEMPLATES_DIR)\n"
        "d = tempfile.mkdtemp()\n"
        "app = workshop.create_app({'INSTANCE_PATH': d, 'DATABASE_URL': f'sqlite:///{d}/x.db'})\n"
        "c = app.test_client()\n"
        "assert c.get('/').status_code == 200\n"
        "assert c.get('/static/vendor/socket.io.min.js').status_code == 200\n"
        "print('ok')\n"
    )
    res = subprocess.run([str(py), "-c", script], cwd=str(tmp_path), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("ok")
