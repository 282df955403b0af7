"""Déroulé operations on the database (no Flask, no Socket.IO).

Every function takes an open session; the caller commits. Every change
starts with :func:`begin`, which bumps ``deroule_state.seq`` with an
``UPDATE`` (a row lock held until the commit, on SQLite and PostgreSQL):
two consoles' changes of one déroulé run one after the other and each
broadcast state holds the earlier ones.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain import deroule as rules
from ..domain.deroule import ActivityContext
from ..domain.errors import DomainError
from ..models import Atelier, utcnow
from .models import DerouleActivity, DerouleModele, DerouleState


def now_ms() -> int:
    return int(time.time() * 1000)


# ---------------------------------------------------------------- state


def get_state(s: Session, atelier: Atelier) -> DerouleState:
    row = s.scalar(select(DerouleState).where(DerouleState.atelier_id == atelier.id))
    if row is None:
        row = DerouleState(atelier_id=atelier.id, current_id=None, overlay="none", seq=0)
        try:
            with s.begin_nested():
                s.add(row)
        except IntegrityError:  # created meanwhile by another request
            row = s.scalar(select(DerouleState).where(DerouleState.atelier_id == atelier.id))
    return row


def begin(s: Session, atelier: Atelier) -> DerouleState:
    """Start a change: take the déroulé's lock and bump its ``seq``."""
    get_state(s, atelier)
    s.execute(
        update(DerouleState)
        .where(DerouleState.atelier_id == atelier.id)
        .values(seq=DerouleState.seq + 1)
        .execution_options(synchronize_session=False)
    )
    st = get_state(s, atelier)
    s.refresh(st)
    return st


def activities(s: Session, atelier: Atelier) -> list[DerouleActivity]:
    return list(
        s.scalars(
            select(DerouleActivity)
            .where(DerouleActivity.atelier_id == atelier.id)
            .order_by(DerouleActivity.position, DerouleActivity.id)
        )
    )


def get_activity(s: Session, atelier: Atelier, activity_id) -> DerouleActivity:
    act = s.get(DerouleActivity, activity_id) if isinstance(activity_id, int) else None
    if act is None or act.atelier_id != atelier.id:
        raise DomainError("deroule_activity_not_found")
    return act


def _renumber(acts: list[DerouleActivity]) -> None:
    for pos, act in enumerate(acts):
        if act.position != pos:
            act.position = pos


def _context(s, atelier, act, acts, events) -> ActivityContext:
    return ActivityContext(session=s, atelier=atelier, activity=act, activities=acts, events=events)


def _prepare(s, atelier, act, acts, events) -> None:
    kind = rules.activity_type(act.type)
    if kind.prepare is not None:
        ref = kind.prepare(_context(s, atelier, act, acts, events))
        act.ref = dict(ref) if ref else None


# ---------------------------------------------------------------- editing


def create_activity(
    s: Session,
    atelier: Atelier,
    type_key: str,
    *,
    title: str | None = None,
    duration_min: int | None = None,
    settings: dict | None = None,
    after_id: int | None = None,
    events=None,
) -> DerouleActivity:
    """Add an activity (at the end, or right after ``after_id``)."""
    begin(s, atelier)
    kind = rules.activity_type(type_key)
    acts = activities(s, atelier)
    if len(acts) >= rules.MAX_ACTIVITIES:
        raise DomainError("deroule_too_many", max=rules.MAX_ACTIVITIES)
    parsed = kind.parse_settings(settings or {})
    act = DerouleActivity(
        atelier_id=atelier.id,
        type=kind.key,
        title=rules.check_title(title, kind.label),
        duration_min=rules.check_duration(
            kind.duration_min if duration_min is None else duration_min
        ),
        settings=parsed,
        ref=None,
        spent_ms=0,
        position=len(acts),
    )
    index = len(acts)
    if after_id is not None:
        after = get_activity(s, atelier, after_id)
        index = acts.index(after) + 1
    acts.insert(index, act)
    s.add(act)
    _renumber(acts)
    s.flush()
    _prepare(s, atelier, act, acts, events)
    return act


def update_activity(
    s: Session,
    atelier: Atelier,
    activity_id: int,
    *,
    title: str | None = None,
    duration_min: int | None = None,
    settings: dict | None = None,
    events=None,
) -> DerouleActivity:
    """Change an activity's title, planned duration or settings (partial)."""
    begin(s, atelier)
    act = get_activity(s, atelier, activity_id)
    kind = rules.activity_type(act.type)
    if title is not None:
        act.title = rules.check_title(title, kind.label)
    if duration_min is not None:
        act.duration_min = rules.check_duration(duration_min)
    if settings is not None:
        act.settings = kind.merge_settings(act.settings, settings)
        _prepare(s, atelier, act, activities(s, atelier), events)
    return act


def delete_activity(s: Session, atelier: Atelier, activity_id: int) -> int:
    """Delete an activity (never the current one). What its capability holds
    (the prompt's post-its, the groups) stays: deleting an activity never
    deletes contributions."""
    st = begin(s, atelier)
    act = get_activity(s, atelier, activity_id)
    rules.check_delete(act.id, st.current_id)
    acts = [a for a in activities(s, atelier) if a.id != act.id]
    s.delete(act)
    s.flush()
    _renumber(acts)
    return activity_id


def duplicate_activity(
    s: Session, atelier: Atelier, activity_id: int, *, events=None
) -> DerouleActivity:
    src = get_activity(s, atelier, activity_id)
    return create_activity(
        s,
        atelier,
        src.type,
        title=src.title,
        duration_min=src.duration_min,
        settings=dict(src.settings or {}),
        after_id=src.id,
        events=events,
    )


def reorder(s: Session, atelier: Atelier, ids: list[int]) -> list[DerouleActivity]:
    begin(s, atelier)
    acts = activities(s, atelier)
    order = rules.check_reorder([a.id for a in acts], list(ids))
    by_id = {a.id: a for a in acts}
    ordered = [by_id[i] for i in order]
    _renumber(ordered)
    return ordered


# ---------------------------------------------------------------- on the day


def go(
    s: Session,
    atelier: Atelier,
    *,
    delta: int | None = None,
    target_id: int | None = None,
    events=None,
    now: int | None = None,
) -> DerouleActivity:
    """Make another activity current: ``delta`` ±1 from the current one, or
    ``target_id``. The time spent on the one left is stored; the overlay
    (blank, join screen) is taken down; the new one's ``enter`` hook runs and
    the projector's scene follows."""
    st = begin(s, atelier)
    now = now_ms() if now is None else now
    acts = activities(s, atelier)
    if target_id is not None:
        target = get_activity(s, atelier, target_id)
    else:
        target_key = rules.step([a.id for a in acts], st.current_id, delta or 1)
        target = next(a for a in acts if a.id == target_key)
    if st.current_id is not None and st.current_id != target.id and st.since_ms is not None:
        old = next((a for a in acts if a.id == st.current_id), None)
        if old is not None:
            old.spent_ms = (old.spent_ms or 0) + max(0, now - st.since_ms)
    if st.current_id != target.id:
        st.current_id = target.id
        st.since_ms = now
    st.overlay = "none"
    kind = rules.activity_type(target.type)
    if kind.enter is not None:
        kind.enter(_context(s, atelier, target, acts, events))
    atelier.scene = kind.scene
    return target


def set_overlay(s: Session, atelier: Atelier, overlay: str) -> DerouleState:
    if overlay not in rules.OVERLAYS:
        raise DomainError("invalid_payload", field="overlay", reason="choice")
    st = begin(s, atelier)
    st.overlay = overlay
    return st


# ---------------------------------------------------------------- views


def activity_view(s, atelier, act, acts) -> dict:
    kind = rules.ACTIVITY_TYPES.get(act.type)
    out = {
        "id": act.id,
        "position": act.position,
        "type": act.type,
        "title": act.title,
        "duration_min": act.duration_min,
        "settings": act.settings or {},
        "ref": act.ref or {},
        "spent_ms": act.spent_ms or 0,
        "panel": kind.phone_panel if kind else "deroule",
        "scene": kind.scene if kind else "message",
        "open": False,
    }
    if kind is not None and kind.describe is not None:
        try:
            extra = kind.describe(_context(s, atelier, act, acts, None))
        except DomainError:
            extra = None
        if extra:
            out.update(extra)
    return out


def view(s: Session, atelier: Atelier, *, now: int | None = None) -> dict:
    """The déroulé as every surface sees it (one view for all: it holds no
    participant's data)."""
    st = get_state(s, atelier)
    now = now_ms() if now is None else now
    acts = activities(s, atelier)
    views = [activity_view(s, atelier, a, acts) for a in acts]
    timing = [
        {
            "id": a.id,
            "planned_ms": a.duration_min * 60_000,
            "spent_ms": a.spent_ms or 0,
            **({"since_ms": st.since_ms} if a.id == st.current_id else {}),
        }
        for a in acts
    ]
    return {
        "seq": st.seq,
        "current_id": st.current_id,
        "since_ms": st.since_ms,
        "overlay": st.overlay,
        "server_time": now,
        "drift_ms": rules.drift_ms(timing, st.current_id, now),
        # the console adds the current activity's overrun as its time runs
        "drift_settled_ms": rules.settled_drift_ms(timing, st.current_id),
        "activities": views,
    }


def types_view() -> list[dict]:
    return [t.public() for t in rules.ACTIVITY_TYPES.values()]


# ---------------------------------------------------------------- files, modèles, copies


def export_document(s: Session, atelier: Atelier) -> dict:
    return rules.export_document(
        atelier.title,
        [
            {
                "type": a.type,
                "title": a.title,
                "duration_min": a.duration_min,
                "settings": a.settings or {},
            }
            for a in activities(s, atelier)
        ],
    )


def import_document(
    s: Session, atelier: Atelier, data, *, replace: bool = False, events=None
) -> list[DerouleActivity]:
    """Add the activities of a déroulé file (or a modèle) at the end.

    The whole file is checked first: an error names the field and nothing
    is created. ``replace``: the current activities are deleted first (not
    allowed while one of them is current).
    """
    doc = rules.parse_document(data)
    st = begin(s, atelier)
    existing = activities(s, atelier)
    if replace:
        if st.current_id is not None:
            raise DomainError("deroule_replace_running")
        for act in existing:
            s.delete(act)
        s.flush()
        existing = []
    if len(existing) + len(doc["activities"]) > rules.MAX_ACTIVITIES:
        raise DomainError("deroule_too_many", max=rules.MAX_ACTIVITIES)
    created = []
    for item in doc["activities"]:
        created.append(
            create_activity(
                s,
                atelier,
                item["type"],
                title=item["title"],
                duration_min=item["duration_min"],
                settings=item["settings"],
                events=events,
            )
        )
    return created


def copy_atelier(s: Session, atelier: Atelier, title: str | None = None):
    """A new atelier with the same settings and déroulé, without any
    contribution or participant; return ``(atelier, console_secret)``."""
    from ..ateliers import service as ateliers

    doc = export_document(s, atelier)
    copy, secret = ateliers.create_atelier(
        s,
        {
            "title": rules.check_title(title, atelier.title) if title else atelier.title,
            "place": atelier.place,
            "allow_anonymous": atelier.allow_anonymous,
            "locale": atelier.locale,
            "note_max_length": atelier.note_max_length,
        },
    )
    import_document(s, copy, doc)
    return copy, secret


def room_group(s: Session, atelier: Atelier, n: int) -> int | None:
    """The id of the n-th group (from 1) of the current co-développement
    activity, or of the first one of the déroulé."""
    st = get_state(s, atelier)
    acts = [a for a in activities(s, atelier) if a.type == "codev"]
    acts.sort(key=lambda a: a.id != st.current_id)
    for act in acts:
        ids = (act.ref or {}).get("group_ids") or []
        if 1 <= n <= len(ids):
            return ids[n - 1]
    return None


# ---------------------------------------------------------------- saved modèles
# Kept on the server for the whole instance: every console of the instance
# lists them (a modèle holds a déroulé, never a contribution or a participant).
# Only the atelier that saved one may replace or delete it; one without an
# owner (saved before owners were kept, or its atelier deleted) is open to all.


def _may_change(m: DerouleModele, atelier: Atelier) -> bool:
    """Whether ``atelier`` may replace or delete ``m``: it saved it, or no one owns it."""
    return m.atelier_id is None or m.atelier_id == atelier.id


def modeles_view(s: Session, atelier: Atelier) -> list[dict]:
    """The saved modèles, by name: ``{"id", "name", "title", "activities",
    "mine"}`` (``mine``: this atelier may replace or delete it)."""
    out = []
    for m in s.scalars(select(DerouleModele).order_by(DerouleModele.name, DerouleModele.id)):
        doc = m.document or {}
        out.append(
            {
                "id": m.id,
                "name": m.name,
                "title": doc.get("title", ""),
                "activities": len(doc.get("activities") or []),
                "mine": _may_change(m, atelier),
            }
        )
    return out


def _replace_modele(row: DerouleModele, atelier: Atelier, doc: dict) -> None:
    if not _may_change(row, atelier):
        raise DomainError("deroule_modele_name_taken")
    row.document = doc
    row.atelier_id = atelier.id
    row.updated_at = utcnow()


def _store_modele(
    s: Session, atelier: Atelier, name: str, doc: dict, *, replace: bool
) -> tuple[DerouleModele, bool]:
    """Create the modèle ``name`` for ``atelier``, or (``replace``) give the
    existing one this déroulé if it is the atelier's; return ``(modele,
    created)``. Nothing is written on a refusal."""
    existing = s.scalar(select(DerouleModele).where(DerouleModele.name == name))
    if existing is not None:
        if replace:
            _replace_modele(existing, atelier, doc)
        return existing, False
    if (s.scalar(select(func.count(DerouleModele.id))) or 0) >= rules.MAX_MODELES:
        raise DomainError("deroule_modele_too_many", max=rules.MAX_MODELES)
    row = DerouleModele(name=name, document=doc, atelier_id=atelier.id)
    try:
        with s.begin_nested():
            s.add(row)
    except IntegrityError:  # saved under the same name meanwhile by another console
        row = s.scalar(select(DerouleModele).where(DerouleModele.name == name))
        if replace:
            _replace_modele(row, atelier, doc)
        return row, False
    return row, True


def save_modele(s: Session, atelier: Atelier, name) -> tuple[DerouleModele, bool]:
    """This atelier's déroulé as the modèle ``name`` (an existing modèle of
    that name saved by this atelier gets the new déroulé; one saved by
    another atelier is refused: ``deroule_modele_name_taken``)."""
    name = rules.check_modele_name(name)
    doc = rules.check_modele_document(export_document(s, atelier))
    return _store_modele(s, atelier, name, doc, replace=True)


def import_modele(s: Session, atelier: Atelier, name, document) -> tuple[DerouleModele, bool]:
    """A modèle kept by an older console in its browser, brought to the
    server once: checked like an imported file (the error names the field,
    nothing is created). A modèle of the same name already on the server is
    kept as it is."""
    name = rules.check_modele_name(name)
    doc = rules.check_modele_document(document)
    return _store_modele(s, atelier, name, doc, replace=False)


def get_modele(s: Session, modele_id) -> DerouleModele:
    row = s.get(DerouleModele, modele_id) if isinstance(modele_id, int) else None
    if row is None:
        raise DomainError("deroule_unknown_modele")
    return row


def delete_modele(s: Session, atelier: Atelier, modele_id) -> int:
    """Delete a modèle this atelier saved (``deroule_modele_not_yours``
    otherwise); ateliers built with it do not change."""
    row = get_modele(s, modele_id)
    if not _may_change(row, atelier):
        raise DomainError("deroule_modele_not_yours")
    s.delete(row)
    s.flush()
    return modele_id
