"""The word cloud's and the poll's pure rules (workshop.domain.cloud, .poll):
the French grouping rules as table tests, honest sizes, stable layout,
ballots and results."""

import math

import pytest

from workshop.domain import cloud, poll
from workshop.domain.errors import DomainError

# (answer, answer) pairs that count as the same word
SAME = [
    ("Entraide", "entraide"),  # case
    ("ENTRAIDE", "entraide"),
    ("Coopération", "cooperation"),  # accents
    ("élève", "ELEVE"),
    ("Œuvre", "oeuvre"),
    ("  partage  ", "partage"),  # surrounding spaces
    ("Partage !", "partage"),  # surrounding punctuation
    ("« Solidarité »", "solidarité"),
    ("...confiance...", "confiance"),
    ("(réseau)", "réseau"),
    ("vélos", "vélo"),  # plural -s
    ("Réseaux", "réseau"),  # plural -x
    ("jeux", "jeu"),
    ("Circuits courts", "circuit court"),  # plural of each word
    ("co-construction", "co construction"),  # hyphen or space
    ("coconstruction", "co-construction"),  # or nothing (both spellings are French)
    ("vivre-ensemble", "vivre ensemble"),
    ("Vivre-Ensemble", "le vivre ensemble"),
    ("bien-être", "bien être"),
    ("éco-responsable", "écoresponsable"),
    ("entr’aide", "entraide"),  # elision inside a word, either apostrophe
    ("Entr'aide", "entraide"),
    ("entr’aide", "ENTR’AIDE !"),
    ("l’entr’aide", "entraide"),  # an article, then an elision inside the word
    ("Entr’aides", "entraide"),
    ("aujourd’hui", "aujourd'hui"),
    ("aujourd’hui", "aujourdhui"),
    ("presqu’île", "presqu'ile"),
    ("cœur", "coeur"),  # œ or oe
    ("Œcuménisme", "oecumenisme"),
    ("sœurs", "Soeur"),
    ("main-d’œuvre", "main d'oeuvre"),
    ("mains-d’œuvre", "main-d’oeuvre"),
    ("l’intelligence collective", "Intelligence-collective"),
    ("d’abord", "abord"),
    ("Tiers-lieux", "tiers lieu"),
    ("L’entraide", "entraide"),  # an article in front
    ("l'entraide", "L’Entraide"),  # either apostrophe
    ("la confiance", "confiance"),
    ("de la solidarité", "solidarité"),
    ("faire   ensemble", "Faire ensemble"),  # inner spaces
]
# pairs that stay different words
DIFFERENT = [
    ("partage", "partager"),
    ("vélo", "bicyclette"),  # synonyms: the facilitator merges them
    ("entraide", "entretien"),
    ("vivre ensemble", "vivre"),
    ("coeur", "choeur"),
    ("stress", "stre"),  # -ss is not a plural
    ("confiance", "confiances mutuelles"),
]
FUNCTION_ONLY = ["le", "La", "des", "et", "  Les ", "de la", "et ou", "l’", "Et !", "à", "?!"]


@pytest.mark.parametrize("a,b", SAME)
def test_same_word(a, b):
    assert cloud.group_key(a) is not None
    assert cloud.group_key(a) == cloud.group_key(b)


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_words(a, b):
    assert cloud.group_key(a) != cloud.group_key(b)


@pytest.mark.parametrize("text", FUNCTION_ONLY)
def test_function_words_alone_do_not_count(text):
    assert cloud.group_key(text) is None


def test_function_words_inside_an_answer_count():
    assert cloud.group_key("faire et défaire") == "faireetdefaire"
    assert cloud.group_key("le vivre ensemble") == "vivreensemble"


@pytest.mark.parametrize(
    "answers,expected",
    [
        (["Entraide", "entraide", "entraide"], [("entraide", 3)]),  # most frequent spelling
        (["Vélo", "velo"], [("Vélo", 2)]),  # tie: the earliest
        (["Réseaux", "réseau", "Réseau", "réseau"], [("réseau", 4)]),
        (["Partage !", "partage", "Confiance"], [("Partage !", 2), ("Confiance", 1)]),
        (["le", "et", "Écoute"], [("Écoute", 1)]),
    ],
)
def test_grouping_shows_the_most_frequent_spelling(answers, expected):
    words = cloud.group_answers(answers)
    assert [(w.label, w.count) for w in words] == expected


def test_moderation_hides_merges_renames():
    answers = ["vélo", "bicyclette", "Vélos", "voiture", "bicyclettes"]
    mods = {
        "bicyclette": {"merged_into": "velo"},
        "voiture": {"hidden": True},
        "velo": {"label": "Vélo"},
    }
    words = {w.key: w for w in cloud.group_answers(answers, mods)}
    assert words["velo"].count == 4 and words["velo"].label == "Vélo"
    assert words["velo"].merged == ["bicyclette"]
    assert words["voiture"].hidden
    assert "bicyclette" not in words
    # a chain of merges ends on the last word; a loop does not hang
    chain = {"a": {"merged_into": "b"}, "b": {"merged_into": "c"}, "c": {"merged_into": "a"}}
    assert sum(w.count for w in cloud.group_answers(["aa", "bb", "cc"], chain)) == 3


@pytest.mark.parametrize(
    "text,code",
    [
        ("", "text_empty"),
        ("   ", "text_empty"),
        ("!!!", "text_empty"),
        ("x" * 41, "text_too_long"),
        ("un deux trois quatre", "cloud_too_many_words"),
        ("mot\x00caché", "text_control_chars"),
        ("bip\x07", "text_control_chars"),
        ("les", "cloud_function_word"),
        (42, "text_invalid"),
    ],
)
def test_bad_answers_are_refused(text, code):
    with pytest.raises(DomainError) as err:
        cloud.check_answer(text, max_words=3, max_chars=40)
    assert err.value.code == code


def test_honest_sizes_scale_the_area():
    one = cloud.box("entraide", 1, cloud.font_size(1, base=1))
    two = cloud.box("entraide", 2, cloud.font_size(2, base=1))
    area = lambda b: b[0] * b[1]  # noqa: E731
    # twice the answers: about twice the area (the count's figure aside), never four times
    assert 1.8 < area(two) / area(one) < 2.2
    assert cloud.font_size(2, base=1) / cloud.font_size(1, base=1) == pytest.approx(math.sqrt(2))


def _overlap(a, b):
    return abs(a.x - b.x) * 2 < a.w + b.w - 1e-9 and abs(a.y - b.y) * 2 < a.h + b.h - 1e-9


def test_layout_is_deterministic_bounded_and_without_overlap():
    texts = [f"mot{i}" for i in range(120)] + ["entraide"] * 30 + ["confiance"] * 12
    words = cloud.group_answers(texts)
    lay = cloud.layout(words)
    assert lay.as_dict() == cloud.layout(cloud.group_answers(texts)).as_dict()
    assert 0 < len(lay.placed) <= cloud.MAX_SHOWN
    assert lay.others == len(words) - len(lay.placed)
    assert lay.others_answers + sum(p.count for p in lay.placed) == len(texts)
    for i, a in enumerate(lay.placed):
        assert abs(a.x) + a.w / 2 <= cloud.CANVAS_W / 2 + 1e-9
        assert abs(a.y) + a.h / 2 <= cloud.CANVAS_H / 2 + 1e-9
        assert a.font >= cloud.MIN_FONT - 1e-9
        for b in lay.placed[i + 1 :]:
            assert not _overlap(a, b), (a.label, b.label)
    # the most said are shown first
    assert {"entraide", "confiance"} <= {p.key for p in lay.placed}


def test_layout_is_stable_when_a_word_is_added():
    texts = ["entraide", "confiance", "partage", "écoute", "réseau", "solidarité", "lien"]
    before = {p.key: (p.x, p.y) for p in cloud.layout(cloud.group_answers(texts)).placed}
    for extra in ["territoire", "bienveillance", "co-construction", "temps"]:
        texts.append(extra)
        after = {p.key: (p.x, p.y) for p in cloud.layout(cloud.group_answers(texts)).placed}
        assert {k: after[k] for k in before} == before
        before = after


def test_layout_reuses_a_previous_layout_with_the_same_result():
    texts = ["entraide", "confiance", "partage"] * 3 + ["écoute"]
    first = cloud.layout(cloud.group_answers(texts))
    texts += ["réseau", "lien"]
    fresh = cloud.layout(cloud.group_answers(texts))
    reused = cloud.layout(cloud.group_answers(texts), previous=first.placed)
    assert fresh.as_dict() == reused.as_dict()


def test_colours_are_readable_on_the_projector():
    def lum(hex_):
        c = [int(hex_[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    bg = lum("#0d1117")
    for colour in cloud.PALETTE:
        assert (lum(colour) + 0.05) / (bg + 0.05) >= 7, colour


# ---------------------------------------------------------------- poll

OPTIONS = [{"id": 1, "label": "Oui"}, {"id": 2, "label": "Non"}, {"id": 3, "label": "Bof"}]
SINGLE = {"kind": "single", "status": "open", "options": OPTIONS, "max_choices": 1}
MULTIPLE = {"kind": "multiple", "status": "open", "options": OPTIONS, "max_choices": 2}
SCALE = {"kind": "scale", "status": "open", "options": [], "scale_max": 10}


@pytest.mark.parametrize(
    "p,ballot,code",
    [
        ({**SINGLE, "status": "closed"}, {"choices": [1]}, "poll_closed"),
        (SINGLE, {"choices": [4]}, "poll_choice_unknown"),
        (SINGLE, {"choices": [1, 2]}, "poll_too_many_choices"),
        (SINGLE, {"choices": []}, "poll_choice_required"),
        (MULTIPLE, {"choices": [1, 2, 3]}, "poll_too_many_choices"),
        (MULTIPLE, {"choices": [0]}, "poll_choice_unknown"),
        (SCALE, {"value": 11}, "poll_value_out_of_range"),
        (SCALE, {"value": 0}, "poll_value_out_of_range"),
        (SCALE, {"value": True}, "poll_value_out_of_range"),
        (SCALE, {}, "poll_choice_required"),
        (SCALE, {"value": 3, "choices": [1]}, "invalid_payload"),
    ],
)
def test_bad_ballots_are_refused(p, ballot, code):
    with pytest.raises(DomainError) as err:
        poll.check_ballot(p, **ballot)
    assert err.value.code == code


def test_good_ballots():
    assert poll.check_ballot(MULTIPLE, choices=[2, 2, 1]) == {"choices": [1, 2], "value": None}
    assert poll.check_ballot(SCALE, value=10) == {"choices": [], "value": 10}


def test_results_counts_percentages_mean_distribution():
    r = poll.results(SINGLE, [{"choices": [1]}, {"choices": [1]}, {"choices": [2]}])
    assert [(o["count"], o["percent"]) for o in r["options"]] == [(2, 67), (1, 33), (0, 0)]
    s = poll.results({**SCALE, "scale_max": 5}, [{"value": v} for v in (1, 2, 2, 5)])
    assert s["mean"] == 2.5 and [d["count"] for d in s["distribution"]] == [1, 2, 0, 0, 1]
    assert poll.results({**SCALE, "scale_max": 5}, [])["mean"] is None


@pytest.mark.parametrize(
    "data,code",
    [
        ({"question": "Q ?", "kind": "single", "options": ["Oui"]}, "poll_options_count"),
        ({"question": "Q ?", "kind": "single", "options": ["Oui", "oui"]}, "poll_option_twice"),
        ({"question": "Q ?", "kind": "single", "options": ["a"] * 11}, "poll_options_count"),
        (
            {"question": "Q ?", "kind": "multiple", "options": ["a", "b"], "max_choices": 3},
            "poll_invalid_max_choices",
        ),
        ({"question": "Q ?", "kind": "scale", "scale_max": 7}, "poll_invalid_scale"),
        ({"question": "", "kind": "scale"}, "text_empty"),
    ],
)
def test_bad_polls_are_refused(data, code):
    with pytest.raises(DomainError) as err:
        poll.check_poll(data)
    assert err.value.code == code


def test_a_poll_with_ballots_keeps_its_shape():
    current = {**SINGLE}
    with pytest.raises(DomainError) as err:
        poll.check_poll({"options": ["x", "y"]}, current=current, has_ballots=True)
    assert err.value.code == "poll_has_ballots"
    assert poll.check_poll({"status": "closed"}, current=current, has_ballots=True) == {
        "status": "closed"
    }
