"""`frontdesk serve --web` without a browser (issue 18, item 3): the options' rules,
checked before anything listens; what each browser session runs; a port that is taken.

The server itself is replaced where it would start listening (`Server.serve`), so these
tests see exactly what it would have been given. tests/cli/test_web.py drives the real
thing in Chromium.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from textual_serve.server import Server

from frontdesk import cli
from frontdesk.cli_serve import session_command
from frontdesk.db.engine import create_engine
from frontdesk.db.schema_version import EXPECTED_HEAD, stored_revision
from frontdesk.db.tables import StoreSettings
from tests.cli.demo_db import build_demo
from tests.money import TEST_MONEY

MONEY = ["--currency", TEST_MONEY.currency, "--locale", TEST_MONEY.locale]


def _url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'salon.db'}"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[Server]]:
    """The servers that would have started listening (none does); the environment the
    sessions inherit is put back afterwards."""
    started: list[Server] = []
    monkeypatch.setattr(Server, "serve", lambda self, debug=False: started.append(self))
    monkeypatch.setattr("socket.gethostname", lambda: "salon-pc")
    for variable in ("FRONTDESK_DATABASE_URL", "FRONTDESK_TERMINAL", "SSH_CONNECTION"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    yield started


def _one_error(capsys: pytest.CaptureFixture[str], code: int, *needles: str) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("frontdesk: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_loopback_unless_asked_and_the_store_is_ready_first(
    served: list[Server], db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--database", db_url, *MONEY, "serve", "--web"]) == 0
    assert capsys.readouterr().err == ""  # no warning: nobody else can reach it
    (server,) = served
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    assert server.public_url == "http://127.0.0.1:8000"
    assert server.title == "frontdesk"  # not the command, which names the database
    assert db_url not in server.command

    async def store() -> tuple[str | None, str | None]:
        engine = create_engine(db_url)
        try:
            async with engine.connect() as conn:
                currency = (await conn.execute(select(StoreSettings.currency))).scalar_one()
                return await stored_revision(engine), currency
        finally:
            await engine.dispose()

    # Checked and set up as the TUI's first start would, before any browser connects.
    assert cli._run(store) == (EXPECTED_HEAD, TEST_MONEY.currency)
    # The sessions find the database in their environment, not on the command line.
    assert os.environ["FRONTDESK_DATABASE_URL"] == db_url


def test_an_empty_file_is_migrated_before_serving(served: list[Server], tmp_path: Path) -> None:
    url = _url(tmp_path)
    assert cli.main(["--database", url, *MONEY, "serve", "--web"]) == 0

    async def revision() -> str | None:
        engine = create_engine(url)
        try:
            return await stored_revision(engine)
        finally:
            await engine.dispose()

    assert cli._run(revision) == EXPECTED_HEAD


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1"])
def test_any_loopback_address_serves_without_a_warning(
    served: list[Server], tmp_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    try:
        socket.getaddrinfo(host, 80)
    except socket.gaierror:
        pytest.skip(f"this machine does not know {host}")
    code = cli.main(["--database", _url(tmp_path), *MONEY, "serve", "--web", "--host", host])
    assert code == 0
    assert capsys.readouterr().err == ""
    assert served[0].host == host


def test_another_host_only_when_asked_and_then_one_warning(
    served: list[Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--database", _url(tmp_path), *MONEY, "serve", "--web", "--host", "0.0.0.0"]
    assert cli.main([*argv, "--port", "8123"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("frontdesk: warning: listening on 0.0.0.0:8123")
    assert "no TLS" in lines[0] and "TLS proxy" in lines[0] and "PINs" in lines[0]
    # Browsers are told this machine's name, not "every address".
    assert (served[0].host, served[0].public_url) == ("0.0.0.0", "http://salon-pc:8123")

    public = "https://desk.example.com/"
    assert cli.main([*argv, "--public-url", public]) == 0
    assert served[1].public_url == "https://desk.example.com"  # the websocket goes wss://


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1", "８０００", " "])
def test_a_bad_port_is_one_line_and_nothing_is_touched(
    served: list[Server], tmp_path: Path, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    code = cli.main(["--database", _url(tmp_path), *MONEY, "serve", "--web", "--port", port])
    _one_error(capsys, code, "--port must be a number from 1 to 65535")
    assert served == []
    assert not (tmp_path / "salon.db").exists()


@pytest.mark.parametrize("host", ["", "no-such-host.invalid", "desk\x1b[2J"])
def test_a_bad_host_is_one_line_and_inert(
    served: list[Server], tmp_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    code = cli.main(["--database", _url(tmp_path), *MONEY, "serve", "--web", "--host", host])
    line = _one_error(capsys, code, "--host")
    assert "\x1b" not in line
    assert served == []
    assert not (tmp_path / "salon.db").exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        ([], "needs --web: a browser is the only thing it serves"),
        (["--web", "--public-url", "ftp://desk"], "--public-url: give an http:// or https://"),
        (["--web", "--terminal", "x" * 70], "--terminal: Keep the terminal name to 80"),
        (["--web", "--terminal", "desk\x1b[2J"], "--terminal: A terminal name is plain text"),
    ],
)
def test_other_mistakes_are_one_line(
    served: list[Server],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    needle: str,
) -> None:
    code = cli.main(["--database", _url(tmp_path), *MONEY, "serve", *argv])
    _one_error(capsys, code, needle)
    assert served == []


def test_a_new_store_still_needs_its_currency(
    served: list[Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["--database", _url(tmp_path), "serve", "--web"])
    _one_error(capsys, code, "--currency")
    assert served == []


def test_a_session_is_the_tui_named_for_its_own_process(
    served: list[Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run the command a browser session gets, with the interpreter swapped for a script
    that says what it was started as and its own process id."""
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.9 50022 10.0.0.5 22")
    argv = ["--database", _url(tmp_path), *MONEY, "serve", "--web", "--terminal", "Salon's PC"]
    assert cli.main(argv) == 0
    # Whoever started the server over SSH is not where the browsers are.
    assert "SSH_CONNECTION" not in os.environ
    assert served[0].command == session_command("Salon's PC", own_demo=False, money=MONEY)
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$$" "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    command = session_command("Salon's PC", own_demo=False, money=MONEY)
    said = subprocess.run(
        ["/bin/sh", "-c", command], capture_output=True, text=True, check=True, timeout=30
    ).stdout.splitlines()
    pid, *args = said
    assert args == ["-m", "frontdesk.cli", *MONEY, "--terminal", f"Salon's PC web {pid}"]


def test_each_session_opens_the_own_demo_as_the_tui_would(
    served: list[Server], tmp_path: Path
) -> None:
    cli._run(lambda: build_demo(tmp_path / "data" / "frontdesk" / "demo.db", clients=5))
    assert cli.main(["serve", "--web", "--demo"]) == 0
    assert served[0].command.split()[1:5] == [sys.executable, "-m", "frontdesk.cli", "--demo"]
    assert "FRONTDESK_DATABASE_URL" not in os.environ


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        serve = ["serve", "--web", "--port", port]
        result = subprocess.run(
            [sys.executable, "-m", "frontdesk.cli", "--database", _url(tmp_path), *MONEY, *serve],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
        )
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        f"frontdesk: error: cannot listen on 127.0.0.1:{port}: the port is in use "
        "(another server, or another `frontdesk serve`)"
    ]
