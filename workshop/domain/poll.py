"""Rules of the quick poll (« sondage »): kinds, ballots, results.

Plain Python on plain values. A poll is a dict with ``kind`` (``single``,
``multiple``, ``scale``), ``options`` (``[{"id", "label"}]`` for the choice
kinds), ``max_choices`` (multiple), ``scale_max`` (5 or 10) and ``status``.

>>> poll = {"kind": "multiple", "status": "open", "max_choices": 2,
...         "options": [{"id": 1, "label": "Oui"}, {"id": 2, "label": "Non"},
...                     {"id": 3, "label": "Peut-être"}]}
>>> check_ballot(poll, choices=[3, 1])
{'choices': [1, 3], 'value': None}
>>> check_ballot(poll, choices=[1, 2, 3])
Traceback (most recent call last):
...
workshop.domain.errors.DomainError: poll_too_many_choices
>>> r = results(poll, [{"choices": [1]}, {"choices": [1, 3]}])
>>> [(o["label"], o["count"], o["percent"]) for o in r["options"]]
[('Oui', 2, 100), ('Non', 0, 0), ('Peut-être', 1, 50)]
"""

from __future__ import annotations

from .errors import DomainError
from .text import clean_text

KINDS = ("single", "multiple", "scale")
STATUSES = ("open", "closed")
SCALES = (5, 10)
QUESTION_MAX_LENGTH = 200
OPTION_MAX_LENGTH = 80
LABEL_MAX_LENGTH = 40
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_POLLS = 30


def check_options(labels) -> list[dict]:
    """Option labels (2 to 10, distinct) as ``[{"id", "label"}]``, ids from 1.

    >>> check_options(["Oui", " Non "])
    [{'id': 1, 'label': 'Oui'}, {'id': 2, 'label': 'Non'}]
    >>> check_options(["Oui"])
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: poll_options_count
    """
    if not isinstance(labels, list) or not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
        raise DomainError("poll_options_count", field="options", min=MIN_OPTIONS, max=MAX_OPTIONS)
    out, seen = [], set()
    for i, label in enumerate(labels, start=1):
        text = clean_text(label, max_length=OPTION_MAX_LENGTH, field="options")
        if text.casefold() in seen:
            raise DomainError("poll_option_twice", field="options", label=text)
        seen.add(text.casefold())
        out.append({"id": i, "label": text})
    return out


def check_poll(data: dict, *, current: dict | None = None, has_ballots: bool = False) -> dict:
    """A new poll's definition, or the changes to ``current`` (keys present only).

    The kind, options, maximum and scale can change only while nobody has
    voted (``poll_has_ballots``): a ballot must keep its meaning.

    >>> check_poll({"question": "Votre humeur ?", "kind": "scale", "scale_max": 10,
    ...             "label_low": "bof", "label_high": "super"})["scale_max"]
    10
    >>> check_poll({"question": "Q ?", "kind": "scale", "scale_max": 7})
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: poll_invalid_scale
    """
    new = current is None
    out: dict = {}
    if "question" in data or new:
        out["question"] = clean_text(
            data.get("question"), max_length=QUESTION_MAX_LENGTH, field="question"
        )
    structural = {"kind", "options", "max_choices", "scale_max"} & set(data)
    if structural and has_ballots:
        raise DomainError("poll_has_ballots", field=sorted(structural)[0])
    kind = data.get("kind", (current or {}).get("kind", "single"))
    if kind not in KINDS:
        raise DomainError("invalid_payload", field="kind", reason="choice")
    if new or "kind" in data:
        out["kind"] = kind
    if kind == "scale":
        if new or "scale_max" in data or "kind" in data:
            scale = data.get("scale_max", (current or {}).get("scale_max") or 5)
            if scale not in SCALES:
                raise DomainError("poll_invalid_scale", field="scale_max")
            out["scale_max"] = scale
        for name in ("label_low", "label_high"):
            if name in data:
                out[name] = clean_text(
                    data[name], max_length=LABEL_MAX_LENGTH, field=name, required=False
                )
        if new or "kind" in data:
            out["options"] = []
    else:
        options = (current or {}).get("options") or []
        if new or "options" in data or ("kind" in data and not options):
            options = check_options(data.get("options"))
            out["options"] = options
        if kind == "multiple":
            if new or {"max_choices", "options", "kind"} & set(data):
                m = data.get("max_choices", (current or {}).get("max_choices") or len(options))
                if not isinstance(m, int) or isinstance(m, bool) or not 1 <= m <= len(options):
                    raise DomainError(
                        "poll_invalid_max_choices", field="max_choices", max=len(options)
                    )
                out["max_choices"] = m
        elif new or "kind" in data:
            out["max_choices"] = 1
    if "status" in data:
        if data["status"] not in STATUSES:
            raise DomainError("invalid_payload", field="status", reason="choice")
        out["status"] = data["status"]
    for flag in ("results_shown", "on_screen"):
        if flag in data:
            out[flag] = bool(data[flag])
    return out


def check_ballot(poll: dict, *, choices=None, value=None) -> dict:
    """A participant's ballot, checked against the poll: ``{"choices", "value"}``.

    Codes: ``poll_closed``, ``poll_choice_required``, ``poll_choice_unknown``,
    ``poll_too_many_choices`` (``max``), ``poll_value_out_of_range`` (``max``).

    >>> scale = {"kind": "scale", "status": "open", "scale_max": 5, "options": []}
    >>> check_ballot(scale, value=4)
    {'choices': [], 'value': 4}
    >>> check_ballot(scale, value=6)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: poll_value_out_of_range
    >>> check_ballot({**scale, "status": "closed"}, value=3)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: poll_closed
    """
    if poll["status"] != "open":
        raise DomainError("poll_closed")
    if poll["kind"] == "scale":
        if value is None:
            raise DomainError("poll_choice_required", field="value")
        if choices:
            raise DomainError("invalid_payload", field="choices", reason="unexpected")
        high = poll["scale_max"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high:
            raise DomainError("poll_value_out_of_range", field="value", min=1, max=high)
        return {"choices": [], "value": value}
    if value is not None:
        raise DomainError("invalid_payload", field="value", reason="unexpected")
    picked = sorted(set(choices or []))
    if not picked:
        raise DomainError("poll_choice_required", field="choices")
    known = {o["id"] for o in poll["options"]}
    if any(c not in known for c in picked):
        raise DomainError("poll_choice_unknown", field="choices")
    limit = 1 if poll["kind"] == "single" else poll["max_choices"]
    if len(picked) > limit:
        raise DomainError("poll_too_many_choices", field="choices", max=limit)
    return {"choices": picked, "value": None}


def percent(count: int, total: int) -> int:
    """A rounded percentage of voters (0 when nobody voted).

    >>> percent(1, 3), percent(2, 3), percent(0, 0)
    (33, 67, 0)
    """
    if total <= 0:
        return 0
    return int(count * 100 / total + 0.5)


def results(poll: dict, ballots) -> dict:
    """Counts and percentages of voters per option; for a scale, the
    distribution over 1…max and the mean (one decimal).

    >>> scale = {"kind": "scale", "scale_max": 5, "options": []}
    >>> r = results(scale, [{"value": 4}, {"value": 5}, {"value": 4}])
    >>> r["mean"], [d["count"] for d in r["distribution"]]
    (4.3, [0, 0, 0, 2, 1])
    """
    ballots = list(ballots)
    total = len(ballots)
    out: dict = {"voters": total}
    if poll["kind"] == "scale":
        high = poll["scale_max"]
        counts = [0] * high
        for b in ballots:
            v = b.get("value")
            if isinstance(v, int) and 1 <= v <= high:
                counts[v - 1] += 1
        n = sum(counts)
        mean = sum((i + 1) * c for i, c in enumerate(counts)) / n if n else None
        out["distribution"] = [
            {"value": i + 1, "count": c, "percent": percent(c, n)} for i, c in enumerate(counts)
        ]
        out["mean"] = None if mean is None else round(mean + 1e-9, 1)
        return out
    counts = {o["id"]: 0 for o in poll["options"]}
    for b in ballots:
        for c in b.get("choices") or []:
            if c in counts:
                counts[c] += 1
    out["options"] = [
        {
            "id": o["id"],
            "label": o["label"],
            "count": counts[o["id"]],
            "percent": percent(counts[o["id"]], total),
        }
        for o in poll["options"]
    ]
    return out
