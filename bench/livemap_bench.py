"""Benchmark of the live map: from a validation to the projector's redraw.

Starts the real server (SQLite, in a temporary folder), fills an atelier with
21, 60 or 150 validated actors (about 2 contributions and 1.5 links each), then
repeats: a phone submits a contribution (pending), the console validates it,
and a projector client, on ``livemap:map``, fetches the new drawing for the
screen ``map.svg?view=stage&v=N&ar=1.82`` (the shape a 1920x1080 projector
page asks for; drawn with ``maps`` on the first request for a version).
Reported, in ms, p50 and p95 of:

* ``ack``: validation sent -> its ack received by the console;
* ``event``: validation sent -> ``livemap:map`` received by the projector;
* ``redraw``: validation sent -> the projector has the new SVG (the
  projector's redraw time; the browser's own SVG paint is not included);
* ``svg (cached)``: a second projector fetching the same version;
* ``export figure``: baseline in the same run, the time to draw the same
  version as the printable figure (title, legend, caption: ``map.svg``
  without ``ar``), i.e. what the projector drew before it was drawn for the
  screen.

Usage::

    flock /tmp/bench.lock python bench/livemap_bench.py --sizes 21 60 150 --rounds 30
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import LiveServer  # noqa: E402

STAGES = ("declencher", "organiser", "animer")


def pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def _ok(ack):
    assert ack["ok"], ack
    return ack["data"]


def fill(fac, n):
    import random

    rng = random.Random(n)
    ids = []
    for i in range(n):
        a = _ok(
            fac.call(
                "livemap:actor:add",
                {
                    "client_id": str(uuid.uuid4()),
                    "name": f"Structure {i} {rng.choice(['Nord', 'Sud', 'Est', 'Ouest'])}",
                    "kind": rng.choice(["association", "collectivite", "reseau", "fondation"]),
                    "territory": rng.choice(["Mulhouse", "Colmar"]),
                },
            )
        )
        ids.append(a["id"])
        for stage in rng.sample(STAGES, 2):
            _ok(
                fac.call(
                    "livemap:contribution:add",
                    {
                        "client_id": str(uuid.uuid4()),
                        "actor_id": a["id"],
                        "stage": stage,
                        "text": f"apport {i} {stage}",
                    },
                )
            )
    for _ in range(int(n * 1.5)):
        s, t = rng.sample(ids, 2)
        _ok(
            fac.call(
                "livemap:link:add",
                {
                    "client_id": str(uuid.uuid4()),
                    "source_id": s,
                    "target_id": t,
                    "kind": rng.choice(["partenaire", "accompagne", "membre"]),
                },
            )
        )
    return ids


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as res:
        return res.read()


def run(size: int, rounds: int, view: str = "stage", aspect: str = "1.82") -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="livemap-bench-"))
    server = LiveServer(tmp / "instance", f"sqlite:///{tmp / 'bench.sqlite3'}")
    server.start()
    try:
        atelier = server.create_atelier(title=f"Banc {size} acteurs")
        fac = server.facilitator(atelier)
        _ok(fac.call("livemap:settings", {"open": True, "view": view}))
        ids = fill(fac, size)
        proj = server.projector(atelier)
        phone = server.participant(atelier, "Banc")
        base = f"{server.url}/a/{atelier['code']}/livemap/map.svg?view={view}"
        got = {}
        cond = threading.Condition()

        def on_map(data):
            with cond:
                got[data["settings"]["version"]] = time.perf_counter()
                cond.notify_all()

        proj.sio.on("livemap:map", on_map)
        proj.sio.on(  # broadcasts coalesced by the server
            "batch", lambda items: [on_map(d) for e, d in items if e == "livemap:map"]
        )
        fetch(base)  # warm up (fonts, first drawing)
        fetch(f"{base}&ar={aspect}")
        samples = {"ack": [], "event": [], "redraw": [], "svg (cached)": [], "export figure": []}
        for r in range(rounds):
            c = _ok(
                phone.call(
                    "livemap:contribution:add",
                    {
                        "client_id": str(uuid.uuid4()),
                        "actor_id": ids[r % len(ids)],
                        "stage": STAGES[r % 3],
                        "text": f"nouvel apport {r}",
                    },
                )
            )
            t0 = time.perf_counter()
            done = _ok(fac.call("livemap:validate", {"what": "contribution", "id": c["id"]}))
            t_ack = time.perf_counter()
            version = done["version"]
            with cond:
                cond.wait_for(lambda v=version: v in got, timeout=10)
            t_event = got[version]
            body = fetch(f"{base}&v={version}&ar={aspect}")
            t_svg = time.perf_counter()
            assert b"<svg" in body[:600]
            t1 = time.perf_counter()
            fetch(f"{base}&v={version}&ar={aspect}")
            t_cached = time.perf_counter() - t1
            t2 = time.perf_counter()
            fetch(f"{base}&v={version}")  # baseline: the printable figure
            samples["export figure"].append((time.perf_counter() - t2) * 1000)
            samples["ack"].append((t_ack - t0) * 1000)
            samples["event"].append((t_event - t0) * 1000)
            samples["redraw"].append((t_svg - t0) * 1000)
            samples["svg (cached)"].append(t_cached * 1000)
        return {k: (statistics.median(v), pct(v, 95), max(v)) for k, v in samples.items()} | {
            "svg_bytes": len(body)
        }
    finally:
        server.close_clients()
        server.stop()


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPU ({cpu}), {mem}, Python {platform.python_version()}, "
        f"load average before the run: {load}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[21, 60, 150])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--views", nargs="+", default=["stage", "network"])
    parser.add_argument("--aspect", default="1.82", help="shape asked by the projector page")
    args = parser.parse_args()
    print(machine())
    print()
    print("| actors | view | step | p50 (ms) | p95 (ms) | max (ms) |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        for view in args.views:
            res = run(size, args.rounds, view, args.aspect)
            for step in ("ack", "event", "redraw", "svg (cached)", "export figure"):
                p50, p95, mx = res[step]
                print(f"| {size} | {view} | {step} | {p50:.0f} | {p95:.0f} | {mx:.0f} |")
            print(f"| {size} | {view} | SVG size | {res['svg_bytes'] // 1024} KiB | | |")


if __name__ == "__main__":
    main()
