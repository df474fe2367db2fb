"""Which terminal the desk is drawing on, and what it draws there instead of a glyph the
terminal lacks (issue 18, item 4): the choice from TERM and the glyph table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from screens.terminal_caps import (
    ASCII,
    GLYPHS,
    KEY_WORDS,
    LINUX,
    LINUX_BOX,
    Kind,
    TerminalCaps,
    key_display,
    kind_of,
    stand_in,
    translate,
)


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        ("linux", Kind.LINUX),
        ("linux-16color", Kind.LINUX),
        ("con80x25", Kind.LINUX),
        ("vt100", Kind.ASCII),
        ("VT102", Kind.ASCII),
        ("vt220", Kind.ASCII),
        ("vt100-am", Kind.ASCII),
        ("ansi", Kind.ASCII),
        ("dumb", Kind.ASCII),
        ("xterm-256color", Kind.FULL),
        ("tmux-256color", Kind.FULL),
        ("screen", Kind.FULL),
        ("xterm-kitty", Kind.FULL),
        ("", Kind.FULL),
        (None, Kind.FULL),
        ("console", Kind.FULL),  # not "con" + a size: an unknown name, so modern
    ],
)
def test_term_names_the_kind_unknown_names_are_modern(term: str | None, kind: Kind) -> None:
    assert kind_of(term) is kind


def test_the_environment_is_read_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "vt100")
    assert TerminalCaps.from_environment().kind is Kind.ASCII
    monkeypatch.delenv("TERM")
    assert not TerminalCaps.from_environment().low_spec


def test_the_sets_are_ascii_and_the_consoles_eleven_lines() -> None:
    assert {chr(c) for c in range(0x20, 0x7F)} == ASCII
    assert ASCII | set(LINUX_BOX) == LINUX
    assert len(LINUX_BOX) == 11


@pytest.mark.parametrize("glyph", sorted(GLYPHS))
def test_every_stand_in_is_drawable_and_as_wide_as_its_glyph(glyph: str) -> None:
    linux, plain = GLYPHS[glyph]
    assert set(plain) <= ASCII, glyph
    assert set(linux) <= LINUX, glyph
    assert cell_len(plain) == cell_len(glyph) == cell_len(linux), glyph
    assert stand_in(glyph, Kind.ASCII) == plain
    assert stand_in(glyph, Kind.LINUX) == linux


def test_key_words_are_ascii() -> None:
    assert all(set(word) <= ASCII for word in KEY_WORDS.values())
    assert key_display("⏎", Kind.ASCII) == "Enter"
    assert key_display("←", Kind.LINUX) == "<"
    assert key_display("⏎", Kind.FULL) == "⏎"


def test_names_lose_accents_not_letters() -> None:
    assert translate("Björn Øster · Chloé", Kind.ASCII) == "Bjorn Oster . Chloe"
    assert translate("╭─╮", Kind.LINUX) == "┌─┐"
    assert translate("╭─╮", Kind.ASCII) == "+-+"
    assert translate("さくら", Kind.ASCII) == "??????"  # two cells each, kept


@given(st.text(max_size=40))
def test_any_text_comes_out_drawable_and_as_wide(text: str) -> None:
    for kind, allowed in ((Kind.ASCII, ASCII), (Kind.LINUX, LINUX)):
        shown = translate(text, kind)
        assert set(shown) <= allowed | (set(text) & allowed)
        assert cell_len(shown) == cell_len(text)
    assert translate(text, Kind.FULL) == text
