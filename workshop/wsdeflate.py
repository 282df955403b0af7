"""WebSocket compression done once per message, not once per socket.

Browsers ask for *permessage-deflate* (RFC 7692) on every WebSocket, and the
server accepts it: on venue wifi a board snapshot of 1,500 notes goes from
548 KB to 64 KB. As the WebSocket library negotiates it by default,
each connection keeps its own compressor for its whole life (*context
takeover*): every broadcast is compressed again for each of the hundreds of
phones it goes to, and each connection holds a zlib state of about 256 KiB
(measured: 34 µs per frame instead of 10.5 µs, 210 KiB per connection
instead of 80; docs/PERFORMANCE.md).

:class:`SharedDeflate` negotiates the same extension with
``server_no_context_takeover``, which RFC 7692 lets a server declare on its
own (§7.1.1.1; browsers must support it): each message is compressed from a
fresh state, so the compressed bytes of a message depend on that message
alone, and a broadcast compressed for the first socket is reused, as is, for
all the others (a small shared cache keyed by the message's bytes). It does
*not* declare ``client_no_context_takeover``, although the RFC allows it and
it would save each connection its decompressor (about 40 KiB once the phone
has sent a compressed message): Safari, since iOS 15 and macOS 12, does not
honour it and its connections then fail with a protocol error (reported to
uWebSockets, whose "shared compressor" mode this is; its fix was a
decompressor per connection, as here). Messages
under :data:`MIN_SIZE` bytes go uncompressed, which the RFC allows for any
message (RSV1 clear): compressing an ack or a ping saves nothing on the
air.

:func:`install` makes the WebSocket server (simple-websocket, under gevent as
under threading) offer this class instead of wsproto's ``PerMessageDeflate``.
"""

import threading
import zlib

from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode, RsvBits

# Smaller messages are sent as they are (acks, pings, short events).
MIN_SIZE = 128
# Messages up to this size are kept in the shared cache; larger ones (a
# participant's own snapshot) are compressed for their socket alone.
CACHE_MAX_MESSAGE = 64 * 1024
# Bytes kept in the cache at most (messages and their compressed form): the
# oldest entries go first. A broadcast is sent to all its sockets within a
# fraction of a second, long before it could be pushed out.
CACHE_MAX_BYTES = 4 * 1024 * 1024

_cache: dict[tuple[int, bytes], bytes] = {}
_cache_bytes = 0
_cache_lock = threading.Lock()  # for the misses (threading mode); a hit is one dict read


def compress(data: bytes, bits: int = 15) -> bytes:
    """``data`` compressed as one permessage-deflate message, from a fresh
    state (no context takeover): deflate, sync flush, without the last
    4 bytes (``00 00 ff ff``), as RFC 7692 §7.2.1 says.

    >>> import zlib
    >>> payload = compress(b"bonjour " * 20)
    >>> len(payload) < 40
    True
    >>> zlib.decompressobj(-15).decompress(payload + b"\\x00\\x00\\xff\\xff")[:16]
    b'bonjour bonjour '
    """
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -bits)
    return (c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH))[:-4]


def shared_compress(data: bytes, bits: int = 15) -> bytes:
    """:func:`compress`, remembered for the next sockets the same message
    goes to."""
    global _cache_bytes
    if len(data) > CACHE_MAX_MESSAGE:
        return compress(data, bits)
    key = (bits, data)
    out = _cache.get(key)
    if out is None:
        out = compress(data, bits)
        with _cache_lock:
            if key not in _cache:
                _cache[key] = out
                _cache_bytes += len(data) + len(out)
            while _cache_bytes > CACHE_MAX_BYTES:  # the oldest first (insertion order)
                old_key = next(iter(_cache))
                _cache_bytes -= len(old_key[1]) + len(_cache.pop(old_key))
    return out


def clear_cache() -> None:
    global _cache_bytes
    with _cache_lock:
        _cache.clear()
        _cache_bytes = 0


class SharedDeflate(PerMessageDeflate):
    """wsproto's ``PerMessageDeflate`` without the server's context takeover,
    whose whole messages are compressed once for every socket (see the
    module's docstring)."""

    def __init__(self) -> None:
        super().__init__(server_no_context_takeover=True)

    def frame_outbound(self, proto, opcode, rsv, data, fin):
        # A whole message in one frame (how the server sends everything):
        if fin and (opcode is Opcode.TEXT or opcode is Opcode.BINARY):
            if len(data) < MIN_SIZE:
                return rsv, data
            bits = self.client_max_window_bits if proto.client else self.server_max_window_bits
            return RsvBits(True, rsv[1], rsv[2]), shared_compress(bytes(data), bits)
        # A message in several frames, or a control frame: wsproto's own way
        # (its compressor is dropped at the end of each message, as
        # negotiated).
        return super().frame_outbound(proto, opcode, rsv, data, fin)


def install() -> bool:
    """Make the WebSocket server negotiate :class:`SharedDeflate`.

    Returns False if the server library no longer has the hook (a new
    version of simple-websocket): compression then stays wsproto's own,
    correct but per socket.
    """
    try:
        from simple_websocket import ws
    except ImportError:  # pragma: no cover - a dependency of the app
        return False
    if not hasattr(ws, "PerMessageDeflate"):
        return False
    ws.PerMessageDeflate = SharedDeflate
    return True
