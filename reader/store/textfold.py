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

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _tables() -> tuple[tuple[tuple[str, str], ...], re.Pattern[str], dict[str, str]]:
    """(common changes checked one by one, a pattern for the rarer ones, the full mapping).

    "Common" are the characters that change in everyday Arabic, Persian, Urdu, Hebrew and English text:
    checking ~150 characters with ``in`` costs less than one Python-level pass over the text."""
    mapping: dict[str, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        folded = fold(ch)
        if folded != ch:
            mapping[ch] = folded
    common_ranges = ((0x41, 0x5A), (0x600, 0x6FF), (0x200B, 0x200F), (0xFEFF, 0xFEFF))
    common = tuple((ch, out) for ch, out in mapping.items()
                   if any(lo <= ord(ch) <= hi for lo, hi in common_ranges))
    common_set = {ch for ch, _ in common}
    rare = [ch for ch in mapping if ch not in common_set]
    pattern = re.compile("[" + "".join(re.escape(ch) for ch in rare) + "]")
    return common, pattern, mapping


def fast_fold(text: str) -> str:
    """Exactly ``reader.normalize.fold(text)``, faster on long texts."""
    if text.isascii():
        return text.lower()
    if _ASTRAL.search(text):
        return fold(text)
    common, rare, mapping = _tables()
    for ch, out in common:
        if ch in text:
            text = text.replace(ch, out)
    if rare.search(text):
        text = rare.sub(lambda m: mapping[m.group()], text)
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
