"""Playwright in Chromium against a live server, with axe-core on every page."""

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to
# run where a loop is running unless told the thread is really synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sys.path.insert(0, str(ROOT / "scripts"))
from check_browser import find_chromium  # noqa: E402


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        pytest.fail("No Chromium: see scripts/check_browser.py for what to install.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Journey:
    """One person's visit: a page, the pages checked by axe, and CSP violations."""

    def __init__(self, page, base_url, *, javascript):
        self.page = page
        self.javascript = javascript
        self.base_url = base_url
        self.checked = []
        self.csp_violations = []
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def go(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        """axe-core at WCAG 2.2 AA on the page as it is now: 0 violations.

        axe is JavaScript, so it runs in the JavaScript journey; the same pages
        without JavaScript are proved to work by the same steps and assertions.
        """
        if not self.javascript:
            return
        result = self._axe()
        if result is None:  # the page changed under axe: check the new one
            result = self._axe()
        assert result is not None, f"{self.page.url} kept changing under axe"
        violations = [
            {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]
        assert violations == [], f"{self.page.url}: {json.dumps(violations, indent=1)}"
        self.checked.append(self.page.url)

    def _axe(self):
        """axe's result for the loaded page, or None when a navigation still
        under way (a form just posted) replaced the page while axe ran."""
        from playwright.sync_api import Error

        self.page.wait_for_load_state("load")
        try:
            self.page.evaluate(AXE_SOURCE.read_text())
            return self.page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                AXE_TAGS,
            )
        except Error as error:
            navigated = ("documentElement", "Execution context was destroyed")
            if not any(text in error.message for text in navigated):
                raise
            self.page.wait_for_load_state("load")
            return None


@pytest.fixture(params=["with JavaScript", "without JavaScript"])
def journey(request, browser, live_server):
    javascript = request.param == "with JavaScript"
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    journey = Journey(page, live_server.url, javascript=javascript)
    yield journey
    context.close()
    assert journey.csp_violations == []
