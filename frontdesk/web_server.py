"""textual-serve's web server as `frontdesk serve --web` runs it (frontdesk/cli_serve.py
imports this module only when it starts, so nothing else pays for aiohttp).

Three changes to the library's behaviour, all about ending well:
- the console gets one plain line per problem, never the library's banner (it prints the
  session command) nor a traceback with local variables;
- each session waits for its process to exit, so the exit is collected while the event
  loop still runs (the library leaves the process to the garbage collector, which then
  prints "Exception ignored ... Event loop is closed" after Ctrl+C);
- Ctrl+C ends the open sessions at once: a session lasts as long as its browser tab, and
  aiohttp would otherwise wait up to a minute for each before stopping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from frontdesk.domain.normalize import printable

log = logging.getLogger("textual-serve")

# How long the open sessions get to quit when the server stops, before they are killed.
QUIT_SECONDS = 30.0


class OneLine(logging.Formatter):
    """A log record as one inert line, without the traceback a record may carry."""

    def format(self, record: logging.LogRecord) -> str:
        return f"frontdesk: {printable(record.getMessage().strip())}"


class DeskSession(AppService):
    """One browser's `frontdesk` process, waited for until it has exited."""

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            process = self._process
            if process is not None:
                await process.wait()

    def kill(self) -> None:
        """For a session that did not quit when asked."""
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()


class DeskServer(Server):
    def __init__(self, command: str, *, host: str, port: int, public_url: str) -> None:
        super().__init__(command, host=host, port=port, title="frontdesk", public_url=public_url)
        self._handlers: set[asyncio.Task[Any]] = set()
        self._sessions: set[DeskSession] = set()

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(OneLine())
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    async def on_startup(self, app: web.Application) -> None:
        print(f"frontdesk: serving the desk at {self.public_url} (Ctrl+C stops)", flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        for handler in self._handlers:
            handler.cancel()  # each stops its session: the app is told to quit
        if self._handlers:
            _, stuck = await asyncio.wait(self._handlers, timeout=QUIT_SECONDS)
            if stuck:
                for session in self._sessions:
                    session.kill()
                await asyncio.wait(stuck)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve 1.1.3's handler, with a DeskSession and kept track of."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        handler = asyncio.current_task()
        if handler is not None:
            self._handlers.add(handler)
        session: DeskSession | None = None

        async def close() -> None:
            await websocket.close()

        try:
            await websocket.prepare(request)
            session = DeskSession(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self._sessions.add(session)
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass  # the server is stopping: the session ends below, as when its tab closes
        except Exception as error:
            log.error("a browser session failed: %s", error)
        finally:
            if session is not None:
                await session.stop()  # tells the app to quit, and waits for its process
                self._sessions.discard(session)
            await websocket.close()
            if handler is not None:
                self._handlers.discard(handler)
        return websocket
