"""Ateliers: creation, the three surfaces (console, projection, phone), joining."""

from ..capabilities import Capability
from .views import bp

CAPABILITY = Capability(name="ateliers", blueprint=bp)


def _setup(app):
    from . import events  # noqa: F401  (registers the socket events)


CAPABILITY.setup = _setup
