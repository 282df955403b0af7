"""Socket.IO events of the post-it board (thin: validation is in the service
and the domain rules).

Broadcasts go per audience: the facilitator room gets every note in full; the
projector and participant rooms get only public notes (``board:note`` /
``board:note:gone``); the author gets their own note on all their devices
(``board:note:mine``). Changes that alter the visibility of many notes at
once send ``board:state`` (the whole board as each audience may see it).
"""

from ..domain import board as rules
from ..realtime import event, register_snapshot_part
from . import service
from .activities import sync_question_text
from .models import (
    BoardPrompt,
    note_full,
    note_own,
    note_public,
    note_rules,
    prompt_columns,
)

PUBLIC = ("projector", "participant")


def _snapshot_part(s, atelier, identity):
    return service.board_snapshot(s, atelier, identity.role, identity.participant_id)


register_snapshot_part("board", _snapshot_part)


def _participant(ctx):
    return ctx.participant if ctx.identity.role == "participant" else None


def _is_public(note, prompt) -> bool:
    return rules.note_is_public(note_rules(note), prompt.rules_dict())


def _emit_note(ctx, note, prompt, was_public: bool, count: int | None = None):
    """``note``: a ``BoardNote`` or a row of its columns."""
    if count is None:
        count = service.merged_count(ctx.session, note)
    ctx.emit("board:note", note_full(note, count), "facilitator")
    if _is_public(note, prompt):
        data = note_public(note, count)
        for audience in PUBLIC:
            ctx.emit("board:note", data, audience)
    elif was_public:
        for audience in PUBLIC:
            ctx.emit("board:note:gone", {"id": note.id}, audience)
    if note.participant_id is not None:
        ctx.emit_to_participant(note.participant_id, "board:note:mine", note_own(note, count))


def _emit_state(ctx, author_ids=()):
    """The whole board to every audience, as each may see it."""
    s, atelier = ctx.session, ctx.atelier
    s.flush()
    ctx.emit("board:state", service.board_view(s, atelier, "facilitator"), "facilitator")
    public = service.board_view(s, atelier, "projector")
    for audience in PUBLIC:
        ctx.emit("board:state", public, audience)
    for pid in sorted({p for p in author_ids if p is not None}):
        view = service.board_view(s, atelier, "participant", pid)
        ctx.emit_to_participant(
            pid, "board:mine", {"mine": view["mine"], "my_votes": view["my_votes"]}
        )


def _emit_prompt(ctx, prompt):
    s, atelier = ctx.session, ctx.atelier
    vote_totals = service.totals(s, atelier, prompt.id)
    ids = set(vote_totals)
    ctx.emit(
        "board:prompt", service.prompt_view(prompt, vote_totals, ids, full=True), "facilitator"
    )
    public = service.prompt_view(prompt, vote_totals, ids, full=False)
    for audience in PUBLIC:
        ctx.emit("board:prompt", public, audience)


def _emit_categories(ctx, prompt_id: int):
    data = {
        "prompt_id": prompt_id,
        "categories": [
            c.to_dict() for c in service.categories(ctx.session, ctx.atelier, prompt_id)
        ],
    }
    ctx.emit("board:categories", data, "all")
    return data


# ---------------------------------------------------------------- prompts


@event("board:prompt:create")
def prompt_create(ctx, args):
    """Add a prompt (question) to the atelier. Sender: a console; broadcasts
    ``board:prompt`` (full to the consoles, public to the others)."""
    prompt = service.create_prompt(ctx.session, ctx.atelier, **args)
    _emit_prompt(ctx, prompt)
    return prompt.to_dict()


@event("board:prompt:update")
def prompt_update(ctx, args):
    """Edit a prompt: text, colours, status, visibility, reveal, approval, on
    screen. Sender: a console; broadcasts ``board:state`` when who sees which
    note changes, else ``board:prompt``; a new text also goes to the
    prompt's déroulé activity (``deroule:state``)."""
    prompt, changed, others = service.update_prompt(ctx.session, ctx.atelier, **args)
    if changed & service.VISIBILITY_FIELDS:
        _emit_state(ctx)
    elif changed:
        _emit_prompt(ctx, prompt)
    if "text" in changed and sync_question_text(ctx.session, ctx.atelier, prompt):
        from ..deroule.events import emit_state as emit_deroule

        emit_deroule(ctx)
    return {"prompt": prompt.to_dict(), "closed": [p.id for p in others]}


# ---------------------------------------------------------------- notes


@event("board:note:create")
def note_create(ctx, args):
    """Post a note (exactly once per ``client_id``). Sender: a phone or a
    console; broadcasts ``board:note`` (and ``board:note:mine`` to the
    author) only when the note is new."""
    participant = _participant(ctx)
    # Only read on this path, which every note takes: its columns, no ORM object.
    prompt = prompt_columns(ctx.session, args.prompt_id)
    note, created = service.create_note(
        ctx.session, ctx.atelier, participant, prompt=prompt, **args
    )
    count = service.merged_count(ctx.session, note) if not created else 0
    if created:
        if prompt is None or prompt.id != note.prompt_id:
            prompt = ctx.session.get(BoardPrompt, note.prompt_id)
        _emit_note(ctx, note, prompt, was_public=False, count=0)
    data = note_full(note, count) if ctx.is_facilitator else note_own(note, count)
    return {**data, "created": created}


@event("board:note:update")
def note_update(ctx, args):
    """Edit one's own note while the prompt is open (the facilitator: any
    note). Sender: a phone or a console; broadcasts like a new note. The ack
    is the note as its sender sees it, with its real ``merged_count``."""
    participant = _participant(ctx)
    note = service.get_note(ctx.session, ctx.atelier, args.note_id)
    prompt = ctx.session.get(BoardPrompt, note.prompt_id)
    was_public = _is_public(note, prompt)
    note = service.update_note(ctx.session, ctx.atelier, participant, **args)
    count = service.merged_count(ctx.session, note)
    _emit_note(ctx, note, prompt, was_public, count)
    return note.full_dict(count) if ctx.is_facilitator else note.own_dict(count)


@event("board:note:delete")
def note_delete(ctx, args):
    """Delete one's own note while the prompt is open (the facilitator: any
    note). Sender: a phone or a console; broadcasts ``board:note:gone`` (or
    ``board:state`` when duplicates come back) and ``board:note:mine:gone``."""
    participant = _participant(ctx)
    info, freed = service.delete_note(ctx.session, ctx.atelier, participant, args.note_id)
    if freed:
        _emit_state(ctx, [n.participant_id for n in freed] + [info["participant_id"]])
    else:
        prompt = ctx.session.get(BoardPrompt, info["prompt_id"])
        gone = {"id": info["id"]}
        ctx.emit("board:note:gone", gone, "facilitator")
        if rules.note_is_public(info, prompt.rules_dict()):
            for audience in PUBLIC:
                ctx.emit("board:note:gone", gone, audience)
    if info["participant_id"] is not None:
        ctx.emit_to_participant(info["participant_id"], "board:note:mine:gone", {"id": info["id"]})
    return {"id": info["id"]}


@event("board:note:moderate")
def note_moderate(ctx, args):
    """Hide, restore, approve or reject a note. Sender: a console; broadcasts
    ``board:note`` or ``board:note:gone``, and ``board:note:mine``."""
    note = service.get_note(ctx.session, ctx.atelier, args.note_id)
    prompt = ctx.session.get(BoardPrompt, note.prompt_id)
    was_public = _is_public(note, prompt)
    note = service.moderate_note(ctx.session, ctx.atelier, args.note_id, args.action)
    count = service.merged_count(ctx.session, note)
    _emit_note(ctx, note, prompt, was_public, count)
    return note.full_dict(count)


@event("board:note:move")
def note_move(ctx, args):
    """Put a note in a category (``category_id`` null: uncategorised).
    Sender: a console; broadcasts ``board:note``."""
    note = service.move_note(ctx.session, ctx.atelier, args.note_id, args.category_id)
    prompt = ctx.session.get(BoardPrompt, note.prompt_id)
    ctx.session.flush()
    count = service.merged_count(ctx.session, note)
    _emit_note(ctx, note, prompt, _is_public(note, prompt), count)
    return note.full_dict(count)


@event("board:note:merge")
def note_merge(ctx, args):
    """Merge a duplicate note into another (``into_id`` null: unmerge).
    Sender: a console; broadcasts ``board:state``."""
    note, target = service.merge_note(ctx.session, ctx.atelier, args.note_id, args.into_id)
    _emit_state(ctx, [note.participant_id, target.participant_id if target else None])
    return note.full_dict(service.merged_count(ctx.session, note))


# ---------------------------------------------------------------- categories


@event("board:category:create")
def category_create(ctx, args):
    """Add a category to a prompt. Sender: a console; broadcasts ``board:categories``."""
    cat = service.create_category(ctx.session, ctx.atelier, args.prompt_id, args.title)
    _emit_categories(ctx, cat.prompt_id)
    return cat.to_dict()


@event("board:category:update")
def category_update(ctx, args):
    """Rename a category. Sender: a console; broadcasts ``board:categories``."""
    cat = service.rename_category(ctx.session, ctx.atelier, args.category_id, args.title)
    _emit_categories(ctx, cat.prompt_id)
    return cat.to_dict()


@event("board:category:delete")
def category_delete(ctx, args):
    """Delete a category; its notes become uncategorised. Sender: a console;
    broadcasts ``board:categories`` and ``board:note`` for each note moved."""
    prompt_id, moved = service.delete_category(ctx.session, ctx.atelier, args.category_id)
    data = _emit_categories(ctx, prompt_id)
    prompt = ctx.session.get(BoardPrompt, prompt_id)
    for note in moved:
        _emit_note(ctx, note, prompt, _is_public(note, prompt))
    return data


@event("board:category:reorder")
def category_reorder(ctx, args):
    """Reorder the categories of a prompt (``order``: every category id).
    Sender: a console; broadcasts ``board:categories``."""
    prompt_id = service.reorder_categories(ctx.session, ctx.atelier, args.prompt_id, args.order)
    ctx.session.flush()
    return _emit_categories(ctx, prompt_id)


# ---------------------------------------------------------------- votes


@event("board:vote:open")
def vote_open(ctx, args):
    """Open a dot vote on a prompt with ``dots`` per participant. Sender: a
    console; broadcasts ``board:prompt``."""
    prompt = service.open_vote(ctx.session, ctx.atelier, args.prompt_id, args.dots)
    _emit_prompt(ctx, prompt)
    return prompt.to_dict()


@event("board:vote:close")
def vote_close(ctx, args):
    """Close the vote: the ranked results go to every screen. Sender: a
    console; broadcasts ``board:prompt``."""
    prompt = service.close_vote(ctx.session, ctx.atelier, args.prompt_id)
    _emit_prompt(ctx, prompt)
    totals = service.totals(ctx.session, ctx.atelier, prompt.id)
    return service.prompt_view(prompt, totals, set(totals), full=True)


@event("board:vote:cast")
def vote_cast(ctx, args):
    """Put ``dots`` of one's dots on a note (an absolute number: resending is
    harmless). Sender: a phone; sends ``board:votes:mine`` to the voter's
    devices and the prompt's totals to the consoles."""
    note = service.cast_vote(ctx.session, ctx.atelier, ctx.participant, args.note_id, args.dots)
    pid = ctx.identity.participant_id
    mine = service.my_votes(ctx.session, ctx.atelier, pid, note.prompt_id)
    data = {"prompt_id": note.prompt_id, "votes": mine.get(str(note.prompt_id), {})}
    ctx.emit_to_participant(pid, "board:votes:mine", data)
    prompt = ctx.session.get(BoardPrompt, note.prompt_id)
    totals = service.totals(ctx.session, ctx.atelier, prompt.id)
    ctx.emit(
        "board:prompt", service.prompt_view(prompt, totals, set(totals), full=True), "facilitator"
    )
    return data
