"""Packets that cannot be decoded (``42[]``, invalid JSON, nesting deeper than
the JSON decoder goes, an event name that is not a string) get a clean
answer from the live server: the ack ``invalid_payload`` when they carry an
ack id, nothing otherwise; the connection keeps working and the server's
log holds no traceback. Driven over Engine.IO long-polling, byte by byte as
an outside client would send them."""

import json
import urllib.request

SEP = "\x1e"  # Engine.IO v4 separates packets of one polling payload with it


class Polling:
    def __init__(self, base: str):
        self.base = base + "/socket.io/?EIO=4&transport=polling"
        opened = self._get(self.base)
        self.sid = json.loads(opened[1:])["sid"]
        self.url = f"{self.base}&sid={self.sid}"

    def _get(self, url) -> str:
        with urllib.request.urlopen(url, timeout=10) as res:
            return res.read().decode("utf-8")

    def send(self, *packets: str) -> None:
        data = SEP.join(packets).encode("utf-8")
        req = urllib.request.Request(
            self.url, data=data, headers={"Content-Type": "text/plain;charset=UTF-8"}
        )
        with urllib.request.urlopen(req, timeout=10) as res:
            assert res.status == 200

    def receive(self) -> list[str]:
        return self._get(self.url).split(SEP)

    def acks(self, want: set[int]) -> dict[int, object]:
        """Read until every ack id of ``want`` came back: ``{id: data}``."""
        got: dict[int, object] = {}
        for _ in range(20):
            for pkt in self.receive():
                if pkt.startswith("43"):
                    digits = ""
                    for ch in pkt[2:]:
                        if not ch.isdigit():
                            break
                        digits += ch
                    got[int(digits)] = json.loads(pkt[2 + len(digits) :])[0]
            if want <= set(got):
                break
        return got


def test_undecodable_packets_get_a_clean_answer_and_no_traceback(live_server):
    atelier = live_server.create_atelier()
    c = Polling(live_server.url)
    auth = {"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]}
    c.send("40" + json.dumps(auth))
    c.receive()  # the namespace connect and the snapshot
    deep = "[" * 100_000 + "]" * 100_000
    bad = {
        11: "4211[]",
        12: '4212{"a": 1}',
        13: "4213[1]",
        14: "4214[null]",
        15: "4215[{}]",
        16: '4216["sync"',  # invalid JSON
        17: "4217" + deep,  # deeper than the decoder goes
        18: '4218["clock", ' + deep + "]",
        19: '4219"atelier:status"',
        20: '4220["atelier:status", {"status": "locked"}, ' + deep + "]",
    }
    c.send(*bad.values())
    c.send("42[]", "42", "49", "4", '42["sync"', "42" + deep)  # no ack id: dropped
    c.send('4230["clock", {}]')  # the connection still works
    acks = c.acks(set(bad) | {30})
    for ack_id in bad:
        assert acks.get(ack_id, {}).get("error") == "invalid_payload", (ack_id, acks.get(ack_id))
        assert acks[ack_id]["message"]
    assert acks[30]["ok"] and acks[30]["data"]["server_time"] > 0
    # nothing was changed (the status event above was refused)
    c.send('4231["sync", {}]')
    assert c.acks({31})[31]["data"]["atelier"]["status"] == "open"
    log = live_server.read_log()
    assert "Traceback" not in log, log[-3000:]
