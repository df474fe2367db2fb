"""The `frontdesk` command: help, version, migrations, and one-line errors (exit 2)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk import __version__
from frontdesk.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frontdesk.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("frontdesk: error: ")
    for needle in needles:
        assert needle in lines[0].lower(), lines[0]


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("--database", "--terminal", "--demo", "--reset", "db", "demo", "staff"):
        assert word in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"frontdesk {__version__}"


def test_upgrade_then_current_reports_head(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/sub/x.db"
    empty = run("db", "current", "--database", f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    assert empty.returncode == 0 and "empty" in empty.stdout
    up = run("db", "upgrade", "--database", url)
    assert up.returncode == 0, up.stderr
    current = run("db", "current", "--database", url)
    assert current.returncode == 0
    assert current.stdout.strip().endswith("(head)")


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("mysql://root@localhost/x", "unsupported database url scheme"),
        ("not a url at all", "not a database url"),
        ("sqlite+aiosqlite://", "sqlite needs a file path"),
    ],
)
def test_bad_database_url_is_one_line(url: str, needle: str) -> None:
    assert_one_line_error(run("db", "upgrade", "--database", url), needle)


def test_unreachable_postgres_is_one_line() -> None:
    result = run("db", "current", "--database", "postgresql+asyncpg://postgres@127.0.0.1:1/none")
    assert_one_line_error(result, "cannot reach the database")


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("this is a shopping list, not a database\n" * 50)
    result = run("db", "upgrade", "--database", f"sqlite+aiosqlite:///{junk}")
    assert_one_line_error(result, "not a frontdesk (sqlite) database")


def test_database_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    assert run("db", "upgrade", "--database", f"sqlite+aiosqlite:///{path}").returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    result = run("db", "upgrade", "--database", f"sqlite+aiosqlite:///{path}")
    assert_one_line_error(result, "newer frontdesk")


def test_demo_seed_requires_a_database() -> None:
    result = run("demo", "seed", env={"PATH": "/usr/bin:/bin"})
    assert_one_line_error(result, "--database")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_demo_seed_on_postgresql_needs_a_pepper(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FRONTDESK_PEPPER")
    assert main(["demo", "seed", "--clients", "5", "--database", db_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("frontdesk: error: PINs need a pepper every terminal shares")
    assert "FRONTDESK_PEPPER_FILE" in err


@pytest.mark.parametrize("before", [True, False])
def test_database_before_or_after_the_subcommand_is_the_one_used(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    before: bool,
) -> None:
    """`frontdesk --database URL db upgrade` once ran on the default file: the
    subcommand's own --database (unset) overwrote the one given before it."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the default, if used
    target = tmp_path / "chosen.db"
    url = f"sqlite+aiosqlite:///{target}"
    argv = ["--database", url, "db", "upgrade"] if before else ["db", "upgrade", "--database", url]
    assert main(argv) == 0
    assert target.is_file()
    assert not (tmp_path / "data").exists()


def test_a_read_only_uri_leaves_no_stray_folder(tmp_path: Path) -> None:
    """`?mode=ro&uri=true` opens a database that exists: nothing is created for it, not
    a `file:` folder in the working directory (its "parent"), nor a missing folder."""
    store, work = tmp_path / "store", tmp_path / "work"
    work.mkdir()
    up = run("db", "upgrade", "--database", f"sqlite+aiosqlite:///{store}/frontdesk.db")
    assert up.returncode == 0, up.stderr

    def folders() -> list[Path]:
        return sorted(p for p in tmp_path.rglob("*") if p.is_dir())

    before = folders()
    for folder in (store, tmp_path / "missing"):
        url = f"sqlite+aiosqlite:///file:{folder}/frontdesk.db?mode=ro&uri=true"
        for command in (("db", "current"), ("db", "upgrade"), ("staff", "list")):
            subprocess.run(
                [sys.executable, "-m", "frontdesk.cli", *command, "--database", url],
                capture_output=True,
                text=True,
                timeout=60,
                cwd=work,
            )
    assert folders() == before  # (SQLite's own -wal and -shm may appear beside the file)
    assert not list(work.iterdir())
