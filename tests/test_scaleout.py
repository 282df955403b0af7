"""Several app processes behind nginx, sharing Redis and PostgreSQL.

Three real server processes (``python -m workshop serve``) share broadcasts
through the Socket.IO message queue on a real Redis and their data in a fresh
PostgreSQL schema; Debian's nginx balances them with sticky sessions.

Production uses ``ip_hash``; here every client comes from 127.0.0.1, so the
test's nginx hashes on a query argument (``?ws_node=…``) instead, to put the
phones on chosen processes. Everything else (WebSocket upgrade, proxy
headers, failover to another process) is the production configuration of
docs/deployment.md.

Needs Redis on 127.0.0.1:6379, PostgreSQL on 127.0.0.1:5432 (database
``test``, or ``WORKSHOP_TEST_POSTGRES``) and nginx (Debian package
``nginx-light``). Set ``WORKSHOP_SKIP_SCALEOUT=1`` to skip it where they are
missing. It stops and restarts the machine's Redis once (always restarted).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

import requests_shim as http
from support import Client, LiveServer, free_port

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
POSTGRES = os.environ.get("WORKSHOP_TEST_POSTGRES") or "postgresql://127.0.0.1:5432/test"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    str(REDIS_PORT),
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
NODES = ("n1", "n2", "n3")
TTL = 3  # presence heartbeat time-to-live in this test (seconds)

pytestmark = pytest.mark.timeout(600)


def _missing(what: str):
    if os.environ.get("WORKSHOP_SKIP_SCALEOUT") == "1":
        pytest.skip(f"{what} (WORKSHOP_SKIP_SCALEOUT=1)")
    pytest.fail(
        f"The scale-out test needs {what}. Install and start it, or set WORKSHOP_SKIP_SCALEOUT=1."
    )


def _redis(db=0):
    import redis

    return redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db, socket_timeout=2)


def redis_up() -> bool:
    try:
        return bool(_redis().ping())
    except Exception:
        return False


def start_redis():
    if redis_up():
        return
    subprocess.run(REDIS_START, check=False, timeout=20)
    deadline = time.time() + 20
    while time.time() < deadline and not redis_up():
        time.sleep(0.1)
    assert redis_up(), "Redis did not restart"


def stop_redis():
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], timeout=20)
    deadline = time.time() + 10
    while time.time() < deadline and redis_up():
        time.sleep(0.1)


def _claim_redis_db() -> int:
    """A Redis database number nobody uses, claimed with a marker key."""
    marker = f"claimed-by-{uuid.uuid4().hex}"
    for db in range(15, 0, -1):
        r = _redis(db)
        if r.dbsize() == 0 and r.set("workshop:test-claim", marker, nx=True, ex=3600):
            return db
    pytest.fail("no free Redis database (1..15) for the scale-out test")


def _postgres_schema():
    import sqlalchemy as sa

    schema = "scale_" + uuid.uuid4().hex[:10]
    try:
        engine = sa.create_engine(POSTGRES)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as err:
        _missing(f"PostgreSQL at {POSTGRES} ({err.__class__.__name__})")
    sep = "&" if "?" in POSTGRES else "?"
    return f"{POSTGRES}{sep}options=-csearch_path%3D{schema}", schema


def _drop_schema(schema):
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log {tmp}/nginx-access.log;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  upstream workshop {{
    # Production: ip_hash; (all test clients share 127.0.0.1)
    hash $arg_ws_node consistent;
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://workshop;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 3600s;
      proxy_send_timeout 3600s;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
}}
"""


class Nginx:
    def __init__(self, tmp: Path, ports):
        self.tmp = tmp
        self.port = free_port()
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in ports)
        tmp.mkdir(parents=True, exist_ok=True)
        self.conf = tmp / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(tmp=tmp, port=self.port, servers=servers))
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(self.tmp), "-c", str(self.conf), "-e", str(self.tmp / "err.log")],
            stdout=subprocess.DEVNULL,
            stderr=open(self.tmp / "nginx-stderr.log", "ab"),  # noqa: SIM115
        )
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.tmp / "nginx-stderr.log").read_text())
            with contextlib.suppress(OSError):
                if http.get(self.url + "/healthz", timeout=2)[0] == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Cluster:
    def __init__(self, servers, nginx):
        self.servers = dict(zip(NODES, servers, strict=True))
        self.nginx = nginx
        self.route: dict[str, str] = {}  # node -> ws_node value that reaches it
        self.clients: list[Client] = []

    def discover_routes(self):
        for i in range(300):
            status, _, headers = http.get(f"{self.nginx.url}/healthz?ws_node=k{i}", timeout=5)
            node = {k.lower(): v for k, v in headers.items()}.get("x-workshop-node")
            if status == 200 and node in NODES:
                self.route.setdefault(node, f"k{i}")
            if len(self.route) == len(NODES):
                return
        raise AssertionError(f"could not reach every process: {self.route}")

    def url_for(self, node):
        return f"{self.nginx.url}/?ws_node={self.route[node]}"

    def connect(self, node, auth, reconnection=True) -> Client:
        c = Client(self.url_for(node), auth, reconnection=reconnection)
        self.clients.append(c)
        try:
            c.connect()
        except Exception as err:
            raise AssertionError(f"{node}: {err} {c.connect_errors}\n{self.logs()}") from err
        return c

    def logs(self) -> str:
        out = [f"--- {n}\n{s.read_log()[-1500:]}" for n, s in self.servers.items()]
        with contextlib.suppress(OSError):
            out.append((self.nginx.tmp / "nginx-error.log").read_text()[-1500:])
        return "\n".join(out)

    def api(self, path, body):
        return http.post_json(self.nginx.url + path, body)

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


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not redis_up():
        _missing(f"Redis at {REDIS_HOST}:{REDIS_PORT}")
    if not Path(NGINX).exists():
        _missing("nginx (Debian package nginx-light)")
    db_number = _claim_redis_db()
    db_url, schema = _postgres_schema()
    tmp = tmp_path_factory.mktemp("scaleout")
    from workshop.migrate import upgrade

    upgrade(db_url)  # once, before the processes start (as in deployment.md)
    channel = "test-" + uuid.uuid4().hex[:8]
    servers = [
        LiveServer(
            tmp / node,
            db_url,
            env={
                "SOCKETIO_MESSAGE_QUEUE": f"redis://{REDIS_HOST}:{REDIS_PORT}/{db_number}",
                "WORKSHOP_SOCKETIO_CHANNEL": channel,
                "WORKSHOP_NODE": node,
                "WORKSHOP_PRESENCE_TTL": str(TTL),
                "WORKSHOP_PROXY": "1",
                "WORKSHOP_AUTO_MIGRATE": "0",
            },
        )
        for node in NODES
    ]
    nginx = Nginx(tmp / "nginx", [s.port for s in servers])
    try:
        threads = [threading.Thread(target=s.start) for s in servers]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        assert all(s.proc and s.proc.poll() is None for s in servers), [
            s.read_log() for s in servers
        ]
        nginx.start()
        c = Cluster(servers, nginx)
        c.discover_routes()
        yield c
        c.close_clients()
    finally:
        nginx.stop()
        for s in servers:
            s.stop()
        start_redis()
        with contextlib.suppress(Exception):
            _redis(db_number).flushdb()
        _drop_schema(schema)


def _create_atelier(cluster, title):
    status, data = cluster.api("/api/ateliers", {"title": title, "allow_anonymous": True})
    assert status == 201, data
    return data


def _join(cluster, atelier, name):
    status, data = cluster.api(f"/api/ateliers/{atelier['code']}/participants", {"name": name})
    assert status == 201, data
    return data


def _phone(cluster, node, atelier, name, reconnection=True):
    joined = _join(cluster, atelier, name)
    auth = {"role": "participant", "code": atelier["code"], "token": joined["token"]}
    c = cluster.connect(node, auth, reconnection=reconnection)
    c.participant = joined["participant"]
    return c


def _mentions(data, text) -> bool:
    import json

    return text in json.dumps(data, ensure_ascii=False)


def _wait_mention(client, text, timeout=15, events=None):
    """Wait until some received event (or snapshot) carries ``text``."""
    client.wait_for(
        lambda: any(
            _mentions(d, text) for ev, d in client.events if events is None or ev in events
        ),
        f"an event mentioning {text!r}",
        timeout,
    )


def _board_prompt(fac):
    """A board question if the post-it board exists here, else None."""
    ack = fac.call("board:prompt:create", {"text": "Qu’est-ce qui marche bien ?"})
    return ack["data"]["id"] if ack.get("ok") else None


def _post_note(phone, prompt_id, text):
    ack = phone.call(
        "board:note:create", {"prompt_id": prompt_id, "text": text, "client_id": str(uuid.uuid4())}
    )
    assert ack["ok"], ack
    return ack


def _sync(client):
    ack = client.call("sync")
    assert ack["ok"], ack
    return ack["data"]


@pytest.fixture(scope="module")
def room(cluster):
    """An atelier with its facilitator on n1, projector on n2, phones on n1..n3."""
    atelier = _create_atelier(cluster, "Réseau des tiers-lieux")
    fac = cluster.connect(
        "n1", {"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]}
    )
    proj = cluster.connect("n2", {"role": "projector", "code": atelier["code"]})
    phones = {node: _phone(cluster, node, atelier, f"Phone {node}") for node in NODES}
    return {"atelier": atelier, "fac": fac, "proj": proj, "phones": phones}


def test_phones_on_three_processes_see_every_change(cluster, room):
    fac, proj, phones = room["fac"], room["proj"], room["phones"]
    everyone = [fac, proj, *phones.values()]
    # Presence is counted across the processes.
    proj.wait_event("presence", lambda d: d["count"] == 3)
    assert _sync(fac)["presence"]["count"] == 3
    # The facilitator's change (process n1) reaches every process.
    assert fac.call("atelier:update", {"title": "Coopérer à plusieurs"})["ok"]
    for c in everyone:
        c.wait_event("atelier", lambda d: d["title"] == "Coopérer à plusieurs")
    prompt = _board_prompt(fac)
    room["prompt"] = prompt
    if prompt is not None:  # post-its from each process reach the wall and the console
        for node, phone in phones.items():
            _post_note(phone, prompt, f"Post-it depuis {node}")
        for node in NODES:
            _wait_mention(fac, f"Post-it depuis {node}")
    # Each phone's own status change broadcast: the facilitator locks, all see it.
    assert fac.call("atelier:status", {"status": "locked"})["ok"]
    for c in everyone:
        c.wait_event("atelier", lambda d: d["status"] == "locked")
    assert fac.call("atelier:status", {"status": "open"})["ok"]


def test_a_phone_assigned_on_another_process_follows_its_group(cluster):
    """The facilitator (process n1) puts phones of n2 and n3 in a codev group:
    group broadcasts reach them once their own process has moved their socket
    into the group's room (``codev:rooms``, sent by the page on ``codev:state``)."""
    atelier = _create_atelier(cluster, "Codev à plusieurs processus")
    fac = cluster.connect(
        "n1", {"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]}
    )
    gid = fac.call("codev:group:create", {"name": "Bleu", "room": "Salle Chardon"})["data"]["id"]
    first = _phone(cluster, "n2", atelier, "Nadia")
    second = _phone(cluster, "n3", atelier, "Emilie")
    for phone in (first, second):
        ack = fac.call("codev:join", {"group_id": gid, "participant_id": phone.participant["id"]})
        assert ack["ok"], ack
        state = phone.wait_event("codev:state", lambda d: d["me"]["group_id"] == gid)
        assert state["me"]["role"] == "contributeur"
        ack = phone.call("codev:rooms")  # what the page does on codev:state
        assert ack["ok"] and ack["data"]["me"]["group_id"] == gid, ack
    # A group-only broadcast (the members list, sent to the group's room) made
    # on n1 reaches the phone on n2.
    second_id = second.participant["id"]
    ack = fac.call("codev:role", {"participant_id": second_id, "role": "porteur"})
    assert ack["ok"], ack
    first.wait_event(
        "codev:members",
        lambda d: any(
            m["participant_id"] == second_id and m["role"] == "porteur" for m in d["members"]
        ),
    )
    # Leaving takes the socket out of the room again.
    assert fac.call("codev:leave", {"participant_id": first.participant["id"]})["ok"]
    first.wait_event("codev:state", lambda d: d["me"]["group_id"] is None)
    assert first.call("codev:rooms")["ok"]
    n = len(first.received("codev:members"))
    ack = fac.call("codev:role", {"participant_id": second_id, "role": "animateur"})
    assert ack["ok"], ack
    fac.wait_event("codev:members", lambda d: any(m["role"] == "animateur" for m in d["members"]))
    time.sleep(0.5)
    assert len(first.received("codev:members")) == n


def test_sigkill_a_process_clients_fail_over_and_resync(cluster, room):
    fac, proj, phones = room["fac"], room["proj"], room["phones"]
    atelier = room["atelier"]
    # A phone on n1 that will not come back: its count must not stay forever.
    ghost = _phone(cluster, "n1", atelier, "Ghost", reconnection=False)
    proj.wait_event("presence", lambda d: d["count"] == 4)
    # Acknowledged writes just before the crash.
    assert fac.call("atelier:update", {"title": "Avant la panne"})["ok"]
    prompt = room.get("prompt")
    if prompt is not None:
        _post_note(phones["n1"], prompt, "Écrit juste avant la panne")
    n_fac, n_phone = len(fac.snapshots), len(phones["n1"].snapshots)

    cluster.servers["n1"].proc.send_signal(signal.SIGKILL)
    cluster.servers["n1"].proc.wait(10)

    # Its clients reconnect through nginx to another process and get a snapshot.
    fac.wait_for(lambda: len(fac.snapshots) > n_fac, "facilitator resync", 30)
    phones["n1"].wait_for(lambda: len(phones["n1"].snapshots) > n_phone, "phone resync", 30)
    assert fac.snapshot["atelier"]["title"] == "Avant la panne"
    if prompt is not None:
        assert _mentions(fac.snapshot, "Écrit juste avant la panne")
        assert _mentions(phones["n1"].snapshot, "Écrit juste avant la panne")
    # The dead process's sockets stop counting once its heartbeat expires.
    ghost.sio.disconnect()
    proj.clear()
    proj.wait_for(
        lambda: proj.call("sync")["data"]["presence"]["count"] == 3,
        "presence without the dead process",
        TTL * 6,
    )
    # Life goes on across the two remaining processes.
    assert fac.call("atelier:update", {"title": "Après la panne"})["ok"]
    for c in [fac, proj, *phones.values()]:
        c.wait_event("atelier", lambda d: d["title"] == "Après la panne")

    # The process comes back (same name): it cleans its stale entries itself.
    cluster.servers["n1"].start()
    status, _, headers = http.get(f"{cluster.nginx.url}/healthz?ws_node={cluster.route['n1']}")
    assert status == 200
    assert proj.call("sync")["data"]["presence"]["count"] == 3


def test_redis_restart_processes_recover_by_themselves(cluster, room):
    fac, proj, phones = room["fac"], room["proj"], room["phones"]
    everyone = [fac, proj, *phones.values()]
    counts = {id(c): len(c.snapshots) for c in everyone}
    prompt = room.get("prompt")
    try:
        stop_redis()
        assert not redis_up()
        # Writes during the outage are stored and acknowledged.
        ack = fac.call("atelier:update", {"title": "Pendant la coupure"})
        assert ack["ok"], ack
        if prompt is not None:
            _post_note(phones["n3"], prompt, "Écrit pendant la coupure")
        # Handlers keep answering (presence falls back to the local process).
        assert proj.call("sync")["ok"]
        time.sleep(1)
    finally:
        start_redis()
    # Every client gets a fresh snapshot once the queue is back (resync),
    # holding what was written during the outage.
    for c in everyone:
        c.wait_for(
            lambda c=c: (
                len(c.snapshots) > counts[id(c)]
                and c.snapshot["atelier"]["title"] == "Pendant la coupure"
            ),
            "resync snapshot after the Redis outage",
            90,
        )
    if prompt is not None:
        assert _mentions(fac.snapshot, "Écrit pendant la coupure")
    # Cross-process broadcasts work again.
    assert fac.call("atelier:update", {"title": "Redis est revenu"})["ok"]
    for c in everyone:
        c.wait_event("atelier", lambda d: d["title"] == "Redis est revenu", timeout=30)
    proj.wait_for(
        lambda: proj.call("sync")["data"]["presence"]["count"] == 3, "presence republished", 20
    )
