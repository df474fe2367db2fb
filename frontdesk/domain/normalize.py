"""How names, phones and emails are folded for search (stored and queried the same way),
and which characters typed text may never hold."""

from __future__ import annotations

import re
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


# Categories that a screen must never receive raw: controls (ESC starts a terminal escape
# sequence that can retitle the window or clear the screen), invisible format characters
# (a right-to-left override reorders what follows), surrogates and line separators.
_UNSHOWABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _placeholder(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 block: NUL -> "␀", ESC -> "␛", TAB -> "␉"
    if code == 0x7F:
        return "\u2421"  # DEL -> "␡"
    if code <= 0xFF:
        return f"\\x{code:02x}"  # C1 controls have no picture: shown as Python writes them
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, *, keep: str = "") -> str:
    """`text` made inert for a screen or a terminal, whatever wrote it: every control (C0,
    DEL, C1), invisible format character, surrogate and line/paragraph separator becomes a
    visible placeholder ("\\x1b" -> "␛", "\\x9b" -> "\\\\x9b"). Characters in `keep` (a
    multi-line note keeps "\\n") and all ordinary text, accents and CJK included, pass
    unchanged."""
    if text.isprintable():  # the common case: nothing to look at one by one
        return text
    return "".join(
        _placeholder(ch) if ch not in keep and unicodedata.category(ch) in _UNSHOWABLE else ch
        for ch in text
    )


def fold(text: str) -> str:
    """Case-fold and strip accents so "Zoë" finds "zoe" and "Øster" finds "oster";
    non-Latin text is kept as is."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold().translate(_PLAIN_LATIN)[:120]


# Marks that join the parts of one name ("O'Connor", "Smith-Jones"): a name is found by
# each part and by the parts written together, however the mark was typed.
APOSTROPHES = "'\u2019\u2018\u02bc\u0060\u00b4"
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"
_JOINERS = APOSTROPHES + HYPHENS
_DROP_JOINERS = str.maketrans("", "", _JOINERS)
_SPLIT_JOINERS = re.compile(f"[{re.escape(_JOINERS)}]+")


def search_tokens(text: str, *, most: int = 4) -> list[str]:
    """The words of typed text as search matches them: folded, split at spaces, each
    word's apostrophes and hyphens dropped ("O'Con" -> "ocon"), in typed order. Only
    the `most` longest are kept (the longest say the most); empty words are dropped."""
    tokens = [t for t in (w.translate(_DROP_JOINERS) for w in fold(text).split()) if t]
    if len(tokens) <= most:
        return tokens
    keep = sorted(range(len(tokens)), key=lambda i: -len(tokens[i]))[:most]
    return [tokens[i] for i in sorted(keep)]


def name_words(folded: str) -> set[str]:
    """Every word a folded name can be found by: each part between spaces, apostrophes
    and hyphens, each space-separated part and the whole name with its marks dropped
    ("mac giolla" -> mac, giolla, macgiolla; "o'connor" -> o, connor, oconnor)."""
    words: set[str] = set()
    parts = folded.split()
    for part in parts:
        pieces = [p for p in _SPLIT_JOINERS.split(part) if p]
        words.update(pieces)
        words.add("".join(pieces))
    words.add("".join(parts).translate(_DROP_JOINERS))
    words.discard("")
    return words


def extra_words(folded: str) -> set[str]:
    """The words of `name_words` that a prefix scan of the folded name itself cannot
    find: a word the name starts with is found by every prefix of it already."""
    return {w for w in name_words(folded) if not folded.startswith(w)}


def phone_tail(phone_digits: str) -> str:
    """Phone digits reversed: the last digits of a number become a prefix, so "ends
    with 0123" is an index range scan like "starts with"."""
    return phone_digits[::-1]


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
