"""What the browser tests share: the axe-core accessibility check and the optional screenshots.

axe-core is an npm development dependency (package.json, pinned, installed by `npm ci`, which
`make test` runs when node_modules/axe-core is missing). It is injected into the page under test
with Playwright's `add_script_tag`, so motcua itself never serves it.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What fails a page: axe's two highest impacts. "moderate" and "minor" are reported by axe but
# are judgement calls (a landmark missing on a fragment page, a redundant title…).
FAILING_IMPACTS = ("serious", "critical")
SCREENSHOTS = ROOT / "docs" / "screenshots" / "online"


def axe_violations(page, impacts=FAILING_IMPACTS) -> list[dict]:
    """Run axe-core on the page as it is now; the violations with one of `impacts`."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing ({AXE_SCRIPT.relative_to(ROOT)}): run `npm ci --no-audit --no-fund` "
                    "at the repository root (`make test` does it when node_modules/axe-core is missing)")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}: {node['summary']}".replace("\n", " / "))
    return "\n".join(lines)


def check_accessibility(page, name: str = "") -> None:
    """Fail listing every serious or critical axe-core violation of the page."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(f"axe-core: {len(violations)} serious/critical violation(s) on {name or page.url}:\n"
                    + describe(violations), pytrace=False)


def shoot(page, name: str) -> None:
    """Full-page screenshot into docs/screenshots/online/ when MOTCUA_SCREENSHOTS=1 (CI leaves the tree clean)."""
    if os.environ.get("MOTCUA_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
