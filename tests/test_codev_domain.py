"""The co-développement state machine and rules, as plain Python."""

import itertools

import pytest

from workshop.domain import codev as rules
from workshop.domain.errors import DomainError

P, C, A, S = "porteur", "contributeur", "animateur", "secretaire"
ALL = (P, C, A, S)

# What each step allows (besides the secretary's notes, allowed at every step),
# written from the method, independently of the module's tables.
SPEC = {
    "cinq_etapes": [
        {"subject": {P}},
        {"subject": {P}},
        {"question": {C}, "answer": {P}},
        {"proposal": {C}},
        {"retain": {P}, "action_plan": {P}},
    ],
    "quebec": [
        {"subject": {P}},
        {"question": {C}, "answer": {P}},
        {"contract": {P}},
        {"proposal": {C}},
        {"retain": {P}, "action_plan": {P}},
        {"learning": {P, C, A, S}},
    ],
    "flash": [
        {"subject": {P}},
        {"question": {C}, "answer": {P}},
        {"proposal": {C}},
        {"retain": {P}, "action_plan": {P}},
    ],
}
LISTEN_STEPS = {("cinq_etapes", 3), ("quebec", 3), ("flash", 2)}


def expected(template, step, role, action):
    allowed = dict(SPEC[template][step])
    allowed["note"] = {S}
    roles = allowed.get(action, set())
    if role in roles:
        return None
    if role == P and (template, step) in LISTEN_STEPS:
        return "codev_porteur_listens"
    if not roles:
        return "codev_not_this_step"
    return {
        frozenset({P}): "codev_only_porteur",
        frozenset({C}): "codev_only_contributors",
        frozenset({S}): "codev_only_secretary",
    }[frozenset(roles)]


CASES = [
    (t, i, role, action)
    for t, steps in SPEC.items()
    for i, role, action in itertools.product(range(len(steps)), ALL, rules.ACTIONS)
]


@pytest.mark.parametrize(("template", "step", "role", "action"), CASES)
def test_rules_table(template, step, role, action):
    want = expected(template, step, role, action)
    if want is None:
        rules.check_action(template, step, role, action)
        assert action in rules.allowed_actions(template, step, role)
    else:
        with pytest.raises(DomainError) as err:
            rules.check_action(template, step, role, action)
        assert err.value.code == want
        assert err.value.params["step"] == rules.TEMPLATES[template].steps[step].name
        assert action not in rules.allowed_actions(template, step, role)


@pytest.mark.parametrize(
    ("template", "role", "action"),
    list(itertools.product(SPEC, (*ALL, None), ("subject", "contract", "action_plan", "answer"))),
)
def test_erase_table(template, role, action):
    """Whoever writes a text at some step may erase it, whatever the step."""
    writers = set().union(*(step.get(action, set()) for step in SPEC[template]))
    if role in writers:
        rules.check_erase(template, role, action)
    else:
        with pytest.raises(DomainError, match="codev_not_your_text"):
            rules.check_erase(template, role, action)


def test_erase_refuses_what_is_not_a_text():
    for action in ("question", "proposal", "retain", "note", "bogus", None):
        with pytest.raises(DomainError, match="invalid_payload"):
            rules.check_erase("cinq_etapes", P, action)


def test_templates_have_the_method_steps():
    five = rules.TEMPLATES["cinq_etapes"]
    assert [s.name for s in five.steps] == [
        "Identifier le sujet",
        "Présentation du sujet",
        "Clarification",
        "Réactions",
        "Feedback",
    ]
    assert [s.name for s in rules.TEMPLATES["quebec"].steps] == [
        "Exposé",
        "Clarification",
        "Contrat",
        "Consultation",
        "Synthèse et plan d’action",
        "Apprentissages",
    ]
    flash_minutes = sum(s.minutes for s in rules.TEMPLATES["flash"].steps)
    assert 25 <= flash_minutes <= 35
    assert rules.DEFAULT_TEMPLATE == "cinq_etapes"
    for t in rules.TEMPLATES.values():
        for s in t.steps:
            assert s.instruction and s.minutes > 0


def test_issue_examples():
    # step 1: the porteur writes the subject
    rules.check_action("cinq_etapes", 0, P, "subject")
    # step 3: only contributeurs ask, the porteur answers
    with pytest.raises(DomainError, match="codev_only_contributors"):
        rules.check_action("cinq_etapes", 2, P, "question")
    rules.check_action("cinq_etapes", 2, P, "answer")
    # step 4: the porteur listens
    with pytest.raises(DomainError, match="codev_porteur_listens"):
        rules.check_action("cinq_etapes", 3, P, "proposal")
    # step 5: the porteur retains and writes the action plan
    rules.check_action("cinq_etapes", 4, P, "retain")
    with pytest.raises(DomainError, match="codev_only_porteur"):
        rules.check_action("cinq_etapes", 4, C, "action_plan")


def test_check_write_by_status():
    with pytest.raises(DomainError, match="codev_not_started"):
        rules.check_write("cinq_etapes", "setup", 0, P, "subject")
    rules.check_write("cinq_etapes", "finished", 4, P, "retain")
    with pytest.raises(DomainError, match="codev_finished"):
        rules.check_write("cinq_etapes", "finished", 4, C, "proposal")
    with pytest.raises(DomainError, match="codev_no_role"):
        rules.check_write("cinq_etapes", "running", 0, None, "subject")


def test_timer_full_cycle():
    t = rules.Timer.new([60_000, 120_000, 30_000])
    t = t.apply("start", 1_000)
    assert (t.status, t.step_index, t.deadline_ms) == ("running", 0, 61_000)
    t = t.apply("pause", 21_000)
    assert t.deadline_ms is None and t.remaining_ms == 40_000
    assert t.remaining(999_999) == 40_000  # paused: time does not flow
    with pytest.raises(DomainError, match="codev_already_paused"):
        t.apply("pause", 22_000)
    t = t.apply("extend", 22_000, 1)
    assert t.remaining_ms == 100_000 and t.step_duration_ms == 120_000
    t = t.apply("resume", 30_000)
    assert t.deadline_ms == 130_000
    with pytest.raises(DomainError, match="codev_not_paused"):
        t.apply("resume", 30_000)
    # overrun then +5: restarts from now
    t = t.apply("extend", 200_000, 5)
    assert t.deadline_ms == 500_000
    with pytest.raises(DomainError, match="codev_invalid_extend"):
        t.apply("extend", 0, 3)
    with pytest.raises(DomainError, match="codev_invalid_extend"):
        t.apply("extend", 0, True)
    with pytest.raises(DomainError, match="codev_first_step"):
        t.apply("prev", 0)
    t = t.apply("next", 600_000)
    assert (t.step_index, t.deadline_ms) == (1, 720_000)
    assert t.remaining(700_000) == 20_000
    assert t.remaining(730_000) == -10_000  # overrun: never advances by itself
    assert t.step_index == 1
    t = t.apply("next", 800_000).apply("next", 900_000)
    assert t.status == "finished" and t.remaining(0) is None
    with pytest.raises(DomainError, match="codev_finished"):
        t.apply("next", 0)
    t = t.apply("prev", 1_000_000)
    assert (t.status, t.step_index, t.deadline_ms) == ("running", 2, 1_030_000)
    with pytest.raises(DomainError, match="codev_already_started"):
        t.apply("start", 0)
    with pytest.raises(DomainError, match="invalid_payload"):
        t.apply("explode", 0)


def test_timer_needs_a_start():
    t = rules.Timer.new([1000])
    for action in ("pause", "resume", "next", "prev"):
        with pytest.raises(DomainError, match="codev_not_running"):
            t.apply(action, 0)
    with pytest.raises(DomainError, match="codev_not_running"):
        t.apply("extend", 0, 1)


def test_group_fields_and_durations():
    f = rules.clean_group_fields({"name": " Co-développement ", "room": "", "colour": "vert"})
    assert f["name"] == "Co-développement" and f["room"] is None and f["max_members"] == 12
    for bad, code in [
        ({"name": ""}, "text_empty"),
        ({"name": "x" * 61}, "text_too_long"),
        ({"name": "x", "max_members": 1}, "codev_invalid_max"),
        ({"name": "x", "max_members": "12"}, "codev_invalid_max"),
        ({"name": "x", "template": "autre"}, "codev_invalid_template"),
        ({"name": "x", "colour": 3}, "codev_invalid_colour"),
    ]:
        with pytest.raises(DomainError) as err:
            rules.clean_group_fields(bad)
        assert err.value.code == code
    assert rules.clean_durations("cinq_etapes", [5, 10, 15, 20, 10])[3] == 1_200_000
    for bad in (
        [5, 10, 15, 20],
        [0, 10, 15, 20, 10],
        [5, 10, 15, 20, 121],
        "5",
        [5, 10, 15, 20, True],
    ):
        with pytest.raises(DomainError, match="codev_invalid_durations"):
            rules.clean_durations("cinq_etapes", bad)


def test_join_and_roles():
    rules.check_join(status="setup", closed=False, members=0, max_members=2)
    with pytest.raises(DomainError, match="codev_group_closed"):
        rules.check_join(status="setup", closed=True, members=0, max_members=2)
    with pytest.raises(DomainError, match="codev_group_full"):
        rules.check_join(status="setup", closed=False, members=2, max_members=2)
    taken = {"porteur": 1, "animateur": 2}
    for role, code in [("porteur", "codev_porteur_taken"), ("animateur", "codev_animateur_taken")]:
        with pytest.raises(DomainError, match=code):
            rules.check_role_change(status="setup", new_role=role, roles_taken=taken, member_id=9)
    assert rules.check_role_change(
        status="setup", new_role="porteur", roles_taken=taken, member_id=1
    )
    assert rules.check_role_change(status="setup", new_role=C, roles_taken=taken, member_id=1) == C
    with pytest.raises(DomainError, match="codev_roles_locked"):
        rules.check_role_change(status="running", new_role=C, roles_taken={}, member_id=1)
    with pytest.raises(DomainError, match="codev_invalid_role"):
        rules.check_role_change(status="setup", new_role="chef", roles_taken={}, member_id=1)
    with pytest.raises(DomainError, match="codev_no_porteur"):
        rules.check_can_start([C, C])
    with pytest.raises(DomainError, match="codev_no_contributor"):
        rules.check_can_start([P, A])
    rules.check_can_start([P, C])
    assert rules.size_warning(5) is None and rules.size_warning(10) is None
    assert rules.size_warning(4) == "codev_few_contributors"


def test_texts_checked():
    assert rules.clean_item_text("question", "  Pourquoi ?\r\n ") == "Pourquoi ?"
    with pytest.raises(DomainError, match="text_empty"):
        rules.clean_item_text("proposal", "   ")
    with pytest.raises(DomainError, match="text_too_long"):
        rules.clean_item_text("proposal", "x" * 501)
    with pytest.raises(DomainError, match="text_invalid"):
        rules.clean_item_text("proposal", ["x"])


def test_every_code_has_a_french_message():
    import re
    from pathlib import Path

    import workshop.codev  # noqa: F401  (registers the messages)
    from workshop.messages import MESSAGES

    src = "".join(
        p.read_text()
        for p in [
            Path(rules.__file__),
            Path(rules.__file__).parents[1] / "codev" / "service.py",
            Path(rules.__file__).parents[1] / "codev" / "views.py",
        ]
    )
    codes = set(re.findall(r'DomainError\(\s*"([a-z_]+)"', src))
    codes |= {f"codev_{r}_taken" for r in rules.SINGLE_ROLES}
    missing = sorted(c for c in codes if c not in MESSAGES)
    assert not missing


def test_every_step_refusal_names_the_step(app):
    """protocol.md: the refusals of a step's rules say which step it is."""
    from workshop.messages import error_payload

    seen = set()
    with app.test_request_context():
        for template, step, role, action in CASES:
            try:
                rules.check_action(template, step, role, action)
            except DomainError as err:
                if err.code == "codev_no_role":
                    continue
                name = rules.get_template(template).steps[step].name
                assert err.params["step"] == name
                for locale in ("fr", "en"):
                    message = error_payload(err, locale)["message"]
                    assert "%(" not in message and message, (err.code, locale)
                fr = error_payload(err, "fr")["message"]
                assert name in fr, (err.code, fr)
                seen.add(err.code)
    assert "codev_only_secretary" in seen and "codev_porteur_listens" in seen
