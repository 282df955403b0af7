"""Word cloud (« nuage de mots »): a question, short answers from the phones
grouped by the French rules of ``workshop.domain.cloud``, a projected cloud
with honest sizes and a stable layout, moderation of words, exports."""

from ..capabilities import Capability, exists
from ..i18n import N_
from ..messages import register_messages
from .views import bp

register_messages(
    {
        "cloud_not_found": N_("Ce nuage de mots n’existe pas (ou plus) dans cet atelier."),
        "cloud_closed": N_(
            "Ce nuage de mots est fermé : il n’accepte plus de réponse ni de changement."
        ),
        "cloud_answer_limit": N_(
            "Vous avez déjà donné vos %(max)s réponses : changez ou retirez-en une pour en envoyer une autre."
        ),
        "cloud_too_many_words": N_("Trop de mots : %(max)s mots au plus par réponse."),
        "cloud_function_word": N_(
            "« %(word)s » seul ne compte pas dans le nuage : écrivez un mot qui a du sens pour vous."
        ),
        "cloud_answer_not_found": N_("Cette réponse n’existe pas (ou plus)."),
        "cloud_not_your_answer": N_("Vous ne pouvez changer ou retirer que vos propres réponses."),
        "cloud_word_not_found": N_("Ce mot n’est pas (ou plus) dans le nuage."),
        "cloud_merge_invalid": N_("Fusion impossible : choisissez un autre mot du même nuage."),
        "cloud_invalid_setting": N_("Ce réglage doit être compris entre %(min)s et %(max)s."),
        "cloud_too_many": N_("Un atelier compte au plus %(max)s nuages de mots."),
        "cloud_anonymous_not_allowed": N_(
            "Cet atelier n’accepte pas les réponses anonymes : les réponses seront nominatives."
        ),
        "cloud_export_format": N_("Format d’export inconnu : csv, xlsx ou png."),
    }
)


def _setup(app):
    from ..ateliers.events import SCENES
    from . import events
    from .activities import register

    register()  # its activity type in the déroulé
    SCENES.add("cloud")
    app.extensions["cloud_publisher"] = events.make_publisher(app)


def _demo(session, atelier):
    from .demo import load_demo

    load_demo(session, atelier)


CAPABILITY = Capability(
    name="cloud",
    lazy=True,
    in_use_keys=["activities"],
    in_use=exists("workshop.cloud.models:CloudActivity"),
    blueprint=bp,
    scene_label=N_("Nuage de mots"),
    console_template="cloud/console.html",
    projection_template="cloud/projection.html",
    participant_template="cloud/participant.html",
    scripts=["js/cloud.js"],
    styles=["css/cloud.css"],
    setup=_setup,
    demo=_demo,
)
