"""Analysis of an actor map: stages, brokers, communities, chains, gaps.

All functions take an :class:`maps.ActorMap` and return plain data (dicts,
lists, strings) that can be serialised to JSON. The keys of the dictionary
returned by :func:`analyse` are documented there and in
``docs/maps-format.md``.

>>> from maps import from_records
>>> m = from_records(
...     actors=[{"id": i, "name": i.upper()} for i in "abcd"],
...     contributions=[
...         {"actor_id": "a", "stage": "declencher"},
...         {"actor_id": "b", "stage": "organiser"},
...         {"actor_id": "c", "stage": "animer"},
...     ],
...     links=[
...         {"source_id": "a", "target_id": "b", "kind": "partenaire"},
...         {"source_id": "b", "target_id": "c", "kind": "accompagne"},
...     ],
... )
>>> r = analyse(m)
>>> r["isolated"], r["chains"]["complete"], r["chains"]["paths"]["a"]["path"]
(['d'], 1, ['a', 'b', 'c'])
"""

from __future__ import annotations

import heapq
import math
from collections import deque

import networkx as nx

from .model import ActorMap
from .stages import STAGE_LABELS, STAGE_SHORT_LABELS, STAGES

__all__ = [
    "analyse",
    "analysis_text",
    "analysis_paragraphs",
    "chain_for",
    "stage_table",
    "BETWEENNESS_EXACT_MAX",
    "BETWEENNESS_SAMPLES",
]

#: Above this many actors, betweenness is estimated from a seeded sample of
#: :data:`BETWEENNESS_SAMPLES` source actors instead of being exact.
BETWEENNESS_EXACT_MAX = 1000
BETWEENNESS_SAMPLES = 300
#: Above this many actors, suggestions only consider actors two links apart.
SUGGESTIONS_ALL_PAIRS_MAX = 1000

_TERRITORY_COLUMNS = ("territory", "territoire", "quartier", "commune", "ville", "city")

_TRANSITIONS = [(a, b) for i, a in enumerate(STAGES) for b in STAGES[i + 1 :]]


def _r(x: float) -> float:
    return round(float(x), 4)


def _bfs_from_sources(g: nx.Graph, sources: list) -> tuple[dict, dict]:
    """Multi-source breadth-first search.

    Returns ``(dist, step)`` where ``step[n]`` is the neighbour of ``n`` one
    link closer to the nearest source (``None`` for sources).
    """
    dist: dict = {}
    step: dict = {}
    queue: deque = deque()
    for s in sources:
        if s not in dist:
            dist[s] = 0
            step[s] = None
            queue.append(s)
    while queue:
        u = queue.popleft()
        du = dist[u] + 1
        for w in g[u]:
            if w not in dist:
                dist[w] = du
                step[w] = u
                queue.append(w)
    return dist, step


def _walk(step: dict, node) -> list:
    path = [node]
    while step[path[-1]] is not None:
        path.append(step[path[-1]])
    return path


def _territory(data: dict) -> str:
    for col in _TERRITORY_COLUMNS:
        for key in (col, col.capitalize()):
            value = data.get(key)
            if value:
                return str(value)
    return ""


def _brokers(g: nx.Graph, seed: int, top: int) -> tuple[list[dict], dict]:
    n = g.number_of_nodes()
    if n <= BETWEENNESS_EXACT_MAX:
        scores = nx.betweenness_centrality(g)
        method = "exact"
    else:
        k = min(n, BETWEENNESS_SAMPLES)
        scores = nx.betweenness_centrality(g, k=k, seed=seed)
        method = f"estimation sur {k} acteurs tirés au hasard (graine {seed})"
    ranked = sorted(((s, node) for node, s in scores.items() if s > 0), key=lambda t: (-t[0], t[1]))
    brokers = [
        {"id": node, "name": g.nodes[node].get("name", node), "score": _r(s)}
        for s, node in ranked[:top]
    ]
    return brokers, {"method": method, "scores": scores}


def _communities(g: nx.Graph, seed: int) -> tuple[list[dict], float]:
    if g.number_of_edges() == 0:
        return [], 0.0
    parts = nx.community.louvain_communities(g, weight="weight", seed=seed)
    modularity = nx.community.modularity(g, parts, weight="weight")
    order = {node: i for i, node in enumerate(g.nodes)}
    parts = [sorted(p, key=order.get) for p in parts if len(p) > 1]
    parts.sort(key=lambda p: (-len(p), order[p[0]]))
    out = []
    for i, members in enumerate(parts, start=1):
        hub = max(members, key=lambda x: (g.degree(x, weight="weight"), -order[x]))
        out.append(
            {
                "id": i,
                "size": len(members),
                "hub": hub,
                "members": sorted(members),
            }
        )
    return out, _r(modularity)


def _chain_to_animer(g: nx.Graph, organisers: list, dist_a: dict) -> tuple[dict, dict]:
    """Shortest distance from every actor to an animer actor *via* an organiser actor.

    Dijkstra on the two-phase graph: an actor that organises may switch to
    the second phase, whose remaining distance is its distance to the nearest
    animer actor. Returns ``(dist, step)``; ``step[n] is None`` at the switch.
    """
    dist: dict = {}
    step: dict = {}
    heap: list = []
    counter = 0
    for o in organisers:
        if o in dist_a and dist_a[o] < dist.get(o, math.inf):
            dist[o] = dist_a[o]
            step[o] = None
            heap.append((dist_a[o], counter, o))
            counter += 1
    heapq.heapify(heap)
    done: set = set()
    while heap:
        d, _, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for w in g[u]:
            if d + 1 < dist.get(w, math.inf):
                dist[w] = d + 1
                step[w] = u
                counter += 1
                heapq.heappush(heap, (d + 1, counter, w))
    return dist, step


def _chains(m: ActorMap, g: nx.Graph) -> dict:
    by_stage = m.actors_by_stage()
    dist_o, step_o = _bfs_from_sources(g, by_stage["organiser"])
    dist_a, step_a = _bfs_from_sources(g, by_stage["animer"])
    dist_oa, step_oa = _chain_to_animer(g, by_stage["organiser"], dist_a)
    paths: dict[str, dict] = {}
    broken: list[str] = []
    no_animer: list[str] = []
    reach_o = complete = 0
    for d in by_stage["declencher"]:
        if d not in dist_o:
            broken.append(d)
            paths[d] = {"organiser": None, "animer": None, "path": [d], "hops": 0}
            continue
        reach_o += 1
        if d in dist_oa:
            to_o = _walk(step_oa, d)
            o = to_o[-1]
            to_a = _walk(step_a, o)
            complete += 1
            path = to_o + to_a[1:]
            paths[d] = {"organiser": o, "animer": to_a[-1], "path": path, "hops": len(path) - 1}
        else:
            to_o = _walk(step_o, d)
            no_animer.append(d)
            paths[d] = {"organiser": to_o[-1], "animer": None, "path": to_o, "hops": len(to_o) - 1}
    hops = [p["hops"] for p in paths.values() if p["animer"] is not None]
    return {
        "definition": (
            "Un acteur qui déclenche « atteint » un acteur qui organise puis un acteur qui "
            "anime s'il existe un chemin de liens (sans tenir compte de leur sens) vers "
            "un acteur qui organise puis de celui-ci vers un acteur qui anime ; l'exemple "
            "de chemin donné est le plus court. Un acteur présent à plusieurs étapes "
            "compte pour chacune (chemin de longueur 0)."
        ),
        "declencher_actors": len(by_stage["declencher"]),
        "reach_organiser": reach_o,
        "complete": complete,
        "broken": sorted(broken),
        "no_animer": sorted(no_animer),
        "mean_hops": _r(sum(hops) / len(hops)) if hops else None,
        "paths": paths,
    }


def _gaps(m: ActorMap, counts: dict[str, int]) -> dict:
    mean = sum(counts.values()) / len(STAGES)
    threshold = max(2, math.ceil(mean / 2))
    few = [
        {"stage": s, "label": STAGE_LABELS[s], "actors": counts[s], "threshold": threshold}
        for s in STAGES
        if counts[s] < threshold
    ]
    stages = dict(m.graph.nodes(data="stages"))
    transitions = {f"{a}->{b}": 0 for a, b in _TRANSITIONS}
    for u, v in m.graph.edges():
        if u == v:
            continue
        su, sv = stages[u], stages[v]
        for a, b in _TRANSITIONS:
            if (a in su and b in sv) or (a in sv and b in su):
                transitions[f"{a}->{b}"] += 1
    no_link_into = [
        b for a, b in zip(STAGES, STAGES[1:], strict=False) if transitions[f"{a}->{b}"] == 0
    ]
    return {
        "few_actors": few,
        "no_link_into": no_link_into,
        "transitions": transitions,
        "without_stage": [n for n, s in stages.items() if not s],
    }


def _suggestions(m: ActorMap, g: nx.Graph, top: int) -> list[dict]:
    nodes = m.graph.nodes
    stages = {n: set(s) for n, s in nodes(data="stages")}
    by_stage = m.actors_by_stage()
    neigh = {n: set(g[n]) for n in g}
    territory = {n: _territory(nodes[n]) for n in g}
    all_pairs = g.number_of_nodes() <= SUGGESTIONS_ALL_PAIRS_MAX
    best: dict[frozenset, dict] = {}
    for a, b in zip(STAGES, STAGES[1:], strict=False):
        targets = [v for v in by_stage[b] if a not in stages[v]]
        target_set = set(targets)
        for u in by_stage[a]:
            if b in stages[u]:
                continue
            if all_pairs:
                candidates = targets
            else:
                two_hop = set()
                for w in neigh[u]:
                    two_hop |= neigh[w]
                candidates = [v for v in two_hop if v in target_set]
            for v in candidates:
                if v == u or v in neigh[u]:
                    continue
                shared = neigh[u] & neigh[v]
                same_territory = bool(territory[u]) and territory[u] == territory[v]
                kind_u = nodes[u].get("kind", "")
                same_kind = bool(kind_u) and kind_u == nodes[v].get("kind", "")
                score = len(shared) + (1.0 if same_territory else 0.0) + (0.5 if same_kind else 0.0)
                if score <= 0:
                    continue
                key = frozenset((u, v))
                if key in best and best[key]["score"] >= score:
                    continue
                reasons = [
                    f"{nodes[u]['name']} ({STAGE_SHORT_LABELS[a].lower()}) pourrait passer le "
                    f"relais à {nodes[v]['name']} ({STAGE_SHORT_LABELS[b].lower()})"
                ]
                shared_sorted = sorted(shared)
                if shared:
                    names = ", ".join(nodes[x]["name"] for x in shared_sorted[:3])
                    more = f" et {len(shared) - 3} autres" if len(shared) > 3 else ""
                    plural = "s" if len(shared) > 1 else ""
                    reasons.append(f"{len(shared)} partenaire{plural} en commun ({names}{more})")
                if same_territory:
                    reasons.append(f"même territoire ({territory[u]})")
                if same_kind:
                    reasons.append(f"même type d'acteur ({kind_u})")
                best[key] = {
                    "reasons": reasons[1:],
                    "source": u,
                    "target": v,
                    "from_stage": a,
                    "to_stage": b,
                    "score": _r(score),
                    "shared_neighbours": shared_sorted,
                    "reason": " ; ".join(reasons) + ".",
                }
    ranked = sorted(best.values(), key=lambda s: (-s["score"], s["source"], s["target"]))
    return ranked[:top]


def analyse(m: ActorMap, *, seed: int = 42, top: int = 10) -> dict:
    """Analyse an actor map.

    Parameters
    ----------
    m : ActorMap
    seed : int
        Seed for Louvain communities and sampled betweenness.
    top : int
        Number of brokers and suggestions kept.

    Returns
    -------
    dict
        A JSON-serialisable dict with the keys:

        - ``actors``, ``links``, ``contributions``, ``projects``: counts;
        - ``stages``: number of distinct actors contributing to each stage;
        - ``isolated``: sorted ids of actors without any link;
        - ``brokers``: ``[{"id", "name", "score"}]``, the ``top`` actors by
          betweenness centrality (normalised) on the undirected cooperation
          graph, score > 0 only; ``brokers_method`` tells whether it is exact
          or sampled (above :data:`BETWEENNESS_EXACT_MAX` actors);
        - ``communities``: Louvain communities with at least two members,
          ``[{"id", "size", "hub", "members"}]``, and ``modularity``;
        - ``chains``: the *chaînage des apports*: ``declencher_actors``,
          ``reach_organiser``, ``complete`` (reach an organiser then an
          animer actor), ``broken`` (déclencher actors reaching no organiser
          actor), ``no_animer``, ``mean_hops``, ``paths`` (per déclencher
          actor: ``organiser``, ``animer``, ``path``, ``hops``) and the
          ``definition`` in French;
        - ``gaps``: ``few_actors`` (stages with fewer actors than half the
          mean, at least 2), ``no_link_into`` (stages that no link reaches
          from an actor of the previous stage), ``transitions`` (links
          between actors of two stages), ``without_stage``;
        - ``suggestions``: ranked pairs of unlinked actors at consecutive
          stages, ``[{"source", "target", "from_stage", "to_stage", "score",
          "shared_neighbours", "reason", "reasons"}]``: ``source`` is at
          ``from_stage`` and lacks ``to_stage``, ``target`` is at
          ``to_stage``; score = shared neighbours + 1 if same territory
          column (``territory``, ``territoire``, ``quartier``, ``commune``,
          ``ville``) + 0.5 if same kind.

    Examples
    --------
    >>> from maps import from_records
    >>> m = from_records(
    ...     actors=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    ...     contributions=[{"actor_id": "a", "stage": "declencher"}],
    ... )
    >>> r = analyse(m)
    >>> r["actors"], r["stages"]["declencher"], r["chains"]["broken"]
    (2, 1, ['a'])
    >>> r["gaps"]["few_actors"][0]["stage"]
    'declencher'
    """
    g = m.cooperation_graph()
    for node, data in m.graph.nodes(data=True):
        g.nodes[node]["name"] = data["name"]
    counts = {s: len(v) for s, v in m.actors_by_stage().items()}
    brokers, meta = _brokers(g, seed, top)
    communities, modularity = _communities(g, seed)
    return {
        "source": m.source,
        "actors": m.n_actors,
        "links": m.n_links,
        "contributions": m.n_contributions,
        "projects": len(m.projects),
        "stages": counts,
        "isolated": sorted(n for n in m.graph if m.graph.degree(n) == 0),
        "brokers": brokers,
        "brokers_method": meta["method"],
        "communities": communities,
        "modularity": modularity,
        "chains": _chains(m, g),
        "gaps": _gaps(m, counts),
        "suggestions": _suggestions(m, g, top),
    }


def _nearest_path(g: nx.Graph, start, targets: set) -> list | None:
    if start in targets:
        return [start]
    dist, step = _bfs_from_sources(g, [start])
    best = None
    for node in dist:  # BFS order: nearest first
        if node in targets:
            best = node
            break
    if best is None:
        return None
    return list(reversed(_walk(step, best)))


def chain_for(m: ActorMap, actor_id: str) -> dict:
    """The chain of contributions going through one actor.

    From the actor, the path goes back to the nearest actor of each earlier
    stage it does not cover, and forward to the nearest actor of each later
    stage it does not cover (links followed in both directions). Use it to
    highlight an actor's chain in a drawing.

    Returns
    -------
    dict
        ``{"actor", "path" (ids, from déclencher to animer), "stages" (stage ->
        actor id or None), "complete" (bool)}``.

    Examples
    --------
    >>> from maps import from_records
    >>> m = from_records(
    ...     actors=[{"id": i, "name": i} for i in "abc"],
    ...     contributions=[
    ...         {"actor_id": "a", "stage": "declencher"},
    ...         {"actor_id": "b", "stage": "organiser"},
    ...         {"actor_id": "c", "stage": "animer"},
    ...     ],
    ...     links=[{"source_id": "b", "target_id": "a", "kind": "accompagne"},
    ...            {"source_id": "c", "target_id": "b", "kind": "membre"}],
    ... )
    >>> chain_for(m, "b")["path"]
    ['a', 'b', 'c']
    """
    g = m.cooperation_graph()
    by_stage = {s: set(v) for s, v in m.actors_by_stage().items()}
    own = m.stages_of(actor_id)
    stages_found: dict[str, str | None] = dict.fromkeys(STAGES)
    for s in own:
        stages_found[s] = actor_id
    path = [actor_id]
    if not own:  # an actor without stage has no chain of its own
        return {"actor": actor_id, "path": path, "stages": stages_found, "complete": False}
    first, last = STAGES.index(own[0]), STAGES.index(own[-1])
    for s in reversed(STAGES[:first]):
        sub = _nearest_path(g, path[0], by_stage[s])
        if sub is None:
            break
        stages_found[s] = sub[-1]
        path = list(reversed(sub)) + path[1:]
    for s in STAGES[last + 1 :]:
        if stages_found[s]:
            continue
        sub = _nearest_path(g, path[-1], by_stage[s])
        if sub is None:
            break
        stages_found[s] = sub[-1]
        path = path + sub[1:]
    return {
        "actor": actor_id,
        "path": path,
        "stages": stages_found,
        "complete": all(stages_found.values()),
    }


def stage_table(m: ActorMap) -> list[dict]:
    """The stage table: for each contributing actor, its contributions per stage.

    This is the three-column table of the Mulhouse report (déclencher |
    organiser | animer) as data; actors come in order of first contribution.

    >>> from maps import from_records
    >>> m = from_records(
    ...     actors=[{"id": "t", "name": "Tubà"}],
    ...     contributions=[
    ...         {"actor_id": "t", "stage": "organiser", "text": "modèle viable"},
    ...         {"actor_id": "t", "stage": "declencher", "text": "faire émerger"},
    ...     ],
    ... )
    >>> row = stage_table(m)[0]
    >>> row["name"], row["declencher"], row["organiser"], row["animer"]
    ('Tubà', ['faire émerger'], ['modèle viable'], [])
    """
    rows: dict[str, dict] = {}
    for c in m.contributions:
        actor = c["actor_id"]
        if actor not in rows:
            rows[actor] = {"id": actor, "name": m.name(actor), **{s: [] for s in STAGES}}
        rows[actor][c["stage"]].append(c.get("text", ""))
    return list(rows.values())


def _names(m: ActorMap, ids: list[str], limit: int = 8) -> str:
    names = [m.name(i) for i in ids[:limit]]
    if len(ids) > limit:
        return ", ".join(names) + f" et {len(ids) - limit} autres"
    if len(names) > 1:
        return ", ".join(names[:-1]) + " et " + names[-1]
    return names[0] if names else ""


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n <= 1 else (plural or word + 's')}"


def analysis_paragraphs(m: ActorMap, result: dict | None = None) -> list[str]:
    """The analysis as French prose paragraphs, for a written report.

    >>> from maps import from_records
    >>> m = from_records(actors=[{"id": "a", "name": "Alpha"}])
    >>> analysis_paragraphs(m)[0]
    'La cartographie compte 1 acteur, 0 contribution, 0 lien et 0 fiche projet.'
    """
    r = result if result is not None else analyse(m)
    paras = []
    paras.append(
        f"La cartographie compte {_plural(r['actors'], 'acteur')}, "
        f"{_plural(r['contributions'], 'contribution')}, {_plural(r['links'], 'lien')} "
        f"et {_plural(r['projects'], 'fiche projet', 'fiches projets')}."
    )
    s = r["stages"]
    text = (
        f"Par étape de la stratégie d'impact collectif, {_plural(s['declencher'], 'acteur')} "
        f"contribue{'nt' if s['declencher'] > 1 else ''} à déclencher l'action, "
        f"{s['organiser']} à l'organiser et {s['animer']} à l'animer."
    )
    multi = [n for n in m.graph if len(m.stages_of(n)) > 1]
    if multi:
        text += (
            f" {_plural(len(multi), 'acteur')} intervien{'nen' if len(multi) > 1 else ''}t à "
            f"plusieurs étapes : {_names(m, multi)}."
        )
    without = r["gaps"]["without_stage"]
    if without:
        verb = "ont" if len(without) > 1 else "a"
        text += f" {_plural(len(without), 'acteur')} n'{verb} pas d'étape renseignée."
    paras.append(text)
    if r["brokers"]:
        top = r["brokers"][:3]
        names = ", ".join(f"{b['name']} ({b['score']:.2f})" for b in top)
        paras.append(
            "Les acteurs qui font le plus le lien entre les autres (intermédiarité) sont "
            f"{names}. Ils occupent une position de passerelle : beaucoup de chemins de "
            "coopération passent par eux."
        )
    if r["isolated"]:
        paras.append(
            f"{_plural(len(r['isolated']), 'acteur')} n'{'ont' if len(r['isolated']) > 1 else 'a'} "
            f"aucun lien avec les autres : {_names(m, r['isolated'])}."
        )
    if r["communities"]:
        parts = [
            f"un groupe de {c['size']} acteurs autour de {m.name(c['hub'])}"
            for c in r["communities"][:4]
        ]
        paras.append(
            "La détection de communautés fait apparaître "
            f"{_plural(len(r['communities']), 'groupe')} d'acteurs plus liés entre eux : "
            + " ; ".join(parts)
            + "."
        )
    c = r["chains"]
    if c["declencher_actors"]:
        text = (
            f"Chaînage des apports : sur {_plural(c['declencher_actors'], 'acteur')} qui "
            f"déclenche{'nt' if c['declencher_actors'] > 1 else ''} l'action, "
            f"{c['reach_organiser']} atteignent par leurs liens un acteur qui organise et "
            f"{c['complete']} atteignent ensuite un acteur qui anime."
        )
        if c["broken"]:
            text += f" La chaîne est rompue pour {_names(m, c['broken'])}."
        examples = [d for d in c["paths"] if c["paths"][d]["animer"] and c["paths"][d]["hops"]]
        examples.sort(key=lambda d: c["paths"][d]["organiser"] == c["paths"][d]["animer"])
        if examples:
            ex = c["paths"][examples[0]]
            text += " Par exemple : " + " → ".join(m.name(x) for x in ex["path"]) + "."
        paras.append(text)
    else:
        paras.append("Aucun acteur ne contribue à déclencher l'action : pas de chaînage possible.")
    gaps = r["gaps"]
    gap_text = []
    for f in gaps["few_actors"]:
        gap_text.append(f"l'étape « {f['label']} » ne compte que {_plural(f['actors'], 'acteur')}")
    for stage in gaps["no_link_into"]:
        prev = STAGES[STAGES.index(stage) - 1]
        gap_text.append(
            f"aucun lien ne relie un acteur qui {STAGE_SHORT_LABELS[prev].lower()[:-2]}e à un "
            f"autre acteur qui {STAGE_SHORT_LABELS[stage].lower()[:-2]}e"
        )
    if gap_text:
        paras.append("Points d'attention : " + " ; ".join(gap_text) + ".")
    if r["suggestions"]:
        items = [
            f"{m.name(sg['source'])} et {m.name(sg['target'])} ({', '.join(sg['reasons'])})"
            for sg in r["suggestions"][:3]
        ]
        paras.append("Rapprochements à envisager : " + " ; ".join(items) + ".")
    return paras


def analysis_text(m: ActorMap, result: dict | None = None) -> str:
    """A French plain-text report of :func:`analyse`, as printed by the CLI.

    >>> from maps import from_records
    >>> print(analysis_text(from_records(actors=[{"id": "a", "name": "Alpha"}])).splitlines()[0])
    Cartographie des acteurs
    """
    r = result if result is not None else analyse(m)
    lines = ["Cartographie des acteurs" + (f" : {m.source}" if m.source else ""), ""]
    lines.append(
        f"{_plural(r['actors'], 'acteur')}, {_plural(r['contributions'], 'contribution')}, "
        f"{_plural(r['links'], 'lien')}, "
        f"{_plural(r['projects'], 'fiche projet', 'fiches projets')}."
    )
    lines += ["", "Acteurs par étape"]
    for s in STAGES:
        lines.append(f"  {STAGE_LABELS[s]} : {r['stages'][s]}")
    lines.append(f"  Sans étape renseignée : {len(r['gaps']['without_stage'])}")
    lines += ["", "Acteurs sans lien"]
    lines += [f"  - {m.name(i)} ({i})" for i in r["isolated"]] or ["  (aucun)"]
    lines += ["", f"Acteurs passerelles (intermédiarité, {r['brokers_method']})"]
    lines += [
        f"  {i}. {b['name']} : {b['score']:.3f}" for i, b in enumerate(r["brokers"], start=1)
    ] or ["  (aucun)"]
    lines += ["", f"Communautés (Louvain, modularité {r['modularity']:.2f})"]
    for c in r["communities"]:
        names = ", ".join(m.name(x) for x in c["members"][:12])
        if c["size"] > 12:
            names += f"… (+{c['size'] - 12})"
        lines.append(f"  {c['id']}. {c['size']} acteurs : {names}")
    if not r["communities"]:
        lines.append("  (aucune)")
    c = r["chains"]
    lines += [
        "",
        "Chaînage des apports (déclencher → organiser → animer)",
        f"  Acteurs qui déclenchent : {c['declencher_actors']}",
        f"  … qui atteignent un acteur qui organise : {c['reach_organiser']}",
        f"  … puis un acteur qui anime : {c['complete']}",
    ]
    if c["broken"]:
        lines.append("  Chaînes rompues : " + ", ".join(m.name(x) for x in c["broken"]))
    for p in list(c["paths"].values())[:20]:
        lines.append("  - " + " → ".join(m.name(x) for x in p["path"]))
    g = r["gaps"]
    lines += ["", "Manques"]
    for f in g["few_actors"]:
        lines.append(f"  Étape peu représentée : {f['label']} ({f['actors']} acteurs)")
    for s in g["no_link_into"]:
        lines.append(f"  Aucun lien entrant depuis l'étape précédente : {STAGE_LABELS[s]}")
    if not g["few_actors"] and not g["no_link_into"]:
        lines.append("  (aucun)")
    lines += ["", "Rapprochements suggérés"]
    lines += [
        f"  {i}. {s['reason']} (score {s['score']:g})"
        for i, s in enumerate(r["suggestions"], start=1)
    ] or ["  (aucun)"]
    return "\n".join(lines) + "\n"
