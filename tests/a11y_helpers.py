"""axe-core in Chromium: the rules of WCAG 2.0/2.1 A and AA and axe's RGAA tags.

axe-core comes from the npm registry for the tests only (``tests/axe/package.json``
and its lock file; ``npm ci --prefix tests/axe``): nothing of it ships in the app.
Playwright injects it with ``add_script_tag(path=...)``, which writes an inline
script; the contexts that run it are opened with ``bypass_csp=True`` so that
the app's own Content-Security-Policy stays strict (no ``unsafe-inline``).
"""

import json
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# axe-core 4.14's tags: WCAG 2.0 and 2.1, levels A and AA, and its RGAA 4 rules.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"]


def axe_path() -> Path:
    if not AXE.exists():
        pytest.fail("axe-core missing: run `npm ci --prefix tests/axe` (see README)")
    return AXE


def axe_violations(page, context: str | None = None) -> list[dict]:
    """Every violation axe finds on the page as it is now (all impact levels)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path()))
    result = page.evaluate(
        """async ([tags, context]) => {
            const r = await axe.run(context || document, {
                runOnly: { type: "tag", values: tags },
                resultTypes: ["violations"],
            });
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, tags: v.tags,
                nodes: v.nodes.slice(0, 5).map((n) => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            }));
        }""",
        [TAGS, context],
    )
    return result


def assert_no_violations(page, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"{where}: " + json.dumps(found, ensure_ascii=False, indent=1)[:6000]


def summarise(found: list[dict], where: str) -> list[str]:
    """One line per violation and node: where, rule, impact, element."""
    return [
        f"{where}: {v['id']} ({v['impact']}) {n['target']} :: {n['summary'].splitlines()[-1].strip()}"
        for v in found
        for n in v["nodes"]
    ]
