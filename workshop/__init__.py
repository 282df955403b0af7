"""Participatory-workshop toolkit: the Flask + Flask-SocketIO application.

``create_app(config=None)`` builds the app; ``workshop.extensions.socketio`` is
the Socket.IO server. ``workshop serve`` runs it under gevent (one greenlet per
connection); imported anywhere else, the package runs in threading mode.
"""

import os

if os.environ.get("WORKSHOP_ASYNC_MODE") == "gevent":  # before anything else is imported
    from gevent import monkey

    monkey.patch_all()

import logging  # noqa: E402
import uuid
from pathlib import Path

from flask import Flask, request
from flask_babel import Babel

from . import capabilities
from .broadcast import Broadcaster
from .config import default_instance_path, from_environment
from .db import Database
from .extensions import ASYNC_MODE, MAX_HTTP_BUFFER, Packet, socketio
from .i18n import install_plurals, select_locale
from .paths import STATIC_DIR, TEMPLATES_DIR, TRANSLATIONS_DIR
from .realtime import install_client_order, install_gate, rooms_may_share_a_socket
from .socketwrite import install as install_socket_writes
from .wsdeflate import install as install_shared_deflate

__version__ = "0.1.0"
log = logging.getLogger("workshop")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _emit_to_rooms(event: str, data, rooms: tuple[str, ...]) -> None:
    socketio.emit(event, data, to=rooms[0] if len(rooms) == 1 else list(rooms))


# How long a flush is taken to be in flight, per socket it reached, measured
# on a 2-core machine (docs/PERFORMANCE.md): where its writing cannot be seen
# from the broadcaster's thread (writer threads, or other processes behind
# the message queue), an estimate of the writing; under gevent on one process
# (where the writers have run when the broadcaster resumes) a floor, taken
# once a queue has formed, so that the handlers get the process between two
# flushes to a busy large room: 1,000 phones, 50 ms between flushes (p99 166
# to 285 ms instead of 232 to 478); a calm room's broadcasts leave at once.
SOCKET_US_THREADING = 500  # 300 phones: 150 ms between flushes
SOCKET_US_QUEUE = 150
SOCKET_US_GEVENT = 50  # 300 phones: 15 ms


def _sockets_in(rooms: tuple[str, ...]) -> int:
    """How many sockets of this process a message to these rooms reaches."""
    local = socketio.server.manager.rooms.get("/", {})
    return sum(len(local.get(r, ())) for r in rooms)


# Compressed per response: pages and JSON answers, not the console's pages
# (they hold the atelier's secret: no compression beside reflected text).
COMPRESSED_TYPES = ["text/html", "application/json"]


def _compress_pages(app: Flask) -> None:
    from flask_compress import Compress

    app.config.setdefault("COMPRESS_REGISTER", False)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress = Compress(app)

    @app.after_request
    def compressed(response):
        if "no-store" in response.headers.get("Cache-Control", "") or response.is_streamed:
            return response
        return compress.after_request(response)


def create_app(config: dict | None = None) -> Flask:
    config = dict(config or {})
    instance_path = Path(config.pop("INSTANCE_PATH", None) or default_instance_path())
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        static_url_path="/static",
    )
    app.config.update(from_environment(instance_path))
    app.config.update(
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS_DIR),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update(config)

    Babel(app, locale_selector=select_locale)
    install_plurals(app)

    database = Database(app.config["DATABASE_URL"])
    app.extensions["workshop_db"] = database
    if app.config.get("AUTO_MIGRATE", True):
        from .migrate import upgrade

        upgrade(app.config["DATABASE_URL"])

    node = os.environ.get("WORKSHOP_NODE") or uuid.uuid4().hex[:8]
    app.config.setdefault("NODE_ID", node)
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if queue and queue.startswith("redis"):
        from .presence import RedisPresence

        app.extensions["workshop_presence"] = RedisPresence(
            queue,
            node,
            app=app,
            ttl=app.config["PRESENCE_TTL"],
            channel=app.config["SOCKETIO_CHANNEL"],
        )
    else:
        from .presence import MemoryPresence

        app.extensions["workshop_presence"] = MemoryPresence()

    from .domain.errors import DomainError
    from .web import domain_error_response

    # One mapping from error codes to HTTP statuses, for every route.
    app.register_error_handler(DomainError, domain_error_response)

    caps = capabilities.load()
    app.extensions["workshop_capabilities"] = caps
    for cap in caps:
        if cap.blueprint is not None and cap.blueprint.name not in app.blueprints:
            app.register_blueprint(cap.blueprint)
        if cap.setup:
            cap.setup(app)

    origins = app.config.get("ALLOWED_ORIGINS")
    socketio.init_app(
        app,
        async_mode=ASYNC_MODE,
        message_queue=queue,
        channel=app.config["SOCKETIO_CHANNEL"],
        max_http_buffer_size=MAX_HTTP_BUFFER,
        cors_allowed_origins=origins.split(",") if origins else None,
        # Socket.IO's defaults: shorter pings only add work and, when the
        # server is busy, drop connections that are alive.
        ping_interval=25,
        ping_timeout=20,
        manage_session=False,
        serializer=Packet,
        # A client's events in the order it sent them: in the connection's
        # own thread in threading mode (and Flask-SocketIO's test client);
        # under gevent, a task per client with events (install_client_order).
        async_handlers=False,
    )
    if ASYNC_MODE == "gevent":
        install_client_order(socketio.server)
    install_gate(socketio.server, app)
    # Static files: hashed names, precompressed, immutable (WhiteNoise);
    # pages and JSON: compressed per response (Flask-Compress).
    from . import assets

    assets.install(app)
    _compress_pages(app)
    # Browsers' WebSocket compression: once per message, not per socket.
    install_shared_deflate()
    # Frames built and written without per-frame overhead (socketwrite).
    install_socket_writes()
    socket_us = app.config.get("BROADCAST_SOCKET_US")
    floor_when_queued = False  # a value set counts after every flush
    if socket_us is None:
        if ASYNC_MODE != "gevent":
            socket_us = SOCKET_US_THREADING
        elif queue:
            socket_us = SOCKET_US_QUEUE
        else:  # gevent's floor: for a busy room only
            socket_us, floor_when_queued = SOCKET_US_GEVENT, True
    app.extensions["workshop_broadcaster"] = Broadcaster(
        _emit_to_rooms,
        app.config.get("BROADCAST_WINDOW_MS", 250) / 1000,
        recipients=_sockets_in,
        per_recipient=socket_us / 1e6,
        rest_only_when_queued=floor_when_queued,
        conflicts=rooms_may_share_a_socket,
    )
    if app.config.get("PROXY"):
        # After init_app so that the Socket.IO handshake sees the client's
        # scheme, host and address too (origin check, logs).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.template_filter("static_url")
    def static_url(name):
        """The (hashed) URL of a static file, for the pages' JSON maps."""
        from flask import url_for

        return url_for("static", filename=name)

    @app.context_processor
    def inject():
        from flask_babel import get_locale

        from .web import csrf_token

        return {
            "capabilities": caps,
            "csrf_token": csrf_token,
            "current_locale": str(get_locale()),
            "version": __version__,
        }

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if request.path == "/healthz":  # which process answered (behind a balancer)
            response.headers["X-Workshop-Node"] = app.config["NODE_ID"]
        if request.path.startswith("/a/") and "/console/" in request.path:
            response.headers["Cache-Control"] = "no-store"
        return response

    return app
