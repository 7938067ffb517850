"""`make test` installs a Chromium for the browser journeys where it may."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import check_browser


def test_with_no_chromium_it_installs_debians_as_root(monkeypatch, capsys):
    found = iter([None, "/usr/bin/chromium"])
    ran = []
    monkeypatch.setattr(check_browser, "find_chromium", lambda: next(found))
    monkeypatch.setattr(check_browser.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(check_browser.os, "geteuid", lambda: 0)
    monkeypatch.delenv("ONESTORY_INSTALL_BROWSER", raising=False)

    def run(command, **kwargs):
        ran.append(command)
        return check_browser.subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(check_browser.subprocess, "run", run)
    assert check_browser.main() == 0
    assert ran[-1] == ["/usr/bin/apt-get", "install", "-y", "-qq", "chromium"]


def test_it_stops_with_a_message_when_nothing_can_be_installed(monkeypatch, capsys):
    monkeypatch.setattr(check_browser, "find_chromium", lambda: None)
    monkeypatch.setenv("ONESTORY_INSTALL_BROWSER", "false")
    assert check_browser.main() == 1
    assert "No Chromium for the browser tests" in capsys.readouterr().err
