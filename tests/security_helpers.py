"""Helpers of the security tests: the protocol as documented, a world of two
ateliers with real data, Socket.IO test clients per role, and row dumps.

Everything here is generic: events and their payloads come from their
declarations (``workshop.domain.contracts.CONTRACTS``, the handlers
registered in ``workshop.realtime.EVENTS``), routes from the app's
``url_map`` and the entries of ``docs/protocol.md``, tables from the database
itself (reflection), so that what a capability adds later is covered without
editing these tests.
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLE_NAMES = {"facilitator", "participant", "projector", "public"}

# The roles of the authorization matrix (who sends, relative to atelier A).
MATRIX_ROLES = (
    "facilitator_here",
    "participant_here",
    "projector_here",
    "participant_other",
    "facilitator_other",
    "stranger",
)
# matrix role -> protocol role
PROTOCOL_ROLE = {
    "facilitator_here": "facilitator",
    "participant_here": "participant",
    "projector_here": "projector",
    "participant_other": "participant",
    "facilitator_other": "facilitator",
    "stranger": None,
}


# ---------------------------------------------------------------- the protocol


@dataclass
class Entry:
    name: str
    roles: set = field(default_factory=set)
    body: str = ""

    @property
    def is_http(self) -> bool:
        return bool(re.match(r"^[A-Z]+ /", self.name))

    def quoted(self) -> list[str]:
        """The ``"words"`` of the entry (payload keys and enumerated values)."""
        return sorted(set(re.findall(r'"([A-Za-z_][A-Za-z0-9_]*)"', self.body)))

    def backticked(self) -> list[str]:
        return sorted(set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", self.body)))


def protocol_files() -> list[Path]:
    """The protocol document(s) the security tests read."""
    return [ROOT / "docs" / "protocol.md"]


def parse_protocol() -> dict[str, Entry]:
    """``{heading: Entry}`` of every ``### `…` `` entry (protocol.md first)."""
    entries: dict[str, Entry] = {}
    for path in protocol_files():
        if not path.exists():
            continue
        current = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^### `([^`]+)`\s*$", line)
            if m:
                name = m.group(1)
                current = entries.setdefault(name, Entry(name)) if name not in entries else None
                continue
            if line.startswith("#"):
                current = None
                continue
            if current is None:
                continue
            current.body += line + "\n"
            m = re.match(r"^- (?:Rôles|Roles) ?: (.+)$", line)
            if m and not current.roles:
                current.roles = {w for w in re.findall(r"[a-z]+", m.group(1)) if w in ROLE_NAMES}
    return entries


_REGISTERED: dict = {}


def registered_events() -> dict:
    """``workshop.realtime.EVENTS`` as the app registers them (an app is built
    once, on a throwaway database, so that test collection sees every event)."""
    from workshop.realtime import EVENTS

    if not _REGISTERED:
        import tempfile

        from workshop import create_app

        tmp = Path(tempfile.mkdtemp(prefix="workshop-events-"))
        app = create_app(
            {
                "INSTANCE_PATH": tmp / "instance",
                "DATABASE_URL": f"sqlite:///{tmp / 'events.sqlite3'}",
                "SECRET_KEY": "collect",
                "TESTING": True,
                "BROADCAST_WINDOW_MS": 0,
            }
        )
        app.extensions["workshop_db"].dispose()
        _REGISTERED.update(EVENTS)
    return EVENTS


def declared_events() -> dict:
    """``{name: Contract}`` of every registered event (the matrix's rows):
    its roles and fields come from its declaration."""
    from workshop.domain.contracts import CONTRACTS

    events = registered_events()
    return {n: CONTRACTS[n] for n in sorted(events) if n in CONTRACTS}


def vocabulary() -> list[str]:
    """Every field name of the declarations and every field-like word of the
    protocol documents (for fuzzing keys)."""
    from workshop.domain.contracts import CONTRACTS

    words = {k for c in CONTRACTS.values() for k in c.fields}
    for path in protocol_files():
        if path.exists():
            text = path.read_text(encoding="utf-8")
            words.update(re.findall(r'"([A-Za-z_][A-Za-z0-9_]*)"', text))
            words.update(re.findall(r"`([a-z_][a-z0-9_]*)`", text))
    return sorted(words)


# ---------------------------------------------------------------- rows of an atelier


_META: dict = {}


def dump(app_or_engine, atelier_id: int) -> dict:
    """Every row of the atelier, canonical: the rows of each table (found by
    reflection) with its ``atelier_id``, the atelier's own row, and whole
    tables without an ``atelier_id`` column. The saved modèles an atelier
    owns are its rows (only it may replace or delete them)."""
    from sqlalchemy import MetaData, select

    engine = getattr(app_or_engine, "extensions", None)
    engine = engine["workshop_db"].engine if engine else app_or_engine
    meta = _META.get(engine.url)
    if meta is None:
        meta = MetaData()
        meta.reflect(bind=engine)
        _META[engine.url] = meta
    out = {}
    with engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            if name == "alembic_version":
                continue
            if name == "atelier":
                query = select(table).where(table.c.id == atelier_id)
            elif "atelier_id" in table.c:
                query = select(table).where(table.c.atelier_id == atelier_id)
            else:
                query = select(table)
            found = [dict(r) for r in conn.execute(query).mappings()]
            if found:
                out[name] = sorted(json.dumps(r, sort_keys=True, default=repr) for r in found)
    return out


def ids_in(rows: dict) -> dict[str, list[int]]:
    """``{table: [ids]}`` of a dump."""
    out = {}
    for table, found in rows.items():
        out[table] = sorted(
            json.loads(r)["id"] for r in found if isinstance(json.loads(r).get("id"), int)
        )
    return out


def client_ids_in(rows: dict) -> list[str]:
    out = set()
    for found in rows.values():
        for r in found:
            v = json.loads(r).get("client_id")
            if isinstance(v, str):
                out.add(v)
    return sorted(out)


def private_strings(rows: dict, exclude: dict, min_len: int = 16) -> set[str]:
    """Long texts of an atelier's rows (not in ``exclude``): if one shows in an
    answer to someone of another atelier, data has leaked."""
    from workshop.gdpr.data import redacted

    def strings(d):
        found = set()
        for rs in d.values():
            for r in rs:
                for k, v in json.loads(r).items():
                    if not redacted(k) and not k.endswith("_at"):
                        found |= texts_in(v, min_len)
        return found

    # title and place are shown to anyone with the code; the saved modèles'
    # names and titles, to every console (see listed_to_every_console)
    public = {"atelier"}
    return strings({t: r for t, r in rows.items() if t not in public}) - strings(exclude)


def texts_in(value, min_len: int = 16) -> set[str]:
    """The long texts (with a space) anywhere in ``value``, JSON columns and
    payloads included.

    >>> sorted(texts_in({"a": ["Texte assez long ici", 3], "b": "court"}))
    ['Texte assez long ici']
    """
    if isinstance(value, str):
        return {value} if len(value) >= min_len and " " in value else set()
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(texts_in(v, min_len) for v in value))
    return set()


def listed_to_every_console(app) -> set[str]:
    """The names and titles of every saved modèle of the installation: every
    console's snapshot lists them, whichever atelier saved them, so an atelier
    whose texts happen to match one has not leaked."""
    from sqlalchemy import select

    from workshop.deroule.models import DerouleModele

    with app.extensions["workshop_db"].session() as s:
        rows = s.scalars(select(DerouleModele)).all()
        return {m.name for m in rows} | {(m.document or {}).get("title", "") for m in rows}


def fk_targets(app) -> dict[str, str]:
    """``{column name: referenced table}`` for every foreign key column."""
    from sqlalchemy import MetaData

    meta = MetaData()
    with app.extensions["workshop_db"].engine.connect() as conn:
        meta.reflect(bind=conn)
    out = {}
    for table in meta.tables.values():
        for fk in table.foreign_keys:
            out.setdefault(fk.parent.name, fk.column.table.name)
    return out


def is_id_key(key: str) -> bool:
    return key == "id" or key.endswith("_id") and key != "client_id"


def candidate_ids(key: str, ids: dict[str, list[int]], fks: dict[str, str]) -> list[int]:
    """Real ids of the atelier a field named ``key`` may designate."""
    table = fks.get(key)
    if table and ids.get(table):
        return ids[table]
    stem = key[: -len("_id")] if key.endswith("_id") else key
    matching = [t for t in ids if t == stem or t.endswith("_" + stem)]
    if matching:
        return sorted({i for t in matching for i in ids[t]})
    return sorted({i for found in ids.values() for i in found})


# ---------------------------------------------------------------- the world


class World:
    """Atelier A (filled by every capability's demo loader, plus one
    participant) and atelier B (one participant), and a Socket.IO test client
    for each role of the matrix."""

    SECRET_CACHE: dict = {}

    def __init__(self, app):
        from workshop.extensions import socketio

        self.app = app
        self.socketio = socketio
        self.http = app.test_client()
        self.a = self._create("Atelier A : sécurité des échanges")
        self.b = self._create("Atelier B : autre groupe")
        self._load_demo(self.a["atelier"]["id"])
        self.tokens = {}
        self.participants = {}
        self.sockets: dict = {}
        self.rows_b_seed()
        self.fks = fk_targets(app)

    # --- setup
    def _create(self, title):
        res = self.http.post("/api/ateliers", json={"title": title, "allow_anonymous": True})
        assert res.status_code == 201, res.json
        return res.json

    def _load_demo(self, atelier_id):
        from workshop.models import Atelier

        with self.app.extensions["workshop_db"].session() as s:
            atelier = s.get(Atelier, atelier_id)
            for cap in self.app.extensions["workshop_capabilities"]:
                if cap.demo:
                    cap.demo(s, atelier)
            # a saved modèle of A's: every console lists it, only A may change it
            from workshop.deroule import service as deroule_service

            deroule_service.save_modele(s, atelier, f"Modèle de l’atelier {atelier_id}")

    def join(self, which: str, name: str = "Awa"):
        code = self.atelier(which)["code"]
        res = self.http.post(f"/api/ateliers/{code}/participants", json={"name": name})
        assert res.status_code == 201, res.json
        return res.json

    def rows_b_seed(self):
        """B gets something of its own through its facilitator (so its ids differ)."""
        sock = self.socket("facilitator_other")
        sock.emit("board:prompt:create", {"text": "Question de B"}, callback=True)
        sock.get_received()

    def atelier(self, which: str) -> dict:
        return self.a if which == "a" else self.b

    @property
    def a_id(self) -> int:
        return self.a["atelier"]["id"]

    @property
    def b_id(self) -> int:
        return self.b["atelier"]["id"]

    # --- sockets
    def auth(self, role: str) -> dict | None:
        a, b = self.a, self.b
        if role == "facilitator_here":
            return {"role": "facilitator", "code": a["code"], "secret": a["secret"]}
        if role == "facilitator_other":
            return {"role": "facilitator", "code": b["code"], "secret": b["secret"]}
        if role == "projector_here":
            return {"role": "projector", "code": a["code"]}
        if role in ("participant_here", "participant_other"):
            which = "a" if role == "participant_here" else "b"
            if role not in self.tokens:
                joined = self.join(which, "Awa" if which == "a" else "Bruno")
                self.tokens[role] = joined["token"]
                self.participants[role] = joined["participant"]
            return {
                "role": "participant",
                "code": self.atelier(which)["code"],
                "token": self.tokens[role],
            }
        raise ValueError(role)

    def socket(self, role: str):
        """A connected test client for ``role`` (reconnected when needed)."""
        from workshop.realtime import IDENTITIES

        sock = self.sockets.get(role)
        if sock is not None and sock.is_connected() and self.sid(sock) in IDENTITIES:
            return sock
        sock = self.socketio.test_client(self.app, auth=self.auth(role))
        assert sock.is_connected(), (role, sock.get_received())
        sock.get_received()
        self.sockets[role] = sock
        return sock

    def sid(self, sock) -> str | None:
        return self.socketio.server.manager.sid_from_eio_sid(sock.eio_sid, "/")

    def emit(self, role: str, name: str, *args):
        sock = self.socket(role)
        ack = sock.emit(name, *args, callback=True)
        sock.queue.clear()
        return ack

    def restore(self):
        """Undo what an allowed command may have changed that would stop the
        next ones: atelier open, console secrets as known, participants back."""
        from workshop.domain.codes import hash_secret
        from workshop.models import Atelier, Participant

        with self.app.extensions["workshop_db"].session() as s:
            for which in ("a", "b"):
                at = self.atelier(which)
                row = s.get(Atelier, at["atelier"]["id"])
                if row.status != "open":
                    row.status = "open"
                if row.console_secret_hash != hash_secret(at["secret"]):
                    row.console_secret_hash = hash_secret(at["secret"])
            for p in self.participants.values():
                row = s.get(Participant, p["id"])
                if row.removed:
                    row.removed = False
        from workshop.realtime import IDENTITIES

        for role, sock in list(self.sockets.items()):
            ident = IDENTITIES.get(self.sid(sock))
            if ident is not None and ident.secret_hash:
                at = self.a if role == "facilitator_here" else self.b
                ident.secret_hash = hash_secret(at["secret"])

    def close(self):
        for sock in self.sockets.values():
            if sock.is_connected():
                sock.disconnect()


# ---------------------------------------------------------------- payloads


def payload_keys(contract) -> list[str]:
    """The payload keys of an event: the fields of its declaration."""
    return list(contract.fields)


def value_for(key: str, contract, row: dict | None = None):
    """A plausible value for ``key`` of ``contract``: from the targeted row
    (its ``version``, its text…) when of the declared type, else a valid
    value of the field's type."""
    from workshop.domain import contracts as C

    spec = contract.fields[key]
    if row is not None and key in row and not is_id_key(key):
        try:
            return spec.check(row[key], key)
        except Exception:  # noqa: BLE001 - a stored value of another shape
            pass
    if isinstance(spec, C.ClientId):
        return str(uuid.uuid4())
    if isinstance(spec, C.Str):
        return "Texte <b>de</b> test"[: spec.max_length]
    if isinstance(spec, C.Int):
        return max(spec.low, min(1, spec.high))
    if isinstance(spec, C.List):
        return []
    return spec.example()


def _rows_by_id(rows: dict) -> dict:
    out = {}
    for table, found in rows.items():
        for r in found:
            d = json.loads(r)
            if isinstance(d.get("id"), int):
                out[(table, d["id"])] = d
    return out


def targeted_payloads(entry, rows: dict, fks: dict, per_key: int = 4):
    """Payloads aimed at the real objects of an atelier (``rows``: its dump):
    the entry's id keys set to real ids (sampled), ``version`` keys to the
    targeted rows' versions, ``client_id`` to its client ids; alone, with
    each other key, and with every declared key (``entry``: the event's
    declaration)."""
    ids = ids_in(rows)
    by_id = _rows_by_id(rows)
    from workshop.domain.contracts import Id

    keys = payload_keys(entry)
    id_keys = [k for k in keys if isinstance(entry.fields[k], Id)]
    others = [k for k in keys if k not in id_keys]
    choices = []
    for k in id_keys:
        table = fks.get(k)
        cands = candidate_ids(k, ids, fks)
        if len(cands) > per_key:
            step = max(1, len(cands) // per_key)
            cands = cands[::step][:per_key]
        choices.append((k, table, cands))
    payloads = [{}]
    n = max((len(c) for _, _, c in choices), default=1)
    for i in range(n):
        base, row = {}, None
        for k, table, cands in choices:
            if cands:
                base[k] = cands[i % len(cands)]
                found = by_id.get((table, base[k])) if table else None
                if found is None:
                    found = next((r for (t, j), r in by_id.items() if j == base[k]), None)
                row = row or found
                stem = k[: -len("_id")] if k.endswith("_id") else ""
                if stem and f"{stem}_version" in others and found:
                    base[f"{stem}_version"] = found.get("version", 1)
        extra = {k: value_for(k, entry, row) for k in others if k not in base}
        payloads.append(base)
        payloads.append({**extra, **base})
        if i == 0:
            payloads.extend({**base, k: v} for k, v in extra.items())
    for cid in client_ids_in(rows)[:: max(1, len(client_ids_in(rows)) // per_key or 1)][:per_key]:
        first = {k: c[0] for k, _, c in choices if c}
        extra = {k: value_for(k, entry) for k in others}
        payloads.append({**extra, **first, "client_id": cid})
    return payloads


def build_world(request, tmp_path_factory):
    """For a module-scoped fixture parametrized over the databases."""
    from workshop import create_app

    tmp = tmp_path_factory.mktemp("security")
    if request.param == "postgres":
        url = request.getfixturevalue("_postgres_url")
    else:
        url = f"sqlite:///{tmp / 'security.sqlite3'}"
    app = create_app(
        {
            "INSTANCE_PATH": tmp / "instance",
            "DATABASE_URL": url,
            "SECRET_KEY": "security-secret",
            "TESTING": True,
            "BROADCAST_WINDOW_MS": 0,
            "RATE_LIMITS": False,
        }
    )
    world = World(app)
    return world


def ack_ok_or_documented(ack) -> str | None:
    """``None`` when the ack is ``{"ok": true, "data"}`` or a documented error
    code other than ``internal``; otherwise what is wrong."""
    from workshop.messages import MESSAGES

    if not isinstance(ack, dict):
        return f"ack is not an object: {ack!r}"[:300]
    if ack.get("ok") is True:
        return None if "data" in ack else f"ok ack without data: {ack!r}"[:300]
    code = ack.get("error")
    if code == "internal":
        return "internal error"
    if code not in MESSAGES:
        return f"undocumented error code {code!r}"
    if not isinstance(ack.get("message"), str) or not ack["message"]:
        return f"error without a message: {ack!r}"[:300]
    return None
