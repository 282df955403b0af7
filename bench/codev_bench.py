"""Co-développement benchmark: parallel groups of phones on the real server.

    python bench/codev_bench.py [--groups 40] [--size 8] [--rounds 4]

Starts ``python -m workshop serve`` on a temporary SQLite database, connects
``groups × size`` python-socketio clients over WebSocket (1 porteur, 1
animateur, the others contributeurs per group), starts every group, then
measures:

* the fan-out of a step change (the animateur's ``codev:timer`` "next") and of
  a new proposal to the other members of the group (send → receive, same
  machine clock), all groups at once;
* timer agreement: each client has its own simulated clock skew (±5 min),
  calibrates its offset with ``clock`` (best of 3 round trips) and computes
  the time left from the deadline; the spread across the devices of a group
  is reported.
"""

import argparse
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body):
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


class Phone:
    def __init__(self, url, auth, skew_ms=0.0):
        self.url = url
        self.auth = auth
        self.skew_ms = skew_ms  # this device's clock error
        self.offset_ms = 0.0
        # phones reconnect by themselves and resync from the snapshot
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2)
        self.arrivals = {}  # key -> time.time()
        self.resynced = set()  # keys learnt from a snapshot after a reconnect
        self.timer = None
        self.gid = None
        self.lock = threading.Lock()
        self.sio.on("snapshot", self._on_snapshot)
        self.sio.on("codev:timer", self._on_timer)
        self.sio.on("codev:item", self._on_item)
        self.sio.on("batch", self._on_batch)
        self.sio.on("disconnect", self._on_disconnect)
        self.drops = 0

    def _on_batch(self, items):  # broadcasts coalesced by the server
        for event, data in items:
            if event == "codev:timer":
                self._on_timer(data)
            elif event == "codev:item":
                self._on_item(data)

    def _on_snapshot(self, snap):
        with self.lock:
            for g in snap.get("codev", {}).get("groups", []):
                if g["id"] == self.gid:
                    self.timer = g["timer"]
                    for v in range(g["timer"]["version"] + 1):
                        if ("timer", v) not in self.arrivals:
                            self.resynced.add(("timer", v))
            for det in snap.get("codev", {}).get("details", {}).values():
                for item in det["items"]:
                    key = ("item", item["text"])
                    if key not in self.arrivals:
                        self.resynced.add(key)

    def got(self, key):
        return key in self.arrivals or key in self.resynced

    def _on_disconnect(self, *args):
        self.drops += 1

    def local_ms(self):
        return time.time() * 1000 + self.skew_ms

    def _on_timer(self, data):
        now = time.time()
        with self.lock:
            self.timer = data
            self.arrivals.setdefault(("timer", data["version"]), now)

    def _on_item(self, data):
        now = time.time()
        with self.lock:
            self.arrivals.setdefault(("item", data["text"]), now)

    def connect(self):
        self.sio.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=30)

    def call(self, event, payload):
        return self.sio.call(event, payload, timeout=60)

    def calibrate(self):
        best = None
        for _ in range(3):
            t0 = self.local_ms()
            ack = self.call("clock", {})
            t1 = self.local_ms()
            rtt = t1 - t0
            if best is None or rtt < best[0]:
                best = (rtt, ack["data"]["server_time"] - (t0 + rtt / 2))
        self.offset_ms = best[1]

    def remaining_ms(self):
        t = self.timer
        if t["deadline_ms"] is None:
            return t["remaining_ms"]
        return t["deadline_ms"] - (self.local_ms() + self.offset_ms)


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def summary(name, values_ms):
    return {
        "what": name,
        "n": len(values_ms),
        "p50_ms": round(pct(values_ms, 50), 1),
        "p95_ms": round(pct(values_ms, 95), 1),
        "p99_ms": round(pct(values_ms, 99), 1),
        "max_ms": round(max(values_ms), 1) if values_ms else None,
    }


def wait_until(pred, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=40)
    ap.add_argument("--size", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--database", default=None, help="DATABASE_URL (default: temp SQLite)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="codev-bench-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": args.database or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "SECRET_KEY": "bench",
        "WORKSHOP_INSTANCE": str(tmp),
        "WORKSHOP_RATE_LIMITS": "0",
    }
    log = open(tmp / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    phones: list[Phone] = []
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        atelier = post(url + "/api/ateliers", {"title": "Bench codev"})
        code = atelier["code"]
        fac = Phone(url, {"role": "facilitator", "code": code, "secret": atelier["secret"]})
        fac.connect()
        gids = []
        for g in range(args.groups):
            ack = fac.call("codev:group:create", {"name": f"Groupe {g + 1}", "max_members": 30})
            gids.append(ack["data"]["id"])
        rng = random.Random(7)
        tokens = []
        for g in range(args.groups):
            for i in range(args.size):
                joined = post(f"{url}/api/ateliers/{code}/participants", {"name": f"P{g}-{i}"})
                tokens.append((g, i, joined["token"]))

        def make(t):
            g, i, token = t
            p = Phone(
                url,
                {"role": "participant", "code": code, "token": token},
                skew_ms=rng.uniform(-300_000, 300_000),
            )
            p.group = g
            p.index = i
            p.gid = gids[g]
            p.connect()
            assert p.call("codev:join", {"group_id": gids[g]})["ok"]
            if i == 0:
                assert p.call("codev:role", {"role": "porteur"})["ok"]
            elif i == 1:
                assert p.call("codev:role", {"role": "animateur"})["ok"]
            return p

        t0 = time.time()
        with ThreadPoolExecutor(8) as pool:
            phones = list(pool.map(make, tokens))
        connect_s = time.time() - t0
        groups = {g: [p for p in phones if p.group == g] for g in range(args.groups)}
        anim = {g: ps[1] for g, ps in groups.items()}

        def fire_all(fn):
            barrier = threading.Barrier(len(groups))
            sent = {}

            def run(g):
                barrier.wait()
                sent[g] = time.time()
                fn(g)

            threads = [threading.Thread(target=run, args=(g,)) for g in groups]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            return sent

        # start every group at once, then step changes
        step_lat = []
        missed = 0  # deliveries replaced by a reconnect's snapshot
        version = {g: 0 for g in groups}
        for rnd in range(args.rounds + 1):
            action = "start" if rnd == 0 else "next"
            sent = fire_all(lambda g, a=action: anim[g].call("codev:timer", {"action": a}))
            for g, ps in groups.items():
                v = version[g] + 1
                others = [p for p in ps if p is not anim[g]]
                ok = wait_until(lambda v=v, others=others: all(p.got(("timer", v)) for p in others))
                drops = sum(p.drops for p in phones)
                assert ok, f"group {g} missed timer v{v} ({drops} disconnects)"
                version[g] = v
                if rnd > 0:
                    step_lat += [
                        (p.arrivals[("timer", v)] - sent[g]) * 1000
                        for p in others
                        if ("timer", v) in p.arrivals
                    ]
                    missed += sum(("timer", v) not in p.arrivals for p in others)
            time.sleep(0.2)
        # we are now at step index args.rounds: make sure it is "réactions" (3) for proposals
        # (cinq_etapes: 0 sujet, 1 présentation, 2 clarification, 3 réactions)
        target = 3
        cur = args.rounds
        while cur != target:
            act = "next" if cur < target else "prev"
            fire_all(lambda g, a=act: anim[g].call("codev:timer", {"action": a}))
            cur += 1 if act == "next" else -1
            for g, ps in groups.items():
                version[g] += 1
                wait_until(
                    lambda g=g, ps=ps: all(p.timer and p.timer["version"] >= version[g] for p in ps)
                )

        prop_lat = []
        for rnd in range(args.rounds):

            def post_prop(g, rnd=rnd):
                author = groups[g][2 + rnd % (args.size - 2)]
                ack = author.call(
                    "codev:write",
                    {"kind": "proposal", "text": f"prop {g} {rnd}", "client_id": f"b-{g}-{rnd}"},
                )
                assert ack["ok"], ack

            sent = fire_all(post_prop)
            for g, ps in groups.items():
                author = groups[g][2 + rnd % (args.size - 2)]
                key = ("item", f"prop {g} {rnd}")
                others = [p for p in ps if p is not author]
                assert wait_until(lambda key=key, others=others: all(p.got(key) for p in others)), (
                    f"group {g} missed {key}"
                )
                prop_lat += [
                    (p.arrivals[key] - sent[g]) * 1000 for p in others if key in p.arrivals
                ]
                missed += sum(key not in p.arrivals for p in others)
            time.sleep(0.2)

        # timer agreement: calibrate every device, then read the time left "at once"
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda p: p.calibrate(), phones))
        spreads = []
        for ps in groups.values():
            values = [p.remaining_ms() for p in ps]
            spreads.append(max(values) - min(values))
        # after a reconnect of half the phones of each group
        for ps in groups.values():
            for p in ps[: len(ps) // 2]:
                p.sio.disconnect()

        def reconnect(p):
            p.sio = socketio.Client(reconnection=False)
            p.sio.on("codev:timer", p._on_timer)
            p.sio.on("disconnect", p._on_disconnect)
            p.sio.on("codev:item", p._on_item)
            p.sio.on("batch", p._on_batch)
            p.sio.on(
                "snapshot",
                lambda snap, p=p: setattr(
                    p,
                    "timer",
                    next(g for g in snap["codev"]["groups"] if g["id"] == gids[p.group])["timer"],
                ),
            )
            p.timer = None
            p.connect()
            assert wait_until(lambda: p.timer is not None)
            p.calibrate()

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(reconnect, [p for ps in groups.values() for p in ps[: len(ps) // 2]]))
        spreads_rc = []
        for ps in groups.values():
            values = [p.remaining_ms() for p in ps]
            spreads_rc.append(max(values) - min(values))

        result = {
            "clients": len(phones),
            "groups": args.groups,
            "connect_and_join_s": round(connect_s, 1),
            "step_change_fanout": summary("step change → group", step_lat),
            "proposal_fanout": summary("new proposal → group", prop_lat),
            "timer_spread_ms": {
                "max": round(max(spreads), 1),
                "p50": round(statistics.median(spreads), 1),
            },
            "timer_spread_after_reconnect_ms": {
                "max": round(max(spreads_rc), 1),
                "p50": round(statistics.median(spreads_rc), 1),
            },
            "unplanned_disconnects": sum(p.drops for p in phones) - len(phones) // 2,
            "deliveries_by_resync_instead_of_event": missed,
            "loadavg": os.getloadavg(),
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
    finally:

        def close(p):
            with contextlib.suppress(Exception):
                p.sio.disconnect()

        with ThreadPoolExecutor(32) as pool:
            list(pool.map(close, phones))
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
