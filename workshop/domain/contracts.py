"""One declaration per client event: who may send it and the shape of its payload.

Every Socket.IO event a client may send is declared once with
:func:`declare`: its name, the roles that may send it, whether it writes,
and its fields with their types and limits. The web glue
(``workshop.realtime.event``) looks the declaration up by name, refuses the
roles it does not list, parses the payload with :meth:`Contract.parse` and
hands the handler a :class:`Payload` of checked, typed values. The security
matrix, the fuzzer and ``docs/protocol.md`` read the same declarations.

Pure Python: no Flask, no Socket.IO, no database.

>>> note = Contract(
...     "demo:note",
...     roles=("participant",),
...     fields={"client_id": ClientId(required=True), "text": Str(max_length=20, required=True),
...             "dots": Int(0, 5, default=1)},
... )
>>> args = note.parse({"client_id": "abcdefgh-1", "text": "Bonjour"})
>>> args.text, args.dots, "dots" in args
('Bonjour', 1, True)
>>> note.parse({"client_id": "abcdefgh-1", "text": "x", "couleur": "rouge"})
Traceback (most recent call last):
...
workshop.domain.errors.DomainError: invalid_payload
>>> try:
...     note.parse({"client_id": "abcdefgh-1", "text": "x", "dots": 2**70})
... except DomainError as err:
...     print(err.code, err.params)
invalid_payload {'field': 'dots', 'reason': 'range', 'min': 0, 'max': 5}

Refusals carry ``field`` and ``reason`` (``unexpected``, ``missing``, ``type``,
``range``, ``choice``, ``length``) in their parameters, so that the message
names the field; texts and client ids keep their own codes
(``text_too_long``, ``text_control_chars``, ``invalid_client_id``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import DomainError


class _Unchanged:
    """The default of a service's keyword argument that an update leaves as
    it is (the client did not send the field): ``None`` may be a value."""

    __slots__ = ()

    def __repr__(self):
        return "UNCHANGED"

    def __bool__(self):
        return False


UNCHANGED = _Unchanged()
MISSING = object()
ID_MAX = 2**53
# The one rule for the ids that phones make for what they send (a UUID, or
# another short safe token): board notes, codev items, live-map submissions,
# word-cloud answers, poll ballots.
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
_client_id_match = CLIENT_ID_PATTERN.match
ROLES = ("facilitator", "participant", "projector")


def _refuse(name: str, reason: str, **params):
    raise DomainError("invalid_payload", field=name, reason=reason, **params)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# ---------------------------------------------------------------- field types


class Field:
    """A payload field: ``check(value, name)`` returns the typed value or raises.

    ``required``: the field must be present. ``default``: the value used when
    it is absent (a field without default and not required is simply absent
    from the payload, so that an update can tell "unchanged" from "set").
    ``nullable``: ``None`` is accepted as a value.
    """

    kind = "valeur"

    def __init__(self, *, required: bool = False, default=MISSING, nullable: bool = False):
        self.required = required
        self.default = default
        self.nullable = nullable

    def check(self, value, name: str):  # pragma: no cover - overridden
        raise NotImplementedError

    def describe(self) -> str:
        """A short French description, for the tables of ``docs/protocol.md``."""
        return self.kind

    def example(self):
        """A valid value (for the security matrix and the fuzzer)."""
        raise NotImplementedError  # pragma: no cover - overridden


class Id(Field):
    """A database id: an integer from 1 to 2⁵³ (not a boolean).

    >>> Id().check(12, "prompt_id")
    12
    >>> Id().check(2**70, "prompt_id")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_payload
    """

    kind = "identifiant"

    def check(self, value, name):
        if value.__class__ is int and 0 < value <= ID_MAX:  # the common case, first
            return value
        if not _is_int(value):
            _refuse(name, "type")
        if not 1 <= value <= ID_MAX:
            _refuse(name, "range", min=1, max=ID_MAX)
        return value

    def describe(self):
        return "identifiant (entier 1…2⁵³)"

    def example(self):
        return 1


class Int(Field):
    """An integer within ``low..high`` (not a boolean, not a float).

    ``code``: the error code of a value out of range (with ``min`` and
    ``max``), when the capability has a message of its own for it.

    >>> Int(1, 20, code="invalid_dots").check(21, "dots")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_dots
    """

    kind = "entier"

    def __init__(self, low: int, high: int, *, code: str | None = None, **kw):
        super().__init__(**kw)
        self.low, self.high, self.code = low, high, code

    def check(self, value, name):
        if value.__class__ is int and self.low <= value <= self.high:
            return value
        if not _is_int(value):
            _refuse(name, "type")
        if not self.low <= value <= self.high:
            if self.code:
                raise DomainError(self.code, field=name, min=self.low, max=self.high)
            _refuse(name, "range", min=self.low, max=self.high)
        return value

    def describe(self):
        return f"entier {self.low}…{self.high}"

    def example(self):
        return self.low


class Bool(Field):
    """``true`` or ``false``, nothing else (``0``, ``"yes"`` and ``{}`` are refused).

    >>> Bool().check(True, "anonymous")
    True
    >>> Bool().check(1, "anonymous")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_payload
    """

    kind = "booléen"

    def check(self, value, name):
        if not isinstance(value, bool):
            _refuse(name, "type")
        return value

    def example(self):
        return False


class Str(Field):
    """A string of at most ``max_length`` characters, without lone surrogates.

    Cleaning (trimming, empty texts, control characters) stays with the
    domain rule of each text, which knows its own message; this only bounds
    the shape. ``pattern``: a regular expression the whole string must match.
    ``too_long``: the error code of a string over ``max_length`` (default
    ``text_too_long``, with ``max``).

    >>> Str(5).check("x" * 6, "title")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: text_too_long
    """

    kind = "texte"

    def __init__(
        self,
        max_length: int,
        *,
        pattern: str | None = None,
        too_long: str = "text_too_long",
        **kw,
    ):
        super().__init__(**kw)
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern else None
        self.too_long = too_long

    def check(self, value, name):
        if (
            value.__class__ is str
            and len(value) <= self.max_length
            and self.pattern is None
            and (value.isascii() or not _has_surrogate(value))
        ):
            return value
        if not isinstance(value, str):
            _refuse(name, "type")
        if len(value) > self.max_length:
            raise DomainError(self.too_long, field=name, max=self.max_length, length=len(value))
        if _has_surrogate(value):
            raise DomainError("text_control_chars", field=name)
        if self.pattern is not None and not self.pattern.fullmatch(value):
            _refuse(name, "type")
        return value

    def describe(self):
        return f"texte ≤ {self.max_length}"

    def example(self):
        return "x"


class ClientId(Field):
    """The id a phone made for what it sends: 8 to 64 of ``A-Z a-z 0-9 _ . : -``.

    One rule and one error code, ``invalid_client_id``, for every capability.

    >>> ClientId().check("0b7e6a1c-8d7e-4f3a-9c55-1f1e2d3c4b5a", "client_id")[:8]
    '0b7e6a1c'
    >>> ClientId().check("<script>", "client_id")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_client_id
    """

    kind = "identifiant client"

    def check(self, value, name):
        if value.__class__ is not str or not _client_id_match(value):
            raise DomainError("invalid_client_id", field=name)
        return value

    def describe(self):
        return "identifiant client (8–64 de A-Z a-z 0-9 _ . : -)"

    def example(self):
        return "client-0001"


class Choice(Field):
    """One of a fixed set of strings (or integers).

    >>> Choice(("live", "reveal")).check("live", "visibility")
    'live'
    >>> Choice(("live", "reveal")).check(["live"], "visibility")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_payload
    """

    kind = "choix"

    def __init__(self, values, *, code: str | None = None, **kw):
        super().__init__(**kw)
        self.values = tuple(values)
        self.code = code
        self._strings = frozenset(v for v in self.values if v.__class__ is str)

    def check(self, value, name):
        if value.__class__ is str and value in self._strings:  # the common case
            return value
        # Only hashable scalars are compared: a list or an object is refused
        # as such, never looked up (``[] in {...}`` raises TypeError).
        if isinstance(value, bool) or not isinstance(value, str | int) or value not in self.values:
            if self.code:
                raise DomainError(self.code, field=name)
            _refuse(name, "choice")
        return value

    def describe(self):
        return "un de : " + ", ".join(f"`{v}`" if v != "" else '`""`' for v in self.values)

    def example(self):
        return self.values[0]


class List(Field):
    """A list of at most ``max_items`` values, each checked by ``item``.

    >>> List(Int(1, 5), max_items=3).check([1, 2], "minutes")
    [1, 2]
    >>> List(Int(1, 5), max_items=3).check([[1]], "minutes")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_payload
    """

    kind = "liste"

    def __init__(self, item: Field, *, max_items: int, min_items: int = 0, **kw):
        super().__init__(**kw)
        self.item, self.max_items, self.min_items = item, max_items, min_items

    def check(self, value, name):
        if not isinstance(value, list):
            _refuse(name, "type")
        if not self.min_items <= len(value) <= self.max_items:
            _refuse(name, "length", min=self.min_items, max=self.max_items)
        return [self.item.check(v, name) for v in value]

    def describe(self):
        return f"liste de {self.min_items} à {self.max_items} × {self.item.describe()}"

    def example(self):
        return [self.item.example()] * self.min_items


class Object(Field):
    """A nested object with declared fields (unknown keys refused)."""

    kind = "objet"

    def __init__(self, fields: dict[str, Field], **kw):
        super().__init__(**kw)
        self.fields = fields

    def check(self, value, name):
        return parse_fields(self.fields, value, prefix=f"{name}.")

    def describe(self):
        inner = ", ".join(f"{k} : {f.describe()}" for k, f in self.fields.items())
        return "objet { " + inner + " }"

    def example(self):
        return example_payload(self.fields)


# ---------------------------------------------------------------- payloads


class Payload(dict):
    """The checked payload: a dict whose keys can also be read as attributes.

    Absent optional fields without default are absent from the dict
    (``"text" in args`` tells whether the client sent it); reading one as an
    attribute gives ``None``.
    """

    __slots__ = ()

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        return self.get(key)


def parse_fields(fields: dict[str, Field], payload, *, prefix: str = "") -> Payload:
    """Check ``payload`` (a dict) against ``fields``; return a :class:`Payload`."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        _refuse(prefix.rstrip(".") or "payload", "type")
    for key in payload:
        if key not in fields:
            # (a key is always a string in JSON; repr() keeps the message safe)
            _refuse(prefix + (key if isinstance(key, str) else repr(key))[:64], "unexpected")
    out = Payload()
    for key, spec in fields.items():
        if key in payload:
            value = payload[key]
            if value is None and spec.nullable:
                out[key] = None
            else:
                out[key] = spec.check(value, prefix + key)
        elif spec.required:
            _refuse(prefix + key, "missing")
        elif spec.default is not MISSING:
            out[key] = spec.default
    return out


def example_payload(fields: dict[str, Field]) -> dict:
    """A payload of valid shape, with every required field (for tests)."""
    return {k: f.example() for k, f in fields.items() if f.required}


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Contract:
    """One client event: ``name``, the ``roles`` that may send it, whether it
    ``writes`` (a participant's writes are rate limited and refused once the
    atelier is closed), its ``fields`` and a one-line ``doc``."""

    name: str
    roles: tuple = ("facilitator",)
    fields: dict = field(default_factory=dict)
    writes: bool = True
    doc: str = ""

    def __post_init__(self):
        unknown = set(self.roles) - set(ROLES)
        if unknown:
            raise ValueError(f"{self.name}: unknown roles {sorted(unknown)}")
        # What parse() goes through for each payload, computed once.
        plan = tuple(
            (k, f.check, f.required, f.nullable, f.default) for k, f in self.fields.items()
        )
        object.__setattr__(self, "_keys", frozenset(self.fields))
        object.__setattr__(self, "_plan", plan)

    def parse(self, payload) -> Payload:
        """The payload checked and typed (as :func:`parse_fields`, with the
        declaration's plan computed once: this runs for every event)."""
        if payload.__class__ is not dict or not self._keys.issuperset(payload):
            return parse_fields(self.fields, payload)  # refused there, with the field
        out = Payload()
        for key, check, required, nullable, default in self._plan:
            value = payload.get(key, MISSING)
            if value is MISSING:
                if required:
                    _refuse(key, "missing")
                if default is not MISSING:
                    out[key] = default
            elif value is None and nullable:
                out[key] = None
            else:
                out[key] = check(value, key)
        return out

    def example(self) -> dict:
        return example_payload(self.fields)


# Every declared event, by name.
CONTRACTS: dict[str, Contract] = {}


def declare(
    name: str,
    *,
    roles=("facilitator",),
    writes: bool = True,
    doc: str = "",
    fields: dict[str, Field] | None = None,
) -> Contract:
    """Declare a client event once; return its :class:`Contract`::

    declare(
        "board:note:create",
        roles=("facilitator", "participant"),
        doc="Poster un post-it (une seule fois par client_id).",
        fields={
            "client_id": ClientId(required=True),
            "prompt_id": Id(required=True),
            "text": Str(2000, required=True),
            "anonymous": Bool(),
        },
    )
    """
    if name in CONTRACTS:
        raise ValueError(f"event {name} declared twice")
    contract = Contract(
        name=name, roles=tuple(roles), fields=dict(fields or {}), writes=writes, doc=doc
    )
    CONTRACTS[name] = contract
    return contract


def describe_field(spec: Field) -> str:
    """A field's type and limits, with ``ou null`` and its default."""
    text = spec.describe()
    if spec.nullable:
        text += " ou null"
    if spec.default is not MISSING:
        text += f" (défaut : `{str(spec.default).lower()}`)"
    return text


def markdown_table(names=None) -> str:
    """The declared events as a Markdown table (for ``docs/protocol.md``).

    A field marked ``?`` may be left out.
    """
    names = sorted(CONTRACTS) if names is None else names
    lines = ["| événement | qui | écrit | champs |", "|---|---|---|---|"]
    for name in names:
        c = CONTRACTS[name]
        parts = []
        for key, spec in c.fields.items():
            mark = "" if spec.required else "?"
            parts.append(f"`{key}{mark}` : {describe_field(spec)}")
        lines.append(
            f"| `{name}` | {', '.join(c.roles)} | {'oui' if c.writes else 'non'} | "
            + ("<br>".join(parts) or "—")
            + " |"
        )
    return "\n".join(lines)


BEGIN = "<!-- contracts:begin (généré par python -m workshop.domain.declared) -->"
END = "<!-- contracts:end -->"


def replace_block(text: str, table: str) -> str:
    """``text`` with the part between :data:`BEGIN` and :data:`END` replaced by ``table``.

    >>> replace_block(f"a\\n{BEGIN}\\nold\\n{END}\\nb", "new")
    'a\\n<!-- contracts:begin (généré par python -m workshop.domain.declared) -->\\nnew\\n<!-- contracts:end -->\\nb'
    """
    head, sep, rest = text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError("the markers of the generated block are missing")
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


def main(argv=None) -> int:
    """``python -m workshop.domain.declared [FILE]``: rewrite the generated
    block of FILE (``docs/protocol.md`` by default) from the declarations."""
    import importlib
    import sys
    from pathlib import Path

    engine = importlib.import_module("workshop.domain.contracts")
    importlib.import_module("workshop.domain.declared")
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
    text = path.read_text(encoding="utf-8")
    new = engine.replace_block(text, engine.markdown_table())
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"{path}: table des événements régénérée ({len(engine.CONTRACTS)} événements)")
    return 0
