"""Stop `make test` with a clear message when no Chromium can run the browser tests.

The browser journeys are part of the suite: they are never skipped silently.
"""

import os
import shutil
import sys
from pathlib import Path


def find_chromium() -> str | None:
    candidates = [os.environ.get("ONESTORY_CHROMIUM", ""), "/usr/bin/chromium"]
    candidates += [
        shutil.which(name) or "" for name in ("chromium", "chromium-browser")
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return _playwright_chromium()


def _playwright_chromium() -> str | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if Path(path).is_file() else None


def main() -> int:
    found = find_chromium()
    if found:
        print(f"Browser tests will use Chromium at {found}")
        return 0
    print(
        "No Chromium for the browser tests.\n"
        "Install Debian's chromium package (sudo apt-get install chromium), or run\n"
        "`.venv/bin/playwright install chromium` where the network allows it, or set\n"
        "ONESTORY_CHROMIUM to a Chromium executable. Then run `make test` again.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
