"""Benchmark of what a phone downloads: bytes read from Chromium's network log.

Starts the real server (SQLite, in a temporary folder) from this tree and,
with ``--baseline DIR``, from another tree of the project in the same run
(for example an export of an older commit), opens an atelier whose board has
one question, and drives Debian's Chromium (390x844) through the Chrome
DevTools Protocol's ``Network`` domain:

* ``join``: the join page alone, empty cache: bytes and responses;
* ``first``: the phone's atelier page with an empty cache (device token
  already in ``localStorage``), until the note field is usable: bytes of every
  HTTP response (``encodedDataLength``: headers and body as received), their
  number, and the WebSocket frames' payload (uncompressed size, as CDP gives
  it);
* ``revisit``: the same page opened again in the same browser: bytes, the
  requests that reached the server for static files (revalidations included)
  and those served from the cache;
* ``slow 3G``: a new phone (empty cache) on emulated 500 kbit/s, 400 ms round
  trip: from opening the join link, a click on « Entrer » as soon as the
  button is there, to the note field ready to type in (median of
  ``--rounds``).

Usage::

    python bench/weight_bench.py [--baseline DIR] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import support  # noqa: E402

SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 500_000 / 8,
    "uploadThroughput": 500_000 / 8,
}
NOTE_FIELD = ".board-prompt-card textarea"


class NetLog:
    """Responses and WebSocket frames of one page, from CDP ``Network`` events."""

    def __init__(self, page, conditions=None):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        if conditions:
            self.cdp.send("Network.emulateNetworkConditions", conditions)
        self.requests: dict[str, dict] = {}
        self.ws_in = self.ws_out = 0
        self.cdp.on("Network.requestWillBeSent", self._request)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.responseReceivedExtraInfo", self._raw_status)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestServedFromCache", self._from_cache)
        self.cdp.on("Network.webSocketFrameReceived", self._ws_in)
        self.cdp.on("Network.webSocketFrameSent", self._ws_out)

    def _request(self, ev):
        self.requests.setdefault(ev["requestId"], {})["url"] = ev["request"]["url"]

    def _response(self, ev):
        r = self.requests.setdefault(ev["requestId"], {})
        resp = ev["response"]
        r.update(
            url=resp["url"],
            status=resp["status"],
            disk=resp.get("fromDiskCache", False) or resp.get("fromPrefetchCache", False),
            encoding={k.lower(): v for k, v in resp.get("headers", {}).items()}.get(
                "content-encoding", ""
            ),
        )

    def _raw_status(self, ev):  # the status on the wire (304 for a revalidation)
        self.requests.setdefault(ev["requestId"], {})["wire_status"] = ev["statusCode"]

    def _finished(self, ev):
        self.requests.setdefault(ev["requestId"], {})["bytes"] = ev["encodedDataLength"]

    def _from_cache(self, ev):
        self.requests.setdefault(ev["requestId"], {})["memory"] = True

    def _ws_in(self, ev):
        self.ws_in += len(ev["response"]["payloadData"])

    def _ws_out(self, ev):
        self.ws_out += len(ev["response"]["payloadData"])

    def summary(self) -> dict:
        done = [r for r in self.requests.values() if "status" in r]
        network = [r for r in done if not r.get("disk") and not r.get("memory")]
        static = [r for r in network if "/static/" in r["url"]]
        return {
            "bytes": sum(r.get("bytes", 0) for r in network),
            "responses": len(network),
            "static_requests": len(static),
            "revalidated": sum(1 for r in static if r.get("wire_status", r["status"]) == 304),
            "cached": len(done) - len(network),
            "compressed": sum(1 for r in network if r.get("encoding")),
            "ws_in": self.ws_in,
            "urls": sorted(
                f"{r.get('wire_status', r['status'])} {r.get('bytes', 0):>7} {r.get('encoding') or '-':>4} "
                f"{r['url'].split('/', 3)[-1]}"
                for r in network
            ),
        }


def _token_script(code, token):
    key = f"workshop:token:{code}"
    return f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(token))});"


def measure(browser, tree: Path, rounds: int, verbose: bool) -> dict:
    support.ROOT = tree  # the server runs `python -m workshop` from this tree
    tmp = Path(tempfile.mkdtemp(prefix="weight-bench-"))
    server = support.LiveServer(tmp / "instance", f"sqlite:///{tmp / 'bench.sqlite3'}")
    server.start()
    out = {}
    try:
        atelier = server.create_atelier(title="Banc de poids")
        fac = server.facilitator(atelier)
        assert fac.call("atelier:scene", {"scene": "board"})["ok"]
        ack = fac.call(
            "board:prompt:create",
            {"text": "Quels besoins sur le territoire ?"},
        )
        assert ack["ok"], ack
        code = atelier["code"]

        # First visit, then revisit, in one browser context (one cache).
        joined = server.join(code, "Banc")
        ctx = browser.new_context(**support.PHONE)
        ctx.add_init_script(_token_script(code, joined["token"]))
        for label in ("first", "revisit"):
            page = ctx.new_page()
            log = NetLog(page)
            page.goto(f"{server.url}/a/{code}/p")
            page.locator(NOTE_FIELD).wait_for(state="visible")
            page.wait_for_load_state("networkidle")
            time.sleep(0.3)
            out[label] = log.summary()
            page.close()
        ctx.close()

        # The join page alone, empty cache.
        ctx = browser.new_context(**support.PHONE)
        page = ctx.new_page()
        log = NetLog(page)
        page.goto(f"{server.url}/j/{code}")
        page.wait_for_load_state("networkidle")
        out["join"] = log.summary()
        ctx.close()

        times = []
        for i in range(rounds):
            ctx = browser.new_context(**support.PHONE)
            page = ctx.new_page()
            NetLog(page, SLOW_3G)
            t0 = time.perf_counter()
            page.goto(f"{server.url}/j/{code}", wait_until="commit")
            page.fill("#name", f"Lent {i}")
            page.click("#join-form button[type=submit]")
            field = page.locator(NOTE_FIELD)
            field.wait_for(state="visible", timeout=60_000)
            page.wait_for_function(
                "(sel) => { const f = document.querySelector(sel); return f && !f.disabled; }",
                arg=NOTE_FIELD,
                timeout=60_000,
            )
            times.append(time.perf_counter() - t0)
            ctx.close()
        out["slow3g"] = times
    finally:
        server.close_clients()
        server.stop()
    if verbose:
        for label in ("join", "first", "revisit"):
            print(f"  [{tree.name}] {label}:")
            for line in out[label]["urls"]:
                print("     ", line)
    return out


def report(name, res):
    f, r, j = res["first"], res["revisit"], res["join"]
    print(
        f"{name:>10} | join page {j['bytes']:>6,} B in {j['responses']} responses | first {f['bytes']:>8,} B in {f['responses']:>2} responses "
        f"({f['compressed']} compressed), WebSocket in {f['ws_in']:,} B | "
        f"revisit {r['bytes']:>7,} B, {r['static_requests']} static requests "
        f"({r['revalidated']} revalidations), {r['cached']} from cache | "
        f"slow 3G join -> note field {statistics.median(res['slow3g']):.2f} s "
        f"({', '.join(f'{t:.2f}' for t in res['slow3g'])})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="another tree of the project, measured too")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=support.CHROMIUM, headless=True, args=support.CHROMIUM_ARGS
        )
        print(f"Chromium {browser.version}")
        results = {}
        if args.baseline:
            results["baseline"] = measure(
                browser, args.baseline.resolve(), args.rounds, args.verbose
            )
        results["this tree"] = measure(browser, ROOT, args.rounds, args.verbose)
        browser.close()
    for name, res in results.items():
        report(name, res)


if __name__ == "__main__":
    main()
