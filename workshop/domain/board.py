"""Rules of the post-it board: prompts, notes, visibility, dot voting.

Everything here is plain Python on plain values (dicts, strings), so that the
service layer and the tests share one statement of the rules.

Who sees a note:

>>> note = {"status": "visible", "merged_into": None, "participant_id": 7}
>>> live = {"visibility": "live", "revealed": False, "status": "open"}
>>> hidden_wall = {"visibility": "reveal", "revealed": False, "status": "open"}
>>> note_is_public(note, live), note_is_public(note, hidden_wall)
(True, False)
>>> can_see_note(note, hidden_wall, role="participant", participant_id=7)
True
>>> can_see_note(note, hidden_wall, role="participant", participant_id=8)
False
>>> can_see_note({**note, "status": "pending"}, live, role="projector")
False
"""

from .errors import DomainError
from .text import clean_text

PROMPT_STATUSES = ("open", "closed", "archived")
VISIBILITIES = ("live", "reveal")
VOTE_STATUSES = ("none", "open", "closed")
NOTE_STATUSES = ("visible", "hidden", "pending")
MODERATION_ACTIONS = ("hide", "show", "approve", "reject")

PROMPT_MAX_LENGTH = 300
CATEGORY_MAX_LENGTH = 200
MAX_PROMPTS = 50
MAX_CATEGORIES = 60
MAX_DOTS = 20

# Post-it colours a prompt may offer (name -> CSS colour, light enough for black ink).
PALETTE = {
    "jaune": "#fff176",
    "orange": "#ffcc80",
    "rose": "#f8bbd0",
    "vert": "#c5e1a5",
    "bleu": "#b3e5fc",
    "violet": "#d1c4e9",
}
DEFAULT_COLOUR = "jaune"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def check_int(value, *, low: int, high: int, code: str = "invalid_payload", **params) -> int:
    """An int (not a bool) within bounds, else ``DomainError(code)``.

    >>> check_int(3, low=1, high=5)
    3
    >>> check_int(True, low=0, high=5)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_payload
    """
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(code, **params)
    return value


def check_bool(value) -> bool:
    if not isinstance(value, bool):
        raise DomainError("invalid_payload")
    return value


def clean_prompt_text(value) -> str:
    return clean_text(value, max_length=PROMPT_MAX_LENGTH, multiline=True, field="prompt")


def clean_category_title(value) -> str:
    return clean_text(value, max_length=CATEGORY_MAX_LENGTH, field="category")


def clean_note_text(value, max_length: int) -> str:
    """A note's text: required, at most ``max_length`` characters, line breaks
    allowed, no invisible control characters. HTML is kept as plain text.

    >>> clean_note_text("  <b>Plus de moyens</b> ", 280)
    '<b>Plus de moyens</b>'
    >>> clean_note_text("x" * 281, 280)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: text_too_long
    """
    return clean_text(value, max_length=max_length, multiline=True, field="note")


def clean_colours(value) -> list[str]:
    """The colours a prompt offers: a list of palette names, no repeats.

    >>> clean_colours(["vert", "jaune", "vert"])
    ['vert', 'jaune']
    >>> clean_colours(None)
    []
    >>> clean_colours(["fuchsia"])
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_colour
    """
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > len(PALETTE):
        raise DomainError("invalid_colour")
    out = []
    for name in value:
        if name not in PALETTE:
            raise DomainError("invalid_colour")
        if name not in out:
            out.append(name)
    return out


def choose_colour(requested, offered: list[str]) -> str:
    """The colour a new note gets.

    >>> choose_colour(None, ["vert", "rose"]), choose_colour("rose", ["vert", "rose"])
    ('vert', 'rose')
    >>> choose_colour(None, [])
    'jaune'
    >>> choose_colour("bleu", ["vert"])
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_colour
    """
    allowed = offered or [DEFAULT_COLOUR]
    if requested is None or requested == "":
        return allowed[0]
    if requested not in allowed:
        raise DomainError("invalid_colour")
    return requested


def check_choice(value, choices, code: str = "invalid_payload"):
    if value not in choices:
        raise DomainError(code)
    return value


def can_post(prompt: dict) -> bool:
    """Participants write (and edit their notes) only while the prompt is open."""
    return prompt["status"] == "open"


def check_can_post(prompt: dict) -> None:
    if not can_post(prompt):
        raise DomainError("prompt_closed")


def initial_status(prompt: dict, *, by_facilitator: bool) -> str:
    """A new note waits in the moderation queue when the prompt asks for approval.

    >>> initial_status({"approval": True}, by_facilitator=False)
    'pending'
    >>> initial_status({"approval": True}, by_facilitator=True)
    'visible'
    """
    return "pending" if prompt["approval"] and not by_facilitator else "visible"


def moderate(status: str, action: str) -> str:
    """The status after a moderation action.

    >>> moderate("pending", "approve"), moderate("visible", "hide"), moderate("hidden", "show")
    ('visible', 'hidden', 'visible')
    >>> moderate("pending", "reject")
    'hidden'
    """
    check_choice(action, MODERATION_ACTIONS)
    return {"hide": "hidden", "reject": "hidden", "show": "visible", "approve": "visible"}[action]


def wall_is_open(prompt: dict) -> bool:
    """Whether others' notes of this prompt may be shown (live, or revealed)."""
    return prompt["visibility"] == "live" or bool(prompt["revealed"])


def note_is_public(note: dict, prompt: dict) -> bool:
    """Whether the projector and every participant may see this note."""
    return (
        note["status"] == "visible"
        and note.get("merged_into") is None
        and prompt["status"] != "archived"
        and wall_is_open(prompt)
    )


def can_see_note(note: dict, prompt: dict, *, role: str, participant_id=None) -> bool:
    """The facilitator sees everything; an author sees their own notes; the
    others see public notes only."""
    if role == "facilitator":
        return True
    if (
        role == "participant"
        and participant_id is not None
        and note.get("participant_id") == participant_id
    ):
        return True
    return note_is_public(note, prompt)


def check_vote(prompt: dict, *, spent_elsewhere: int, dots) -> int:
    """The dots a participant puts on one note, within the prompt's budget.

    ``spent_elsewhere``: their dots on the other notes of the prompt.

    >>> check_vote({"vote_status": "open", "vote_dots": 5}, spent_elsewhere=3, dots=2)
    2
    >>> check_vote({"vote_status": "open", "vote_dots": 5}, spent_elsewhere=4, dots=2)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: vote_over_budget
    >>> check_vote({"vote_status": "closed", "vote_dots": 5}, spent_elsewhere=0, dots=1)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: vote_not_open
    """
    if prompt["vote_status"] != "open":
        raise DomainError("vote_not_open")
    dots = check_int(dots, low=0, high=MAX_DOTS)
    if spent_elsewhere + dots > prompt["vote_dots"]:
        raise DomainError("vote_over_budget", max=prompt["vote_dots"])
    return dots


def rank_results(totals: dict) -> list[dict]:
    """Vote totals ranked, most dots first (ties: older note first).

    >>> rank_results({3: 2, 1: 5, 2: 2})
    [{'note_id': 1, 'votes': 5}, {'note_id': 2, 'votes': 2}, {'note_id': 3, 'votes': 2}]
    """
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"note_id": nid, "votes": v} for nid, v in ranked]


def spreadsheet_safe(value):
    """Guard a cell against formula injection (CSV/XLSX opened in a spreadsheet).

    >>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> spreadsheet_safe("-10 %"), spreadsheet_safe("ok"), spreadsheet_safe(3)
    ("'-10 %", 'ok', 3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_order(rows: list[dict]) -> list[dict]:
    """Order export rows by prompt, then category (uncategorised last), then
    votes (most first), then time.

    >>> rows = [
    ...     {"prompt_pos": 1, "cat_pos": None, "votes": 0, "id": 1},
    ...     {"prompt_pos": 0, "cat_pos": 2, "votes": 1, "id": 2},
    ...     {"prompt_pos": 0, "cat_pos": 2, "votes": 3, "id": 3},
    ...     {"prompt_pos": 0, "cat_pos": 1, "votes": 0, "id": 4},
    ... ]
    >>> [r["id"] for r in export_order(rows)]
    [4, 3, 2, 1]
    """

    def key(r):
        cat = r["cat_pos"]
        return (r["prompt_pos"], cat is None, cat or 0, -r["votes"], r["id"])

    return sorted(rows, key=key)
