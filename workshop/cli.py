"""The ``workshop`` command: serve, demo, db upgrade, map, purge."""

import contextlib
import os
import socket
import sys
from pathlib import Path

import click

from maps.cli import map_cli


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
        raise click.UsageError("WORKSHOP_ASYNC_MODE : « gevent » ou « threading ».")
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
    socketio.run(
        app,
        host=host,
        port=port,
        allow_unsafe_werkzeug=True,
        use_reloader=False,
        log_output=os.environ.get("WORKSHOP_ACCESS_LOG") == "1",
        **_handler_options(),
    )


NO_ADDRESS_ADVICE = (
    "Aucune adresse réseau trouvée : les téléphones ne peuvent pas encore rejoindre. "
    "Connectez cet ordinateur au wifi de la salle (ou à un point d’accès), puis relancez "
    "la commande ; ou donnez l’adresse à utiliser avec WORKSHOP_PUBLIC_URL, "
    "par exemple WORKSHOP_PUBLIC_URL=http://192.168.1.20:5000."
)
LOOPBACK_ADVICE = (
    "Le serveur n’écoute que sur cet ordinateur (--host {host}) : les téléphones ne "
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
    machine), or ``None`` and the advice to print instead."""
    from .web import lan_address

    configured = app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/"), ""
    if _is_loopback(host):
        return None, LOOPBACK_ADVICE.format(host=host)
    if host in ("0.0.0.0", "::", ""):
        lan = lan_address()
        if lan is None:
            return None, NO_ADDRESS_ADVICE
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
    click.echo(f"Code de l’atelier : {code}")
    click.echo(
        f"Console (sur cet ordinateur, gardez ce lien secret) : {local}/{paths['console_url']}"
    )
    click.echo(f"Projection (sur cet ordinateur) : {local}/{paths['projection_url']}")
    if phones:
        click.echo(f"Rejoindre (téléphones du même réseau) : {phones}/{paths['join_url']}")
    else:
        click.echo(advice)


host_option = click.option(
    "--host",
    default=lambda: os.environ.get("WORKSHOP_HOST", "0.0.0.0"),
    show_default="0.0.0.0, all interfaces, or $WORKSHOP_HOST",
    help="Adresse d’écoute. 0.0.0.0 pour que les téléphones du réseau local puissent rejoindre.",
)
port_option = click.option(
    "--port",
    default=lambda: int(os.environ.get("WORKSHOP_PORT", "5000")),
    type=int,
    show_default="5000, or $WORKSHOP_PORT",
    help="Port d’écoute.",
)
instance_option = click.option(
    "--instance",
    type=click.Path(file_okay=False),
    default=None,
    help="Dossier d’instance (base SQLite, clé secrète). Par défaut ./instance ou "
    "$WORKSHOP_INSTANCE.",
)


@click.group()
def cli():
    """Boîte à outils d’ateliers participatifs."""


@cli.command()
@host_option
@port_option
@instance_option
def serve(host, port, instance):
    """Démarrer le serveur (console, projection et téléphones)."""
    _serve_under_chosen_mode()
    app = _make_app(instance)
    from .extensions import ASYNC_MODE

    click.echo(f"Serveur prêt (instance : {app.instance_path}, {ASYNC_MODE}).")
    click.echo(f"Sur cet ordinateur : {_local_base_url(host, port)}/")
    phones, advice = phone_base_url(app, host, port)
    click.echo(f"Téléphones du même réseau : {phones}/" if phones else advice)
    _run(app, host, port)


@cli.command()
@host_option
@port_option
@instance_option
@click.option("--no-serve", is_flag=True, help="Créer l’atelier de démonstration sans démarrer.")
def demo(host, port, instance, no_serve):
    """Créer l’atelier de démonstration (Mulhouse), afficher ses liens et démarrer."""
    from .demo import ensure_demo

    if not no_serve:
        _serve_under_chosen_mode()
    app = _make_app(instance)
    code, secret = ensure_demo(app)
    _print_links(app, code, secret, host, port)
    if not no_serve:
        _run(app, host, port)


@cli.group()
def db():
    """Base de données."""


@db.command("upgrade")
@instance_option
def db_upgrade(instance):
    """Appliquer les migrations (sans perte de données)."""
    from .config import default_instance_path, from_environment
    from .migrate import upgrade

    path = Path(instance).resolve() if instance else default_instance_path()
    path.mkdir(parents=True, exist_ok=True)
    upgrade(from_environment(path)["DATABASE_URL"])
    click.echo("Base de données à jour.")


@cli.command()
@instance_option
@click.option("--dry-run", is_flag=True, help="Lister ce qui serait supprimé, sans rien supprimer.")
@click.option(
    "--months",
    type=int,
    default=None,
    help="Durée de conservation en mois (par défaut $WORKSHOP_RETENTION_MONTHS, ou 12).",
)
def purge(instance, dry_run, months):
    """Supprimer les ateliers dont la durée de conservation est dépassée (pour cron)."""
    import logging

    from .purge import purge as run_purge

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # a cron job does not migrate the schema unless asked to
    app = _make_app(instance, AUTO_MIGRATE=os.environ.get("WORKSHOP_AUTO_MIGRATE", "0") != "0")
    months = months if months is not None else app.config["RETENTION_MONTHS"]
    report = run_purge(app.extensions["workshop_db"], months, dry_run=dry_run)
    for item in report:
        verb = "à supprimer" if dry_run else "supprimé"
        click.echo(f"Atelier {item['code']} ({item['reference']}) {verb} : {item['title']}")
    click.echo(f"{len(report)} atelier(s) {'à supprimer' if dry_run else 'supprimé(s)'}.")


# The cartography library's commands, as ``workshop map …``.
cli.add_command(map_cli, name="map")


def main(argv=None):
    return cli.main(args=argv, prog_name="workshop")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
