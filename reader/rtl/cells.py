"""Terminal cell widths, measured the way Textual and Rich measure them (``rich.cells``).

The engine must agree with the UI to the cell about how wide a line is, so it uses Rich's own width
table. Measuring character by character in Python is slow, so the table's zero-width and double-width
ranges are compiled into regular expressions that find the few characters that are not one cell wide:
text without any (most news text once shaped: Latin, Arabic presentation forms, Hebrew letters, digits)
is as wide as it is long.

Python's ``re`` turns a class of BMP ranges into a bitmap but tests astral ranges one at a time, which is
ten times slower; so each pattern is a BMP class plus the whole astral plane as a cheap prefilter, and an
astral candidate is then checked against the exact astral ranges.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size

__all__ = ["cell_len", "char_width", "has_special_width", "has_zero_width", "text_width"]

_ASTRAL = "\\U00010000-\\U0010ffff"


def _part(start: int, end: int) -> str:
    return re.escape(chr(start)) if start == end else f"{re.escape(chr(start))}-{re.escape(chr(end))}"


def _patterns(ranges: list[tuple[int, int]]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(prefilter: the BMP ranges and every astral code point, exact class for astral code points)."""
    bmp = "".join(_part(a, min(b, 0xFFFF)) for a, b in ranges if a <= 0xFFFF)
    astral = "".join(_part(max(a, 0x10000), b) for a, b in ranges if b > 0xFFFF) or "(?!)"
    return re.compile(f"[{bmp}{_ASTRAL}]"), re.compile(f"[{astral}]" if astral != "(?!)" else astral)


def _tables() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    try:
        from rich._unicode_data import load

        widths = load("auto").widths
    except Exception:  # pragma: no cover - a Rich without its private table: every non-ASCII is special
        return [(0x80, 0x10FFFF)], [(0x300, 0x36F), (0x591, 0x5C7), (0x64B, 0x65F), (0x670, 0x670)]
    special = [(start, end) for start, end, width in widths if width != 1]
    zero = [(start, end) for start, end, width in widths if width == 0]
    # C0/C1 controls are width 0 in Rich; sanitised text has none, but stay exact.
    special += [(0x00, 0x1F), (0x7F, 0x9F)]
    return special, zero


_special_ranges, _zero_ranges = _tables()
_SPECIAL_PRE, _SPECIAL_ASTRAL = _patterns(_special_ranges)
_ZERO_PRE, _ZERO_ASTRAL = _patterns(_zero_ranges)


def _found(pre: re.Pattern[str], astral: re.Pattern[str], text: str) -> bool:
    pos = 0
    while (m := pre.search(text, pos)) is not None:
        if m.group() <= "\uffff" or astral.match(m.group()):
            return True
        pos = m.end()
    return False


def has_special_width(text: str) -> bool:
    """True when some character of ``text`` is not exactly one cell wide."""
    return _found(_SPECIAL_PRE, _SPECIAL_ASTRAL, text)


def has_zero_width(text: str) -> bool:
    """True when ``text`` holds a character that takes no cell (a combining mark such as harakat or nikud,
    a joiner, a variation selector)."""
    return _found(_ZERO_PRE, _ZERO_ASTRAL, text)


def text_width(text: str) -> int:
    """Cells ``text`` takes in a terminal (same result as ``rich.cells.cell_len``)."""
    if not has_special_width(text):
        return len(text)
    return cell_len(text)


def char_width(char: str) -> int:
    """Cells one character takes: 0, 1 or 2."""
    return get_character_cell_size(char)
