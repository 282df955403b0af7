"""The grouping-suggestion library (``suggest``): table tests, bad input,
determinism, and no network use."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import suggest

ROOT = Path(__file__).resolve().parent.parent
BENEVOLAT = ROOT / "bench" / "data" / "benevolat.csv"


def _rows():
    with BENEVOLAT.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("texts", "notice", "groups", "unplaced"),
    [
        ([], "too_few", [], []),
        (["Manque de temps"] * 3, "too_few", [], [0, 1, 2]),
        (["🙂", "👍👍", "?!", "..."], "no_words", [], [0, 1, 2, 3]),
        (["!!!", "!!!", "🙂", "🙂"], "no_words", [], [0, 1, 2, 3]),
        (["Manque de temps"] * 5, None, [[0, 1, 2, 3, 4]], []),
        (["Local", "Temps", "Financement", "Bénévoles"], "no_groups", [], [0, 1, 2, 3]),
        (
            ["Trop de réunions", "Réunions trop longues", "Le local est froid", "Local trop petit"],
            None,
            [[0, 1], [2, 3]],
            [],
        ),
        (
            ["We need more time", "Not enough time to meet", "Funding", "More funding please"],
            None,
            [[0, 1], [2, 3]],
            [],
        ),
    ],
)
def test_table(texts, notice, groups, unplaced):
    s = suggest.suggest_groups(texts)
    assert s.notice == notice
    assert [list(g.members) for g in s.groups] == groups
    assert list(s.unplaced) == unplaced


def test_every_note_is_placed_once_or_unplaced():
    texts = [r["text"] for r in _rows()]
    s = suggest.suggest_groups(texts)
    seen = [i for g in s.groups for i in g.members] + list(s.unplaced)
    assert sorted(seen) == list(range(len(texts)))
    assert s.groups, "the tuning set must give groups"


def test_labels_are_lemmas_not_truncated_words():
    s = suggest.suggest_groups(
        [
            "Les réunions finissent tard",
            "Des réunions plus courtes",
            "Associations de jeunes",
            "Les associations des quartiers",
        ]
    )
    assert [g.label for g in s.groups] == ["Réunion", "Association"]
    for g in s.groups:
        for word in g.keywords:
            assert word == suggest.lemma(word), word


def test_identical_notes_are_duplicates_of_the_first():
    s = suggest.suggest_groups(["Manque de temps"] * 4 + ["manque de temps pour se voir"])
    assert s.duplicates == ((0, 1), (0, 2), (0, 3), (0, 4))
    assert s.groups[0].label == "Manque, temps"


def test_near_duplicates_of_the_issue():
    texts = ["Manque de temps", "manque de temps pour se voir", "Local", "Des locaux"]
    s = suggest.suggest_groups(texts)
    assert (0, 1) in s.duplicates
    # A kept note is never itself a duplicate: merging goes into a note that stays.
    dups = {d for _, d in s.duplicates}
    assert not dups & {k for k, _ in s.duplicates}


def test_existing_category_is_suggested_where_one_fits():
    s = suggest.suggest_groups(
        ["Réunions trop tardives", "Les réunions finissent tard", "Local mal chauffé", "Budget"],
        existing={7: ["Le local est trop petit", "Local inaccessible"], 9: ["Communication"]},
    )
    by_members = {g.members: g.existing for g in s.groups}
    assert by_members[(0, 1)] is None
    assert by_members[(2,)] == 7
    assert 3 in s.unplaced


def test_deterministic_and_json_ready():
    texts = [r["text"] for r in _rows()]
    one = suggest.suggest_groups(texts)
    for _ in range(3):
        assert suggest.suggest_groups(list(texts)) == one
    assert json.loads(json.dumps(one.as_dict())) == one.as_dict()


def test_deterministic_across_processes():
    code = (
        "import json, sys, suggest; texts = json.load(sys.stdin); "
        "print(json.dumps(suggest.suggest_groups(texts).as_dict(), sort_keys=True))"
    )
    texts = json.dumps([r["text"] for r in _rows()])
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=texts,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


_NO_NETWORK = r"""
import socket, sys, json
def refuse(*a, **k):
    raise OSError("network blocked in this test")
socket.socket = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import suggest
texts = json.load(sys.stdin)
for method in ("lexical", "semantic"):
    s = suggest.suggest_groups(texts, method=method)
    assert s.groups, method
print("ok", suggest.semantic_available())
"""


def _no_network_namespace() -> list[str]:
    """``unshare -n``: a network namespace with no interface, where it can be made."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def test_no_network_is_used():
    """Every method runs with the network blocked (the semantic one too, when
    installed): sockets refused in the process, and no network at all around it
    where a network namespace can be made."""
    texts = json.dumps([r["text"] for r in _rows()])
    res = subprocess.run(
        [*_no_network_namespace(), sys.executable, "-c", _NO_NETWORK],
        input=texts,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": "/nonexistent"},
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("ok")


def test_unknown_method_is_a_value_error():
    with pytest.raises(ValueError):
        suggest.suggest_groups(["a"] * 5, method="cloud")


def test_semantic_falls_back_to_lexical_when_missing(monkeypatch):
    from suggest import semantic

    monkeypatch.setattr(semantic, "available", lambda: False)
    s = suggest.suggest_groups(
        ["Trop de réunions", "Réunions longues", "Local", "Le local"], method="semantic"
    )
    assert s.method == "lexical"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=12))
def test_any_text_gives_a_suggestion(texts):
    s = suggest.suggest_groups(texts)
    seen = sorted([i for g in s.groups for i in g.members] + list(s.unplaced))
    assert seen == list(range(len(texts)))
    for g in s.groups:
        assert g.label and len(g.label) < 200


def test_lone_surrogates_and_odd_values():
    texts = ["\ud800 temps", "temps \udfff", "x" * 10000, "temps " * 500, "0" * 50]
    s = suggest.suggest_groups(texts)
    assert s.groups and s.groups[0].members[:2] == (0, 1)
