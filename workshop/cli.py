"""The ``workshop`` command: serve, demo, db upgrade, map, purge.

Its messages are in the language of the environment (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: English for ``en…``, French otherwise), read from
the application's catalogue; help texts are chosen when the command starts.
"""

import contextlib
import os
import socket
import sys
from pathlib import Path

import click

from maps.cli import map_cli
from maps.click_i18n import Group as ClickGroup
from maps.i18n import environment_lang

from .i18n import N_, texts


def _t():
    """The catalogue in the environment's language, read at each call."""
    return texts(environment_lang())


_ = texts(environment_lang()).gettext  # help texts, chosen at start


def _make_app(instance, **config):
    """The app for a command; ``--instance`` and ``config`` win over the
    environment, which is left untouched (commands also run inside tests)."""
    from . import create_app

    if instance:
        config["INSTANCE_PATH"] = Path(instance).resolve()
    return create_app(config)


def _serve_under_chosen_mode():
    """Re-run this command under gevent unless ``WORKSHOP_ASYNC_MODE=threading``.

    gevent must patch the standard library before anything else is imported,
    which only a fresh interpreter allows: the command starts again (same
    process id, same arguments) with ``WORKSHOP_ASYNC_MODE=gevent``, which
    ``workshop/__init__.py`` reads first thing.
    """
    from .extensions import ASYNC_MODE

    wanted = os.environ.get("WORKSHOP_ASYNC_MODE", "gevent")
    if wanted not in ("gevent", "threading"):
        raise click.UsageError(
            _t().gettext(
                "WORKSHOP_ASYNC_MODE\u00a0: «\u00a0gevent\u00a0» ou «\u00a0threading\u00a0»."
            )
        )
    if wanted == "gevent" and ASYNC_MODE != "gevent":
        env = {**os.environ, "WORKSHOP_ASYNC_MODE": "gevent"}
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, [sys.executable, "-m", "workshop", *sys.argv[1:]], env)


def _no_delay(sock) -> None:
    """Send small frames at once (no Nagle): an ack followed by a broadcast
    would otherwise wait for the phone's delayed TCP ack, about 20 ms more
    per event (measured: docs/PERFORMANCE.md)."""
    # Not a TCP socket (a Unix socket): nothing to do.
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _was_websocket(environ) -> bool:
    """Whether this request was a WebSocket upgrade.

    >>> _was_websocket({"HTTP_UPGRADE": "WebSocket"}), _was_websocket({})
    (True, False)
    """
    return environ.get("HTTP_UPGRADE", "").lower() == "websocket"


def _handler_options() -> dict:
    from .extensions import ASYNC_MODE

    if ASYNC_MODE == "gevent":
        from gevent import pywsgi

        class Handler(pywsgi.WSGIHandler):
            def handle(self):
                _no_delay(self.socket)
                return super().handle()

            def handle_one_response(self):
                super().handle_one_response()
                if _was_websocket(self.environ):
                    # The WebSocket has ended (its close handshake done on
                    # the socket the WebSocket library took over): the TCP
                    # connection ends with it (RFC 6455 §7.1.1). Kept open,
                    # it was read as a new HTTP request, from the client's
                    # last frames ("Invalid HTTP method: '\\x88\\x82…'" in
                    # the log), and the client waited 3 s for its close.
                    self.close_connection = True

        return {"handler_class": Handler}
    from werkzeug.serving import WSGIRequestHandler

    class RequestHandler(WSGIRequestHandler):
        def setup(self):
            super().setup()
            _no_delay(self.connection)

    return {"request_handler": RequestHandler}


# Python's cycle collector, in the server process: a young collection every
# 50,000 container allocations (700 by default), so that the objects of a
# broadcast (frames queued for hundreds of sockets) are freed by reference
# counting before a collection can promote them; fewer promotions, fewer full
# collections, which stop every connection for as long as they walk all live
# objects (measured: 100 to 250 ms with 300 to 900 phones, the p99 of a
# broadcast; docs/PERFORMANCE.md). Cyclic garbage is still collected.
GC_THRESHOLDS = (50_000, 20, 100)


def _tune_gc() -> None:
    """Set :data:`GC_THRESHOLDS` and leave what is loaded at start (modules,
    the app: about 50,000 objects) out of every later collection."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _run(app, host, port):
    from .extensions import socketio

    _tune_gc()
    if os.environ.get("WORKSHOP_SUGGEST_WARMUP", "1") != "0":
        # Off the event loop: the first « Suggérer des regroupements » would
        # otherwise wait for the lemma dictionary and SciPy (seconds on a busy laptop).
        from .board.suggestions import warm_up
        from .concurrency import run_in_background

        run_in_background(warm_up)
    socketio.run(
        app,
        host=host,
        port=port,
        allow_unsafe_werkzeug=True,
        use_reloader=False,
        log_output=os.environ.get("WORKSHOP_ACCESS_LOG") == "1",
        **_handler_options(),
    )


NO_ADDRESS_ADVICE = N_(
    "Aucune adresse réseau trouvée\u00a0: les téléphones ne peuvent pas encore rejoindre. "
    "Connectez cet ordinateur au wifi de la salle (ou à un point d’accès), puis relancez "
    "la commande\u00a0; ou donnez l’adresse à utiliser avec WORKSHOP_PUBLIC_URL, "
    "par exemple WORKSHOP_PUBLIC_URL=http://192.168.1.20:5000."
)
LOOPBACK_ADVICE = N_(
    "Le serveur n’écoute que sur cet ordinateur (--host %(host)s)\u00a0: les téléphones ne "
    "pourront pas rejoindre. Relancez avec --host 0.0.0.0."
)


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def phone_base_url(app, host: str, port: int) -> tuple[str | None, str]:
    """The address phones on the same network will use, as the projection's QR
    code computes it (``WORKSHOP_PUBLIC_URL``, else the LAN address of this
    machine), or ``None`` and the advice to print instead (in the environment's
    language)."""
    from .web import lan_address

    configured = app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/"), ""
    if _is_loopback(host):
        return None, _t().gettext(LOOPBACK_ADVICE, host=host)
    if host in ("0.0.0.0", "::", ""):
        lan = lan_address()
        if lan is None:
            return None, _t().gettext(NO_ADDRESS_ADVICE)
        host = lan
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}", ""


def _local_base_url(host: str, port: int) -> str:
    shown = "localhost" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{port}"


def _print_links(app, code, secret, host, port):
    from .ateliers.service import find_atelier
    from .ateliers.views import links_for

    local = _local_base_url(host, port)
    phones, advice = phone_base_url(app, host, port)
    session = app.extensions["workshop_db"].session
    with app.test_request_context(base_url=local), session() as s:
        links = links_for(find_atelier(s, code), secret)
    paths = {key: url.split("/", 3)[3] for key, url in links.items()}
    t = _t()
    click.echo(t.gettext("Code de l’atelier\u00a0: %(code)s", code=code))
    click.echo(
        t.gettext(
            "Console (sur cet ordinateur, gardez ce lien secret)\u00a0: %(url)s",
            url=local + "/" + paths["console_url"],
        )
    )
    click.echo(
        t.gettext(
            "Projection (sur cet ordinateur)\u00a0: %(url)s",
            url=local + "/" + paths["projection_url"],
        )
    )
    if phones:
        click.echo(
            t.gettext(
                "Rejoindre (téléphones du même réseau)\u00a0: %(url)s",
                url=phones + "/" + paths["join_url"],
            )
        )
    else:
        click.echo(advice)


host_option = click.option(
    "--host",
    default=lambda: os.environ.get("WORKSHOP_HOST", "0.0.0.0"),
    show_default=_("0.0.0.0, toutes les interfaces, ou $WORKSHOP_HOST"),
    help=_("Adresse d’écoute. 0.0.0.0 pour que les téléphones du réseau local puissent rejoindre."),
)
port_option = click.option(
    "--port",
    default=lambda: int(os.environ.get("WORKSHOP_PORT", "5000")),
    type=int,
    show_default=_("5000, ou $WORKSHOP_PORT"),
    help=_("Port d’écoute."),
)
instance_option = click.option(
    "--instance",
    type=click.Path(file_okay=False),
    default=None,
    help=_(
        "Dossier d’instance (base SQLite, clé secrète). Par défaut ./instance ou "
        "$WORKSHOP_INSTANCE."
    ),
)


@click.group(cls=ClickGroup, help=_("Boîte à outils d’ateliers participatifs."))
def cli():
    pass


@cli.command(help=_("Démarrer le serveur (console, projection et téléphones)."))
@host_option
@port_option
@instance_option
def serve(host, port, instance):
    _serve_under_chosen_mode()
    app = _make_app(instance)
    from .extensions import ASYNC_MODE

    t = _t()
    click.echo(
        t.gettext(
            "Serveur prêt (instance\u00a0: %(path)s, %(mode)s).",
            path=app.instance_path,
            mode=ASYNC_MODE,
        )
    )
    click.echo(
        t.gettext("Sur cet ordinateur\u00a0: %(url)s", url=_local_base_url(host, port) + "/")
    )
    phones, advice = phone_base_url(app, host, port)
    if phones:
        click.echo(t.gettext("Téléphones du même réseau\u00a0: %(url)s", url=phones + "/"))
    else:
        click.echo(advice)
    _run(app, host, port)


@cli.command(help=_("Créer l’atelier de démonstration (Mulhouse), afficher ses liens et démarrer."))
@host_option
@port_option
@instance_option
@click.option("--no-serve", is_flag=True, help=_("Créer l’atelier de démonstration sans démarrer."))
def demo(host, port, instance, no_serve):
    from .demo import ensure_demo

    if not no_serve:
        _serve_under_chosen_mode()
    app = _make_app(instance)
    code, secret = ensure_demo(app)
    _print_links(app, code, secret, host, port)
    if not no_serve:
        _run(app, host, port)


@cli.group(help=_("Base de données."))
def db():
    pass


@db.command("upgrade", help=_("Appliquer les migrations (sans perte de données)."))
@instance_option
def db_upgrade(instance):
    from .config import default_instance_path, from_environment
    from .migrate import upgrade

    path = Path(instance).resolve() if instance else default_instance_path()
    path.mkdir(parents=True, exist_ok=True)
    upgrade(from_environment(path)["DATABASE_URL"])
    click.echo(_t().gettext("Base de données à jour."))


@cli.command(
    help=_("Supprimer les ateliers dont la durée de conservation est dépassée (pour cron).")
)
@instance_option
@click.option(
    "--dry-run", is_flag=True, help=_("Lister ce qui serait supprimé, sans rien supprimer.")
)
@click.option(
    "--months",
    type=int,
    default=None,
    help=_("Durée de conservation en mois (par défaut $WORKSHOP_RETENTION_MONTHS, ou 12)."),
)
def purge(instance, dry_run, months):
    import logging

    from .purge import purge as run_purge

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # a cron job does not migrate the schema unless asked to
    app = _make_app(instance, AUTO_MIGRATE=os.environ.get("WORKSHOP_AUTO_MIGRATE", "0") != "0")
    months = months if months is not None else app.config["RETENTION_MONTHS"]
    report = run_purge(app.extensions["workshop_db"], months, dry_run=dry_run)
    t = _t()
    for item in report:
        line = (
            N_("Atelier %(code)s (%(reference)s) à supprimer\u00a0: %(title)s")
            if dry_run
            else N_("Atelier %(code)s (%(reference)s) supprimé\u00a0: %(title)s")
        )
        click.echo(t.gettext(line, **{k: item[k] for k in ("code", "reference", "title")}))
    if dry_run:
        click.echo(
            t.ngettext("%(num)d atelier à supprimer.", "%(num)d ateliers à supprimer.", len(report))
        )
    else:
        click.echo(
            t.ngettext("%(num)d atelier supprimé.", "%(num)d ateliers supprimés.", len(report))
        )


# The cartography library's commands, as ``workshop map …``.
cli.add_command(map_cli, name="map")


def main(argv=None):
    return cli.main(args=argv, prog_name="workshop")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
