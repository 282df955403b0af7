"""Post-it board under load: N phones and one projector on the real server,
compared with a bare python-socketio broadcast server.

    python bench/board_bench.py [--sizes 50 300 1000] [--notes 2] [--window 20]
                                [--burst 300] [--per-proc 200] [--deflate]
                                [--servers workshop baseline bare-gevent bare]
                                [--baseline DIR] [--repeat R] [--markdown]
    python bench/board_bench.py --mode ateliers [--broadcast-window-ms 300]
                                [--seconds 20] [--servers workshop baseline]

For each N, the real server (``python -m workshop serve`` on a temporary
SQLite database) is started in its own process, with an atelier and one open
prompt in live mode. N phones (python-socketio, WebSocket transport) and one
projector connect. The phones are spread over several generator processes
(``--per-proc`` phones each: python-socketio clients use threads). Each phone
posts ``--notes`` notes at random moments over ``--window`` seconds; every
note carries its send time (one clock, one machine), so every receiver
measures the fan-out latency itself. Then a burst: ``--burst`` phones each post
one note at the same instant.

Measured: ack latency; fan-out latency to the projector and to every phone
(p50, p95, p99; and per note, the time until the last receiver got it); notes
lost (acknowledged but not in the database, or never acknowledged) and
duplicated (database rows, deliveries); server RSS per connection; CPU
seconds used during each phase by the server and by the generators (on one
machine they share the cores). ``--deflate``: the phones offer
permessage-deflate, as browsers do. The same load is then run against
``bench/bare_server.py``, on gevent (``bare-gevent``: the product's own
stack) and in threading mode (``bare``), and the p99 ratios reported.

``--baseline DIR``: a checkout of another version of the project (for
example ``git archive <commit> | tar -x -C DIR``), run as the server
``baseline`` with the same load, alternately with this one (``--repeat``
runs the whole list again): before/after figures from one run of a shared
machine. At the end, the board's targets are checked for each run
(:func:`targets`).

``--mode ateliers``: the three-ateliers check (:func:`ateliers_check`): a
quiet atelier must not wait for a busy one.
"""

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent
BUCKET_MS = 1  # histogram resolution
MAX_MS = 60_000


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(url, data=None):
    req = urllib.request.Request(
        url,
        data=json.dumps(data).encode() if data is not None else None,
        headers={"Content-Type": "application/json"},
        method="POST" if data is not None else "GET",
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.loads(res.read())


def cpu_s(pid):
    """User + system CPU seconds used so far by process ``pid``."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def quiet_gc() -> None:
    """Called by a load generator once its clients are connected, before GO.

    The generator is the measuring instrument: a full collection of the
    objects of its hundreds of clients (100 to 140 ms, measured) would be
    counted as fan-out latency. Objects alive now are left out of later
    collections, and young collections become rarer.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)


def loop_name() -> str:
    """The event loop of the load generators: uvloop when it is installed
    (``pip install -e ".[bench]"``), whose loop costs the generator less
    processor for the same clients; ``WORKSHOP_BENCH_LOOP=asyncio`` keeps
    the standard one (to compare)."""
    if os.environ.get("WORKSHOP_BENCH_LOOP", "uvloop") == "uvloop":
        try:
            import uvloop  # noqa: F401
        except ImportError:
            return "asyncio"
        return "uvloop"
    return "asyncio"


def run_loop(coro) -> None:
    """Run a load generator's coroutine on :func:`loop_name`'s loop."""
    if loop_name() == "uvloop":
        import uvloop

        uvloop.run(coro)
    else:
        import asyncio

        asyncio.run(coro)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def all_received(deliveries, receivers, expected):
    """Whether each of the ``receivers`` got ``expected`` distinct notes."""
    if expected == 0:  # nothing to wait for (--notes 0: the burst alone)
        return True
    return len(deliveries) >= receivers and all(len(d) >= expected for d in deliveries.values())


class Histogram:
    def __init__(self, counts=None):
        self.counts = counts or {}

    def add(self, seconds):
        ms = min(MAX_MS, max(0, int(seconds * 1000 / BUCKET_MS)))
        self.counts[ms] = self.counts.get(ms, 0) + 1

    def merge(self, other):
        for k, v in other.items():
            k = int(k)
            self.counts[k] = self.counts.get(k, 0) + v

    @property
    def n(self):
        return sum(self.counts.values())

    def pct(self, p):
        total = self.n
        if not total:
            return None
        rank = p / 100 * total
        seen = 0
        for k in sorted(self.counts):
            seen += self.counts[k]
            if seen >= rank:
                return k * BUCKET_MS
        return max(self.counts) * BUCKET_MS


# ---------------------------------------------------------------- generator process


def worker(cfg):
    """Connect phones (and maybe the projector), wait for GO, post, report."""
    import socketio

    raise_nofile()
    url = cfg["url"]
    fanout = Histogram()
    projector = Histogram()
    acks = Histogram()
    per_note_max = {}
    deliveries = {}  # receiver index -> {cid: count}
    lock = threading.Lock()
    sent, acked, refused = {}, set(), []
    clients = []

    def on_note(idx, is_projector):
        def handler(data):
            now = time.time()
            text = data.get("text") or ""
            if " t=" not in text:
                return
            cid = data.get("client_id") or text.split()[1]
            t_send = float(text.rsplit(" t=", 1)[1])
            lat = now - t_send
            with lock:
                (projector if is_projector else fanout).add(lat)
                per_note_max[cid] = max(per_note_max.get(cid, 0.0), lat)
                d = deliveries.setdefault(idx, {})
                d[cid] = d.get(cid, 0) + 1

        return handler

    def connect(idx, auth, is_projector=False):
        sio = socketio.Client(reconnection=True, reconnection_delay=0.5)
        handler = on_note(idx, is_projector)
        sio.on("board:note", handler)

        def on_batch(items, handler=handler):  # broadcasts coalesced by the server
            for event, data in items:
                if event == "board:note":
                    handler(data)

        sio.on("batch", on_batch)
        error = None
        for attempt in range(5):
            try:
                sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=30)
                break
            except Exception as err:
                error = err
                time.sleep(0.5 + attempt)
        else:
            raise RuntimeError(f"could not connect: {error!r}")
        return sio

    if cfg.get("projector"):
        clients.append((None, connect(-1, cfg["projector"], True)))
    for i, auth in enumerate(cfg["phones"]):
        clients.append((i, connect(i, auth)))
    quiet_gc()
    print("READY", flush=True)
    line = sys.stdin.readline().split()
    start, phase, expected = float(line[1]), line[2], int(line[3])
    cpu0 = time.process_time()
    prompt_id = cfg["prompt_id"]
    schedule = []
    phones = [sio for i, sio in clients if i is not None]
    if phase == "steady":
        for sio in phones:
            for _ in range(cfg["notes"]):
                schedule.append((start + random.uniform(0, cfg["window"]), sio))
    else:
        for sio in phones[: cfg["burst"]]:
            schedule.append((start, sio))
    schedule.sort(key=lambda x: x[0])

    def send(sio):
        cid = str(uuid.uuid4())
        t = time.time()
        payload = {"client_id": cid, "text": f"bench {cid} t={t:.6f}"}
        if prompt_id:
            payload["prompt_id"] = prompt_id

        def on_ack(ack):
            now = time.time()
            with lock:
                acks.add(now - t)
                if ack and ack.get("ok"):
                    acked.add(cid)
                else:
                    refused.append(ack)

        with lock:
            sent[cid] = t
        sio.emit("board:note:create", payload, callback=on_ack)

    for at, sio in schedule:
        delay = at - time.time()
        if delay > 0:
            time.sleep(delay)
        try:
            send(sio)
        except Exception as err:  # a disconnected client: counted as lost
            refused.append({"error": repr(err)})
    # wait for the acks, then for every receiver to have every note of the
    # phase (``expected``, all generators together), then settle
    deadline = time.time() + cfg["settle"]
    while time.time() < deadline:
        with lock:
            if len(acked) + len(refused) >= len(sent) and all_received(
                deliveries, len(clients), expected
            ):
                break
        time.sleep(0.2)
    time.sleep(cfg["settle_after"])
    with lock:
        dup_deliveries = sum(1 for d in deliveries.values() for c in d.values() if c > 1)
        result = {
            "cpu_s": time.process_time() - cpu0,
            "sent": list(sent),
            "acked": list(acked),
            "refused": refused[:5],
            "refused_n": len(refused),
            "fanout": fanout.counts,
            "projector": projector.counts,
            "acks": acks.counts,
            "per_note_max": per_note_max,
            "received": {str(k): list(v) for k, v in deliveries.items()},
            "dup_deliveries": dup_deliveries,
        }
    print("RESULT " + json.dumps(result), flush=True)
    sys.stdout.flush()
    os._exit(0)  # closing hundreds of clients one by one is slow: just leave


class FastJson:
    """The JSON module of the asyncio generator's clients: msgspec's decoder
    (the ``bench`` extra) instead of the standard one, which python-socketio
    builds anew for every message. The generator is the measuring
    instrument and shares the server's machine: what it spends decoding the
    broadcasts it receives is taken from the server (measured:
    docs/PERFORMANCE.md)."""

    @staticmethod
    def loads(data, **_):
        return msgspec.json.decode(data)

    @staticmethod
    def dumps(obj, **_):
        return msgspec.json.encode(obj).decode()


def async_worker(cfg):
    """The same phones as :func:`worker`, on one asyncio loop (python-socketio
    ``AsyncClient`` over aiohttp): no thread per client nor per message, so
    that the generator uses far less CPU than the threaded client."""
    import asyncio

    import socketio

    raise_nofile()
    fanout, projector, acks = Histogram(), Histogram(), Histogram()
    per_note_max, deliveries = {}, {}
    sent, acked, refused = {}, set(), []

    def on_note(idx, is_projector):
        def record(data, now):
            text = data.get("text") or ""
            if " t=" not in text:
                return
            cid = data.get("client_id") or text.split()[1]
            lat = now - float(text.rsplit(" t=", 1)[1])
            (projector if is_projector else fanout).add(lat)
            per_note_max[cid] = max(per_note_max.get(cid, 0.0), lat)
            d = deliveries.setdefault(idx, {})
            d[cid] = d.get(cid, 0) + 1

        return record

    async def connect(idx, auth, is_projector=False):
        # --deflate: offer permessage-deflate, as browsers do.
        extra = {"compress": 15} if cfg.get("deflate") else {}
        sio = socketio.AsyncClient(
            reconnection=True,
            reconnection_delay=0.5,
            websocket_extra_options=extra,
            json=FastJson,
        )
        record = on_note(idx, is_projector)

        async def on_one(data, record=record):
            record(data, time.time())

        sio.on("board:note", on_one)

        async def on_batch(items, record=record):  # broadcasts coalesced by the server
            now = time.time()  # one message: every note in it arrived now
            for event, data in items:
                if event == "board:note":
                    record(data, now)

        sio.on("batch", on_batch)
        error = None
        for attempt in range(5):
            try:
                await sio.connect(cfg["url"], auth=auth, transports=["websocket"], wait_timeout=60)
                return sio
            except Exception as err:
                error = err
                await asyncio.sleep(0.5 + attempt)
        raise RuntimeError(f"could not connect: {error!r}")

    async def main():
        loop = asyncio.get_running_loop()
        clients = []
        if cfg.get("projector"):
            clients.append((None, await connect(-1, cfg["projector"], True)))
        sem = asyncio.Semaphore(20)  # connect 20 at a time

        async def one(i, auth):
            async with sem:
                return (i, await connect(i, auth))

        clients += await asyncio.gather(*(one(i, a) for i, a in enumerate(cfg["phones"])))
        quiet_gc()
        print("READY", flush=True)
        line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
        start, phase, expected = float(line[1]), line[2], int(line[3])
        cpu0 = time.process_time()
        phones = [sio for i, sio in clients if i is not None]
        schedule = []
        if phase == "steady":
            for sio in phones:
                for _ in range(cfg["notes"]):
                    schedule.append((start + random.uniform(0, cfg["window"]), sio))
        else:
            for sio in phones[: cfg["burst"]]:
                schedule.append((start, sio))
        schedule.sort(key=lambda x: x[0])

        async def send(sio):
            cid = str(uuid.uuid4())
            t = time.time()
            payload = {"client_id": cid, "text": f"bench {cid} t={t:.6f}"}
            if cfg["prompt_id"]:
                payload["prompt_id"] = cfg["prompt_id"]

            def on_ack(ack):
                acks.add(time.time() - t)
                if ack and ack.get("ok"):
                    acked.add(cid)
                else:
                    refused.append(ack)

            sent[cid] = t
            try:
                await sio.emit("board:note:create", payload, callback=on_ack)
            except Exception as err:  # a disconnected client: counted as lost
                refused.append({"error": repr(err)})

        tasks = []
        for at, sio in schedule:
            delay = at - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(sio)))
        await asyncio.gather(*tasks)
        deadline = time.time() + cfg["settle"]
        while time.time() < deadline and (
            len(acked) + len(refused) < len(sent)
            or not all_received(deliveries, len(clients), expected)
        ):
            await asyncio.sleep(0.2)
        await asyncio.sleep(cfg["settle_after"])
        dup = sum(1 for d in deliveries.values() for c in d.values() if c > 1)
        result = {
            "cpu_s": time.process_time() - cpu0,
            "sent": list(sent),
            "acked": list(acked),
            "refused": refused[:5],
            "refused_n": len(refused),
            "fanout": fanout.counts,
            "projector": projector.counts,
            "acks": acks.counts,
            "per_note_max": per_note_max,
            "received": {str(k): list(v) for k, v in deliveries.items()},
            "dup_deliveries": dup,
        }
        print("RESULT " + json.dumps(result), flush=True)
        os._exit(0)

    run_loop(main())


# ---------------------------------------------------------------- orchestration


# A checkout of another version of the project (--baseline): run as the
# server kind "baseline", alternately with this one, in the same run.
BASELINE: Path | None = None


def start_server(kind, port, tmp, database=None, env_extra=None):
    """Start a server (``workshop``, ``baseline`` or a bare one) on ``port``;
    ``database``: its ``DATABASE_URL`` (default: SQLite in ``tmp``)."""
    # The grouping suggestions' warm-up (SciPy, the lemma tables: about 50 MB
    # and 1.5 s of processor at start) would run during the first phones'
    # connection: a real server does it long before the room arrives.
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "WORKSHOP_SUGGEST_WARMUP": os.environ.get("WORKSHOP_SUGGEST_WARMUP", "0"),
        **(env_extra or {}),
    }
    cwd = ROOT
    if kind == "baseline":
        if BASELINE is None:
            raise RuntimeError("--baseline DIR is needed for the baseline server")
        cwd = BASELINE
        env["PYTHONPATH"] = str(BASELINE)
    if kind in ("workshop", "baseline"):
        env.update(
            {
                "DATABASE_URL": database or f"sqlite:///{tmp / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "WORKSHOP_INSTANCE": str(tmp / "instance"),
                "WORKSHOP_RATE_LIMITS": "0",
            }
        )
        cmd = [
            sys.executable,
            "-m",
            "workshop",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        health = "/healthz"
    else:
        cmd = [sys.executable, str(ROOT / "bench" / "bare_server.py"), "--port", str(port)]
        if kind == "bare-gevent":
            cmd += ["--async-mode", "gevent"]
        health = "/"
    log = open(tmp / f"{kind}-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=str(cwd), env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + health, timeout=1)
            return proc, url
        except Exception:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{kind} server did not start")


def _bursts(chunks, total):
    """How many burst notes each generator sends (the first ones fill up)."""
    out, left = [], total
    for chunk in chunks:
        out.append(min(len(chunk), left))
        left -= out[-1]
    return out


def spawn_worker(script, cfg):
    """``script --worker`` in a new process, given ``cfg`` (JSON) on its stdin."""
    w = subprocess.Popen(
        [sys.executable, script, "--worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    w.stdin.write(json.dumps(cfg) + "\n")
    w.stdin.flush()
    return w


def start_workers(
    chunks, url, projector, prompt_id, client, *, notes, window, bursts, settle, deflate=False
):
    """One generator process per chunk of phones; returns once all are READY."""
    workers = []
    for k, (chunk, burst) in enumerate(zip(chunks, bursts, strict=True)):
        cfg = {
            "url": url,
            "phones": chunk,
            "projector": projector if k == 0 else None,
            "prompt_id": prompt_id,
            "notes": notes,
            "window": window,
            "burst": burst,
            "settle": settle[0],
            "settle_after": settle[1],
            "client": client,
            "deflate": deflate,
        }
        workers.append(spawn_worker(__file__, cfg))
    for w in workers:
        line = w.stdout.readline()
        if not line.startswith("READY"):
            raise RuntimeError(f"worker failed: {line!r}")
    return workers


def run_one(kind, n, args, tmp):
    port = free_port()
    proc, url = start_server(kind, port, tmp)
    try:
        rss0 = rss_kb(proc.pid)
        prompt_id = None
        if kind in ("workshop", "baseline"):
            atelier = http_json(url + "/api/ateliers", {"title": "Bench", "allow_anonymous": True})
            import socketio

            fac = socketio.Client()
            fac.connect(
                url,
                auth={"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]},
                transports=["websocket"],
                wait_timeout=30,
            )
            prompt_id = fac.call("board:prompt:create", {"text": "Bench ?"})["data"]["id"]
            fac.disconnect()
            phones = []
            for i in range(n):
                joined = http_json(
                    url + f"/api/ateliers/{atelier['code']}/participants", {"name": f"P{i}"}
                )
                phones.append(
                    {"role": "participant", "code": atelier["code"], "token": joined["token"]}
                )
            projector = {"role": "projector", "code": atelier["code"]}
        else:
            phones = [{"role": "participant"} for _ in range(n)]
            projector = {"role": "projector"}
        chunks = [phones[i : i + args.per_proc] for i in range(0, n, args.per_proc)]
        workers = start_workers(
            chunks,
            url,
            projector,
            prompt_id,
            args.client,
            notes=args.notes,
            window=args.window,
            bursts=_bursts(chunks, args.burst),
            settle=(60, 3),
            deflate=args.deflate,
        )
        rss1 = rss_kb(proc.pid)
        results = {}
        for phase in ("steady", "burst"):
            if phase == "burst" and n < args.burst:
                continue
            go = time.time() + 1.0
            server_cpu0 = cpu_s(proc.pid)
            expected = n * args.notes if phase == "steady" else args.burst
            for w in workers:
                w.stdin.write(f"GO {go} {phase} {expected}\n")
                w.stdin.flush()
            outs = []
            for w in workers:
                while True:
                    line = w.stdout.readline()
                    if not line:
                        raise RuntimeError("worker died")
                    if line.startswith("RESULT "):
                        outs.append(json.loads(line[7:]))
                        break
            wall, server_cpu = time.time() - go, cpu_s(proc.pid) - server_cpu0
            for o in outs:  # the server's CPU and the phase's wall time, for summarise
                o["server_cpu_s"] = server_cpu
                o["wall_s"] = wall
            results[phase] = outs
            if phase == "steady" and n >= args.burst:
                # workers exit after one phase: start fresh ones for the burst
                for w in workers:
                    w.wait(30)
                workers = start_workers(
                    chunks,
                    url,
                    projector,
                    prompt_id,
                    args.client,
                    notes=0,
                    window=0,
                    bursts=_bursts(chunks, args.burst),
                    settle=(30, 2),
                )
        rss2 = rss_kb(proc.pid)
        for w in workers:
            w.wait(30)
        db_counts = None
        if kind in ("workshop", "baseline"):
            con = sqlite3.connect(tmp / "bench.sqlite3")
            db_counts = dict(
                con.execute("SELECT client_id, COUNT(*) FROM board_note GROUP BY client_id")
            )
            con.close()
        return summarise(kind, n, results, db_counts, rss0, rss1, rss2)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def summarise(kind, n, results, db_counts, rss0, rss1, rss2):
    out = {
        "kind": kind,
        "n": n,
        "rss_per_conn_kb": round((rss1 - rss0) / (n + 1), 1),
        "rss_mb": round(rss2 / 1024, 1),
    }
    for phase, outs in results.items():
        fan, proj, acks = Histogram(), Histogram(), Histogram()
        per_note = {}
        sent, acked = set(), set()
        dup_deliveries = 0
        receivers = {}
        for o in outs:
            fan.merge(o["fanout"])
            proj.merge(o["projector"])
            acks.merge(o["acks"])
            sent |= set(o["sent"])
            acked |= set(o["acked"])
            dup_deliveries += o["dup_deliveries"]
            for cid, v in o["per_note_max"].items():
                per_note[cid] = max(per_note.get(cid, 0.0), v)
            for idx, cids in o["received"].items():
                receivers[(id(o), idx)] = set(cids)
        last = Histogram()
        for v in per_note.values():
            last.add(v)
        missed = sum(len(acked - got) for got in receivers.values())
        stats = {
            "notes": len(sent),
            "acked": len(acked),
            "ack_p50": acks.pct(50),
            "ack_p95": acks.pct(95),
            "ack_p99": acks.pct(99),
            "ack_max": acks.pct(100),
            "fan_p50": fan.pct(50),
            "fan_p95": fan.pct(95),
            "fan_p99": fan.pct(99),
            "proj_p50": proj.pct(50),
            "proj_p95": proj.pct(95),
            "proj_p99": proj.pct(99),
            "proj_max": proj.pct(100),
            "last_p99": last.pct(99),
            "last_max": last.pct(100),
            "deliveries": fan.n + proj.n,
            "missed_deliveries": missed,
            "dup_deliveries": dup_deliveries,
        }
        # "unacked": sent but never acknowledged (the generator does not resend,
        # unlike the phone's outbox); "lost": acknowledged but not in the database.
        stats["unacked"] = len(sent - acked)
        if db_counts is not None:
            stats["lost"] = len(acked - set(db_counts))
            stats["duplicated"] = sum(c - 1 for cid, c in db_counts.items() if cid in sent)
        else:
            stats["lost"] = 0
            stats["duplicated"] = 0
        # CPU seconds used during the phase (from GO to the last result): the
        # server's, and the load generators' (on the same machine, they compete)
        stats["server_cpu_s"] = round(max(o.get("server_cpu_s", 0.0) for o in outs), 2)
        stats["generators_cpu_s"] = round(sum(o.get("cpu_s", 0.0) for o in outs), 2)
        stats["wall_s"] = round(max(o.get("wall_s", 0.0) for o in outs), 2)
        out[phase] = stats
    return out


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "?"
            )
        with open("/proc/meminfo") as f:
            mem = next(ln for ln in f if ln.startswith("MemTotal"))
        mem_gb = round(int(mem.split()[1]) / 1024 / 1024, 1)
    except OSError:
        mem_gb = "?"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": mem_gb,
        "python": platform.python_version(),
        "generator_loop": loop_name(),
        "load_before": os.getloadavg(),
    }


def markdown(rows):
    lines = [
        "| server | N | notes | unacked | lost | dup | ack p50/p95/p99 ms | projector p50/p95/p99 ms | phones p50/p95/p99 ms | last receiver p99 ms | RSS/conn KB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        s = r["steady"]
        lines.append(
            f"| {r['kind']} | {r['n']} | {s['notes']} | {s['unacked']} | {s['lost']} | {s['duplicated']} | "
            f"{s['ack_p50']}/{s['ack_p95']}/{s['ack_p99']} | {s['proj_p50']}/{s['proj_p95']}/{s['proj_p99']} | "
            f"{s['fan_p50']}/{s['fan_p95']}/{s['fan_p99']} | {s['last_p99']} | {r['rss_per_conn_kb']} |"
        )
    bursts = [r for r in rows if "burst" in r]
    if bursts:
        lines += [
            "",
            "| server | N | burst notes | acked | lost | ack max ms | projector max ms | last phone p99 / max ms |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in bursts:
            b = r["burst"]
            lines.append(
                f"| {r['kind']} | {r['n']} | {b['notes']} | {b['acked']} | {b['lost']} | {b['ack_max']} | "
                f"{b['proj_max']} | {b['last_p99']} / {b['last_max']} |"
            )
    lines += [
        "",
        "| server | N | phase | wall s | server CPU s | generators CPU s |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        for phase in ("steady", "burst"):
            if phase in r:
                p = r[phase]
                lines.append(
                    f"| {r['kind']} | {r['n']} | {phase} | {p['wall_s']} | "
                    f"{p['server_cpu_s']} | {p['generators_cpu_s']} |"
                )
    return "\n".join(lines)


def main():
    if "--worker" in sys.argv:
        cfg = json.loads(sys.stdin.readline())
        (async_worker if cfg.get("client") == "async" else worker)(cfg)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 300, 1000])
    parser.add_argument("--notes", type=int, default=2, help="notes per phone (steady phase)")
    parser.add_argument("--window", type=float, default=20.0, help="seconds of the steady phase")
    parser.add_argument("--burst", type=int, default=300)
    parser.add_argument("--per-proc", type=int, default=200, help="phones per generator process")
    parser.add_argument(
        "--servers",
        nargs="+",
        default=["workshop", "bare-gevent", "bare"],
        help="workshop (this tree), baseline (--baseline), bare-gevent, bare (threading)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of another version, run as the server 'baseline' (before/after)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run the whole list of servers this many times"
    )
    parser.add_argument(
        "--mode",
        choices=["board", "ateliers"],
        default="board",
        help="ateliers: the three-ateliers check (latency per atelier, see ateliers_check)",
    )
    parser.add_argument(
        "--broadcast-window-ms",
        type=int,
        default=300,
        help="ateliers mode: WORKSHOP_BROADCAST_WINDOW_MS of the servers",
    )
    parser.add_argument("--seconds", type=int, default=20, help="ateliers mode: rounds")
    parser.add_argument(
        "--client",
        choices=["async", "threads"],
        default="async",
        help="load generator: asyncio clients (default) or threaded clients",
    )
    parser.add_argument(
        "--deflate",
        action="store_true",
        help="phones offer permessage-deflate, as browsers do (asyncio generator only)",
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    global BASELINE
    BASELINE = args.baseline.resolve() if args.baseline else None
    raise_nofile()
    info = machine()
    if args.mode == "ateliers":
        rows = []
        with tempfile.TemporaryDirectory() as d:
            for r in range(args.repeat):
                for kind in [k for k in args.servers if k in ("workshop", "baseline")]:
                    tmp = Path(d) / f"{kind}-{r}"
                    tmp.mkdir()
                    row = ateliers_check(kind, args, tmp)
                    rows.append(row)
                    print(json.dumps(row), file=sys.stderr, flush=True)
        info["load_after"] = os.getloadavg()
        print(json.dumps(info))
        print(ateliers_markdown(rows) if args.markdown else json.dumps(rows, indent=1))
        return
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for r in range(args.repeat):
            for n in args.sizes:
                for kind in args.servers:
                    tmp = Path(d) / f"{kind}-{n}-{r}"
                    tmp.mkdir()
                    row = run_one(kind, n, args, tmp)
                    row["run"] = r
                    rows.append(row)
                    print(json.dumps(row), file=sys.stderr, flush=True)
    ratios = {}  # "server / bare server": {N: [p99 ratio of each run]}
    for r in range(args.repeat):
        for n in args.sizes:
            pair = {x["kind"]: x for x in rows if x["n"] == n and x["run"] == r}
            for product in ("workshop", "baseline"):
                for bare in ("bare", "bare-gevent"):
                    if product in pair and bare in pair and pair[bare]["steady"]["fan_p99"]:
                        ratios.setdefault(f"{product} / {bare}", {}).setdefault(n, []).append(
                            round(
                                pair[product]["steady"]["fan_p99"]
                                / pair[bare]["steady"]["fan_p99"],
                                2,
                            )
                        )
    checks = targets(rows)
    info["load_after"] = os.getloadavg()
    info["deflate"] = args.deflate
    if args.markdown:
        print(json.dumps(info))
        print(markdown(rows))
        print("\np99 fan-out ratio:", ratios)
        print("\n" + "\n".join(checks))
    else:
        print(
            json.dumps(
                {"machine": info, "rows": rows, "ratios": ratios, "targets": checks}, indent=1
            )
        )


def ateliers_check(kind, args, tmp, ateliers=3):
    """Three ateliers on one server process, each with a console and a
    projector; every second the three consoles send ``atelier:update`` at the
    same instant, and each projector measures how long its own atelier's
    change took to reach it (same clock). The server runs with
    ``WORKSHOP_BROADCAST_WINDOW_MS=--broadcast-window-ms`` (300 ms makes a
    shared window visible: a quiet atelier must not wait for a busy one).
    Reported per atelier, and per round the slowest of the three."""
    import socketio

    port = free_port()
    env = {"WORKSHOP_BROADCAST_WINDOW_MS": str(args.broadcast_window_ms)}
    proc, url = start_server(kind, port, tmp, env_extra=env)
    clients = []
    try:
        lat = {k: [] for k in range(ateliers)}
        lock = threading.Lock()
        consoles = []
        for k in range(ateliers):
            a = http_json(url + "/api/ateliers", {"title": f"A{k}", "allow_anonymous": True})
            fac = socketio.Client()
            fac.connect(
                url,
                auth={"role": "facilitator", "code": a["code"], "secret": a["secret"]},
                transports=["websocket"],
                wait_timeout=30,
            )
            proj = socketio.Client()

            def on_atelier(data, k=k):
                now = time.time()
                title = (data or {}).get("title") or ""
                if title.startswith("r ") and " t=" in title:
                    with lock:
                        lat[k].append(now - float(title.rsplit(" t=", 1)[1]))

            def on_batch(items, handler=on_atelier):
                for event, data in items:
                    if event == "atelier":
                        handler(data)

            proj.on("atelier", on_atelier)
            proj.on("batch", on_batch)
            proj.connect(
                url, auth={"role": "projector", "code": a["code"]}, transports=["websocket"]
            )
            clients += [fac, proj]
            consoles.append(fac)
        time.sleep(1.0)
        cpu0 = cpu_s(proc.pid)

        def send(fac, at, i):
            time.sleep(max(0.0, at - time.time()))
            t = time.time()
            fac.emit("atelier:update", {"title": f"r {i} t={t:.6f}"}, callback=lambda ack: None)

        start = time.time() + 0.5
        for i in range(args.seconds):
            at = start + i
            threads = [threading.Thread(target=send, args=(fac, at, i)) for fac in consoles]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
        time.sleep(1.0 + args.broadcast_window_ms / 1000)
        server_cpu = cpu_s(proc.pid) - cpu0
    finally:
        for c in clients:
            with contextlib.suppress(Exception):
                c.disconnect()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()

    def pct(values, p):
        if not values:
            return None
        v = sorted(values)
        return round(1000 * v[min(len(v) - 1, int(p / 100 * len(v)))], 1)

    rounds = min(len(v) for v in lat.values())
    slowest = [max(lat[k][i] for k in lat) for i in range(rounds)]
    return {
        "kind": kind,
        "window_ms": args.broadcast_window_ms,
        "rounds": args.seconds,
        "received": {k: len(v) for k, v in lat.items()},
        "per_atelier_p50": {k: pct(v, 50) for k, v in lat.items()},
        "per_atelier_p99": {k: pct(v, 99) for k, v in lat.items()},
        "slowest_of_round_p50": pct(slowest, 50),
        "slowest_of_round_max": pct(slowest, 100),
        "server_cpu_s": round(server_cpu, 2),
    }


def ateliers_markdown(rows):
    lines = [
        "| server | window ms | rounds | received | p50 per atelier ms | p99 per atelier ms "
        "| slowest of each round p50 / max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        rec = "/".join(str(v) for v in r["received"].values())
        p50 = " / ".join(str(v) for v in r["per_atelier_p50"].values())
        p99 = " / ".join(str(v) for v in r["per_atelier_p99"].values())
        lines.append(
            f"| {r['kind']} | {r['window_ms']} | {r['rounds']} | {rec} | {p50} | {p99} | "
            f"{r['slowest_of_round_p50']} / {r['slowest_of_round_max']} |"
        )
    return "\n".join(lines)


def targets(rows) -> list[str]:
    """The targets of the board, checked on each run of each product server
    (``workshop``, ``baseline``), against the bare gevent server of the same
    run and N:

    - steady phase at 300 phones: phones' p99 at most 1.3 times the bare
      gevent server's;
    - the burst of 300: every note acknowledged, and on the projector, within
      0.6 s of being sent;
    - 1,000 phones: phones' p99 at most 300 ms;
    - nothing lost (acknowledged but not stored), nothing unacknowledged.
    """
    out = []
    for r in rows:
        if r["kind"] not in ("workshop", "baseline"):
            continue
        tag = f"{r['kind']} run {r.get('run', 0)} N={r['n']}"
        s = r["steady"]
        bare = next(
            (
                x
                for x in rows
                if x["kind"] == "bare-gevent" and x["n"] == r["n"] and x.get("run") == r.get("run")
            ),
            None,
        )
        if r["n"] == 300 and s["notes"] and bare and bare["steady"]["fan_p99"]:
            limit = 1.3 * bare["steady"]["fan_p99"]
            ok = s["fan_p99"] <= limit
            out.append(
                f"{'PASS' if ok else 'FAIL'} {tag}: steady p99 {s['fan_p99']} ms "
                f"<= 1.3 x bare gevent {bare['steady']['fan_p99']} ms = {limit:.0f} ms"
            )
        if "burst" in r and r["n"] >= 300:
            b = r["burst"]
            worst = max(b["ack_max"] or 0, b["proj_max"] or 0)
            ok = b["acked"] == b["notes"] and worst <= 600
            out.append(
                f"{'PASS' if ok else 'FAIL'} {tag}: burst of {b['notes']}: {b['acked']} acked, "
                f"last ack {b['ack_max']} ms, last on the projector {b['proj_max']} ms (<= 600)"
            )
        if r["n"] == 1000 and s["notes"]:  # (no steady phase: --notes 0)
            ok = s["fan_p99"] <= 300
            out.append(f"{'PASS' if ok else 'FAIL'} {tag}: steady p99 {s['fan_p99']} ms (<= 300)")
        lost = sum(r[p]["lost"] + r[p]["unacked"] for p in ("steady", "burst") if p in r)
        out.append(f"{'PASS' if lost == 0 else 'FAIL'} {tag}: {lost} lost or unacknowledged")
    return out


if __name__ == "__main__":
    main()
