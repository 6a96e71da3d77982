"""Fast folding, tokenising and script detection for the entity rules.

``reader.normalize.fold`` is the one definition of folding; it works a character at a time in Python. The
rules fold every token of every article, so here the same per-character mapping is memoised into a table
that ``str.translate`` applies in C: identical output, several times faster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from reader.normalize import fold


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each code point with ``fold(chr(code))``."""

    def __missing__(self, code: int) -> str:
        value = fold(chr(code))
        self[code] = value
        return value


_TABLE = _FoldTable()


def fast_fold(text: str) -> str:
    """``reader.normalize.fold(text)``, computed with ``str.translate``."""
    return text.translate(_TABLE)


# A word: letters and digits with the combining marks (harakat, Hebrew points) and tatweel inside it.
# The underscore is not part of a word, so #صحيفة_التيار gives two words.
MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200d"
WORD_RE = re.compile(f"[^\\W_](?:[^\\W_]|[{MARKS}])*")

_JOIN_RE = re.compile(r"[ \u00a0]{1,3}|_|-|\u200c")
_SPLIT_RE = re.compile(f"([^\\W_](?:[^\\W_]+|[{MARKS}]+)*+)")
"""``WORD_RE`` as a group, its letters and marks taken a run at a time: the same words, found faster."""
_CACHE_LIMIT = 1 << 16


class _FoldedWords(dict[str, str]):
    """Word -> ``fast_fold(word)``, memoised: news repeats its words, and a dict lookup beats translating."""

    def __missing__(self, word: str) -> str:
        value = word.translate(_TABLE)
        if len(self) < _CACHE_LIMIT:
            self[word] = value
        return value


class _JoiningGaps(dict[str, bool]):
    """Text between two words -> whether a name may continue across it (a few spaces, ``_``, ``-``, ZWNJ)."""

    def __missing__(self, gap: str) -> bool:
        value = _JOIN_RE.fullmatch(gap) is not None
        if len(self) < _CACHE_LIMIT:
            self[gap] = value
        return value


_FOLDED = _FoldedWords()
_JOINING = _JoiningGaps()


@dataclass(slots=True)
class Tokens:
    """The words of a paragraph as parallel lists (index ``i`` is the ``i``-th word): the rules read a few
    fields of a few words, and building lists in C is cheaper than an object per word."""

    starts: list[int]
    """Offset of each word in the paragraph."""
    ends: list[int]
    """Offset just past each word."""
    texts: list[str]
    """Each word as written."""
    folded: list[str]
    """Each word folded (``fast_fold``)."""
    joined: list[bool]
    """True when only spaces (or one ``_``, ``-`` or ZWNJ) separate the word from the previous one, so a
    name may continue across the gap; always False for the first word."""

    def __len__(self) -> int:
        return len(self.texts)


def tokenize_columns(paragraph: str) -> Tokens:
    """Split a paragraph into words, as ``Tokens``; punctuation and line breaks end a name."""
    parts = _SPLIT_RE.split(paragraph)
    # parts alternates gap, word, gap, ..., word, gap; the running lengths are the boundaries
    texts = parts[1::2]
    if not texts:
        return Tokens([], [], [], [], [])
    bounds = list(accumulate(map(len, parts)))
    starts = bounds[0:-1:2]
    ends = bounds[1::2]
    folded = list(map(_FOLDED.__getitem__, texts))
    joined = [False, *map(_JOINING.__getitem__, parts[2:-1:2])]
    return Tokens(starts, ends, texts, folded, joined)


@dataclass(slots=True)
class Token:
    """One word of a paragraph, with offsets into the paragraph and its folded form."""

    start: int
    end: int
    text: str
    folded: str
    joined: bool
    """True when only spaces (or one ``_`` or ``-``) separate it from the previous word, so a name may
    continue across the gap."""


def tokenize(paragraph: str) -> list[Token]:
    """Split a paragraph into words, one ``Token`` each; punctuation and line breaks end a name."""
    columns = tokenize_columns(paragraph)
    return [
        Token(*fields)
        for fields in zip(
            columns.starts, columns.ends, columns.texts, columns.folded, columns.joined, strict=True
        )
    ]


def folded_prefix_to_chars(word: str, folded_len: int) -> int:
    """How many characters of ``word`` produce its first ``folded_len`` folded characters (and any marks or
    tatweel right after them), so a span can start after stripped proclitics."""
    produced = 0
    index = 0
    while index < len(word) and produced < folded_len:
        produced += len(word[index].translate(_TABLE))
        index += 1
    while index < len(word) and word[index].translate(_TABLE) == "":
        index += 1
    return index


_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_PERSIAN = re.compile(r"[پچژگ]")
_PERSIAN_Y = re.compile(r"[یک]")
_URDU = re.compile(r"[ٹڈڑںےۓہھ]")
_KURDISH = re.compile(r"[ێۆڵڕەۊ]")
_ARABIC_ONLY = re.compile(r"[ةىيك]")
_NOT_PLAIN_ARABIC = re.compile(
    "[" + "".join(p.pattern[1:-1] for p in (_LATIN, _HEBREW, _PERSIAN, _PERSIAN_Y, _URDU, _KURDISH)) + "]"
)
"""Any letter counted below other than the Arabic script's common ones."""


def script_language(paragraph: str, hint: str | None = None) -> str:
    """The language a paragraph's rules should use: ``ar``, ``fa``, ``ur``, ``ckb``, ``he``, ``en`` or
    ``other``. Decided by the letters it is written in; ``hint`` (the article's language) only breaks a
    tie between Arabic-script languages."""
    base = (hint or "").split("-")[0].lower()
    if _NOT_PLAIN_ARABIC.search(paragraph) is None:
        # Latin, Hebrew, Kurdish, Urdu and Persian counts all zero: the tests below reduce to these
        if _ARABIC.search(paragraph) is None:
            return "other"
        if base in ("fa", "ur", "ckb", "ku") and _ARABIC_ONLY.search(paragraph) is None:
            return "ckb" if base == "ku" else base
        return "ar"
    arabic = len(_ARABIC.findall(paragraph))
    latin = len(_LATIN.findall(paragraph))
    hebrew = len(_HEBREW.findall(paragraph))
    if not (arabic or latin or hebrew):
        return "other"
    if hebrew > arabic and hebrew > latin:
        return "he"
    if latin > arabic:
        return "en"
    kurdish = len(_KURDISH.findall(paragraph))
    urdu = len(_URDU.findall(paragraph))
    persian = len(_PERSIAN.findall(paragraph)) + len(_PERSIAN_Y.findall(paragraph))
    arabic_only = len(_ARABIC_ONLY.findall(paragraph))
    if kurdish >= 2 and kurdish * 20 >= arabic:
        return "ckb"
    if urdu >= 2 and urdu * 30 >= arabic:
        return "ur"
    if persian > arabic_only:
        return "fa"
    if base in ("fa", "ur", "ckb", "ku") and persian >= arabic_only:
        return "ckb" if base == "ku" else base
    return "ar"
