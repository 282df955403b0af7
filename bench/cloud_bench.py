"""Word cloud and quick poll under load: N phones each send one word (then
one ballot) within a few seconds, compared in the same run with the same
phones each sending an acknowledged read.

    python bench/cloud_bench.py [--phones 1000] [--window 2] [--per-proc 250]
                                [--phases clock cloud poll]
                                [--baseline DIR] [--servers baseline workshop]
                                [--repeat R] [--markdown]

The real server (``python -m workshop serve``, temporary SQLite database)
gets an atelier with an open prompt and an open word cloud (one answer per
person, on screen). N phones (python-socketio ``AsyncClient``, WebSocket,
spread over generator processes of ``--per-proc`` phones) and one projector
connect. Phases (``--phases``), each phone sending once at a random moment
of ``--window`` seconds:

* ``clock`` (the baseline, first): the same phones each send ``clock``, an
  acknowledged read that stores and broadcasts nothing: the cost of the
  connection, the gate and the ack path under this load;
* ``cloud``: one word each (``cloud:answer``), French words with the
  spellings people type (capitals, accents forgotten, plurals, « ! »);
* ``poll``: one ballot each (``poll:vote``) on a 1–5 scale poll put on
  screen before the phase, results hidden (the projector gets the number of
  voters);
* ``board`` (on demand): one post-it each, broadcast to every phone (N²
  messages: much heavier, measured by ``bench/board_bench.py``).

``--baseline DIR``: a checkout of another version (``git worktree add
--detach DIR <commit>``), run as the server ``baseline`` with the same load
and the same words, alternately with this one (``--servers``, in that
order, ``--repeat`` times): before/after figures from one run of a shared
machine.

Measured per phase: ack latency (p50, p95, p99, max), lost (acknowledged but
not in the database, or never acknowledged), duplicated rows, server CPU
seconds. For the cloud: how long after the last ack the projector had the
final cloud (the first ``cloud:view`` counting every acknowledged answer),
how many views it received, and the words it shows; for the poll, how long
after the last ack it had the view counting every ballot. The generators reuse
``bench/board_bench.py``'s helpers (histogram, event loop, garbage collector,
server start).
"""

import argparse
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import board_bench  # noqa: E402
from board_bench import (  # noqa: E402
    Histogram,
    cpu_s,
    free_port,
    http_json,
    quiet_gc,
    raise_nofile,
    run_loop,
    start_server,
)

WORDS = [
    "entraide", "confiance", "partage", "solidarité", "ensemble", "réseau", "écoute",
    "territoire", "co-construction", "lien", "bienveillance", "engagement", "temps",
    "complémentarité", "respect", "dialogue", "échange", "coopérer", "collectif",
    "mutualisation", "convivialité", "projet commun", "alliance", "réciprocité",
    "transparence", "équité", "faire ensemble", "vivre ensemble", "intelligence collective",
    "énergie", "ouverture", "patience", "gouvernance partagée", "économie sociale",
    "circuit court", "innovation", "transition", "proximité", "accueil", "humilité",
]  # fmt: skip


def variant(word: str, rng: random.Random) -> str:
    """A spelling someone might type for ``word``."""
    r = rng.random()
    if r < 0.25:
        word = word.capitalize()
    elif r < 0.30:
        word = word.upper()
    if rng.random() < 0.15:
        word = word.replace("é", "e").replace("è", "e")
    if rng.random() < 0.15 and not word.endswith(("s", "x")):
        word += "s"
    if rng.random() < 0.1:
        word += " !"
    return word


def pick_words(n: int, seed: int = 18) -> list[str]:
    """``n`` answers: word ranks follow a Zipf law (a few very frequent words)."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(WORDS))]
    return [variant(rng.choices(WORDS, weights)[0], rng) for _ in range(n)]


# ---------------------------------------------------------------- generator process


def worker(cfg):
    """Connect phones, wait for GO, send one item each, report."""
    import asyncio

    import socketio

    raise_nofile()

    async def connect(auth):
        sio = socketio.AsyncClient(reconnection=True, reconnection_delay=0.5)
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

        async def one(auth):
            async with sem:
                return await connect(auth)

        phones = await asyncio.gather(*(one(a) for a in cfg["phones"]))
        quiet_gc()
        print("READY", flush=True)
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
            if not line or line[0] != "GO":
                break
            start, phase = float(line[1]), line[2]
            acks, sent, acked, refused, ack_at = Histogram(), {}, set(), [], []
            cpu0 = time.process_time()

            async def send(sio, k, start=start, phase=phase, acks=acks, sent=sent,
                           acked=acked, refused=refused, ack_at=ack_at):  # fmt: skip
                await asyncio.sleep(
                    max(0.0, start + random.uniform(0, cfg["window"]) - time.time())
                )
                cid = str(uuid.uuid4())
                if phase == "clock":
                    event, payload = "clock", {}
                elif phase == "board":
                    event = "board:note:create"
                    payload = {"client_id": cid, "prompt_id": cfg["prompt_id"], "text": f"note {k}"}
                elif phase == "poll":
                    event = "poll:vote"
                    payload = {
                        "client_id": cid,
                        "poll_id": cfg["poll_id"],
                        "value": cfg["values"][k],
                    }
                else:
                    event = "cloud:answer"
                    payload = {
                        "client_id": cid,
                        "activity_id": cfg["cloud_id"],
                        "text": cfg["words"][k],
                    }
                t = time.time()
                sent[cid] = t

                def on_ack(ack):
                    now = time.time()
                    acks.add(now - t)
                    ack_at.append(now)
                    if ack and ack.get("ok"):
                        acked.add(cid)
                    else:
                        refused.append(ack)

                try:
                    await sio.emit(event, payload, callback=on_ack)
                except Exception as err:  # a disconnected client: counted as lost
                    refused.append({"error": repr(err)})

            await asyncio.gather(*(send(sio, k) for k, sio in enumerate(phones)))
            deadline = time.time() + 60
            while time.time() < deadline and len(acked) + len(refused) < len(sent):
                await asyncio.sleep(0.05)
            print(
                "RESULT "
                + json.dumps(
                    {
                        "cpu_s": time.process_time() - cpu0,
                        "sent": list(sent),
                        "acked": list(acked),
                        "refused": refused[:5],
                        "refused_n": len(refused),
                        "acks": acks.counts,
                        "last_ack": max(ack_at, default=None),
                    }
                ),
                flush=True,
            )

    run_loop(main())
    os._exit(0)


# ---------------------------------------------------------------- the run


class Projector:
    """The projector's socket: every cloud view, with the time it arrived."""

    def __init__(self, url, code):
        import socketio

        self.views = []
        self.polls = []
        self.lock = threading.Lock()
        self.sio = socketio.Client()
        self.sio.on("cloud:view", self._view)
        self.sio.on("poll:view", self._poll)
        self.sio.on("batch", self._batch)
        self.sio.connect(url, auth={"role": "projector", "code": code}, transports=["websocket"])

    def _batch(self, items):
        for event, data in items:
            if event == "cloud:view":
                self._view(data)
            elif event == "poll:view":
                self._poll(data)

    def _view(self, data):
        with self.lock:
            self.views.append((time.time(), data))

    def _poll(self, data):
        with self.lock:
            self.polls.append((time.time(), data))

    def final_poll(self, voters):
        """The first poll view that counts ``voters`` voters: (time, view)."""
        with self.lock:
            for t, v in self.polls:
                if v.get("voters") == voters:
                    return t, v
        return None, None

    def final(self, answers):
        """The first view that counts ``answers`` answers: (time, view)."""
        with self.lock:
            for t, v in self.views:
                if v.get("answers") == answers:
                    return t, v
        return None, None


def summarise(outs, rows, extra=None):
    acks = Histogram()
    for o in outs:
        acks.merge(o["acks"])
    sent = {c for o in outs for c in o["sent"]}
    acked = {c for o in outs for c in o["acked"]}
    lost = len(acked - set(rows)) + (len(sent) - len(acked))
    return {
        "sent": len(sent),
        "acked": len(acked),
        "lost": lost,
        "duplicated": len(rows) - len(set(rows)),
        "ack_p50_ms": acks.pct(50),
        "ack_p95_ms": acks.pct(95),
        "ack_p99_ms": acks.pct(99),
        "ack_max_ms": acks.pct(100),
        "gen_cpu_s": round(sum(o["cpu_s"] for o in outs), 2),
        "last_ack": max((o["last_ack"] for o in outs if o["last_ack"]), default=None),
        **(extra or {}),
    }


def run(args, kind="workshop"):
    import socketio

    raise_nofile()
    tmp = Path(tempfile.mkdtemp(prefix="cloud-bench-"))
    db = tmp / "bench.sqlite3"
    proc, url = start_server(kind, free_port(), tmp, f"sqlite:///{db}")
    workers = []
    try:
        atelier = http_json(url + "/api/ateliers", {"title": "Bench", "allow_anonymous": True})
        code = atelier["code"]
        fac = socketio.Client()
        fac.connect(
            url,
            auth={"role": "facilitator", "code": code, "secret": atelier["secret"]},
            transports=["websocket"],
        )
        prompt_id = fac.call("board:prompt:create", {"text": "Bench ?"})["data"]["id"]
        cloud = fac.call(
            "cloud:create",
            {"question": "Un mot pour dire la coopération ?", "max_answers": 1, "on_screen": True},
        )["data"]
        poll = fac.call(
            "poll:create",
            {"question": "Votre énergie ce matin ?", "kind": "scale", "scale_max": 5},
        )["data"]
        assert fac.call("atelier:scene", {"scene": "cloud"})["ok"]
        fac.disconnect()
        phones = [
            {
                "role": "participant",
                "code": code,
                "token": http_json(url + f"/api/ateliers/{code}/participants", {"name": f"P{i}"})[
                    "token"
                ],
            }
            for i in range(args.phones)
        ]
        words = pick_words(args.phones)
        values = [random.Random(k).choice([2, 3, 3, 4, 4, 4, 5]) for k in range(args.phones)]
        projector = Projector(url, code)
        for k in range(0, args.phones, args.per_proc):
            cfg = {
                "url": url,
                "phones": phones[k : k + args.per_proc],
                "words": words[k : k + args.per_proc],
                "values": values[k : k + args.per_proc],
                "prompt_id": prompt_id,
                "cloud_id": cloud["id"],
                "poll_id": poll["id"],
                "window": args.window,
            }
            w = subprocess.Popen(
                [sys.executable, __file__, "--worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            w.stdin.write(json.dumps(cfg) + "\n")
            w.stdin.flush()
            workers.append(w)
        for w in workers:
            line = w.stdout.readline()
            if not line.startswith("READY"):
                raise RuntimeError(f"worker failed: {line!r}")
        report = {}
        for phase in args.phases:
            time.sleep(2)
            if phase == "poll":  # the poll goes on screen (the cloud comes off)
                fac = socketio.Client()
                fac.connect(
                    url,
                    auth={"role": "facilitator", "code": code, "secret": atelier["secret"]},
                    transports=["websocket"],
                )
                assert fac.call("poll:update", {"poll_id": poll["id"], "on_screen": True})["ok"]
                fac.disconnect()
                time.sleep(1)
            go = time.time() + 1.0
            cpu0 = cpu_s(proc.pid)
            views0, polls0 = len(projector.views), len(projector.polls)
            for w in workers:
                w.stdin.write(f"GO {go} {phase}\n")
                w.stdin.flush()
            outs = []
            for w in workers:
                line = w.stdout.readline()
                while line and not line.startswith("RESULT "):
                    line = w.stdout.readline()
                outs.append(json.loads(line[7:]))
            time.sleep(2)  # the last views
            if phase == "clock":  # nothing stored: every ack counts
                rows = [c for o in outs for c in o["acked"]]
            else:
                con = sqlite3.connect(db)
                table = {"board": "board_note", "poll": "poll_ballot"}.get(phase, "cloud_answer")
                rows = [r[0] for r in con.execute(f"SELECT client_id FROM {table}")]  # noqa: S608
                con.close()
            extra = {"server_cpu_s": round(cpu_s(proc.pid) - cpu0, 2)}
            result = summarise(outs, rows, extra)
            if phase == "cloud":
                t_final, view = projector.final(result["acked"])
                result["views"] = len(projector.views) - views0
                if t_final is not None:
                    result["final_after_last_ack_ms"] = round((t_final - result["last_ack"]) * 1000)
                    lay = view.get("layout") or {}
                    result["words_shown"] = len(lay.get("words", []))
                    result["others"] = lay.get("others")
                    ranked = sorted(lay.get("words", []), key=lambda w: -w["count"])[:5]
                    result["top"] = [(w["label"], w["count"]) for w in ranked]
                else:
                    result["final_after_last_ack_ms"] = None
            if phase == "poll":
                t_final, _view = projector.final_poll(result["acked"])
                result["views"] = len(projector.polls) - polls0
                result["final_after_last_ack_ms"] = (
                    round((t_final - result["last_ack"]) * 1000) if t_final is not None else None
                )
            result.pop("last_ack")
            report[phase] = result
        for w in workers:
            w.stdin.write("STOP\n")
            w.stdin.flush()
        return report
    finally:
        for w in workers:
            w.kill()
        proc.terminate()
        proc.wait(10)


def main():
    if "--worker" in sys.argv:
        worker(json.loads(sys.stdin.readline()))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=1000)
    ap.add_argument("--window", type=float, default=2.0)
    ap.add_argument("--per-proc", type=int, default=250)
    ap.add_argument(
        "--phases",
        nargs="+",
        default=["clock", "cloud", "poll"],
        choices=["clock", "cloud", "poll", "board"],
        help="clock: the baseline (an acknowledged read, nothing stored, nothing broadcast); "
        "board: one post-it each (broadcast to every phone: N² messages)",
    )
    ap.add_argument("--baseline", type=Path, help="checkout of the version to compare with")
    ap.add_argument(
        "--servers",
        nargs="+",
        default=None,
        choices=["workshop", "baseline"],
        help="in this order (default: baseline then workshop with --baseline, else workshop)",
    )
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    board_bench.BASELINE = args.baseline.resolve() if args.baseline else None
    servers = args.servers or (["baseline", "workshop"] if args.baseline else ["workshop"])
    runs = []
    for _ in range(args.repeat):
        for kind in servers:
            load0 = os.getloadavg()[0]
            runs.append((kind, run(args, kind), load0, os.getloadavg()[0]))
    meta = {
        "machine": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }
    if not args.markdown:
        out = [{"server": k, "load": [a, b], **r} for k, r, a, b in runs]
        print(json.dumps({"meta": meta, "runs": out}, ensure_ascii=False, indent=2))
        return
    print(f"N = {args.phones} téléphones, fenêtre {args.window} s ({meta})\n")
    print(
        "| serveur | phase | envoyés | accusés | perdus | doublons "
        "| accusé p50 / p95 / p99 / max (ms) | CPU serveur (s) "
        "| projection après le dernier accusé (ms) | vues | charge avant → après |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for kind, report, load0, load1 in runs:
        for phase, r in report.items():
            final = r.get("final_after_last_ack_ms", "—")
            print(
                f"| {kind} | {phase} | {r['sent']} | {r['acked']} | {r['lost']} | "
                f"{r['duplicated']} | {r['ack_p50_ms']} / {r['ack_p95_ms']} / "
                f"{r['ack_p99_ms']} / {r['ack_max_ms']} | {r['server_cpu_s']} | "
                f"{final} | {r.get('views', '—')} | {load0:.1f} → {load1:.1f} |"
            )
    for kind, report, _a, _b in runs:
        c = report.get("cloud")
        if c is not None:
            print(
                f"\n{kind} : {c.get('words_shown')} mots affichés, {c.get('others')} autres ; "
                f"les plus cités : {c.get('top')}"
            )


if __name__ == "__main__":
    main()
