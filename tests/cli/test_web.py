"""`frontdesk serve --web` in a real headless Chromium (issue 18, item 3).

Debian's Chromium, driven by Playwright (`executable_path`; Playwright's own browser
download is never used). The page is textual-serve's: an xterm.js terminal drawn on a
canvas, so its text is read from the terminal's buffer, found by a script that runs
before the page's own (`TERMINAL_HOOK`). Skipped, saying why, without Chromium or
Playwright; .ci/run installs Chromium when it can.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from frontdesk import cli
from tests.money import TEST_MONEY

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser")
RENDER_TIMEOUT_MS = 60_000  # a loaded machine: the app starts in a second process
PIN = "2468"

# textual-serve keeps its xterm.js Terminal in a closure; the object holding it sets its
# `fitAddon` right after `terminal`, so a setter on Object.prototype sees it go by.
TERMINAL_HOOK = """
(() => {
  window.__terminals = [];
  Object.defineProperty(Object.prototype, "fitAddon", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "fitAddon", {
        value, writable: true, configurable: true, enumerable: true,
      });
      if (this.terminal && this.terminal.buffer) window.__terminals.push(this.terminal);
    },
  });
  window.__screenText = () => {
    const terminal = window.__terminals[0];
    if (!terminal) return "";
    const buffer = terminal.buffer.active;
    const rows = [];
    for (let y = 0; y < terminal.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      rows.push(line ? line.translateToString(true) : "");
    }
    return rows.join("\\n");
  };
})();
"""
SHOWS = "(wanted) => new RegExp(wanted).test(window.__screenText())"


@pytest.fixture
def chromium() -> str:
    """Debian's Chromium, and Playwright to drive it: else the test is skipped, saying
    which is missing (before anything is built or started for it)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("no playwright to drive Chromium (pip install '.[test]')")
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no Chromium (/usr/bin/chromium, chromium or chromium-browser on PATH): "
        "apt-get install chromium"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_listening(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Until the port answers; a server that exits first fails the test with its words."""
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited ({server.returncode}): {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)  # a connection refused comes back at once: poll, gently
    pytest.fail(f"nothing listened on {port}: {log.read_text()}")


def _gone(pid: int) -> bool:
    """No such process any more (or only its exit status, waiting to be collected)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _wait_gone(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not all(_gone(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """One owner whose PIN the test knows, on each engine; the server creates the store
    itself, in the test's currency, as the TUI would on its first start."""
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PIN}\n"))  # a pipe, as a script gives it
    argv = ["staff", "add", "Ada Lovelace", "--role", "owner", "--database", db_url]
    assert cli.main(argv) == 0
    return db_url


@pytest.fixture
def served(store: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    """`frontdesk serve --web` on a free port; stopped (and its sessions) afterwards."""
    port = _free_port()
    log = tmp_path / "serve.log"
    money = ["--currency", TEST_MONEY.currency, "--locale", TEST_MONEY.locale]
    command = [sys.executable, "-m", "frontdesk.cli", "--database", store, *money]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "serve", "--web", "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
            start_new_session=True,  # its sessions too can be ended, whatever happens
        )
    try:
        _wait_listening(server, port, log)
        yield server, port, log
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


def _keep_local(route: Route) -> None:
    """The page also asks the internet for a font: not needed, and CI may be offline."""
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


def _screen(page: Page) -> str:
    text: str = page.evaluate("window.__screenText()")
    return text


def _wait_for(page: Page, pattern: str) -> str:
    page.wait_for_function(SHOWS, arg=pattern, timeout=RENDER_TIMEOUT_MS)
    return _screen(page)


def _open(page: Page, port: int) -> int:
    """Open the desk; the process id its terminal name carries."""
    page.route("**/*", _keep_local)
    page.add_init_script(TERMINAL_HOOK)
    page.goto(f"http://127.0.0.1:{port}/")
    named_as = rf"{re.escape(socket.gethostname())} web (\d+)"  # in the header, once loaded
    shown = _wait_for(page, rf"{named_as}[\s\S]*Staff number or name")
    named = re.search(named_as, shown.splitlines()[0])
    assert named, shown
    return int(named.group(1))


def test_the_desk_in_chromium_signs_in_shows_the_schedule_and_answers_a_key(
    chromium: str, served: tuple[subprocess.Popen[bytes], int, Path]
) -> None:
    from playwright.sync_api import sync_playwright

    server, port, log = served
    sessions: list[int] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1024, "height": 640})
            sessions.append(_open(page, port))
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.type("1")
            page.keyboard.press("Enter")
            page.keyboard.type(PIN)
            page.keyboard.press("Enter")
            schedule = _wait_for(page, r"Main · .* · \d+ appointments?")
            assert "Ada Lovelace" in schedule.splitlines()[0]
            assert "Book / Search" in schedule  # the footer: the schedule's keys

            page.keyboard.press("n")
            # The booking form, drawn over the schedule (a frame may arrive in parts).
            booking = _wait_for(page, r"New appointment[\s\S]*Choose a service")
            assert booking != schedule

            # A second browser is a second desk, under its own honest name.
            other = browser.new_page(viewport={"width": 1024, "height": 640})
            sessions.append(_open(other, port))
            assert sessions[0] != sessions[1]
            for pid in sessions:
                assert b"frontdesk.cli" in Path(f"/proc/{pid}/cmdline").read_bytes()

            # Ctrl+C with both desks open: the server and every session end, cleanly.
            server.send_signal(signal.SIGINT)
            code = server.wait(timeout=60)
        finally:
            browser.close()
    said = log.read_text()
    assert code in (0, 130), said
    assert "Traceback" not in said
    assert all(line.startswith("frontdesk: ") for line in said.splitlines()), said
    assert said.startswith(f"frontdesk: serving the desk at http://127.0.0.1:{port}"), said
    assert _wait_gone(sessions, 30), f"sessions left running: {sessions}"
