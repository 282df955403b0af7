"""User-facing sentences for error codes, in the Flask-Babel catalogues.

The domain raises ``DomainError(code, **params)``; this module turns the code
into a sentence in the atelier's language that says what to do. Capabilities
add their own codes with :func:`register_messages`.
"""

from flask_babel import force_locale, gettext

from .domain.errors import DomainError
from .i18n import N_ as _l

MESSAGES = {
    "internal": _l("Une erreur inattendue est survenue. Réessayez dans un instant."),
    "invalid_payload": _l("La demande est mal formée. Rechargez l’application si cela persiste."),
    # Variants of invalid_payload naming the field (``reason`` in the error's parameters).
    "invalid_payload.unexpected": _l(
        "La demande contient un champ inattendu (« %(field)s »). Rechargez l’application si cela persiste."
    ),
    "invalid_payload.missing": _l("Il manque le champ « %(field)s » dans la demande."),
    "invalid_payload.type": _l("Le champ « %(field)s » n’a pas la forme attendue."),
    "invalid_payload.range": _l(
        "Le champ « %(field)s » doit être compris entre %(min)s et %(max)s."
    ),
    "invalid_payload.choice": _l("La valeur du champ « %(field)s » n’est pas proposée."),
    "invalid_payload.length": _l(
        "Le champ « %(field)s » doit contenir entre %(min)s et %(max)s éléments."
    ),
    "payload_too_large": _l("La demande est trop volumineuse."),
    # Any contribution sent with a client id (post-it, answer, ballot, proposal…).
    "invalid_client_id": _l(
        "Identifiant d’envoi invalide. Rechargez la page puis envoyez de nouveau votre contribution."
    ),
    "unknown_event": _l("Action inconnue. Mettez l’application à jour en rechargeant la page."),
    "not_connected": _l("La connexion à l’atelier est coupée. Reconnexion en cours…"),
    "forbidden": _l("Cette action est réservée à l’animateur ou l’animatrice de l’atelier."),
    "rate_limited": _l(
        "Ralentissez : trop d’envois en peu de temps. Réessayez dans quelques secondes."
    ),
    "atelier_not_found": _l(
        "Aucun atelier ne correspond à ce code. Vérifiez le code affiché à l’écran."
    ),
    "atelier_locked": _l("L’atelier est verrouillé : il n’accepte plus de nouvelles arrivées."),
    "atelier_closed": _l("L’atelier est terminé : il n’accepte plus de contributions."),
    "bad_secret": _l(
        "Ce lien de console n’est pas valide. Utilisez le lien reçu à la création de l’atelier."
    ),
    "bad_token": _l(
        "Votre accès à cet atelier n’est plus valide. Rejoignez-le à nouveau avec le code."
    ),
    "bad_role": _l("Rôle de connexion inconnu."),
    "participant_not_found": _l(
        "Cette personne n’est pas dans l’atelier ou en a déjà été retirée."
    ),
    "name_required": _l(
        "Indiquez un prénom ou un pseudonyme : cet atelier n’accepte pas l’anonymat."
    ),
    "name_too_long": _l("Le nom est trop long : %(max)s caractères au plus."),
    "name_control_chars": _l("Le nom contient des caractères invisibles non autorisés."),
    "text_invalid": _l("Le texte est mal formé."),
    "text_empty": _l("Le texte est vide : écrivez quelque chose avant d’envoyer."),
    "text_too_long": _l("Le texte est trop long : %(max)s caractères au plus."),
    "text_control_chars": _l("Le texte contient des caractères invisibles non autorisés."),
    "invalid_date": _l("La date n’est pas valide (format attendu : AAAA-MM-JJ)."),
    "invalid_locale": _l("Langue non prise en charge."),
    "invalid_status": _l("État d’atelier inconnu."),
    "invalid_scene": _l("Cet affichage n’existe pas."),
    "invalid_note_max_length": _l(
        "La longueur maximale doit être comprise entre %(min)s et %(max)s."
    ),
    "code_taken": _l("Ce code est déjà utilisé."),
    "csrf": _l("Le formulaire a expiré. Rechargez la page et recommencez."),
    "instance_password": _l("Mot de passe de l’instance incorrect."),
}


def register_messages(messages: dict) -> None:
    """Add the error codes of a capability (values marked with ``N_``)."""
    MESSAGES.update(messages)


def message_for(code: str, params: dict | None = None, locale: str | None = None) -> str:
    template = MESSAGES.get(code) or MESSAGES["internal"]
    params = params or {}
    if locale:
        with force_locale(locale):
            text = gettext(template)
    else:
        text = gettext(template)
    try:
        return text % params
    except (KeyError, ValueError, TypeError):
        return text


_REFUSALS: dict = {}


def refusal(code: str, locale: str | None, app) -> dict:
    """``error_payload(code, locale)`` for a code without parameters, built
    once per language: answered where no application context exists (the
    socket gate of ``realtime``), and shared, so never to be changed."""
    key = (code, locale)
    found = _REFUSALS.get(key)
    if found is None:
        with app.app_context():
            found = error_payload(code, locale)
        _REFUSALS[key] = found
    return found


def error_payload(err: DomainError | str, locale: str | None = None, **params) -> dict:
    """The ack (or HTTP JSON body) for an error: ``{"ok": false, "error", "message"}``."""
    if isinstance(err, DomainError):
        code, params = err.code, {**err.params, **params}
    else:
        code = err
    if code not in MESSAGES:
        code_out, code = code, "internal"
    else:
        code_out = code
    message_code = code
    variant = f"{code}.{params.get('reason')}"
    if "reason" in params and variant in MESSAGES:
        message_code = variant
    out = {"ok": False, "error": code_out, "message": message_for(message_code, params, locale)}
    if isinstance(params.get("field"), str):
        out["field"] = params["field"]
    return out
