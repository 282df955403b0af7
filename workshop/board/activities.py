"""The post-it board's activity types: a question, and a vote on its notes.

Registered from the board's ``setup`` with
``register_activity_type(ActivityType(...))`` (see ``docs/architecture.md``).
"""

from ..domain import board as board_rules
from ..domain.contracts import Choice, Int, Str
from ..domain.deroule import ActivityType, register_activity_type
from ..domain.errors import DomainError
from ..i18n import N_
from ..messages import register_messages
from .models import BoardPrompt

register_messages(
    {
        "deroule_vote_without_question": N_(
            "Un vote porte sur les post-it de la question qui le précède dans le déroulé : "
            "placez une activité « Question » avant ce vote."
        ),
    }
)


def _prompt(ctx, activity=None) -> BoardPrompt | None:
    act = activity or ctx.activity
    pid = (act.ref or {}).get("prompt_id")
    if not isinstance(pid, int):
        return None
    prompt = ctx.session.get(BoardPrompt, pid)
    if prompt is None or prompt.atelier_id != ctx.atelier.id:
        return None
    return prompt


def _broadcast(ctx) -> None:
    if ctx.events is not None:
        from .events import _emit_state

        _emit_state(ctx.events)


def _show_alone(ctx, prompt: BoardPrompt) -> None:
    """Only this prompt on the projector's wall."""
    from . import service

    for other in service.prompts(ctx.session, ctx.atelier):
        other.on_screen = other.id == prompt.id


# ---------------------------------------------------------------- question


def prepare_question(ctx):
    """Create the activity's prompt (closed until the activity starts), or
    update its text and visibility."""
    from . import service

    settings = ctx.activity.settings or {}
    text = settings.get("prompt") or ctx.activity.title
    text = board_rules.clean_prompt_text(text)
    prompt = _prompt(ctx)
    if prompt is None:
        prompt = service.create_prompt(
            ctx.session,
            ctx.atelier,
            text=text,
            visibility=settings.get("visibility", "live"),
            status="closed",
            on_screen=False,
        )
    else:
        prompt.text = text
        prompt.visibility = settings.get("visibility", prompt.visibility)
    ctx.session.flush()
    if ctx.events is not None:
        from .events import _emit_prompt

        _emit_prompt(ctx.events, prompt)
    return {"prompt_id": prompt.id}


def sync_question_text(s, atelier, prompt: BoardPrompt) -> bool:
    """A prompt's text edited on the board (✎) becomes its déroulé
    activity's question too (else the next edit of the activity would put the
    old text back); True when an activity changed."""
    from ..deroule.service import activities

    changed = False
    for act in activities(s, atelier):
        if act.type != "question" or (act.ref or {}).get("prompt_id") != prompt.id:
            continue
        if (act.settings or {}).get("prompt") != prompt.text:
            act.settings = {**(act.settings or {}), "prompt": prompt.text}
            changed = True
    return changed


def enter_question(ctx):
    """The question opens (phones can write) and is alone on the wall."""
    prompt = _prompt(ctx)
    if prompt is None:
        ctx.activity.ref = prepare_question(ctx)
        prompt = _prompt(ctx)
    if prompt.status != "open":
        prompt.status = "open"
    _show_alone(ctx, prompt)
    _broadcast(ctx)


def describe_question(ctx):
    prompt = _prompt(ctx)
    if prompt is None:
        return {"open": False}
    return {"open": prompt.status == "open", "prompt_id": prompt.id}


# ---------------------------------------------------------------- vote


def _voted(ctx) -> BoardPrompt | None:
    question = ctx.previous("question")
    return _prompt(ctx, question) if question is not None else None


def enter_vote(ctx):
    """The question before closes for writing and its vote opens."""
    prompt = _voted(ctx)
    if prompt is None:
        raise DomainError("deroule_vote_without_question")
    if prompt.status == "open":
        prompt.status = "closed"
    prompt.vote_dots = (ctx.activity.settings or {}).get("dots", prompt.vote_dots)
    prompt.vote_status = "open"
    _show_alone(ctx, prompt)
    _broadcast(ctx)


def describe_vote(ctx):
    prompt = _voted(ctx)
    if prompt is None:
        return {"open": False}
    return {"open": prompt.vote_status != "none", "prompt_id": prompt.id}


def register() -> None:
    register_activity_type(
        ActivityType(
            key="question",
            label=N_("Question (post-it)"),
            fields={
                "prompt": Str(board_rules.PROMPT_MAX_LENGTH, default=""),
                "visibility": Choice(board_rules.VISIBILITIES, default="live"),
            },
            phone_panel="board",
            scene="board",
            console_panel="board",
            main_control=".board-textarea",
            duration_min=15,
            prepare=prepare_question,
            enter=enter_question,
            describe=describe_question,
        ),
        replace=True,
    )
    register_activity_type(
        ActivityType(
            key="vote",
            label=N_("Vote sur les post-it"),
            fields={"dots": Int(1, board_rules.MAX_DOTS, default=3)},
            phone_panel="board",
            scene="board",
            console_panel="board",
            main_control=".dot-btn",
            duration_min=10,
            enter=enter_vote,
            describe=describe_vote,
        ),
        replace=True,
    )
