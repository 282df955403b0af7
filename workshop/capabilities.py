"""The capabilities plugged into an atelier (post-its, codev, live map).

Each capability module exposes a :class:`Capability`. The pages include its
template partials and scripts, the projector offers its scene, and its
blueprint and socket events are registered by :func:`workshop.create_app`.
To add one, append its module path to ``MODULES``.
"""

import importlib
from dataclasses import dataclass, field

MODULES = [
    "workshop.ateliers",
    "workshop.board",
    "workshop.cloud",
    "workshop.poll",
    "workshop.codev",
    "workshop.gdpr",
    "workshop.livemap",
    "workshop.deroule",
    "workshop.report",
    "workshop.a11y",
]


@dataclass
class Capability:
    name: str
    blueprint: object = None
    # Label of the projector scene in the console's scene switcher (None: no scene).
    scene_label: str | None = None
    console_template: str | None = None
    projection_template: str | None = None
    participant_template: str | None = None
    scripts: list[str] = field(default_factory=list)
    # Stylesheets (paths under static/) added to every page.
    styles: list[str] = field(default_factory=list)
    # Those of the scripts and styles that only the console uses: left out of
    # the phone and projection pages (every kilobyte is paid by each phone).
    console_only: list[str] = field(default_factory=list)
    # fn(app) called once at start-up (register events, snapshot parts…).
    setup: object = None
    # fn(session, atelier) filling the demo atelier, idempotently.
    demo: object = None


def load() -> list[Capability]:
    caps = []
    for path in MODULES:
        module = importlib.import_module(path)
        cap = getattr(module, "CAPABILITY", None)
        if cap is not None:
            caps.append(cap)
    return caps
