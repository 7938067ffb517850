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

# The family personas of the family's own view, for its journeys.
from tests.incidents.conftest import keyham  # noqa: E402, F401
from tests.parents.conftest import family_personas  # noqa: E402, F401

# WCAG 1.4.10 Reflow: at 320 CSS pixels wide nothing makes the page scroll
# sideways. A wide table scrolls inside its own labelled region
# (.onestory-table-scroll), which does not widen the page. This names the
# outermost elements that stick out past the right edge, for the message.
REFLOW_WIDTH = 320
WIDER_THAN_THE_SCREEN = """() => {
  const page = document.documentElement;
  const edge = page.clientWidth + 1;
  if (page.scrollWidth <= edge) return [];
  const outside = el => el.getBoundingClientRect().right > edge;
  const outermost = [...document.body.querySelectorAll("*")].filter(el =>
    outside(el) && !(el.parentElement !== document.body && outside(el.parentElement)));
  // What sits in a scrolling region is clipped by it, unless it escapes it
  // (absolutely positioned, say): name those only if nothing else is found.
  const inRegion = el => el.parentElement.closest(".onestory-table-scroll");
  const clear = outermost.filter(el => !inRegion(el));
  const found = clear.length ? clear : outermost;
  const name = el => el.tagName.toLowerCase()
    + (el.className && el.className.baseVal === undefined ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + ' "' + (el.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 60) + '"';
  return [`the page is ${page.scrollWidth} pixels wide`, ...found.slice(0, 5).map(name)];
}"""


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
        self.reflowed = []
        self.csp_violations = []
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def go(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        """axe-core at WCAG 2.2 AA on the page as it is now: 0 violations; and
        the page reflows at 320 pixels, with JavaScript and without.

        axe is JavaScript, so it runs in the JavaScript journey; the same pages
        without JavaScript are proved to work by the same steps and assertions.
        """
        if self.javascript:
            self._check_axe()
        self.check_reflow()

    def check_reflow(self):
        """At 320 CSS pixels wide the page does not scroll sideways (the
        viewport goes back to what it was afterwards)."""
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
        try:
            wider = self._settled(lambda: self.page.evaluate(WIDER_THAN_THE_SCREEN))
            if wider is None:  # the page changed: check the new one
                wider = self._settled(lambda: self.page.evaluate(WIDER_THAN_THE_SCREEN))
        finally:
            self.page.set_viewport_size(size)
        assert wider is not None, f"{self.page.url} kept changing"
        assert wider == [], f"{self.page.url} scrolls sideways at 320 pixels: {wider}"
        self.reflowed.append(self.page.url)

    def _check_axe(self):
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
        return self._settled(
            lambda: (
                self.page.evaluate(AXE_SOURCE.read_text()),
                self.page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                    AXE_TAGS,
                ),
            )[-1]
        )

    def _settled(self, evaluate):
        """What `evaluate` finds on the loaded page, or None when a navigation
        still under way (a form just posted) replaced the page meanwhile."""
        from playwright.sync_api import Error

        self.page.wait_for_load_state("load")
        try:
            return evaluate()
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
