"""The terminal name the app records (issue 13, item 5): checked at start-up, one line and
exit 2 when it breaks the rule, and over SSH followed by the client's address."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk import cli
from screens.start import StartCheck
from tests.cli.demo_db import run_start_check

CLIENT = "203.0.113.9"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The terminal names the app was opened with (the app itself is not started)."""
    names: list[str] = []

    def run_app(url: str, *, terminal: str, check: StartCheck | None = None) -> int:
        if check is not None:  # what the app's start worker runs first
            run_start_check(url, terminal, check)
        names.append(terminal)
        return 0

    monkeypatch.setattr("screens.app.run_app", run_app)
    monkeypatch.setattr("socket.gethostname", lambda: "salon-pc")
    for variable in ("SSH_CONNECTION", "SSH_CLIENT", "FRONTDESK_TERMINAL"):
        monkeypatch.delenv(variable, raising=False)
    return names


def _url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'salon.db'}"


def test_the_name_given_or_the_host_is_recorded(opened: list[str], tmp_path: Path) -> None:
    new_store = ["--currency", "GBP", "--locale", "en_GB"]  # said once, by the first run
    assert cli.main(["--terminal", " Reception 2 ", "--database", _url(tmp_path), *new_store]) == 0
    assert cli.main(["--database", _url(tmp_path)]) == 0
    assert opened == ["Reception 2", "salon-pc"]  # stdin is not a tty under pytest


def test_over_ssh_the_client_follows_any_name(
    opened: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", f"{CLIENT} 50022 10.0.0.5 22")
    assert cli.main(["--database", _url(tmp_path), "--currency", "GBP", "--locale", "en_GB"]) == 0
    assert cli.main(["--terminal", "Reception 2", "--database", _url(tmp_path)]) == 0
    monkeypatch.setenv("FRONTDESK_TERMINAL", "Till")
    assert cli.main(["--database", _url(tmp_path)]) == 0
    assert opened == [f"salon-pc ssh {CLIENT}", f"Reception 2 ssh {CLIENT}", f"Till ssh {CLIENT}"]


@pytest.mark.parametrize(
    ("argv", "environ", "needle"),
    [
        (["--terminal", "desk\x1b[2J"], {}, "--terminal: A terminal name is plain text"),
        (["--terminal", "desk\u202e2"], {}, "--terminal: A terminal name is plain text"),
        (["--terminal", ""], {}, "--terminal: A terminal name needs at least one character"),
        (["--terminal", "x" * 81], {}, "--terminal: Keep the terminal name to 80 characters"),
        ([], {"FRONTDESK_TERMINAL": "till\n2"}, "FRONTDESK_TERMINAL: A terminal name is plain"),
        (
            ["--terminal", "x" * 70],
            {"SSH_CLIENT": f"{CLIENT} 50022 22"},
            f"--terminal: Over SSH the terminal name is followed by 'ssh {CLIENT}'",
        ),
    ],
)
def test_a_name_that_breaks_the_rule_stops_the_start_in_one_line(
    opened: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    environ: dict[str, str],
    needle: str,
) -> None:
    for variable, value in environ.items():
        monkeypatch.setenv(variable, value)
    assert cli.main([*argv, "--database", _url(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"frontdesk: error: {needle}"), err
    assert "\x1b" not in err and "\u202e" not in err  # the bad name is never printed
    assert opened == []
    assert not (tmp_path / "salon.db").exists()  # refused before anything else
