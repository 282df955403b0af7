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

Every word is the atelier's language (``lang``: ``"fr"`` or ``"en"``), read
from the catalogue through :func:`workshop.i18n.texts` (there may be no
request, and the request's language is not the atelier's); maps/ gets the
same ``lang`` for its drawings and its analysis in words.

>>> data = {"atelier": {"title": "Essai", "date": None, "place": None,
...     "participants": 0, "names": None}, "board": [], "codev": [], "map": None}
>>> document(data)[0], document(data, "en")[0]
(('title', 'Compte rendu\\xa0: Essai'), ('title', 'Report: Essai'))
"""

import datetime as dt
import logging

from sqlalchemy import select

from ..concurrency import run_blocking
from ..i18n import N_, Texts, texts

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


def long_date(value: dt.date | None, lang: str = "fr") -> str:
    """The date written out in ``lang``.

    >>> long_date(dt.date(2024, 6, 1)), long_date(dt.date(2024, 6, 1), "en")
    ('1er juin 2024', '1 June 2024')
    """
    if value is None or lang == "fr":
        return french_date(value)
    from babel.dates import format_date

    return format_date(value, "d MMMM y", locale=lang)


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


def _board(s, atelier, names: bool, t: Texts) -> list[dict]:
    try:
        from ..board import exports
    except ImportError:  # the board capability is not installed
        return []
    rows = exports.collect(s, atelier, gettext=t.gettext)
    out = []
    for prompt in exports.grouped(rows, t.gettext):
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


def _codev(s, atelier, names: bool, t: Texts) -> list[dict]:
    try:
        from ..codev import service as codev
        from ..codev.summary import member_name
    except ImportError:
        return []
    out = []
    for g in codev.groups(s, atelier):
        sm = codev.summary(s, atelier, g)
        porteur = next((m for m in sm["members"] if m["role"] == "porteur"), None)
        out.append(
            {
                "group": sm["group"],
                "room": sm.get("room"),
                "method": t.gettext(sm["template"]) if sm.get("template") else None,
                "porteur": member_name(porteur, t) if names and porteur else None,
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


def _map(s, atelier, t: Texts) -> dict | None:
    import maps
    from maps.draw import figure_bytes

    from ..livemap import service as livemap

    m = livemap.build_actor_map(s, atelier)
    if m is None:
        return None

    lang = t.lang

    def draw(title, date):
        images = []
        for layout, name, caption in (
            ("stages", image_name("stages", t.lang), t.gettext(MAP_CAPTIONS["stages"])),
            ("network", image_name("network", t.lang), t.gettext(MAP_CAPTIONS["network"])),
        ):
            fig = maps.render_figure(m, layout=layout, title=title, date=date, dpi=150, lang=lang)
            images.append((name, figure_bytes(fig, "png"), caption))
        return images

    result = maps.analyse(m, lang=lang)
    images = run_blocking(draw, atelier.title, atelier.date)
    return {
        "actors": m.n_actors,
        "contributions": m.n_contributions,
        "links": m.n_links,
        "images": images,
        "table": maps.stage_table(m),
        "paragraphs": maps.analysis_paragraphs(m, result, lang=lang),
        "projects": livemap.projects(s, atelier),
    }


def _clouds(s, atelier, t: Texts) -> list[dict]:
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
        png = run_blocking(exports.to_png, lay, others_label=exports.others_text(lay, t), dpi=100)
        out.append({**c, "png": png})
    return out


def _polls(s, atelier) -> list[dict]:
    try:
        from ..poll import exports
    except ImportError:  # the poll capability is not installed
        return []
    return [p for p in exports.collect(s, atelier) if p["results"]["voters"]]


IMAGE_NAMES = {
    "fr": {"stages": "carte-etapes.png", "network": "carte-reseau.png", "cloud": "nuage-{n}.png"},
    "en": {"stages": "map-stages.png", "network": "map-network.png", "cloud": "cloud-{n}.png"},
}


def image_name(kind: str, lang: str, **values) -> str:
    """The file name of an image of the compte rendu (beside it in the zip).

    >>> image_name("stages", "fr"), image_name("cloud", "en", n=3)
    ('carte-etapes.png', 'cloud-3.png')
    """
    names = IMAGE_NAMES.get(lang, IMAGE_NAMES["fr"])
    return names[kind].format(**values)


MAP_CAPTIONS = {
    "stages": N_("Les acteurs par étape de la stratégie d’impact collectif"),
    "network": N_("Le réseau des coopérations entre acteurs"),
}


def gather(s, atelier, *, names: bool = False, lang: str | None = None) -> dict:
    """Everything the compte rendu needs, read from the database, with the
    words that come from the application (category "Sans catégorie", map
    drawings and analysis) in ``lang``, the atelier's language by default."""
    t = texts(lang or atelier.locale)
    people = _participants(s, atelier)
    return {
        "lang": t.lang,
        "atelier": {
            "title": atelier.title,
            "date": atelier.date,
            "place": atelier.place,
            "participants": len(people),
            "names": [p.display_name for p in people if p.display_name] if names else None,
        },
        "clouds": _clouds(s, atelier, t),
        "polls": _polls(s, atelier),
        "board": _board(s, atelier, names, t),
        "codev": _codev(s, atelier, names, t),
        "map": _map(s, atelier, t),
    }


def _and(items: list[str], t: Texts) -> str:
    """« a, b et c », "a, b and c".

    >>> _and(["a", "b", "c"], texts("en")), _and(["a"], texts("fr"))
    ('a, b and c', 'a')
    """
    if len(items) < 2:
        return "".join(items)
    return t.gettext("%(items)s et %(last)s", items=", ".join(items[:-1]), last=items[-1])


def _percent(value, t: Texts) -> str:
    """« 12 % » (a non-breaking space in French), "12%"."""
    return f"{value}\u00a0%" if t.lang == "fr" else f"{value}%"


def _decimal(value, t: Texts) -> str:
    return str(value).replace(".", ",") if t.lang == "fr" else str(value)


def _cloud_blocks(clouds: list[dict], t: Texts) -> list[tuple]:
    """Each cloud: its question, the image as projected, the table of words."""
    _, ngettext = t.gettext, t.ngettext
    blocks: list[tuple] = []
    for c in clouds:
        blocks.append(("h2", c["question"]))
        words = c["words"]
        answers = ngettext("%(num)d réponse", "%(num)d réponses", c["answers"])
        different = ngettext("%(num)d mot différent", "%(num)d mots différents", len(words))
        blocks.append(
            (
                "p",
                _("Nuage de mots\u00a0: %(answers)s, %(words)s.", answers=answers, words=different),
            )
        )
        top = ", ".join(f"{w['label']} ({w['count']})" for w in words[:5])
        blocks.append(
            (
                "image",
                image_name("cloud", t.lang, n=c["id"]),
                c["png"],
                _("Nuage de mots\u00a0: «\u00a0%(question)s\u00a0»", question=c["question"]),
                _("Nuage de mots\u00a0; les plus cités\u00a0: %(top)s.", top=top),
            )
        )
        rows = [
            [[w["label"]], [str(w["count"])], [", ".join(spelt for spelt, _n in w["spellings"])]]
            for w in words
        ]
        blocks.append(("table", [_("Mot"), _("Réponses"), _("Telles qu’écrites")], rows))
    return blocks


def _poll_blocks(polls: list[dict], t: Texts) -> list[tuple]:
    from ..poll.exports import KIND_LABELS

    _, ngettext = t.gettext, t.ngettext
    blocks: list[tuple] = []
    for item in polls:
        p, r = item["poll"], item["results"]
        blocks.append(("h2", p["question"]))
        voters = ngettext("%(num)d votant", "%(num)d votants", r["voters"])
        kind = _(KIND_LABELS[p["kind"]])
        blocks.append(("p", _("Sondage (%(kind)s)\u00a0: %(voters)s.", kind=kind, voters=voters)))
        if p["kind"] == "scale":
            rows = []
            for d in r["distribution"]:
                label = str(d["value"])
                if d["value"] == 1 and p.get("label_low"):
                    label += f" ({p['label_low']})"
                if d["value"] == p["scale_max"] and p.get("label_high"):
                    label += f" ({p['label_high']})"
                rows.append([[label], [str(d["count"])], [_percent(d["percent"], t)]])
            blocks.append(("table", [_("Valeur"), _("Votes"), _("Part")], rows))
            if r["mean"] is not None:
                mean = _decimal(r["mean"], t)
                blocks.append(
                    ("p", _("Moyenne\u00a0: %(mean)s sur %(max)s.", mean=mean, max=p["scale_max"]))
                )
        else:
            rows = [
                [[o["label"]], [str(o["count"])], [_percent(o["percent"], t)]] for o in r["options"]
            ]
            blocks.append(("table", [_("Réponse"), _("Votes"), _("Part des votants")], rows))
    return blocks


# ---------------------------------------------------------------- document


def _actors(n: int, t: Texts) -> str:
    """
    >>> _actors(0, texts("fr")), _actors(0, texts("en")), _actors(2, texts("fr"))
    ('0 acteur', '0 actors', '2 acteurs')
    """
    return t.ngettext("%(num)d acteur", "%(num)d acteurs", n)


PROJECT_FIELDS = (
    (N_("Structure porteuse"), "actor"),
    (N_("Descriptif"), "description"),
    (N_("Résultats"), "results"),
    (N_("Freins"), "obstacles"),
    (N_("Besoins"), "needs"),
)


def group_title(name: str, t: Texts) -> str:
    """« Groupe Chardon », never « Groupe Groupe Chardon ».

    >>> group_title("Chardon", texts("fr")), group_title("Groupe bleu", texts("fr"))
    ('Groupe Chardon', 'Groupe bleu')
    >>> group_title("Chardon", texts("en")), group_title("group 2", texts("en"))
    ('Group Chardon', 'group 2')
    """
    if name.casefold().startswith(("groupe", "group")):
        return name
    return t.gettext("Groupe %(name)s", name=name)


def document(data: dict, lang: str | None = None) -> list[tuple]:
    """The blocks of the compte rendu, in ``lang`` (default: the language
    :func:`gather` read the data in, else French)."""
    from maps.i18n import stage_label

    t = texts(lang or data.get("lang"))
    _, ngettext, colon = t.gettext, t.ngettext, t.colon()
    a = data["atelier"]
    blocks: list[tuple] = [("title", _("Compte rendu\u00a0: %(title)s", title=a["title"]))]
    meta = []
    if a.get("date"):
        meta.append((_("Date"), long_date(a["date"], t.lang)))
    if a.get("place"):
        meta.append((_("Lieu"), a["place"]))
    count = a["participants"]
    meta.append(
        (_("Personnes présentes"), ngettext("%(num)d personne", "%(num)d personnes", count))
    )
    blocks.append(("meta", meta))
    if a.get("names"):
        blocks.append(("h2", _("Personnes présentes")))
        blocks.append(("bullets", list(a["names"])))
    intro = []
    if data.get("clouds") or data.get("polls"):
        intro.append(_("les nuages de mots et les sondages"))
    if data["board"]:
        intro.append(_("les contributions sur post-it, regroupées par catégorie"))
    if data["codev"]:
        intro.append(_("les synthèses des groupes de co-développement"))
    if data["map"]:
        intro.append(_("la cartographie des acteurs réalisée en portrait croisé et son analyse"))
    if intro:
        blocks.append(("p", _("Ce compte rendu rassemble %(items)s.", items=_and(intro, t))))

    blocks += _cloud_blocks(data.get("clouds") or [], t)
    blocks += _poll_blocks(data.get("polls") or [], t)

    for prompt in data["board"]:
        blocks.append(("h2", prompt["prompt"]))
        total = sum(len(c["notes"]) for c in prompt["categories"])
        blocks.append(("p", ngettext("%(num)d contribution.", "%(num)d contributions.", total)))
        for cat in prompt["categories"]:
            blocks.append(("h3", cat["title"]))
            items = []
            for n in sorted(cat["notes"], key=lambda n: -n["votes"]):
                text = n["text"]
                extras = []
                if n["votes"]:
                    extras.append(ngettext("%(num)d vote", "%(num)d votes", n["votes"]))
                if n.get("duplicates"):
                    extras.append(
                        ngettext("+%(num)d semblable", "+%(num)d semblables", n["duplicates"])
                    )
                if n.get("author"):
                    extras.append(n["author"])
                if extras:
                    text += " (" + ", ".join(extras) + ")"
                items.append(text)
            blocks.append(("bullets", items))

    if data["codev"]:
        blocks.append(("h2", _("Co-développement")))
        for g in data["codev"]:
            title = group_title(g["group"], t)
            if g.get("room") and g["room"] not in g["group"]:
                title += f" ({g['room']})"
            blocks.append(("h3", title))
            meta = [(_("Méthode"), g.get("method") or "")]
            if g.get("porteur"):
                meta.append((_("Porteur ou porteuse"), g["porteur"]))
            meta.append((_("Membres"), str(g["members"])))
            blocks.append(("meta", meta))
            subject = g.get("subject") or _("(non renseigné)")
            blocks.append(("p", _("Sujet\u00a0: %(subject)s", subject=subject)))
            if g.get("contract"):
                blocks.append(("p", _("Aide attendue\u00a0: %(contract)s", contract=g["contract"])))
            if g["proposals"]:
                retained = set(g["retained"])
                blocks.append(
                    ("p", _("Propositions du groupe (%(num)d)\u00a0:", num=len(g["proposals"])))
                )
                blocks.append(
                    (
                        "bullets",
                        [
                            _("%(text)s (retenue)", text=p) if p in retained else p
                            for p in g["proposals"]
                        ],
                    )
                )
            if g.get("action_plan"):
                blocks.append(
                    (
                        "p",
                        _(
                            "Ce que la personne qui porte le sujet retient et va faire\u00a0: "
                            "%(plan)s",
                            plan=g["action_plan"],
                        ),
                    )
                )
            if g["learnings"]:
                blocks.append(("p", _("Apprentissages\u00a0:")))
                blocks.append(("bullets", list(g["learnings"])))

    m = data["map"]
    if m:
        import maps

        blocks.append(("h2", _("Cartographie des acteurs")))
        blocks.append(
            (
                "p",
                _(
                    "Les partenaires ont présenté leurs structures en portrait croisé\u00a0; "
                    "les notes ont été classées selon les trois étapes de la stratégie "
                    "d’impact collectif. La carte compte %(actors)s, %(contributions)s et "
                    "%(links)s.",
                    actors=_actors(m["actors"], t),
                    contributions=ngettext(
                        "%(num)d contribution", "%(num)d contributions", m["contributions"]
                    ),
                    links=ngettext("%(num)d lien", "%(num)d liens", m["links"]),
                ),
            )
        )
        blocks.append(
            (
                "bullets",
                [
                    stage_label(s, t.lang) + colon + stage_label(s, t.lang, "description")
                    for s in maps.STAGES
                ],
            )
        )
        for name, png, caption in m["images"]:
            blocks.append(("image", name, png, caption, _map_alt(name, caption, m, t)))
        blocks.append(("h3", _("Tableau des apports par étape")))
        headers = [_("Acteur")] + [stage_label(s, t.lang, "short") for s in maps.STAGES]
        rows = [[[r["name"]]] + [list(r[s]) for s in maps.STAGES] for r in m["table"]]
        blocks.append(("table", headers, rows))
        blocks.append(("h3", _("Analyse")))
        for para in m["paragraphs"]:
            blocks.append(("p", para))
        if m["projects"]:
            blocks.append(("h2", _("Annexe\u00a0: fiches projets")))
            for p in m["projects"]:
                blocks.append(("h3", p["title"] or _("(sans titre)")))
                meta = [(_(label), p[key]) for label, key in PROJECT_FIELDS if p.get(key)]
                blocks.append(("meta", meta))
    if len(blocks) <= 3:
        blocks.append(("p", _("Aucune contribution n’a encore été recueillie dans cet atelier.")))
    return blocks


def _map_alt(name: str, caption: str, m: dict, t: Texts) -> str:
    """What a map image shows, in words, for those who cannot see it."""
    import maps
    from maps.i18n import stage_label

    actors = _actors(m["actors"], t)
    if name == image_name("stages", t.lang):
        per_stage = [
            stage_label(st, t.lang) + t.colon() + _actors(sum(1 for r in m["table"] if r[st]), t)
            for st in maps.STAGES
        ]
        sep = "\u00a0; " if t.lang == "fr" else "; "
        return t.gettext(
            "%(caption)s. %(actors)s\u00a0; %(stages)s. Le détail est dans le tableau des "
            "apports par étape ci-après.",
            caption=caption,
            actors=actors,
            stages=sep.join(per_stage),
        )
    return t.gettext(
        "%(caption)s. %(actors)s et %(links)s. L’analyse ci-après décrit ce réseau.",
        caption=caption,
        actors=actors,
        links=t.ngettext("%(num)d lien", "%(num)d liens", m["links"]),
    )
