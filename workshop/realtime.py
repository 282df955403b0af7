"""Socket.IO glue shared by every capability.

* :class:`Identity`: who a socket is (facilitator, participant, projector) in
  which atelier. It is fixed at connect time from the handshake ``auth``.
* :func:`event`: the decorator for client events. It checks the role, the
  payload shape and size and the rate limit, opens a database unit of work,
  commits it, then broadcasts what the handler queued, and finally returns the
  ack ``{"ok": true, "data": …}`` or ``{"ok": false, "error", "message"}``.
  A handler never sends a traceback to a client and never dies.
* Rooms: ``room(atelier_id, audience)`` with the audiences ``all``,
  ``facilitator``, ``projector``, ``participant``; ``participant_room(pid)``
  for all the devices of one participant.
* :func:`register_snapshot_part`: each capability adds its part of the state
  sent on every connect and reconnect.
"""

import json
import logging
import re
import time
from contextlib import nullcontext
from dataclasses import dataclass, field

from flask import current_app, request
from sqlalchemy import bindparam, select

from .domain import declared  # noqa: F401  (every event's declaration)
from .domain.contracts import CONTRACTS
from .domain.errors import DomainError
from .domain.ratelimit import RateLimiter
from .extensions import MAX_SOCKET_MESSAGE, socketio
from .messages import error_payload, refusal

log = logging.getLogger("workshop.realtime")

ROLES = ("facilitator", "participant", "projector")
AUDIENCES = ("all", "facilitator", "projector", "participant")


@dataclass
class Identity:
    role: str
    atelier_id: int
    code: str
    locale: str = "fr"
    participant_id: int | None = None
    name: str | None = None
    # Facilitator: hash of the console secret used to connect (rotation check).
    secret_hash: str | None = None


# sid -> Identity, for the sockets of this process.
IDENTITIES: dict[str, Identity] = {}
# Every registered client event: name -> metadata (documented in protocol.md).
EVENTS: dict[str, dict] = {}
SNAPSHOT_PARTS: list = []
# fn(identity, sid) called on each connect, after the atelier rooms are joined.
CONNECT_HOOKS: list = []

participant_limiter = RateLimiter(rate=8.0, burst=20)
# Every event of one socket, reads included and whatever its role (a
# projection needs no secret): a flooding client is answered "rate_limited"
# before any database work, so that it does not slow the others down. A read
# (a whole snapshot) costs ten writes: 2 a second, 6 at once.
socket_limiter = RateLimiter(rate=20.0, burst=60)


def room(atelier_id: int, audience: str = "all") -> str:
    assert audience in AUDIENCES
    return f"atelier:{atelier_id}:{audience}"


def participant_room(participant_id: int) -> str:
    return f"participant:{participant_id}"


def rooms_may_share_a_socket(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether a socket may be in one of the rooms ``a`` and in one of the
    rooms ``b``: the broadcaster groups messages across rooms that may not
    (:func:`workshop.broadcast.coalesce`), and keeps the order otherwise.

    An atelier's audience rooms share sockets with its ``all`` room only; a
    participant's own room is kept apart from the audience rooms: within one
    flush, what is sent to one participant alone and what is sent to a whole
    audience may cross (docs/protocol.md, ``batch``). Other rooms (a
    capability's, such as a codev group's) may share sockets with any.

    >>> rooms_may_share_a_socket(("atelier:1:projector",), ("atelier:1:all",))
    True
    >>> rooms_may_share_a_socket(("atelier:1:projector",), ("atelier:1:facilitator",))
    False
    >>> rooms_may_share_a_socket(("participant:4",), ("atelier:1:participant",))
    False
    >>> rooms_may_share_a_socket(("codev:2",), ("atelier:1:participant",))
    True
    """
    return any(_may_share(x, y) for x in a for y in b)


def _room_kind(parts: list[str]) -> str | None:
    if len(parts) == 3 and parts[0] == "atelier":
        return "atelier"
    if len(parts) == 2 and parts[0] == "participant":
        return "participant"
    return None


def _may_share(x: str, y: str) -> bool:
    if x == y:
        return True
    px, py = x.split(":"), y.split(":")
    kx, ky = _room_kind(px), _room_kind(py)
    if kx is None or ky is None:
        return True
    if kx == ky == "atelier":
        return px[1] == py[1] and "all" in (px[2], py[2])
    return False  # two participants' rooms, or one and an audience room


def broadcaster():
    return current_app.extensions["workshop_broadcaster"]


def broadcast(atelier_id: int, items) -> None:
    """Send ``[(event, data, rooms)]`` of an atelier through the broadcaster,
    outside of an event (an HTTP route, a connect): call it after the commit
    of what they show."""
    broadcaster().submit(items, key=atelier_id)


def current_identity() -> Identity | None:
    return IDENTITIES.get(request.sid)


def database():
    return current_app.extensions["workshop_db"]


def now_ms() -> int:
    return int(time.time() * 1000)


def register_snapshot_part(name: str, builder) -> None:
    """``builder(session, atelier, identity) -> JSON-able`` or ``None`` to omit."""
    SNAPSHOT_PARTS.append((name, builder))


def register_connect_hook(fn) -> None:
    """``fn(identity, sid)`` runs on every connect (e.g. to join a group's room)."""
    CONNECT_HOOKS.append(fn)


def build_snapshot(s, atelier, identity: Identity) -> dict:
    snap = {"server_time": now_ms(), "atelier": atelier.public_dict(), "me": _me(identity)}
    for name, builder in SNAPSHOT_PARTS:
        try:
            part = builder(s, atelier, identity)
        except Exception:
            # One broken part must not refuse every connection: the others
            # still arrive, and the client shows this part as unavailable.
            log.exception("snapshot part %s failed", name)
            part = {"error": "internal"}
        if part is not None:
            snap[name] = part
    return snap


def _me(identity: Identity) -> dict:
    return {
        "role": identity.role,
        "participant_id": identity.participant_id,
        "name": identity.name,
    }


@dataclass
class EventContext:
    """What a handler gets: its identity, the open session, an emit queue."""

    identity: Identity
    session: object
    sid: str
    _emits: list = field(default_factory=list)
    _atelier: object = None
    _participant: object = None

    @property
    def atelier(self):
        if self._atelier is None:
            from .models import Atelier

            self._atelier = self.session.get(Atelier, self.identity.atelier_id)
            if self._atelier is None:
                raise DomainError("atelier_not_found")
        return self._atelier

    @property
    def participant(self):
        if self._participant is None and self.identity.participant_id is not None:
            from .models import Participant

            self._participant = self.session.get(Participant, self.identity.participant_id)
        return self._participant

    @property
    def is_facilitator(self) -> bool:
        return self.identity.role == "facilitator"

    def emit(self, event: str, data, audience: str = "all", *, to: str | None = None):
        """Queue a broadcast, sent only once the unit of work is committed."""
        target = to or room(self.identity.atelier_id, audience)
        self._emits.append((event, data, target))

    def emit_to_participant(self, participant_id: int, event: str, data):
        self._emits.append((event, data, participant_room(participant_id)))

    def flush(self):
        # The same event with the same data object queued for several rooms
        # goes out as one emit to the list of rooms: encoded once, one
        # message-queue publish. Then the broadcaster sends (and, under load,
        # coalesces) them in this order.
        batches: list = []
        for event_name, data, target in self._emits:
            if batches and batches[-1][0] == event_name and batches[-1][1] is data:
                batches[-1][2].append(target)
            else:
                batches.append((event_name, data, [target]))
        self._emits.clear()
        broadcaster().submit(batches, key=self.identity.atelier_id)


def _payload_size(payload) -> int:
    try:
        return len(json.dumps(payload, ensure_ascii=False))
    except (TypeError, ValueError):
        return MAX_SOCKET_MESSAGE + 1


def event(name: str):
    """Register the handler ``fn(ctx, args) -> ack data`` of a declared client event.

    The event's declaration (``workshop.domain.contracts.declare``) gives who
    may send it, whether it writes (a participant's writes are refused once
    the atelier is closed, and are rate limited) and its fields: the handler
    receives ``args``, the payload checked and typed
    (:class:`~workshop.domain.contracts.Payload`). Unknown fields, wrong
    types, missing fields, out-of-range numbers and oversized strings are
    refused before the handler runs, with nothing changed.

    Every event is declared (``workshop/domain/declared/``): registering a
    handler for an undeclared name is a programming error.
    """
    contract = CONTRACTS.get(name)
    if contract is None:
        raise LookupError(f"event {name!r} has no declaration in workshop/domain/declared/")
    roles, writes = contract.roles, contract.writes

    def decorator(fn):
        EVENTS[name] = {
            "roles": roles,
            "writes": writes,
            "doc": contract.doc or fn.__doc__,
            "contract": contract,
        }

        def handler(payload=None, *extra):
            identity = IDENTITIES.get(request.sid)
            if identity is None:
                return error_payload("not_connected")
            locale = identity.locale
            try:
                # (the socket's own rate limit was applied by the gate, below)
                if identity.role not in roles:
                    raise DomainError("forbidden")
                if extra:  # one payload object, not several arguments
                    raise DomainError("invalid_payload", field="payload", reason="type")
                if _payload_size(payload) > MAX_SOCKET_MESSAGE:
                    raise DomainError("payload_too_large")
                args = contract.parse(payload)
                if (
                    writes
                    and identity.role == "participant"
                    and current_app.config.get("RATE_LIMITS", True)
                    and not participant_limiter.allow(identity.participant_id)
                ):
                    raise DomainError("rate_limited")
                db = database()
                with db.session(write=False) as s:
                    ctx = EventContext(identity=identity, session=s, sid=request.sid)
                    # Read-only checks first: other writers need not wait for them.
                    _check_still_allowed(ctx, writes)
                    with db.writing(s) if writes else nullcontext():
                        result = fn(ctx, args)
                        s.commit()
                        # Queued before the next writer can commit: the
                        # broadcasts of an atelier keep the commit order.
                        ctx.flush()
                return {"ok": True, "data": result}
            except DomainError as err:
                return error_payload(err, locale)
            except Exception:
                log.exception("event %s failed", name)
                return error_payload("internal", locale)

        handler.__name__ = f"on_{name.replace(':', '_')}"
        socketio.on_event(name, handler)
        return fn

    return decorator


_ATELIER_AND_PARTICIPANT = None


def install_client_order(server) -> dict:
    """Handle each client's events one after the other, in the order it sent
    them, and different clients' events side by side.

    python-socketio either runs every event in a task of its own, where two
    events of one client may overtake each other (on PostgreSQL a "next"
    sent a few ms after a "start" was once checked first, and refused), or
    runs them in the connection's reader, in order but a quarter slower in a
    burst of notes from 300 phones (docs/PERFORMANCE.md). Here an event of a
    client with nothing running gets a task at once, as before; an event
    that arrives while one of the same client is being handled waits in
    that client's lane, and the lane's task takes it next.

    ``server`` (python-socketio's) must have ``async_handlers`` off: its
    ``_handle_event`` then handles the event in the caller, the lane's task.
    Installed under gevent; in threading mode each connection has a thread
    of its own, which handles its events in order. Returns the lanes (a
    client's events not yet handled, by Engine.IO session id).
    """
    import threading
    from collections import deque

    inner = server._handle_event
    lanes: dict[str, deque] = {}
    lock = threading.Lock()

    def run(eio_sid, lane):
        while True:
            try:
                inner(*lane[0])
            except Exception:  # the lane must go on, whatever happens
                log.exception("an event of %s failed", eio_sid)
            with lock:
                lane.popleft()
                if not lane:
                    del lanes[eio_sid]
                    return

    def ordered(eio_sid, namespace, id, data):
        item = (eio_sid, namespace, id, data)
        with lock:
            lane = lanes.get(eio_sid)
            if lane is not None:
                lane.append(item)  # its task takes it after the one running
                return
            lane = lanes[eio_sid] = deque([item])
        server.start_background_task(run, eio_sid, lane)

    server._handle_event = ordered
    return lanes


def install_gate(server, app) -> None:
    """Apply each socket's rate limit before anything else is done for an
    event: a refused event costs the packet's decoding and one bucket, not a
    greenlet, a Flask request context and a handler (measured: a client
    flooding at 1,000 events a second, docs/PERFORMANCE.md).

    ``server`` is the python-socketio server of this app: its event dispatch
    (``_handle_event``, called for every decoded event packet) is wrapped.
    A refused event is answered ``rate_limited`` if it asked for an ack,
    exactly as a handler would.
    """
    from socketio import packet as sio_packet

    inner = server._handle_event
    limits_on = app.config.get("RATE_LIMITS", True)

    def gate(eio_sid, namespace, id, data):
        if limits_on and isinstance(data, list) and data:
            namespace = namespace or "/"
            sid = server.manager.sid_from_eio_sid(eio_sid, namespace)
            spec = EVENTS.get(data[0]) if isinstance(data[0], str) else None
            cost = 10.0 if spec is not None and not spec["writes"] else 1.0
            if sid is not None and not socket_limiter.allow(sid, cost):
                if id is not None:
                    identity = IDENTITIES.get(sid)
                    ack = refusal("rate_limited", identity.locale if identity else None, app)
                    server._send_packet(
                        eio_sid,
                        server.packet_class(sio_packet.ACK, namespace=namespace, id=id, data=[ack]),
                    )
                return None
        return inner(eio_sid, namespace, id, data)

    server._handle_event = gate
    _install_packet_gate(server, app)


# The ack id of an EVENT packet ("2", attachments, namespace, id), read from
# the raw text when the rest of the packet cannot be decoded.
_RAW_ACK_ID = re.compile(r"^2(?:/[^,]{0,200},)?(\d{1,100})")


def _install_packet_gate(server, app) -> None:
    """Answer packets that cannot be decoded cleanly, before python-socketio
    sees them: invalid JSON, nesting too deep for the decoder, an EVENT whose
    data is not ``[name: str, …]`` (``42[]``, ``42{}``, ``42[1]``), an
    unknown packet type. Such a packet gets the ack ``invalid_payload`` when
    it carries an ack id, and is otherwise dropped; either way the server
    logs one line, never a traceback, and the connection stays open.

    ``server._handle_eio_message`` (python-socketio's dispatch of every
    Engine.IO message) is wrapped; a valid EVENT is dispatched as it would
    have been (through the rate-limit gate above).
    """
    from socketio import packet as sio_packet

    inner = server._handle_eio_message

    def answer(eio_sid, namespace, ack_id, why):
        log.info("undecodable packet from %s: %s", eio_sid, why)
        if ack_id is None:
            return
        namespace = namespace or "/"
        sid = server.manager.sid_from_eio_sid(eio_sid, namespace)
        identity = IDENTITIES.get(sid) if sid else None
        ack = refusal("invalid_payload", identity.locale if identity else None, app)
        server._send_packet(
            eio_sid,
            server.packet_class(sio_packet.ACK, namespace=namespace, id=ack_id, data=[ack]),
        )

    def message_gate(eio_sid, data):
        if not isinstance(data, str) or eio_sid in server._binary_packet:
            return inner(eio_sid, data)  # binary attachments: python-socketio's own path
        try:
            pkt = server.packet_class(encoded_packet=data)
        except (ValueError, TypeError, RecursionError, MemoryError) as err:
            m = _RAW_ACK_ID.match(data)
            return answer(eio_sid, None, int(m.group(1)) if m else None, type(err).__name__)
        if pkt.packet_type == sio_packet.EVENT:
            if not (pkt.data and isinstance(pkt.data, list) and isinstance(pkt.data[0], str)):
                return answer(eio_sid, pkt.namespace, pkt.id, "event without a name")
            return server._handle_event(eio_sid, pkt.namespace, pkt.id, pkt.data)
        try:
            return inner(eio_sid, data)
        except (ValueError, TypeError, RecursionError) as err:
            return answer(eio_sid, pkt.namespace, None, f"{type(err).__name__}: {err}"[:200])

    server._handle_eio_message = message_gate
    server.eio.on("message", message_gate)


def _check_still_allowed(ctx: EventContext, writes: bool) -> None:
    """Re-check against the database: the atelier may be closed, the
    participant removed, since the socket connected (maybe on another process)."""
    if ctx.identity.participant_id is not None and ctx._atelier is None:
        from .models import Atelier, Participant

        # One query for both rows (this runs before every event), built once.
        global _ATELIER_AND_PARTICIPANT
        if _ATELIER_AND_PARTICIPANT is None:
            _ATELIER_AND_PARTICIPANT = (
                select(Atelier, Participant)
                .join(Participant, Participant.atelier_id == Atelier.id)
                .where(Atelier.id == bindparam("aid"))
                .where(Participant.id == bindparam("pid"))
            )
        row = ctx.session.execute(
            _ATELIER_AND_PARTICIPANT,
            {"aid": ctx.identity.atelier_id, "pid": ctx.identity.participant_id},
        ).first()
        if row is not None:
            ctx._atelier, ctx._participant = row
    atelier = ctx.atelier
    if ctx.identity.secret_hash and ctx.identity.secret_hash != atelier.console_secret_hash:
        raise DomainError("bad_secret")  # the console link was changed meanwhile
    if ctx.identity.role == "participant":
        p = ctx.participant
        if p is None or p.removed:
            raise DomainError("bad_token")
        if writes and atelier.status == "closed":
            raise DomainError("atelier_closed")
