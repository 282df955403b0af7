"""Scale-out benchmark: N app processes + Redis + PostgreSQL, many phones.

    flock /tmp/bench.lock python bench/scaleout_bench.py --processes 3 --phones 900

Starts ``--processes`` servers (``python -m workshop serve``) sharing a Redis
message queue and a fresh PostgreSQL schema, creates ``--ateliers`` ateliers,
joins ``--phones`` participants spread over them and connects each one over a
real WebSocket (python-socketio asyncio clients by default, ``--client
threads`` for the thread-based ones, in several generator processes),
phones spread round-robin over the processes as a sticky balancer would.

Load: each atelier's facilitator sends ``atelier:update`` (a title change,
broadcast to every phone, the projector and the console of that atelier)
``--messages`` times, every ``--interval`` seconds. The title carries the send
time; each phone records the delay until it receives it (fan-out latency).
Reports p50/p95/p99/max, the slowest delivery of each message, and how many
deliveries were lost. Generators quiet their garbage collector once connected
(``board_bench.quiet_gc``): its pauses would be counted as latency.

Needs Redis on 127.0.0.1:6379 and PostgreSQL (``--postgres``).
"""

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from board_bench import loop_name, quiet_gc, run_loop

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_json(url, data):
    req = urllib.request.Request(
        url,
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.loads(res.read())


def start_servers(n, db_url, queue, channel, tmp):
    procs = []
    for i in range(n):
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "SECRET_KEY": "bench",
            "WORKSHOP_INSTANCE": str(tmp / f"n{i}"),
            "WORKSHOP_RATE_LIMITS": "0",
            "WORKSHOP_AUTO_MIGRATE": "0",
            "WORKSHOP_NODE": f"n{i}",
            "WORKSHOP_SOCKETIO_CHANNEL": channel,
        }
        if queue:
            env["SOCKETIO_MESSAGE_QUEUE"] = queue
        log = open(tmp / f"server-{i}.log", "wb")  # noqa: SIM115
        p = subprocess.Popen(
            [sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        procs.append((p, f"http://127.0.0.1:{port}"))
    for p, url in procs:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                if time.time() > deadline or p.poll() is not None:
                    raise RuntimeError(f"server {url} did not start") from None
                time.sleep(0.2)
    return procs


def title_recorder(got, delays, lock):
    """A handler of ``atelier`` events that records, once per message, the
    delay since the send time the title carries (``b<seq> <time>``)."""

    def on_atelier(data):
        now = time.time()
        title = data.get("title", "")
        if title.startswith("b"):
            seq, sent = title[1:].split(" ", 1)
            if seq not in got:
                got.add(seq)
                with lock:
                    delays.append((int(seq), now - float(sent)))

    return on_atelier


def generator(jobs, expected, ready, go, results):
    """Connect the phones of ``jobs`` [(url, auth, atelier code)], record delays."""
    import socketio

    delays: list = []  # (message number, delay)
    seen: dict[str, set] = {}
    lock = threading.Lock()
    clients = []

    def make(job):
        url, auth, code = job
        sio = socketio.Client(reconnection=True, reconnection_delay=0.5)
        got = set()
        on_atelier = title_recorder(got, delays, lock)
        sio.on("atelier", on_atelier)
        sio.on(  # broadcasts coalesced by the server
            "batch", lambda items: [on_atelier(d) for e, d in items if e == "atelier"]
        )
        for _ in range(5):
            try:
                sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=30)
                break
            except Exception:
                time.sleep(1)
        seen[auth["token"]] = got
        clients.append(sio)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(make, jobs))
    connected = sum(1 for c in clients if c.connected)
    quiet_gc()
    ready.put(connected)
    go.wait()
    deadline = time.time() + expected["duration"] + 20
    total = len(jobs) * expected["messages"]
    while time.time() < deadline:
        with lock:
            if len(delays) >= total:
                break
        time.sleep(0.5)
    results.put({"delays": delays, "expected": total, "connected": connected})
    for c in clients:
        with contextlib.suppress(Exception):
            c.disconnect()


def generator_async(jobs, expected, ready, go, results):
    """Same as ``generator`` with python-socketio's asyncio client (needs
    ``pip install -e ".[bench]"``): no thread per client nor per message."""
    import asyncio

    import socketio

    async def run():
        delays: list = []  # (message number, delay)
        clients = []
        limit = asyncio.Semaphore(32)

        async def make(job):
            url, auth, _code = job
            sio = socketio.AsyncClient(reconnection=True, reconnection_delay=0.5)
            on_atelier = title_recorder(set(), delays, contextlib.nullcontext())

            async def on_atelier_event(data):
                on_atelier(data)

            async def on_batch(items):  # broadcasts coalesced by the server
                for event, data in items:
                    if event == "atelier":
                        on_atelier(data)

            sio.on("atelier", on_atelier_event)
            sio.on("batch", on_batch)
            async with limit:
                for _ in range(5):
                    try:
                        await sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=60)
                        break
                    except Exception:
                        await asyncio.sleep(1)
            clients.append(sio)

        await asyncio.gather(*(make(j) for j in jobs))
        connected = sum(1 for c in clients if c.connected)
        quiet_gc()
        ready.put(connected)
        await asyncio.get_running_loop().run_in_executor(None, go.wait)
        deadline = time.time() + expected["duration"] + 20
        total = len(jobs) * expected["messages"]
        while time.time() < deadline and len(delays) < total:
            await asyncio.sleep(0.5)
        results.put({"delays": list(delays), "expected": total, "connected": connected})
        for c in clients:
            with contextlib.suppress(Exception):
                await c.disconnect()

    run_loop(run())


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--processes", type=int, default=3)
    ap.add_argument("--phones", type=int, default=900)
    ap.add_argument("--ateliers", type=int, default=3)
    ap.add_argument("--messages", type=int, default=20)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--generators", type=int, default=3)
    ap.add_argument("--postgres", default="postgresql://127.0.0.1:5432/test")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    ap.add_argument("--no-queue", action="store_true", help="1 process without Redis")
    ap.add_argument(
        "--client",
        choices=["async", "threads"],
        default="async",
        help="phones as asyncio clients (default) or thread-based clients",
    )
    args = ap.parse_args()

    import sqlalchemy as sa

    sys.path.insert(0, str(ROOT))
    from workshop.migrate import upgrade

    schema = "bench_" + uuid.uuid4().hex[:8]
    engine = sa.create_engine(args.postgres)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    db_url = f"{args.postgres}?options=-csearch_path%3D{schema}"
    upgrade(db_url)
    tmp = Path("/tmp") / f"scaleout-bench-{schema}"
    tmp.mkdir(parents=True, exist_ok=True)
    queue = None if args.no_queue else args.redis
    channel = "bench-" + schema
    procs = start_servers(args.processes, db_url, queue, channel, tmp)
    urls = [u for _, u in procs]
    try:
        ateliers = []
        for i in range(args.ateliers):
            a = post_json(urls[0] + "/api/ateliers", {"title": f"Atelier {i}"})
            ateliers.append(a)
        jobs = []
        for i in range(args.phones):
            a = ateliers[i % len(ateliers)]
            j = post_json(urls[i % len(urls)] + f"/api/ateliers/{a['code']}/participants", {})
            auth = {"role": "participant", "code": a["code"], "token": j["token"]}
            jobs.append((urls[i % len(urls)], auth, a["code"]))
        ready, results = mp.Queue(), mp.Queue()
        go = mp.Event()
        expected = {"messages": args.messages, "duration": args.messages * args.interval}
        gens = [
            mp.Process(
                target=generator_async if args.client == "async" else generator,
                args=(jobs[g :: args.generators], expected, ready, go, results),
                daemon=True,
            )
            for g in range(args.generators)
        ]
        t0 = time.time()
        for g in gens:
            g.start()
        connected = sum(ready.get(timeout=600) for _ in gens)
        connect_time = time.time() - t0
        import socketio

        facs = []
        for i, a in enumerate(ateliers):
            sio = socketio.Client()
            sio.connect(
                urls[i % len(urls)],
                auth={"role": "facilitator", "code": a["code"], "secret": a["secret"]},
                transports=["websocket"],
            )
            facs.append(sio)
        time.sleep(2)
        go.set()
        acks = []
        failed_sends = 0
        for seq in range(args.messages):
            for sio in facs:
                t = time.time()
                try:
                    ack = sio.call("atelier:update", {"title": f"b{seq} {t:.6f}"}, timeout=30)
                except Exception:
                    ack = {"ok": False}
                acks.append(time.time() - t)
                if not ack.get("ok"):
                    failed_sends += 1
            time.sleep(args.interval)
        out = [results.get(timeout=300) for _ in gens]
        for g in gens:
            g.join(60)
        for sio in facs:
            sio.disconnect()
        by_seq: dict = {}
        for o in out:
            for seq, d in o["delays"]:
                by_seq.setdefault(seq, []).append(d)
        delays = [d for seq in sorted(by_seq) for d in by_seq[seq]]
        expected_total = sum(o["expected"] for o in out)
        report = {
            "processes": args.processes,
            "queue": bool(queue),
            "phones": args.phones,
            "client": args.client,
            "connected": connected,
            "connect_s": round(connect_time, 1),
            "ateliers": args.ateliers,
            "messages_per_atelier": args.messages,
            "deliveries_expected": expected_total,
            "delivered": len(delays),
            "lost": expected_total - len(delays),
            "fanout_ms": {
                "p50": round(statistics.median(delays) * 1000, 1) if delays else None,
                "p95": round(percentile(delays, 95) * 1000, 1),
                "p99": round(percentile(delays, 99) * 1000, 1),
                "max": round(max(delays) * 1000, 1) if delays else None,
            },
            "slowest_per_message_ms": {
                seq: round(max(v) * 1000, 1) for seq, v in sorted(by_seq.items())
            },
            "failed_sends": failed_sends,
            "ack_ms_p99": round(percentile(acks, 99) * 1000, 1),
            "loadavg_end": [round(x, 2) for x in os.getloadavg()],
            "machine": {
                "nproc": os.cpu_count(),
                "python": platform.python_version(),
                "generator_loop": loop_name(),
            },
        }
        print(json.dumps(report, indent=1))
    finally:
        for p, _ in procs:
            p.terminate()
        for p, _ in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        if queue:
            import redis

            redis.Redis.from_url(queue).flushdb()


if __name__ == "__main__":
    main()
