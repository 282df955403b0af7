"""Shared fixtures and helpers: databases, the app, a live server, Socket.IO clients, Chromium.

* ``db_url``: SQLite always; PostgreSQL too when ``WORKSHOP_TEST_POSTGRES``
  holds a URL (each test run uses its own schema).
* ``app`` / ``client``: the Flask app and its test client.
* ``live_server``: the real server (``python -m workshop serve``) in its own
  process on a free localhost port, with helpers to create ateliers, join,
  connect python-socketio clients, and stop/restart/kill it.
* ``browser``: Debian's Chromium driven by Playwright.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
import socketio

import requests_shim as http

ROOT = Path(__file__).resolve().parent.parent
# One build of the hashed, compressed static files for the whole run (apps and
# live servers), instead of one per instance folder.
os.environ.setdefault("WORKSHOP_STATIC_BUILD_DIR", tempfile.mkdtemp(prefix="workshop-static-"))
POSTGRES_URL = os.environ.get("WORKSHOP_TEST_POSTGRES")
CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")


def _postgres_schema_url() -> str:
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:10]
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}", schema


DB_PARAMS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


@pytest.fixture(scope="session")
def _postgres_url():
    if not POSTGRES_URL:
        pytest.skip("WORKSHOP_TEST_POSTGRES not set")
    url, schema = _postgres_schema_url()
    yield url
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=DB_PARAMS)
def db_url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("_postgres_url")
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(params=DB_PARAMS)
def fresh_db_url(request, tmp_path):
    """An empty database of its own (a new schema on PostgreSQL), for the
    tests of migrations: ``db_url``'s PostgreSQL schema is shared by the
    session and already upgraded."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import sqlalchemy as sa

    url, schema = _postgres_schema_url()
    yield url
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def app(db_url, tmp_path):
    from workshop import create_app

    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "DATABASE_URL": db_url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "BROADCAST_WINDOW_MS": 0,
            "RATE_LIMITS": False,
        }
    )
    yield app
    app.extensions["workshop_db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The real server in a subprocess, on 127.0.0.1:<free port>."""

    def __init__(self, instance: Path, db_url: str, port: int | None = None, env=None):
        self.instance = instance
        self.db_url = db_url
        self.port = port or free_port()
        self.extra_env = env or {}
        self.proc = None
        self.clients: list = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "SECRET_KEY": "live-test-secret",
            "WORKSHOP_INSTANCE": str(self.instance),
            "WORKSHOP_RATE_LIMITS": "0",
            "PYTHONUNBUFFERED": "1",
            # The default of `workshop serve`, set here to spare each server
            # the restart that selects it (tested on its own).
            "WORKSHOP_ASYNC_MODE": os.environ.get("WORKSHOP_ASYNC_MODE", "gevent"),
            # No warm-up of the grouping suggestions (CPU spared on a shared
            # machine); their own live tests and bench turn it on.
            "WORKSHOP_SUGGEST_WARMUP": "0",
            **self.extra_env,
        }
        env = {k: v for k, v in env.items() if v is not None}  # None: unset
        self.instance.mkdir(parents=True, exist_ok=True)
        self.log = open(self.instance / f"server-{self.port}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "workshop",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=str(ROOT),
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.read_log()}")
            try:
                if http.get(self.url + "/healthz", timeout=1)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.read_log()}")

    def read_log(self) -> str:
        try:
            return (self.instance / f"server-{self.port}.log").read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self, kill: bool = False):
        if self.proc and self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def restart(self, kill: bool = False):
        self.stop(kill=kill)
        return self.start()

    # --- JSON API helpers
    def create_atelier(self, **fields):
        body = {"title": "Atelier de test", "allow_anonymous": True, **fields}
        status, data = http.post_json(self.url + "/api/ateliers", body)
        assert status == 201, data
        return data

    def join(self, code, name="Awa"):
        status, data = http.post_json(
            self.url + f"/api/ateliers/{code}/participants", {"name": name}
        )
        assert status == 201, data
        return data

    # --- Socket.IO clients
    def connect(self, auth: dict, *, wait_snapshot=True, reconnection=True) -> "Client":
        c = Client(self.url, auth, reconnection=reconnection)
        self.clients.append(c)
        c.connect(wait_snapshot=wait_snapshot)
        return c

    def facilitator(self, atelier) -> "Client":
        return self.connect(
            {"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]}
        )

    def projector(self, atelier) -> "Client":
        return self.connect({"role": "projector", "code": atelier["code"]})

    def participant(self, atelier, name="Awa") -> "Client":
        joined = self.join(atelier["code"], name)
        c = self.connect({"role": "participant", "code": atelier["code"], "token": joined["token"]})
        c.participant = joined["participant"]
        c.token = joined["token"]
        return c

    def close_clients(self):
        def close(c):
            with contextlib.suppress(Exception):
                c.sio.disconnect()

        threads = [threading.Thread(target=close, args=(c,)) for c in self.clients]
        for th in threads:
            th.start()
        for th in threads:
            th.join(15)
        self.clients.clear()


class Client:
    """A python-socketio client over a real WebSocket that records what it gets."""

    def __init__(self, url, auth, reconnection=True):
        self.url = url
        self.auth = auth
        self.events: list[tuple[str, object]] = []
        self.batches = 0
        self.cond = threading.Condition()
        self.snapshots: list[dict] = []
        self.sio = socketio.Client(
            reconnection=reconnection,
            reconnection_delay=0.2,
            reconnection_delay_max=1,
            randomization_factor=0,
        )
        self.sio.on("*", self._record)
        self.connect_errors: list = []
        self.sio.on("connect_error", self._on_error)

    def _on_error(self, data):
        self.connect_errors.append(data)

    def _record(self, event, data=None):
        with self.cond:
            if event == "batch":  # several broadcasts in one message, in order
                self.batches += 1
                self.events.extend((e, d) for e, d in data)
            else:
                self.events.append((event, data))
            if event == "snapshot":
                self.snapshots.append(data)
            self.cond.notify_all()

    def connect(self, wait_snapshot=True):
        n = len(self.snapshots)
        self.sio.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=10)
        if wait_snapshot:
            self.wait_for(lambda: len(self.snapshots) > n, "snapshot")

    @property
    def snapshot(self) -> dict:
        return self.snapshots[-1]

    def call(self, event, payload=None, timeout=10):
        # After a reconnection the client may hand us the snapshot before it
        # has marked the namespace connected (each packet is dispatched in its
        # own thread): wait for the namespace rather than fail at once.
        deadline = time.time() + timeout
        while "/" not in self.sio.namespaces and time.time() < deadline:
            time.sleep(0.02)
        return self.sio.call(event, payload if payload is not None else {}, timeout=timeout)

    def wait_for(self, predicate, what="condition", timeout=10):
        deadline = time.time() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}; got {self.events[-5:]}")
                self.cond.wait(left)

    def wait_event(self, name, predicate=lambda d: True, timeout=10):
        found = []

        def check():
            for ev, data in self.events:
                if ev == name and predicate(data):
                    found.append(data)
                    return True
            return False

        self.wait_for(check, f"event {name}", timeout)
        return found[0]

    def received(self, name):
        with self.cond:
            return [d for ev, d in self.events if ev == name]

    def clear(self):
        with self.cond:
            self.events.clear()


@pytest.fixture
def live_server(db_url, tmp_path):
    server = LiveServer(tmp_path / "live-instance", db_url)
    server.instance.mkdir(parents=True, exist_ok=True)
    server.start()
    yield server
    server.stop()  # first: clients then close at once (no 3 s close handshake)
    server.close_clients()


@pytest.fixture
def live_server_sqlite(tmp_path):
    """A live server on SQLite only (browser tests)."""
    server = LiveServer(tmp_path / "live-instance", f"sqlite:///{tmp_path / 'live.sqlite3'}")
    server.instance.mkdir(parents=True, exist_ok=True)
    server.start()
    yield server
    server.stop()  # first: clients then close at once (no 3 s close handshake)
    server.close_clients()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    # The suite runs in several processes on a small machine: an assertion
    # waits up to 15 s for the page to get there (it returns as soon as it has).
    expect.set_options(timeout=15_000)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "fr-FR",
}
LAPTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "fr-FR"}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "fr-FR"}

SCREENSHOTS = ROOT / "docs" / "screenshots"


@contextlib.contextmanager
def held(page, locator):
    """The mouse button held down on ``locator`` while the block runs, then
    let go: a click as a hand makes it, slow enough for a re-render to fall
    between press and release (which would lose it)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    try:
        yield
    finally:
        page.mouse.up()
