"""Arabic-, Hebrew- and Persian-aware text folding, shared by full-text search and entity extraction.

Readers of Arabic search without harakat, with or without hamza on the alef, and with ة and ه (or ى and
ي) used interchangeably; Persian keyboards produce ی and ک where Arabic text has ي and ك. SQLite's FTS5
``unicode61`` tokenizer does none of this (it even treats harakat as separators), so documents and queries
are both folded here, in Python, before they reach the index. Entity keys use the same folding so that
كوردستان and كردستان, or أربيل and اربيل, group together.

``fold`` keeps a map back to the original offsets so search snippets and highlights can point at the text
as written.
"""

from __future__ import annotations

import unicodedata

# Single-character replacements applied after combining marks are removed.
_REPLACE: dict[int, str] = {}


def _add(chars: str, target: str) -> None:
    for ch in chars:
        _REPLACE[ord(ch)] = target


_add("أإآٱٲٳٵ", "ا")  # alef with hamza above/below, madda, wasla and other forms
_add("ى", "ي")  # alef maksura
_add("ی", "ي")  # Persian yeh (U+06CC)
_add("ې", "ي")  # Pashto/Uyghur e
_add("ک", "ك")  # Persian keheh (U+06A9)
_add("ة", "ه")  # teh marbuta
_add("ۀ", "ه")  # heh with yeh above (Persian ezafe)
_add("ہ", "ه")  # Urdu heh goal
_add("ھ", "ه")  # heh doachashmee
_add("ؤ", "و")  # waw with hamza
_add("ئ", "ي")  # yeh with hamza
for _i, _zero in enumerate(("٠", "۰", "߀")):
    for _d in range(10):
        _REPLACE[ord(_zero) + _d] = str(_d)

# Removed outright: tatweel, zero-width characters, bidi marks and the byte-order mark.
_DROP = frozenset("\u0640\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u2060")


def _fold_char(ch: str) -> str:
    """Fold one character; returns "" when it disappears."""
    if ch in _DROP:
        return ""
    code = ord(ch)
    mapped = _REPLACE.get(code)
    if mapped is not None:
        return mapped
    if code < 0x80:
        return ch.lower()
    # Decompose to drop combining marks (Arabic harakat, Hebrew niqqud, Latin accents) and fold case.
    decomposed = unicodedata.normalize("NFKD", ch)
    out = []
    for part in decomposed:
        if unicodedata.combining(part) or unicodedata.category(part) == "Mn":
            continue
        if part in _DROP:
            continue
        mapped = _REPLACE.get(ord(part))
        out.append(mapped if mapped is not None else part)
    return "".join(out).casefold()


_CACHE: dict[str, str] = {}


def fold(text: str) -> str:
    """Fold ``text`` for matching: marks, tatweel and zero-width characters removed, letter variants
    unified, digits as ASCII, Latin case and accents folded."""
    cache = _CACHE
    out: list[str] = []
    append = out.append
    for ch in text:
        folded = cache.get(ch)
        if folded is None:
            folded = _fold_char(ch)
            if len(cache) < 65536:
                cache[ch] = folded
        append(folded)
    return "".join(out)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and return, for each code point of the result, the offset of the original code point
    it came from (with one extra entry, ``len(text)``, for the end), so matches map back to the original."""
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = _CACHE.get(ch)
        if folded is None:
            folded = _fold_char(ch)
        for part in folded:
            out.append(part)
            origin.append(index)
    origin.append(len(text))
    return "".join(out), origin
