"""Issue 18, item 2, the must-show: staff reach the front desk over a real SSH server.

A real `sshd` on 127.0.0.1 (tests/cli/sshd.py) forces `frontdesk` on a demo file for one
key, each of the two ways README's "Over SSH" gives (authorized_keys `command="…"`;
sshd's `ForceCommand` with the URL in `SetEnv`); a real `ssh -tt` runs in tmux at 80x24.
Each connection is its own process on its own pty, and the terminal name each records
(read back from the cash drawer it opens) is `<host>:pts/N ssh 127.0.0.1`. Skips, saying
what is missing, without sshd, ssh, ssh-keygen or tmux.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli.demo_db import build_demo, url_of
from tests.cli.sshd import Forced, SshServer, require_binaries, sshd_forcing

TIMEOUT_S = 60.0  # a loaded 2-core CI machine starts the app slowly
POLL_S = 0.1
SIGN_IN = "Staff number or name"
SCHEDULE = "q Quit"  # the schedule's footer
ENDED = re.compile(r"status \d+")
URL_ENV = "FRONTDESK_DATABASE_URL"
NAMED = re.compile(r"(?P<host>.+):(?P<tty>pts/\d+) ssh 127\.0\.0\.1")


def _frontdesk() -> list[str]:
    script = Path(sys.executable).with_name("frontdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "frontdesk.cli"]


class Panes:
    """Panes of a tmux server of our own (its own socket): no other session is seen."""

    def __init__(self, folder: Path) -> None:
        self.socket = f"fd-ssh-{os.getpid()}"
        self.folder = folder
        self.logs: dict[str, Path] = {}  # each pane's sshd log, for a failure to show

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def connect(self, name: str, server: SshServer) -> None:
        """`ssh -tt` in a new 80x24 pane; the shell that runs it writes how it ended to a
        file (tmux's own pane_dead_status was seen to come minutes late, or not at all,
        on a loaded machine)."""
        self.logs[name] = server.log
        ended = shlex.quote(str(self.status_file(name)))
        command = f'{shlex.join(server.ssh_argv())}; echo "status $?" > {ended}'
        pane = ["new-session", "-d", "-s", name, "-x", "80", "-y", "24", command]
        # One tmux command line: the option is set before ssh could end and take the pane.
        self.run(*pane, ";", "set-option", "-w", "-t", name, "remain-on-exit", "on")

    def status_file(self, name: str) -> Path:
        return self.folder / f"{name}.ended"

    def ssh_pid(self, name: str) -> int:
        """The ssh client of the pane (the child of the shell that runs it)."""
        shell = self.show(name, "#{pane_pid}")
        found = subprocess.run(
            ["pgrep", "-P", shell, "-x", "ssh"], capture_output=True, text=True, check=False
        ).stdout.split()
        assert found, f"no ssh under the pane's shell {shell}"
        return int(found[0])

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name)

    def show(self, name: str, key: str) -> str:
        return self.run("display", "-p", "-t", name, key).strip()

    def keys(self, name: str, *keys: str) -> None:
        self.run("send-keys", "-t", name, *keys)

    def wait_for(self, name: str, what: str, ok: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            screen = self.screen(name)
            if ok(screen):
                return screen
            if time.monotonic() > deadline:
                log = self.logs[name].read_text() if name in self.logs else ""
                raise AssertionError(
                    f"no {what} after {TIMEOUT_S:.0f} s; the screen:\n{screen}\nsshd said:\n{log}"
                )
            time.sleep(POLL_S)

    def ended(self, name: str) -> str:
        """How ssh ended: "status N" (ssh passes on the session's status; 128 + N for a
        signal N), as the shell that ran it wrote it."""

        def said() -> str:
            path = self.status_file(name)
            return path.read_text().strip() if path.exists() else ""

        self.wait_for(name, "end of ssh", lambda _: ENDED.fullmatch(said()) is not None)
        return said()


@pytest.fixture(autouse=True)
def binaries() -> None:
    """Skip first, before building anything, when sshd, ssh, ssh-keygen or tmux is missing."""
    require_binaries()


@pytest.fixture
def panes(tmp_path: Path) -> Iterator[Panes]:
    made = Panes(tmp_path)
    yield made
    socket_path = made.run("display", "-p", "#{socket_path}").strip()
    made.run("kill-server")
    if socket_path:  # tmux leaves it behind, one more file per run in /tmp/tmux-<uid>
        Path(socket_path).unlink(missing_ok=True)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small demo salon. The session sshd starts has sshd's environment, not the test
    suite's: its PINs are hashed with the pepper file beside the database, as in use."""
    monkeypatch.delenv("FRONTDESK_PEPPER", raising=False)
    path = tmp_path / "salon" / "demo.db"
    asyncio.run(build_demo(path, clients=5))
    return path


@pytest.fixture
def xdg(tmp_path: Path) -> Path:
    """The sessions' data folder: nothing lands in the account's own."""
    return tmp_path / "xdg"


@pytest.fixture
def serve(xdg: Path, database: Path) -> Iterator[Callable[[bool], SshServer]]:
    """Start sshd the first of README's two ways (`command="frontdesk --database URL"` in
    authorized_keys) or the second (`in_config`: `ForceCommand frontdesk` and the URL in
    `SetEnv FRONTDESK_DATABASE_URL`)."""
    env = {"XDG_DATA_HOME": str(xdg), "TEXTUAL_ANIMATIONS": "none"}
    with contextlib.ExitStack() as running:

        def start(in_config: bool) -> SshServer:
            if in_config:
                forced = Forced(shlex.join(_frontdesk()), {**env, URL_ENV: url_of(database)}, True)
            else:
                command = shlex.join([*_frontdesk(), "--database", url_of(database)])
                forced = Forced(command, env)
            return running.enter_context(sshd_forcing(xdg.parent / "sshd", forced))

        yield start


def _sessions(xdg: Path) -> list[int]:
    """The frontdesk processes of this test's sessions: sshd set `XDG_DATA_HOME=<xdg>`
    for them (`SetEnv`), whichever way their command was forced."""
    marker = f"XDG_DATA_HOME={xdg}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        started = any(arg.endswith(b"/frontdesk") or arg == b"frontdesk.cli" for arg in argv[:3])
        if started and marker in environ:
            found.append(int(entry.name))
    return found


def _wait_sessions(xdg: Path, count: int, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while len(running := _sessions(xdg)) != count:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{len(running)} frontdesk sessions, not {count}, after {TIMEOUT_S:.0f} s "
                f"(pids {running}); sshd said:\n{log.read_text()}"
            )
        time.sleep(POLL_S)


def _alive(pid: int) -> bool:
    """`pid` runs (a zombie does not: tmux may not have reaped it yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _drawer_terminals(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT terminal FROM cash_drawers ORDER BY id")]


def _typed(screen: str) -> tuple[str, ...]:
    """What was typed into the sign-in form's two fields (number or name, the PIN's dots);
    a field showing its placeholder holds nothing."""
    inside = (line.split("▊", 1)[1].rsplit("▎", 1)[0].strip() for line in screen.splitlines()
              if "▊" in line and "▎" in line)  # fmt: skip
    fields = [text for text in inside if text.strip("▔▁")][:2]
    return tuple("" if text in (SIGN_IN, "PIN") else text for text in fields)


def _empty_form(screen: str) -> bool:
    return _typed(screen) == ("", "") and "Olivia" in screen  # the roster is in


def _sign_in(panes: Panes, name: str, who: str, pin: str) -> None:
    """Type `who`, Enter, `pin`; Enter only once each went to its own field. The PIN's
    keys can reach the app before the Enter has moved the focus (a loaded machine), and
    then go to the first field: start over (Esc) and type them again."""
    keys = len(who) + len(pin)
    for _ in range(3):
        panes.wait_for(name, "empty sign-in form", _empty_form)
        panes.keys(name, who, "Enter")
        panes.keys(name, pin)
        screen = panes.wait_for(name, "what was typed", lambda s: len("".join(_typed(s))) >= keys)
        if _typed(screen) == (who, "•" * len(pin)):
            panes.keys(name, "Enter")
            return
        panes.keys(name, "Escape")
    raise AssertionError(f"the sign-in form never took {who!r} and the PIN apart:\n{screen}")


def _sign_in_and_open_drawer(panes: Panes, name: str, staff: int) -> None:
    """Sign in as `staff` (demo PIN: the number four times), then open this terminal's
    cash drawer with a float: a write that records the terminal's name."""
    _sign_in(panes, name, str(staff), str(staff) * 4)
    panes.wait_for(name, "schedule", lambda s: SCHEDULE in s and "appointments" in s)
    panes.keys(name, "D")
    panes.wait_for(name, "cash drawer", lambda s: "Cash drawer" in s and "not opened" in s)
    panes.keys(name, "o")
    panes.wait_for(name, "float field", lambda s: "Open the drawer" in s)
    panes.keys(name, "50", "Enter")
    panes.wait_for(name, "drawer opened", lambda s: "Opened" in s and "Float (the" not in s)


def _quit(panes: Panes, name: str) -> str:
    """Back to the schedule and quit with its key: how ssh ended."""
    panes.keys(name, "Escape")
    panes.wait_for(name, "schedule again", lambda s: SCHEDULE in s)
    panes.keys(name, "q")
    return panes.ended(name)


def _named_here(terminal: str) -> re.Match[str]:
    named = NAMED.fullmatch(terminal)
    assert named is not None, f"terminal {terminal!r} is not '<host>:pts/N ssh 127.0.0.1'"
    assert socket.gethostname().startswith(named["host"]), terminal
    return named


def test_over_real_ssh_staff_sign_in_work_and_quit_cleanly(
    panes: Panes, serve: Callable[[bool], SshServer], database: Path, xdg: Path
) -> None:
    """authorized_keys' `command="frontdesk --database URL",restrict,pty`."""
    server = serve(False)
    panes.connect("desk", server)
    _sign_in_and_open_drawer(panes, "desk", staff=4)
    assert len(_sessions(xdg)) == 1

    (terminal,) = _drawer_terminals(database)
    _named_here(terminal)

    assert _quit(panes, "desk") == "status 0", panes.screen("desk")
    _wait_sessions(xdg, 0, server.log)  # the app ended with the connection
    assert f"Accepted publickey for {server.user} from 127.0.0.1" in server.log.read_text()


def test_two_connections_are_two_sessions_and_a_dropped_one_ends_only_its_own(
    panes: Panes, serve: Callable[[bool], SshServer], database: Path, xdg: Path
) -> None:
    """sshd's `ForceCommand frontdesk` and `SetEnv FRONTDESK_DATABASE_URL=…`."""
    server = serve(True)
    panes.connect("anna", server)
    panes.connect("ben", server)
    _sign_in_and_open_drawer(panes, "anna", staff=4)
    _sign_in_and_open_drawer(panes, "ben", staff=5)
    assert len(_sessions(xdg)) == 2

    first, second = _drawer_terminals(database)  # two names, so two drawers
    assert first != second
    assert _named_here(first)["tty"] != _named_here(second)["tty"]

    # A dropped connection (the client killed, no goodbye) ends that session's app ...
    client = panes.ssh_pid("ben")
    os.kill(client, signal.SIGKILL)
    panes.wait_for("ben", "the killed client gone", lambda _: not _alive(client))
    _wait_sessions(xdg, 1, server.log)
    # ... and the other desk works on.
    assert _quit(panes, "anna") == "status 0", panes.screen("anna")
    _wait_sessions(xdg, 0, server.log)
