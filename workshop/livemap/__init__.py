"""Live actor map ("portrait croisé"): phones add actors, their contributions
to the three stages of a collective-impact strategy and their links; the
facilitator validates, edits, merges; the projector redraws the map live;
the console exports it in every ``maps`` format."""

from ..capabilities import Capability
from ..i18n import N_
from ..messages import register_messages
from .views import bp

register_messages(
    {
        "livemap_not_yours": N_("Vous ne pouvez retirer que vos propres envois."),
        "livemap_actor_in_use": N_(
            "D’autres personnes ont relié des contributions ou des liens à « %(name)s » : "
            "retirez vos propres contributions, ou demandez à l’animation de retirer "
            "l’acteur."
        ),
        "livemap_closed": N_(
            "La carte des acteurs n’est pas ouverte : attendez que l’animation l’ouvre."
        ),
        "livemap_invalid_stage": N_(
            "Étape inconnue « %(value)s » : choisissez déclencher, organiser ou animer."
        ),
        "livemap_invalid_view": N_("Vue inconnue : choisissez étapes, réseau, tableau ou analyse."),
        "livemap_text_too_long": N_(
            "Le texte est trop long : %(max)s caractères au plus. Raccourcissez-le."
        ),
        "livemap_actor_not_found": N_(
            "Cet acteur n’existe pas dans cet atelier. Rechargez la page."
        ),
        "livemap_actor_deleted": N_(
            "L’acteur « %(name)s » a été supprimé entre-temps : rien n’a été modifié."
        ),
        "livemap_actor_merged": N_(
            "L’acteur « %(name)s » a déjà été fusionné avec « %(into)s » : rien n’a été "
            "modifié. Travaillez sur « %(into)s »."
        ),
        "livemap_actor_not_validated": N_(
            "Validez d’abord l’acteur « %(name)s » pour pouvoir le mettre en évidence."
        ),
        "livemap_contribution_not_found": N_(
            "Cette contribution n’existe plus (quelqu’un l’a peut-être supprimée)."
        ),
        "livemap_link_not_found": N_("Ce lien n’existe plus (quelqu’un l’a peut-être supprimé)."),
        "livemap_self_link": N_("Un lien relie deux acteurs différents : choisissez-en un autre."),
        "livemap_merge_same": N_(
            "Choisissez deux acteurs différents : on ne fusionne pas un acteur avec lui-même."
        ),
        "livemap_name_taken": N_(
            "Un autre acteur s’appelle déjà « %(name)s » : fusionnez-les plutôt."
        ),
        "livemap_too_many": N_("La carte est pleine : %(max)s éléments au plus."),
        "conflict": N_(
            "Quelqu’un d’autre a modifié cet élément entre-temps. Valeur actuelle : "
            "« %(current)s ». Rien n’a été modifié : reprenez à partir de cette valeur."
        ),
        "livemap_export_format": N_(
            "Format d’export inconnu : png, svg, pdf, gexf, graphml, json, kumu, workbook ou csv."
        ),
        "livemap_empty": N_("La carte ne compte encore aucun acteur validé : rien à exporter."),
        "livemap_import_files": N_(
            "Choisissez un classeur .xlsx, ou les fichiers .csv de la carte "
            "(acteurs, contributions, liens, projets) ensemble."
        ),
        "livemap_import_error": N_(
            "Le fichier importé contient une erreur, rien n’a été importé : %(detail)s"
        ),
    }
)


def _setup(app):
    from ..ateliers.events import SCENES
    from . import events  # noqa: F401  (registers the socket events)
    from .activities import register

    register()  # its activity types in the déroulé

    SCENES.add("livemap")


def _in_use(session, atelier) -> bool:
    """The map is open, or holds an actor (validated or not)."""
    from sqlalchemy import select

    from .models import LivemapActor, LivemapSettings

    opened = session.scalar(
        select(LivemapSettings.open).where(LivemapSettings.atelier_id == atelier.id)
    )
    actor = session.scalar(
        select(LivemapActor.id).where(LivemapActor.atelier_id == atelier.id).limit(1)
    )
    return bool(opened) or actor is not None


def _demo(session, atelier):
    from .demo import load_demo

    load_demo(session, atelier)


CAPABILITY = Capability(
    name="livemap",
    lazy=True,
    in_use_keys=["settings.open", "actors"],
    in_use=_in_use,
    blueprint=bp,
    scene_label=N_("Carte des acteurs"),
    console_template="livemap/console.html",
    projection_template="livemap/projection.html",
    participant_template="livemap/participant.html",
    scripts=["js/livemap.js"],
    styles=["css/livemap.css"],
    setup=_setup,
    demo=_demo,
)
