"""Post-it board: prompts, notes sent exactly once, live wall, grouping,
dot voting, moderation and exports."""

from ..capabilities import Capability, exists
from ..i18n import N_
from ..messages import register_messages
from .views import bp

register_messages(
    {
        "prompt_not_found": N_(
            "Cette question n’existe pas dans cet atelier. Rechargez la page pour voir les questions ouvertes."
        ),
        "prompt_closed": N_(
            "Cette question est fermée : elle n’accepte plus de post-it ni de modification."
        ),
        "invalid_visibility": N_(
            "Mode d’affichage inconnu : choisissez « en direct » ou « révélation »."
        ),
        "invalid_prompt_status": N_("État de question inconnu : ouverte, fermée ou archivée."),
        "too_many_prompts": N_("Un atelier compte au plus %(max)s questions."),
        "category_not_found": N_("Cette catégorie n’existe pas (ou plus) pour cette question."),
        "too_many_categories": N_("Une question compte au plus %(max)s catégories."),
        "invalid_order": N_("L’ordre des catégories doit citer chaque catégorie une fois."),
        "note_not_found": N_("Ce post-it n’existe pas (ou plus)."),
        "not_your_note": N_("Vous ne pouvez modifier ou supprimer que vos propres post-it."),
        "anonymous_not_allowed": N_(
            "Cet atelier n’accepte pas les post-it anonymes : décochez « anonyme »."
        ),
        "invalid_colour": N_("Cette couleur n’est pas proposée pour cette question."),
        "merge_invalid": N_("Fusion impossible : choisissez un autre post-it de la même question."),
        "invalid_dots": N_(
            "Le nombre de points par personne doit être compris entre 1 et %(max)s."
        ),
        "vote_not_open": N_("Le vote n’est pas ouvert sur cette question."),
        "vote_over_budget": N_(
            "Vous avez déjà utilisé vos %(max)s points : retirez-en d’un autre post-it d’abord."
        ),
        "export_format": N_("Format d’export inconnu : csv, xlsx, md, html ou pdf."),
    }
)


def _setup(app):
    from ..ateliers.events import SCENES
    from . import (
        events,  # noqa: F401  (registers the socket events)
        suggest_events,  # noqa: F401  (grouping suggestions)
    )
    from .activities import register

    register()  # its activity types in the déroulé

    SCENES.add("board")


def _demo(session, atelier):
    from .demo import load_demo

    load_demo(session, atelier)


CAPABILITY = Capability(
    name="board",
    lazy=True,
    in_use_keys=["prompts"],
    in_use=exists("workshop.board.models:BoardPrompt"),
    blueprint=bp,
    scene_label=N_("Mur de post-it"),
    console_template="board/console.html",
    projection_template="board/projection.html",
    participant_template="board/participant.html",
    scripts=["js/board.js", "js/board-suggest.js"],
    styles=["css/board.css", "css/board-suggest.css"],
    console_only=["js/board-suggest.js", "css/board-suggest.css"],
    setup=_setup,
    demo=_demo,
)
