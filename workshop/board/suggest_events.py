"""Socket.IO events of the grouping suggestions (console only; thin glue).

``board:suggest`` reads the question's notes, hands the computation to a
real thread (``concurrency.run_blocking``: under gevent, the other
connections go on being served meanwhile) and answers the suggestion to the
console that asked, and to no one else: nothing changes on the board.
``board:suggest:accept`` and ``board:suggest:undo`` change the board and
broadcast it like the other sorting events.
"""

from flask_babel import force_locale, gettext

from ..concurrency import run_blocking
from ..domain import board_suggest as srules
from ..i18n import N_, ngettext
from ..messages import message_for, register_messages
from ..realtime import event
from . import suggestions
from .events import _emit_categories, _emit_state
from .models import BoardNote

register_messages(
    {
        "suggest_too_few": N_(
            "Trop peu de post-it à regrouper : il en faut au moins %(min)s sans catégorie."
        ),
        "suggest_no_words": N_(
            "Ces post-it ne contiennent pas de mots (seulement des émojis ou de la ponctuation) : rien à regrouper."
        ),
        "suggest_no_groups": N_(
            "Aucun rapprochement évident entre ces post-it : rangez-les à la main, ou réessayez quand il y en aura davantage."
        ),
        "suggest_too_many": N_(
            "Trop de post-it pour une suggestion (%(max)s au plus) : rangez-en une partie d’abord."
        ),
        "suggest_category_gone": N_(
            "« %(title)s » n’a pas été appliqué : la catégorie choisie n’existe plus."
        ),
        "suggest_no_note_left": N_(
            "« %(title)s » n’a pas été appliqué : tous ses post-it ont changé depuis la suggestion."
        ),
        "suggest_group_refused": N_("« %(title)s » n’a pas été appliqué : %(why)s"),
    }
)

NOTICES = {
    "too_few": "suggest_too_few",
    "no_words": "suggest_no_words",
    "no_groups": "suggest_no_groups",
    "too_many": "suggest_too_many",
}


def _suggest_message(result: dict, locale: str) -> str:
    notice = result.get("notice")
    if notice in NOTICES:
        params = {"min": srules.MIN_NOTES, "max": srules.MAX_SUGGEST_NOTES}
        return message_for(NOTICES[notice], params, locale)
    with force_locale(locale):
        groups, alone = len(result["groups"]), len(result["unplaced"])
        text = ngettext(
            "%(num)d groupe suggéré : rien ne change sur le mur tant que vous ne l’acceptez pas.",
            "%(num)d groupes suggérés : rien ne change sur le mur tant que vous ne les acceptez pas.",
            groups,
        )
        if alone:
            text += " " + ngettext(
                "%(num)d post-it n’entre dans aucun groupe.",
                "%(num)d post-it n’entrent dans aucun groupe.",
                alone,
            )
        return text


def _stale_sentence(count: int) -> str:
    return ngettext(
        "%(num)d post-it a changé depuis la suggestion (modifié, supprimé ou déplacé) : il reste où il est.",
        "%(num)d post-it ont changé depuis la suggestion (modifiés, supprimés ou déplacés) : ils restent où ils sont.",
        count,
    )


def _accept_message(result: dict, locale: str) -> str:
    parts = []
    with force_locale(locale):
        for a in result["accepted"]:
            parts.append(
                ngettext(
                    "%(num)d post-it rangé dans « %(title)s ».",
                    "%(num)d post-it rangés dans « %(title)s ».",
                    len(a["note_ids"]),
                    title=a["title"],
                )
            )
        if result["stale"]:
            parts.append(_stale_sentence(len(result["stale"])))
        for r in result["refused"]:
            code = {
                "category_not_found": "suggest_category_gone",
                "no_note_left": "suggest_no_note_left",
            }.get(r["reason"])
            if code:
                parts.append(message_for(code, {"title": r["title"]}, locale))
            else:
                why = message_for(r["reason"], {"max": 60}, locale)
                parts.append(
                    message_for("suggest_group_refused", {"title": r["title"], "why": why}, locale)
                )
    return " ".join(parts)


def _undo_message(result: dict, locale: str) -> str:
    with force_locale(locale):
        text = ngettext(
            "Acceptation annulée : %(num)d post-it remis dans « Sans catégorie ».",
            "Acceptation annulée : %(num)d post-it remis dans « Sans catégorie ».",
            len(result["moved"]),
        )
        if result["stale"]:
            text += " " + _stale_sentence(len(result["stale"]))
        if result["kept_categories"]:
            text += " " + gettext(
                "Une catégorie créée a été gardée : d’autres post-it y ont été rangés depuis."
            )
        return text


def _authors(ctx, note_ids):
    if not note_ids:
        return []
    rows = ctx.session.query(BoardNote.participant_id).filter(BoardNote.id.in_(note_ids))
    return [pid for (pid,) in rows]


@event("board:suggest")
def suggest(ctx, args):
    """Sender: the console. Broadcasts nothing; the ack is the suggestion
    (groups with their notes' ``id``, ``text`` and ``basis``, the notes left
    alone, near-duplicates, ``notice`` and ``message``)."""
    data = suggestions.gather(ctx.session, ctx.atelier, args.prompt_id)
    lang = ctx.atelier.locale or "fr"
    locale = ctx.identity.locale
    ctx.session.commit()  # hand the database connection back before computing
    result = run_blocking(suggestions.compute, data, lang if lang in ("fr", "en") else "fr")
    result["prompt_id"] = data.prompt_id
    result["message"] = _suggest_message(result, locale)
    return result


@event("board:suggest:accept")
def suggest_accept(ctx, args):
    """Sender: the console. Broadcasts ``board:categories`` and ``board:state``
    (every audience, as each may see it) when something was applied; the ack
    lists what was applied, what was refused and why, and ``undo``."""
    result = suggestions.accept(ctx.session, ctx.atelier, args.prompt_id, args.groups)
    if result["accepted"]:
        _emit_categories(ctx, result["prompt_id"])
        _emit_state(ctx, _authors(ctx, result["moved"]))
    result["message"] = _accept_message(result, ctx.identity.locale)
    return result


@event("board:suggest:undo")
def suggest_undo(ctx, args):
    """Sender: the console. Broadcasts ``board:categories`` and ``board:state``;
    the ack lists the notes put back and the ones left because they changed."""
    result = suggestions.undo(ctx.session, ctx.atelier, args.prompt_id, args.categories, args.notes)
    if result["moved"] or result["deleted_categories"]:
        _emit_categories(ctx, result["prompt_id"])
        _emit_state(ctx, _authors(ctx, result["moved"]))
    result["message"] = _undo_message(result, ctx.identity.locale)
    return result
