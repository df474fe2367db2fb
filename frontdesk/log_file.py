"""Where log records go while a desk runs: a file beside the data, never the terminal.

Textual owns the screen while the app runs, and after it ends Python's last-resort
handler would print a library's warning or error, with its traceback, onto the terminal
staff use (rule 9; CI at ba3953c caught SQLAlchemy's pool doing it at quit). Records at
WARNING and above go to `frontdesk.log` in the data folder instead, for whoever looks
after the desk. The file is made only when there is something to write, and readable by
its owner only: a driver's message can quote a statement's values.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

LOG_NAME = "frontdesk.log"


class _OwnerOnlyFile(logging.FileHandler):
    def _open(self) -> io.TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def keep_logs_off_the_terminal(folder: Path) -> Path:
    """Send every record (WARNING and above) to `folder`/frontdesk.log; its path."""
    path = folder / LOG_NAME
    handler = _OwnerOnlyFile(path, delay=True, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)  # with a handler, Python's last resort (stderr) is not used
    root.setLevel(logging.WARNING)
    return path
