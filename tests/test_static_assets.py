"""Static files: hashed names, precompressed (Brotli, gzip), immutable; per-page loading.

Through the Flask app (WhiteNoise is its outer WSGI layer), through the real
server under gevent's pywsgi, and behind nginx configured as in
docs/deployment.md.
"""

import gzip
import json
import re
import shutil
from pathlib import Path

import brotli
import pytest

import requests_shim as http
from workshop import assets
from workshop.paths import STATIC_DIR


def _hashed(app, name):
    return app.extensions["workshop_assets"][name]


def test_every_static_url_in_pages_is_hashed_and_immutable(client, app):
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert urls, html
    for url in urls:
        name = url.removeprefix("/static/")
        assert assets.unhashed_name(name) in app.extensions["workshop_assets"], url
        resp = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert resp.status_code == 200, url
        cache = resp.headers["Cache-Control"]
        assert "immutable" in cache and "max-age=315360000" in cache, cache
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "accept,encoding",
    [("br, gzip, deflate", "br"), ("gzip", "gzip"), ("identity", None), (None, None)],
)
def test_compression_follows_accept_encoding(client, app, accept, encoding):
    name = "vendor/socket.io.min.js"
    plain = (STATIC_DIR / name).read_bytes()
    headers = {"Accept-Encoding": accept} if accept else {}
    resp = client.get("/static/" + _hashed(app, name), headers=headers)
    assert resp.status_code == 200
    assert resp.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in resp.headers.get("Vary", "")
    body = resp.get_data()
    if encoding == "br":
        assert len(body) < len(plain) / 2
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    assert body == plain


def test_old_hashed_name_gets_the_current_file_and_unknown_a_clean_404(client):
    current = (STATIC_DIR / "css/app.css").read_bytes()
    for url in ("/static/css/app.0123456789ab.css", "/static/css/app.css"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.get_data() == current
        assert resp.headers["Cache-Control"] == "no-cache"
        assert "immutable" not in resp.headers["Cache-Control"]
    for url in (
        "/static/css/nothing.0123456789ab.css",
        "/static/css/nothing.css",
        "/static/../workshop/config.py",
        "/static/%2e%2e/pyproject.toml",
        "/static/css/app.css/..%2f..%2fsetup.py",
        "/static/" + "a" * 5000 + ".css",
        "/static/\udcff.css".encode("utf-8", "surrogateescape").decode("latin-1"),
    ):
        resp = client.get(url)
        assert resp.status_code == 404, url
        assert b"Traceback" not in resp.get_data()


def test_pages_are_compressed_but_not_the_console(client):
    resp = client.get("/", headers={"Accept-Encoding": "br"})
    assert resp.headers.get("Content-Encoding") == "br"
    assert b"<html" in brotli.decompress(resp.get_data())
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert b"<html" in plain.get_data()
    status = client.post("/api/ateliers", json={"title": "Compression"})
    atelier = status.get_json()
    console = client.get(
        f"/a/{atelier['code']}/console/{atelier['secret']}", headers={"Accept-Encoding": "br"}
    )
    assert console.status_code == 200
    assert "Content-Encoding" not in console.headers
    assert console.headers["Cache-Control"] == "no-store"


def test_build_is_reused_and_atomic(tmp_path):
    out, manifest = assets.build(STATIC_DIR, tmp_path)
    built = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert not [p for p in built if p.name.startswith(".tmp-")]
    again, manifest2 = assets.build(STATIC_DIR, tmp_path)
    assert (again, manifest2) == (out, manifest)
    assert {p: p.stat().st_mtime_ns for p in again.rglob("*") if p.is_file()} == built
    # a changed file: new name, new build folder; the old one is left as it was
    static = tmp_path / "static"
    shutil.copytree(STATIC_DIR, static)
    (static / "css/app.css").write_text("body { color: black }\n" * 50)
    out3, manifest3 = assets.build(static, tmp_path)
    assert out3 != out
    assert manifest3["css/app.css"] != manifest["css/app.css"]
    assert manifest3["js/live.js"] == manifest["js/live.js"]
    assert (out3 / (manifest3["css/app.css"] + ".br")).exists()


def test_join_page_loads_no_capability_code(client):
    atelier = client.post("/api/ateliers", json={"title": "Poids"}).get_json()
    html = client.get(f"/j/{atelier['code']}").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="/static/([^"]+)"', html)
    plain = {assets.unhashed_name(u) for u in urls}
    assert "css/app.css" in plain and "js/join.js" in plain
    assert not plain & {"css/board.css", "css/codev.css", "css/livemap.css"}, plain
    assert not [u for u in plain if "codev" in u or "livemap" in u or "board" in u]


def test_console_only_code_stays_on_the_console(client):
    """The grouping suggestions are the console's: phones and the projection
    do not download them."""
    atelier = client.post("/api/ateliers", json={"title": "Poids"}).get_json()
    code, secret = atelier["code"], atelier["secret"]
    joined = client.post(f"/api/ateliers/{code}/participants", json={"name": "Awa"})
    assert joined.status_code == 201

    def loaded(url):
        """Files the page loads, and those its on-demand map lists."""
        html = client.get(url).get_data(as_text=True)
        found = re.findall(r'(?:href|src)="/static/([^"]+)"', html)
        lazy = re.search(r'<script type="application/json" id="lazy-assets">(.*?)</script>', html)
        later = [
            u.removeprefix("/static/")
            for cap in (json.loads(lazy[1]).values() if lazy else [])
            for u in cap["scripts"] + cap["styles"]
        ]
        return {assets.unhashed_name(u) for u in found}, {assets.unhashed_name(u) for u in later}

    suggest = {"js/board-suggest.js", "css/board-suggest.css"}
    assert suggest <= loaded(f"/a/{code}/console/{secret}")[0]
    for url in (f"/a/{code}/p", f"/a/{code}/projection"):
        now, later = loaded(url)
        # an empty atelier: the board's code comes with its first question
        assert "js/board.js" in later and not (now | later) & suggest, (url, now, later)


def test_live_server_under_gevent_serves_precompressed_files(live_server_sqlite):
    server = live_server_sqlite
    status, body, headers = http.get(server.url + "/")
    html = body.decode() if isinstance(body, bytes) else body
    url = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html)
    assert url, html[:500]
    _check_precompressed(server.url + url[1])


def _check_precompressed(url):
    import urllib.request

    req = urllib.request.Request(url, headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Encoding"] == "br"
        assert "immutable" in resp.headers["Cache-Control"]
        body = brotli.decompress(resp.read())
    assert body == (STATIC_DIR / "css/app.css").read_bytes()
    req = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers.get("Content-Encoding") is None
        assert resp.read() == (STATIC_DIR / "css/app.css").read_bytes()


def test_behind_nginx_as_in_the_deployment_guide(live_server_sqlite, tmp_path):
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx_bin).exists():
        pytest.skip("nginx not installed (Debian package nginx-light)")
    from test_scaleout import Nginx

    nginx = Nginx(tmp_path / "nginx", [live_server_sqlite.port])
    nginx.start()
    try:
        status, body, _ = http.get(nginx.url + "/")
        html = body.decode() if isinstance(body, bytes) else body
        url = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html)
        assert url, html[:500]
        _check_precompressed(nginx.url + url[1])
    finally:
        nginx.stop()
