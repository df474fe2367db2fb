"""Issue 15, item 6: stored text is inert. Every validator refuses control characters
(C0, C1, DEL, NUL) in every field, the email's ASCII path included, and `printable`
shows whatever a screen is given with visible placeholders."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.fields import clean_email, clean_name, clean_note
from frontdesk.domain.normalize import printable
from frontdesk.domain.parsing import clean_description

# One of each class: NUL, ESC (the start of every terminal escape sequence), BEL (ends
# an OSC title), DEL, and C1's CSI (one byte that some terminals read as ESC [).
CONTROLS = ["\x00", "\x1b", "\x07", "\x7f", "\x9b", "\x85"]
UNSHOWABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

VALIDATORS: dict[str, Callable[[str], str]] = {
    "name": lambda text: clean_name(text, "first_name", "first name"),
    "email": clean_email,
    "note": clean_note,
    "description": clean_description,
}


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
@pytest.mark.parametrize("field", sorted(VALIDATORS))
def test_every_validator_refuses_every_control_class(field: str, control: str) -> None:
    # An email-shaped value, so the email's own pattern would accept it without the check.
    text = f"ana{control}@example.com"
    with pytest.raises(ValidationError):
        VALIDATORS[field](text)


def test_an_ascii_email_with_an_escape_sequence_is_refused() -> None:
    # The bug: the ASCII path skipped the check, and the address pattern lets ESC by.
    with pytest.raises(ValidationError) as err:
        clean_email("a\x1b]0;PWNED\x07@example.com")
    assert err.value.field == "email"
    assert clean_email("ana@example.com") == "ana@example.com"


def test_a_note_keeps_its_line_breaks_and_refuses_other_controls() -> None:
    assert clean_note("line one\nline two") == "line one\nline two"
    with pytest.raises(ValidationError):
        clean_note("line one\n\x1b[2J")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("\x1b]0;PWNED\x07", "␛]0;PWNED␇"),
        ("\x1b[2J", "␛[2J"),
        ("nul\x00", "nul␀"),
        ("del\x7f", "del␡"),
        ("csi\x9b2J", "csi\\x9b2J"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("tab\there", "tab␉here"),
        ("two\nlines", "two␊lines"),
        ("tag\U000e0041", "tag\\U000e0041"),
    ],
)
def test_printable_shows_placeholders(stored: str, shown: str) -> None:
    assert printable(stored) == shown


def test_printable_keeps_what_it_is_told_to() -> None:
    assert printable("two\nlines\x1b", keep="\n") == "two\nlines␛"


@pytest.mark.parametrize(
    "text", ["Zoë Ødegård", "O'Connor-Smith", "中文 名前", "José\u00a0Luis", ""]
)
def test_printable_leaves_ordinary_text_alone(text: str) -> None:
    assert printable(text) == text


@given(st.text())
def test_printable_never_lets_an_unshowable_character_through(text: str) -> None:
    shown = printable(text)
    assert not any(unicodedata.category(ch) in UNSHOWABLE for ch in shown)


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_printable_is_the_identity_on_showable_text(text: str) -> None:
    assert printable(text) == text


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
def test_a_domain_error_quoting_stored_text_reads_inert(control: str) -> None:
    """Errors quote names another tool may have stored (a product, a location): what a
    screen or the CLI shows of them carries placeholders, never the control."""
    from frontdesk.domain.errors import InsufficientBalance, NotFound, TravelMemberReadOnly

    for error in (
        NotFound(f"product “Botox{control}]0;pwned”"),
        InsufficientBalance(1, 2, message=f"Only 1 Botox{control} left"),
        TravelMemberReadOnly(f"Leeds{control}"),
        ValidationError("name", f"“Ana{control}” is taken"),
    ):
        assert control not in str(error)
        assert printable(control) in str(error)
