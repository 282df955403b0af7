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
    # fn(session, atelier) -> bool: the atelier already holds something of
    # this capability (a question, a group, a map…). The phone and projection
    # pages load a capability's scripts and styles only when the déroulé has
    # an activity of it or this says so; the others are fetched on demand.
    in_use: object = None
    # Loaded by those pages only when used (above); False: on every page.
    lazy: bool = False
    # Keys of its snapshot part (``settings.open``: a nested one) whose value,
    # when not empty, tells a page that left it out that it came into use.
    in_use_keys: list[str] = field(default_factory=list)
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


def used_by(session, atelier, caps: list[Capability]) -> set[str]:
    """Names of the capabilities a phone or projection page of ``atelier``
    loads up front: every one that is not ``lazy``, and the lazy ones the
    déroulé has an activity of (their phone panel) or whose ``in_use`` finds
    something of theirs in the atelier."""
    from sqlalchemy import select

    from .deroule.models import DerouleActivity
    from .domain.deroule import ACTIVITY_TYPES

    types = session.scalars(
        select(DerouleActivity.type).where(DerouleActivity.atelier_id == atelier.id).distinct()
    ).all()
    names = {ACTIVITY_TYPES[t].phone_panel for t in types if t in ACTIVITY_TYPES}
    for cap in caps:
        if cap.name not in names and cap.in_use is not None and cap.in_use(session, atelier):
            names.add(cap.name)
    return {cap.name for cap in caps if not cap.lazy or cap.name in names}


def exists(model_path: str):
    """An ``in_use`` that says whether the model ``module:Class`` has a row
    of the atelier (imported at the first call)."""

    def in_use(session, atelier) -> bool:
        from sqlalchemy import select

        module, name = model_path.split(":")
        model = getattr(importlib.import_module(module), name)
        row = session.scalar(select(model.id).where(model.atelier_id == atelier.id).limit(1))
        return row is not None

    return in_use
