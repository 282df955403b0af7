"""Word clouds and quick polls on the real server, with python-socketio
clients: answers exactly once, limits, bad input (clear message, nothing
changed), moderation followed by the projector, resync on reconnect,
hidden poll results, one ballot per participant."""

import uuid


def cid():
    return str(uuid.uuid4())


def new_cloud(fac, question="Un mot pour dire la coopération ?", **fields):
    ack = fac.call("cloud:create", {"question": question, "on_screen": True, **fields})
    assert ack["ok"], ack
    return ack["data"]


def answer(phone, activity_id, text, client_id=None):
    return phone.call(
        "cloud:answer", {"client_id": client_id or cid(), "activity_id": activity_id, "text": text}
    )


def last_view(client, activity_id, predicate=lambda v: True, timeout=10):
    """The newest cloud:view of that cloud matching ``predicate`` (waits for it)."""
    found = []

    def check():
        views = [v for v in client.received("cloud:view") if v["activity"]["id"] == activity_id]
        if views and predicate(max(views, key=lambda v: v["rev"])):
            found.append(max(views, key=lambda v: v["rev"]))
            return True
        return False

    client.wait_for(check, "cloud view", timeout)
    return found[0]


def words_of(view):
    return {w["label"]: w["count"] for w in view["layout"]["words"]}


def test_answers_grouped_sent_once_and_shown_on_the_projector(live_server):
    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    proj = live_server.projector(a)
    cloud = new_cloud(fac)
    phones = [live_server.participant(a, name) for name in ("Awa", "Bruno", "Chloé")]
    same = cid()
    first = answer(phones[0], cloud["id"], "Entraide !", same)
    assert first["ok"] and first["data"]["created"], first
    again = answer(phones[0], cloud["id"], "Entraide !", same)  # the outbox resends
    assert again["ok"] and not again["data"]["created"]
    assert again["data"]["id"] == first["data"]["id"]
    assert answer(phones[1], cloud["id"], "entraide")["ok"]
    assert answer(phones[2], cloud["id"], "ENTRAIDE")["ok"]
    assert answer(phones[2], cloud["id"], "Vélos")["ok"]
    assert answer(phones[1], cloud["id"], "bicyclette")["ok"]
    view = last_view(proj, cloud["id"], lambda v: v["answers"] == 5)
    # three spellings once each: the earliest is shown (punctuation around it removed)
    assert words_of(view) == {"Entraide": 3, "Vélos": 1, "bicyclette": 1}
    assert view["people"] == 3
    assert "words" not in view  # the spellings are the console's
    fview = last_view(fac, cloud["id"], lambda v: v["answers"] == 5)
    spellings = dict(next(w for w in fview["words"] if w["key"] == "entraide")["spellings"])
    assert spellings == {"Entraide": 1, "entraide": 1, "ENTRAIDE": 1}
    # a resend made no second answer: the author sees one
    assert phones[0].wait_event("cloud:mine")["answers"][0]["text"] == "Entraide"
    assert all(len(d["answers"]) == 1 for d in phones[0].received("cloud:mine"))


def test_the_facilitator_merges_hides_and_renames_and_the_projector_follows(live_server):
    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    proj = live_server.projector(a)
    cloud = new_cloud(fac)
    p1, p2 = live_server.participant(a, "Awa"), live_server.participant(a, "Bruno")
    for phone, text in ((p1, "vélo"), (p2, "bicyclette"), (p2, "voiture"), (p1, "vélos")):
        assert answer(phone, cloud["id"], text)["ok"]
    last_view(proj, cloud["id"], lambda v: v["answers"] == 4)
    ack = fac.call(
        "cloud:word:merge", {"activity_id": cloud["id"], "key": "bicyclette", "into": "velo"}
    )
    assert ack["ok"], ack
    view = last_view(proj, cloud["id"], lambda v: "bicyclette" not in words_of(v))
    assert words_of(view)["vélo"] == 3
    assert fac.call("cloud:word:hide", {"activity_id": cloud["id"], "key": "voiture"})["ok"]
    view = last_view(proj, cloud["id"], lambda v: "voiture" not in words_of(v))
    assert view["answers"] == 3
    ack = fac.call(
        "cloud:word:rename", {"activity_id": cloud["id"], "key": "velo", "label": "Vélo"}
    )
    assert ack["ok"], ack
    view = last_view(proj, cloud["id"], lambda v: "Vélo" in words_of(v))
    assert words_of(view) == {"Vélo": 3}
    # a merge into itself, or into a word merged into it, is refused
    bad = fac.call("cloud:word:merge", {"activity_id": cloud["id"], "key": "velo", "into": "velo"})
    assert bad["error"] == "cloud_merge_invalid" and bad["message"]
    bad = fac.call(
        "cloud:word:merge", {"activity_id": cloud["id"], "key": "velo", "into": "bicyclette"}
    )
    assert bad["error"] == "cloud_merge_invalid"
    # separate again
    assert fac.call(
        "cloud:word:merge", {"activity_id": cloud["id"], "key": "bicyclette", "into": None}
    )["ok"]
    view = last_view(proj, cloud["id"], lambda v: "bicyclette" in words_of(v))
    assert words_of(view) == {"Vélo": 2, "bicyclette": 1}


def test_bad_input_gets_a_clear_message_and_changes_nothing(live_server):
    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    cloud = new_cloud(fac, max_answers=2)
    awa, bruno = live_server.participant(a, "Awa"), live_server.participant(a, "Bruno")
    cases = [
        ("", "text_empty"),
        ("   ", "text_empty"),
        ("x" * 41, "text_too_long"),
        ("un deux trois quatre", "cloud_too_many_words"),
        ("mot\u0007", "text_control_chars"),
        ("\ud800", "text_control_chars"),
        ("les", "cloud_function_word"),
    ]
    for text, code in cases:
        ack = answer(awa, cloud["id"], text)
        assert ack["ok"] is False and ack["error"] == code, (text, ack)
        assert ack["message"] and "internal" not in ack["message"]
    assert answer(awa, cloud["id"], "entraide")["ok"]
    assert answer(awa, cloud["id"], "partage")["ok"]
    over = answer(awa, cloud["id"], "confiance")
    assert over["error"] == "cloud_answer_limit" and "2" in over["message"]
    mine = awa.wait_event("cloud:mine", lambda d: len(d["answers"]) == 2)["answers"]
    assert [m["text"] for m in mine] == ["entraide", "partage"]
    # another participant's answer
    for event, payload in (
        ("cloud:answer:update", {"answer_id": mine[0]["id"], "text": "volé"}),
        ("cloud:answer:delete", {"answer_id": mine[0]["id"]}),
    ):
        ack = bruno.call(event, payload)
        assert ack["error"] == "cloud_not_your_answer", ack
    # another participant's client id is not theirs to reuse
    stolen = answer(bruno, cloud["id"], "autre", mine[0]["client_id"])
    assert stolen["error"] == "invalid_client_id"
    assert "post-it" not in stolen["message"] and "contribution" in stolen["message"]
    # change and withdraw one's own
    ack = awa.call("cloud:answer:update", {"answer_id": mine[0]["id"], "text": "Entraides"})
    assert ack["ok"] and ack["data"]["key"] == "entraide"
    assert awa.call("cloud:answer:delete", {"answer_id": mine[1]["id"]})["ok"]
    assert answer(awa, cloud["id"], "confiance")["ok"]  # room again
    # closed: no answer, no change, no withdrawal
    assert fac.call("cloud:update", {"activity_id": cloud["id"], "status": "closed"})["ok"]
    assert answer(bruno, cloud["id"], "tard")["error"] == "cloud_closed"
    ack = awa.call("cloud:answer:update", {"answer_id": mine[0]["id"], "text": "autre"})
    assert ack["error"] == "cloud_closed"
    view = fac.call("sync")["data"]["cloud"]["views"][str(cloud["id"])]
    assert {w["label"]: w["count"] for w in view["words"]} == {"Entraides": 1, "confiance": 1}
    # settings out of range
    bad = fac.call("cloud:update", {"activity_id": cloud["id"], "max_answers": 6})
    assert bad["error"] == "invalid_payload" and bad["field"] == "max_answers"
    assert fac.call("cloud:create", {"question": "  "})["error"] == "text_empty"


def test_reveal_mode_hides_the_words_until_revealed(live_server):
    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    proj = live_server.projector(a)
    cloud = new_cloud(fac, mode="reveal")
    phone = live_server.participant(a)
    assert answer(phone, cloud["id"], "confiance")["ok"]
    view = last_view(proj, cloud["id"], lambda v: v["answers"] == 1)
    assert view["public"] is False and "layout" not in view
    assert "confiance" not in str(view)
    assert fac.call("cloud:update", {"activity_id": cloud["id"], "revealed": True})["ok"]
    view = last_view(proj, cloud["id"], lambda v: v["public"])
    assert words_of(view) == {"confiance": 1}


def test_a_reconnected_projector_gets_the_whole_cloud(live_server):
    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    proj = live_server.projector(a)
    cloud = new_cloud(fac)
    phone = live_server.participant(a)
    assert answer(phone, cloud["id"], "écoute")["ok"]
    proj.sio.disconnect()
    assert answer(phone, cloud["id"], "réseau")["ok"]
    proj.connect()
    part = proj.snapshot["cloud"]["views"][str(cloud["id"])]
    assert words_of(part) == {"écoute": 1, "réseau": 1}
    mine = live_server.connect(phone.auth).snapshot["cloud"]["mine"]
    assert [m["text"] for m in mine] == ["écoute", "réseau"]


def test_named_cloud_keeps_the_author_and_anonymous_ones_do_not(live_server):
    a = live_server.create_atelier(allow_anonymous=False)
    fac = live_server.facilitator(a)
    refused = fac.call("cloud:create", {"question": "Q ?", "anonymous": True})
    assert refused["error"] == "cloud_anonymous_not_allowed"
    cloud = new_cloud(fac)
    assert cloud["anonymous"] is False


# ---------------------------------------------------------------- polls


def new_poll(fac, **fields):
    payload = {"question": "Votre structure coopère-t-elle ?", "kind": "single", **fields}
    payload.setdefault("options", ["Oui", "Non", "Un peu"] if payload["kind"] != "scale" else None)
    if payload["options"] is None:
        del payload["options"]
    ack = fac.call("poll:create", {"on_screen": True, **payload})
    assert ack["ok"], ack
    return ack["data"]


def vote(phone, poll_id, client_id=None, **ballot):
    return phone.call("poll:vote", {"client_id": client_id or cid(), "poll_id": poll_id, **ballot})


def last_poll_view(client, poll_id, predicate=lambda v: True):
    found = []

    def check():
        views = [v for v in client.received("poll:view") if v["poll"]["id"] == poll_id]
        if views and predicate(max(views, key=lambda v: v["rev"])):
            found.append(max(views, key=lambda v: v["rev"]))
            return True
        return False

    client.wait_for(check, "poll view")
    return found[0]


def test_poll_results_hidden_until_shown_one_ballot_each(live_server):
    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    proj = live_server.projector(a)
    poll = new_poll(fac)
    awa, bruno = live_server.participant(a, "Awa"), live_server.participant(a, "Bruno")
    same = cid()
    assert vote(awa, poll["id"], same, choices=[1])["data"]["changed"]
    assert not vote(awa, poll["id"], same, choices=[1])["data"]["changed"]  # resend
    assert vote(awa, poll["id"], choices=[3])["ok"]  # changed her mind
    brunos = vote(bruno, poll["id"], choices=[3])
    assert brunos["ok"]
    view = last_poll_view(proj, poll["id"], lambda v: v["voters"] == 2)
    assert "results" not in view  # no groupthink
    assert "results" not in last_poll_view(bruno, poll["id"], lambda v: v["voters"] == 2)
    fview = last_poll_view(fac, poll["id"], lambda v: v["voters"] == 2)
    assert [o["count"] for o in fview["results"]["options"]] == [0, 0, 2]
    assert fac.call("poll:update", {"poll_id": poll["id"], "results_shown": True})["ok"]
    view = last_poll_view(proj, poll["id"], lambda v: "results" in v)
    assert [(o["count"], o["percent"]) for o in view["results"]["options"]] == [
        (0, 0),
        (0, 0),
        (2, 100),
    ]
    # withdraw, then the poll closes: no more ballot
    assert awa.call("poll:withdraw", {"poll_id": poll["id"]})["data"]["removed"]
    assert fac.call("poll:update", {"poll_id": poll["id"], "status": "closed"})["ok"]
    late = vote(awa, poll["id"], choices=[1])
    assert late["error"] == "poll_closed" and late["message"]
    # one who voted can no longer change or withdraw the ballot either
    changed = vote(bruno, poll["id"], choices=[1])
    assert changed["error"] == "poll_closed" and "clos" in changed["message"]
    gone = bruno.call("poll:withdraw", {"poll_id": poll["id"]})
    assert gone["error"] == "poll_closed" and gone["message"]
    view = last_poll_view(proj, poll["id"], lambda v: v["poll"]["status"] == "closed")
    assert view["voters"] == 1
    assert [o["count"] for o in view["results"]["options"]] == [0, 0, 1]
    # another participant's client id is not theirs to reuse for a ballot
    other = new_poll(fac, kind="single")
    taken = vote(awa, other["id"], brunos["data"]["client_id"], choices=[1])
    assert taken["error"] == "invalid_client_id" and "contribution" in taken["message"]


BAD_BALLOTS = [
    ("single", {"choices": [9]}, "poll_choice_unknown"),
    ("single", {"choices": [1, 2]}, "poll_too_many_choices"),
    ("multiple", {"choices": [1, 2, 3]}, "poll_too_many_choices"),
    ("scale", {"value": 11}, "poll_value_out_of_range"),
    ("scale", {"value": 0}, "poll_value_out_of_range"),
    ("scale", {"value": 2**40}, "invalid_payload"),
    ("single", {"choices": "1"}, "invalid_payload"),
    ("single", {}, "poll_choice_required"),
    ("scale", {"choices": [1]}, "poll_choice_required"),
]


def test_bad_ballots_change_nothing(live_server):
    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    polls = {
        "single": new_poll(fac, kind="single"),
        "multiple": new_poll(fac, kind="multiple", max_choices=2),
        "scale": new_poll(fac, kind="scale", scale_max=10),
    }
    phone = live_server.participant(a)
    for kind, p in polls.items():
        good = {"value": 7} if kind == "scale" else {"choices": [1]}
        assert vote(phone, p["id"], **good)["ok"]
    for kind, ballot, code in BAD_BALLOTS:
        ack = vote(phone, polls[kind]["id"], **ballot)
        assert ack["ok"] is False and ack["error"] == code, (kind, ballot, ack)
        assert ack["message"]
    views = {v["poll"]["kind"]: v for v in fac.call("sync")["data"]["poll"]["views"]}
    assert all(v["voters"] == 1 for v in views.values())
    assert views["scale"]["results"]["mean"] == 7
    assert views["single"]["results"]["options"][0]["count"] == 1
    assert views["multiple"]["results"]["options"][0]["count"] == 1


def test_cloud_and_poll_as_activities_of_the_deroule(live_server):
    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    proj = live_server.projector(a)
    phone = live_server.participant(a)
    ack = fac.call(
        "deroule:activity:create",
        {
            "type": "cloud",
            "title": "Ouverture",
            "settings": {"question": "Un mot pour dire la coopération ?", "max_answers": 1},
        },
    )
    assert ack["ok"], ack
    ack = fac.call(
        "deroule:activity:create",
        {
            "type": "poll",
            "title": "Sondage",
            "settings": {"question": "On y va ?", "kind": "multiple", "options": ["a", "b", "c"]},
        },
    )
    assert ack["ok"], ack
    cloud = fac.wait_event("cloud:activity", lambda d: d["question"].startswith("Un mot"))
    assert cloud["status"] == "closed" and cloud["max_answers"] == 1
    assert answer(phone, cloud["id"], "entraide")["error"] == "cloud_closed"
    assert fac.call("deroule:next")["ok"]
    proj.wait_event("cloud:activity", lambda d: d["id"] == cloud["id"] and d["status"] == "open")
    assert answer(phone, cloud["id"], "entraide")["ok"]
    assert answer(phone, cloud["id"], "partage")["error"] == "cloud_answer_limit"
    view = last_view(proj, cloud["id"], lambda v: v["answers"] == 1 and v["activity"]["on_screen"])
    assert words_of(view) == {"entraide": 1}
    assert fac.call("deroule:next")["ok"]
    created = fac.wait_event("poll:view", lambda v: v["poll"]["question"] == "On y va ?")
    pview = last_poll_view(phone, created["poll"]["id"], lambda v: v["poll"]["status"] == "open")
    assert pview["poll"]["on_screen"] and pview["poll"]["max_choices"] == 2
    assert vote(phone, pview["poll"]["id"], choices=[1, 3])["ok"]


def test_the_answer_limit_holds_when_one_person_sends_from_several_devices_at_once(live_server):
    """Three devices of one person send four answers each at the same moment
    (different client ids), to a cloud of two answers a person: two are
    stored, the others refused with ``cloud_answer_limit``; a poll gets one
    ballot per person whatever arrives together."""
    import threading

    a = live_server.create_atelier()
    fac = live_server.facilitator(a)
    cloud = new_cloud(fac, max_answers=2)
    poll = new_poll(fac, kind="scale", scale_max=5)
    awa = live_server.participant(a, "Awa")
    devices = [awa] + [live_server.connect(awa.auth) for _ in range(2)]
    acks, start = [], threading.Barrier(len(devices))

    def send(device, k):
        start.wait()
        for i in range(4):
            acks.append(answer(device, cloud["id"], f"mot {k} {i}"))
            acks.append(vote(device, poll["id"], value=1 + (k + i) % 5))

    threads = [threading.Thread(target=send, args=(d, k)) for k, d in enumerate(devices)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    answers = [x for x in acks if "activity_id" in (x.get("data") or {}) or x.get("error")]
    stored = [x for x in acks if x["ok"] and "key" in x["data"]]
    assert len(stored) == 2, acks
    refused = [x for x in answers if not x["ok"]]
    assert refused and {x["error"] for x in refused} == {"cloud_answer_limit"}
    view = fac.call("sync")["data"]["cloud"]["views"][str(cloud["id"])]
    assert view["answers"] == 2 and view["people"] == 1
    polls = {v["poll"]["id"]: v for v in fac.call("sync")["data"]["poll"]["views"]}
    assert polls[poll["id"]]["voters"] == 1
    assert all(x["ok"] for x in acks if "poll_id" in (x.get("data") or {}))
