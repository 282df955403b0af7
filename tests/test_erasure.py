"""Deleting an atelier leaves none of its texts readable in the SQLite files
(database and write-ahead log), read byte by byte, on the real server."""

import sqlite3
import uuid
from pathlib import Path

import pytest

import requests_shim as http
from support import LiveServer


@pytest.fixture
def sqlite_server(tmp_path):
    path = tmp_path / "erasure.sqlite3"
    server = LiveServer(tmp_path / "live-instance", f"sqlite:///{path}")
    server.start()
    server.db_path = path
    yield server
    server.stop()
    server.close_clients()


def _file_bytes(path: Path) -> bytes:
    out = b""
    for p in (path, Path(str(path) + "-wal")):
        if p.exists():
            out += p.read_bytes()
    return out


def _fill(server, marker: str):
    """An atelier holding ``marker`` in its title, a name, a note, a codev
    text and a live-map actor."""
    atelier = server.create_atelier(title=f"Titre {marker}")
    fac = server.facilitator(atelier)
    phone = server.participant(atelier, f"Nom{marker[:8]}")
    prompt = fac.call("board:prompt:create", {"text": f"Question {marker}"})["data"]
    note = {"client_id": str(uuid.uuid4()), "prompt_id": prompt["id"], "text": f"Note {marker}"}
    assert phone.call("board:note:create", note)["ok"]
    group = fac.call("codev:group:create", {"name": f"Groupe {marker}", "colour": "bleu"})
    assert group["ok"], group
    actor = fac.call(
        "livemap:actor:add",
        {"name": f"Acteur {marker}", "kind": "association", "client_id": str(uuid.uuid4())},
    )
    assert actor["ok"], actor
    return atelier


def test_deleted_atelier_leaves_no_text_in_the_database_or_its_log(sqlite_server):
    server = sqlite_server
    old, kept = "Zygomorphe" + uuid.uuid4().hex[:8], "Conserve" + uuid.uuid4().hex[:8]
    gone = _fill(server, old)
    _fill(server, kept)
    # Part of the texts in the database file itself, part only in the log.
    with sqlite3.connect(server.db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    later = server.facilitator(gone)
    assert later.call("board:prompt:create", {"text": f"Tard {old}"})["ok"]
    before = _file_bytes(server.db_path)
    assert old.encode() in before and kept.encode() in before
    assert Path(str(server.db_path) + "-wal").stat().st_size > 0

    status, body = http.post_json(
        server.url + f"/a/{gone['code']}/console/{gone['secret']}/delete",
        {"confirm": gone["code"]},
    )
    assert status == 200 and body["ok"], body

    # The server still runs, its connections open: already nothing left.
    after = _file_bytes(server.db_path)
    assert old.encode() not in after, "a deleted text is still in the files"
    assert old.encode("utf-16-le") not in after
    assert kept.encode() in after  # the other atelier is untouched
    wal = Path(str(server.db_path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    server.stop()
    assert old.encode() not in _file_bytes(server.db_path)
    assert kept.encode() in _file_bytes(server.db_path)
