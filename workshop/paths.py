"""Where the templates, static files and packaged data live.

In a source checkout (or an editable install) ``templates/`` and ``static/``
sit at the top of the repository, next to the ``workshop`` package. In a wheel
they are copied inside the package (see ``setup.py``).
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_dir(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


TEMPLATES_DIR = _asset_dir("templates")
STATIC_DIR = _asset_dir("static")
DEMO_DATA_DIR = PACKAGE_DIR / "demo" / "mulhouse"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
