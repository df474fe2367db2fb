"""Errors as one line for the person at the desk, never a traceback on screen."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from frontdesk.domain.errors import DomainError


def describe(exc: BaseException | None) -> str:
    """A DomainError's own message; anything else as its type and first line."""
    if exc is None:
        return "Unknown error"
    if isinstance(exc, DomainError):
        return str(exc)
    first = (str(exc).strip().splitlines() or [""])[0][:160]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def report_failed_worker(node: DOMNode, worker: Worker[object], state: WorkerState) -> None:
    """For workers started with exit_on_error=False: show what went wrong and carry on."""
    if state is not WorkerState.ERROR:
        return
    node.log.error(f"worker {worker.name!r} failed", worker.error)
    node.app.notify(describe(worker.error), title="Something went wrong", severity="error")
