"""Who is connected right now.

Counts each participant once however many tabs or devices they have open.

* :class:`MemoryPresence`: one process (the default, and the laptop mode).
* :class:`RedisPresence`: several app processes behind a balancer, sharing a
  Redis (the same one as the Socket.IO message queue). Each process ("node")
  publishes its own sockets under its own name and keeps a heartbeat key with
  a time-to-live. The counts are the union over the *live* nodes only, so a
  process killed without warning (SIGKILL, power cut) stops being counted
  once its heartbeat expires, and any live node then wipes its entries.
  Redis being down never breaks an event handler: the node falls back to its
  own sockets, and when Redis comes back it republishes them and sends a
  fresh snapshot to each of its clients (what they missed from the other
  processes during the outage).
"""

import contextlib
import logging
import threading
import time
from collections import defaultdict

log = logging.getLogger("workshop.presence")


class MemoryPresence:
    def __init__(self):
        self._lock = threading.Lock()
        # atelier_id -> participant_id -> number of sockets
        self._by_atelier: dict[int, dict[int, int]] = defaultdict(dict)

    def add(self, atelier_id: int, participant_id: int) -> bool:
        """Record a socket; True when the participant just came online."""
        with self._lock:
            members = self._by_atelier[atelier_id]
            members[participant_id] = members.get(participant_id, 0) + 1
            return members[participant_id] == 1

    def remove(self, atelier_id: int, participant_id: int) -> bool:
        """Forget a socket; True when the participant just went offline."""
        with self._lock:
            members = self._by_atelier.get(atelier_id, {})
            n = members.get(participant_id, 0) - 1
            if n <= 0:
                members.pop(participant_id, None)
                if not members:
                    self._by_atelier.pop(atelier_id, None)
                return True
            members[participant_id] = n
            return False

    def online(self, atelier_id: int) -> set[int]:
        with self._lock:
            return set(self._by_atelier.get(atelier_id, {}))

    def count(self, atelier_id: int) -> int:
        with self._lock:
            return len(self._by_atelier.get(atelier_id, {}))

    def items(self) -> dict[int, dict[int, int]]:
        with self._lock:
            return {a: dict(m) for a, m in self._by_atelier.items()}


class RedisPresence:
    """Presence shared by several processes through Redis.

    Keys (``<p>`` is ``workshop:<channel>:presence``):

    * ``<p>:a:<atelier>``: hash ``<node>:<participant>`` → socket count;
    * ``<p>:node:<node>``: hash ``<atelier>:<participant>`` → socket count
      (what to wipe when that node is gone);
    * ``<p>:alive:<node>``: the heartbeat, expires after ``ttl`` seconds;
    * ``<p>:nodes``: set of the nodes that have published something.
    """

    def __init__(self, url: str, node: str, *, app=None, ttl: int = 15, channel: str = ""):
        import redis

        self.redis = redis.Redis.from_url(
            url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=10
        )
        self.url = url
        self.node = node
        self.ttl = max(2, int(ttl))
        self.channel = channel
        self.prefix = f"workshop:{channel or 'default'}:presence"
        self.local = MemoryPresence()
        self.app = app
        self._lock = threading.Lock()
        self._live_cache: tuple[float, set[str]] = (0.0, set())
        self._down = True  # until the first heartbeat has published this node
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._heartbeat_loop, name="presence-heartbeat", daemon=True
        )
        self._thread.start()

    # ------------------------------------------------------------ keys
    def _akey(self, atelier_id) -> str:
        return f"{self.prefix}:a:{atelier_id}"

    def _nkey(self, node) -> str:
        return f"{self.prefix}:node:{node}"

    def _alive(self, node) -> str:
        return f"{self.prefix}:alive:{node}"

    @property
    def _nodes(self) -> str:
        return f"{self.prefix}:nodes"

    # ------------------------------------------------------------ API
    def add(self, atelier_id, participant_id):
        first_here = self.local.add(atelier_id, participant_id)
        try:
            pipe = self.redis.pipeline(transaction=False)
            pipe.hincrby(self._akey(atelier_id), f"{self.node}:{participant_id}", 1)
            pipe.hincrby(self._nkey(self.node), f"{atelier_id}:{participant_id}", 1)
            pipe.execute()
        except Exception:
            self._mark_down()
        return first_here

    def remove(self, atelier_id, participant_id):
        gone_here = self.local.remove(atelier_id, participant_id)
        try:
            field = f"{self.node}:{participant_id}"
            pipe = self.redis.pipeline(transaction=False)
            if gone_here:
                pipe.hdel(self._akey(atelier_id), field)
                pipe.hdel(self._nkey(self.node), f"{atelier_id}:{participant_id}")
            else:
                pipe.hincrby(self._akey(atelier_id), field, -1)
                pipe.hincrby(self._nkey(self.node), f"{atelier_id}:{participant_id}", -1)
            pipe.execute()
            if not gone_here:
                return False
            # Offline only if no other live node still has a socket of theirs.
            others = [n for n in self._live_nodes() if n != self.node]
            if not others:
                return True
            values = self.redis.hmget(
                self._akey(atelier_id), [f"{n}:{participant_id}" for n in others]
            )
            return not any(v is not None and int(v) > 0 for v in values)
        except Exception:
            self._mark_down()
            return gone_here

    def online(self, atelier_id):
        try:
            live = self._live_nodes()
            raw = self.redis.hgetall(self._akey(atelier_id))
        except Exception:
            self._mark_down()
            return self.local.online(atelier_id)
        result = set(self.local.online(atelier_id))
        for key, value in raw.items():
            node, _, pid = key.decode().rpartition(":")
            if node != self.node and node in live and int(value) > 0:
                result.add(int(pid))
        return result

    def count(self, atelier_id):
        return len(self.online(atelier_id))

    def close(self):
        """Stop the heartbeat and withdraw this node (clean shutdown)."""
        self._stop.set()
        with contextlib.suppress(Exception):
            self._withdraw(self.node)

    # ------------------------------------------------------------ nodes
    def _live_nodes(self) -> set[str]:
        stamp, nodes = self._live_cache
        if time.monotonic() - stamp < 1.0:
            return nodes
        members = [m.decode() for m in self.redis.smembers(self._nodes)]
        pipe = self.redis.pipeline(transaction=False)
        for m in members:
            pipe.exists(self._alive(m))
        alive = {m for m, ok in zip(members, pipe.execute(), strict=True) if ok}
        alive.add(self.node)
        self._live_cache = (time.monotonic(), alive)
        return alive

    def _withdraw(self, node: str) -> None:
        """Remove every entry of ``node`` (dead, or this one restarting)."""
        fields = self.redis.hkeys(self._nkey(node))
        pipe = self.redis.pipeline(transaction=True)
        for f in fields:
            atelier_id, _, pid = f.decode().partition(":")
            pipe.hdel(self._akey(atelier_id), f"{node}:{pid}")
        pipe.delete(self._nkey(node))
        pipe.srem(self._nodes, node)
        pipe.execute()

    def _republish(self) -> None:
        """Write this node's sockets again (after a start or a Redis restart)."""
        self._withdraw(self.node)
        pipe = self.redis.pipeline(transaction=True)
        for atelier_id, members in self.local.items().items():
            for pid, n in members.items():
                pipe.hset(self._akey(atelier_id), f"{self.node}:{pid}", n)
                pipe.hset(self._nkey(self.node), f"{atelier_id}:{pid}", n)
        pipe.sadd(self._nodes, self.node)
        pipe.execute()

    def _reap(self) -> None:
        members = [m.decode() for m in self.redis.smembers(self._nodes)]
        for m in members:
            if m != self.node and not self.redis.exists(self._alive(m)):
                log.info("presence: node %s is gone, removing its entries", m)
                self._withdraw(m)

    def _mark_down(self):
        if not self._down:
            log.warning("presence: Redis unreachable, counting this process's sockets only")
        self._down = True

    def heartbeat(self) -> None:
        """One beat: refresh, republish after an outage, wipe dead nodes."""
        was_down = self._down
        previous = self.redis.set(self._alive(self.node), "1", ex=self.ttl, get=True)
        if previous is None or was_down:
            self._republish()
        self.redis.sadd(self._nodes, self.node)
        self._reap()
        self._live_cache = (0.0, set())
        self._down = False
        if (was_down or previous is None) and self._started:
            log.warning("presence: Redis is back")
            threading.Thread(target=self._resync_clients, daemon=True).start()
        self._started = True

    _started = False

    def _heartbeat_loop(self):
        interval = max(0.5, self.ttl / 3)
        while not self._stop.is_set():
            try:
                self.heartbeat()
            except Exception:
                self._mark_down()
            self._stop.wait(interval)

    # ------------------------------------------------------------ resync
    def _resync_clients(self):
        """After an outage, send each local client a fresh snapshot.

        Broadcasts from the other processes were lost while Redis was down;
        the snapshot holds everything stored meanwhile. It is sent once every
        process listens to the queue again (so nothing published after the
        snapshot is missed), or after a minute at most.
        """
        if self.app is None:
            return
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self._stop.is_set():
            try:
                subs = dict(self.redis.pubsub_numsub(self.channel))
                listening = subs.get(self.channel.encode(), subs.get(self.channel, 0))
                if int(listening) >= len(self._live_nodes()):
                    break
            except Exception:
                pass
            time.sleep(0.5)
        try:
            resync_local_clients(self.app)
        except Exception:
            log.exception("presence: resync after the Redis outage failed")


def resync_local_clients(app) -> int:
    """Send a fresh snapshot to every socket of this process; return how many."""
    from .extensions import socketio
    from .models import Atelier
    from .realtime import IDENTITIES, build_snapshot

    sent = 0
    with app.app_context():
        database = app.extensions["workshop_db"]
        with database.session() as s:
            for sid, identity in list(IDENTITIES.items()):
                atelier = s.get(Atelier, identity.atelier_id)
                if atelier is None:
                    continue
                snap = build_snapshot(s, atelier, identity)
                socketio.emit("snapshot", snap, to=sid, ignore_queue=True)
                sent += 1
    log.info("resync: sent %d snapshots", sent)
    return sent
