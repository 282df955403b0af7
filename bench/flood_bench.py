"""A client that floods the server: does it slow down the others?

    flock /tmp/bench.lock python bench/flood_bench.py [--phones 20] [--rate 2]
                                                     [--seconds 15] [--flood 1000]

The real server (``python -m workshop serve``, rate limits on, temporary
SQLite database) runs in its own process with one atelier and one open
prompt. ``--phones`` participants (python-socketio over WebSocket) each post
a note ``--rate`` times a second and measure the ack latency. Phases of
``--seconds`` each:

* ``baseline``: the phones alone;
* ``flood-write``: plus one participant sending ``--flood`` ``board:note:create``
  a second (the per-participant limit answers ``rate_limited``);
* ``flood-read``: plus one participant sending ``--flood`` ``sync`` a second;
* ``flood-projector``: plus a projection (no secret: anyone with the code)
  sending ``--flood`` ``sync`` a second;
* ``flood-unknown``: plus one participant sending ``--flood`` unknown events a second.

Reported per phase: the phones' ack latency p50 / p99 (ms), acks received,
the flooder's sent events and answers by kind.
"""

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_json(url, data):
    for _ in range(60):
        req = urllib.request.Request(
            url, json.dumps(data).encode(), {"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                return json.loads(res.read())
        except urllib.error.HTTPError as err:
            if err.code != 429:  # joins are limited per address: wait and retry
                raise
            time.sleep(1)
    raise SystemExit(f"{url}: still rate limited")


def start_server(tmp: Path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'flood.sqlite3'}",
        "SECRET_KEY": "flood-bench",
        "WORKSHOP_INSTANCE": str(tmp / "instance"),
        "WORKSHOP_RATE_LIMITS": "1",
    }
    log = open(tmp / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=str(ROOT),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def connect(url, auth):
    sio = socketio.Client(reconnection=False)
    sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)
    return sio


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def phone_loop(sio, prompt_id, rate, stop, latencies, lock):
    period = 1.0 / rate
    nxt = time.perf_counter()
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            ack = sio.call(
                "board:note:create",
                {"client_id": str(uuid.uuid4()), "prompt_id": prompt_id, "text": "Idée"},
                timeout=10,
            )
            if ack.get("ok"):
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)
        except Exception:
            pass
        nxt += period
        time.sleep(max(0.0, nxt - time.perf_counter()))


def flood_loop(sio, event, payload_fn, per_second, stop, stats):
    answers = stats["answers"]

    def on_ack(*args):
        ack = args[0] if args else None
        key = "ok" if isinstance(ack, dict) and ack.get("ok") else (ack or {}).get("error")
        answers[key] += 1

    batch = max(1, per_second // 100)
    nxt = time.perf_counter()
    while not stop.is_set():
        for _ in range(batch):
            try:
                sio.emit(event, payload_fn(), callback=on_ack if stats["acks"] else None)
                stats["sent"] += 1
            except Exception:
                stats["errors"] += 1
        nxt += batch / per_second
        time.sleep(max(0.0, nxt - time.perf_counter()))


def run_phase(name, args, url, atelier, prompt_id, phones, flooder):
    stop = threading.Event()
    latencies, lock = [], threading.Lock()
    threads = [
        threading.Thread(target=phone_loop, args=(p, prompt_id, args.rate, stop, latencies, lock))
        for p in phones
    ]
    stats = {"sent": 0, "errors": 0, "answers": Counter(), "acks": not args.no_flood_acks}
    if flooder:
        kind, sio = flooder
        event, payload_fn = {
            "write": (
                "board:note:create",
                lambda: {"client_id": str(uuid.uuid4()), "prompt_id": prompt_id, "text": "spam"},
            ),
            "read": ("sync", dict),
            "projector": ("sync", dict),
            "unknown": ("nope:nope", dict),
        }[kind]
        threads.append(
            threading.Thread(
                target=flood_loop, args=(sio, event, payload_fn, args.flood, stop, stats)
            )
        )
    for th in threads:
        th.start()
    time.sleep(args.seconds)
    stop.set()
    for th in threads:
        th.join(15)
    time.sleep(1)
    return {
        "phase": name,
        "acks": len(latencies),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "flood_sent": stats["sent"],
        "flood_answers": dict(stats["answers"].most_common(4)),
    }


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(x.split()[1]) // 1024
            for x in Path("/proc/meminfo").read_text().splitlines()
            if x.startswith("MemTotal")
        )
    except OSError:
        mem = 0
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPU ({cpu}), {mem} MiB RAM, Python {platform.python_version()}, "
        f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--phones", type=int, default=20)
    ap.add_argument("--rate", type=float, default=2.0, help="notes per second per phone")
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--flood", type=int, default=1000, help="events per second of the flooder")
    ap.add_argument(
        "--no-flood-acks",
        action="store_true",
        help="the flooder asks for no acks (so that its own process is not the bottleneck)",
    )
    ap.add_argument(
        "--phases", nargs="+", default=["baseline", "write", "read", "projector", "unknown"]
    )
    args = ap.parse_args()
    print(machine(), flush=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        proc, url = start_server(tmp)
        try:
            created = post_json(
                url + "/api/ateliers", {"title": "Inondation", "allow_anonymous": True}
            )
            code = created["code"]
            fac = connect(url, {"role": "facilitator", "code": code, "secret": created["secret"]})
            prompt = fac.call("board:prompt:create", {"text": "Vos idées ?", "visibility": "live"})
            prompt_id = prompt["data"]["id"]

            def participant(name):
                joined = post_json(url + f"/api/ateliers/{code}/participants", {"name": name})
                return connect(url, {"role": "participant", "code": code, "token": joined["token"]})

            phones = [participant(f"Tel {i}") for i in range(args.phones)]
            results = []
            for phase in args.phases:
                flooder = None
                if phase == "projector":
                    flooder = (phase, connect(url, {"role": "projector", "code": code}))
                elif phase != "baseline":
                    flooder = (phase, participant(f"Flood {phase}"))
                res = run_phase(
                    "baseline" if phase == "baseline" else f"flood-{phase}",
                    args,
                    url,
                    created,
                    prompt_id,
                    phones,
                    flooder,
                )
                if flooder:
                    flooder[1].disconnect()
                results.append(res)
                print(json.dumps(res, ensure_ascii=False), flush=True)
            base = results[0]["p99_ms"] if results and results[0]["phase"] == "baseline" else None
            print(
                "\n| phase | acks | p50 (ms) | p99 (ms) | p99 / baseline | flood sent | flood answers |"
            )
            print("|---|---|---|---|---|---|---|")
            for r in results:
                ratio = f"{r['p99_ms'] / base:.2f}" if base else "–"
                print(
                    f"| {r['phase']} | {r['acks']} | {r['p50_ms']} | {r['p99_ms']} | {ratio} | "
                    f"{r['flood_sent']} | {r['flood_answers']} |"
                )
            for p in phones:
                p.disconnect()
            fac.disconnect()
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
