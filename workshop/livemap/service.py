"""Database operations of the live actor map (no Flask, no Socket.IO).

Participants' submissions are stored ``pending``; the facilitator's are
``validated`` at once. Only validated rows feed the map
(:func:`build_actor_map`). Every change of the validated map bumps the
atelier's map ``version`` (the cache key of the drawings).
"""

import functools
import json

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import maps

from ..db import find_once, store_once
from ..domain import livemap as rules
from ..domain.contracts import UNCHANGED
from ..domain.errors import DomainError
from ..models import Atelier, Participant
from .models import (
    LivemapActor,
    LivemapContribution,
    LivemapLink,
    LivemapProject,
    LivemapSettings,
)

LIVE = ("pending", "validated")


# ---------------------------------------------------------------- settings


def get_settings(s: Session, atelier: Atelier) -> LivemapSettings:
    row = s.scalar(select(LivemapSettings).where(LivemapSettings.atelier_id == atelier.id))
    if row is None:
        row = LivemapSettings(atelier_id=atelier.id, open=False, view="stage", version=1, seq=0)
        try:
            with s.begin_nested():
                s.add(row)
        except IntegrityError:  # created meanwhile by another request
            row = s.scalar(select(LivemapSettings).where(LivemapSettings.atelier_id == atelier.id))
    return row


def next_seq(s: Session, atelier: Atelier) -> int:
    """Start a write: take the atelier's map lock (an UPDATE of its settings
    row, held until the commit) and return the new sequence number.

    Writes of one atelier's map are thus serialised, and the state each one
    broadcasts holds every earlier write: clients keep the highest ``seq``.
    """
    get_settings(s, atelier)
    s.execute(
        update(LivemapSettings)
        .where(LivemapSettings.atelier_id == atelier.id)
        .values(seq=LivemapSettings.seq + 1)
        .execution_options(synchronize_session=False)
    )
    st = get_settings(s, atelier)
    s.refresh(st)
    return st.seq


_VERSION_BEFORE = "livemap_version_before"


def map_write(fn):
    """A write of the map: it starts with :func:`next_seq` (the atelier's map
    lock, and the sequence number the state it broadcasts carries), and
    :func:`map_changed` then tells whether the validated map changed."""

    @functools.wraps(fn)
    def wrapper(s: Session, atelier: Atelier, *args, **kw):
        next_seq(s, atelier)
        s.info.setdefault(_VERSION_BEFORE, {})[atelier.id] = get_settings(s, atelier).version
        return fn(s, atelier, *args, **kw)

    return wrapper


def map_changed(s: Session, atelier: Atelier) -> bool:
    """Whether the validated map changed since this session's first write."""
    before = s.info.get(_VERSION_BEFORE, {}).get(atelier.id)
    return before is None or get_settings(s, atelier).version != before


def bump(s: Session, atelier: Atelier) -> int:
    """Mark the validated map as changed; return its new version."""
    st = get_settings(s, atelier)
    st.version = (st.version or 0) + 1
    return st.version


@map_write
def update_settings(
    s: Session, atelier: Atelier, *, open=UNCHANGED, view=UNCHANGED, highlight=UNCHANGED
) -> LivemapSettings:
    """Open or close the activity on the phones, choose the projector's view,
    highlight a validated actor (``None``: none); at least one of them."""
    if open is UNCHANGED and view is UNCHANGED and highlight is UNCHANGED:
        raise DomainError("invalid_payload", reason="missing", field="open")
    st = get_settings(s, atelier)
    if open is not UNCHANGED:
        st.open = open
    if view is not UNCHANGED:
        st.view = rules.check_view(view)
    if highlight is not UNCHANGED:
        if highlight is None:
            st.highlight_id = None
        else:
            actor = get_actor(s, atelier, highlight)
            if actor.status != "validated":
                raise DomainError("livemap_actor_not_validated", name=actor.name)
            st.highlight_id = actor.id
    return st


# ---------------------------------------------------------------- lookups


def get_actor(s: Session, atelier: Atelier, actor_id: int, *, live=True) -> LivemapActor:
    actor = s.get(LivemapActor, actor_id)
    if actor is None or actor.atelier_id != atelier.id:
        raise DomainError("livemap_actor_not_found")
    if live and actor.status not in LIVE:
        raise _gone(s, actor)
    return actor


def _gone(s: Session, actor: LivemapActor) -> DomainError:
    if actor.status == "merged" and actor.merged_into:
        into = s.get(LivemapActor, actor.merged_into)
        return DomainError("livemap_actor_merged", name=actor.name, into=into.name if into else "?")
    return DomainError("livemap_actor_deleted", name=actor.name)


def get_contribution(s: Session, atelier: Atelier, cid: int) -> LivemapContribution:
    row = s.get(LivemapContribution, cid)
    if row is None or row.atelier_id != atelier.id:
        raise DomainError("livemap_contribution_not_found")
    return row


def get_link(s: Session, atelier: Atelier, lid: int) -> LivemapLink:
    row = s.get(LivemapLink, lid)
    if row is None or row.atelier_id != atelier.id:
        raise DomainError("livemap_link_not_found")
    return row


def _author(participant: Participant | None) -> dict:
    return {"submitted_by": participant.id if participant else None}


def _find_once(s: Session, model, atelier, client_id, participant):
    """The submission already stored with this client id (as an object), or None."""
    row = find_once(s, model.__table__, atelier.id, client_id, _author(participant))
    return s.get(model, row.id) if row is not None else None


def _store_once(s: Session, model, values: dict, participant):
    """Store a submission exactly once (:func:`workshop.db.store_once`):
    ``(object, created)``."""
    row, created = store_once(s, model.__table__, values, _author(participant))
    return s.get(model, row.id), created


def _count(s, model, atelier) -> int:
    return s.scalar(select(func.count(model.id)).where(model.atelier_id == atelier.id)) or 0


def _check_open(s: Session, atelier: Atelier, participant: Participant | None) -> None:
    if participant is not None and not get_settings(s, atelier).open:
        raise DomainError("livemap_closed")


def _initial_status(participant) -> str:
    return "pending" if participant is not None else "validated"


def _taken_keys(s: Session, atelier: Atelier) -> set[str]:
    return set(s.scalars(select(LivemapActor.key).where(LivemapActor.atelier_id == atelier.id)))


def _live_actors(s: Session, atelier: Atelier) -> list[LivemapActor]:
    return list(
        s.scalars(
            select(LivemapActor)
            .where(LivemapActor.atelier_id == atelier.id, LivemapActor.status.in_(LIVE))
            .order_by(LivemapActor.id)
        )
    )


def _visible_to(actor: LivemapActor, participant: Participant | None) -> bool:
    return (
        participant is None or actor.status == "validated" or actor.submitted_by == participant.id
    )


# ---------------------------------------------------------------- submissions


@map_write
def create_actor(
    s: Session,
    atelier: Atelier,
    participant: Participant | None,
    *,
    client_id: str,
    name: str,
    kind: str | None = None,
    territory: str | None = None,
) -> tuple[LivemapActor, bool]:
    """Add an actor, or return the existing one with the same name (accents
    and case ignored): ``(actor, created)``. Exactly once per ``client_id``."""
    existing = _find_once(s, LivemapActor, atelier, client_id, participant)
    if existing is not None:
        return existing, False
    _check_open(s, atelier, participant)
    name = rules.clean_actor_name(name)
    kind = rules.clean_kind(kind)
    territory = rules.clean_territory(territory)
    candidates = [(a.id, a.name) for a in _live_actors(s, atelier) if _visible_to(a, participant)]
    match = rules.find_match(name, candidates)
    if match is not None:
        return s.get(LivemapActor, match), False
    if _count(s, LivemapActor, atelier) >= rules.MAX_ACTORS:
        raise DomainError("livemap_too_many", max=rules.MAX_ACTORS)
    values = {
        "atelier_id": atelier.id,
        "client_id": client_id,
        "key": rules.unique_key(rules.slugify(name), _taken_keys(s, atelier)),
        "name": name,
        "kind": kind,
        "territory": territory,
        "extra": "{}",
        "status": _initial_status(participant),
        "version": 1,
        "submitted_by": _author(participant)["submitted_by"],
    }
    actor, created = _store_once(s, LivemapActor, values, participant)
    if created and actor.status == "validated":
        bump(s, atelier)
    return actor, created


@map_write
def add_contribution(
    s: Session,
    atelier: Atelier,
    participant: Participant | None,
    *,
    client_id: str,
    actor_id: int,
    stage: str,
    text: str,
) -> tuple[LivemapContribution, bool]:
    """Add an actor's contribution to one stage, exactly once per ``client_id``."""
    existing = _find_once(s, LivemapContribution, atelier, client_id, participant)
    if existing is not None:
        return existing, False
    _check_open(s, atelier, participant)
    actor = get_actor(s, atelier, actor_id)
    stage = rules.check_stage(stage)
    text = rules.clean_contribution(text)
    if _count(s, LivemapContribution, atelier) >= rules.MAX_CONTRIBUTIONS:
        raise DomainError("livemap_too_many", max=rules.MAX_CONTRIBUTIONS)
    values = {
        "atelier_id": atelier.id,
        "actor_id": actor.id,
        "client_id": client_id,
        "stage": stage,
        "text": text,
        "status": _initial_status(participant),
        "version": 1,
        "submitted_by": _author(participant)["submitted_by"],
    }
    row, created = _store_once(s, LivemapContribution, values, participant)
    if created and row.status == "validated" and actor.status == "validated":
        bump(s, atelier)
    return row, created


@map_write
def add_link(
    s: Session,
    atelier: Atelier,
    participant: Participant | None,
    *,
    client_id: str,
    source_id: int,
    target_id: int,
    kind: str | None = None,
) -> tuple[LivemapLink, bool]:
    """Link two actors, exactly once per ``client_id``."""
    existing = _find_once(s, LivemapLink, atelier, client_id, participant)
    if existing is not None:
        return existing, False
    _check_open(s, atelier, participant)
    source = get_actor(s, atelier, source_id)
    target = get_actor(s, atelier, target_id)
    if source.id == target.id:
        raise DomainError("livemap_self_link")
    kind = rules.clean_link_kind(kind)
    if _count(s, LivemapLink, atelier) >= rules.MAX_LINKS:
        raise DomainError("livemap_too_many", max=rules.MAX_LINKS)
    values = {
        "atelier_id": atelier.id,
        "source_id": source.id,
        "target_id": target.id,
        "client_id": client_id,
        "kind": kind,
        "evidence": "",
        "status": _initial_status(participant),
        "version": 1,
        "submitted_by": _author(participant)["submitted_by"],
    }
    row, created = _store_once(s, LivemapLink, values, participant)
    if (
        created
        and row.status == "validated"
        and source.status == "validated"
        and target.status == "validated"
    ):
        bump(s, atelier)
    return row, created


# ---------------------------------------------------------------- facilitator


def _expect(row, version, label) -> None:
    if version is not None:
        rules.check_conflict(row.version, version, label)


def _actor_label(a: LivemapActor) -> str:
    parts = [a.name]
    if a.kind:
        parts.append(a.kind)
    if a.territory:
        parts.append(a.territory)
    return " · ".join(parts)


def _validate_actor(actor: LivemapActor) -> bool:
    if actor.status == "pending":
        actor.status = "validated"
        actor.version += 1
        return True
    return False


@map_write
def validate(s: Session, atelier: Atelier, what: str, item_id: int | None = None) -> dict:
    """Validate an actor (with its pending contributions), a contribution (and
    its actor) or a link (and both its actors), or everything pending
    (``what`` "all"). Returns the ids validated."""
    if what == "all":
        return _validate_all(s, atelier)
    if item_id is None:
        raise DomainError("invalid_payload", field="id", reason="missing")
    done = {"actors": [], "contributions": [], "links": []}
    if what == "actor":
        actor = get_actor(s, atelier, item_id)
        if _validate_actor(actor):
            done["actors"].append(actor.id)
        for c in s.scalars(
            select(LivemapContribution).where(
                LivemapContribution.actor_id == actor.id,
                LivemapContribution.status == "pending",
            )
        ):
            c.status = "validated"
            c.version += 1
            done["contributions"].append(c.id)
    elif what == "contribution":
        c = get_contribution(s, atelier, item_id)
        actor = get_actor(s, atelier, c.actor_id)
        if _validate_actor(actor):
            done["actors"].append(actor.id)
        if c.status == "pending":
            c.status = "validated"
            c.version += 1
            done["contributions"].append(c.id)
    elif what == "link":
        link = get_link(s, atelier, item_id)
        for aid in (link.source_id, link.target_id):
            actor = get_actor(s, atelier, aid)
            if _validate_actor(actor):
                done["actors"].append(actor.id)
        if link.status == "pending":
            link.status = "validated"
            link.version += 1
            done["links"].append(link.id)
    else:
        raise DomainError("invalid_payload")
    if any(done.values()):
        bump(s, atelier)
    return done


def _validate_all(s: Session, atelier: Atelier) -> dict:
    """Validate every pending item."""
    done = {"actors": [], "contributions": [], "links": []}
    for a in _live_actors(s, atelier):
        if _validate_actor(a):
            done["actors"].append(a.id)
    live_ids = {a.id for a in _live_actors(s, atelier)}
    for c in s.scalars(
        select(LivemapContribution).where(
            LivemapContribution.atelier_id == atelier.id, LivemapContribution.status == "pending"
        )
    ):
        if c.actor_id in live_ids:
            c.status = "validated"
            c.version += 1
            done["contributions"].append(c.id)
    for link in s.scalars(
        select(LivemapLink).where(
            LivemapLink.atelier_id == atelier.id, LivemapLink.status == "pending"
        )
    ):
        if link.source_id in live_ids and link.target_id in live_ids:
            link.status = "validated"
            link.version += 1
            done["links"].append(link.id)
    if any(done.values()):
        bump(s, atelier)
    return done


@map_write
def update_actor(
    s: Session,
    atelier: Atelier,
    actor_id: int,
    version: int,
    *,
    name=UNCHANGED,
    kind=UNCHANGED,
    territory=UNCHANGED,
) -> LivemapActor:
    """Edit an actor, based on its ``version`` (else ``conflict``)."""
    actor = get_actor(s, atelier, actor_id)
    rules.check_conflict(actor.version, version, _actor_label(actor))
    if name is not UNCHANGED:
        name = rules.clean_actor_name(name)
        other = rules.find_match(
            name, [(a.id, a.name) for a in _live_actors(s, atelier) if a.id != actor.id]
        )
        if other is not None:
            raise DomainError("livemap_name_taken", name=name)
        actor.name = name
    if kind is not UNCHANGED:
        actor.kind = rules.clean_kind(kind)
    if territory is not UNCHANGED:
        actor.territory = rules.clean_territory(territory)
    actor.version += 1
    if actor.status == "validated":
        bump(s, atelier)
    return actor


@map_write
def update_contribution(
    s: Session,
    atelier: Atelier,
    contribution_id: int,
    version: int,
    *,
    text=UNCHANGED,
    stage=UNCHANGED,
) -> LivemapContribution:
    """Edit the text of a contribution or move it to another stage."""
    c = get_contribution(s, atelier, contribution_id)
    label = f"{c.stage} : {c.text}"
    rules.check_conflict(c.version, version, label)
    if stage is not UNCHANGED:
        c.stage = rules.check_stage(stage)
    if text is not UNCHANGED:
        c.text = rules.clean_contribution(text)
    c.version += 1
    if c.status == "validated":
        bump(s, atelier)
    return c


@map_write
def update_link(
    s: Session, atelier: Atelier, link_id: int, version: int, *, kind=UNCHANGED
) -> LivemapLink:
    """Change a link's kind."""
    link = get_link(s, atelier, link_id)
    rules.check_conflict(link.version, version, link.kind)
    if kind is not UNCHANGED:
        link.kind = rules.clean_link_kind(kind)
    link.version += 1
    if link.status == "validated":
        bump(s, atelier)
    return link


@map_write
def delete(s: Session, atelier: Atelier, what: str, item_id: int, version=None) -> dict:
    """Delete an actor (kept as ``deleted``, with its links removed), a
    contribution or a link (``version``: the one it was based on, if given)."""
    return _delete(s, atelier, what, item_id, version)


def _delete(s: Session, atelier: Atelier, what: str, item_id: int, version=None) -> dict:
    if what == "actor":
        actor = get_actor(s, atelier, item_id)
        _expect(actor, version, _actor_label(actor))
        was_validated = actor.status == "validated"
        actor.status = "deleted"
        actor.version += 1
        links = list(
            s.scalars(
                select(LivemapLink).where(
                    or_(LivemapLink.source_id == actor.id, LivemapLink.target_id == actor.id)
                )
            )
        )
        for link in links:
            s.delete(link)
        st = get_settings(s, atelier)
        if st.highlight_id == actor.id:
            st.highlight_id = None
        if was_validated:
            bump(s, atelier)
        return {"actor": actor.id, "links": [lk.id for lk in links]}
    if what == "contribution":
        c = get_contribution(s, atelier, item_id)
        _expect(c, version, f"{c.stage} : {c.text}")
        s.delete(c)
        if c.status == "validated":
            bump(s, atelier)
        return {"contribution": c.id}
    if what == "link":
        link = get_link(s, atelier, item_id)
        _expect(link, version, link.kind)
        s.delete(link)
        if link.status == "validated":
            bump(s, atelier)
        return {"link": link.id}
    raise DomainError("invalid_payload")


def _used_by_others(s: Session, actor: LivemapActor, participant_id: int) -> bool:
    """Whether someone else's contribution, link or project hangs on ``actor``."""

    def others(model):
        return or_(model.submitted_by.is_(None), model.submitted_by != participant_id)

    links = select(LivemapLink.id).where(
        or_(LivemapLink.source_id == actor.id, LivemapLink.target_id == actor.id),
        others(LivemapLink),
    )
    contributions = select(LivemapContribution.id).where(
        LivemapContribution.actor_id == actor.id, others(LivemapContribution)
    )
    projects = select(LivemapProject.id).where(LivemapProject.actor_id == actor.id)
    return any(s.scalar(q.limit(1)) is not None for q in (links, contributions, projects))


@map_write
def withdraw(
    s: Session, atelier: Atelier, participant_id: int, what: str, item_id: int
) -> tuple[dict, bool]:
    """A participant takes back their own submission, pending or already on
    the map (personal data: one can always take back what one wrote).

    An actor that other people's contributions, links or projects rely on
    stays (``livemap_actor_in_use``: the facilitator may remove it); otherwise
    it goes with the participant's own contributions to it, and what the
    tombstone kept of it beyond its name (kind, territory, other columns) is
    erased. Returns ``(ids removed, whether the validated map changed)``.
    """
    getters = {"actor": get_actor, "contribution": get_contribution, "link": get_link}
    if not isinstance(what, str) or what not in getters:
        raise DomainError("invalid_payload")
    row = getters[what](s, atelier, item_id)
    if row.submitted_by != participant_id:
        raise DomainError("livemap_not_yours")
    on_map = row.status == "validated"
    if what != "actor":
        return _delete(s, atelier, what, row.id), on_map
    if _used_by_others(s, row, participant_id):
        raise DomainError("livemap_actor_in_use", name=row.name)
    own = list(s.scalars(select(LivemapContribution).where(LivemapContribution.actor_id == row.id)))
    for c in own:
        on_map = on_map or c.status == "validated"
        s.delete(c)
    done = _delete(s, atelier, "actor", row.id)
    row.kind, row.territory, row.extra = "", "", "{}"
    if own:
        done["contributions"] = [c.id for c in own]
    return done, on_map


@map_write
def merge(
    s: Session,
    atelier: Atelier,
    *,
    source_id: int,
    target_id: int,
    source_version: int,
    target_version: int,
) -> LivemapActor:
    """Merge a duplicate actor into another: every contribution and link of
    the duplicate moves to the kept actor (a link between the two is dropped,
    it would join the actor to itself)."""
    source = get_actor(s, atelier, source_id)
    target = get_actor(s, atelier, target_id)
    if source.id == target.id:
        raise DomainError("livemap_merge_same")
    rules.check_conflict(source.version, source_version, _actor_label(source))
    rules.check_conflict(target.version, target_version, _actor_label(target))
    for c in s.scalars(
        select(LivemapContribution).where(LivemapContribution.actor_id == source.id)
    ):
        c.actor_id = target.id
        c.version += 1
    for link in s.scalars(
        select(LivemapLink).where(
            or_(LivemapLink.source_id == source.id, LivemapLink.target_id == source.id)
        )
    ):
        if link.source_id == source.id:
            link.source_id = target.id
        if link.target_id == source.id:
            link.target_id = target.id
        if link.source_id == link.target_id:
            s.delete(link)
        else:
            link.version += 1
    for p in s.scalars(select(LivemapProject).where(LivemapProject.actor_id == source.id)):
        p.actor_id = target.id
    target.kind = target.kind or source.kind
    target.territory = target.territory or source.territory
    extra = {**source.extra_dict, **target.extra_dict}
    target.extra = json.dumps(extra, ensure_ascii=False)
    if source.status == "validated":
        target.status = "validated"
    source.status = "merged"
    source.merged_into = target.id
    source.version += 1
    target.version += 1
    st = get_settings(s, atelier)
    if st.highlight_id == source.id:
        st.highlight_id = target.id
    bump(s, atelier)
    return target


# ---------------------------------------------------------------- the map


def _rows(s: Session, atelier: Atelier, model, *statuses):
    q = select(model).where(model.atelier_id == atelier.id)
    if statuses:
        q = q.where(model.status.in_(statuses))
    return list(s.scalars(q.order_by(model.id)))


def validated_rows(s: Session, atelier: Atelier) -> dict:
    actors = _rows(s, atelier, LivemapActor, "validated")
    ids = {a.id for a in actors}
    contributions = [
        c for c in _rows(s, atelier, LivemapContribution, "validated") if c.actor_id in ids
    ]
    links = [
        lk
        for lk in _rows(s, atelier, LivemapLink, "validated")
        if lk.source_id in ids and lk.target_id in ids
    ]
    projects = _rows(s, atelier, LivemapProject)
    return {"actors": actors, "contributions": contributions, "links": links, "projects": projects}


def build_actor_map(s: Session, atelier: Atelier) -> maps.ActorMap | None:
    """The validated map as a :class:`maps.ActorMap` (actor ids are keys), or
    None while no actor is validated."""
    rows = validated_rows(s, atelier)
    if not rows["actors"]:
        return None
    keys = {a.id: a.key for a in rows["actors"]}
    actors = []
    for a in rows["actors"]:
        rec = {"id": a.key, "name": a.name, "kind": a.kind}
        for k, v in a.extra_dict.items():
            if k not in ("id", "name", "kind", "territoire", "territory"):
                rec[k] = v
        rec["territoire"] = a.territory
        actors.append(rec)
    contributions = [
        {"actor_id": keys[c.actor_id], "stage": c.stage, "text": c.text}
        for c in rows["contributions"]
    ]
    links = [
        {
            "source_id": keys[lk.source_id],
            "target_id": keys[lk.target_id],
            "kind": lk.kind,
            "evidence": lk.evidence,
        }
        for lk in rows["links"]
    ]
    projects = [
        {
            "actor_id": keys.get(p.actor_id, ""),
            "title": p.title,
            "description": p.description,
            "results": p.results,
            "obstacles": p.obstacles,
            "needs": p.needs,
        }
        for p in rows["projects"]
        if p.actor_id in keys
    ]
    return maps.from_records(
        actors,
        contributions or None,
        links or None,
        projects or None,
        lenient=True,
        source=f"atelier «\u00a0{atelier.title}\u00a0», saisie en direct",
        date=atelier.date,
    )


def admin_view(s: Session, atelier: Atelier) -> dict:
    """Everything, for the facilitator's console."""
    return {
        "settings": get_settings(s, atelier).to_dict(),
        "actors": [a.to_dict() for a in _live_actors(s, atelier)],
        "contributions": [c.to_dict() for c in _rows(s, atelier, LivemapContribution)],
        "links": [lk.to_dict() for lk in _rows(s, atelier, LivemapLink)],
        "projects": len(_rows(s, atelier, LivemapProject)),
        "stages": _stage_info(atelier.locale),
    }


def _stage_info(lang: str = "fr") -> list[dict]:
    from maps.i18n import LANGUAGES, stage_label

    lang = lang if lang in LANGUAGES else "fr"
    return [
        {
            "key": k,
            "label": stage_label(k, lang),
            "short": stage_label(k, lang, "short"),
            "description": stage_label(k, lang, "description"),
        }
        for k in maps.STAGES
    ]


def public_view(s: Session, atelier: Atelier) -> dict:
    """The validated map, for the projector and the phones."""
    rows = validated_rows(s, atelier)
    return {
        "settings": get_settings(s, atelier).to_dict(),
        "actors": [a.public_dict() for a in rows["actors"]],
        "contributions": [c.public_dict() for c in rows["contributions"]],
        "links": [lk.public_dict() for lk in rows["links"]],
        "stages": _stage_info(atelier.locale),
    }


def projector_view(s: Session, atelier: Atelier) -> dict:
    """The projector's map: the validated map, its analysis and the chain
    highlighted."""
    from . import render

    view = public_view(s, atelier)
    st = get_settings(s, atelier)
    m = build_actor_map(s, atelier)
    view["analysis"] = render.analysis(atelier.id, st.version, m, atelier.locale)
    key = None
    if st.highlight_id:
        key = next((a["key"] for a in view["actors"] if a["id"] == st.highlight_id), None)
    view["highlight"] = render.chain_info(m, key)
    return view


def participant_view(s: Session, atelier: Atelier, participant_id: int) -> dict:
    """A phone's map: the validated map and its own submissions."""
    view = public_view(s, atelier)
    view["mine"] = mine(s, atelier, participant_id)
    return view


def mine_view(s: Session, atelier: Atelier, participant_id: int) -> dict:
    """``livemap:mine``: a participant's submissions, with the write's ``seq``."""
    return {**mine(s, atelier, participant_id), "seq": get_settings(s, atelier).seq}


def authors_of(s: Session, done: dict) -> set:
    """The participants who submitted the rows of ``done`` (``{"actors":
    [ids], "contributions": [...], "links": [...]}``)."""
    out = set()
    for key, model in (
        ("actors", LivemapActor),
        ("contributions", LivemapContribution),
        ("links", LivemapLink),
    ):
        for i in done.get(key, []):
            row = s.get(model, i)
            if row is not None and row.submitted_by:
                out.add(row.submitted_by)
    return out


def mine(s: Session, atelier: Atelier, participant_id: int) -> dict:
    """A participant's own submissions, pending or validated (they may take
    them back, :func:`withdraw`)."""

    def own(model):
        return list(
            s.scalars(
                select(model)
                .where(
                    model.atelier_id == atelier.id,
                    model.submitted_by == participant_id,
                    model.status.in_(("pending", "validated")),
                )
                .order_by(model.id)
            )
        )

    return {
        "actors": [a.public_dict() for a in own(LivemapActor)],
        "contributions": [c.public_dict() for c in own(LivemapContribution)],
        "links": [lk.public_dict() for lk in own(LivemapLink)],
    }


# ---------------------------------------------------------------- import


def import_map(s: Session, atelier: Atelier, m: maps.ActorMap) -> dict:
    """Add an existing map (validated) to the atelier's. Actors already
    present (same id or same name, accents and case ignored) are completed,
    not duplicated; identical contributions and links are not repeated."""
    live = _live_actors(s, atelier)
    by_key = {a.key: a for a in live}
    by_name = {rules.fold_name(a.name): a for a in live}
    taken = _taken_keys(s, atelier)
    ids: dict[str, LivemapActor] = {}
    counts = {"actors": 0, "contributions": 0, "links": 0, "projects": 0}
    if len(live) + m.n_actors > rules.MAX_ACTORS:
        raise DomainError("livemap_too_many", max=rules.MAX_ACTORS)
    for node, data in m.graph.nodes(data=True):
        name = str(data.get("name") or node)[: rules.ACTOR_NAME_MAX]
        actor = by_key.get(node) or by_name.get(rules.fold_name(name))
        extra = {
            k: v
            for k, v in data.items()
            if k not in ("name", "kind", "stages", "contributions") and v not in ("", None)
        }
        territory = ""
        for col in ("territoire", "territory", "quartier", "commune", "ville"):
            if extra.get(col):
                territory = str(extra.pop(col))[: rules.TERRITORY_MAX]
                break
        if actor is None:
            key = rules.unique_key(rules.slugify(node) if node else rules.slugify(name), taken)
            taken.add(key)
            actor = LivemapActor(
                atelier_id=atelier.id,
                key=key,
                name=name,
                kind=rules.fold_name(str(data.get("kind") or "")).replace(" ", "_")[:40],
                territory=territory,
                extra=json.dumps(extra, ensure_ascii=False),
                status="validated",
                version=1,
            )
            s.add(actor)
            counts["actors"] += 1
        else:
            actor.kind = actor.kind or str(data.get("kind") or "")[:40]
            actor.territory = actor.territory or territory
            actor.extra = json.dumps({**extra, **actor.extra_dict}, ensure_ascii=False)
            actor.status = "validated"
            actor.version += 1
        ids[node] = actor
    s.flush()
    existing_c = {(c.actor_id, c.stage, c.text) for c in _rows(s, atelier, LivemapContribution)}
    for c in m.contributions:
        actor = ids[c["actor_id"]]
        k = (actor.id, c["stage"], str(c.get("text") or ""))
        if k in existing_c:
            continue
        existing_c.add(k)
        s.add(
            LivemapContribution(
                atelier_id=atelier.id,
                actor_id=actor.id,
                stage=c["stage"],
                text=k[2],
                status="validated",
                version=1,
            )
        )
        counts["contributions"] += 1
    existing_l = {(lk.source_id, lk.target_id, lk.kind) for lk in _rows(s, atelier, LivemapLink)}
    for u, v, data in m.graph.edges(data=True):
        k = (ids[u].id, ids[v].id, str(data.get("kind") or "partenaire")[:40])
        if k in existing_l or k[0] == k[1]:
            continue
        existing_l.add(k)
        s.add(
            LivemapLink(
                atelier_id=atelier.id,
                source_id=k[0],
                target_id=k[1],
                kind=k[2],
                evidence=str(data.get("evidence") or ""),
                status="validated",
                version=1,
            )
        )
        counts["links"] += 1
    existing_p = {(p.actor_id, p.title) for p in _rows(s, atelier, LivemapProject)}
    position = len(existing_p)
    for p in m.projects:
        actor = ids.get(p.get("actor_id"))
        k = (actor.id if actor else None, str(p.get("title") or ""))
        if k in existing_p:
            continue
        existing_p.add(k)
        position += 1
        s.add(
            LivemapProject(
                atelier_id=atelier.id,
                actor_id=k[0],
                position=position,
                title=k[1],
                description=str(p.get("description") or ""),
                results=str(p.get("results") or ""),
                obstacles=str(p.get("obstacles") or ""),
                needs=str(p.get("needs") or ""),
            )
        )
        counts["projects"] += 1
    st = get_settings(s, atelier)
    if m.source and not st.source:
        st.source = str(m.source)[:120]
    bump(s, atelier)
    return counts


def projects(s: Session, atelier: Atelier) -> list[dict]:
    """Project sheets with their holder's name."""
    names = {a.id: a.name for a in _rows(s, atelier, LivemapActor)}
    out = []
    for p in s.scalars(
        select(LivemapProject)
        .where(LivemapProject.atelier_id == atelier.id)
        .order_by(LivemapProject.position, LivemapProject.id)
    ):
        d = p.to_dict()
        d["actor"] = names.get(p.actor_id, "")
        out.append(d)
    return out
