"""Measurements of a projected scene in the page, for any scene's tests.

Each function takes a Playwright page and measures what is on the screen
now; ``assert_readable`` runs them all. Scenes added later (word cloud,
poll…) use the same functions::

    from scene_checks import assert_readable
    assert_readable(page, ".scene[data-scene=cloud]", containers=["#cloud-box"])

* :func:`check_no_overflow`: no container whose content is taller or wider
  than its box, and no text cut by ``overflow: hidden``;
* :func:`check_no_overlap`: no visible element covers another one (texts,
  images, buttons, meters; an element and its ancestors excepted);
* :func:`min_font_size`: the smallest rendered text size, with the element;
* :func:`axe_contrast`: axe's colour-contrast rule (axe-core from npm, in
  ``tests/axe``, injected by Playwright from a route of the test on the
  page's origin, so the page's CSP is kept; the application does not ship it);
* :func:`svg_text_sizes`: font sizes of the texts of an SVG shown by an
  ``<img>``, in screen pixels.

Limits, in fractions of the screen's height: body text :data:`BODY` (24 px at
1080), secondary labels :data:`SECONDARY` (17 px at 1080).
"""

from __future__ import annotations

from pathlib import Path

#: Body text: at least this fraction of the screen's height.
BODY = 0.022
#: Secondary labels: at least this fraction of the screen's height.
SECONDARY = 0.016
#: The three projector sizes every scene must hold.
RESOLUTIONS = [(1920, 1080), (1280, 720), (1024, 768)]

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

_VISIBLE_JS = """
function visible(el) {
  if (!el.isConnected) return false;
  if (el.closest("[hidden]")) return false;
  const st = getComputedStyle(el);
  if (st.display === "none" || st.visibility === "hidden" || parseFloat(st.opacity) === 0) return false;
  const r = el.getBoundingClientRect();
  if (!(r.width > 0.5 && r.height > 0.5)) return false;
  // inside a visually hidden box (the screen-reader-only pattern: a 1 px
  // box that clips what it holds), nothing shows
  for (let p = el.parentElement; p; p = p.parentElement) {
    const ps = getComputedStyle(p);
    if (ps.overflow === "hidden" && p.getBoundingClientRect().width <= 1) return false;
  }
  return true;
}
function ownText(el) {
  for (const n of el.childNodes) if (n.nodeType === 3 && n.textContent.trim()) return true;
  return false;
}
function describe(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  if (el.className && typeof el.className === "string") s += "." + el.className.trim().split(/\\s+/).join(".");
  const t = (el.textContent || "").trim().slice(0, 40);
  return t ? s + " «" + t + "»" : s;
}
"""


def check_no_overflow(page, selector: str) -> list[str]:
    """Problems: each visible element matching ``selector`` whose content is
    larger than its box, and each element inside with ``overflow`` hidden or
    clip whose text is cut. Empty when all is well."""
    return page.evaluate(
        """([sel]) => {
          __VISIBLE__
          const out = [];
          for (const box of document.querySelectorAll(sel)) {
            if (!visible(box)) continue;
            if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1)
              out.push("overflow " + describe(box) + " " + box.scrollWidth + "x" + box.scrollHeight +
                       " > " + box.clientWidth + "x" + box.clientHeight);
            for (const el of box.querySelectorAll("*")) {
              if (!visible(el) || !ownText(el)) continue;
              const st = getComputedStyle(el);
              const clips = /hidden|clip/.test(st.overflowX + st.overflowY);
              if (clips && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1))
                out.push("text cut " + describe(el));
              if (st.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1)
                out.push("text cut by an ellipsis " + describe(el));
            }
            /* a text outside every box that clips it: cut without overflow on the box itself */
            const b = box.getBoundingClientRect();
            for (const el of box.querySelectorAll("*")) {
              if (!visible(el) || !ownText(el)) continue;
              const r = el.getBoundingClientRect();
              if (r.bottom > b.bottom + 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.left < b.left - 1)
                out.push("outside its scene " + describe(el));
            }
          }
          return out;
        }""".replace("__VISIBLE__", _VISIBLE_JS),
        [selector],
    )


def check_no_overlap(page, selector: str = "body") -> list[str]:
    """Problems: pairs of visible elements under ``selector`` that cover each
    other (by more than 1 px each way). Compared: elements with text of their
    own, images, buttons, meters and form fields, and every fixed or sticky
    element (such as the join strip); an element is not compared with its
    ancestors or descendants."""
    return page.evaluate(
        """([sel]) => {
          __VISIBLE__
          const root = document.querySelector(sel);
          if (!root) return ["no element " + sel];
          const items = [];
          for (const el of [root, ...root.querySelectorAll("*")]) {
            if (!visible(el)) continue;
            const tag = el.tagName;
            const st = getComputedStyle(el);
            const solid = /^(IMG|BUTTON|METER|INPUT|SELECT|TEXTAREA|svg|CANVAS)$/.test(tag);
            const pinned = st.position === "fixed" || st.position === "sticky";
            if (!(solid || pinned || ownText(el))) continue;
            if (el.closest("svg") && tag !== "svg") continue;
            /* inline text wrapping over lines: one box per line */
            const rects = st.display === "inline" ? [...el.getClientRects()] : [el.getBoundingClientRect()];
            items.push([el, rects, el.getBoundingClientRect()]);
          }
          const hit = (ra, rb) => Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 1
            && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 1;
          const out = [];
          for (let i = 0; i < items.length; i++) {
            const [a, ras, ba] = items[i];
            for (let j = i + 1; j < items.length; j++) {
              const [b, rbs, bb] = items[j];
              if (!hit(ba, bb) || a.contains(b) || b.contains(a)) continue;
              if (ras.some((ra) => rbs.some((rb) => hit(ra, rb)))) {
                out.push(describe(a) + " covers " + describe(b));
                if (out.length > 20) return out;
              }
            }
          }
          return out;
        }""".replace("__VISIBLE__", _VISIBLE_JS),
        [selector],
    )


def min_font_size(page, selector: str) -> tuple[float, str]:
    """The smallest font size (px) of the visible texts under ``selector``,
    and the element that has it (``(inf, "")`` when there is no text)."""
    size, who = page.evaluate(
        """([sel]) => {
          __VISIBLE__
          let best = [Infinity, ""];
          for (const root of document.querySelectorAll(sel)) {
            for (const el of [root, ...root.querySelectorAll("*")]) {
              if (!visible(el) || !ownText(el)) continue;
              const fs = parseFloat(getComputedStyle(el).fontSize);
              if (fs < best[0]) best = [fs, describe(el)];
            }
          }
          return best;
        }""".replace("__VISIBLE__", _VISIBLE_JS),
        [selector],
    )
    return float(size), who


def axe_contrast(page, selector: str | None = None) -> list[str]:
    """axe's color-contrast violations on the page (or under ``selector``)."""
    if not AXE.exists():
        raise AssertionError("axe-core missing: npm ci --prefix tests/axe")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # served from the page's own origin (a route of the test), so that the
        # page's strict CSP (script-src 'self') stays as it is
        url = page.evaluate("() => location.origin") + "/__tests__/axe.min.js"
        page.route(url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
        page.add_script_tag(url=url)
    result = page.evaluate(
        """async ([sel]) => {
          const ctx = sel ? document.querySelector(sel) : document;
          const r = await axe.run(ctx, { runOnly: { type: "rule", values: ["color-contrast"] },
                                         resultTypes: ["violations"] });
          return r.violations.flatMap((v) => v.nodes.map((n) => n.target.join(" ") + " : " + n.failureSummary));
        }""",
        [selector],
    )
    return result


def svg_text_sizes(page, img_selector: str) -> list[tuple[float, str]]:
    """Font sizes in screen pixels of the texts of the SVG shown by the
    ``<img>`` ``img_selector`` (its viewBox scaled as ``object-fit: contain``)."""
    return page.evaluate(
        """async ([sel]) => {
          const img = document.querySelector(sel);
          const text = await (await fetch(img.currentSrc || img.src)).text();
          const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
          const vb = (svg.getAttribute("viewBox") || "").split(/[ ,]+/).map(Number);
          const r = img.getBoundingClientRect();
          const scale = Math.min(r.width / vb[2], r.height / vb[3]);
          const out = [];
          for (const t of svg.querySelectorAll("text")) {
            const style = t.getAttribute("style") || "";
            const m = /font(?:-size)?:[^;]*?([0-9.]+)px/.exec(style) || [null, t.getAttribute("font-size")];
            if (!m[1]) continue;
            /* a scale in the text's transform (matplotlib writes none for labels) */
            const tr = /scale\\(([0-9.]+)/.exec(t.getAttribute("transform") || "");
            const size = parseFloat(m[1]) * (tr ? parseFloat(tr[1]) : 1) * scale;
            out.push([size, (t.textContent || "").trim().slice(0, 40)]);
          }
          return out;
        }""",
        [img_selector],
    )


def assert_readable(
    page,
    scene: str,
    *,
    containers: list[str] | None = None,
    body: list[str] | None = None,
    contrast: bool = True,
    label: str = "",
) -> dict:
    """Every check on the scene ``scene``: nothing overflows (the scene and
    ``containers``), nothing overlaps (the whole page: the join strip too),
    texts at least :data:`SECONDARY` of the screen's height and those under
    ``body`` at least :data:`BODY`, no contrast violation. Returns the
    measures (for the test's report)."""
    height = page.viewport_size["height"]
    problems = []
    for sel in [scene, *(containers or [])]:
        problems += check_no_overflow(page, sel)
    problems += check_no_overlap(page, "body")
    smallest, who = min_font_size(page, scene)
    if smallest < SECONDARY * height - 0.05:
        problems.append(f"text {smallest:.1f}px < {SECONDARY * height:.1f}px: {who}")
    body_min = float("inf")
    for sel in body or []:
        size, who = min_font_size(page, sel)
        body_min = min(body_min, size)
        if size < BODY * height - 0.05:
            problems.append(f"body text {size:.1f}px < {BODY * height:.1f}px: {who}")
    if contrast:
        problems += axe_contrast(page)
    assert not problems, f"{label}: " + " | ".join(problems[:12])
    return {"min_font": smallest, "body_min": body_min}
