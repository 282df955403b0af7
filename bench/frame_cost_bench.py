"""What a WebSocket frame costs the server besides its system call, in process.

    python bench/frame_cost_bench.py [--rounds 5]

Two measurements, each the median of ``--rounds`` (docs/PERFORMANCE.md):

- building a 300-byte text frame (a post-it broadcast): through wsproto, as
  simple-websocket does (``WSConnection.send(TextMessage)``), against
  ``workshop.socketwrite.frame``, which gives the same bytes;
- under gevent, a socket writer's wait for its next packet: Engine.IO's
  ``queue.get(timeout=…)`` (a timer per frame) against ``queue.get()``, for
  200 writers each handed 200 packets, one round of puts then a yield, as a
  broadcast does.
"""

import argparse
import statistics
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def frames(n: int = 100_000) -> dict:
    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, TextMessage

    from workshop import socketwrite

    ws = WSConnection(ConnectionType.SERVER)
    ws.receive_data(
        b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    next(ws.events())
    ws.send(AcceptConnection())
    msg = '42["board:note",{"id":123,"text":"' + "x" * 250 + '"}]'
    proto = ws.connection._proto
    assert bytes(ws.send(TextMessage(data=msg))) == socketwrite.frame(proto, msg)
    wsproto_us = timeit.timeit(lambda: ws.send(TextMessage(data=msg)), number=n) / n * 1e6
    direct_us = timeit.timeit(lambda: socketwrite.frame(proto, msg), number=n) / n * 1e6
    return {"wsproto_us": wsproto_us, "direct_us": direct_us}


def waits(writers: int = 200, packets: int = 200) -> dict:
    import gevent
    from gevent.queue import JoinableQueue

    def run(timeout: bool) -> float:
        queues = [JoinableQueue() for _ in range(writers)]

        def writer(q):
            while True:
                item = q.get(timeout=45) if timeout else q.get()
                q.task_done()
                if item is None:
                    return

        greenlets = [gevent.spawn(writer, q) for q in queues]
        gevent.sleep(0)
        t = time.process_time()
        for i in range(packets):
            for q in queues:
                q.put(i)
            gevent.sleep(0)
        elapsed = time.process_time() - t
        for q in queues:
            q.put(None)
        gevent.joinall(greenlets)
        return elapsed / (writers * packets) * 1e6

    return {"timeout_us": run(True), "no_timeout_us": run(False)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rounds = [{**frames(), **waits()} for _ in range(args.rounds)]
    print(f"| mesure | µs par trame (médiane de {args.rounds} tours) |")
    print("|---|---|")
    labels = {
        "wsproto_us": "trame construite par wsproto",
        "direct_us": "trame construite directement (socketwrite.frame)",
        "timeout_us": "attente de l'écrivain, avec délai (Engine.IO)",
        "no_timeout_us": "attente de l'écrivain, sans délai (socketwrite.poll)",
    }
    for key, label in labels.items():
        print(f"| {label} | {statistics.median(r[key] for r in rounds):.2f} |")


if __name__ == "__main__":
    main()
