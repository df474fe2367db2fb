"""A failed worker as one line for the person at the desk, never a traceback on screen
(`frontdesk.domain.errors.describe` writes the line)."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from frontdesk.domain.errors import describe


def report_failed_worker(node: DOMNode, worker: Worker[object], state: WorkerState) -> None:
    """For workers started with exit_on_error=False: show what went wrong and carry on."""
    if state is not WorkerState.ERROR:
        return
    node.log.error(f"worker {worker.name!r} failed", worker.error)
    node.app.notify(describe(worker.error), title="Something went wrong", severity="error")
