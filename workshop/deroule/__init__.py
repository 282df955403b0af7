"""The déroulé: the atelier as an ordered sequence of activities.

Other capabilities plug their activity types in with
``register_activity_type(ActivityType(...))`` from their ``setup``
(``workshop.domain.deroule``; see ``docs/architecture.md``).
"""

from ..capabilities import Capability
from ..i18n import N_
from ..messages import register_messages
from .views import bp

register_messages(
    {
        "deroule_unknown_type": N_("Type d’activité inconnu : « %(type)s »."),
        "deroule_activity_not_found": N_(
            "Cette activité n’existe pas (ou plus) dans le déroulé de cet atelier."
        ),
        "deroule_bad_order": N_(
            "Le nouvel ordre doit citer chaque activité du déroulé une fois, sans en "
            "ajouter : rien n’a été déplacé. Rechargez le déroulé et recommencez."
        ),
        "deroule_at_end": N_("C’est déjà la dernière activité du déroulé."),
        "deroule_at_start": N_("C’est déjà la première activité du déroulé."),
        "deroule_empty": N_("Le déroulé est vide : ajoutez d’abord une activité."),
        "deroule_delete_current": N_(
            "On ne supprime pas l’activité en cours : passez d’abord à une autre activité."
        ),
        "deroule_replace_running": N_(
            "Le déroulé a commencé : on ne le remplace plus. Ajoutez les activités à la suite."
        ),
        "deroule_bad_duration": N_(
            "La durée prévue doit être comprise entre 0 et %(max)s minutes."
        ),
        "deroule_too_many": N_("Un déroulé compte au plus %(max)s activités."),
        "deroule_not_a_file": N_(
            "Ce fichier n’est pas un déroulé (il manque « format » : « workshop-deroule »). "
            "Rien n’a été importé."
        ),
        "deroule_newer_version": N_(
            "Ce déroulé vient d’une version plus récente de l’application (format "
            "%(version)s ; celle-ci lit jusqu’au format %(supported)s). Rien n’a été "
            "importé : mettez l’application à jour."
        ),
        "deroule_bad_field": N_(
            "Le fichier de déroulé contient une valeur invalide au champ « %(field)s ». Rien "
            "n’a été importé."
        ),
        "deroule_file_unknown_type": N_(
            "Type d’activité inconnu « %(type)s » au champ « %(field)s » du fichier. Rien "
            "n’a été importé."
        ),
        "deroule_unknown_modele": N_("Ce modèle de déroulé n’existe pas (ou plus)."),
        "deroule_modele_empty": N_(
            "Ce déroulé n’a aucune activité : il n’y a rien à enregistrer comme modèle."
        ),
        "deroule_modele_too_many": N_(
            "On garde au plus %(max)s modèles : supprimez-en un avant d’en enregistrer un autre."
        ),
        "deroule_modele_name_taken": N_(
            "Un modèle de ce nom a été enregistré par un autre atelier : choisissez un autre nom."
        ),
        "deroule_modele_not_yours": N_(
            "Ce modèle a été enregistré par un autre atelier : seule sa console peut le supprimer."
        ),
        "deroule_no_such_room": N_(
            "Il n’y a pas de groupe n° %(n)s dans le co-développement de cet atelier."
        ),
    }
)


def _setup(app):
    from ..ateliers.events import SCENES
    from . import events  # noqa: F401  (registers the socket events)
    from .types import register

    register()
    SCENES.update({"message", "close"})


def _demo(session, atelier):
    from .demo import load_demo

    load_demo(session, atelier)


CAPABILITY = Capability(
    name="deroule",
    blueprint=bp,
    styles=["css/deroule.css"],
    setup=_setup,
    demo=_demo,
)
