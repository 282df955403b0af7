"""The déroulé: an atelier is an ordered sequence of activities.

Pure rules, without Flask or database:

* the **activity-type registry** (:class:`ActivityType`,
  :func:`register_activity_type`): each type has a key, a label, its settings
  fields (declared with the field types of :mod:`workshop.domain.contracts`,
  so that events, import and export check them the same way) and the phone
  panel, projector scene and console panel it shows;
* **ordering** (:func:`check_reorder`) and **navigation** (:func:`step`,
  :func:`check_delete`);
* **time**: planned and elapsed time, the day's drift (:func:`drift_ms`,
  :func:`drift_minutes`);
* the **file format** of an exported déroulé, versioned
  (:func:`export_document`, :func:`parse_document`).

Refusals are :class:`~workshop.domain.errors.DomainError` with a stable code;
nothing is changed by a refused call.

>>> register_activity_type(ActivityType("demo_note", "Note", fields={
...     "text": Str(200, default="")}), replace=True)
ActivityType(key='demo_note', ...)
>>> activity_type("demo_note").parse_settings({"text": "Bonjour"})
{'text': 'Bonjour'}
>>> unregister_activity_type("demo_note")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .contracts import (
    MISSING,
    Bool,
    Choice,
    Field,
    Int,
    List,
    Object,
    Str,
    parse_fields,
)
from .errors import DomainError

__all__ = [
    "ActivityContext",
    "ActivityType",
    "ACTIVITY_TYPES",
    "register_activity_type",
    "unregister_activity_type",
    "activity_type",
    "check_reorder",
    "step",
    "check_delete",
    "drift_ms",
    "settled_drift_ms",
    "drift_minutes",
    "FORMAT",
    "FORMAT_VERSION",
    "export_document",
    "parse_document",
    "MAX_ACTIVITIES",
    "MAX_MODELES",
    "check_modele_name",
    "check_modele_document",
    "Bool",
    "Choice",
    "Int",
    "List",
    "Object",
    "Str",
]

MAX_ACTIVITIES = 60
TITLE_MAX = 120
MAX_DURATION_MIN = 600
OVERLAYS = ("none", "blank", "join")

# ---------------------------------------------------------------- registry


@dataclass
class ActivityContext:
    """What an activity type's hooks receive.

    ``session`` and ``atelier``: the open unit of work; ``activity``: the
    activity row; ``activities``: every activity of the déroulé, in order;
    ``events``: the socket handler's context, to queue broadcasts
    (``events.emit(...)``), or ``None`` (demo, migration, copy, import over
    HTTP: the surfaces then get the new state on their next snapshot).
    """

    session: object
    atelier: object
    activity: object
    activities: list = field(default_factory=list)
    events: object = None

    def previous(self, key: str):
        """The nearest activity of type ``key`` before this one, or ``None``."""
        found = None
        for act in self.activities:
            if act is self.activity or act.id == self.activity.id:
                return found
            if act.type == key:
                found = act
        return found


@dataclass
class ActivityType:
    """One kind of activity a déroulé may hold.

    ``key``: stable name used in files and events (``question``, ``vote``…).
    ``label``: French label (marked for translation by the capability).
    ``fields``: its settings, with the field types of ``contracts`` (every
    field needs a default or ``required=True``: a file or a new activity
    without the field gets the default).
    ``phone_panel``: the phone panel shown while the activity is current
    (the name of a capability, or ``deroule`` for the built-in slides).
    ``scene``: the projector scene (``home``, ``board``, ``codev``, ``livemap``,
    ``message``, ``close`` or a capability's own).
    ``console_panel``: the console panel opened when the activity is selected.
    ``main_control``: a CSS selector of the phone's main action (tests check
    that it is on the first screen).
    ``duration_min``: the planned duration of a new activity of this type.

    Hooks, each ``fn(ctx: ActivityContext)``, called by the service (never by
    this module): ``prepare`` creates or updates what the activity needs in
    its capability (a prompt, groups…) on creation and on every settings
    change, and returns the activity's ``ref`` (a JSON-able dict, e.g.
    ``{"prompt_id": 12}``) or ``None``; ``enter`` runs when the activity
    becomes current (opens the question, the vote…); ``describe`` returns
    extra public data for the surfaces (``{"open": True, "prompt_id": 12}``:
    ``open`` says whether a phone may go back to it).
    """

    key: str
    label: str
    fields: dict[str, Field] = field(default_factory=dict)
    phone_panel: str = "deroule"
    scene: str = "message"
    console_panel: str = "deroule"
    main_control: str = ""
    duration_min: int = 10
    prepare: Callable | None = None
    enter: Callable | None = None
    describe: Callable | None = None

    def __repr__(self) -> str:
        return f"ActivityType(key={self.key!r}, ...)"

    def parse_settings(self, settings, *, prefix: str = "settings.") -> dict:
        """Check ``settings`` against the type's fields; return a plain dict.

        Unknown keys are refused, absent keys get their default. The error
        names the field (``settings.text``).
        """
        parsed = parse_fields(self.fields, settings, prefix=prefix)
        return dict(parsed)

    def merge_settings(self, current: dict, changes) -> dict:
        """Apply a partial change to stored settings (each changed key checked)."""
        if not isinstance(changes, dict):
            raise DomainError("invalid_payload", field="settings", reason="type")
        merged = {**self.defaults(), **(current or {})}
        merged = {k: v for k, v in merged.items() if k in self.fields}
        merged.update(changes)
        return self.parse_settings(merged)

    def defaults(self) -> dict:
        out = {}
        for key, spec in self.fields.items():
            if spec.default is not MISSING:
                out[key] = spec.default
        return out

    def public(self) -> dict:
        """What the console needs to build a form for this type."""
        return {
            "key": self.key,
            "label": self.label,
            "phone_panel": self.phone_panel,
            "scene": self.scene,
            "console_panel": self.console_panel,
            "duration_min": self.duration_min,
            "fields": {k: describe_field(f) for k, f in self.fields.items()},
        }


def describe_field(spec: Field) -> dict:
    """A small JSON description of a settings field (for the console's forms).

    >>> describe_field(Int(1, 10, default=3))
    {'kind': 'int', 'required': False, 'default': 3, 'min': 1, 'max': 10}
    """
    out: dict = {"kind": "value", "required": spec.required}
    if spec.default is not MISSING:
        out["default"] = spec.default
    if isinstance(spec, Int):
        out.update(kind="int", min=spec.low, max=spec.high)
    elif isinstance(spec, Bool):
        out["kind"] = "bool"
    elif isinstance(spec, Choice):
        out.update(kind="choice", values=list(spec.values))
    elif isinstance(spec, Str):
        out.update(kind="text", max_length=spec.max_length)
    elif isinstance(spec, List):
        out.update(kind="list", max_items=spec.max_items, item=describe_field(spec.item))
    elif isinstance(spec, Object):
        out.update(kind="object", fields={k: describe_field(f) for k, f in spec.fields.items()})
    return out


# Every registered type, in registration order (the console lists them so).
ACTIVITY_TYPES: dict[str, ActivityType] = {}


def register_activity_type(kind: ActivityType, *, replace: bool = False) -> ActivityType:
    """Add an activity type; a capability calls it from its ``setup``.

    Registering the same key twice is an error (two capabilities would fight
    over it), unless ``replace`` (an app created again in tests).
    """
    if not kind.key or not kind.key.replace("_", "").isalnum() or len(kind.key) > 20:
        raise ValueError(f"bad activity type key {kind.key!r}")
    for name, spec in kind.fields.items():
        if not spec.required and spec.default is MISSING:
            raise ValueError(f"{kind.key}.{name}: a settings field needs a default")
    if kind.key in ACTIVITY_TYPES and not replace:
        existing = ACTIVITY_TYPES[kind.key]
        if existing is not kind:
            raise ValueError(f"activity type {kind.key} registered twice")
    ACTIVITY_TYPES[kind.key] = kind
    return kind


def unregister_activity_type(key: str) -> None:
    ACTIVITY_TYPES.pop(key, None)


def activity_type(key) -> ActivityType:
    """The registered type ``key``, or ``DomainError("deroule_unknown_type")``.

    >>> activity_type("no_such_type")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: deroule_unknown_type
    """
    kind = ACTIVITY_TYPES.get(key) if isinstance(key, str) else None
    if kind is None:
        raise DomainError("deroule_unknown_type", type=str(key)[:40])
    return kind


# ---------------------------------------------------------------- ordering


def check_reorder(current: list[int], wanted: list[int]) -> list[int]:
    """``wanted`` must name every activity of ``current`` exactly once.

    >>> check_reorder([1, 2, 3], [3, 1, 2])
    [3, 1, 2]
    >>> check_reorder([1, 2, 3], [3, 1])
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: deroule_bad_order
    >>> try:
    ...     check_reorder([1, 2, 3], [3, 1, 9])
    ... except DomainError as err:
    ...     print(err.params)
    {'missing': [2], 'unknown': [9], 'repeated': []}
    """
    seen: set[int] = set()
    repeated = sorted({i for i in wanted if i in seen or seen.add(i)})
    missing = sorted(set(current) - set(wanted))
    unknown = sorted(set(wanted) - set(current))
    if missing or unknown or repeated:
        raise DomainError("deroule_bad_order", missing=missing, unknown=unknown, repeated=repeated)
    return list(wanted)


def step(order: list[int], current: int | None, delta: int) -> int:
    """The activity ``delta`` places after ``current`` (``-1``: before).

    With no current activity, "Suivant" starts the first one.

    >>> step([4, 7, 9], 4, +1), step([4, 7, 9], 9, -1), step([4, 7, 9], None, +1)
    (7, 7, 4)
    >>> step([4, 7, 9], 9, +1)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: deroule_at_end
    >>> step([4, 7, 9], 4, -1)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: deroule_at_start
    >>> step([], None, +1)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: deroule_empty
    """
    if not order:
        raise DomainError("deroule_empty")
    if current is None or current not in order:
        if delta < 0:
            raise DomainError("deroule_at_start")
        return order[0]
    index = order.index(current) + delta
    if index >= len(order):
        raise DomainError("deroule_at_end")
    if index < 0:
        raise DomainError("deroule_at_start")
    return order[index]


def check_delete(activity_id: int, current: int | None) -> None:
    """The current activity cannot be deleted: move to another one first.

    >>> check_delete(3, 4)
    >>> check_delete(4, 4)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: deroule_delete_current
    """
    if activity_id == current:
        raise DomainError("deroule_delete_current")


def check_title(value, default: str = "") -> str:
    """A title: trimmed, 1 to 120 characters (empty: ``default``).

    >>> check_title("  Accueil ")
    'Accueil'
    >>> check_title("", "Question")
    'Question'
    """
    from .text import clean_text

    if value is None or (isinstance(value, str) and not value.strip()):
        value = default
    return clean_text(value, max_length=TITLE_MAX, field="title")


def check_duration(value) -> int:
    """A planned duration in minutes, 0 to 600.

    >>> check_duration(15)
    15
    >>> check_duration(-1)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: deroule_bad_duration
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DURATION_MIN:
        raise DomainError("deroule_bad_duration", max=MAX_DURATION_MIN)
    return value


# ---------------------------------------------------------------- saved modèles

MODELE_NAME_MAX = 80
MAX_MODELES = 100


def check_modele_name(value) -> str:
    """A saved modèle's name: trimmed, 1 to 80 characters.

    >>> check_modele_name("  P’tit Déj de mars ")
    'P’tit Déj de mars'
    >>> check_modele_name("")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: text_empty
    """
    from .text import clean_text

    return clean_text(value, max_length=MODELE_NAME_MAX, field="name")


def check_modele_document(data) -> dict:
    """A modèle's déroulé: a valid file (:func:`parse_document`) with at
    least one activity; return it in today's format.

    >>> check_modele_document({"format": "workshop-deroule", "version": 1, "activities": []})
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: deroule_modele_empty
    """
    doc = parse_document(data)
    if not doc["activities"]:
        raise DomainError("deroule_modele_empty")
    return export_document(doc["title"], doc["activities"])


# ---------------------------------------------------------------- time


def elapsed_ms(spent_ms: int, since_ms: int | None, now_ms: int) -> int:
    """Time spent on an activity: what was stored, plus the running part.

    >>> elapsed_ms(60_000, 1_000, 31_000)
    90000
    >>> elapsed_ms(60_000, None, 31_000)
    60000
    """
    running = max(0, now_ms - since_ms) if since_ms is not None else 0
    return spent_ms + running


# An activity left before it had been current this long was skipped (passed
# through with the clicker, or jumped over with « Lancer maintenant »): it
# counts neither as time saved nor as time lost.
RUN_MIN_MS = 60_000


def settled_drift_ms(activities: list[dict], current: int | None) -> int:
    """The part of the day's drift that no longer changes: every activity but
    the current one.

    An activity that was run (current for at least :data:`RUN_MIN_MS`)
    counts with its real time minus its planned time, wherever it is in the
    order (one gone back to counts too); an activity never reached, or only
    passed through, counts for nothing: skipping it is not time saved.

    >>> acts = [{"id": 1, "planned_ms": 600_000, "spent_ms": 120_000},  # run in 2 min
    ...         {"id": 2, "planned_ms": 300_000, "spent_ms": 4_000},    # passed through
    ...         {"id": 3, "planned_ms": 900_000, "spent_ms": 0},        # current
    ...         {"id": 4, "planned_ms": 600_000, "spent_ms": 0}]        # not reached
    >>> settled_drift_ms(acts, 3)   # 8 min saved on the first one only
    -480000
    """
    if current is None:
        return 0
    total = 0
    for act in activities:
        spent = act.get("spent_ms") or 0
        if act["id"] == current or spent < RUN_MIN_MS:
            continue
        total += spent - act["planned_ms"]
    return total


def drift_ms(activities: list[dict], current: int | None, now_ms: int) -> int:
    """The day's drift: how late (positive) or early (negative) the room is.

    ``activities`` in order, each ``{"id", "planned_ms", "spent_ms"}``, and the
    current one's ``since_ms`` (when it became current). The activities that
    were run count with their real time minus their planned time
    (:func:`settled_drift_ms`: skipped or unreached ones count for nothing);
    the current one counts only once it overruns (until then the room is on
    time).

    >>> acts = [{"id": 1, "planned_ms": 600_000, "spent_ms": 900_000},
    ...         {"id": 2, "planned_ms": 1_200_000, "spent_ms": 0, "since_ms": 0}]
    >>> drift_ms(acts, 2, 600_000)   # 5 min late on the first, current on time
    300000
    >>> drift_ms(acts, 2, 1_500_000)  # the current one runs 5 min over
    600000
    >>> drift_ms([{"id": 1, "planned_ms": 600_000, "spent_ms": 300_000}], 1, 0)
    0
    >>> drift_ms(acts, None, 0)
    0

    Starting on the fifth activity (« Lancer maintenant ») is not 30 minutes
    ahead of the plan:

    >>> plan = [{"id": i, "planned_ms": ms, "spent_ms": 0} for i, ms in
    ...         enumerate([600_000, 300_000, 300_000, 600_000, 900_000], start=1)]
    >>> plan[4]["since_ms"] = 0
    >>> drift_ms(plan, 5, 60_000)
    0
    """
    if current is None:
        return 0
    total = settled_drift_ms(activities, current)
    for act in activities:
        if act["id"] == current:
            spent = elapsed_ms(act.get("spent_ms", 0), act.get("since_ms"), now_ms)
            total += max(0, spent - act["planned_ms"])
            return total
    return 0


def drift_minutes(drift: int) -> int:
    """Whole minutes of drift, rounded towards zero.

    >>> drift_minutes(8 * 60_000 + 59_000), drift_minutes(-90_000), drift_minutes(59_999)
    (8, -1, 0)
    """
    return int(drift / 60_000)


# ---------------------------------------------------------------- file format

FORMAT = "workshop-deroule"
FORMAT_VERSION = 1


def _activity_fields() -> dict[str, Field]:
    return {
        "type": Str(20, required=True),
        "title": Str(TITLE_MAX, required=True),
        "duration_min": Int(0, MAX_DURATION_MIN, default=10),
        "settings": Object({}, default=None),
    }


def export_document(title: str, activities: list[dict]) -> dict:
    """The file of a déroulé: ``activities`` are ``{"type", "title",
    "duration_min", "settings"}`` in order.

    >>> doc = export_document("P’tit Déj", [{"type": "message", "title": "Pause",
    ...     "duration_min": 5, "settings": {"text": "Café"}}])
    >>> doc["format"], doc["version"], doc["activities"][0]["type"]
    ('workshop-deroule', 1, 'message')
    """
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "title": title,
        "activities": [
            {
                "type": a["type"],
                "title": a["title"],
                "duration_min": a["duration_min"],
                "settings": dict(a.get("settings") or {}),
            }
            for a in activities
        ],
    }


def parse_document(data) -> dict:
    """Check an imported déroulé file; return ``{"title", "activities"}``.

    Every activity's type must be registered and every setting valid; the
    error names the field (``activities[2].settings.dots``). Nothing is
    created by this function: the service creates the activities only once
    the whole file is valid.

    >>> register_activity_type(ActivityType("demo_msg", "Message",
    ...     fields={"text": Str(100, default="")}), replace=True)
    ActivityType(key='demo_msg', ...)
    >>> parse_document({"format": "workshop-deroule", "version": 1, "title": "T",
    ...     "activities": [{"type": "demo_msg", "title": "Pause", "settings": {"text": "Café"}}]})
    {'title': 'T', 'activities': [{'type': 'demo_msg', 'title': 'Pause', 'duration_min': 10, 'settings': {'text': 'Café'}}]}
    >>> def show(doc):
    ...     try:
    ...         parse_document(doc)
    ...     except DomainError as err:
    ...         print(err.code, err.params)
    >>> show({"format": "autre chose"})
    deroule_not_a_file {}
    >>> show({"format": "workshop-deroule", "version": 2, "activities": []})
    deroule_newer_version {'version': 2, 'supported': 1}
    >>> show({"format": "workshop-deroule", "version": 1, "title": "T",
    ...       "activities": [{"type": "karaoke", "title": "x"}]})
    deroule_file_unknown_type {'type': 'karaoke', 'field': 'activities[1].type'}
    >>> show({"format": "workshop-deroule", "version": 1, "title": "T",
    ...       "activities": [{"type": "demo_msg", "title": "x", "settings": {"text": 5}}]})
    deroule_bad_field {'field': 'activities[1].settings.text', 'reason': 'type'}
    >>> unregister_activity_type("demo_msg")
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DomainError("deroule_not_a_file")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DomainError("deroule_bad_field", field="version", reason="type")
    if version > FORMAT_VERSION:
        raise DomainError("deroule_newer_version", version=version, supported=FORMAT_VERSION)
    unknown = set(data) - {"format", "version", "title", "activities"}
    if unknown:
        raise DomainError("deroule_bad_field", field=sorted(unknown)[0][:64], reason="unexpected")
    title = data.get("title", "")
    if not isinstance(title, str) or len(title) > TITLE_MAX:
        raise DomainError("deroule_bad_field", field="title", reason="type")
    items = data.get("activities")
    if not isinstance(items, list):
        raise DomainError("deroule_bad_field", field="activities", reason="type")
    if len(items) > MAX_ACTIVITIES:
        raise DomainError("deroule_bad_field", field="activities", reason="length")
    out = []
    for n, item in enumerate(items, start=1):
        where = f"activities[{n}]"
        if not isinstance(item, dict):
            raise DomainError("deroule_bad_field", field=where, reason="type")
        kind_key = item.get("type")
        kind = ACTIVITY_TYPES.get(kind_key) if isinstance(kind_key, str) else None
        if kind is None:
            raise DomainError(
                "deroule_file_unknown_type", type=str(kind_key)[:40], field=f"{where}.type"
            )
        try:
            base = parse_fields(
                {**_activity_fields(), "settings": _AnyObject(default=None)},
                item,
                prefix=f"{where}.",
            )
            settings = kind.parse_settings(base.get("settings") or {}, prefix=f"{where}.settings.")
            title_ok = check_title(base["title"], kind.label)
        except DomainError as err:
            raise _as_file_error(err, where) from None
        out.append(
            {
                "type": kind.key,
                "title": title_ok,
                "duration_min": base["duration_min"],
                "settings": settings,
            }
        )
    return {"title": title, "activities": out}


class SettingsField(Field):
    """An object whose keys the activity type checks afterwards (its
    ``fields``): the event or file gives the type and the settings together.

    >>> SettingsField().check({"dots": 3}, "settings")
    {'dots': 3}
    >>> SettingsField().check([1], "settings")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_payload
    """

    kind = "objet"

    def __init__(self, max_keys: int = 20, **kw):
        super().__init__(**kw)
        self.max_keys = max_keys

    def check(self, value, name):
        if not isinstance(value, dict):
            raise DomainError("invalid_payload", field=name, reason="type")
        if len(value) > self.max_keys:
            raise DomainError(
                "invalid_payload", field=name, reason="length", min=0, max=self.max_keys
            )
        return value

    def describe(self):
        return "objet (réglages du type d’activité)"

    def example(self):
        return {}


_AnyObject = SettingsField


def _as_file_error(err: DomainError, where: str) -> DomainError:
    field_name = err.params.get("field") or where
    reason = err.params.get("reason") or err.code
    params = {k: v for k, v in err.params.items() if k not in ("field", "reason")}
    return DomainError("deroule_bad_field", field=field_name, reason=reason, **params)
