"""Join codes and secrets.

A join code has 6 characters from an alphabet without the ambiguous ones
(no 0/O, 1/I/L), so that it can be read off a projector and typed on a phone.

>>> len(new_join_code())
6
>>> set(new_join_code()) <= set(JOIN_ALPHABET)
True
>>> normalise_code(" ab c-d2 3 ")
'ABCD23'
>>> is_valid_code("ABCD23"), is_valid_code("ABCD0O")
(True, False)
"""

import hashlib
import hmac
import secrets

JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
assert not set("01OIL") & set(JOIN_ALPHABET)


def new_join_code() -> str:
    """A random join code (about 30 bits: collisions are checked by the caller)."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value) -> str:
    """Upper-case and drop spaces and dashes, as people type codes."""
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value.upper() if ch not in " -\t")


def is_valid_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in JOIN_ALPHABET for ch in code)


def new_secret() -> str:
    """A URL-safe secret (console links, participant tokens): 256 bits."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """What the database keeps of a secret: its SHA-256, hex.

    >>> hash_secret("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret, stored_hash: str | None) -> bool:
    """Constant-time check of a presented secret against its stored hash."""
    if not isinstance(secret, str) or not secret or not stored_hash or len(secret) > 200:
        return False
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def derived_secret(key: str, purpose: str) -> str:
    """A stable secret derived from the app's key (used by the demo atelier).

    >>> derived_secret("k", "demo") == derived_secret("k", "demo")
    True
    """
    return hmac.new(key.encode(), purpose.encode(), hashlib.sha256).hexdigest()[:43]
