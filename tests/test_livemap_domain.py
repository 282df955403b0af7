"""Pure rules of the live map."""

import pytest

from workshop.domain import livemap as rules
from workshop.domain.errors import DomainError


def test_matching_ignores_accents_case_and_punctuation():
    names = [(1, "Unis-Cité"), (2, "Carré des associations"), (3, "Tubà")]
    assert rules.find_match("UNIS CITE", names) == 1
    assert rules.find_match("carre des  Associations", names) == 2
    assert rules.find_match("tuba", names) == 3
    assert rules.find_match("Tuba Lab", names) is None
    assert rules.suggest("carr", names) == [2]
    assert rules.suggest("", names) == []


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("declencher", "declencher"),
        ("Déclencher l'action", "declencher"),
        ("ORGANISER", "organiser"),
        ("animer la stratégie", "animer"),
    ],
)
def test_stages(value, key):
    assert rules.check_stage(value) == key


@pytest.mark.parametrize("value", ["planifier", "", None, 3, "3"])
def test_unknown_stage_is_refused(value):
    with pytest.raises(DomainError) as err:
        rules.check_stage(value)
    assert err.value.code == "livemap_invalid_stage"


def test_texts_are_bounded():
    with pytest.raises(DomainError) as err:
        rules.clean_contribution("x" * (rules.CONTRIBUTION_MAX + 1))
    assert err.value.code == "livemap_text_too_long"
    assert err.value.params["max"] == rules.CONTRIBUTION_MAX
    with pytest.raises(DomainError):
        rules.clean_actor_name("a\x00b")
    assert rules.clean_kind("Service public") == "service_public"
    assert rules.clean_link_kind("") == "partenaire"


def test_versions_and_conflicts():
    rules.check_conflict(4, 4, "x")
    with pytest.raises(DomainError) as err:
        rules.check_conflict(5, 4, "Tubà · association")
    assert err.value.code == "conflict"
    assert err.value.params == {"current": "Tubà · association", "version": 5}
    from workshop.domain.contracts import CONTRACTS

    update = CONTRACTS["livemap:actor:update"]
    for bad in (None, "1", True, -1, 2**70):
        with pytest.raises(DomainError):
            update.parse({"actor_id": 1, "version": bad})


def test_keys_are_unique_slugs():
    assert rules.slugify("Ville de Mulhouse – D13") == "ville-de-mulhouse-d13"
    assert rules.unique_key("a", {"a", "a-2"}) == "a-3"
    assert len(rules.unique_key("x" * 80, {"x" * 80})) <= rules.KEY_MAX


def test_client_ids_follow_the_one_rule():
    from workshop.domain.contracts import ClientId

    assert ClientId().check("abcdefgh-1234", "client_id")
    for bad in ("short", "x" * 65, "<script>", 12, "abcdefgh\udc00"):
        with pytest.raises(DomainError) as err:
            ClientId().check(bad, "client_id")
        assert err.value.code == "invalid_client_id"


def test_conflict_message_is_french_and_shows_the_current_value(app):
    from workshop.messages import error_payload

    with app.test_request_context():
        body = error_payload(DomainError("conflict", current="Tubà", version=3), "fr")
    assert body["error"] == "conflict"
    assert "Tubà" in body["message"] and "entre-temps" in body["message"]
