"""``python -m workshop.domain.declared [FILE]``: rewrite the generated table
of the declared events in ``docs/protocol.md`` (or FILE)."""

from ..contracts import main

raise SystemExit(main())
