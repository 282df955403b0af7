"""Server CPU per post-it, per cloud answer and per ballot, in process (no network):
the cost the ack path adds under SQLite's write lock, which the load
benchmark (``bench/cloud_bench.py``) measures with the noise of a shared
machine.

    python bench/cloud_cost_bench.py [--phones 300] [--baseline DIR] [--rounds 3]

One Flask app on a temporary SQLite file, Flask-SocketIO's test client: N
phones joined, each sends ``clock`` (nothing stored: the cost of the gate,
the handler wrapper and the ack), one ``cloud:answer`` to a cloud of one
answer a person, one ``poll:vote`` on a 1–5 scale poll, one
``board:note:create`` to an open prompt whose notes wait for approval (so
that, as for the other two, what is measured is the handler's path and not
the test client's delivery to every phone). Reported: process
CPU milliseconds per event (median of ``--rounds``). ``--baseline DIR``: the
same in a checkout of another version, alternately, in subprocesses.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(phones: int) -> dict:
    from workshop import create_app
    from workshop.extensions import socketio

    tmp = Path(tempfile.mkdtemp(prefix="cloud-cost-"))
    app = create_app(
        {
            "INSTANCE_PATH": tmp / "instance",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "RATE_LIMITS": False,
            "BROADCAST_WINDOW_MS": 50,
        }
    )
    http = app.test_client()
    a = http.post("/api/ateliers", json={"title": "Bench", "allow_anonymous": True}).json
    fac = socketio.test_client(
        app, auth={"role": "facilitator", "code": a["code"], "secret": a["secret"]}
    )
    cloud = fac.emit(
        "cloud:create",
        {"question": "Un mot ?", "max_answers": 1, "on_screen": True},
        callback=True,
    )["data"]
    poll = fac.emit(
        "poll:create", {"question": "Note ?", "kind": "scale", "scale_max": 5}, callback=True
    )["data"]
    prompt = fac.emit(
        "board:prompt:create", {"text": "Une idée ?", "approval": True}, callback=True
    )["data"]
    clients = []
    for i in range(phones):
        url = f"/api/ateliers/{a['code']}/participants"
        token = http.post(url, json={"name": f"P{i}"}).json["token"]
        auth = {"role": "participant", "code": a["code"], "token": token}
        clients.append(socketio.test_client(app, auth=auth))
    words = ["entraide", "Confiance", "partage", "solidarite", "ensemble !", "réseaux"]
    events = {
        "clock": lambda i: ("clock", {}),
        "cloud:answer": lambda i: (
            "cloud:answer",
            {"client_id": str(uuid.uuid4()), "activity_id": cloud["id"], "text": words[i % 6]},
        ),
        "poll:vote": lambda i: (
            "poll:vote",
            {"client_id": str(uuid.uuid4()), "poll_id": poll["id"], "value": 1 + i % 5},
        ),
        "board:note:create": lambda i: (
            "board:note:create",
            {"client_id": str(uuid.uuid4()), "prompt_id": prompt["id"], "text": f"idée {i}"},
        ),
    }
    out = {}
    for name, make in events.items():
        for c in clients:
            c.get_received()
        t0 = time.process_time()
        refused = 0
        for i, c in enumerate(clients):
            event, payload = make(i)
            refused += not c.emit(event, payload, callback=True)["ok"]
        out[name] = round(1000 * (time.process_time() - t0) / phones, 3)
        out[name + " refused"] = refused
        time.sleep(0.3)  # the last views
    return out


def main():
    if "--child" in sys.argv:
        print(json.dumps(measure(int(sys.argv[-1]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline", type=Path)
    args = ap.parse_args()
    trees = {"workshop": ROOT}
    if args.baseline:
        trees = {"baseline": args.baseline.resolve(), **trees}
    runs: dict = {k: [] for k in trees}
    for _ in range(args.rounds):
        for kind, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": str(tree)}
            cmd = [sys.executable, __file__, "--child", str(args.phones)]
            done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
            runs[kind].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"N = {args.phones}, {args.rounds} rounds, load {os.getloadavg()[0]:.1f}")
    names = ("clock", "cloud:answer", "poll:vote", "board:note:create")
    print("| version | " + " | ".join(names) + " | (ms CPU per event, median) |")
    print("|---|" + "---|" * (len(names) + 1))
    for kind, rs in runs.items():
        med = {k: statistics.median(r[k] for r in rs) for k in names}
        refused = sum(r[k + " refused"] for r in rs for k in names)
        cells = " | ".join(str(med[k]) for k in names)
        print(f"| {kind} | {cells} | refused {refused} |")


if __name__ == "__main__":
    main()
