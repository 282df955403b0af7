import json

import maps
from maps import analyse, chain_for, from_records, stage_table


def test_mulhouse_analysis(mulhouse):
    r = analyse(mulhouse)
    json.dumps(r)  # serialisable
    assert (r["actors"], r["links"], r["contributions"], r["projects"]) == (20, 23, 19, 10)
    assert r["stages"] == {"declencher": 6, "organiser": 9, "animer": 4}
    assert r["isolated"] == []
    assert r["brokers"][0]["id"] == "mulhouse-direction-cohesion-sociale"
    assert r["communities"] and all(c["members"] == sorted(c["members"]) for c in r["communities"])
    chains = r["chains"]
    assert chains["declencher_actors"] == 6
    assert chains["reach_organiser"] == 6 and chains["broken"] == []
    for d, p in chains["paths"].items():
        assert p["path"][0] == d
        assert p["animer"] == p["path"][-1]
        assert "organiser" in mulhouse.stages_of(p["organiser"])
        assert "animer" in mulhouse.stages_of(p["animer"])
    assert r["gaps"]["no_link_into"] == ["animer"]
    assert len(r["gaps"]["without_stage"]) == 8
    for s in r["suggestions"]:
        assert s["reason"]
        assert not mulhouse.graph.has_edge(s["source"], s["target"])
        assert not mulhouse.graph.has_edge(s["target"], s["source"])


def test_analysis_deterministic(mulhouse):
    assert analyse(mulhouse) == analyse(mulhouse)


def test_broken_chain_and_isolated():
    m = from_records(
        actors=[{"id": i, "name": i.upper()} for i in "abcde"],
        contributions=[
            {"actor_id": "a", "stage": "declencher"},
            {"actor_id": "e", "stage": "declencher"},
            {"actor_id": "b", "stage": "organiser"},
        ],
        links=[{"source_id": "a", "target_id": "b", "kind": "oriente"}],
    )
    r = analyse(m)
    assert r["chains"]["broken"] == ["e"]
    assert r["chains"]["no_animer"] == ["a"]
    assert r["isolated"] == ["c", "d", "e"]
    assert {f["stage"] for f in r["gaps"]["few_actors"]} >= {"animer"}


def test_suggestion_reason_mentions_territory():
    m = from_records(
        actors=[
            {"id": "a", "name": "A", "territoire": "Colmar"},
            {"id": "b", "name": "B", "territoire": "Colmar"},
            {"id": "c", "name": "C", "territoire": "Metz"},
        ],
        contributions=[
            {"actor_id": "a", "stage": "declencher"},
            {"actor_id": "b", "stage": "organiser"},
        ],
        links=[
            {"source_id": "a", "target_id": "c", "kind": "partenaire"},
            {"source_id": "b", "target_id": "c", "kind": "partenaire"},
        ],
    )
    (s,) = analyse(m)["suggestions"]
    assert (s["source"], s["target"]) == ("a", "b")
    assert "même territoire (Colmar)" in s["reason"] and "1 partenaire en commun" in s["reason"]


def test_stage_table_and_prose(mulhouse):
    table = stage_table(mulhouse)
    assert sum(len(row[s]) for row in table for s in maps.STAGES) == 19
    tuba = next(row for row in table if row["id"] == "tuba")
    assert tuba["declencher"] and tuba["organiser"] and not tuba["animer"]
    paras = maps.analysis_paragraphs(mulhouse)
    assert paras[0].startswith("La cartographie compte 20 acteurs")
    assert any("Chaînage des apports" in p for p in paras)
    assert "Acteurs passerelles" in maps.analysis_text(mulhouse)


def test_chain_for(mulhouse):
    c = chain_for(mulhouse, "fondation-de-france")
    assert c["complete"] and c["path"][0] == "fondation-de-france"
    assert chain_for(mulhouse, "caf")["path"] == ["caf"]
