"""The terminal name on every write (issue 13, item 5): printable, 1-80 characters, never
cut, and over SSH always followed by the client's address."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.terminal import (
    TERMINAL_MAX,
    UNKNOWN_CLIENT,
    clean_terminal,
    ssh_client,
    terminal_name,
)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("desk-1", "desk-1"),
        ("  front desk  ", "front desk"),
        ("Réception — Marylebone", "Réception — Marylebone"),
        ("受付 1", "受付 1"),
        ("Kasse\n", "Kasse"),  # a trailing newline from `$(cat file)` is only whitespace
        ("e\u0301", "é"),  # one way of writing é, stored as the other (NFC)
        ("x" * TERMINAL_MAX, "x" * TERMINAL_MAX),
        ("[b]desk[/b]", "[b]desk[/b]"),  # markup is the screens' job to escape, and legal
    ],
)
def test_a_plain_name_is_kept_stripped(typed: str, kept: str) -> None:
    assert clean_terminal(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "desk\x1b[2J",  # ESC: clears the screen of whoever reads the ledger
        "\x1b]0;owned\x07",  # OSC: retitles their terminal
        "desk\x9b31m",  # C1 CSI, the one-byte escape
        "desk\x07",  # BEL
        "desk\x00",
        "front\tdesk",
        "front\ndesk",
        "desk\u202e1-ksed",  # right-to-left override: reads as another desk
        "desk\u2066x\u2069",  # isolates
        "desk\u200b",  # zero-width space
        "desk\u2028two",  # line separator
        "desk\ue000",  # private use: nobody can read it back
        "desk\u0378",  # unassigned
        "desk\u00a0one",  # a space that is not a space
    ],
)
def test_controls_escapes_and_hidden_characters_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_terminal(typed)
    assert refused.value.field == "terminal"
    assert "plain text" in str(refused.value)


@pytest.mark.parametrize("typed", ["", "   ", "\n"])
def test_an_empty_name_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="at least one character"):
        clean_terminal(typed)


def test_a_long_name_is_refused_not_cut() -> None:
    with pytest.raises(ValidationError, match=r"to 80 characters \(now 81\)"):
        clean_terminal("x" * 81)
    # Characters, not bytes: 80 three-byte characters fit.
    assert clean_terminal("受" * 80) == "受" * 80


@given(st.text(max_size=120))
def test_whatever_is_accepted_is_printable_stripped_and_short(text: str) -> None:
    try:
        name = clean_terminal(text)
    except ValidationError:
        return
    assert name.isprintable() and name == name.strip()
    assert 1 <= len(name) <= TERMINAL_MAX


# --- over SSH ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "client"),
    [
        ({}, None),
        ({"SSH_CONNECTION": "203.0.113.9 50022 10.0.0.5 22"}, "203.0.113.9"),
        ({"SSH_CLIENT": "203.0.113.9 50022 22"}, "203.0.113.9"),
        ({"SSH_CLIENT": "2001:db8::7 50022 22"}, "2001:db8::7"),
        ({"SSH_CLIENT": "2001:0db8:0000::0007 50022 22"}, "2001:db8::7"),
        ({"SSH_CLIENT": "::ffff:203.0.113.9 50022 22"}, "203.0.113.9"),
        ({"SSH_CLIENT": "fe80::1%eth0 50022 22"}, "fe80::1"),
        ({"SSH_CLIENT": "fe80::1%\x1b[2J 50022 22"}, "fe80::1"),
        # Both set: SSH_CONNECTION is the one a login shell gets fresh.
        (
            {"SSH_CONNECTION": "198.51.100.1 1 2 22", "SSH_CLIENT": "203.0.113.9 1 22"},
            "198.51.100.1",
        ),
        ({"SSH_CLIENT": "", "SSH_CONNECTION": "  "}, None),
        ({"SSH_CLIENT": "\x1b[2Jevil 1 22"}, UNKNOWN_CLIENT),
        ({"SSH_CLIENT": "somehost.example 1 22"}, UNKNOWN_CLIENT),
    ],
)
def test_the_ssh_client_is_an_address_or_unknown(
    environ: dict[str, str], client: str | None
) -> None:
    assert ssh_client(environ) == client


def test_the_default_is_host_and_tty_plus_the_ssh_client() -> None:
    assert terminal_name(None, host="salon-pc", tty="pts/3", ssh_from=None) == "salon-pc:pts/3"
    assert terminal_name(None, host="salon-pc", tty="", ssh_from=None) == "salon-pc"
    assert (
        terminal_name(None, host="salon-pc", tty="pts/3", ssh_from="203.0.113.9")
        == "salon-pc:pts/3 ssh 203.0.113.9"
    )
    assert terminal_name(None, host="", tty="", ssh_from=None) == "localhost"


def test_a_long_host_is_shortened_to_keep_the_tty_and_the_client() -> None:
    host = "a-very-long-host-name." * 6
    client = "2001:db8:1234:5678:9abc:def0:1234:5678"
    name = terminal_name(None, host=host, tty="pts/12", ssh_from=client)
    assert len(name) == TERMINAL_MAX
    assert name.endswith(":pts/12 ssh " + client)
    assert name.startswith("a-very-long-host-name.")


def test_a_host_name_that_is_not_printable_is_refused() -> None:
    with pytest.raises(ValidationError, match="plain text"):
        terminal_name(None, host="salon\x1b[2J", tty="pts/3", ssh_from=None)


def test_a_chosen_name_over_ssh_still_says_where_the_session_came_from() -> None:
    assert terminal_name("Reception 2", host="h", tty="t", ssh_from=None) == "Reception 2"
    assert (
        terminal_name(" Reception 2 ", host="h", tty="t", ssh_from="203.0.113.9")
        == "Reception 2 ssh 203.0.113.9"
    )


def test_a_chosen_name_too_long_for_the_ssh_client_is_refused_not_cut() -> None:
    suffix = len(" ssh 203.0.113.9")
    fits = "x" * (TERMINAL_MAX - suffix)
    name = terminal_name(fits, host="h", tty="t", ssh_from="203.0.113.9")
    assert len(name) == TERMINAL_MAX
    with pytest.raises(ValidationError) as refused:
        terminal_name(fits + "x", host="h", tty="t", ssh_from="203.0.113.9")
    assert "ssh 203.0.113.9" in str(refused.value)
    assert f"to {TERMINAL_MAX - suffix} characters" in str(refused.value)


@pytest.mark.parametrize("chosen", ["desk\x1b[2J", "", "x" * 81, "desk\u202e"])
def test_a_chosen_name_is_checked_with_or_without_ssh(chosen: str) -> None:
    for ssh_from in (None, "203.0.113.9"):
        with pytest.raises(ValidationError):
            terminal_name(chosen, host="h", tty="t", ssh_from=ssh_from)
