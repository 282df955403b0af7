"""Bench of the grouping suggestions (``suggest``): quality, then speed and memory.

Quality: each question's notes are suggested separately, as in the console,
and compared with the facilitator's categories: pairwise precision and recall
of « these two notes are in the same group » and adjusted Rand index, pooled
over the questions. A note left unplaced counts as a group of its own. Two
data sets:

- ``bench/data/benevolat.csv`` (48 notes written for this bench, 8
  categories): the tuning set, on which the thresholds were chosen;
- ``workshop/demo/mulhouse/postits.csv`` (the 50 real Mulhouse notes): the
  evaluation set, never used to choose anything.

Two naive baselines run beside the methods: « one group per question » and
« no group at all ».

Speed and memory: 300 notes (sentences made by mixing the notes of both
sets, seeded) suggested in a fresh subprocess, cold (first call: loading the
lemma dictionary) then warm; the baseline is the same subprocess importing
``numpy`` and ``scipy`` only.

Server: the real server (gevent, SQLite) with 300 notes on a question; the
facilitator's ``board:suggest`` is timed while a participant keeps sending
notes, whose acknowledgement delays are compared with the same notes sent
just before (the baseline of the same run).

Usage::

    python bench/suggest_bench.py                 # quality, speed, server
    python bench/suggest_bench.py --sizes 300     # some sizes only
    python bench/suggest_bench.py --no-server     # without the server phase
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import suggest  # noqa: E402

SETS = {
    "bénévolat (réglage)": ROOT / "bench" / "data" / "benevolat.csv",
    "Mulhouse (évaluation)": ROOT / "workshop" / "demo" / "mulhouse" / "postits.csv",
}


def read(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Notes per question: ``{prompt: [(category, text), ...]}``."""
    out: dict[str, list[tuple[str, str]]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["prompt"], []).append((row["category"], row["text"]))
    return out


def score(notes: dict, method: str) -> dict:
    truth, found, groups = [], [], 0
    for prompt, rows in sorted(notes.items()):
        texts = [t for _, t in rows]
        if method == "one-group":
            labels = [0] * len(texts)
        elif method == "no-group":
            labels = list(range(len(texts)))
        else:
            s = suggest.suggest_groups(texts, method=method)
            if s.method != method:
                return {}
            labels = suggest.labels_of(s, len(texts))
            groups += len(s.groups)
        truth += [f"{prompt}/{c}" for c, _ in rows]
        found += [f"{prompt}/{x}" for x in labels]
    p = suggest.pairwise(truth, found)
    return {**p, "ari": suggest.adjusted_rand(truth, found), "groups": groups}


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
texts = json.loads(sys.argv[2]); method = sys.argv[3]
t0 = time.perf_counter()
import numpy, scipy.cluster.hierarchy
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t_base = time.perf_counter() - t0
out = {"base_import_s": t_base, "base_rss_mb": base / 1024}
if method != "none":
    t0 = time.perf_counter()
    import suggest
    out["import_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    s = suggest.suggest_groups(texts, method=method)
    out["cold_s"] = time.perf_counter() - t0
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        s2 = suggest.suggest_groups(texts, method=method)
        d = time.perf_counter() - t0
        best = d if best is None else min(best, d)
    assert s2 == s, "not deterministic"
    out.update(warm_s=best, groups=len(s.groups), unplaced=len(s.unplaced),
               duplicates=len(s.duplicates), method=s.method,
               rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
"""


def synthetic(n: int) -> list[str]:
    """``n`` distinct notes: halves of real notes joined at random (seeded)."""
    pool = [t for path in SETS.values() for rows in read(path).values() for _, t in rows]
    rng = random.Random(19)
    out, seen = [], set()
    while len(out) < n:
        a, b = rng.sample(pool, 2)
        wa, wb = a.split(), b.split()
        text = " ".join(wa[: max(1, len(wa) // 2)] + wb[len(wb) // 2 :])
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def speed(n: int, method: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), json.dumps(synthetic(n)), method],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def server_phase(n: int) -> dict:
    """``board:suggest`` on the real server, and other events' delays meanwhile."""
    import statistics
    import tempfile
    import threading
    import time
    import uuid

    sys.path.insert(0, str(ROOT / "tests"))
    from support import LiveServer

    tmp = Path(tempfile.mkdtemp(prefix="suggest-bench-"))
    server = LiveServer(tmp, f"sqlite:///{tmp}/bench.db").start()
    try:
        atelier = server.create_atelier()
        fac = server.facilitator(atelier)
        awa = server.participant(atelier, "Awa")
        prompt = fac.call("board:prompt:create", {"text": "Quels freins ?"})["data"]

        def note(text):
            t0 = time.perf_counter()
            ack = awa.call(
                "board:note:create",
                {"client_id": str(uuid.uuid4()), "prompt_id": prompt["id"], "text": text},
            )
            assert ack["ok"], ack
            return time.perf_counter() - t0

        for text in synthetic(n):
            note(text[:280])
        baseline = [note(f"Avant le calcul {i}") for i in range(20)]
        times, during = [], []
        for _ in range(4):
            done = threading.Event()
            out = {}

            def run(out=out, done=done):
                t0 = time.perf_counter()
                out["ack"] = fac.call("board:suggest", {"prompt_id": prompt["id"]}, timeout=60)
                out["s"] = time.perf_counter() - t0
                done.set()

            th = threading.Thread(target=run)
            th.start()
            while not done.is_set():
                during.append(note("Pendant le calcul"))
            th.join()
            assert out["ack"]["ok"], out["ack"]
            times.append(out["s"])
        return {
            "first_s": times[0],
            "next_s": min(times[1:]),
            "count": out["ack"]["data"]["count"],
            "base_ms": statistics.median(baseline) * 1000,
            "during_ms": statistics.median(during) * 1000,
            "during_max_ms": max(during) * 1000,
            "during_n": len(during),
        }
    finally:
        server.close_clients()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 300, 1000])
    parser.add_argument("--no-server", action="store_true")
    args = parser.parse_args()
    methods = ["lexical", "semantic", "one-group", "no-group"]
    load = os.getloadavg()[0]
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs, "
        f"Python {platform.python_version()}, charge {load:.2f} avant la mesure"
    )
    print("\n## Qualité\n")
    print("| jeu | méthode | groupes | précision | rappel | F1 | ARI |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, path in SETS.items():
        notes = read(path)
        for method in methods:
            r = score(notes, method)
            if not r:
                print(f"| {name} | {method} | (indisponible) | | | | |")
                continue
            print(
                f"| {name} | {method} | {r['groups'] or '–'} | {r['precision']:.2f} | "
                f"{r['recall']:.2f} | {r['f1']:.2f} | {r['ari']:.2f} |"
            )
    print("\n## Vitesse et mémoire (processus neuf par mesure)\n")
    print(
        "| notes | méthode | import (s) | 1er appel (s) | appels suivants (s) | "
        "mémoire max (Mo) | référence numpy+scipy (Mo) | groupes |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        for method in ("lexical", "semantic"):
            r = speed(n, method)
            if r.get("method") != method:
                print(f"| {n} | {method} | (indisponible) | | | | | |")
                continue
            print(
                f"| {n} | {method} | {r['import_s']:.2f} | {r['cold_s']:.2f} | "
                f"{r['warm_s']:.3f} | {r['rss_mb']:.0f} | {r['base_rss_mb']:.0f} | {r['groups']} |"
            )

    if not args.no_server:
        r = server_phase(300)
        print("\n## Serveur (gevent, SQLite) : `board:suggest` sur 300 post-it\n")
        print(
            "| post-it à ranger | 1er appel (s) | appels suivants (s) | accusé d’un post-it avant (ms, médiane) | "
            "pendant le calcul (ms, médiane / max, n) |"
        )
        print("|---:|---:|---:|---:|---:|")
        print(
            f"| {r['count']} | {r['first_s']:.2f} | {r['next_s']:.2f} | {r['base_ms']:.1f} | "
            f"{r['during_ms']:.1f} / {r['during_max_ms']:.1f}, {r['during_n']} |"
        )


if __name__ == "__main__":
    main()
