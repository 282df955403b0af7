"""Word cloud under load: N phones each send one word within a few seconds,
compared in the same run with the same phones each sending an acknowledged read.

    python bench/cloud_bench.py [--phones 1000] [--window 2] [--per-proc 250]
                                [--markdown]

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
* ``board`` (on demand): one post-it each, broadcast to every phone (N²
  messages: much heavier, measured by ``bench/board_bench.py``).

Measured per phase: ack latency (p50, p95, p99, max), lost (acknowledged but
not in the database, or never acknowledged), duplicated rows, server CPU
seconds. For the cloud: how long after the last ack the projector had the
final cloud (the first ``cloud:view`` counting every acknowledged answer),
how many views it received, and the words it shows. The generators reuse
``bench/board_bench.py``'s helpers (histogram, event loop, garbage collector,
server start).
"""

import argparse
import json
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
    import os

    os._exit(0)


# ---------------------------------------------------------------- the run


class Projector:
    """The projector's socket: every cloud view, with the time it arrived."""

    def __init__(self, url, code):
        import socketio

        self.views = []
        self.lock = threading.Lock()
        self.sio = socketio.Client()
        self.sio.on("cloud:view", self._view)
        self.sio.on("batch", lambda items: [self._view(d) for e, d in items if e == "cloud:view"])
        self.sio.connect(url, auth={"role": "projector", "code": code}, transports=["websocket"])

    def _view(self, data):
        with self.lock:
            self.views.append((time.time(), data))

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


def run(args):
    import socketio

    raise_nofile()
    tmp = Path(tempfile.mkdtemp(prefix="cloud-bench-"))
    db = tmp / "bench.sqlite3"
    proc, url = start_server("workshop", free_port(), tmp, f"sqlite:///{db}")
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
        projector = Projector(url, code)
        for k in range(0, args.phones, args.per_proc):
            cfg = {
                "url": url,
                "phones": phones[k : k + args.per_proc],
                "words": words[k : k + args.per_proc],
                "prompt_id": prompt_id,
                "cloud_id": cloud["id"],
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
            go = time.time() + 1.0
            cpu0 = cpu_s(proc.pid)
            views0 = len(projector.views)
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
                table = "board_note" if phase == "board" else "cloud_answer"
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
        default=["clock", "cloud"],
        choices=["clock", "cloud", "board"],
        help="clock: the baseline (an acknowledged read, nothing stored, nothing broadcast); "
        "board: one post-it each (broadcast to every phone: N² messages)",
    )
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    report = run(args)
    meta = {
        "machine": platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }
    if args.markdown:
        print(f"N = {args.phones} téléphones, fenêtre {args.window} s ({meta})\n")
        print(
            "| phase | envoyés | accusés | perdus | doublons | accusé p50 / p95 / p99 / max (ms) | CPU serveur (s) |"
        )
        print("|---|---|---|---|---|---|---|")
        for phase, r in report.items():
            print(
                f"| {phase} | {r['sent']} | {r['acked']} | {r['lost']} | {r['duplicated']} | "
                f"{r['ack_p50_ms']} / {r['ack_p95_ms']} / {r['ack_p99_ms']} / {r['ack_max_ms']} | "
                f"{r['server_cpu_s']} |"
            )
        c = report.get("cloud")
        if c is None:
            return
        print(
            f"\nNuage final sur la projection {c['final_after_last_ack_ms']} ms après le dernier "
            f"accusé ; {c['views']} vues reçues ; {c.get('words_shown')} mots affichés, "
            f"{c.get('others')} autres ; les plus cités : {c.get('top')}"
        )
    else:
        print(json.dumps({"meta": meta, **report}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
