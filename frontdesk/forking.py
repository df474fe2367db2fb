"""Database work in a child process beside the CLI's start-up, on a second core.

The CLI spends most of its start-up importing the app; the database work it needs
before the first frame (checks, a first demo's seed) can run meanwhile in a child. On
Linux the child is forked once the database layer, which both processes need, is
imported and the ORM configured: it starts with them loaded instead of importing them
again. Reports come back over a one-way pipe.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkContext, SpawnContext
    from multiprocessing.process import BaseProcess


FAILED = "error"  # the report a child sends when its work raised: (FAILED, one line)


def can_fork() -> bool:
    """Fork is unsafe on macOS (system libraries) and absent on Windows."""
    return sys.platform == "linux"


def start_beside(
    target: Callable[..., None], *args: object, name: str, fork: bool | None = None
) -> tuple[BaseProcess, Connection]:
    """Start `target(*args, reports)` in a child; the parent reads `reports`. If the
    target raises, the child reports (FAILED, the one line the CLI would print)."""
    import multiprocessing

    if fork is None:
        fork = can_fork()
    if fork:
        from sqlalchemy.orm import configure_mappers

        import frontdesk.services.context  # noqa: F401  (the shared database layer)

        configure_mappers()  # both processes query through the ORM: once, here
        gc.freeze()  # the child's collector leaves the shared objects (and pages) be
    context: ForkContext | SpawnContext = (
        multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
    )
    reports, child_end = context.Pipe(duplex=False)
    process = context.Process(target=_child_main, args=(target, args, child_end), name=name)
    process.start()
    child_end.close()  # so the parent sees EOF once the child has gone
    return process, reports


def _child_main(target: Callable[..., None], args: tuple[object, ...], reports: Connection) -> None:
    gc.enable()  # the CLI turns collection off while it starts up
    try:
        target(*args, reports)
    except BaseException as exc:  # the parent shows one line, never a traceback
        from frontdesk.cli import describe_error

        with contextlib.suppress(OSError):  # the parent has gone
            reports.send((FAILED, describe_error(exc)))
        raise SystemExit(2) from None
    finally:
        reports.close()
