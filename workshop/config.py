"""Configuration from the environment (documented in the README)."""

import os
import secrets
from pathlib import Path


def default_instance_path() -> Path:
    return Path(os.environ.get("WORKSHOP_INSTANCE", Path.cwd() / "instance")).resolve()


def load_secret_key(instance_path: Path) -> str:
    """``SECRET_KEY`` from the environment, else kept in the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def from_environment(instance_path: Path) -> dict:
    return {
        "SECRET_KEY": load_secret_key(instance_path),
        "DATABASE_URL": os.environ.get("DATABASE_URL")
        or f"sqlite:///{instance_path / 'workshop.sqlite3'}",
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "PUBLIC_URL": os.environ.get("WORKSHOP_PUBLIC_URL") or None,
        "INSTANCE_PASSWORD": os.environ.get("WORKSHOP_INSTANCE_PASSWORD") or None,
        "ALLOWED_ORIGINS": os.environ.get("WORKSHOP_ALLOWED_ORIGINS") or None,
        "AUTO_MIGRATE": os.environ.get("WORKSHOP_AUTO_MIGRATE", "1") != "0",
        # Served over HTTPS (behind a TLS proxy): cookies are then "Secure".
        "SESSION_COOKIE_SECURE": os.environ.get("WORKSHOP_HTTPS") == "1",
        "RATE_LIMITS": os.environ.get("WORKSHOP_RATE_LIMITS", "1") != "0",
        # Behind a reverse proxy (nginx): trust its X-Forwarded-For/Proto/Host.
        "PROXY": os.environ.get("WORKSHOP_PROXY") == "1",
        # Redis pub/sub channel of the Socket.IO queue (one per instance sharing a Redis).
        "SOCKETIO_CHANNEL": os.environ.get("WORKSHOP_SOCKETIO_CHANNEL") or "workshop",
        # Seconds after which a silent process no longer counts in the presence.
        "PRESENCE_TTL": int(os.environ.get("WORKSHOP_PRESENCE_TTL") or 15),
        # The longest a broadcast waits behind the ones of its atelier being
        # written, with which it then leaves (0: each at once, no coalescing).
        "BROADCAST_WINDOW_MS": int(os.environ.get("WORKSHOP_BROADCAST_WINDOW_MS") or 250),
        # Microseconds a flush is taken to be in flight per socket it reached
        # (default by mode: 500 threading, 150 with a queue, 50 under gevent).
        "BROADCAST_SOCKET_US": int(os.environ.get("WORKSHOP_BROADCAST_SOCKET_US") or 0) or None,
        # Ateliers are purged this many months after their date (or creation).
        "RETENTION_MONTHS": int(os.environ.get("WORKSHOP_RETENTION_MONTHS") or 12),
        # Shown in the privacy notice when set (who hosts the data).
        "PRIVACY_CONTACT": os.environ.get("WORKSHOP_PRIVACY_CONTACT") or None,
        # Feedback contact of the accessibility statement (who answers).
        "ACCESSIBILITY_CONTACT": os.environ.get("WORKSHOP_ACCESSIBILITY_CONTACT") or None,
        # Who makes the accessibility statement (the organisation running the instance).
        "ACCESSIBILITY_ENTITY": os.environ.get("WORKSHOP_ACCESSIBILITY_ENTITY") or None,
        # Where hashed, precompressed static files are built (default: <instance>/static).
        "STATIC_BUILD_DIR": os.environ.get("WORKSHOP_STATIC_BUILD_DIR") or None,
    }
