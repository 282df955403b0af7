"""Static files: content-hashed names, compressed once, cached for good.

At start-up :func:`build` copies each file of ``static/`` under a name that
carries the first 12 hex digits of its SHA-256 (``css/app.css`` ->
``css/app.3f2a9c0d1b7e.css``) into a build folder of the instance, with a
Brotli (``.br``) and a gzip (``.gz``) copy made by WhiteNoise's compressor.
Files already built by an earlier start (same content, same name) are kept,
so a restart costs one hash per file. Each file is written under a temporary
name and renamed: processes that start together on one instance folder never
see a half-written file.

:func:`install` then puts WhiteNoise in front of the WSGI app. It answers
``/static/<hashed name>`` from the build folder, with the precompressed copy
the browser accepts (``Accept-Encoding``; none: the plain file) and
``Cache-Control: max-age=315360000, public, immutable``. ``url_for('static',
filename='css/app.css')`` gives the hashed URL everywhere. Any other
``/static/`` path reaches Flask: a plain name, or a hashed name of an older
version (an old page after an upgrade) gets the current file with
``Cache-Control: no-cache``; an unknown file gets a clean 404.

>>> hashed_name("css/app.css", "3f2a9c0d1b7e")
'css/app.3f2a9c0d1b7e.css'
>>> hashed_name("favicon", "3f2a9c0d1b7e")
'favicon.3f2a9c0d1b7e'
>>> unhashed_name("js/board.0123456789ab.js")
'js/board.js'
>>> unhashed_name("js/board.js") is None
True
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import re
import tempfile
from pathlib import Path

HASH_LENGTH = 12
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<ext>\.[^./]+)?$")
# Cache lifetime of hashed names: their content never changes.
IMMUTABLE_MAX_AGE = 315360000


def hashed_name(name: str, digest: str) -> str:
    """``name`` with ``digest`` before its extension."""
    head, tail = posixpath.split(name)
    stem, ext = posixpath.splitext(tail)
    return posixpath.join(head, f"{stem}.{digest}{ext}")


def unhashed_name(name: str) -> str | None:
    """The plain name of a hashed one, or None when ``name`` carries no hash."""
    m = _HASHED.match(name)
    if not m:
        return None
    return m["stem"] + (m["ext"] or "")


def _atomic_write(path: Path, data: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # readable by a proxy serving the folder too
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def build(static_dir: Path, build_root: Path) -> tuple[Path, dict[str, str]]:
    """Hash and precompress every file of ``static_dir``.

    Returns the build folder (one per set of contents) and the manifest
    ``{plain name: hashed name}`` (names relative to ``static_dir``, with ``/``).
    """
    from whitenoise.compress import Compressor

    compressor = Compressor(quiet=True)
    files = sorted(
        p
        for p in static_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.parts)
    )
    manifest: dict[str, str] = {}
    contents: dict[str, bytes] = {}
    for path in files:
        data = path.read_bytes()
        rel = path.relative_to(static_dir).as_posix()
        manifest[rel] = hashed_name(rel, hashlib.sha256(data).hexdigest()[:HASH_LENGTH])
        contents[rel] = data
    version = hashlib.sha256("\n".join(sorted(manifest.values())).encode()).hexdigest()[:12]
    out = build_root / version
    for rel, name in manifest.items():
        target = out / name
        if target.exists():
            continue
        data = contents[rel]
        if compressor.should_compress(name):
            br = compressor.compress_brotli(data) if compressor.use_brotli else None
            if br is not None and len(br) < len(data) * 0.95:
                _atomic_write(target.with_name(target.name + ".br"), br)
                gz = compressor.compress_gzip(data)
                if len(gz) < len(data) * 0.95:
                    _atomic_write(target.with_name(target.name + ".gz"), gz)
        _atomic_write(target, data)  # last: its presence means "built"
    return out, manifest


def _security_headers(headers, path, url):
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    if url.endswith(".svg"):  # an SVG opened on its own runs no script
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"


def install(app) -> None:
    """Serve ``app``'s static folder through WhiteNoise under hashed names."""
    from flask import abort, send_from_directory
    from whitenoise import WhiteNoise

    static_dir = Path(app.static_folder)
    build_root = Path(app.config.get("STATIC_BUILD_DIR") or Path(app.instance_path) / "static")
    out, manifest = build(static_dir, build_root)
    app.extensions["workshop_assets"] = manifest

    @app.url_defaults
    def _hashed_static(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])

    def static(filename):
        """Plain names and hashed names of another version: the current file."""
        plain = filename if filename in manifest else unhashed_name(filename)
        if plain not in manifest:
            abort(404)
        response = send_from_directory(static_dir, plain, max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.view_functions["static"] = static

    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(out),
        prefix="static/",
        max_age=IMMUTABLE_MAX_AGE,
        immutable_file_test=lambda path, url: True,
        allow_all_origins=False,
        add_headers_function=_security_headers,
    )
