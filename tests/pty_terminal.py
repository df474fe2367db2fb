"""A real process on a pseudo-terminal of 80x24: everything it writes is read and
counted, so a test or the benchmark's idle row can say how many bytes reach the
terminal while nobody types.

Shared by `tests/screens/test_idle_pty.py` (0 bytes, in the default run) and
`tests/benchmarks/rows/idle.py` (bytes per second, against the bare app)."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence

TIMEOUT_S = 90.0  # generous: a loaded machine (load 15+ on 2 cores) is slow, not broken
# Escape sequences (CSI, OSC, charset and keypad switches): what is left is the text.
_ESCAPES = re.compile(
    rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])"
)


def plain(raw: bytes) -> str:
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


class PtyApp:
    """`with PtyApp(command, env) as app:` started at 80x24; `app.out` grows as it writes."""

    def __init__(self, command: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.command = list(command)
        self.env = dict(os.environ)
        # As in tmux (walk.py): the demo's own pepper file, bytecode cached.
        for name in ("PYTHONDONTWRITEBYTECODE", "FRONTDESK_PEPPER"):
            self.env.pop(name, None)
        self.env.update({"TERM": "xterm-256color", **(env or {})})
        self.out = bytearray()
        self.lock = threading.Lock()
        self.master = -1
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PtyApp:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen(
            self.command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            start_new_session=True,  # the pty becomes its controlling terminal
        )
        os.close(slave)
        self.master = master
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.master)

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.out += chunk

    def written(self) -> int:
        with self.lock:
            return len(self.out)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait_for(self, word: str, after: int = 0, timeout: float = TIMEOUT_S) -> None:
        """Until `word` is in what was written since byte `after`."""
        started = time.perf_counter()
        while True:
            with self.lock:
                seen = plain(bytes(self.out[after:]))
            if word in seen:
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"the app ended ({self.proc.returncode}): {seen[-500:]!r}")
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"no {word!r} after {timeout:.0f} s: {seen[-500:]!r}")
            time.sleep(0.02)

    def step(self, keys: str, word: str) -> None:
        mark = self.written()
        self.send(keys)
        self.wait_for(word, mark)

    def wait_quiet(self, quiet: float, timeout: float = TIMEOUT_S) -> bool:
        """Until nothing has been written for `quiet` seconds (the screen's own loading
        and first paints are over): True, or False when it still writes after `timeout`
        (a screen that never stops writing; what it writes is the caller's to show)."""
        started = time.perf_counter()
        seen, since = self.written(), started
        while True:
            time.sleep(0.05)
            now, written = time.perf_counter(), self.written()
            if written != seen:
                seen, since = written, now
            elif now - since >= quiet:
                return True
            if now - started > timeout:
                return False

    def bytes_during(self, seconds: float) -> bytes:
        """What was written in the next `seconds` (the measurement itself: a fixed span)."""
        before = self.written()
        time.sleep(seconds)
        with self.lock:
            return bytes(self.out[before:])

    def clear_of_the_minute(
        self, window: float, *, quiet: float, timeout: float = 10.0, clock: bool = False
    ) -> None:
        """The header clock repaints once when the minute changes (issue 19 allows it): a
        window of `window` seconds that would cross a minute starts after the minute has
        turned and the repaint is over. Without this a benchmark whose rounds last ~30 s
        met the turn in every other round's window. With `clock` (the app shows one) the
        repaint is waited for as the new minute on screen: a loaded machine's header can
        look at the time seconds late, after a quiet spell had already passed."""
        now = time.time()
        left = 60.0 - now % 60.0
        if left > window + quiet:
            return
        mark = self.written()
        turned = now + left + 1.0  # the header looks at the time once a second
        while time.time() < turned:
            time.sleep(0.05)
        if clock:
            self.wait_for(time.strftime("%H:%M", time.localtime(turned)), mark, timeout)
        self.wait_quiet(quiet, timeout)

    def idle_rate(self, settle: float, seconds: float, *, clock: bool = False) -> float:
        """Bytes per second written during `seconds`, after `settle` seconds for the
        screen's own loading to finish, in a window clear of the minute's turn."""
        time.sleep(settle)
        self.clear_of_the_minute(seconds, quiet=settle, clock=clock)
        before = self.written()
        time.sleep(seconds)
        return (self.written() - before) / seconds


def pty_available() -> str | None:
    """Why a pty test cannot run here, or None when it can."""
    try:
        master, slave = os.openpty()
    except (AttributeError, OSError) as exc:  # not on Windows; a container may lack /dev/ptmx
        return f"no pseudo-terminal: {exc}"
    os.close(master)
    os.close(slave)
    return None


def sign_in(app: PtyApp, staff: str = "1", pin: str = "1111") -> None:
    """Staff 1, PIN 1111 (the demo's owner). The PIN field takes focus once the number is
    looked up, and keys before that land in the number field: a PIN digit counts as typed
    only when the field shows its dot; otherwise start over (Esc) and type both again."""
    app.wait_for("Olivia Bennett")
    for _ in range(5):
        app.send(f"{staff}\r")
        mark = app.written()
        app.send(pin[0])
        try:
            app.wait_for("•", mark, timeout=2.0)
        except RuntimeError:
            app.step("\x1b", "Staff number or name")
            continue
        app.step(pin[1:], "•" * len(pin))
        app.step("\r", "Booked")
        return
    raise RuntimeError("could not sign in")
