"""Quick poll (« sondage »): single choice, multiple choice with a maximum,
or a scale; one ballot per participant, changeable until the poll closes;
results hidden until the facilitator shows them; exports."""

from ..capabilities import Capability, exists
from ..i18n import N_
from ..messages import register_messages
from .views import bp

register_messages(
    {
        "poll_not_found": N_("Ce sondage n’existe pas (ou plus) dans cet atelier."),
        "poll_closed": N_("Ce sondage est clos : les votes ne peuvent plus changer."),
        "poll_choice_required": N_("Choisissez une réponse avant de voter."),
        "poll_choice_unknown": N_(
            "Cette réponse n’est pas proposée dans ce sondage. Rechargez la page pour voir les choix."
        ),
        "poll_too_many_choices": N_("Trop de choix : %(max)s au plus pour ce sondage."),
        "poll_value_out_of_range": N_("Choisissez une valeur entre %(min)s et %(max)s."),
        "poll_options_count": N_("Un sondage propose entre %(min)s et %(max)s réponses."),
        "poll_option_twice": N_("La réponse « %(label)s » est proposée deux fois."),
        "poll_invalid_scale": N_("L’échelle va de 1 à 5 ou de 1 à 10."),
        "poll_invalid_max_choices": N_("Le nombre de choix permis va de 1 à %(max)s."),
        "poll_has_ballots": N_(
            "Des personnes ont déjà voté : le type, les réponses et l’échelle ne peuvent plus changer."
        ),
        "poll_too_many": N_("Un atelier compte au plus %(max)s sondages."),
        "poll_export_format": N_("Format d’export inconnu : csv ou xlsx."),
    }
)


def _setup(app):
    from ..ateliers.events import SCENES
    from . import events
    from .activities import register

    register()  # its activity type in the déroulé
    SCENES.add("poll")
    app.extensions["poll_publisher"] = events.make_publisher(app)


def _demo(session, atelier):
    from .demo import load_demo

    load_demo(session, atelier)


CAPABILITY = Capability(
    name="poll",
    lazy=True,
    in_use_keys=["views"],
    in_use=exists("workshop.poll.models:Poll"),
    blueprint=bp,
    scene_label=N_("Sondage"),
    console_template="poll/console.html",
    projection_template="poll/projection.html",
    participant_template="poll/participant.html",
    scripts=["js/poll.js"],
    styles=["css/poll.css"],
    setup=_setup,
    demo=_demo,
)
