"""The terminal name recorded on every write: the "where" of who, when and where
(issue 13, item 5; docs/rules.md#permissions).

Whoever reads the ledger, a receipt or the header sees this name, so it must be plain
text that cannot repaint their screen (no control characters, escape sequences or
bidirectional overrides), short enough for a column, and honest: over SSH it always
ends with the address the session came from, whatever name was asked for.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Mapping

from frontdesk.domain.errors import ValidationError

TERMINAL_MAX = 80
# sshd sets both; SSH_CONNECTION is "client port server port", SSH_CLIENT "client port port".
SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT")
UNKNOWN_CLIENT = "unknown"


def clean_terminal(text: str) -> str:
    """`text` stripped, if it is 1 to 80 printable characters; else a ValidationError.

    Never cut to fit: a name that silently lost its end could pass for another desk's.
    """
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        raise ValidationError("terminal", "A terminal name needs at least one character")
    # Stricter than the house's `has_forbidden`: unassigned, private-use and unusual
    # space characters are refused too, since nobody can read them back from a screen.
    if not cleaned.isprintable():
        raise ValidationError(
            "terminal",
            "A terminal name is plain text: no control characters, escape sequences "
            "or hidden characters",
        )
    if len(cleaned) > TERMINAL_MAX:
        raise ValidationError(
            "terminal",
            f"Keep the terminal name to {TERMINAL_MAX} characters (now {len(cleaned)})",
        )
    return cleaned


def ssh_client(environ: Mapping[str, str]) -> str | None:
    """The address an SSH session came from, None when not over SSH; "unknown" when the
    variable holds something that is not an address (it is never copied as it is)."""
    for variable in SSH_VARIABLES:
        fields = environ.get(variable, "").split()
        if not fields:
            continue
        try:
            # A link-local zone ("%eth0") says nothing about where a person is.
            address = ipaddress.ip_address(fields[0].split("%", 1)[0])
        except ValueError:
            return UNKNOWN_CLIENT
        mapped = getattr(address, "ipv4_mapped", None)
        return str(mapped or address)
    return None


def terminal_name(given: str | None, *, host: str, tty: str, ssh_from: str | None) -> str:
    """The name recorded on every write: `given` (cleaned, never cut), or `host:tty`;
    over SSH followed by "ssh <client address>", the host shortened to make room."""
    suffix = f" ssh {ssh_from}" if ssh_from else ""
    if given is not None:
        name = clean_terminal(given)
        room = TERMINAL_MAX - len(suffix)
        if len(name) > room:
            raise ValidationError(
                "terminal",
                f"Over SSH the terminal name is followed by '{suffix.strip()}': keep the "
                f"name to {room} characters (now {len(name)})",
            )
        return clean_terminal(name + suffix)
    place = f":{tty}" if tty else ""
    host = host.strip() or "localhost"
    room = max(1, TERMINAL_MAX - len(place) - len(suffix))
    return clean_terminal(host[:room] + place + suffix)
