"""maps/ writes French (typographic) and English: analysis prose, plain-text
report, drawings (captions, stage names, legends) and suggestion reasons."""

import re

import pytest

import maps
from maps.i18n import ENGLISH, kind_label, stage_label
from maps_synth import synthetic_records

FRENCH_WORDS = re.compile(
    r"[éèàùâêîôûçÉ]|\b(et|les|des|acteurs?|étapes?|liens?|aucun|sans|qui|sur|fichiers?)\b"
)
STRAIGHT_APOSTROPHE = re.compile(r"\w'\w")
SPACE_BEFORE = re.compile(r"[^\S\u00a0][;:!?»]|«[^\S\u00a0]|\w[;!?»]|\w:(?!\d|//)")


def _neutral(records):
    """Names and territories that are neither French nor English words."""
    for i, a in enumerate(records["actors"]):
        a["name"] = f"Q{i}"
        a["territoire"] = ["Zx", "Zy"][i % 2]
    for c in records["contributions"]:
        c["text"] = "-"
    return records


@pytest.fixture(scope="module")
def rich():
    """A map with every case the prose names: several stages, no stage, no
    link, communities, broken chains, gaps, suggestions of each kind."""
    r = _neutral(synthetic_records(40, links_per_actor=1.2, seed=3))
    r["actors"] += [
        {"id": "lone", "name": "Lone", "kind": "collectivite"},
        {"id": "nostage", "name": "Nost", "kind": "syndicat_mixte"},
    ]
    return maps.from_records(**r)


def _texts(m, lang):
    result = maps.analyse(m, lang=lang)
    out = list(maps.analysis_paragraphs(m, result, lang))
    out += maps.analysis_text(m, result, lang).splitlines()
    out += [sg["reason"] for sg in result["suggestions"]]
    out.append(result["chains"]["definition"])
    out += [g["label"] for g in result["gaps"]["few_actors"]]
    for layout in ("stages", "network"):
        fig = maps.render_figure(m, layout=layout, date="2024-03-05", lang=lang, title="T")
        out += [t.get_text() for t in fig.texts]
        for ax in fig.axes:
            out += [t.get_text() for t in ax.texts]
        for leg in fig.legends:
            out.append(leg.get_title().get_text())
            out += [t.get_text() for t in leg.get_texts()]
    return [t for t in out if t]


def test_the_rich_map_reaches_every_branch(rich):
    r = maps.analyse(rich)
    assert r["isolated"] and r["communities"] and r["chains"]["broken"] and r["suggestions"]
    assert r["gaps"]["without_stage"]
    assert any(sg["kind"] for sg in r["suggestions"])
    assert any(sg["territory"] for sg in r["suggestions"])
    assert any(sg["shared_neighbours"] for sg in r["suggestions"])


def test_english_output_has_no_french_left(rich):
    leftovers = [t for t in _texts(rich, "en") if FRENCH_WORDS.search(t.replace("’", "'"))]
    assert not leftovers, leftovers[:5]


def test_english_punctuation_has_no_space_before(rich):
    bad = [t for t in _texts(rich, "en") if re.search(r"\s[;:!?]", t)]
    assert not bad, bad[:5]


def test_french_output_is_typographic(rich):
    texts = _texts(rich, "fr")
    assert not [t for t in texts if STRAIGHT_APOSTROPHE.search(t)]
    bad = [t for t in texts if SPACE_BEFORE.search(t.replace("'", ""))]
    assert not bad, bad[:5]


def test_kinds_are_labels_never_raw_keys(rich):
    r = maps.analyse(rich)
    reasons = " ".join(sg["reason"] for sg in r["suggestions"])
    assert "(collectivite)" not in reasons and "service_public" not in reasons
    assert "même type d’acteur (" in reasons
    assert kind_label("collectivite", "en") == "Local authority"


def test_english_table_entries_are_english_and_keys_typographic():
    for fr, en in ENGLISH.items():
        assert not STRAIGHT_APOSTROPHE.search(fr), fr
        assert not SPACE_BEFORE.search(fr), fr
        assert not re.search(r"[\s\u00a0][;:!?]", en), en
        assert "«" not in en and "\u00a0" not in en, en


def test_stage_names_in_both_languages():
    assert [stage_label(s) for s in maps.STAGES][0] == "Déclencher l’action"
    assert [stage_label(s, "en", "short") for s in maps.STAGES] == ["Trigger", "Organise", "Run"]
    assert maps.STAGE_LABELS["organiser"] == "Organiser la stratégie d’impact collectif"


def test_unknown_language_is_refused(rich):
    with pytest.raises(ValueError):
        maps.analyse(rich, lang="de")
    with pytest.raises(ValueError):
        maps.render_figure(rich, lang="xx")


def test_a_table_without_columns_is_described_in_english():
    """A file with no header at all: the error says so in English, with no
    French word left (the "none" placeholder included)."""
    from maps.errors import MapInputError

    err = MapInputError(
        "colonne obligatoire absente\u00a0: {names}\u00a0; colonnes trouvées",
        fields={"names": ["id"]},
        file="actors.csv",
        row=1,
        value="(aucune)",
    )
    english = err.text("en")
    assert "(none)" in english and "aucune" not in english, english
    assert "(aucune)" in err.text("fr")
