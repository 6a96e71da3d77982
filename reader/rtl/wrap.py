"""Line breaking in logical order, measured in terminal cells of the shaped text.

Wrapping must happen before reordering: the first line of an RTL paragraph is the *start* of the
sentence, and only the terminal-order of each line is reversed. Widths are those of the text as it will be
shown (after shaping a lam-alef ligature is one cell; harakat and nikud take none).

Breaks fall after runs of breakable spaces (U+0020, the other Zs spaces except the no-break ones, ZWSP),
which are dropped at the break. A word that fits on a line is never split; a longer one (a URL, a 1 MB
hostile "word") is split into pieces of at most ``width`` cells, never before a zero-width character,
so harakat and nikud stay on their letter's line. Leading spaces of the paragraph are kept as
indentation (up to ``width - 1`` cells); trailing spaces are dropped.
"""

from __future__ import annotations

import re

from reader.rtl.cells import char_width, has_special_width, text_width

__all__ = ["BREAK_SPACES", "wrap"]

BREAK_SPACES = " \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u200b\u205f\u3000"
"""Spaces a line may break at (NBSP, U+2007 and U+202F are excluded: they exist to prevent breaks)."""

_TOKENS = re.compile(f"[{BREAK_SPACES}]+|[^{BREAK_SPACES}]+")
_OTHER_BREAKS = re.compile(f"[{BREAK_SPACES[1:]}]")


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Break one paragraph into lines of at most ``width`` cells; returns ``(start, end)`` index ranges of
    ``text`` for each line (break spaces excluded). An empty or all-space paragraph gives one empty line.
    """
    width = max(1, width)
    special = has_special_width(text)
    if not special and len(text) <= width:
        end = len(text.rstrip(BREAK_SPACES))
        return [(0, end)]
    if not special and text[0] != " " and not _OTHER_BREAKS.search(text):
        return _wrap_simple(text, width)
    return _wrap_general(text, width, special)


def _wrap_simple(text: str, width: int) -> list[tuple[int, int]]:
    """The common case, every character one cell and only U+0020 to break at: each line is found with one
    ``str.rfind`` instead of a loop over words. Gives the same lines as ``_wrap_general``."""
    n = len(text)
    lines: list[tuple[int, int]] = []
    pos = 0
    while pos < n:
        if n - pos <= width:
            end = n
            while end > pos and text[end - 1] == " ":
                end -= 1
            if end > pos:
                lines.append((pos, end))
            break
        cut = text.rfind(" ", pos, pos + width + 1)
        if cut <= pos:  # the word at pos is wider than a line: full-width pieces, the rest goes on
            space = text.find(" ", pos)
            word_end = n if space == -1 else space
            while word_end - pos > width:
                lines.append((pos, pos + width))
                pos += width
            continue
        end = cut
        while end > pos and text[end - 1] == " ":
            end -= 1
        lines.append((pos, end))
        pos = cut + 1
        while pos < n and text[pos] == " ":
            pos += 1
    return lines or [(0, 0)]


def _wrap_general(text: str, width: int, special: bool) -> list[tuple[int, int]]:
    """Greedy word-by-word wrapping for text with other spaces, indentation or characters of width 0 or 2."""
    measure = text_width if special else len
    lines: list[tuple[int, int]] = []
    start = -1  # start of the current line, -1 when there is none
    end = 0
    used = 0
    gap = 0  # width of the spaces since the last word
    has_word = False  # the current line holds a word (not just the paragraph's indentation)
    for m in _TOKENS.finditer(text):
        a, b = m.span()
        token = m.group()
        if token[0] in BREAK_SPACES:
            if a == 0:  # indentation at the start of the paragraph, at most width - 1 cells of it
                indent = min(measure(token), width - 1)
                if indent > 0:
                    start, end, used = b - _prefix_len(token[::-1], indent, special), b, indent
            else:
                gap = measure(token)
            continue
        w = measure(token)
        if start >= 0 and used + gap + w <= width:
            end = b
            used += gap + w
        elif w <= width:
            if has_word:
                lines.append((start, end))
            start, end, used = a, b, w
        else:
            if has_word:
                lines.append((start, end))
            pieces = _split_long(text, a, b, width, special)
            lines.extend(pieces[:-1])
            start, end = pieces[-1]
            used = measure(text[start:end])
        has_word = True
        gap = 0
    if has_word:
        lines.append((start, end))
    return lines or [(0, 0)]


def _prefix_len(spaces: str, cells: int, special: bool) -> int:
    """How many characters from the start of a run of spaces fit in ``cells`` cells."""
    if not special:
        return cells
    count = used = 0
    for ch in spaces:
        w = char_width(ch)
        if used + w > cells:
            break
        used += w
        count += 1
    return count


def _split_long(text: str, a: int, b: int, width: int, special: bool) -> list[tuple[int, int]]:
    """Split ``text[a:b]`` (one word wider than ``width``) into pieces of at most ``width`` cells, cutting
    only before a character that takes a cell (so zero-width marks stay with their base)."""
    word = text[a:b]
    if not special or not has_special_width(word):
        return [(i, min(i + width, b)) for i in range(a, b, width)]
    pieces: list[tuple[int, int]] = []
    start = a
    used = 0
    for i in range(a, b):
        w = char_width(text[i])
        if w == 0:
            continue  # zero width: stays on the current piece
        if used + w > width and i > start:
            pieces.append((start, i))
            start, used = i, 0
        used += w
    pieces.append((start, b))
    return pieces
