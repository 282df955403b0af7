"""Rules of the post-it board, without a server or a database."""

import pytest

from workshop.domain import board as rules
from workshop.domain.errors import DomainError

LIVE = {"visibility": "live", "revealed": False, "status": "open"}
REVEAL = {"visibility": "reveal", "revealed": False, "status": "open"}


def note(**kw):
    return {"status": "visible", "merged_into": None, "participant_id": 1, **kw}


@pytest.mark.parametrize(
    ("n", "prompt", "public"),
    [
        (note(), LIVE, True),
        (note(), REVEAL, False),
        (note(), {**REVEAL, "revealed": True}, True),
        (note(status="pending"), LIVE, False),
        (note(status="hidden"), LIVE, False),
        (note(merged_into=3), LIVE, False),
        (note(), {**LIVE, "status": "archived"}, False),
        (note(), {**LIVE, "status": "closed"}, True),
    ],
)
def test_who_sees_a_note(n, prompt, public):
    assert rules.note_is_public(n, prompt) is public
    assert rules.can_see_note(n, prompt, role="projector") is public
    assert rules.can_see_note(n, prompt, role="participant", participant_id=2) is public
    assert rules.can_see_note(n, prompt, role="participant", participant_id=1)
    assert rules.can_see_note(n, prompt, role="facilitator")


def test_note_text_rules():
    assert rules.clean_note_text("<script>alert(1)</script>", 280) == "<script>alert(1)</script>"
    assert rules.clean_note_text("ligne 1\r\nligne 2", 280) == "ligne 1\nligne 2"
    for bad, code in [
        ("", "text_empty"),
        ("  ", "text_empty"),
        ("a\x1b", "text_control_chars"),
        ("é" * 41, "text_too_long"),
        (12, "text_invalid"),
    ]:
        with pytest.raises(DomainError) as err:
            rules.clean_note_text(bad, 40)
        assert err.value.code == code


def test_vote_budget_counts_dots_on_other_notes():
    prompt = {"vote_status": "open", "vote_dots": 3}
    assert rules.check_vote(prompt, spent_elsewhere=0, dots=3) == 3
    assert rules.check_vote(prompt, spent_elsewhere=3, dots=0) == 0
    with pytest.raises(DomainError) as err:
        rules.check_vote(prompt, spent_elsewhere=2, dots=2)
    assert err.value.code == "vote_over_budget" and err.value.params == {"max": 3}
    with pytest.raises(DomainError):
        rules.check_vote(prompt, spent_elsewhere=0, dots=-1)


def test_formula_guard_and_moderation():
    for cell in ["=1+1", "+33", "-2", "@SUM(A1)"]:
        assert rules.spreadsheet_safe(cell) == "'" + cell
    assert rules.spreadsheet_safe("Des moyens") == "Des moyens"
    assert rules.moderate("pending", "approve") == "visible"
    with pytest.raises(DomainError):
        rules.moderate("visible", "delete")
    assert rules.initial_status({"approval": False}, by_facilitator=False) == "visible"
