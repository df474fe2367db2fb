"""A library's log record, traceback and all, never reaches the terminal of a desk: it goes
to frontdesk.log in the data folder (frontdesk/log_file.py; rule 9). Real processes: in
pytest the logging plugin's own handler hides Python's last resort, so only a process of
its own shows what staff would see."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

LOGS_AN_ERROR = (
    "import logging; "
    "logging.getLogger('sqlalchemy.pool.impl').error("
    "'Exception terminating connection', exc_info=NotImplementedError('shim'))"
)


def _run(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


def test_without_it_python_prints_the_record_on_the_terminal(tmp_path: Path) -> None:
    shown = _run(LOGS_AN_ERROR, tmp_path)
    assert "NotImplementedError" in shown.stderr  # what the log file is for


def test_the_desk_s_records_go_to_a_file_only_its_owner_reads(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path; from frontdesk.log_file import keep_logs_off_the_terminal; "
        f"keep_logs_off_the_terminal(Path({str(tmp_path)!r})); " + LOGS_AN_ERROR
    )
    shown = _run(code, tmp_path)
    assert (shown.returncode, shown.stdout, shown.stderr) == (0, "", "")
    log = tmp_path / "frontdesk.log"
    kept = log.read_text()
    assert "ERROR sqlalchemy.pool.impl: Exception terminating connection" in kept
    assert "NotImplementedError: shim" in kept
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_no_record_no_file(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path; from frontdesk.log_file import keep_logs_off_the_terminal; "
        f"keep_logs_off_the_terminal(Path({str(tmp_path)!r}))"
    )
    assert _run(code, tmp_path).returncode == 0
    assert not (tmp_path / "frontdesk.log").exists()


def test_the_desk_command_keeps_them_off_the_terminal(tmp_path: Path) -> None:
    """`frontdesk` itself (its app replaced by one that logs and quits): the record is in
    the data folder's log, and the terminal shows nothing."""
    database = tmp_path / "desk.db"
    code = (
        "import logging, screens.app as app; from frontdesk import cli\n"
        "def run_app(*args, **kwargs):\n"
        f"    {LOGS_AN_ERROR.split('; ', 1)[1]}\n"
        "    return 0\n"
        "app.run_app = run_app\n"
        f"raise SystemExit(cli.main(['--database', 'sqlite+aiosqlite:///{database}',"
        " '--terminal', 'log-test']))"
    )
    shown = _run(code, tmp_path)
    assert (shown.returncode, shown.stderr) == (0, "")
    assert "NotImplementedError: shim" in (tmp_path / "frontdesk" / "frontdesk.log").read_text()
