"""Co-développement benchmark: parallel groups of phones on the real server.

    python bench/codev_bench.py [--groups 40] [--size 8] [--rounds 4] [--procs 2]
                                [--database URL]

Starts ``python -m workshop serve`` (gevent unless ``WORKSHOP_ASYNC_MODE=threading``)
on a temporary SQLite database, with one console connected. ``groups × size``
phones (1 porteur, 1 animateur, the others contributeurs per group) are
simulated by python-socketio's asyncio client (``AsyncClient``, WebSocket
transport; ``pip install -e ".[bench]"``) in ``--procs`` generator processes,
each one asyncio loop with a share of the groups (all the phones of a group in
the same process). Each phone connects, joins its group and takes its role.
Every group is started at once, then, for every measured action, the
generators say READY and act together at the instant the coordinator sends
with GO:

* the fan-out of a step change (the animateur's ``codev:timer`` "next") and of
  a new proposal (``codev:write`` at the "réactions" step) to the other members
  of the group, send → receive on the generator's clock (the sender and the
  receivers of a group live in one process), all groups at once;
* the acknowledgement of these actions to their sender (the server's own
  queue: the 40 actions are handled one after the other);
* timer agreement: each phone has its own simulated clock skew (±5 min),
  calibrates its offset with ``clock`` (best of 3 round trips) and computes
  the time left from the deadline; the spread across the devices of a group
  is reported, then again after half the phones of every group disconnect,
  reconnect with a new client and recalibrate.

Broadcasts coalesced by the server (``batch``: a list of ``[event, data]``
pairs) are unpacked. Also reported: disconnects the bench did not ask for;
deliveries made by a reconnect's snapshot rather than by the event; deliveries
never made (lost, after 30 s) or received twice by one phone (duplicated);
refused actions; proposals acknowledged but missing from the SQLite database.
"""

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from board_bench import (
    free_port,
    http_json,
    loop_name,
    quiet_gc,
    raise_nofile,
    run_loop,
    spawn_worker,
    start_server,
)

DELIVERY_TIMEOUT = 30.0  # seconds before an undelivered event counts as lost
# The generator's WebSocket options: with --deflate, phones offer
# permessage-deflate as browsers do.
WS_OPTIONS: dict = {}


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


def spread(values):
    return {"max": round(max(values), 1), "p50": round(statistics.median(values), 1)}


# ---------------------------------------------------------------- generator process


class Phone:
    """One simulated phone: what it received and when, its clock and timer."""

    def __init__(self, url, auth, group, index, gid, skew_ms):
        self.url, self.auth = url, auth
        self.group, self.index, self.gid = group, index, gid
        self.skew_ms = skew_ms  # this device's clock error
        self.offset_ms = 0.0
        self.arrivals = {}  # key -> time.time() of the first delivery
        self.resynced = set()  # keys learnt from a snapshot after a reconnect
        self.duplicates = 0
        self.timer = None
        self.drops = 0
        self.sio = None
        self.handlers = {"codev:timer": self.on_timer, "codev:item": self.on_item}

    def new_client(self):
        import socketio

        # phones reconnect by themselves and resync from the snapshot
        sio = socketio.AsyncClient(
            reconnection=True, reconnection_delay=0.2, websocket_extra_options=WS_OPTIONS
        )
        sio.on("snapshot", self.on_snapshot)
        sio.on("batch", self.on_batch)
        sio.on("disconnect", self.on_disconnect)
        for event, handler in self.handlers.items():
            sio.on(event, handler)
        self.sio = sio
        return sio

    async def connect(self):
        sio = self.new_client()
        error = None
        for attempt in range(5):
            try:
                await sio.connect(
                    self.url, auth=self.auth, transports=["websocket"], wait_timeout=60
                )
                return
            except Exception as err:
                error = err
                await asyncio.sleep(0.5 + attempt)
        raise RuntimeError(f"could not connect: {error!r}")

    async def call(self, event, payload):
        return await self.sio.call(event, payload, timeout=60)

    def on_batch(self, items):  # broadcasts coalesced by the server
        for event, data in items:
            handler = self.handlers.get(event)
            if handler:
                handler(data)

    def arrived(self, key):
        now = time.time()
        if key in self.arrivals:
            self.duplicates += 1
        else:
            self.arrivals[key] = now

    def on_timer(self, data):
        self.arrived(("timer", data["version"]))
        if self.timer is None or data["version"] >= self.timer["version"]:
            self.timer = data

    def on_item(self, data):
        self.arrived(("item", data["text"]))

    def on_snapshot(self, snap):
        codev = snap.get("codev", {})
        for g in codev.get("groups", []):
            if g["id"] == self.gid:
                self.timer = g["timer"]
                for v in range(g["timer"]["version"] + 1):
                    if ("timer", v) not in self.arrivals:
                        self.resynced.add(("timer", v))
        for det in codev.get("details", {}).values():
            for item in det["items"]:
                key = ("item", item["text"])
                if key not in self.arrivals:
                    self.resynced.add(key)

    def on_disconnect(self, *args):
        self.drops += 1

    def got(self, key):
        return key in self.arrivals or key in self.resynced

    def local_ms(self):
        return time.time() * 1000 + self.skew_ms

    async def calibrate(self):
        best = None
        for _ in range(3):
            t0 = self.local_ms()
            ack = await self.call("clock", {})
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


def worker(cfg):
    """Run the scenario for this process's groups; READY/GO with the coordinator."""
    raise_nofile()
    if cfg.get("deflate"):
        WS_OPTIONS["compress"] = 15
    run_loop(_worker(cfg))


async def _worker(cfg):
    loop = asyncio.get_running_loop()
    url, size = cfg["url"], cfg["size"]
    phones = [
        Phone(url, {"role": "participant", "code": cfg["code"], "token": token}, g, i, gid, skew)
        for g, gid, members in cfg["groups"]
        for i, (token, skew) in enumerate(members)
    ]
    groups = {}
    for p in phones:
        groups.setdefault(p.group, []).append(p)
    anim = {g: ps[1] for g, ps in groups.items()}
    out = {
        "step_ms": [],
        "step_ack_ms": [],
        "proposal_ms": [],
        "proposal_ack_ms": [],
        "resynced": 0,  # deliveries replaced by a reconnect's snapshot
        "lost": 0,
        "refused": [],
        "acked_client_ids": [],
    }

    async def barrier(name):
        quiet_gc()
        print(f"READY {name}", flush=True)
        line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
        if not line or line[0] != "GO":
            os._exit(1)
        await asyncio.sleep(max(0.0, float(line[1]) - time.time()))

    async def fire_all(action, acks=None):
        """``action(g)`` for every group at once; returns the send times
        (and adds the acknowledgement latencies to ``acks``)."""
        sent = {}

        async def one(g):
            sent[g] = time.time()
            ack = await action(g)
            if acks is not None:
                acks.append((time.time() - sent[g]) * 1000)
            if not ack.get("ok"):
                out["refused"].append(ack)

        await asyncio.gather(*(one(g) for g in groups))
        return sent

    async def deliveries(key_of, sent, bucket):
        """Wait until every other member of each group has ``key_of(g)``."""
        deadline = time.time() + DELIVERY_TIMEOUT
        pending = dict.fromkeys(groups)
        while pending and time.time() < deadline:
            for g in list(pending):
                key, sender = key_of(g)
                if all(p.got(key) for p in groups[g] if p is not sender):
                    del pending[g]
            await asyncio.sleep(0.01)
        for g, ps in groups.items():
            key, sender = key_of(g)
            for p in ps:
                if p is sender:
                    continue
                if key in p.arrivals:
                    if bucket is not None:
                        bucket.append((p.arrivals[key] - sent[g]) * 1000)
                elif key in p.resynced:
                    out["resynced"] += 1
                else:
                    out["lost"] += 1

    sem = asyncio.Semaphore(20)  # connect 20 at a time

    async def setup(p):
        async with sem:
            await p.connect()
            assert (await p.call("codev:join", {"group_id": p.gid}))["ok"]
            if p.index in (0, 1):
                role = "porteur" if p.index == 0 else "animateur"
                assert (await p.call("codev:role", {"role": role}))["ok"]

    t0 = time.time()
    await asyncio.gather(*(setup(p) for p in phones))
    out["connect_and_join_s"] = time.time() - t0

    # start every group at once, then step changes (the start is not measured)
    version = dict.fromkeys(groups, 0)
    for rnd in range(cfg["rounds"] + 1):
        await barrier(f"step-{rnd}")
        act = "start" if rnd == 0 else "next"
        sent = await fire_all(
            lambda g, a=act: anim[g].call("codev:timer", {"action": a}),
            out["step_ack_ms"] if rnd else None,
        )
        for g in groups:
            version[g] += 1
        await deliveries(
            lambda g: (("timer", version[g]), anim[g]), sent, out["step_ms"] if rnd else None
        )
    # proposals need the "réactions" step (cinq_etapes: 0 sujet, 1 présentation,
    # 2 clarification, 3 réactions)
    cur = cfg["rounds"]
    while cur != 3:
        act = "next" if cur < 3 else "prev"
        await barrier(f"to-step-{cur}")
        sent = await fire_all(lambda g, a=act: anim[g].call("codev:timer", {"action": a}))
        cur += 1 if act == "next" else -1
        for g in groups:
            version[g] += 1
        await deliveries(lambda g: (("timer", version[g]), anim[g]), sent, None)

    for rnd in range(cfg["rounds"]):
        authors = {g: ps[2 + rnd % (size - 2)] for g, ps in groups.items()}
        await barrier(f"proposal-{rnd}")

        async def write(g, rnd=rnd, authors=authors):
            cid = f"bench-{g}-{rnd}"
            ack = await authors[g].call(
                "codev:write", {"kind": "proposal", "text": f"prop {g} {rnd}", "client_id": cid}
            )
            if ack.get("ok"):
                out["acked_client_ids"].append(cid)
            return ack

        sent = await fire_all(write, out["proposal_ack_ms"])
        await deliveries(
            lambda g, rnd=rnd, authors=authors: (("item", f"prop {g} {rnd}"), authors[g]),
            sent,
            out["proposal_ms"],
        )

    # timer agreement: calibrate every device, then read the time left "at once"
    await barrier("calibrate")
    await asyncio.gather(*(p.calibrate() for p in phones))
    out["spreads"] = [
        max(p.remaining_ms() for p in ps) - min(p.remaining_ms() for p in ps)
        for ps in groups.values()
    ]
    # then half the phones of each group leave and come back with a new client
    await barrier("reconnect")
    half = [p for ps in groups.values() for p in ps[: len(ps) // 2]]
    await asyncio.gather(*(p.sio.disconnect() for p in half))
    out["planned_disconnects"] = len(half)

    async def reconnect(p):
        async with sem:
            p.timer = None
            await p.connect()
        while p.timer is None:
            await asyncio.sleep(0.01)
        await p.calibrate()

    await asyncio.gather(*(reconnect(p) for p in half))
    out["spreads_after_reconnect"] = [
        max(p.remaining_ms() for p in ps) - min(p.remaining_ms() for p in ps)
        for ps in groups.values()
    ]
    out["drops"] = sum(p.drops for p in phones)
    out["duplicated"] = sum(p.duplicates for p in phones)
    print("RESULT " + json.dumps(out), flush=True)
    os._exit(0)  # closing hundreds of clients one by one is slow: just leave


# ---------------------------------------------------------------- orchestration


def run_workers(cfgs):
    """Start one generator per config, relay READY → GO until every RESULT."""
    workers = [spawn_worker(__file__, cfg) for cfg in cfgs]
    try:
        while True:
            lines = [w.stdout.readline() for w in workers]
            if all(line.startswith("RESULT ") for line in lines):
                return [json.loads(line[7:]) for line in lines]
            phases = {line.strip() for line in lines}
            if len(phases) != 1 or not lines[0].startswith("READY "):
                raise RuntimeError(f"generators out of step: {lines!r}")
            go = time.time() + 0.3
            for w in workers:
                w.stdin.write(f"GO {go}\n")
                w.stdin.flush()
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()


def main():
    if "--worker" in sys.argv:
        worker(json.loads(sys.stdin.readline()))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--groups", type=int, default=40)
    ap.add_argument("--size", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--procs", type=int, default=2, help="generator processes")
    ap.add_argument("--database", default=None, help="DATABASE_URL (default: temp SQLite)")
    ap.add_argument(
        "--deflate", action="store_true", help="phones offer permessage-deflate, as browsers do"
    )
    args = ap.parse_args()
    raise_nofile()
    load_before = os.getloadavg()

    import socketio

    with tempfile.TemporaryDirectory(prefix="codev-bench-") as d:
        tmp = Path(d)
        proc, url = start_server("workshop", free_port(), tmp, database=args.database)
        fac = socketio.Client()
        try:
            atelier = http_json(url + "/api/ateliers", {"title": "Bench codev"})
            code = atelier["code"]
            # a console stays connected, as in a real session
            fac.connect(
                url,
                auth={"role": "facilitator", "code": code, "secret": atelier["secret"]},
                transports=["websocket"],
            )
            gids = [
                fac.call("codev:group:create", {"name": f"Groupe {g + 1}", "max_members": 30})[
                    "data"
                ]["id"]
                for g in range(args.groups)
            ]
            rng = random.Random(7)
            groups = [
                (
                    g,
                    gids[g],
                    [
                        (
                            http_json(
                                f"{url}/api/ateliers/{code}/participants", {"name": f"P{g}-{i}"}
                            )["token"],
                            rng.uniform(-300_000, 300_000),
                        )
                        for i in range(args.size)
                    ],
                )
                for g in range(args.groups)
            ]
            cfgs = [
                {
                    "url": url,
                    "code": code,
                    "size": args.size,
                    "rounds": args.rounds,
                    "groups": groups[k :: args.procs],
                    "deflate": args.deflate,
                }
                for k in range(min(args.procs, args.groups))
            ]
            outs = run_workers(cfgs)
            acked = {cid for o in outs for cid in o["acked_client_ids"]}
            lost_in_db = None
            if args.database is None:
                con = sqlite3.connect(tmp / "bench.sqlite3")
                stored = {r[0] for r in con.execute("SELECT client_id FROM codev_item")}
                con.close()
                lost_in_db = len(acked - stored)
            cat = lambda key: [v for o in outs for v in o[key]]  # noqa: E731
            result = {
                "clients": args.groups * args.size,
                "generator_loop": loop_name(),
                "deflate": args.deflate,
                "groups": args.groups,
                "generator_processes": len(cfgs),
                "connect_and_join_s": round(max(o["connect_and_join_s"] for o in outs), 1),
                "step_change_fanout": summary("step change → group", cat("step_ms")),
                "proposal_fanout": summary("new proposal → group", cat("proposal_ms")),
                "step_change_ack": summary("step change → animateur's ack", cat("step_ack_ms")),
                "proposal_ack": summary("new proposal → author's ack", cat("proposal_ack_ms")),
                "timer_spread_ms": spread(cat("spreads")),
                "timer_spread_after_reconnect_ms": spread(cat("spreads_after_reconnect")),
                "unplanned_disconnects": sum(o["drops"] - o["planned_disconnects"] for o in outs),
                "deliveries_by_resync_instead_of_event": sum(o["resynced"] for o in outs),
                "deliveries_lost": sum(o["lost"] for o in outs),
                "deliveries_duplicated": sum(o["duplicated"] for o in outs),
                "refused": cat("refused")[:5],
                "refused_n": len(cat("refused")),
                "proposals_acked": len(acked),
                "proposals_acked_not_in_db": lost_in_db,
                "loadavg_before": load_before,
                "loadavg_after": os.getloadavg(),
            }
            print(json.dumps(result, indent=2, ensure_ascii=False))
        finally:
            fac.disconnect()
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
