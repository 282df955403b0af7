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

from .i18n import check_lang, kind_label, ntr, stage_label, tr
from .model import ActorMap
from .stages import STAGES

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

_CHAIN_DEFINITION = (
    "Un acteur qui déclenche «\u00a0atteint\u00a0» un acteur qui organise puis un acteur qui "
    "anime s’il existe un chemin de liens (sans tenir compte de leur sens) vers un acteur "
    "qui organise puis de celui-ci vers un acteur qui anime\u00a0; l’exemple de chemin donné "
    "est le plus court. Un acteur présent à plusieurs étapes compte pour chacune (chemin de "
    "longueur 0)."
)

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


def _chains(m: ActorMap, g: nx.Graph, lang: str = "fr") -> dict:
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
        "definition": tr(_CHAIN_DEFINITION, lang),
        "declencher_actors": len(by_stage["declencher"]),
        "reach_organiser": reach_o,
        "complete": complete,
        "broken": sorted(broken),
        "no_animer": sorted(no_animer),
        "mean_hops": _r(sum(hops) / len(hops)) if hops else None,
        "paths": paths,
    }


def _gaps(m: ActorMap, counts: dict[str, int], lang: str = "fr") -> dict:
    mean = sum(counts.values()) / len(STAGES)
    threshold = max(2, math.ceil(mean / 2))
    few = [
        {"stage": s, "label": stage_label(s, lang), "actors": counts[s], "threshold": threshold}
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


def _suggestions(m: ActorMap, g: nx.Graph, top: int, lang: str = "fr") -> list[dict]:
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
                sg = {
                    "source": u,
                    "target": v,
                    "from_stage": a,
                    "to_stage": b,
                    "score": _r(score),
                    "shared_neighbours": sorted(shared),
                    "territory": territory[u] if same_territory else None,
                    "kind": kind_u if same_kind else None,
                }
                best[key] = sg
    ranked = sorted(best.values(), key=lambda s: (-s["score"], s["source"], s["target"]))
    for sg in ranked[:top]:
        sg.update(suggestion_reasons(m, sg, lang))
    return ranked[:top]


def suggestion_reasons(m: ActorMap, sg: dict, lang: str = "fr") -> dict:
    """The words of a suggestion of :func:`analyse`, in ``lang``.

    Returns ``{"reason": one sentence, "reasons": [shared partners, same
    territory, same kind]}``; actor kinds are shown as labels, never as keys.

    >>> from maps import from_records
    >>> m = from_records(actors=[{"id": "a", "name": "A", "kind": "collectivite"},
    ...                          {"id": "b", "name": "B", "kind": "collectivite"}])
    >>> sg = {"source": "a", "target": "b", "from_stage": "declencher",
    ...       "to_stage": "organiser", "shared_neighbours": [], "territory": None,
    ...       "kind": "collectivite"}
    >>> suggestion_reasons(m, sg)["reasons"]
    ['même type d’acteur (collectivité)']
    >>> suggestion_reasons(m, sg, "en")["reason"]
    'A (trigger) could hand over to B (organise); same type of actor (local authority).'
    """
    head = tr(
        "{a} ({from_stage}) pourrait passer le relais à {b} ({to_stage})",
        lang,
        a=m.name(sg["source"]),
        b=m.name(sg["target"]),
        from_stage=stage_label(sg["from_stage"], lang, "short").lower(),
        to_stage=stage_label(sg["to_stage"], lang, "short").lower(),
    )
    reasons = []
    shared = sg["shared_neighbours"]
    if shared:
        names = ", ".join(m.name(x) for x in shared[:3])
        if len(shared) > 3:
            names = ntr(
                "{names} et {n} autre", "{names} et {n} autres", len(shared) - 3, lang, names=names
            )
        reasons.append(
            ntr(
                "{n} partenaire en commun ({names})",
                "{n} partenaires en commun ({names})",
                len(shared),
                lang,
                names=names,
            )
        )
    if sg.get("territory"):
        reasons.append(tr("même territoire ({territory})", lang, territory=sg["territory"]))
    if sg.get("kind"):
        reasons.append(
            tr("même type d’acteur ({kind})", lang, kind=kind_label(sg["kind"], lang).lower())
        )
    sep = "\u00a0; " if lang == "fr" else "; "
    return {"reasons": reasons, "reason": sep.join([head, *reasons]) + "."}


def analyse(m: ActorMap, *, seed: int = 42, top: int = 10, lang: str = "fr") -> dict:
    """Analyse an actor map.

    Parameters
    ----------
    m : ActorMap
    seed : int
        Seed for Louvain communities and sampled betweenness.
    top : int
        Number of brokers and suggestions kept.
    lang : {"fr", "en"}
        Language of the words in the result (stage labels, chain definition,
        suggestion reasons); see :mod:`maps.i18n`.

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
          "shared_neighbours", "territory", "kind", "reason", "reasons"}]``
          (``territory``/``kind``: the shared value, or None): ``source`` is at
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
    check_lang(lang)
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
        "chains": _chains(m, g, lang),
        "gaps": _gaps(m, counts, lang),
        "suggestions": _suggestions(m, g, top, lang),
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


def _names(m: ActorMap, ids: list[str], lang: str = "fr", limit: int = 8) -> str:
    names = [m.name(i) for i in ids[:limit]]
    if len(ids) > limit:
        return ntr(
            "{names} et {n} autre",
            "{names} et {n} autres",
            len(ids) - limit,
            lang,
            names=", ".join(names),
        )
    if len(names) > 1:
        return tr("{names} et {last}", lang, names=", ".join(names[:-1]), last=names[-1])
    return names[0] if names else ""


def _count(n: int, what: str, lang: str = "fr") -> str:
    """``n`` things, with the plural right: ``what`` is acteur, contribution,
    lien, fiche projet or groupe.

    >>> _count(0, "acteur"), _count(2, "fiche projet", "en")
    ('0 acteur', '2 project sheets')
    """
    plural = {"fiche projet": "fiches projets"}.get(what, what + "s")
    return ntr("{n} " + what, "{n} " + plural, n, lang)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    """French count, kept for callers of the earlier API (use :func:`_count`)."""
    return f"{n} {word if n <= 1 else (plural or word + 's')}"


_SEMI = {"fr": "\u00a0; ", "en": "; "}


def analysis_paragraphs(m: ActorMap, result: dict | None = None, lang: str = "fr") -> list[str]:
    """The analysis as prose paragraphs, for a written report, in ``lang``.

    >>> from maps import from_records
    >>> m = from_records(actors=[{"id": "a", "name": "Alpha"}])
    >>> analysis_paragraphs(m)[0]
    'La cartographie compte 1 acteur, 0 contribution, 0 lien et 0 fiche projet.'
    >>> analysis_paragraphs(m, lang="en")[0]
    'The map has 1 actor, 0 contributions, 0 links and 0 project sheets.'
    """
    r = result if result is not None else analyse(m, lang=lang)
    semi = _SEMI[check_lang(lang)]
    paras = [
        tr(
            "La cartographie compte {actors}, {contributions}, {links} et {projects}.",
            lang,
            actors=_count(r["actors"], "acteur", lang),
            contributions=_count(r["contributions"], "contribution", lang),
            links=_count(r["links"], "lien", lang),
            projects=_count(r["projects"], "fiche projet", lang),
        )
    ]
    s = r["stages"]
    text = ntr(
        "Par étape de la stratégie d’impact collectif, {n} acteur contribue à déclencher "
        "l’action, {o} à l’organiser et {a} à l’animer.",
        "Par étape de la stratégie d’impact collectif, {n} acteurs contribuent à déclencher "
        "l’action, {o} à l’organiser et {a} à l’animer.",
        s["declencher"],
        lang,
        o=s["organiser"],
        a=s["animer"],
    )
    multi = [n for n in m.graph if len(m.stages_of(n)) > 1]
    if multi:
        text += " " + ntr(
            "{n} acteur intervient à plusieurs étapes\u00a0: {names}.",
            "{n} acteurs interviennent à plusieurs étapes\u00a0: {names}.",
            len(multi),
            lang,
            names=_names(m, multi, lang),
        )
    without = r["gaps"]["without_stage"]
    if without:
        text += " " + ntr(
            "{n} acteur n’a pas d’étape renseignée.",
            "{n} acteurs n’ont pas d’étape renseignée.",
            len(without),
            lang,
        )
    paras.append(text)
    if r["brokers"]:
        names = ", ".join(f"{b['name']} ({b['score']:.2f})" for b in r["brokers"][:3])
        paras.append(
            tr(
                "Les acteurs qui font le plus le lien entre les autres (intermédiarité) sont "
                "{names}. Ils occupent une position de passerelle\u00a0: beaucoup de chemins "
                "de coopération passent par eux.",
                lang,
                names=names,
            )
        )
    if r["isolated"]:
        paras.append(
            ntr(
                "{n} acteur n’a aucun lien avec les autres\u00a0: {names}.",
                "{n} acteurs n’ont aucun lien avec les autres\u00a0: {names}.",
                len(r["isolated"]),
                lang,
                names=_names(m, r["isolated"], lang),
            )
        )
    if r["communities"]:
        parts = [
            tr(
                "un groupe de {size} acteurs autour de {hub}",
                lang,
                size=c["size"],
                hub=m.name(c["hub"]),
            )
            for c in r["communities"][:4]
        ]
        paras.append(
            ntr(
                "La détection de communautés fait apparaître {n} groupe d’acteurs plus liés "
                "entre eux\u00a0: {parts}.",
                "La détection de communautés fait apparaître {n} groupes d’acteurs plus liés "
                "entre eux\u00a0: {parts}.",
                len(r["communities"]),
                lang,
                parts=semi.join(parts),
            )
        )
    c = r["chains"]
    if c["declencher_actors"]:
        text = ntr(
            "Chaînage des apports\u00a0: sur {n} acteur qui déclenche l’action, {o} atteint "
            "par ses liens un acteur qui organise et {a} atteint ensuite un acteur qui anime.",
            "Chaînage des apports\u00a0: sur {n} acteurs qui déclenchent l’action, {o} "
            "atteignent par leurs liens un acteur qui organise et {a} atteignent ensuite un "
            "acteur qui anime.",
            c["declencher_actors"],
            lang,
            o=c["reach_organiser"],
            a=c["complete"],
        )
        if c["broken"]:
            text += " " + tr(
                "La chaîne est rompue pour {names}.", lang, names=_names(m, c["broken"], lang)
            )
        examples = [d for d in c["paths"] if c["paths"][d]["animer"] and c["paths"][d]["hops"]]
        examples.sort(key=lambda d: c["paths"][d]["organiser"] == c["paths"][d]["animer"])
        if examples:
            ex = c["paths"][examples[0]]
            path = " → ".join(m.name(x) for x in ex["path"])
            text += " " + tr("Par exemple\u00a0: {path}.", lang, path=path)
        paras.append(text)
    else:
        paras.append(
            tr(
                "Aucun acteur ne contribue à déclencher l’action\u00a0: pas de chaînage possible.",
                lang,
            )
        )
    gaps = r["gaps"]
    gap_text = []
    for f in gaps["few_actors"]:
        gap_text.append(
            tr(
                "l’étape «\u00a0{label}\u00a0» ne compte que {actors}",
                lang,
                label=stage_label(f["stage"], lang),
                actors=_count(f["actors"], "acteur", lang),
            )
        )
    for stage in gaps["no_link_into"]:
        prev = STAGES[STAGES.index(stage) - 1]
        gap_text.append(tr(_NO_LINK_INTO[(prev, stage)], lang))
    if gap_text:
        paras.append(tr("Points d’attention\u00a0: {items}.", lang, items=semi.join(gap_text)))
    if r["suggestions"]:
        items = [
            tr(
                "{a} et {b} ({reasons})",
                lang,
                a=m.name(sg["source"]),
                b=m.name(sg["target"]),
                reasons=", ".join(suggestion_reasons(m, sg, lang)["reasons"]),
            )
            for sg in r["suggestions"][:3]
        ]
        paras.append(tr("Rapprochements à envisager\u00a0: {items}.", lang, items=semi.join(items)))
    return paras


_NO_LINK_INTO = {
    ("declencher", "organiser"): (
        "aucun lien ne relie un acteur qui déclenche à un autre acteur qui organise"
    ),
    (
        "organiser",
        "animer",
    ): "aucun lien ne relie un acteur qui organise à un autre acteur qui anime",
}


def analysis_text(m: ActorMap, result: dict | None = None, lang: str = "fr") -> str:
    """A plain-text report of :func:`analyse` in ``lang``, as printed by the CLI.

    >>> from maps import from_records
    >>> print(analysis_text(from_records(actors=[{"id": "a", "name": "Alpha"}])).splitlines()[0])
    Cartographie des acteurs
    >>> print(analysis_text(from_records(actors=[{"id": "a", "name": "A"}]), lang="en"
    ...       ).splitlines()[4])
    Actors by stage
    """
    r = result if result is not None else analyse(m, lang=lang)
    check_lang(lang)

    def kv(label, value):
        return tr("{label}\u00a0: {value}", lang, label=label, value=value)

    none_m, none_f = tr("(aucun)", lang), tr("(aucune)", lang)
    head = tr("Cartographie des acteurs", lang)
    lines = [
        tr("Cartographie des acteurs\u00a0: {name}", lang, name=m.source) if m.source else head,
        "",
    ]
    lines.append(
        ", ".join(
            [
                _count(r["actors"], "acteur", lang),
                _count(r["contributions"], "contribution", lang),
                _count(r["links"], "lien", lang),
                _count(r["projects"], "fiche projet", lang),
            ]
        )
        + "."
    )
    lines += ["", tr("Acteurs par étape", lang)]
    for s in STAGES:
        lines.append("  " + kv(stage_label(s, lang), r["stages"][s]))
    lines.append("  " + kv(tr("Sans étape renseignée", lang), len(r["gaps"]["without_stage"])))
    lines += ["", tr("Acteurs sans lien", lang)]
    lines += [f"  - {m.name(i)} ({i})" for i in r["isolated"]] or ["  " + none_m]
    lines += [
        "",
        tr("Acteurs passerelles (intermédiarité, {method})", lang, method=r["brokers_method"]),
    ]
    lines += [
        f"  {i}. " + kv(b["name"], f"{b['score']:.3f}") for i, b in enumerate(r["brokers"], start=1)
    ] or ["  " + none_m]
    lines += ["", tr("Communautés (Louvain, modularité {q})", lang, q=f"{r['modularity']:.2f}")]
    for c in r["communities"]:
        names = ", ".join(m.name(x) for x in c["members"][:12])
        if c["size"] > 12:
            names += f"… (+{c['size'] - 12})"
        lines.append(f"  {c['id']}. " + kv(_count(c["size"], "acteur", lang), names))
    if not r["communities"]:
        lines.append("  " + none_f)
    c = r["chains"]
    lines += [
        "",
        tr("Chaînage des apports (déclencher → organiser → animer)", lang),
        "  " + tr("Acteurs qui déclenchent\u00a0: {n}", lang, n=c["declencher_actors"]),
        "  "
        + tr("… qui atteignent un acteur qui organise\u00a0: {n}", lang, n=c["reach_organiser"]),
        "  " + tr("… puis un acteur qui anime\u00a0: {n}", lang, n=c["complete"]),
    ]
    if c["broken"]:
        lines.append(
            "  "
            + tr(
                "Chaînes rompues\u00a0: {names}",
                lang,
                names=", ".join(m.name(x) for x in c["broken"]),
            )
        )
    for p in list(c["paths"].values())[:20]:
        lines.append("  - " + " → ".join(m.name(x) for x in p["path"]))
    g = r["gaps"]
    lines += ["", tr("Manques", lang)]
    for f in g["few_actors"]:
        lines.append(
            "  "
            + tr(
                "Étape peu représentée\u00a0: {label} ({actors})",
                lang,
                label=stage_label(f["stage"], lang),
                actors=_count(f["actors"], "acteur", lang),
            )
        )
    for s in g["no_link_into"]:
        lines.append(
            "  "
            + tr(
                "Aucun lien entrant depuis l’étape précédente\u00a0: {label}",
                lang,
                label=stage_label(s, lang),
            )
        )
    if not g["few_actors"] and not g["no_link_into"]:
        lines.append("  " + none_m)
    lines += ["", tr("Rapprochements suggérés", lang)]
    lines += [
        f"  {i}. {suggestion_reasons(m, s, lang)['reason']} (score {s['score']:g})"
        for i, s in enumerate(r["suggestions"], start=1)
    ] or ["  " + none_m]
    return "\n".join(lines) + "\n"
