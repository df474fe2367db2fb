"""The `frontdesk` command. Textual is imported only when the TUI starts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from frontdesk import __version__, startup
from frontdesk.cli_kiosk import add_kiosk_parser, run_kiosk
from frontdesk.cli_renewals import add_renewals_parser, run_date, staff_number
from frontdesk.cli_reports import ReportEnv, add_report_parser, run_report
from frontdesk.cli_serve import add_serve_parser, run_serve
from frontdesk.cli_staff import add_staff_parser, run_staff
from frontdesk.domain.errors import DomainError, ValidationError, describe
from frontdesk.domain.normalize import printable
from frontdesk.log_file import keep_logs_off_the_terminal
from frontdesk.paths import (
    SQLITE_PREFIX,
    data_dir,
    default_database_url,
    demo_database_path,
    demo_database_url,
    sqlite_folder,
    sqlite_url,
    terminal_name,
)

if TYPE_CHECKING:  # imported when used: a first `--demo` starts its set-up before them
    from sqlalchemy.ext.asyncio import AsyncEngine

    from frontdesk.config import Settings
    from frontdesk.demo.firstrun import DemoSetup
    from frontdesk.domain.money_context import MoneyContext
    from frontdesk.services.desk import Desk

T = TypeVar("T")

EXIT_ERROR = 2
EXIT_BROKEN = 1  # `audit verify` found a broken link


class CliError(DomainError):
    """Something the operator can fix; printed as one line, exit code 2."""


DATABASE_HELP = (
    "sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db "
    "(default: $FRONTDESK_DATABASE_URL or a SQLite file in your data folder)"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk",
        description="Keyboard-driven front desk for salons, spas and aesthetic clinics.",
    )
    parser.add_argument("--database", metavar="URL", help=DATABASE_HELP)
    # Accepted after a subcommand too. SUPPRESS: a subcommand without it must not reset
    # a `--database` given before it (`frontdesk --database URL audit verify`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", help=DATABASE_HELP, default=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    parser.add_argument(
        "--terminal",
        metavar="NAME",
        help="name recorded on every write, 1-80 printable characters (default: host:tty; "
        "over SSH the client's address is added)",
    )
    add_money_options(parser, "a new store's")
    parser.add_argument("--demo", action="store_true", help="open on the demo database")
    parser.add_argument("--reset", action="store_true", help="with --demo: rebuild the demo")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = sub.add_parser("db", help="database schema commands")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="migrate the database to the latest schema")
    db_sub.add_parser("current", parents=[common], help="print the database's schema revision")

    demo = sub.add_parser("demo", help="demo data")
    demo_sub = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True)
    seed = demo_sub.add_parser("seed", parents=[common], help="fill a database with a demo salon")
    seed.add_argument("--clients", type=int, default=300, help="number of clients (default 300)")
    seed.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    add_money_options(seed, "the demo store's (default GBP en_GB, prices converted)")

    audit = sub.add_parser("audit", help="check the ledger")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    audit_sub.add_parser(
        "verify",
        parents=[common],
        help="walk the ledger's hash chain: exit 0 when whole, 1 at the first broken link",
    )
    add_staff_parser(sub, common)

    outbox = sub.add_parser("outbox", help="the notifications outbox")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    outbox_sub.add_parser(
        "send",
        parents=[common],
        help="send the pending notifications (to the outbox log in your data folder)",
    )
    add_renewals_parser(sub, common)
    add_report_parser(sub, common)
    add_kiosk_parser(sub, common)
    add_serve_parser(sub, common)
    return parser


def add_money_options(parser: argparse.ArgumentParser, whose: str) -> None:
    parser.add_argument("--currency", metavar="CODE", help=f"{whose} ISO currency, e.g. JPY")
    parser.add_argument("--locale", metavar="LOCALE", help=f"{whose} locale, e.g. ja_JP")


def money_option(args: argparse.Namespace) -> MoneyContext | None:
    """--currency and --locale, both or neither, checked (a known ISO code, a babel locale)."""
    from frontdesk.domain.money_context import MoneyContext

    currency, locale = getattr(args, "currency", None), getattr(args, "locale", None)
    if currency is None and locale is None:
        return None
    if currency is None or locale is None:
        raise CliError("--currency and --locale go together (e.g. --currency JPY --locale ja_JP)")
    try:
        return MoneyContext(currency.upper(), locale)
    except ValueError as exc:
        raise CliError(f"{exc} (e.g. --currency JPY --locale ja_JP)") from None


def _run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    import asyncio

    async def wrapper() -> T:
        return await coro_fn()

    return asyncio.run(wrapper())


def _database_url(args: argparse.Namespace, settings: Settings) -> str:
    url: str = args.database or settings.database_url or default_database_url()
    return url


def _terminal(args: argparse.Namespace, settings: Settings) -> str:
    """--terminal, else FRONTDESK_TERMINAL, else host:tty: checked, never cut."""
    if args.terminal is not None:
        given, source = args.terminal, "--terminal"
    elif settings.terminal:
        given, source = settings.terminal, "FRONTDESK_TERMINAL"
    else:
        given, source = None, "the host name"
    try:
        return terminal_name(given)
    except ValidationError as exc:
        raise CliError(f"{source}: {exc}") from None


def _ensure_sqlite_dir(url: str) -> None:
    folder = sqlite_folder(url)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)


def _first_demo(args: argparse.Namespace) -> DemoSetup | None:
    """`frontdesk --demo` on its own database: reset it if asked, and if it does not
    exist yet, start building it now, before the heavy imports."""
    if args.command is not None or not args.demo or args.database:
        return None
    path = demo_database_path()
    if args.reset:
        startup.remove_sqlite(path)
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    return startup.start_demo_setup(sqlite_url(path))


def _cmd_db(args: argparse.Namespace, url: str) -> int:
    from frontdesk.db import migrate
    from frontdesk.db.engine import create_engine

    async def upgrade() -> str | None:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, on_wait=migrate.say_waiting)
            return await migrate.current_revision(engine)
        finally:
            await engine.dispose()

    async def current() -> str | None:
        engine = create_engine(url)
        try:
            return await migrate.current_revision(engine)
        finally:
            await engine.dispose()

    head = migrate.head_revision()
    if args.db_command == "upgrade":
        _ensure_sqlite_dir(url)
        rev = _run(upgrade)
        print(f"upgraded to {rev} (head)")
    else:
        rev = _run(current)
        if rev is None:
            print("empty (no schema yet; run `frontdesk db upgrade`)")
        else:
            print(f"{rev} (head)" if rev == head else f"{rev} (head is {head})")
    return 0


def _cmd_demo_seed(args: argparse.Namespace, url: str) -> int:
    import time

    from frontdesk.db import migrate
    from frontdesk.db.engine import create_engine
    from frontdesk.demo.money import DEMO_MONEY
    from frontdesk.demo.seed import seed_demo
    from frontdesk.services.context import ServiceContext

    if args.clients < 1 or args.clients > 1_000_000:
        raise CliError("--clients must be between 1 and 1,000,000")
    money = money_option(args) or DEMO_MONEY

    async def go() -> str:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, on_wait=migrate.say_waiting)
            ctx = ServiceContext.create(engine, terminal="demo-seed")
            report = await seed_demo(ctx, clients=args.clients, seed=args.seed, money=money)
            return str(report)
        finally:
            await engine.dispose()

    _ensure_sqlite_dir(url)
    started = time.perf_counter()
    summary = _run(go)
    print(f"{summary} in {time.perf_counter() - started:.1f}s")
    return 0


def _must_exist(url: str) -> None:
    """A SQLite file a read-mostly command must not create by opening it."""
    from frontdesk.db.engine import check_url

    if check_url(url) == "sqlite" and not Path(url[len(SQLITE_PREFIX) :]).expanduser().is_file():
        raise CliError(f"no database at {url[len(SQLITE_PREFIX) :]}")


async def _schema_is_current(engine: AsyncEngine) -> None:
    """What reads or writes for cron refuses an old schema: upgrading is the operator's
    to do (`frontdesk db upgrade`), never done behind their back."""
    from frontdesk.db.schema_version import EXPECTED_HEAD, stored_revision

    revision = await stored_revision(engine)
    if revision != EXPECTED_HEAD:
        raise CliError(
            f"the database's schema is {revision or 'empty'}, not {EXPECTED_HEAD}: "
            "run `frontdesk db upgrade` first"
        )


def _cmd_audit(url: str) -> int:
    """Read only: a missing file is not created, an old schema is not upgraded."""
    from frontdesk.db.engine import create_engine
    from frontdesk.services.audit import verify_ledger
    from frontdesk.services.context import ServiceContext

    _must_exist(url)

    async def go() -> bool:
        engine = create_engine(url)
        try:
            await _schema_is_current(engine)
            audit = await verify_ledger(ServiceContext.create(engine, terminal="audit"))
            print(printable(str(audit), keep="\n"))  # stored text never reaches a tty raw
            return audit.whole
        finally:
            await engine.dispose()

    return 0 if _run(go) else EXIT_BROKEN


def _cmd_outbox(url: str, terminal: str) -> int:
    """Send what is pending through the log sender; for cron, so an old schema is an
    error (not upgraded behind the operator's back)."""
    from frontdesk.db.engine import create_engine
    from frontdesk.services.context import ServiceContext
    from frontdesk.services.outbox import LogFileSender, Outbox

    _must_exist(url)

    async def go() -> str:
        engine = create_engine(url)
        try:
            await _schema_is_current(engine)
            ctx = ServiceContext.create(engine, terminal=terminal, operator=True)
            return str(await Outbox(ctx).send_pending(LogFileSender()))
        finally:
            await engine.dispose()

    print(_run(go))
    return 0


def _cmd_renewals(args: argparse.Namespace, url: str, terminal: str) -> int:
    """The daily renewal run; like `outbox send`, for cron: an old schema is an error."""
    from frontdesk.db.engine import create_engine
    from frontdesk.services.context import ServiceContext
    from frontdesk.services.payment_gateway import FakeGateway
    from frontdesk.services.renewals import Renewals
    from frontdesk.views.renewals import RenewalReport

    on = run_date(args.date)
    number = staff_number(args.staff)
    _must_exist(url)

    async def go() -> RenewalReport:
        engine = create_engine(url)
        try:
            await _schema_is_current(engine)
            ctx = ServiceContext.create(engine, terminal=terminal, operator=True)
            staff_id = await Renewals(ctx).recorded_as(number)
            return await Renewals(ctx.as_staff(staff_id)).run(on, FakeGateway())
        finally:
            await engine.dispose()

    report = _run(go)
    print(report)
    for error in report.errors:  # one line each, for cron's mail
        print(f"frontdesk: not recorded: {printable(error)}", file=sys.stderr)
    return EXIT_BROKEN if report.errors else 0


def _cmd_staff(args: argparse.Namespace, settings: Settings) -> int:
    url = _database_url(args, settings)
    _ensure_sqlite_dir(url)
    return run_staff(args, url, _terminal(args, settings))


def _cmd_tui(args: argparse.Namespace, settings: Settings, setup: DemoSetup | None) -> int:
    if args.reset and not args.demo:
        raise CliError("--reset only goes with --demo")
    terminal = _terminal(args, settings)
    own_demo = args.demo and not args.database
    url = demo_database_url() if own_demo else _database_url(args, settings)
    check = None if setup is not None else _start_check(args, url, own_demo=own_demo)
    keep_logs_off_the_terminal(data_dir())
    # Textual is paid for only here; the database layer after the app's first frame.
    from screens.app import run_app

    try:
        try:
            if setup is not None:
                setup.wait_ready()
            code = run_app(url, terminal=terminal, check=check)
        except DemoToBuild as todo:  # rare: the app opens again once the demo is in
            setup = _build_demo(url, todo.prepared)
            setup.wait_ready()
            code = run_app(url, terminal=terminal)
    finally:
        if setup is not None and setup.running:  # quit within a second of opening
            print("frontdesk: finishing the demo set-up…", file=sys.stderr)
        failure = setup.wait() if setup is not None else None
    if failure is not None:
        from frontdesk.demo.firstrun import DemoSetupFailed

        raise DemoSetupFailed(failure)
    return code


class DemoToBuild(Exception):
    """The start check found a demo still to build: empty, or a first run stopped
    half-way (`startup.prepare`'s "seed" and "rebuild")."""

    def __init__(self, prepared: str) -> None:
        super().__init__(prepared)
        self.prepared = prepared


def _start_check(
    args: argparse.Namespace, url: str, *, own_demo: bool
) -> Callable[[Desk], Coroutine[Any, Any, None]]:
    """The schema and the store, checked by the app's start worker after its first
    frame, on the desk it has just made (SQLAlchemy is imported there, not before),
    before anything is read from it; what it raises ends the app and
    is this command's one line, exit 2. The options are checked here, before the app."""
    if args.demo and args.reset and url.startswith(SQLITE_PREFIX):
        startup.remove_sqlite(Path(url[len(SQLITE_PREFIX) :]))
    _ensure_sqlite_dir(url)
    money = money_option(args)

    async def check(desk: Desk) -> None:
        # On the desk's engine (its URL checked when it was made): one engine set up.
        engine = desk.ctx.engine
        prepared = await startup.prepare_on(engine, demo=args.demo, own_demo=own_demo, money=money)
        if prepared != "ready":
            raise DemoToBuild(prepared)

    return check


def _build_demo(url: str, prepared: str) -> DemoSetup:
    if prepared == "rebuild":
        # A first-run set-up was stopped half-way: the demo is ours to rebuild.
        startup.remove_sqlite(demo_database_path())
    return startup.start_demo_setup(url)


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """The TUI's database and checks, served to browsers (frontdesk/cli_serve.py)."""
    own_demo = args.demo and not args.database
    url = demo_database_url() if own_demo else _database_url(args, settings)

    def check() -> DemoSetup | None:
        return _check(args, url, own_demo=own_demo)

    return run_serve(args, url, own_demo=own_demo, env_terminal=settings.terminal, check=check)


def _check(args: argparse.Namespace, url: str, *, own_demo: bool) -> DemoSetup | None:
    """The schema and the store, before serving; a demo still to be built
    (an empty `--demo --database`, a half-built own demo) is started here."""
    if args.demo and args.reset and url.startswith(SQLITE_PREFIX):
        startup.remove_sqlite(Path(url[len(SQLITE_PREFIX) :]))
    from frontdesk.db.engine import check_url

    check_url(url)
    _ensure_sqlite_dir(url)
    money = money_option(args)
    prepared = _run(lambda: startup.prepare(url, demo=args.demo, own_demo=own_demo, money=money))
    return None if prepared == "ready" else _build_demo(url, prepared)


def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    if not (args.database or settings.database_url):
        raise CliError("demo seed needs --database URL (or FRONTDESK_DATABASE_URL)")
    return _cmd_demo_seed(args, _database_url(args, settings))


def _cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    import frontdesk.cli_reports_ledger  # noqa: F401  (registers its three reports)

    url = _database_url(args, settings)
    env = ReportEnv(url, _terminal(args, settings), _schema_is_current, lambda: _must_exist(url))
    return run_report(args, env)


# Each subcommand: (its parsed arguments, the settings) -> exit code. No subcommand: the TUI.
COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "db": lambda args, settings: _cmd_db(args, _database_url(args, settings)),
    "demo": _cmd_demo,
    "audit": lambda args, settings: _cmd_audit(_database_url(args, settings)),
    "staff": _cmd_staff,
    "outbox": lambda args, settings: _cmd_outbox(
        _database_url(args, settings), _terminal(args, settings)
    ),
    "renewals": lambda args, settings: _cmd_renewals(
        args, _database_url(args, settings), _terminal(args, settings)
    ),
    "kiosk": lambda args, settings: run_kiosk(
        args, _database_url(args, settings), _terminal(args, settings)
    ),
    "report": _cmd_report,
    "serve": _cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup: DemoSetup | None = None
    try:
        setup = _first_demo(args)
        from frontdesk.config import Settings

        settings = Settings()
        command = COMMANDS.get(args.command)
        if command is not None:
            return command(args, settings)
        return _cmd_tui(args, settings, setup)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the operator gets one line, never a traceback
        print(f"frontdesk: error: {describe(exc)}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
