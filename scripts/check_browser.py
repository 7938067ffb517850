"""Find a Chromium for the browser tests, installing one where this machine
allows (Debian's package when apt-get may run, Playwright's browser where the
network allows), and stop `make test` with a clear message when neither works.

The browser journeys are part of the suite: they are never skipped silently.
"""

import os
import shutil
import subprocess
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


def _install() -> None:
    """Debian's chromium as root with apt-get; else Playwright's own browser."""
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    apt_get = shutil.which("apt-get")
    if apt_get and os.geteuid() == 0:
        print("No Chromium found: installing Debian's chromium package")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt_get, "update", "-qq"], env=env, check=False, **quiet)  # noqa: S603
        done = subprocess.run(  # noqa: S603
            [apt_get, "install", "-y", "-qq", "chromium"],
            env=env,
            check=False,
        )
        if done.returncode == 0:
            return
    playwright = Path(sys.executable).with_name("playwright")
    if playwright.is_file():
        print("No Chromium found: trying `playwright install chromium`")
        subprocess.run([str(playwright), "install", "chromium"], check=False)  # noqa: S603


def main() -> int:
    found = find_chromium()
    if not found and os.environ.get("ONESTORY_INSTALL_BROWSER", "true") != "false":
        _install()
        found = find_chromium()
    if found:
        print(f"Browser tests will use Chromium at {found}")
        return 0
    print(
        "No Chromium for the browser tests.\n"
        "Install Debian's chromium package (sudo apt-get install chromium), or run\n"
        "`.venv/bin/playwright install chromium` where the network allows it, or set\n"
        "ONESTORY_CHROMIUM to a Chromium executable. Then run `make test` again.\n"
        "(make test tries the first two itself unless ONESTORY_INSTALL_BROWSER=false.)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
