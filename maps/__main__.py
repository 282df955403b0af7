"""``python -m maps``: the map command line (see :mod:`maps.cli`)."""

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
