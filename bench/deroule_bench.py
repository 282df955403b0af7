"""« Suivant » with N phones connected: from the facilitator's key press (the
``deroule:next`` emit) to every phone having the new activity.

    python bench/deroule_bench.py [--sizes 300 1000] [--steps 8] [--reconnect 20]
                                  [--per-proc 250] [--markdown]

For each N, the real server (``python -m workshop serve``, SQLite) is started
with an atelier whose déroulé has ``--steps`` + 1 activities (message slides
and questions, in turn). N phones (python-socketio ``AsyncClient``,
WebSocket, the generators of ``bench/board_bench.py``) connect; the
facilitator presses « Suivant » ``--steps`` times, two seconds apart. Each
phone notes when it receives the ``deroule:state`` whose ``current_id`` is
the new activity (one clock, one machine). During one of the changes,
``--reconnect`` phones drop their connection just before the press and
reconnect right after: each must end on the new activity (from its
snapshot or from the broadcast).

Measured: latency from the emit to each phone (p50, p95, p99, max) per size;
phones left behind (not on the last activity at the end); the reconnecting
phones' final activity. The yardstick, in the same run: the same phones on
``bench/bare_server.py`` (gevent), where one message from the facilitator is
broadcast to all as it is (nothing read or written in a database).
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from board_bench import (  # noqa: E402  (the board bench's generators and tools)
    Histogram,
    cpu_s,
    free_port,
    http_json,
    machine,
    quiet_gc,
    raise_nofile,
    rss_kb,
    run_loop,
    spawn_worker,
    start_server,
)

# ---------------------------------------------------------------- generator process


def worker(cfg):
    """Phones that record when each activity reaches them."""
    import asyncio

    import socketio

    raise_nofile()
    seen: dict[int, dict] = {}  # phone -> {marker: time}
    last: dict[int, object] = {}  # phone -> last current activity known

    async def connect(idx, auth):
        sio = socketio.AsyncClient(reconnection=True, reconnection_delay=0.2)

        def note(marker):
            if marker is None:
                return
            last[idx] = marker
            seen.setdefault(idx, {}).setdefault(str(marker), time.time())

        async def on_state(data):
            note(data.get("current_id"))

        async def on_snapshot(data):
            part = data.get("deroule") if isinstance(data, dict) else None
            if part:
                note(part.get("current_id"))

        async def on_note(data):  # the yardstick's broadcast
            text = (data or {}).get("text") or ""
            if text.startswith("step "):
                note(text)

        async def on_batch(items):
            for event, data in items:
                if event == "deroule:state":
                    await on_state(data)
                elif event == "board:note":
                    await on_note(data)

        sio.on("deroule:state", on_state)
        sio.on("snapshot", on_snapshot)
        sio.on("board:note", on_note)
        sio.on("batch", on_batch)
        for attempt in range(5):
            try:
                await sio.connect(cfg["url"], auth=auth, transports=["websocket"], wait_timeout=60)
                return sio
            except Exception:
                await asyncio.sleep(0.5 + attempt)
        raise RuntimeError("could not connect")

    async def main():
        loop = asyncio.get_running_loop()
        sem = asyncio.Semaphore(20)

        async def one(i, auth):
            async with sem:
                return await connect(i, auth)

        clients = await asyncio.gather(*(one(i, a) for i, a in enumerate(cfg["phones"])))
        quiet_gc()
        print("READY", flush=True)
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
            if not line or line[0] == "END":
                break
            if line[0] == "DROP":  # drop some phones now, reconnect after `delay` s
                count, delay = int(line[1]), float(line[2])
                dropped = clients[:count]
                await asyncio.gather(*(c.disconnect() for c in dropped))
                print("DROPPED", flush=True)
                await asyncio.sleep(delay)
                for i in range(len(dropped)):
                    clients[i] = await connect(i, cfg["phones"][i])
        await asyncio.sleep(cfg["settle"])
        print(
            "RESULT "
            + json.dumps(
                {
                    "seen": {str(k): v for k, v in seen.items()},
                    "last": {str(k): v for k, v in last.items()},
                    "cpu_s": time.process_time(),
                }
            ),
            flush=True,
        )
        import os

        os._exit(0)

    run_loop(main())


# ---------------------------------------------------------------- orchestration


def setup_workshop(url, n, steps):
    """An atelier with its déroulé, N joined phones; returns (facilitator auth,
    phone auths, activity ids)."""
    import socketio

    atelier = http_json(url + "/api/ateliers", {"title": "Bench déroulé", "allow_anonymous": True})
    fac = socketio.Client()
    fac.connect(
        url,
        auth={"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]},
        transports=["websocket"],
    )
    for k in range(steps + 1):
        kind = "question" if k % 2 else "message"
        settings = (
            {"prompt": f"Question {k} ?"} if kind == "question" else {"text": f"Diapositive {k}"}
        )
        ack = fac.call(
            "deroule:activity:create",
            {"type": kind, "title": f"Activité {k}", "settings": settings},
        )
        assert ack["ok"], ack
    ids = fac.call("sync")["data"]["deroule"]["activities"]
    ack = fac.call("deroule:next")  # the first activity is current before the measure
    assert ack["ok"], ack
    fac.disconnect()
    phones = []
    for i in range(n):
        joined = http_json(url + f"/api/ateliers/{atelier['code']}/participants", {"name": f"P{i}"})
        phones.append({"role": "participant", "code": atelier["code"], "token": joined["token"]})
    facilitator = {"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]}
    return facilitator, phones, [a["id"] for a in ids]


def run_one(kind, n, args, tmp):
    port = free_port()
    proc, url = start_server(kind, port, tmp)
    try:
        if kind == "workshop":
            facilitator, phones, ids = setup_workshop(url, n, args.steps)
        else:
            facilitator, phones, ids = {}, [{}] * n, list(range(args.steps + 1))
        chunks = [phones[i : i + args.per_proc] for i in range(0, n, args.per_proc)]
        workers = [
            spawn_worker(__file__, {"url": url, "phones": chunk, "settle": 3.0}) for chunk in chunks
        ]
        for w in workers:
            line = w.stdout.readline()
            if not line.startswith("READY"):
                raise RuntimeError(f"worker failed: {line!r}")
        import socketio

        fac = socketio.Client()
        fac.connect(url, auth=facilitator or None, transports=["websocket"])
        rss = rss_kb(proc.pid)
        cpu0 = cpu_s(proc.pid)
        presses = {}  # marker -> emit time
        reconnect_step = args.steps // 2
        for step in range(1, args.steps + 1):
            if step == reconnect_step and args.reconnect:
                workers[0].stdin.write(f"DROP {args.reconnect} 0.05\n")
                workers[0].stdin.flush()
                workers[0].stdout.readline()  # DROPPED: they are away now
            t0 = time.time()
            if kind == "workshop":
                ack = fac.call("deroule:next", timeout=30)
                assert ack["ok"], ack
                presses[str(ack["data"]["current_id"])] = t0
            else:
                marker = f"step {step}"
                fac.call("board:note:create", {"text": marker, "client_id": marker}, timeout=30)
                presses[marker] = t0
            time.sleep(args.gap)
        cpu = cpu_s(proc.pid) - cpu0
        for w in workers:
            w.stdin.write("END\n")
            w.stdin.flush()
        results = []
        for w in workers:
            for line in w.stdout:
                if line.startswith("RESULT "):
                    results.append(json.loads(line[7:]))
                    break
            w.wait(timeout=60)
        fac.disconnect()
        hist = Histogram()
        missing = 0
        final = str(ids[-1]) if kind == "workshop" else f"step {args.steps}"
        behind = 0
        reconnected_ok = reconnected = 0
        for k, res in enumerate(results):
            for idx in range(len(chunks[k])):
                seen = res["seen"].get(str(idx), {})
                for marker, t0 in presses.items():
                    if marker in seen:
                        hist.add(max(0.0, seen[marker] - t0))
                    elif not (k == 0 and idx < args.reconnect):
                        missing += 1  # a reconnecting phone may skip the change it was away for
                if str(res["last"].get(str(idx))) != final:
                    behind += 1
                if k == 0 and idx < args.reconnect:
                    reconnected += 1
                    reconnected_ok += str(res["last"].get(str(idx))) == final
        return {
            "kind": kind,
            "n": n,
            "changes": len(presses),
            "deliveries": hist.n,
            "p50": hist.pct(50),
            "p95": hist.pct(95),
            "p99": hist.pct(99),
            "max": hist.pct(100),
            "missed": missing,
            "behind": behind,
            "reconnected": reconnected if kind == "workshop" else 0,
            "reconnected_ok": reconnected_ok if kind == "workshop" else 0,
            "server_cpu_s": round(cpu, 2),
            "server_rss_mb": round(rss / 1024, 1),
        }
    finally:
        proc.kill()
        proc.wait()


def markdown(rows):
    out = [
        "| serveur | téléphones | changements | p50 ms | p95 ms | p99 ms | max ms | manqués | en retard à la fin | reconnectés sur la bonne activité | CPU serveur s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        rec = f"{r['reconnected_ok']} / {r['reconnected']}" if r["kind"] == "workshop" else "—"
        out.append(
            f"| {r['kind']} | {r['n']} | {r['changes']} | {r['p50']} | {r['p95']} | {r['p99']} | "
            f"{r['max']} | {r['missed']} | {r['behind']} | {rec} | {r['server_cpu_s']} |"
        )
    return "\n".join(out)


def main():
    if "--worker" in sys.argv:
        worker(json.loads(sys.stdin.readline()))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--gap", type=float, default=2.0)
    parser.add_argument("--reconnect", type=int, default=20)
    parser.add_argument("--per-proc", type=int, default=250)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    raise_nofile()
    import tempfile

    print(json.dumps(machine()), flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            for kind in ("workshop", "bare-gevent"):
                row = run_one(kind, n, args, Path(tmp))
                print(json.dumps(row), flush=True)
                rows.append(row)
    if args.markdown:
        print(markdown(rows))


if __name__ == "__main__":
    main()
