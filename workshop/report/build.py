"""The compte rendu as a neutral document: a list of blocks.

:func:`gather` reads the atelier's post-its (grouped by category, with
votes), the codev groups' summaries and the live actor map (drawings, stage
table, analysis in words, project sheets); :func:`document` turns that into
blocks that :mod:`workshop.report.render` writes as Markdown, PDF or DOCX.

Blocks are tuples: ``("title", text)``, ``("h2", text)``, ``("h3", text)``,
``("p", text)``, ``("meta", [(label, value)])``, ``("bullets", [text])``,
``("image", name, png_bytes, caption, alt)`` (``alt``: the alternative text,
what the image shows in words), ``("table", headers, rows)`` where
each cell is a list of lines.

>>> blocks = document({"atelier": {"title": "Essai", "date": None, "place": None,
...     "participants": 0, "names": None}, "board": [], "codev": [], "map": None})
>>> blocks[0]
('title', 'Compte rendu\\xa0: Essai')
"""

import datetime as dt
import logging

from sqlalchemy import select

from ..concurrency import run_blocking

log = logging.getLogger("workshop.report")

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(value: dt.date | None) -> str:
    """
    >>> french_date(dt.date(2023, 3, 9))
    '9 mars 2023'
    >>> french_date(dt.date(2024, 6, 1))
    '1er juin 2024'
    """
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


# ---------------------------------------------------------------- gathering


def _participants(s, atelier) -> list:
    from ..models import Participant

    return list(
        s.scalars(
            select(Participant)
            .where(Participant.atelier_id == atelier.id, Participant.removed.is_(False))
            .order_by(Participant.id)
        )
    )


def _board(s, atelier, names: bool) -> list[dict]:
    try:
        from ..board import exports
    except ImportError:  # the board capability is not installed
        return []
    rows = exports.collect(s, atelier)
    out = []
    for prompt in exports.grouped(rows):
        cats = []
        for cat in prompt["categories"]:
            notes = [
                {
                    "text": n["text"],
                    "votes": n["votes"],
                    "duplicates": n.get("duplicates", 0),
                    "author": n["author"] if names else None,
                }
                for n in cat["notes"]
            ]
            cats.append({"title": cat["title"], "notes": notes})
        out.append({"prompt": prompt["prompt"], "categories": cats})
    return out


def _codev(s, atelier, names: bool) -> list[dict]:
    try:
        from ..codev import service as codev
    except ImportError:
        return []
    out = []
    for g in codev.groups(s, atelier):
        sm = codev.summary(s, atelier, g)
        out.append(
            {
                "group": sm["group"],
                "room": sm.get("room"),
                "method": sm.get("template"),
                "porteur": sm.get("porteur") if names else None,
                "members": len(sm.get("members") or []),
                "subject": sm.get("subject"),
                "contract": sm.get("contract"),
                "questions": len(sm.get("questions") or []),
                "proposals": [p["text"] for p in sm.get("proposals") or []],
                "retained": [p["text"] for p in sm.get("proposals") or [] if p.get("retained")],
                "action_plan": sm.get("action_plan"),
                "learnings": [x["text"] for x in sm.get("learnings") or []],
            }
        )
    return out


def _map(s, atelier) -> dict | None:
    import maps
    from maps.draw import figure_bytes

    from ..livemap import service as livemap

    m = livemap.build_actor_map(s, atelier)
    if m is None:
        return None

    def draw(title, date):
        images = []
        for layout, name, caption in (
            (
                "stages",
                "carte-etapes.png",
                "Les acteurs par étape de la stratégie d’impact collectif",
            ),
            ("network", "carte-reseau.png", "Le réseau des coopérations entre acteurs"),
        ):
            fig = maps.render_figure(m, layout=layout, title=title, date=date, dpi=150)
            images.append((name, figure_bytes(fig, "png"), caption))
        return images

    result = maps.analyse(m)
    images = run_blocking(draw, atelier.title, atelier.date)
    return {
        "actors": m.n_actors,
        "contributions": m.n_contributions,
        "links": m.n_links,
        "images": images,
        "table": maps.stage_table(m),
        "paragraphs": maps.analysis_paragraphs(m, result),
        "projects": livemap.projects(s, atelier),
    }


def _clouds(s, atelier) -> list[dict]:
    """Each word cloud with answers: its words (table) and its image."""
    try:
        from ..cloud import exports
    except ImportError:  # the cloud capability is not installed
        return []
    out = []
    for c in exports.collect(s, atelier):
        if not c["answers"]:
            continue
        lay = c["layout"]
        png = run_blocking(exports.to_png, lay, others_label=exports.others_text(lay), dpi=100)
        out.append({**c, "png": png})
    return out


def _polls(s, atelier) -> list[dict]:
    try:
        from ..poll import exports
    except ImportError:  # the poll capability is not installed
        return []
    return [p for p in exports.collect(s, atelier) if p["results"]["voters"]]


def gather(s, atelier, *, names: bool = False) -> dict:
    """Everything the compte rendu needs, read from the database."""
    people = _participants(s, atelier)
    return {
        "atelier": {
            "title": atelier.title,
            "date": atelier.date,
            "place": atelier.place,
            "participants": len(people),
            "names": [p.display_name for p in people if p.display_name] if names else None,
        },
        "clouds": _clouds(s, atelier),
        "polls": _polls(s, atelier),
        "board": _board(s, atelier, names),
        "codev": _codev(s, atelier, names),
        "map": _map(s, atelier),
    }


def _cloud_blocks(clouds: list[dict]) -> list[tuple]:
    """Each cloud: its question, the image as projected, the table of words."""
    blocks: list[tuple] = []
    for c in clouds:
        blocks.append(("h2", c["question"]))
        words = c["words"]
        blocks.append(
            (
                "p",
                f"Nuage de mots : {_count(c['answers'], 'réponse')}, {len(words)} mot{'s' if len(words) > 1 else ''} différent{'s' if len(words) > 1 else ''}.",
            )
        )
        top = ", ".join(f"{w['label']} ({w['count']})" for w in words[:5])
        blocks.append(
            (
                "image",
                f"nuage-{c['id']}.png",
                c["png"],
                f"Nuage de mots : « {c['question']} »",
                f"Nuage de mots ; les plus cités : {top}.",
            )
        )
        rows = [
            [[w["label"]], [str(w["count"])], [", ".join(t for t, _n in w["spellings"])]]
            for w in words
        ]
        blocks.append(("table", ["Mot", "Réponses", "Telles qu’écrites"], rows))
    return blocks


def _poll_blocks(polls: list[dict]) -> list[tuple]:
    from ..poll.exports import KIND_LABELS

    blocks: list[tuple] = []
    for item in polls:
        p, r = item["poll"], item["results"]
        blocks.append(("h2", p["question"]))
        blocks.append(
            ("p", f"Sondage ({KIND_LABELS[p['kind']]}) : {_count(r['voters'], 'votant')}.")
        )
        if p["kind"] == "scale":
            rows = []
            for d in r["distribution"]:
                label = str(d["value"])
                if d["value"] == 1 and p.get("label_low"):
                    label += f" ({p['label_low']})"
                if d["value"] == p["scale_max"] and p.get("label_high"):
                    label += f" ({p['label_high']})"
                rows.append([[label], [str(d["count"])], [f"{d['percent']} %"]])
            blocks.append(("table", ["Valeur", "Votes", "Part"], rows))
            if r["mean"] is not None:
                mean = str(r["mean"]).replace(".", ",")
                blocks.append(("p", f"Moyenne : {mean} sur {p['scale_max']}."))
        else:
            rows = [[[o["label"]], [str(o["count"])], [f"{o['percent']} %"]] for o in r["options"]]
            blocks.append(("table", ["Réponse", "Votes", "Part des votants"], rows))
    return blocks


# ---------------------------------------------------------------- document


def _count(n: int, word: str) -> str:
    """French count: 0 and 1 take the singular.

    >>> _count(1, "acteur"), _count(0, "lien"), _count(2, "vote")
    ('1 acteur', '0 lien', '2 votes')
    """
    return f"{n} {word}" + ("s" if n > 1 else "")


def _votes(n: int) -> str:
    return _count(n, "vote")


def document(data: dict) -> list[tuple]:
    """The blocks of the compte rendu, in French."""
    import maps

    a = data["atelier"]
    blocks: list[tuple] = [("title", f"Compte rendu : {a['title']}")]
    meta = []
    if a.get("date"):
        meta.append(("Date", french_date(a["date"])))
    if a.get("place"):
        meta.append(("Lieu", a["place"]))
    count = a["participants"]
    meta.append(("Personnes présentes", f"{count} personne" + ("s" if count > 1 else "")))
    blocks.append(("meta", meta))
    if a.get("names"):
        blocks.append(("h2", "Personnes présentes"))
        blocks.append(("bullets", list(a["names"])))
    intro = []
    if data.get("clouds") or data.get("polls"):
        intro.append("les nuages de mots et les sondages")
    if data["board"]:
        intro.append("les contributions sur post-it, regroupées par catégorie")
    if data["codev"]:
        intro.append("les synthèses des groupes de co-développement")
    if data["map"]:
        intro.append("la cartographie des acteurs réalisée en portrait croisé et son analyse")
    if intro:
        text = "Ce compte rendu rassemble " + ", ".join(intro[:-1])
        text = (text + " et " + intro[-1]) if len(intro) > 1 else text + intro[-1]
        blocks.append(("p", text + "."))

    blocks += _cloud_blocks(data.get("clouds") or [])
    blocks += _poll_blocks(data.get("polls") or [])

    for prompt in data["board"]:
        blocks.append(("h2", prompt["prompt"]))
        total = sum(len(c["notes"]) for c in prompt["categories"])
        blocks.append(("p", f"{total} contribution" + ("s" if total > 1 else "") + "."))
        for cat in prompt["categories"]:
            blocks.append(("h3", cat["title"]))
            items = []
            for n in sorted(cat["notes"], key=lambda n: -n["votes"]):
                text = n["text"]
                extras = []
                if n["votes"]:
                    extras.append(_votes(n["votes"]))
                if n.get("duplicates"):
                    extras.append(
                        f"+{n['duplicates']} semblable" + ("s" if n["duplicates"] > 1 else "")
                    )
                if n.get("author"):
                    extras.append(n["author"])
                if extras:
                    text += " (" + ", ".join(extras) + ")"
                items.append(text)
            blocks.append(("bullets", items))

    if data["codev"]:
        blocks.append(("h2", "Co-développement"))
        for g in data["codev"]:
            name = g["group"]
            title = name if name.casefold().startswith("groupe") else f"Groupe {name}"
            if g.get("room") and g["room"] not in g["group"]:
                title += f" ({g['room']})"
            blocks.append(("h3", title))
            meta = [("Méthode", g.get("method") or "")]
            if g.get("porteur"):
                meta.append(("Porteur ou porteuse", g["porteur"]))
            meta.append(("Membres", str(g["members"])))
            blocks.append(("meta", meta))
            blocks.append(("p", "Sujet : " + (g.get("subject") or "(non renseigné)")))
            if g.get("contract"):
                blocks.append(("p", "Aide attendue : " + g["contract"]))
            if g["proposals"]:
                retained = set(g["retained"])
                blocks.append(("p", f"Propositions du groupe ({len(g['proposals'])}) :"))
                blocks.append(
                    (
                        "bullets",
                        [p + (" (retenue)" if p in retained else "") for p in g["proposals"]],
                    )
                )
            if g.get("action_plan"):
                blocks.append(
                    (
                        "p",
                        "Ce que la personne qui porte le sujet retient et va faire{NB}: "
                        + g["action_plan"],
                    )
                )
            if g["learnings"]:
                blocks.append(("p", "Apprentissages :"))
                blocks.append(("bullets", list(g["learnings"])))

    m = data["map"]
    if m:
        blocks.append(("h2", "Cartographie des acteurs"))
        blocks.append(
            (
                "p",
                f"Les partenaires ont présenté leurs structures en portrait croisé ; "
                f"les notes ont été classées selon les trois étapes de la stratégie d’impact "
                f"collectif. La carte compte {_count(m['actors'], 'acteur')}, "
                f"{_count(m['contributions'], 'contribution')} et {_count(m['links'], 'lien')}.",
            )
        )
        blocks.append(
            (
                "bullets",
                [f"{maps.STAGE_LABELS[s]} : {maps.STAGE_DESCRIPTIONS[s]}" for s in maps.STAGES],
            )
        )
        for name, png, caption in m["images"]:
            blocks.append(("image", name, png, caption, _map_alt(name, caption, m)))
        blocks.append(("h3", "Tableau des apports par étape"))
        headers = ["Acteur"] + [maps.STAGE_SHORT_LABELS[s] for s in maps.STAGES]
        rows = [[[r["name"]]] + [list(r[s]) for s in maps.STAGES] for r in m["table"]]
        blocks.append(("table", headers, rows))
        blocks.append(("h3", "Analyse"))
        for para in m["paragraphs"]:
            blocks.append(("p", para))
        if m["projects"]:
            blocks.append(("h2", "Annexe : fiches projets"))
            for p in m["projects"]:
                blocks.append(("h3", p["title"] or "(sans titre)"))
                meta = []
                for label, key in (
                    ("Structure porteuse", "actor"),
                    ("Descriptif", "description"),
                    ("Résultats", "results"),
                    ("Freins", "obstacles"),
                    ("Besoins", "needs"),
                ):
                    if p.get(key):
                        meta.append((label, p[key]))
                blocks.append(("meta", meta))
    if len(blocks) <= 3:
        blocks.append(("p", "Aucune contribution n’a encore été recueillie dans cet atelier."))
    return blocks


def _map_alt(name: str, caption: str, m: dict) -> str:
    """What a map image shows, in words, for those who cannot see it."""
    import maps

    if "etapes" in name:
        per_stage = [
            f"{maps.STAGE_LABELS[st]} : {_count(sum(1 for r in m['table'] if r[st]), 'acteur')}"
            for st in maps.STAGES
        ]
        return (
            f"{caption}. {_count(m['actors'], 'acteur')} ; "
            + " ; ".join(per_stage)
            + ". Le détail est dans le tableau des apports par étape ci-après."
        )
    return (
        f"{caption}. {_count(m['actors'], 'acteur')} et {_count(m['links'], 'lien')}. "
        "L’analyse ci-après décrit ce réseau."
    )
