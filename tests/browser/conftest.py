"""Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The axe-core rule tags that make up WCAG 2.2 level AA.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    where: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
  }));
}"""

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse the ORM calls the tests make to set up data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Assertions retry until this long: generous, because CI runs two test workers and
# PDF renders beside the browser on two cores.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Debian's chromium is not installed at {CHROMIUM} (make test installs it as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh browser tab; the test fails if the Content-Security-Policy blocked anything."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    violations: list[str] = []
    watch_csp(page, violations)
    yield page
    context.close()
    assert violations == []


def submit_login(page, username: str = "demo", password: str = "offerdesk-demo") -> None:
    """Fill in and send the log-in form the page shows (the demo account by default)."""
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def watch_csp(page, violations: list[str]) -> None:
    """Collect every Content-Security-Policy report Chromium prints for this tab."""
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


def screenshot(page, name: str) -> None:
    """Save the page at desktop and phone widths for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 AA findings for the page as it stands.

    The script goes in through the DevTools protocol, which the page's
    Content-Security-Policy does not govern (a <script> tag would be refused).
    A click on a link returns once the navigation has started, so the page may still
    be swapping documents when axe runs: then it waits for the new one and runs again.
    """
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (make test installs it with npm)")
    for _ in range(2):
        try:
            return _run_axe(page)
        except PlaywrightError as error:
            if not _mid_navigation(error):
                raise
    return _run_axe(page)


def _run_axe(page) -> list[dict]:
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE, WCAG_22_AA)


def _mid_navigation(error: Exception) -> bool:
    """Whether ``error`` is a script that ran into a document being replaced."""
    text = str(error)
    return any(
        sign in text
        for sign in ("Execution context was destroyed", "reading 'documentElement'", "navigat")
    )


def assert_accessible(page, name: str) -> None:
    violations = axe_violations(page)
    print(f"axe: {name}: {len(violations)} WCAG 2.2 AA violations")
    assert violations == [], f"{name} ({page.url}): {violations}"
