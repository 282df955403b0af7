"""Small web helpers shared by the blueprints: CSRF, public URLs, errors."""

import contextlib
import hmac
import ipaddress
import secrets
import socket
from functools import wraps

from flask import abort, current_app, g, jsonify, render_template, request, session

from .domain.errors import DomainError, http_status
from .domain.ratelimit import RateLimiter
from .messages import error_payload

join_limiter = RateLimiter(rate=2.0, burst=30)
create_limiter = RateLimiter(rate=0.2, burst=10)


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(24)
    return token


def check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        raise DomainError("csrf")


def client_ip() -> str:
    return request.remote_addr or "?"


def rate_limited(limiter: RateLimiter) -> bool:
    if not current_app.config.get("RATE_LIMITS", True):
        return False
    return not limiter.allow(client_ip())


def _usable(addr: str) -> bool:
    ip = ipaddress.ip_address(addr)
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def lan_address() -> str | None:
    """The IPv4 address phones on the same network reach this machine at, or None.

    First the address of the interface that would carry traffic out (a UDP
    socket is "connected" to a private address: nothing is sent, no network
    access is needed beyond a route), then the addresses of the host name.
    Loopback (Debian maps the host name to ``127.0.1.1``) and link-local
    addresses do not count.

    >>> lan_address() is None or not lan_address().startswith("127.")
    True
    """
    candidates = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))
        candidates.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        candidates += [info[4][0] for info in infos]
    for addr in candidates:
        if _usable(addr):
            return addr
    return None


def public_base_url() -> str:
    """The address phones should use: ``WORKSHOP_PUBLIC_URL``, else the request's
    host, with a loopback host replaced by the machine's LAN address."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    host = request.host
    hostname = host.rsplit(":", 1)[0].strip("[]") if host.count(":") <= 1 else host
    port = host.rsplit(":", 1)[1] if host.count(":") == 1 else None
    try:
        loopback = hostname == "localhost" or ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        lan = lan_address()
        if lan:
            host = f"{lan}:{port}" if port else lan
    return f"{request.scheme}://{host}"


def json_error(err, status=None):
    body = error_payload(err, g.get("atelier_locale"))
    code = err.code if isinstance(err, DomainError) else err
    return jsonify(body), status or http_status(code)


def api_errors(fn):
    """Mark a route whose refusals are JSON bodies (``{"ok": false, "error",
    "message"}``) rather than a page; the status comes from the one mapping
    (:func:`workshop.domain.errors.http_status`), applied by
    :func:`domain_error_response`."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        g.json_errors = True
        return fn(*args, **kwargs)

    return wrapper


def domain_error_response(err: DomainError):
    """The Flask error handler of :class:`DomainError`: one status per code for
    every route; a JSON body for JSON routes (``/api/``, a JSON request, a
    route marked with :func:`api_errors`), otherwise the French (or English)
    error page."""
    status = http_status(err.code)
    if g.get("json_errors") or request.path.startswith("/api/") or request.is_json:
        return json_error(err, status)
    return friendly_error(err.code, status, **err.params)


def friendly_error(code: str, status: int = 400, **params):
    from .messages import message_for

    return (
        render_template("error.html", message=message_for(code, params), code=code),
        status,
    )


def require_json() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    return data
