"""The declarations of every client event, one module per capability.

Importing this package imports each of its modules, which call
:func:`workshop.domain.contracts.declare`; ``workshop.realtime`` imports it
before any handler is registered, so :data:`~workshop.domain.contracts.CONTRACTS`
is complete by then. A new capability adds a module here, nothing else.
"""

import importlib
import pkgutil

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _info.name.startswith("_"):  # not __main__ (the table generator)
        importlib.import_module(f"{__name__}.{_info.name}")
