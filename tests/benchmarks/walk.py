"""The desk as staff use it, in a real process at 80x24 (tmux): `frontdesk --demo`
started on a demo database prepared beforehand (a "later" start), signed in as the demo
owner, a client found and opened, the Account tab. Launch, profile and memory rows read
their figures from these walks; the bare app is started the same way."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.bare_app import MARK
from tests.benchmarks.options import Options
from tests.benchmarks.terminal import Terminal, frontdesk

SIGN_IN_SHOWN = "Olivia Bennett"  # the demo owner, first in the sign-in list
ROWS_SHOWN = ("Booked",)
CLIENT = "amelia hart"
HIT = "Amelia Hart"
BALANCES = "Beauty Bank Available Balance"  # the profile's Overview: balances shown
ACCOUNT_ROWS = "Adjust Balance · y Pay"  # the Account tab's own line, once it loaded


@dataclass
class Walk:
    first_frame_s: float = 0.0
    rows_s: float = 0.0
    profile_s: list[float] = field(default_factory=list)
    account_s: float = 0.0
    rss_mb: dict[str, float] = field(default_factory=dict)
    growth_mb: list[tuple[int, float]] = field(default_factory=list)  # (opens so far, RSS)


@contextmanager
def demo_home() -> Iterator[Path]:
    """A data folder whose demo database exists, so every start measured is a later one."""
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as tmp:
        yield Path(tmp)


def ours(opts: Options, home: Path) -> Terminal:
    return Terminal([*frontdesk(opts.venv_bin), "--demo"], {"XDG_DATA_HOME": str(home)})


def bare() -> Terminal:
    return Terminal([sys.executable, "-m", "tests.benchmarks.bare_app"])


def prepare(opts: Options, home: Path) -> None:
    """A first start builds the demo; its history and renewal days land after the
    schedule shows, so wait until the seed marked it complete (else every start
    rebuilds a partial demo and none of them is a later start)."""
    with ours(opts, home) as t:
        sign_in(t)
        url = f"sqlite+aiosqlite:///{home / 'frontdesk' / 'demo.db'}"
        deadline = time.perf_counter() + 300
        while asyncio.run(_state(url)) != "complete":
            if time.perf_counter() > deadline:
                raise RuntimeError("the demo did not complete in 300 s")
            time.sleep(0.5)


async def _state(url: str) -> str:
    from frontdesk.db.engine import create_engine
    from frontdesk.demo.state import demo_state
    from frontdesk.services.context import ServiceContext

    engine = create_engine(url)
    try:
        return await demo_state(ServiceContext.create(engine, terminal="bench"))
    finally:
        await engine.dispose()


def sign_in(t: Terminal) -> float:
    t.wait_for(SIGN_IN_SHOWN)
    t.keys("1", "Enter")
    t.text("1111")
    t.keys("Enter")
    return t.wait_for(*ROWS_SHOWN)


def open_profile(t: Terminal) -> float:
    """From the schedule: `/`, the name, Enter; seconds from Enter to the balances."""
    t.press_until("/", "Find a client")
    t.type_until(CLIENT, HIT, "C000001")
    entered = time.perf_counter()
    t.keys("Enter")
    return t.wait_for(BALANCES, since=entered)


def back_to_schedule(t: Terminal) -> None:
    t.keys("Escape")
    t.wait_gone(BALANCES)
    t.wait_for(*ROWS_SHOWN)
    # The schedule re-reads its day on the way back; a `/` typed meanwhile can be lost.
    t.wait_gone("loading…")


def walk_ours(opts: Options, home: Path, opens: int = 3, growth: int = 0) -> Walk:
    w = Walk()
    with ours(opts, home) as t:
        w.first_frame_s = t.first_frame()
        w.rows_s = sign_in(t)
        w.rss_mb["schedule"] = t.rss_mb()
        for n in range(opens):
            if n:
                back_to_schedule(t)
            w.profile_s.append(open_profile(t))
        if opens:
            w.rss_mb["profile"] = t.rss_mb()
            pressed = time.perf_counter()
            t.keys("7")
            w.account_s = t.wait_for(ACCOUNT_ROWS, since=pressed)
            w.rss_mb["account"] = t.rss_mb()
        for n in range(1, growth + 1):
            back_to_schedule(t)
            open_profile(t)
            if n % 10 == 0 or n == growth:
                w.growth_mb.append((n, t.rss_mb()))
        if growth:
            w.rss_mb["after opens"] = t.rss_mb()
    return w


def walk_bare() -> Walk:
    w = Walk()
    with bare() as t:
        w.first_frame_s = t.first_frame()
        w.rows_s = t.wait_for(MARK)
        w.rss_mb["bare"] = t.rss_mb()
    return w


def check_tmux() -> None:
    if shutil.which("tmux") is None:
        raise RuntimeError("these rows need tmux")
    os.environ.pop("TMUX", None)
