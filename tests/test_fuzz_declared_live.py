"""Every declared event, against a live server, with values outside what each
of its fields accepts (read from the declarations, ``tests/fuzz_values.py``):
ids and numbers beyond 64 bits, nested lists and objects, lone surrogates,
wrong types, oversized strings, each required field missing, unknown keys,
payloads that are not objects.

Each one is refused with a documented code (never ``internal``) whose ack
names the field, atelier A (filled by every capability's demo loader) is
unchanged, and the server's log holds no traceback."""

import pytest

from fuzz_values import bad_payloads
from security_helpers import declared_events, dump
from support import DB_PARAMS, LiveServer
from workshop.messages import MESSAGES

EVENTS = declared_events()


@pytest.fixture(scope="module", params=DB_PARAMS)
def server(request, tmp_path_factory):
    from workshop import create_app
    from workshop.models import Atelier

    tmp = tmp_path_factory.mktemp("fuzz-live")
    if request.param == "postgres":
        url = request.getfixturevalue("_postgres_url")
    else:
        url = f"sqlite:///{tmp / 'fuzz.sqlite3'}"
    srv = LiveServer(tmp / "live-instance", url)
    srv.start()
    atelier = srv.create_atelier(title="Atelier A : fuzz des déclarations")
    app = create_app(
        {
            "INSTANCE_PATH": tmp / "instance",
            "DATABASE_URL": url,
            "SECRET_KEY": "fuzz-live",
            "TESTING": True,
        }
    )
    with app.extensions["workshop_db"].session() as s:
        row = s.get(Atelier, atelier["atelier"]["id"])
        for cap in app.extensions["workshop_capabilities"]:
            if cap.demo:
                cap.demo(s, row)
    clients = {"facilitator": srv.facilitator(atelier), "participant": srv.participant(atelier)}
    yield srv, app, atelier["atelier"]["id"], clients
    srv.stop()
    srv.close_clients()
    app.extensions["workshop_db"].dispose()


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_out_of_range_values_are_refused_cleanly(server, name):
    srv, app, atelier_id, clients = server
    contract = EVENTS[name]
    role = "facilitator" if "facilitator" in contract.roles else contract.roles[0]
    client = clients[role]
    before = dump(app, atelier_id)
    problems = []
    cases = bad_payloads(contract)
    for field, payload in cases:
        ack = client.call(name, payload)
        if not isinstance(ack, dict) or ack.get("ok") is not False:
            problems.append((field, repr(payload)[:120], "accepted", repr(ack)[:200]))
            continue
        code = ack.get("error")
        if code == "internal" or code not in MESSAGES or not ack.get("message"):
            problems.append((field, repr(payload)[:120], code))
        elif str(ack.get("field", "")).split(".")[0] != field:
            problems.append((field, repr(payload)[:120], "names", ack.get("field"), code))
    assert not problems, problems[:5]
    assert dump(app, atelier_id) == before, "a refused payload changed atelier A"
    assert cases
    log = (srv.instance / f"server-{srv.port}.log").read_text(errors="replace")
    assert "Traceback" not in log, log[log.find("Traceback") - 500 :][:3000]
