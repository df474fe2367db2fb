"""How names, phones and emails are folded for search (stored and queried the same way)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case-fold and strip accents so "Zoë" finds "zoe"; non-Latin text is kept as is."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()[:120]


def digits(text: str) -> str:
    """Only ASCII digits: "+44 (0)7700 900-123" and "447700900123" search alike."""
    return "".join(ch for ch in text if "0" <= ch <= "9")[:40]


def prefix_upper_bound(prefix: str) -> str:
    """Smallest string greater than every string starting with `prefix` (for range scans)."""
    return prefix + "\U0010ffff"
