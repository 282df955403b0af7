"""Co-développement operations on the database (no Flask, no Socket.IO).

Every function takes an open session; the caller commits. Rules come from
:mod:`workshop.domain.codev`; ids sent by clients are always checked against
the atelier.
"""

import functools

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import find_once, store_once
from ..domain import codev as rules
from ..domain.contracts import UNCHANGED
from ..domain.errors import DomainError
from ..models import Atelier, Participant
from .models import CodevGroup, CodevItem, CodevMember, CodevTextWrite

# ---------------------------------------------------------------- reading


def groups(s: Session, atelier: Atelier) -> list[CodevGroup]:
    return list(
        s.scalars(
            select(CodevGroup).where(CodevGroup.atelier_id == atelier.id).order_by(CodevGroup.id)
        )
    )


def get_group(s: Session, atelier: Atelier, group_id: int, *, lock: bool = False) -> CodevGroup:
    if group_id is None:
        raise DomainError("codev_group_not_found")
    q = select(CodevGroup).where(CodevGroup.id == group_id, CodevGroup.atelier_id == atelier.id)
    if lock:
        q = q.with_for_update()
    group = s.scalar(q)
    if group is None:
        raise DomainError("codev_group_not_found")
    return group


def membership(s: Session, atelier: Atelier, participant_id) -> CodevMember | None:
    if participant_id is None:
        return None
    return s.scalar(
        select(CodevMember).where(
            CodevMember.atelier_id == atelier.id, CodevMember.participant_id == participant_id
        )
    )


def member_counts(s: Session, atelier: Atelier) -> dict[int, int]:
    rows = s.execute(
        select(CodevMember.group_id, func.count())
        .where(CodevMember.atelier_id == atelier.id)
        .group_by(CodevMember.group_id)
    )
    return dict(rows.all())


def members(s: Session, atelier: Atelier, group_id: int | None = None) -> list[dict]:
    q = (
        select(CodevMember, Participant.display_name)
        .join(Participant, Participant.id == CodevMember.participant_id)
        .where(CodevMember.atelier_id == atelier.id, Participant.removed.is_(False))
        .order_by(CodevMember.id)
    )
    if group_id is not None:
        q = q.where(CodevMember.group_id == group_id)
    return [member_dict(m, name) for m, name in s.execute(q).all()]


def items(s: Session, atelier: Atelier, group_id: int | None = None) -> list[CodevItem]:
    q = select(CodevItem).where(CodevItem.atelier_id == atelier.id).order_by(CodevItem.id)
    if group_id is not None:
        q = q.where(CodevItem.group_id == group_id)
    return list(s.scalars(q))


def member_dict(m: CodevMember, name: str | None) -> dict:
    return {
        "group_id": m.group_id,
        "participant_id": m.participant_id,
        "name": name,
        "role": m.role,
    }


def timer_dict(g: CodevGroup) -> dict:
    return {
        "group_id": g.id,
        "status": g.status,
        "step_index": g.step_index,
        "deadline_ms": g.deadline_ms,
        "remaining_ms": g.remaining_ms,
        "step_duration_ms": g.step_duration_ms,
        "version": g.timer_version,
    }


def group_dict(g: CodevGroup, member_count: int = 0) -> dict:
    return {
        "id": g.id,
        "name": g.name,
        "room": g.room,
        "colour": g.colour,
        "colour_hex": rules.COLOURS.get(g.colour, "#6e7781"),
        "template": g.template,
        "durations_ms": list(g.durations_ms),
        "max_members": g.max_members,
        "closed": g.closed,
        "projected": g.projected,
        "member_count": member_count,
        "timer": timer_dict(g),
    }


def item_dict(i: CodevItem, names: dict | None = None) -> dict:
    return {
        "id": i.id,
        "group_id": i.group_id,
        "kind": i.kind,
        "text": i.text,
        "answer": i.answer,
        "retained": i.retained,
        "step_index": i.step_index,
        "participant_id": i.participant_id,
        "author": (names or {}).get(i.participant_id),
        "client_id": i.client_id,
    }


def texts_dict(g: CodevGroup) -> dict:
    return {"subject": g.subject, "contract": g.contract, "action_plan": g.action_plan}


def _names(s: Session, atelier: Atelier) -> dict:
    rows = s.execute(
        select(Participant.id, Participant.display_name).where(Participant.atelier_id == atelier.id)
    )
    return dict(rows.all())


def group_detail(
    s: Session,
    atelier: Atelier,
    g: CodevGroup,
    *,
    notes: bool = True,
    names: dict | None = None,
    mem: list[dict] | None = None,
    group_items: list | None = None,
) -> dict:
    """What a group's members see of it: members, texts and items (without
    the secretary's notes when ``notes`` is false). ``names``, ``mem`` and
    ``group_items`` may be given when read already for several groups."""
    if names is None:
        names = _names(s, atelier)
    if group_items is None:
        group_items = items(s, atelier, g.id)
    if mem is None:
        mem = members(s, atelier, g.id)
    return {
        "group_id": g.id,
        "members": mem,
        "warning": size_warning(mem),
        "texts": texts_dict(g),
        "items": [item_dict(i, names) for i in group_items if notes or i.kind != "note"],
    }


def codev_view(s: Session, atelier: Atelier, role: str, participant_id: int | None = None) -> dict:
    """The codev part of a snapshot as one audience sees it (the templates,
    translated, are added by the caller): every group; the details of the
    viewer's own group for a phone, of every group for a console, and of
    every group without the secretary's notes for a projector."""
    all_groups = groups(s, atelier)
    counts = member_counts(s, atelier)
    part = {
        "colours": rules.COLOURS,
        "limits": rules.TEXT_MAX,
        "advised": [rules.GROUP_MIN_ADVISED, rules.GROUP_MAX_ADVISED],
        "groups": [group_dict(g, counts.get(g.id, 0)) for g in all_groups],
        "projected": next((g.id for g in all_groups if g.projected), None),
        "details": {},
    }
    if role == "participant":
        m = membership(s, atelier, participant_id)
        part["me"] = {"group_id": m.group_id if m else None, "role": m.role if m else None}
        if m is not None:
            g = next(g for g in all_groups if g.id == m.group_id)
            part["details"][str(g.id)] = group_detail(s, atelier, g)
        return part
    names = _names(s, atelier)
    mem_by_group: dict = {}
    for m in members(s, atelier):
        mem_by_group.setdefault(m["group_id"], []).append(m)
    items_by_group: dict = {}
    for i in items(s, atelier):
        items_by_group.setdefault(i.group_id, []).append(i)
    for g in all_groups:
        part["details"][str(g.id)] = group_detail(
            s,
            atelier,
            g,
            notes=role != "projector",
            names=names,
            mem=mem_by_group.get(g.id, []),
            group_items=items_by_group.get(g.id, []),
        )
    return part


def members_view(s: Session, atelier: Atelier, group_id: int) -> dict:
    """``codev:members``: a group's members and the size warning."""
    mem = members(s, atelier, group_id)
    return {"group_id": group_id, "members": mem, "warning": size_warning(mem)}


def size_warning(mem: list[dict]) -> str | None:
    return rules.size_warning(sum(1 for m in mem if m["role"] == "contributeur"))


# ---------------------------------------------------------------- groups


def create_group(
    s: Session,
    atelier: Atelier,
    *,
    name: str,
    room: str | None = None,
    colour: str | None = None,
    template: str | None = None,
    max_members: int | None = None,
) -> CodevGroup:
    """Create a group; ``None`` takes the default (colour ``bleu``, template
    ``cinq_etapes``, 12 members at most)."""
    data = {"name": name, "room": room, "colour": colour, "template": template}
    if max_members is not None:
        data["max_members"] = max_members
    fields = rules.clean_group_fields(data)
    template = rules.get_template(fields["template"])
    g = CodevGroup(
        atelier_id=atelier.id,
        durations_ms=template.default_durations_ms(),
        closed=False,
        projected=False,
        status="setup",
        step_index=0,
        timer_version=0,
        **fields,
    )
    s.add(g)
    s.flush()
    return g


def update_group(
    s: Session,
    atelier: Atelier,
    group_id: int,
    *,
    name=UNCHANGED,
    room=UNCHANGED,
    colour=UNCHANGED,
    template=UNCHANGED,
    max_members=UNCHANGED,
    closed=UNCHANGED,
    durations=UNCHANGED,
) -> CodevGroup:
    """Edit a group (a field left ``UNCHANGED`` is not touched); the template
    and the durations (minutes) only before the start."""
    g = get_group(s, atelier, group_id, lock=True)
    given = {"name": name, "room": room, "colour": colour, "template": template}
    given["max_members"] = max_members
    data = {k: v for k, v in given.items() if v is not UNCHANGED}
    fields = rules.clean_group_fields(data, partial=True)
    if "template" in fields and fields["template"] != g.template:
        if g.status != "setup":
            raise DomainError("codev_already_started")
        g.durations_ms = rules.get_template(fields["template"]).default_durations_ms()
    if durations is not UNCHANGED:
        if g.status != "setup":
            raise DomainError("codev_already_started")
        template_key = fields.get("template", g.template)
        g.durations_ms = rules.clean_durations(template_key, durations)
    if closed is not UNCHANGED:
        g.closed = closed
    for key, value in fields.items():
        setattr(g, key, value)
    return g


def delete_group(s: Session, atelier: Atelier, group_id: int) -> CodevGroup:
    g = get_group(s, atelier, group_id)
    s.delete(g)
    return g


def set_projection(s: Session, atelier: Atelier, group_id: int | None) -> int | None:
    """Show one group on the projector, or the overview (``None``)."""
    target = None if group_id is None else get_group(s, atelier, group_id)
    for g in groups(s, atelier):
        g.projected = target is not None and g.id == target.id
    return target.id if target else None


# ---------------------------------------------------------------- members and roles


def _participant(s: Session, atelier: Atelier, participant_id: int | None) -> Participant:
    p = s.get(Participant, participant_id) if participant_id is not None else None
    if p is None or p.atelier_id != atelier.id or p.removed:
        raise DomainError("participant_not_found")
    return p


def join(s: Session, atelier: Atelier, group_id, participant_id) -> tuple[CodevMember, int | None]:
    """Put a participant in a group (moving them if they were in another one
    that has not started). Returns the member and the group they left."""
    p = _participant(s, atelier, participant_id)
    g = get_group(s, atelier, group_id, lock=True)
    current = membership(s, atelier, p.id)
    if current is not None and current.group_id == g.id:
        return current, None
    count = s.scalar(select(func.count()).where(CodevMember.group_id == g.id)) or 0
    rules.check_join(status=g.status, closed=g.closed, members=count, max_members=g.max_members)
    left = None
    if current is not None:
        old = get_group(s, atelier, current.group_id, lock=True)
        if old.status != "setup":
            raise DomainError("codev_already_in_group")
        left = old.id
        current.group_id = g.id
        current.role = "contributeur"
        s.flush()
        return current, left
    m = CodevMember(atelier_id=atelier.id, group_id=g.id, participant_id=p.id, role="contributeur")
    try:
        with s.begin_nested():
            s.add(m)
    except IntegrityError:
        raise DomainError("codev_already_in_group") from None
    return m, left


def leave(s: Session, atelier: Atelier, participant_id) -> int:
    p = _participant(s, atelier, participant_id)
    m = membership(s, atelier, p.id)
    if m is None:
        raise DomainError("codev_not_member")
    g = get_group(s, atelier, m.group_id, lock=True)
    if g.status != "setup":
        raise DomainError("codev_roles_locked")
    s.delete(m)
    return g.id


def set_role(
    s: Session, atelier: Atelier, target_pid, role, *, actor_pid: int | None = None
) -> CodevMember:
    """Change a member's role before the start.

    ``actor_pid`` is ``None`` for the facilitator; a participant may change
    their own role, and the group's animateur anyone's in the group.
    """
    target = _participant(s, atelier, target_pid)
    m = membership(s, atelier, target.id)
    if m is None:
        raise DomainError("codev_not_member")
    if actor_pid is not None and actor_pid != target.id:
        actor = membership(s, atelier, actor_pid)
        if actor is None or actor.group_id != m.group_id:
            raise DomainError("codev_not_in_group")
        if actor.role != "animateur":
            raise DomainError("codev_role_by_animateur")
    g = get_group(s, atelier, m.group_id, lock=True)
    taken = {}
    for other in s.scalars(select(CodevMember).where(CodevMember.group_id == g.id)):
        if other.role in rules.SINGLE_ROLES:
            taken[other.role] = other.id
    m.role = rules.check_role_change(
        status=g.status, new_role=role, roles_taken=taken, member_id=m.id
    )
    return m


# ---------------------------------------------------------------- timer


@functools.cache
def _actor_group_query():
    # Built once: building a statement and its cache key costs more than
    # running it (see _check_still_allowed in realtime).
    return (
        select(CodevMember.group_id, CodevMember.role, CodevGroup)
        .join(CodevGroup, CodevGroup.id == CodevMember.group_id)
        .where(
            CodevMember.atelier_id == bindparam("aid"),
            CodevMember.participant_id == bindparam("pid"),
            CodevGroup.atelier_id == bindparam("aid"),
        )
        .with_for_update(of=CodevGroup)
    )


def _actor_group(s: Session, atelier: Atelier, actor_pid, group_id) -> tuple[CodevGroup, str]:
    """The group a participant acts in, and their role (checks ``group_id``).

    One query for the membership and the group (locked for update, as
    :func:`get_group` does): every action of a member starts here, and under
    SQLite the actions of all groups wait for one another.
    """
    if actor_pid is None:
        raise DomainError("codev_not_member")
    row = s.execute(_actor_group_query(), {"aid": atelier.id, "pid": actor_pid}).first()
    if row is None:
        raise DomainError("codev_not_member")
    member_gid, role, group = row
    if group_id is not None and group_id != member_gid:
        raise DomainError("codev_not_in_group")
    return group, role


def control_timer(
    s: Session,
    atelier: Atelier,
    now: int,
    *,
    action: str,
    minutes: int | None = None,
    group_id: int | None = None,
    actor_pid: int | None = None,
) -> tuple[CodevGroup, str]:
    """Start, pause, resume, extend (``minutes``), next, prev (the animateur
    or the facilitator, ``actor_pid`` None).

    Returns the group and its status before the change."""
    if action not in rules.TIMER_ACTIONS:
        raise DomainError("invalid_payload")
    if actor_pid is None:
        g = get_group(s, atelier, group_id, lock=True)
    else:
        g, role = _actor_group(s, atelier, actor_pid, group_id)
        if role != "animateur":
            raise DomainError("codev_not_animateur")
    if action == "start":
        rules.check_can_start(
            [m.role for m in s.scalars(select(CodevMember).where(CodevMember.group_id == g.id))]
        )
    timer = rules.Timer(
        durations_ms=tuple(g.durations_ms),
        status=g.status,
        step_index=g.step_index,
        deadline_ms=g.deadline_ms,
        remaining_ms=g.remaining_ms,
        step_duration_ms=g.step_duration_ms,
    ).apply(action, now, minutes)
    status_before = g.status
    g.status = timer.status
    g.step_index = timer.step_index
    g.deadline_ms = timer.deadline_ms
    g.remaining_ms = timer.remaining_ms
    g.step_duration_ms = timer.step_duration_ms
    g.timer_version = (g.timer_version or 0) + 1
    return g, status_before


# ---------------------------------------------------------------- writing


def find_by_client_id(s: Session, atelier: Atelier, client_id: str, actor_pid: int):
    """The item stored with this client id (by this participant), or None."""
    return find_once(s, CodevItem.__table__, atelier.id, client_id, {"participant_id": actor_pid})


def write(
    s: Session,
    atelier: Atelier,
    actor_pid: int,
    *,
    kind: str,
    text: str,
    client_id: str,
    group_id: int | None = None,
) -> tuple[CodevGroup, str, object, bool]:
    """A member writes: ``kind`` in subject, contract, action_plan (texts of the
    group) or question, proposal, note, learning (new items).

    Returns ``(group, kind, stored, created)``; ``stored`` is the item (a
    row read like a ``CodevItem``) or the group's texts. A repeated
    ``client_id`` returns the stored item, or the group's current texts,
    unchanged: a text write resent after a newer one is not applied again.
    """
    if kind not in rules.GROUP_TEXT_ACTIONS + rules.ITEM_ACTIONS:
        raise DomainError("invalid_payload")
    author = {"participant_id": actor_pid}
    existing = find_by_client_id(s, atelier, client_id, actor_pid)
    if existing is not None:
        return get_group(s, atelier, existing.group_id), existing.kind, existing, False
    if kind in rules.GROUP_TEXT_ACTIONS:
        written = find_once(s, CodevTextWrite.__table__, atelier.id, client_id, author)
        if written is not None:
            g = get_group(s, atelier, written.group_id)
            return g, written.kind, texts_dict(g), False
    g, role = _actor_group(s, atelier, actor_pid, group_id)
    text = rules.clean_item_text(kind, text)
    rules.check_write(g.template, g.status, g.step_index, role, kind)
    if kind in rules.GROUP_TEXT_ACTIONS:
        values = {
            "atelier_id": atelier.id,
            "group_id": g.id,
            "participant_id": actor_pid,
            "kind": kind,
            "client_id": client_id,
        }
        _row, created = store_once(s, CodevTextWrite.__table__, values, author)
        if created:
            setattr(g, kind, text)
        return g, kind, texts_dict(g), created
    # One statement, no savepoint: every question and proposal of a session
    # comes through here, 40 groups at once (docs/PERFORMANCE.md).
    values = {
        "atelier_id": atelier.id,
        "group_id": g.id,
        "participant_id": actor_pid,
        "kind": kind,
        "text": text,
        "retained": False,
        "step_index": g.step_index,
        "client_id": client_id,
    }
    # One statement, no savepoint (a racing copy gets the first one).
    row, created = store_once(s, CodevItem.__table__, values, author)
    return g, kind, row, created


def _own_item(
    s: Session, atelier: Atelier, actor_pid: int, item_id: int, group_id: int | None, kind: str
):
    item = s.get(CodevItem, item_id) if item_id is not None else None
    if item is None or item.atelier_id != atelier.id or item.kind != kind:
        raise DomainError("codev_item_not_found")
    g, role = _actor_group(s, atelier, actor_pid, group_id)
    if item.group_id != g.id:
        raise DomainError("codev_not_in_group")
    return g, role, item


def answer(
    s: Session,
    atelier: Atelier,
    actor_pid: int,
    *,
    item_id: int,
    text: str,
    group_id: int | None = None,
    client_id: str | None = None,
):
    """The porteur answers a question (or rewrites the answer: resending it
    is harmless, ``client_id`` is only the outbox's)."""
    g, role, item = _own_item(s, atelier, actor_pid, item_id, group_id, "question")
    text = rules.clean_item_text("answer", text)
    rules.check_write(g.template, g.status, g.step_index, role, "answer")
    item.answer = text
    return g, item


def retain(
    s: Session,
    atelier: Atelier,
    actor_pid: int,
    *,
    item_id: int,
    retained: bool = True,
    group_id: int | None = None,
    client_id: str | None = None,
):
    """The porteur marks a proposal as retained (or not; an absolute value:
    resending it is harmless)."""
    g, role, item = _own_item(s, atelier, actor_pid, item_id, group_id, "proposal")
    rules.check_write(g.template, g.status, g.step_index, role, "retain")
    item.retained = retained
    return g, item


def erase(
    s: Session,
    atelier: Atelier,
    actor_pid: int,
    *,
    kind: str,
    item_id: int | None = None,
    group_id: int | None = None,
):
    """Erase a text of the group (``kind``: subject, contract, action_plan)
    or the answer to a question (``kind``: answer, with ``item_id``), at any
    moment, by whoever has the role that writes it.

    Returns ``(group, kind, item or None)``.
    """
    if kind not in rules.ERASABLE:
        raise DomainError("invalid_payload")
    if kind == "answer":
        g, role, item = _own_item(s, atelier, actor_pid, item_id, group_id, "question")
        rules.check_erase(g.template, role, kind)
        item.answer = None
        return g, kind, item
    g, role = _actor_group(s, atelier, actor_pid, group_id)
    rules.check_erase(g.template, role, kind)
    setattr(g, kind, None)
    return g, kind, None


def delete_own_item(s: Session, atelier: Atelier, actor_pid: int, item_id: int) -> CodevItem:
    """The author deletes their own question, proposal, note or learning, at
    any time (personal data: one can always take back what one wrote)."""
    item = s.get(CodevItem, item_id)
    if item is None or item.atelier_id != atelier.id:
        raise DomainError("codev_item_not_found")
    if item.participant_id != actor_pid:
        raise DomainError("codev_not_your_item")
    s.delete(item)
    return item


# ---------------------------------------------------------------- summary


def summary(s: Session, atelier: Atelier, g: CodevGroup) -> dict:
    """What the porteur takes home."""
    names = _names(s, atelier)
    # an anonymous member's name stays None: the document names them
    # « Anonyme #14 » in its own language (codev.summary.member_name)
    mem = members(s, atelier, g.id)
    all_items = items(s, atelier, g.id)
    proposals = [i for i in all_items if i.kind == "proposal"]
    proposals.sort(key=lambda i: (not i.retained, i.id))
    template = rules.get_template(g.template)
    return {
        "atelier": atelier.title,
        "date": atelier.date.isoformat() if atelier.date else None,
        "group": g.name,
        "room": g.room,
        "template": template.name,
        "porteur": next((m["name"] for m in mem if m["role"] == "porteur"), None),
        "members": mem,
        "subject": g.subject,
        "contract": g.contract,
        "questions": [
            {"text": i.text, "answer": i.answer, "author": names.get(i.participant_id)}
            for i in all_items
            if i.kind == "question"
        ],
        "proposals": [
            {"text": i.text, "retained": i.retained, "author": names.get(i.participant_id)}
            for i in proposals
        ],
        "action_plan": g.action_plan,
        "learnings": [
            {"text": i.text, "author": names.get(i.participant_id)}
            for i in all_items
            if i.kind == "learning"
        ],
        "notes": [i.text for i in all_items if i.kind == "note"],
    }
