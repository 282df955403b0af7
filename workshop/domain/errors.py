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
