"""Operations of the word cloud on the database (a session is passed in; no Flask).

Every change of a cloud starts by raising its ``rev`` with one ``UPDATE``:
on PostgreSQL that row lock makes the writes of one cloud pass one after the
other (so that « 3 answers at most » holds under concurrency), and the
views carry the revision they were built from.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from sqlalchemy import Integer, bindparam, func, select, update
from sqlalchemy.orm import Session

from ..db import dialect_insert, find_once
from ..domain import cloud as rules
from ..domain.errors import DomainError
from ..domain.text import clean_text
from ..models import Atelier, Participant, utcnow
from .models import CloudActivity, CloudAnswer, CloudWord, answer_own

# ---------------------------------------------------------------- activities


def activities(s: Session, atelier: Atelier) -> list[CloudActivity]:
    return list(
        s.scalars(
            select(CloudActivity)
            .where(CloudActivity.atelier_id == atelier.id)
            .order_by(CloudActivity.position, CloudActivity.id)
        )
    )


def get_activity(s: Session, atelier: Atelier, activity_id) -> CloudActivity:
    activity = s.get(CloudActivity, activity_id) if isinstance(activity_id, int) else None
    if activity is None or activity.atelier_id != atelier.id:
        raise DomainError("cloud_not_found", field="activity_id")
    return activity


def bump(s: Session, activity: CloudActivity) -> int:
    """Raise the cloud's revision (and lock its row until commit)."""
    rev = s.execute(
        update(CloudActivity)
        .where(CloudActivity.id == activity.id)
        .values(rev=CloudActivity.rev + 1)
        .returning(CloudActivity.rev)
    ).scalar_one()
    activity.rev = rev
    s.expire(activity, ["rev"])
    return rev


def create_activity(s: Session, atelier: Atelier, data: dict) -> CloudActivity:
    count = s.scalar(select(func.count()).where(CloudActivity.atelier_id == atelier.id))
    if count >= rules.MAX_ACTIVITIES:
        raise DomainError("cloud_too_many", max=rules.MAX_ACTIVITIES)
    fields = rules.check_settings(
        {"anonymous": atelier.allow_anonymous, **data}, allow_anonymous=atelier.allow_anonymous
    )
    if "question" not in fields:
        raise DomainError("text_empty", field="question")
    activity = CloudActivity(
        atelier_id=atelier.id,
        position=count,
        max_answers=rules.DEFAULT_ANSWERS,
        max_words=rules.DEFAULT_MAX_WORDS,
        max_chars=rules.DEFAULT_MAX_CHARS,
        mode="live",
        revealed=False,
        status="open",
        on_screen=False,
        show_counts=False,
        rev=1,
    )
    for key, value in fields.items():
        setattr(activity, key, value)
    s.add(activity)
    s.flush()
    if activity.on_screen:
        _only_on_screen(s, atelier, activity)
    return activity


def _only_on_screen(s: Session, atelier: Atelier, activity: CloudActivity) -> list[CloudActivity]:
    others = list(
        s.scalars(
            select(CloudActivity).where(
                CloudActivity.atelier_id == atelier.id,
                CloudActivity.id != activity.id,
                CloudActivity.on_screen.is_(True),
            )
        )
    )
    for other in others:
        other.on_screen = False
        bump(s, other)
    return others


def update_activity(s: Session, atelier: Atelier, data: dict) -> tuple[CloudActivity, list]:
    """Change settings; returns the cloud and the others taken off screen."""
    activity = get_activity(s, atelier, data.get("activity_id"))
    fields = rules.check_settings(
        {k: v for k, v in data.items() if k != "activity_id"},
        allow_anonymous=atelier.allow_anonymous,
    )
    bump(s, activity)
    for key, value in fields.items():
        setattr(activity, key, value)
    if fields.get("mode") == "live":
        activity.revealed = False
    others = _only_on_screen(s, atelier, activity) if fields.get("on_screen") else []
    s.flush()
    return activity, others


def delete_activity(s: Session, atelier: Atelier, activity_id) -> int:
    activity = get_activity(s, atelier, activity_id)
    s.delete(activity)
    s.flush()
    VIEWS.forget(activity.id)
    return activity.id


# ---------------------------------------------------------------- answers


_ANSWER_COLUMNS = (
    CloudAnswer.id,
    CloudAnswer.activity_id,
    CloudAnswer.participant_id,
    CloudAnswer.client_id,
    CloudAnswer.text,
    CloudAnswer.key,
)


_ANSWER_STATEMENTS: dict = {}
_INSERT_COLUMNS = (
    "atelier_id",
    "activity_id",
    "participant_id",
    "client_id",
    "text",
    "key",
    "author_name",
    "created_at",
    "updated_at",
)


def _answer_statements(conn) -> dict:
    """The statements of a new answer, built once per dialect (see :func:`add_answer`)."""
    found = _ANSWER_STATEMENTS.get(conn.dialect.name)
    if found is None:
        act, ans = CloudActivity.__table__, CloudAnswer.__table__
        lock = (
            update(act)
            .where(act.c.id == bindparam("b_activity"), act.c.atelier_id == bindparam("b_atelier"))
            .values(rev=act.c.rev + 1)
            .returning(
                act.c.rev,
                act.c.status,
                act.c.max_answers,
                act.c.max_words,
                act.c.max_chars,
                act.c.anonymous,
            )
        )
        mine_count = (
            select(func.count())
            .select_from(ans)
            .where(ans.c.activity_id == bindparam("activity_id", type_=Integer))
            .where(ans.c.participant_id == bindparam("participant_id", type_=Integer))
            .scalar_subquery()
        )
        values = select(*(bindparam(c, type_=ans.c[c].type) for c in _INSERT_COLUMNS)).where(
            mine_count < bindparam("b_max", type_=Integer)
        )
        insert = (
            dialect_insert(conn)(ans)
            .from_select(list(_INSERT_COLUMNS), values)
            .on_conflict_do_nothing(index_elements=[ans.c.atelier_id, ans.c.client_id])
            .returning(*ans.columns)
        )
        mine_rows = (
            select(*(ans.c[c.key] for c in _ANSWER_COLUMNS))
            .where(ans.c.activity_id == bindparam("b_activity"))
            .where(ans.c.participant_id == bindparam("b_pid"))
            .order_by(ans.c.id)
        )
        found = _ANSWER_STATEMENTS[conn.dialect.name] = {
            "lock": lock,
            "insert": insert,
            "mine": mine_rows,
        }
    return found


class StoredAnswer(NamedTuple):
    row: object  # the answer's columns (read like a ``CloudAnswer``)
    created: bool
    # The author's answers to that cloud once this one is stored (for
    # ``cloud:mine``), when it was created by a participant; else None.
    mine: list | None


def add_answer(
    s: Session,
    atelier: Atelier,
    activity_id: int,
    client_id: str,
    text: str,
    participant: Participant | None,
) -> StoredAnswer:
    """Store one answer exactly once per ``client_id``.

    A resend of a stored answer gives it back (even once the cloud is closed);
    a client id used by another participant is refused.

    Every phone of the room sends one at about the same time, one after the
    other under SQLite's write lock, so a new answer costs two statements
    (built once): the ``UPDATE`` of the cloud's revision, which locks its row
    until commit (on PostgreSQL the writers of one cloud pass one at a time)
    and returns its settings; then ``INSERT … SELECT … WHERE`` (the number
    of this person's answers is under the limit) ``ON CONFLICT DO NOTHING
    RETURNING``. The count is in the second statement, not in the first:
    a statement that waited for the lock reads what was committed before it
    began (PostgreSQL's READ COMMITTED), and would miss the answer of the
    writer it waited for. The client id is looked up only when no row comes
    back (a resend, the same answer sent twice at once, or the limit); the
    author's answers are read again for ``cloud:mine`` only when a person
    may give more than one.
    """
    pid = participant.id if participant is not None else None
    author = {"participant_id": pid}
    if not isinstance(activity_id, int) or isinstance(activity_id, bool):
        raise DomainError("cloud_not_found", field="activity_id")
    conn = s.connection()
    stmts = _answer_statements(conn)
    params = {"b_activity": activity_id, "b_atelier": atelier.id, "b_pid": pid}
    act = conn.execute(stmts["lock"], params).first()
    if act is None:
        raise DomainError("cloud_not_found", field="activity_id")
    try:
        if act.status != "open":
            raise DomainError("cloud_closed")
        visible, key = rules.check_answer(text, max_words=act.max_words, max_chars=act.max_chars)
    except DomainError:
        # A resend of a stored answer is answered whatever changed since.
        existing = find_once(s, CloudAnswer.__table__, atelier.id, client_id, author)
        if existing is not None:
            return StoredAnswer(existing, False, None)
        raise
    now = utcnow()
    named = participant is not None and not act.anonymous
    row = conn.execute(
        stmts["insert"],
        {
            "atelier_id": atelier.id,
            "activity_id": activity_id,
            "participant_id": pid,
            "client_id": client_id,
            "text": visible,
            "key": key,
            "author_name": participant.display_name if named else None,
            "created_at": now,
            "updated_at": now,
            # the facilitator's answers have no limit (``participant_id = NULL``
            # matches no row: their count is 0)
            "b_max": act.max_answers if pid is not None else 1,
        },
    ).first()
    if row is None:
        existing = find_once(s, CloudAnswer.__table__, atelier.id, client_id, author)
        if existing is not None:
            return StoredAnswer(existing, False, None)
        raise DomainError("cloud_answer_limit", max=act.max_answers)
    if pid is None:
        return StoredAnswer(row, True, None)
    if act.max_answers == 1:
        return StoredAnswer(row, True, [answer_own(row)])
    return StoredAnswer(row, True, [answer_own(r) for r in conn.execute(stmts["mine"], params)])


def _own_answer(s: Session, atelier: Atelier, answer_id, participant) -> CloudAnswer:
    answer = s.get(CloudAnswer, answer_id) if isinstance(answer_id, int) else None
    if answer is None or answer.atelier_id != atelier.id:
        raise DomainError("cloud_answer_not_found", field="answer_id")
    if participant is not None and answer.participant_id != participant.id:
        raise DomainError("cloud_not_your_answer", field="answer_id")
    return answer


def update_answer(
    s: Session, atelier: Atelier, answer_id: int, text: str, participant
) -> CloudAnswer:
    """Change one's own answer while the cloud is open."""
    answer = _own_answer(s, atelier, answer_id, participant)
    activity = s.get(CloudActivity, answer.activity_id)
    if activity.status != "open":
        raise DomainError("cloud_closed")
    visible, key = rules.check_answer(
        text, max_words=activity.max_words, max_chars=activity.max_chars
    )
    bump(s, activity)
    answer.text, answer.key = visible, key
    s.flush()
    return answer


def delete_answer(s: Session, atelier: Atelier, answer_id: int, participant) -> CloudAnswer:
    """Withdraw one's own answer while the cloud is open (the facilitator:
    any answer, at any time)."""
    answer = _own_answer(s, atelier, answer_id, participant)
    activity = s.get(CloudActivity, answer.activity_id)
    if participant is not None and activity.status != "open":
        raise DomainError("cloud_closed")
    bump(s, activity)
    s.delete(answer)
    s.flush()
    return answer


def own_answers(s: Session, atelier: Atelier, participant_id: int, activity_id=None) -> list:
    q = select(*_ANSWER_COLUMNS).where(
        CloudAnswer.atelier_id == atelier.id, CloudAnswer.participant_id == participant_id
    )
    if activity_id is not None:
        q = q.where(CloudAnswer.activity_id == activity_id)
    return [answer_own(r) for r in s.execute(q.order_by(CloudAnswer.id))]


# ---------------------------------------------------------------- moderation


def moderation(s: Session, activity_id: int) -> dict:
    return {
        w.key: w.rules_dict()
        for w in s.scalars(select(CloudWord).where(CloudWord.activity_id == activity_id))
    }


def _keys(s: Session, activity_id: int) -> set[str]:
    return set(
        s.scalars(select(CloudAnswer.key).where(CloudAnswer.activity_id == activity_id).distinct())
    )


def _word(s: Session, activity: CloudActivity, key: str) -> CloudWord:
    word = s.scalar(
        select(CloudWord).where(CloudWord.activity_id == activity.id, CloudWord.key == key)
    )
    if word is None:
        word = CloudWord(atelier_id=activity.atelier_id, activity_id=activity.id, key=key)
        word.hidden = False
        s.add(word)
    return word


def _known_key(s: Session, activity: CloudActivity, key: str, field: str = "key") -> None:
    if key not in _keys(s, activity.id) and key not in moderation(s, activity.id):
        raise DomainError("cloud_word_not_found", field=field)


def hide_word(s: Session, atelier: Atelier, activity_id: int, key: str, hidden: bool):
    """Hide a word (all its answers, and those merged into it) or show it again."""
    activity = get_activity(s, atelier, activity_id)
    _known_key(s, activity, key)
    bump(s, activity)
    _word(s, activity, key).hidden = hidden
    s.flush()
    return activity


def merge_word(s: Session, atelier: Atelier, activity_id: int, key: str, into: str | None):
    """Count ``key``'s answers for ``into`` (« bicyclette » into « vélo »);
    ``into`` None separates them again."""
    activity = get_activity(s, atelier, activity_id)
    _known_key(s, activity, key)
    mods = moderation(s, activity.id)
    if into is not None:
        _known_key(s, activity, into, "into")
        # Follow ``into``'s own merges: merging into a word merged elsewhere
        # goes to its target; a loop back to ``key`` is refused.
        seen, target = {into}, into
        while (mods.get(target) or {}).get("merged_into"):
            target = mods[target]["merged_into"]
            if target in seen:
                break
            seen.add(target)
        if key in seen or target == key:
            raise DomainError("cloud_merge_invalid", field="into")
        into = target
    bump(s, activity)
    _word(s, activity, key).merged_into = into
    s.flush()
    return activity


def rename_word(s: Session, atelier: Atelier, activity_id: int, key: str, label: str | None):
    """Show ``label`` for a word instead of its most frequent spelling (None: back to it)."""
    activity = get_activity(s, atelier, activity_id)
    _known_key(s, activity, key)
    if label is not None:
        label = rules.tidy(clean_text(label, max_length=activity.max_chars, field="label"))
        if not label:
            raise DomainError("text_empty", field="label")
    bump(s, activity)
    _word(s, activity, key).label = label
    s.flush()
    return activity


# ---------------------------------------------------------------- views


def words(s: Session, activity: CloudActivity) -> list[rules.Word]:
    rows = s.execute(
        select(CloudAnswer.text, CloudAnswer.key, CloudAnswer.id)
        .where(CloudAnswer.activity_id == activity.id)
        .order_by(CloudAnswer.id)
    ).all()
    return rules.group_answers([tuple(r) for r in rows], moderation(s, activity.id))


class ViewCache:
    """Views by (atelier code, cloud, revision, audience), and each cloud's
    last layout (so that a new view places only what changed)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._views: OrderedDict = OrderedDict()
        self._layouts: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
            return view

    def put(self, key, view) -> None:
        with self._lock:
            self._views[key] = view
            while len(self._views) > self.size:
                self._views.popitem(last=False)

    def last_layout(self, activity_id: int):
        return self._layouts.get(activity_id)

    def keep_layout(self, activity_id: int, placed) -> None:
        with self._lock:
            self._layouts[activity_id] = placed

    def forget(self, activity_id: int) -> None:
        with self._lock:
            self._layouts.pop(activity_id, None)

    def clear(self) -> None:
        with self._lock:
            self._views.clear()
            self._layouts.clear()


VIEWS = ViewCache()


def view(s: Session, atelier: Atelier, activity: CloudActivity, audience: str) -> dict:
    """The cloud as ``audience`` may see it (``facilitator`` or ``public``).

    Both carry the settings, the revision, how many answers and people;
    the public view has the layout only when the words are public (live
    mode, or revealed); the facilitator's has every word with its
    spellings, hidden and merged words included.
    """
    # A session that changed a cloud builds its own view and keeps it out of
    # the cache: it may still roll back, and its revision be used again.
    cacheable = not s.info.get("liveview_keys")
    cache_key = (atelier.code, activity.id, activity.created_at, activity.rev, audience)
    found = VIEWS.get(cache_key) if cacheable else None
    if found is not None:
        return found
    ws = words(s, activity)
    counted = [w for w in ws if not w.hidden]
    people = s.scalar(
        select(func.count(func.distinct(CloudAnswer.participant_id))).where(
            CloudAnswer.activity_id == activity.id
        )
    )
    out = {
        "activity": activity.to_dict(),
        "rev": activity.rev,
        "answers": sum(w.count for w in counted),
        "people": people or 0,
        "public": rules.is_public(activity.rules_dict()),
    }
    if audience == "facilitator" or out["public"]:
        lay = rules.layout(ws, previous=VIEWS.last_layout(activity.id))
        VIEWS.keep_layout(activity.id, lay.placed)
        out["layout"] = lay.as_dict()
    if audience == "facilitator":
        out["words"] = [
            {
                "key": w.key,
                "label": w.label,
                "count": w.count,
                "hidden": w.hidden,
                "merged": w.merged,
                "spellings": sorted(w.spellings.items(), key=lambda kv: (-kv[1], kv[0])),
            }
            for w in sorted(ws, key=lambda w: (-w.count, w.first))
        ]
    if cacheable:
        VIEWS.put(cache_key, out)
    return out


def snapshot(s: Session, atelier: Atelier, role: str, participant_id: int | None) -> dict:
    acts = activities(s, atelier)
    out = {"activities": [a.to_dict() for a in acts]}
    if role == "facilitator":
        out["views"] = {str(a.id): view(s, atelier, a, "facilitator") for a in acts}
    elif role == "projector":
        out["views"] = {str(a.id): view(s, atelier, a, "public") for a in acts if a.on_screen}
    elif participant_id is not None:
        out["mine"] = own_answers(s, atelier, participant_id)
    return out
