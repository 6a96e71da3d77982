"""``reader.normalize.fold`` at the speed the indexer needs, and a fingerprint of what folding does.

The store folds every title and body it indexes (and re-folds the old version of an article to take it
out of the contentless index), so folding is on the hot path of a refresh. ``normalize.fold`` walks the text
a character at a time in Python (about 50 ns a character). Here the same per-character mapping is applied
with ``str.replace`` for the few characters a given text actually contains: ``ch in text`` and
``str.replace`` run in C, so a 3 KB Arabic article folds in tens of microseconds. The result is identical to
``normalize.fold`` by construction (the table is built from it) and by a property test.

``fingerprint()`` digests the whole mapping. The archive records it with its index; when folding changes
(a letter added to ``reader.normalize``, a new Unicode version), the store rebuilds the index, because a
contentless FTS5 index can only remove a document given exactly the tokens it was indexed with.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from functools import cache

from reader.normalize import fold

# Bump when the way the store tokenises or expands changes, to force a rebuild of every index.
INDEX_VERSION = 1

# Checked one by one with ``in`` (a C scan) and replaced with ``str.replace``: the characters that change
# in everyday Arabic, Persian and Urdu text, harakat included. Everything else that folds is rarer and
# goes through one regex pass.
_FREQUENT = "أإآٱةىئؤیکـًٌٍَُِّْٰ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_ARABIC_BLOCK = re.compile("[\u0600-\u06ff]")
"""All of _FREQUENT is in the Arabic block: text without it skips the per-character checks."""


@cache
def _tables() -> tuple[tuple[tuple[str, str], ...], re.Pattern[str], dict[str, str]]:
    """(frequent changes, a pattern for every other changing character, the full BMP mapping).

    Text is lower-cased with ``str.lower`` first (C speed; ``fold(c.lower()) == fold(c)`` for every
    code point, checked by a test), so upper-case Latin needs no per-letter work."""
    mapping: dict[str, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        folded = fold(ch)
        if folded != ch:
            mapping[ch] = folded
    frequent = tuple((ch, mapping[ch]) for ch in _FREQUENT)
    rest = [ch for ch in mapping if ch not in _FREQUENT and ch.lower() == ch]
    pattern = re.compile("[" + "".join(re.escape(ch) for ch in rest) + "\U00010000-\U0010ffff]")
    return frequent, pattern, mapping


def _rare(match: re.Match[str]) -> str:
    ch = match.group()
    out = _tables()[2].get(ch)
    return out if out is not None else fold(ch)  # astral characters are not in the table


@cache
def _changing() -> re.Pattern[str]:
    """Any character ``fast_fold`` may change after lower-casing: the Arabic block or a rare one. One
    scan with it settles text that needs no more work (English with typographic quotes, say) instead of
    two."""
    rare = _tables()[1].pattern
    return re.compile("[\u0600-\u06ff" + rare[1:])


def fast_fold(text: str) -> str:
    """Exactly ``reader.normalize.fold(text)``, faster on long texts."""
    if text.isascii():
        return text.lower()
    frequent, rare, _ = _tables()
    text = text.lower()
    if not _changing().search(text):
        return text
    if _ARABIC_BLOCK.search(text):
        for ch, out in frequent:
            if ch in text:
                text = text.replace(ch, out)
    if rare.search(text):
        text = rare.sub(_rare, text)
    return text


@cache
def _reshaping() -> re.Pattern[str]:
    """Characters whose fold is not exactly one character (dropped marks, ligatures, ß)."""
    odd = [ch for ch, out in _tables()[2].items() if len(out) != 1]
    return re.compile("[" + "".join(re.escape(ch) for ch in odd) + "\U00010000-\U0010ffff]")


def fold_offsets(text: str) -> tuple[str, Callable[[int], int]]:
    """``fold`` and a function from an offset in the folded text to the offset of the original character
    it came from (``len(text)`` at the end): what ``normalize.fold_with_map`` gives, without building a
    list as long as the text. Text that folds character for character is the identity; otherwise the
    text is cut at the few characters that vanish or expand (harakat, tatweel, ligatures) and offsets are
    found by bisecting the pieces."""
    odd = _reshaping()
    if odd.search(text) is None:
        return fast_fold(text), lambda i: min(i, len(text))
    f_starts: list[int] = []
    o_starts: list[int] = []
    same: list[bool] = []
    parts: list[str] = []
    pos = fpos = 0

    def piece(folded: str, origin: int, identity: bool) -> None:
        nonlocal fpos
        f_starts.append(fpos)
        o_starts.append(origin)
        same.append(identity)
        parts.append(folded)
        fpos += len(folded)

    for match in odd.finditer(text):
        i = match.start()
        if i > pos:
            piece(fast_fold(text[pos:i]), pos, True)
        out = fold(match.group())
        if out:
            piece(out, i, False)
        pos = match.end()
    if pos < len(text):
        piece(fast_fold(text[pos:]), pos, True)
    folded = "".join(parts)

    def to_original(i: int) -> int:
        if i >= len(folded):
            return len(text)
        k = bisect_right(f_starts, i) - 1
        return o_starts[k] + (i - f_starts[k]) if same[k] else o_starts[k]

    return folded, to_original


@cache
def fingerprint() -> str:
    """A digest of folding and tokenising as this process does them; equal fingerprints index alike."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{INDEX_VERSION}\x00{unicodedata.unidata_version}\x00".encode())
    for ch, out in sorted(_tables()[2].items()):
        digest.update(f"{ch}\x01{out}\x02".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
