"""The one error type that crosses the layers.

A :class:`DomainError` carries a stable machine code (documented in
``docs/protocol.md``) and parameters. The web layer turns the code into a
translated French (or English) sentence; the domain never formats text for
users itself.

>>> err = DomainError("name_too_long", max=60)
>>> err.code, err.params
('name_too_long', {'max': 60})
"""


class DomainError(Exception):
    """A rule of the method or of the input was broken; nothing was changed."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, **{self.params!r})"


# The HTTP status of an error code, for every route (one mapping, applied by
# the web layer's error handler). Codes not listed are the client's input: 400.
HTTP_STATUS = {
    "bad_secret": 403,
    "bad_token": 403,
    "forbidden": 403,
    "csrf": 400,
    "rate_limited": 429,
    "payload_too_large": 413,
    "internal": 500,
}


def http_status(code: str) -> int:
    """The HTTP status of a refusal with ``code``.

    >>> http_status("bad_secret"), http_status("prompt_not_found"), http_status("report_format")
    (403, 404, 404)
    >>> http_status("text_too_long"), http_status("rate_limited")
    (400, 429)
    """
    if code in HTTP_STATUS:
        return HTTP_STATUS[code]
    if code.endswith(("_not_found", "_format")):
        return 404  # what the address names does not exist (an object, an export format)
    return 400
