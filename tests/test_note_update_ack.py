"""Defect 3 of issue 14: a note's edit ack carries its real ``merged_count``
(the phone stores that ack: a note that absorbed duplicates kept showing 0)."""

import uuid


def test_edit_ack_carries_the_merged_count(app):
    from workshop.extensions import socketio

    http = app.test_client()
    made = http.post("/api/ateliers", json={"title": "Doublons", "allow_anonymous": True}).json
    code = made["code"]
    fac = socketio.test_client(
        app, auth={"role": "facilitator", "code": code, "secret": made["secret"]}
    )
    prompt = fac.emit("board:prompt:create", {"text": "Besoins ?"}, callback=True)["data"]
    joined = http.post(f"/api/ateliers/{code}/participants", json={"name": "Awa"}).json
    phone = socketio.test_client(
        app, auth={"role": "participant", "code": code, "token": joined["token"]}
    )

    def post(text):
        payload = {"client_id": str(uuid.uuid4()), "prompt_id": prompt["id"], "text": text}
        ack = phone.emit("board:note:create", payload, callback=True)
        assert ack["ok"], ack
        return ack["data"]

    keep, dup1, dup2 = post("Des locaux"), post("Locaux"), post("Un local")
    for dup in (dup1, dup2):
        ack = fac.emit(
            "board:note:merge", {"note_id": dup["id"], "into_id": keep["id"]}, callback=True
        )
        assert ack["ok"], ack
    ack = phone.emit(
        "board:note:update", {"note_id": keep["id"], "text": "Des locaux !"}, callback=True
    )
    assert ack["ok"] and ack["data"]["merged_count"] == 2, ack
    assert ack["data"]["text"] == "Des locaux !"
    ack = fac.emit("board:note:update", {"note_id": keep["id"], "colour": "jaune"}, callback=True)
    assert ack["ok"] and ack["data"]["merged_count"] == 2, ack
    # the broadcast to the author's devices says the same
    mine = [a for a in phone.get_received() if a["name"] == "board:note:mine"]
    assert mine and mine[-1]["args"][0]["merged_count"] == 2
