"""Co-développement: groups, roles, method templates, enforced steps, timers."""

from ..capabilities import Capability, exists
from ..i18n import N_
from ..messages import register_messages
from .views import bp

register_messages(
    {
        "codev_invalid_template": N_("Ce modèle de co-développement n’existe pas."),
        "codev_invalid_colour": N_("Choisissez une couleur dans la liste proposée."),
        "codev_invalid_max": N_(
            "La taille maximale d’un groupe doit être comprise entre %(min)s et %(max)s."
        ),
        "codev_invalid_durations": N_(
            "Indiquez une durée par étape, entre %(min)s et %(max)s minutes."
        ),
        "codev_invalid_role": N_(
            "Rôle inconnu : choisissez porteur ou porteuse, contributeur ou contributrice, animateur ou animatrice, ou secrétaire."
        ),
        "codev_invalid_extend": N_("On peut prolonger une étape de 1 ou de 5 minutes."),
        "codev_group_not_found": N_("Ce groupe de co-développement n’existe pas (ou plus)."),
        "codev_item_not_found": N_("Cette contribution n’existe pas dans votre groupe."),
        "codev_not_your_item": N_("Vous ne pouvez supprimer que vos propres contributions."),
        "codev_group_full": N_(
            "Ce groupe est complet (%(max)s personnes au plus) : choisissez-en un autre."
        ),
        "codev_group_closed": N_(
            "Ce groupe est fermé : la séance a commencé ou l’animation l’a clos. Choisissez "
            "un autre groupe."
        ),
        "codev_already_in_group": N_(
            "Vous êtes déjà dans un groupe dont la séance a commencé : on ne change plus de groupe."
        ),
        "codev_not_member": N_("Rejoignez d’abord un groupe de co-développement."),
        "codev_not_in_group": N_(
            "Vous ne pouvez agir que dans votre propre groupe de co-développement."
        ),
        "codev_porteur_taken": N_(
            "Quelqu’un porte déjà un sujet dans ce groupe : un seul sujet par groupe. "
            "Choisissez le rôle de contributeur ou contributrice."
        ),
        "codev_animateur_taken": N_("Ce groupe a déjà un animateur ou une animatrice."),
        "codev_secretaire_taken": N_("Ce groupe a déjà un ou une secrétaire."),
        "codev_roles_locked": N_(
            "La séance a commencé : les rôles et les groupes ne changent plus."
        ),
        "codev_role_by_animateur": N_(
            "Seule la personne qui anime le groupe (ou l’animation de l’atelier) peut "
            "changer le rôle d’une autre personne."
        ),
        "codev_not_animateur": N_(
            "Seule la personne qui anime le groupe (ou l’animation de l’atelier) gère le "
            "temps et passe d’une étape à l’autre."
        ),
        "codev_no_porteur": N_(
            "Il faut une personne qui porte le sujet dans le groupe pour commencer la séance."
        ),
        "codev_no_contributor": N_(
            "Il faut au moins un contributeur ou une contributrice dans le groupe pour commencer la séance."
        ),
        "codev_no_role": N_("Vous n’avez pas de rôle dans ce groupe."),
        "codev_not_started": N_(
            "La séance n’a pas encore commencé : attendez que l’animation lance la première étape."
        ),
        "codev_already_started": N_("La séance a déjà commencé."),
        "codev_not_running": N_("La séance n’est pas en cours."),
        "codev_already_paused": N_("Le minuteur est déjà en pause."),
        "codev_not_paused": N_("Le minuteur n’est pas en pause."),
        "codev_first_step": N_("C’est déjà la première étape."),
        "codev_finished": N_("La séance est terminée."),
        "codev_porteur_listens": N_(
            "Étape « %(step)s » : la personne qui porte le sujet écoute attentivement et ne "
            "répond pas ; seuls les contributeurs et contributrices font des propositions. "
            "Vous réagirez à l’étape suivante."
        ),
        "codev_only_porteur": N_(
            "Étape « %(step)s » : seule la personne qui porte le sujet peut faire cela."
        ),
        "codev_only_contributors": N_(
            "Étape « %(step)s » : seuls les contributeurs et contributrices peuvent faire cela."
        ),
        "codev_only_secretary": N_(
            "Étape « %(step)s » : seul le secrétariat du groupe prend des notes."
        ),
        "codev_not_this_step": N_("Ce n’est pas prévu à l’étape « %(step)s » de la méthode."),
        "codev_not_your_text": N_(
            "Seule la personne qui a le rôle d’écrire ce texte dans la méthode peut l’effacer."
        ),
        "codev_summary_porteur": N_(
            "La synthèse se télécharge depuis le téléphone de la personne qui porte le sujet ou du secrétariat."
        ),
    }
)


def _setup(app):
    from ..ateliers.events import SCENES
    from . import events  # noqa: F401  (registers the socket events)
    from .activities import register

    register()  # its activity types in the déroulé

    SCENES.add("codev")


def _demo(session, atelier):
    from .demo import load_demo

    load_demo(session, atelier)


CAPABILITY = Capability(
    name="codev",
    lazy=True,
    in_use_keys=["groups"],
    in_use=exists("workshop.codev.models:CodevGroup"),
    blueprint=bp,
    scene_label=N_("Co-développement"),
    console_template="codev/console.html",
    projection_template="codev/projection.html",
    participant_template="codev/participant.html",
    scripts=["js/codev.js"],
    styles=["css/codev.css"],
    setup=_setup,
    demo=_demo,
)
