"""A real process at 80x24 in a detached tmux session: start it, type, read the screen,
wait for words on it, read its memory. The launch, profile and memory rows use it."""

from __future__ import annotations

import atexit
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

POLL_S = 0.01  # a capture-pane costs a few ms; a finer poll only loads the machine
TIMEOUT_S = 90.0  # generous: a loaded machine (load 15+ on 2 cores) is slow, not broken
_sessions = itertools.count(1)
# A tmux server of our own (its own socket, no user config), kept up between sessions.
# On the shared default server a session ending as the last one took the server down,
# and a new-session sent while it was exiting failed ("server exited unexpectedly", 2 in
# 200 new/kill pairs here); other people's sessions and kill-server reached ours too, and
# the server kept the environment of whoever had started it.
SOCKET = f"frontdesk-bench-{os.getpid()}"
_server_up = False


def tmux(*args: str) -> str:
    return _run(*args).stdout


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = ["tmux", "-L", SOCKET, "-f", os.devnull, *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _server() -> None:
    """Start our server once, with exit-empty off: it outlives every session, so no
    new-session ever meets it exiting; it goes when this process does."""
    global _server_up
    if _server_up:
        return
    started = _run("start-server", ";", "set-option", "-s", "exit-empty", "off")
    if started.returncode != 0:
        raise RuntimeError(f"tmux start-server failed: {started.stderr.strip()}")
    _server_up = True
    atexit.register(_stop_server)


def _stop_server() -> None:
    _run("kill-server")
    # tmux leaves the socket file behind: one more per run in /tmp/tmux-<uid>.
    folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
    (folder / SOCKET).unlink(missing_ok=True)


def frontdesk(venv_bin: Path) -> list[str]:
    script = venv_bin / "frontdesk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "frontdesk.cli"]


class Terminal:
    """`with Terminal(command, env) as t:` — the pane's shell runs the command and then
    says `EXIT=<code>`, so a program that dies shows why instead of a blank wait; the
    program's pid (for /proc/<pid>/status) is the shell's child."""

    def __init__(self, command: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.name = f"bench-{os.getpid()}-{next(_sessions)}"
        setting = [f"{k}={v}" for k, v in (env or {}).items()]
        # Unset what the tmux server may have kept from whoever started it: bytecode is
        # cached, as in a user's shell, and the demo's PINs use its own pepper file
        # unless a row passes one (a pepper from elsewhere makes every PIN wrong).
        unset = ["-u", "PYTHONDONTWRITEBYTECODE", "-u", "FRONTDESK_PEPPER"]
        program = " ".join(["env", *unset, *setting, *command])
        self.line = f"{program}; echo EXIT=$?; sleep 300"
        self.started = 0.0

    def __enter__(self) -> Terminal:
        _server()
        self.started = time.perf_counter()
        size = ("-x", "80", "-y", "24")
        started = _run("new-session", "-d", "-s", self.name, *size, "-c", os.getcwd(), self.line)
        if started.returncode != 0:
            raise RuntimeError(f"tmux new-session failed: {started.stderr.strip()}")
        return self

    def __exit__(self, *exc: object) -> None:
        tmux("kill-session", "-t", self.name)

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        tmux("send-keys", "-t", self.name, *keys)

    def text(self, typed: str) -> None:
        tmux("send-keys", "-t", self.name, "-l", typed)

    def wait_for(self, *words: str, since: float | None = None) -> float:
        """Seconds from `since` (default: the start) until every word is on screen."""
        since = self.started if since is None else since
        while True:
            screen = self.screen()
            if all(w in screen for w in words):
                return time.perf_counter() - since
            if "EXIT=" in screen:
                raise RuntimeError(f"the program ended before {words!r}:\n{screen}")
            if time.perf_counter() - since > TIMEOUT_S:
                raise RuntimeError(f"no {words!r} after {TIMEOUT_S:.0f} s:\n{screen}")
            time.sleep(POLL_S)

    def press_until(self, key: str, word: str, retry_after: float = 3.0) -> None:
        """Press `key` until `word` shows: a key pressed while a screen is still being
        set up (focus moving, a worker finishing) can be dropped on a loaded machine."""
        since = time.perf_counter()
        while True:
            self.keys(key)
            pressed = time.perf_counter()
            while time.perf_counter() - pressed < retry_after:
                if word in self.screen():
                    return
                time.sleep(POLL_S)
            if time.perf_counter() - since > TIMEOUT_S:
                raise RuntimeError(f"no {word!r} after {TIMEOUT_S:.0f} s:\n{self.screen()}")

    def type_until(self, typed: str, *words: str, retry_after: float = 2.0) -> None:
        """Type `typed` until `words` show; typed again only when it is not on screen
        after `retry_after` s (a field that was not focused yet dropped it)."""
        since = typed_at = time.perf_counter()
        self.text(typed)
        while not all(w in (screen := self.screen()) for w in words):
            now = time.perf_counter()
            if typed not in screen and now - typed_at > retry_after:
                self.text(typed)
                typed_at = now
            if now - since > TIMEOUT_S:
                raise RuntimeError(f"no {words!r} after {TIMEOUT_S:.0f} s:\n{screen}")
            time.sleep(POLL_S)

    def wait_gone(self, word: str) -> None:
        since = time.perf_counter()
        while word in self.screen():
            if time.perf_counter() - since > TIMEOUT_S:
                raise RuntimeError(f"{word!r} still on screen after {TIMEOUT_S:.0f} s")
            time.sleep(POLL_S)

    def first_frame(self) -> float:
        """Seconds from the start until anything at all is drawn."""
        while not self.screen().strip():
            if time.perf_counter() - self.started > TIMEOUT_S:
                alive = tmux("list-sessions", "-F", "#{session_name}")
                raise RuntimeError(f"nothing drawn in {self.name} (sessions: {alive.split()})")
            time.sleep(POLL_S)
        return time.perf_counter() - self.started

    def pid(self) -> int:
        shell = int(tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        if len(children) != 1:
            raise RuntimeError(f"expected one program under the pane's shell: {children}")
        return int(children[0])

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")
