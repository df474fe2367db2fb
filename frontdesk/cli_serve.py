"""`frontdesk serve --web [--host H] [--port P]`: the desk in a browser (issue 18).

textual-serve runs a small web server; each browser that connects gets its own
`frontdesk` process, started through the shell with the command built here, talking to
the page over a websocket. That process is the normal TUI start-up (same database, same
money options), so a browser desk is a terminal like any other: it signs in with a PIN
and records its own terminal name, "<host> web <process id>".

Loopback (127.0.0.1) unless another host is asked for: the server speaks plain HTTP, so
anything else belongs behind a TLS proxy, and the command says so when it starts.

textual-serve and aiohttp come in only when the server starts (frontdesk/web_server.py,
imported by `_serve`): the TUI's start-up never pays for them.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.normalize import printable
from frontdesk.domain.terminal import clean_terminal

if TYPE_CHECKING:
    from frontdesk.demo.firstrun import DemoSetup

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000
# The longest process id Linux hands out (pid_max is at most 2**22): a name that fits
# with it fits every session's.
LONGEST_PID = str(2**22)
# Set by sshd for whoever started the server: the browser sessions did not come from
# there, and a terminal name must not say they did (domain/terminal.py).
SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT")

WEB_HELP = "serve the desk to web browsers (the only server there is)"
HOST_HELP = (
    f"address to listen on (default {LOOPBACK}: this machine only); any other address "
    "serves plain HTTP to the network, so put it behind a TLS proxy"
)
PUBLIC_URL_HELP = (
    "the address browsers open, when it is not http://HOST:PORT "
    "(e.g. https://desk.example.com behind a TLS proxy)"
)


class ServeError(DomainError):
    """A bad option or a port that cannot be had: one line, exit 2."""


@dataclass(frozen=True)
class Listen:
    """Where the server listens and what it tells browsers."""

    host: str
    port: int
    loopback: bool
    public_url: str


def add_serve_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    serve = sub.add_parser("serve", parents=[common], help="serve the desk (--web: to browsers)")
    serve.add_argument("--web", action="store_true", help=WEB_HELP)
    serve.add_argument("--host", metavar="HOST", default=LOOPBACK, help=HOST_HELP)
    # A string, checked by `listen_on`: one line for a bad port, not argparse's usage.
    serve.add_argument(
        "--port", metavar="PORT", default=str(DEFAULT_PORT), help=f"default {DEFAULT_PORT}"
    )
    serve.add_argument("--public-url", metavar="URL", help=PUBLIC_URL_HELP)
    # As the TUI takes them, after `serve` too; SUPPRESS keeps one given before it.
    serve.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS, help="serve the demo"
    )
    serve.add_argument(
        "--terminal",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the sessions' names start with it (default: the host name)",
    )
    serve.add_argument(
        "--currency",
        metavar="CODE",
        default=argparse.SUPPRESS,
        help="a new store's ISO currency, e.g. JPY",
    )
    serve.add_argument(
        "--locale",
        metavar="LOCALE",
        default=argparse.SUPPRESS,
        help="a new store's locale, e.g. ja_JP",
    )


def run_serve(
    args: argparse.Namespace,
    url: str,
    *,
    own_demo: bool,
    env_terminal: str | None,
    check: Callable[[], DemoSetup | None],
) -> int:
    """Check the options, prepare the database as the TUI would, then serve until Ctrl+C.

    `own_demo`: the demo file frontdesk manages (each session opens it with `--demo`);
    `env_terminal`: FRONTDESK_TERMINAL; `check`: the TUI's start-up checks for `url`
    (schema, store, a demo to build)."""
    if not args.web:
        raise ServeError("`frontdesk serve` needs --web: a browser is the only thing it serves")
    if os.name != "posix":  # each session is started by a POSIX shell (`session_command`)
        raise ServeError("`frontdesk serve --web` runs on Linux and macOS")
    base = session_base(getattr(args, "terminal", None), env_terminal)
    where = listen_on(args.host, args.port, args.public_url)
    if not where.loopback:
        print(exposed_warning(where), file=sys.stderr)
    setup = check()
    if setup is not None:
        # Every session opens the whole demo: one that found it half-built would
        # start building it again under the others.
        failure = setup.wait()
        if failure is not None:
            from frontdesk.demo.firstrun import DemoSetupFailed

            raise DemoSetupFailed(failure)
    for variable in SSH_VARIABLES:
        os.environ.pop(variable, None)
    if not own_demo:
        # Through the environment, not the command line: a password in the URL stays
        # out of every session's `ps` line.
        os.environ["FRONTDESK_DATABASE_URL"] = url
    command = session_command(base, own_demo=own_demo, money=_money_options(args))
    _serve(command, where)
    return 0


def session_base(option: str | None, env_terminal: str | None) -> str:
    """What every session's terminal name starts with (--terminal, FRONTDESK_TERMINAL or
    the host name), checked now with the longest process id, so that no session can
    fail on its name."""
    if option is not None:
        base, source = option, "--terminal"
    elif env_terminal:
        base, source = env_terminal, "FRONTDESK_TERMINAL"
    else:
        base, source = socket.gethostname().strip() or "localhost", "the host name"
    try:
        clean_terminal(f"{base} web {LONGEST_PID}")
    except ValidationError as exc:
        raise ServeError(f"{source}: {exc} (browser sessions add ' web <process id>')") from None
    return clean_terminal(base)


def session_command(base: str, *, own_demo: bool, money: list[str]) -> str:
    """The shell command textual-serve runs for each browser: the normal TUI start-up.

    `exec` makes the shell become the app, so `$$` is the app's own process id, which
    tells this session apart from every other one running."""
    import shlex

    parts = [sys.executable, "-m", "frontdesk.cli", *money]
    if own_demo:
        parts.append("--demo")  # the demo file in the same data folder, never --reset
    quoted = " ".join(shlex.quote(part) for part in parts)
    return f"exec {quoted} --terminal {shlex.quote(f'{base} web ')}$$"


def listen_on(host: str, port: str, public_url: str | None = None) -> Listen:
    """The checked --host, --port and --public-url; a ServeError names the bad one."""
    number = _port(port)
    host = host.strip()
    if not host or not host.isprintable():
        raise ServeError("--host: give an address or a host name, e.g. 127.0.0.1")
    try:
        found = socket.getaddrinfo(host, number, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ServeError(f"--host: cannot find the address {printable(host)!r}") from None
    loopback = all(
        ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]).is_loopback for info in found
    )
    return Listen(host, number, loopback, _public_url(public_url, host, number))


def _port(text: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 65535:
        raise ServeError(f"--port must be a number from 1 to 65535, not {printable(text)!r}")
    return int(text)


def _public_url(given: str | None, host: str, port: int) -> str:
    if given is not None:
        url = given.strip().rstrip("/")
        scheme, _, rest = url.partition("://")
        if scheme not in ("http", "https") or not rest or not url.isprintable() or " " in url:
            raise ServeError("--public-url: give an http:// or https:// address")
        return url
    if host in ("0.0.0.0", "::"):  # every address: name the machine, not "any"
        host = socket.gethostname()
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def exposed_warning(where: Listen) -> str:
    return (
        f"frontdesk: warning: listening on {where.host}:{where.port}, reachable from other "
        "machines over plain HTTP (no TLS): put it behind a TLS proxy; staff still sign "
        "in with their PINs"
    )


def _money_options(args: argparse.Namespace) -> list[str]:
    currency, locale = getattr(args, "currency", None), getattr(args, "locale", None)
    return ["--currency", currency, "--locale", locale] if currency and locale else []


def _serve(command: str, where: Listen) -> None:
    """Run the web server until Ctrl+C (or SIGTERM) stops it."""
    from frontdesk.web_server import DeskServer

    server = DeskServer(command, host=where.host, port=where.port, public_url=where.public_url)
    try:
        server.serve()
    except OSError as exc:
        raise ServeError(f"cannot listen on {where.host}:{where.port}: {_why(exc)}") from None


def _why(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "the port is in use (another server, or another `frontdesk serve`)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "that address is not one of this machine's"
    if exc.errno == errno.EACCES:
        return "not allowed (ports below 1024 need more rights)"
    return printable(exc.strerror or "") or "the system refused"
