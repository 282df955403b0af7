"""Rules of the word cloud (« nuage de mots »): answers, grouping, sizes, layout.

Plain Python on plain values (and numpy for the layout's arithmetic), no
Flask, no database: the service, the projector's view, the exports and the
tests share one statement of the rules.

**Grouping (French).** Two answers are the same word when they differ only
in case, accents, surrounding spaces and punctuation, a French plural
(-s, -x, on each word of the answer), an article in front, or how the
words of a compound are joined (a space, a hyphen, an apostrophe or
nothing: « vivre-ensemble », « entr’aide », « coconstruction »):

>>> group_key("  Vélos !") == group_key("velo") == group_key("VÉLO")
True
>>> group_key("circuits courts") == group_key("Circuit-court")
True
>>> group_key("jeux") == group_key("jeu")
True
>>> group_key("Entr’aide") == group_key("entraide") == group_key("entr'aides")
True
>>> group_key("co-construction") == group_key("coconstruction") == group_key("co construction")
True

An answer made only of common function words counts for nothing:

>>> group_key("et") is None, group_key("Les ") is None, group_key("le la") is None
(True, True, True)

The cloud shows each word's most frequent spelling (the earliest on a tie):

>>> [(w.label, w.count) for w in group_answers(["Entraide", "entraide", "Entraide !", "Vélo"])]
[('Entraide', 3), ('Vélo', 1)]

**Honest sizes.** The *area* of a word grows with its count, not its font
size: a word said twice is √2 ≈ 1.41 times taller (twice the area) than a
word said once, never twice as tall (four times the area).

>>> round(font_size(2, base=1) / font_size(1, base=1), 2)
1.41
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field

from .errors import DomainError
from .text import clean_text

MODES = ("live", "reveal")
STATUSES = ("open", "closed")
QUESTION_MAX_LENGTH = 200
MAX_ANSWERS = 5  # per participant, at most
DEFAULT_ANSWERS = 3
MAX_WORDS_LIMIT = 6
DEFAULT_MAX_WORDS = 3
MAX_CHARS_LIMIT = 80
DEFAULT_MAX_CHARS = 40
MIN_CHARS_LIMIT = 10
MAX_ACTIVITIES = 30
KEY_MAX_LENGTH = 120

# Common French function words: an answer made of these alone is not a word
# of the cloud ("le", "la", "des", "et"…). Compared once folded (no accents).
_FUNCTION_WORDS = """
    a au aux avec c ca ce ces cet cette d dans de des du elle en et il ils je
    l la le les leur leurs lui m ma mais me mes moi mon n ne ni nos notre nous
    on ou par pas pour qu que qui s sa se ses si son sur t ta te tes toi ton tu
    un une vos votre vous y
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
# Articles that may open an answer without changing its word
# (« la coopération », « l’entraide », « de la solidarité »).
ARTICLES = frozenset(["d", "de", "des", "du", "l", "la", "le", "les", "un", "une"])

# Apostrophes and dashes that people type for the same thing.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/'·.]+")
_PUNCT_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def fold(text: str) -> str:
    """Lower case, without accents (œ → oe, æ → ae), apostrophes unified.

    >>> fold("Œuvre Élevée")
    'oeuvre elevee'
    """
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")


def singular(word: str) -> str:
    """The French plural's -s or -x dropped (words of 4 letters or more,
    not -ss): only ever compared, never shown.

    >>> singular("velos"), singular("jeux"), singular("stress"), singular("bus")
    ('velo', 'jeu', 'stress', 'bus')
    """
    if len(word) >= 4 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def tidy(text: str) -> str:
    """The visible form of an answer: spaces collapsed, punctuation around it
    removed (« Solidarité ! » → « Solidarité »), inner punctuation kept.

    >>> tidy("  « Solidarité » ! ")
    'Solidarité'
    >>> tidy("co-construction...")
    'co-construction'
    >>> tidy("!!!")
    ''
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return _PUNCT_EDGE.sub("", text)


def group_key(text: str) -> str | None:
    """The key that groups spellings of one word, or None for an answer of
    function words only (or without any letter or digit).

    The answer's words, folded, without a leading article (« l’ », « la »,
    « des »…) and each without its plural, are joined with nothing between
    them: only the letters and their order tell words apart, not whether
    the words were written apart, hyphenated or elided.

    >>> group_key("L’entraide"), group_key("entraide"), group_key("de la Solidarité")
    ('entraide', 'entraide', 'solidarite')
    >>> group_key("Coopérations."), group_key("  ?! "), group_key("Vivre-ensemble")
    ('cooperation', None, 'vivreensemble')
    """
    words = [w for w in _SEPARATORS.split(fold(tidy(text))) if w]
    words = [_PUNCT_EDGE.sub("", w) for w in words]
    words = [w for w in words if w]
    if not words or all(w in FUNCTION_WORDS for w in words):
        return None
    while words[0] in ARTICLES:
        words = words[1:]
    return "".join(singular(w) for w in words)[:KEY_MAX_LENGTH]


def count_words(text: str) -> int:
    """Words of an answer, as the length limit counts them (a hyphenated or
    elided word counts once).

    >>> count_words("circuit court"), count_words("co-construction"), count_words("l’entraide")
    (2, 1, 1)
    """
    return len(text.split())


def check_answer(text, *, max_words: int, max_chars: int) -> tuple[str, str]:
    """A participant's answer, checked: ``(visible form, group key)``.

    Codes: ``text_empty`` (nothing left once tidied), ``text_too_long``
    (``max``), ``text_control_chars``, ``cloud_too_many_words`` (``max``),
    ``cloud_function_word`` (only words like « le », « et »).

    >>> check_answer("  Entraide ! ", max_words=3, max_chars=40)
    ('Entraide', 'entraide')
    >>> check_answer("un deux trois quatre", max_words=3, max_chars=40)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: cloud_too_many_words
    >>> check_answer("les", max_words=3, max_chars=40)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: cloud_function_word
    """
    raw = clean_text(text, max_length=max(max_chars, 1) * 4)
    visible = tidy(raw)
    if not visible:
        raise DomainError("text_empty", field="text")
    if len(visible) > max_chars:
        raise DomainError("text_too_long", field="text", max=max_chars, length=len(visible))
    if count_words(visible) > max_words:
        raise DomainError("cloud_too_many_words", field="text", max=max_words)
    key = group_key(visible)
    if key is None:
        raise DomainError("cloud_function_word", field="text", word=visible)
    return visible, key


def check_settings(data: dict, *, allow_anonymous: bool) -> dict:
    """The facilitator's settings, checked (only the keys present).

    >>> check_settings({"max_answers": 2, "mode": "reveal"}, allow_anonymous=True)
    {'max_answers': 2, 'mode': 'reveal'}
    """
    out = {}
    if "question" in data:
        out["question"] = clean_text(data["question"], max_length=QUESTION_MAX_LENGTH)
    for name, low, high in (
        ("max_answers", 1, MAX_ANSWERS),
        ("max_words", 1, MAX_WORDS_LIMIT),
        ("max_chars", MIN_CHARS_LIMIT, MAX_CHARS_LIMIT),
    ):
        if name in data:
            value = data[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise DomainError("cloud_invalid_setting", field=name, min=low, max=high)
            out[name] = value
    if "mode" in data:
        if data["mode"] not in MODES:
            raise DomainError("invalid_visibility", field="mode")
        out["mode"] = data["mode"]
    if "anonymous" in data:
        if data["anonymous"] and not allow_anonymous:
            raise DomainError("cloud_anonymous_not_allowed", field="anonymous")
        out["anonymous"] = bool(data["anonymous"])
    if "status" in data:
        if data["status"] not in STATUSES:
            raise DomainError("invalid_payload", field="status", reason="choice")
        out["status"] = data["status"]
    for flag in ("revealed", "on_screen", "show_counts"):
        if flag in data:
            out[flag] = bool(data[flag])
    return out


def is_public(activity: dict) -> bool:
    """Whether the projector (and phones) may see the cloud's words.

    >>> is_public({"mode": "live", "revealed": False})
    True
    >>> is_public({"mode": "reveal", "revealed": False})
    False
    """
    return activity["mode"] == "live" or bool(activity["revealed"])


# ---------------------------------------------------------------- grouping


@dataclass
class Word:
    """One word of the cloud: its key, the label shown, how many answers."""

    key: str
    label: str
    count: int = 0
    first: int = 0  # rank of its first answer (stable order of appearance)
    spellings: Counter = field(default_factory=Counter)
    answer_ids: list = field(default_factory=list)
    hidden: bool = False
    merged: list = field(default_factory=list)  # keys folded into this one


def _label(spellings: Counter, first_seen: dict) -> str:
    return min(spellings, key=lambda s: (-spellings[s], first_seen[s]))


def group_answers(answers, moderation: dict | None = None) -> list[Word]:
    """Group answers into words, in order of first appearance.

    ``answers``: texts, or ``(text, key, answer_id)`` tuples (the key stored
    with the answer). ``moderation``: ``{key: {"hidden", "merged_into",
    "label"}}`` set by the facilitator: a merged key's answers count for its
    target (followed to the end of a chain), a hidden word is kept but
    flagged, a label replaces the most frequent spelling.

    >>> words = group_answers(["vélo", "Bicyclette", "vélos"],
    ...     {"bicyclette": {"merged_into": "velo"}})
    >>> [(w.label, w.count, w.merged) for w in words]
    [('vélo', 3, ['bicyclette'])]
    """
    moderation = moderation or {}

    def target(key: str) -> str:
        seen = {key}
        while True:
            into = (moderation.get(key) or {}).get("merged_into")
            if not into or into in seen:
                return key
            seen.add(into)
            key = into

    words: dict[str, Word] = {}
    first_seen: dict[str, dict] = {}
    for rank, item in enumerate(answers):
        if isinstance(item, str):
            text, key, aid = item, group_key(item), None
        else:
            text, key, aid = item
        if key is None:
            continue
        into = target(key)
        word = words.get(into)
        if word is None:
            word = words[into] = Word(key=into, label=text, first=rank)
            first_seen[into] = {}
        word.count += 1
        word.spellings[text] += 1
        first_seen[into].setdefault(text, rank)
        if aid is not None:
            word.answer_ids.append(aid)
        if into != key and key not in word.merged:
            word.merged.append(key)
    for key, word in words.items():
        word.label = _label(word.spellings, first_seen[key])
        mod = moderation.get(key) or {}
        if mod.get("label"):
            word.label = mod["label"]
        word.hidden = bool(mod.get("hidden"))
    return sorted(words.values(), key=lambda w: w.first)


# ---------------------------------------------------------------- sizes and layout

# The layout's canvas, in abstract units (the projector scales it to fit).
CANVAS_W, CANVAS_H = 160.0, 100.0
# The smallest word's font size, in canvas units: 3.4 % of the canvas height,
# which the projector fills to about three quarters of the screen height,
# so never under 2.2 % of the screen height (readable at 8 m).
MIN_FONT = 3.4
# The count, when shown, in at least 2.4 % of the canvas (≥ 1.6 % of the screen).
MIN_COUNT_FONT = 2.4
MAX_SHOWN = 40
FILL = 0.40  # at most this share of the canvas is covered by words' boxes
LINE = 1.25  # a box's height, in font sizes
PAD = 0.5  # horizontal room around a word, in font sizes
# Advance widths of DejaVu Sans Bold (the projector's and the image's font),
# in font sizes; other characters count 0.72.
_WIDTHS = {
    **dict.fromkeys("ijlIJî ï", 0.35),
    **dict.fromkeys("ft’'.,:;!|", 0.44),
    **dict.fromkeys("rz-", 0.55),
    **dict.fromkeys("cs?ç", 0.60),
    **dict.fromkeys("mwœMW", 1.08),
    " ": 0.35,
}
# Colours for readability on the projector's dark background (all above 9:1),
# given by the word's key, never by its count: they mean nothing.
PALETTE = ("#ffd54a", "#7ee787", "#79c0ff", "#ffa8d5", "#ffb870", "#d2b3ff", "#ffffff", "#9ff0e8")


def text_width(text: str) -> float:
    """Estimated width of ``text`` in font sizes (bold sans).

    >>> text_width("ii") < text_width("mm")
    True
    """
    return sum(_WIDTHS.get(ch, 0.72) for ch in text)


def font_size(count: int, *, base: int, min_font: float = MIN_FONT) -> float:
    """Font size of a word said ``count`` times when the least said word
    shown was said ``base`` times: the area (font size squared) grows like the count.

    >>> font_size(1, base=1), font_size(4, base=1)
    (3.4, 6.8)
    """
    return min_font * math.sqrt(count / base)


def count_font(font: float) -> float:
    return max(MIN_COUNT_FONT, 0.45 * font)


def box(label: str, count: int, font: float) -> tuple[float, float]:
    """Width and height of a word's box, room for its count included (so
    that showing the counts moves nothing)."""
    w = (text_width(label) + PAD) * font + text_width(f" {count}") * count_font(font)
    return w, font * LINE


def colour(key: str) -> str:
    """A readable colour for a word, fixed by its key.

    >>> colour("entraide") == colour("entraide")
    True
    """
    return PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)]


@dataclass(frozen=True)
class Placed:
    key: str
    label: str
    count: int
    font: float
    x: float  # centre, canvas units from the canvas centre
    y: float
    w: float
    h: float
    colour: str

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "font": round(self.font, 3),
            "x": round(self.x, 3),
            "y": round(self.y, 3),
            "w": round(self.w, 3),
            "h": round(self.h, 3),
            "colour": self.colour,
        }


@dataclass
class Layout:
    placed: list[Placed]
    others: int  # distinct words not shown
    others_answers: int  # their answers

    def as_dict(self) -> dict:
        return {
            "canvas": [CANVAS_W, CANVAS_H],
            "words": [p.as_dict() for p in self.placed],
            "others": self.others,
            "others_answers": self.others_answers,
        }


def choose(words: list[Word], max_shown: int = MAX_SHOWN) -> tuple[list[Word], int]:
    """The words shown (the most said, at most ``max_shown``, as many as fit
    at honest sizes with the least said at the minimum font) and the base
    count. Ties go to the earliest word.

    >>> ws = [Word(key=str(i), label="mot", count=1, first=i) for i in range(100)]
    >>> shown, base = choose(ws)
    >>> len(shown), base
    (40, 1)
    """
    ranked = sorted(
        (w for w in words if not w.hidden and w.count > 0), key=lambda w: (-w.count, w.first)
    )
    shown = ranked[:max_shown]
    while shown:
        base = shown[-1].count
        area, widest, tallest = 0.0, 0.0, 0.0
        for w in shown:
            bw, bh = box(w.label, w.count, font_size(w.count, base=base))
            area += bw * bh
            widest, tallest = max(widest, bw), max(tallest, bh)
        if (
            area <= FILL * CANVAS_W * CANVAS_H
            and widest <= 0.95 * CANVAS_W
            and tallest <= 0.5 * CANVAS_H
        ):
            return shown, base
        shown.pop()
    return [], 1


_SPIRAL: dict = {}


def _spiral(phase_steps: int = 16):
    """Candidate centres on an elliptic Archimedean spiral, per phase."""
    import numpy as np

    if not _SPIRAL:
        b = 0.35  # radius gained per radian: 2.2 units between turns
        # Points about one unit apart along the curve (arc length ≈ b·t²/2).
        t = np.sqrt(2.0 * np.arange(0.0, b * 260.0**2 / 2, 1.0) / b)
        r = b * t
        for phase in range(phase_steps):
            a = t + phase * (2 * math.pi / phase_steps)
            _SPIRAL[phase] = (r * np.cos(a) * (CANVAS_W / CANVAS_H), r * np.sin(a))
    return _SPIRAL


def layout(
    words: list[Word], *, max_shown: int = MAX_SHOWN, previous: list | None = None
) -> Layout:
    """Place the words shown, deterministically, in order of first appearance.

    Each word starts from the centre along a spiral turned by its key and
    takes the first spot free of the words placed before it. A word added
    later is placed last: the words already there keep their places (as long
    as their own sizes do not change). ``previous``: the ``placed`` list of
    an earlier layout, reused as far as it matches (a speed-up only: the
    result is the same).

    >>> ws = group_answers(["entraide", "partage", "confiance"])
    >>> before = layout(ws).placed
    >>> after = layout(group_answers(["entraide", "partage", "confiance", "écoute"])).placed
    >>> [(p.x, p.y) for p in after[:3]] == [(p.x, p.y) for p in before]
    True
    """
    import numpy as np

    shown, base = choose(words, max_shown)
    shown_keys = {w.key for w in shown}
    order = sorted(shown, key=lambda w: w.first)
    spiral = _spiral()
    placed: list[Placed] = []
    prev = list(previous or [])
    half_w, half_h = CANVAS_W / 2, CANVAS_H / 2
    dropped = []
    for i, w in enumerate(order):
        font = font_size(w.count, base=base)
        bw, bh = box(w.label, w.count, font)
        if (
            len(placed) == i
            and i < len(prev)
            and (prev[i].key, prev[i].label, prev[i].count, prev[i].font)
            == (w.key, w.label, w.count, font)
        ):
            placed.append(prev[i])
            continue
        prev = []  # from here on, placements differ
        xs_all, ys_all = spiral[zlib.crc32(w.key.encode("utf-8")) % len(spiral)]
        j = None
        # Along the spiral by stretches: most words find room near the start.
        for start in range(0, len(xs_all), 1500):
            xs, ys = xs_all[start : start + 1500], ys_all[start : start + 1500]
            ok = (np.abs(xs) + bw / 2 <= half_w) & (np.abs(ys) + bh / 2 <= half_h)
            for p in placed:
                ok &= (np.abs(xs - p.x) * 2 >= bw + p.w) | (np.abs(ys - p.y) * 2 >= bh + p.h)
            hits = np.flatnonzero(ok)
            if hits.size:
                j = start + int(hits[0])
                break
        if j is None:
            dropped.append(w)
            continue
        x, y = float(xs_all[j]), float(ys_all[j])
        placed.append(Placed(w.key, w.label, w.count, font, x, y, bw, bh, colour(w.key)))
    others = [
        w
        for w in words
        if not w.hidden and w.count > 0 and (w.key not in shown_keys or w in dropped)
    ]
    return Layout(placed, len(others), sum(w.count for w in others))
