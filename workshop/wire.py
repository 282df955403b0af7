"""JSON as sent to the sockets (plain Python: no Flask, no Socket.IO).

Two savings on what every socket costs the server, both measured on the
connect snapshot of a 1,000-phone board (docs/PERFORMANCE.md):

- python-socketio walks every outgoing payload, item by item, looking for
  bytes to send as binary attachments. Nothing here is ever binary (every
  event carries JSON), so the server's packets (``workshop.extensions``)
  skip that walk.
- A part of a payload that many sockets receive unchanged (the board of an
  atelier, in every phone's snapshot) can be encoded once and wrapped in
  :class:`Prepared`: :func:`dumps` splices its text in place, instead of
  encoding the same notes again for every socket.
"""

import json
import secrets


class Prepared:
    """A value already encoded as JSON text.

    >>> dumps({"a": Prepared('{"b":[1,2]}'), "c": "d"})
    '{"a":{"b":[1,2]},"c":"d"}'
    """

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    @classmethod
    def of(cls, value) -> "Prepared":
        return cls(compact(value))

    def extended(self, **extra) -> "Prepared":
        """This object (a JSON object) with more keys.

        >>> Prepared('{"a":1}').extended(b=[2]).text
        '{"a":1,"b":[2]}'
        """
        if not self.text.startswith("{") or not self.text.endswith("}"):
            raise ValueError("only a JSON object can be extended")
        more = ",".join(f"{compact(k)}:{compact(v)}" for k, v in extra.items())
        if not more:
            return self
        inner = self.text[1:-1]
        return Prepared("{" + inner + ("," if inner else "") + more + "}")

    def value(self):
        """The decoded value (for code that needs to look inside)."""
        return json.loads(self.text)

    def __eq__(self, other):
        return isinstance(other, Prepared) and other.text == self.text

    def __repr__(self):
        return (
            f"Prepared({self.text[:40]!r}…)" if len(self.text) > 40 else f"Prepared({self.text!r})"
        )


def compact(value) -> str:
    """JSON as sent on the wire: no spaces, UTF-8 kept as is."""
    return dumps(value, separators=(",", ":"), ensure_ascii=False)


def dumps(obj, **kwargs) -> str:
    """``json.dumps`` that splices :class:`Prepared` values in place.

    Each prepared value is first replaced by a marker string that no payload
    can contain (a random nonce between NUL characters), then the marker's
    encoding is replaced by the prepared text.
    """
    found: list[str] = []
    nonce = None

    def default(o):
        nonlocal nonce
        if isinstance(o, Prepared):
            if nonce is None:
                nonce = secrets.token_hex(8)
            found.append(o.text)
            return f"\x00{nonce}:{len(found) - 1}\x00"
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    kwargs.setdefault("separators", (",", ":"))
    text = json.dumps(obj, default=default, **kwargs)
    for i, raw in enumerate(found):
        marker = json.dumps(f"\x00{nonce}:{i}\x00", ensure_ascii=kwargs.get("ensure_ascii", True))
        text = text.replace(marker, raw, 1)
    return text
