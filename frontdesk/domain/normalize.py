"""How names, phones and emails are folded for search (stored and queried the same way),
and which characters typed text may never hold."""

from __future__ import annotations

import unicodedata

# Latin letters that carry no combining accent, so NFKD leaves them alone.
_PLAIN_LATIN = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)


# Categories never allowed in free text: controls (tab, newline, NUL), invisible format
# characters (zero-width space, right-to-left override), surrogates, and line/paragraph
# separators, all of which can hide or reorder what the next reader sees.
FORBIDDEN_TEXT_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def has_forbidden(text: str, *, allow: str = "") -> bool:
    """Whether `text` holds a character of `FORBIDDEN_TEXT_CATEGORIES` not in `allow`
    (multi-line notes allow "\\n")."""
    return any(
        ch not in allow and unicodedata.category(ch) in FORBIDDEN_TEXT_CATEGORIES for ch in text
    )


def fold(text: str) -> str:
    """Case-fold and strip accents so "Zoë" finds "zoe" and "Øster" finds "oster";
    non-Latin text is kept as is."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold().translate(_PLAIN_LATIN)[:120]


def digits(text: str) -> str:
    """A phone number as searchable digits: formatting ignored, and the UK international
    prefix written as the trunk 0, so "+44 7700 900123" and "07700 900-123" match."""
    raw = text.strip()
    only = "".join(ch for ch in raw if "0" <= ch <= "9")
    if raw.startswith("+44") or (raw.startswith("0044") and not raw.startswith("00440")):
        only = "0" + only[4 if raw.startswith("0044") else 2 :]
    return only[:40]


def prefix_upper_bound(prefix: str) -> str:
    """Smallest string greater than every string starting with `prefix` (for range scans)."""
    return prefix + "\U0010ffff"
