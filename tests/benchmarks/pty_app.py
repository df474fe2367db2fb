"""The benchmark's pty runner lives in `tests/pty_terminal.py`, shared with the default
run's idle test (`tests/screens/test_idle_pty.py`)."""

from __future__ import annotations

from tests.pty_terminal import TIMEOUT_S, PtyApp, plain, sign_in

__all__ = ["TIMEOUT_S", "PtyApp", "plain", "sign_in"]
