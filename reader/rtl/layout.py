"""Paragraph layout: sanitise, find the direction, shape, wrap, reorder, mirror, align; spans carried along.

This is what the article view, ``khabar show`` and ``khabar render`` call. Everything here is a pure
function of its arguments, so results are cached (``layout_paragraph`` and ``visual_line`` keep an LRU of
recent paragraphs keyed by text, width and options): repainting a screen costs dictionary lookups.

The modes (``reader.config.BIDI_MODES``):

* ``app``: the whole pipeline; each ``VisualLine.text`` is in visual (left-to-right cell) order and
  shaped, ready for a terminal that does no BiDi (or has been put in explicit mode). ``auto`` is
  treated as ``app`` here: resolving it needs the terminal, see ``reader.rtl.terminal``.
* ``terminal``: sanitised logical text, wrapped, not shaped or reordered, for terminals that do BiDi
  themselves. No padding: such a terminal decides each row's direction and alignment.
* ``off``: the same text as ``terminal``; the paragraph is reported as LTR.

In every mode no bidi control character (LRE ... PDI, LRM, RLM, ALM) is ever emitted.

Coordinates: spans (``reader.model.Span``) are code-point offsets into the paragraph's *sanitised* text,
which for text that went through ``sanitize`` at ingestion is the text itself (``ParagraphLayout.text``
gives it). Each ``VisualLine`` says where its spans land in cells, and maps every code point of its
visual text back to its logical offset.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from reader.model import Direction, Span
from reader.rtl._tables import MIRRORS
from reader.rtl.cells import char_width, has_special_width, has_zero_width, text_width
from reader.rtl.sanitize import sanitize
from reader.rtl.shape import shape, strip_harakat
from reader.rtl.uba import (
    analyse,
    bidi_classes,
    first_strong,
    paragraph_level,
    reset_whitespace,
    visual_order,
)
from reader.rtl.wrap import BREAK_SPACES, wrap

__all__ = [
    "MIN_WIDTH",
    "ParagraphLayout",
    "VisualLine",
    "VisualSpan",
    "clear_cache",
    "layout_paragraph",
    "layout_text",
    "visual_line",
]

MIN_WIDTH = 2
"""Narrowest layout: a double-width character must fit on a line. Smaller widths are raised to this."""

ELLIPSIS = "…"

# Never emitted: the explicit bidi controls and marks, ZWNJ (its effect is in the shaped forms), ZWSP
# (a break opportunity, nothing to show) and the BOM.
_HIDDEN = re.compile("[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MIRRORABLE = re.compile("[" + re.escape("".join(chr(cp) for cp in MIRRORS)) + "]")


@dataclass(frozen=True, slots=True)
class VisualSpan:
    """A span in visual cell coordinates on one line: cells ``[start_cell, end_cell)`` from the line's
    first cell (padding not included)."""

    start_cell: int
    end_cell: int
    kind: str
    """The ``kind`` of the logical span it came from."""


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One line ready for a terminal."""

    text: str
    """Exactly what to print, left to right, without padding."""
    cells: int
    """Width of ``text`` in terminal cells (``rich.cells.cell_len``)."""
    pad: int
    """Spaces to print before ``text`` to align it in the pane it was laid out for (RTL lines are flush
    right in ``app`` mode; 0 otherwise)."""
    rtl: bool
    """The paragraph's resolved direction is right-to-left."""
    spans: tuple[VisualSpan, ...]
    """The logical spans that fall on this line, in cell coordinates, sorted by ``start_cell``. A logical
    span may give several pieces (an Arabic name next to a number reorders into two places)."""
    logical: tuple[int, ...]
    """For each code point of ``text``, the offset in the paragraph's sanitised text it shows (a lam-alef
    ligature maps to its lam, the ellipsis of a truncated line to the first hidden code point)."""
    start: int
    """Offset of the first code point of the paragraph on this line."""
    end: int
    """Offset just past the last one (break spaces after it are not shown)."""

    @property
    def padded(self) -> str:
        """``text`` with its alignment padding."""
        return " " * self.pad + self.text

    def pieces(self, default: str = "") -> tuple[tuple[str, str], ...]:
        """Split ``text`` by span into ``(text, kind)`` pieces in left-to-right order; text outside any span
        gets ``default``. Where spans overlap the one starting first wins."""
        if not self.spans:
            return ((self.text, default),) if self.text else ()
        kinds = [default] * (self.cells + 1)
        for span in reversed(self.spans):
            kinds[span.start_cell:span.end_cell] = [span.kind] * (span.end_cell - span.start_cell)
        pieces: list[tuple[str, str]] = []
        cell = 0
        buf: list[str] = []
        current = None
        for ch in self.text:
            w = char_width(ch)
            kind = kinds[cell] if w else (current if current is not None else kinds[cell])
            if kind != current and buf:
                pieces.append(("".join(buf), current or default))
                buf = []
            current = kind
            buf.append(ch)
            cell += w
        if buf:
            pieces.append(("".join(buf), current or default))
        return tuple(pieces)


@dataclass(frozen=True, slots=True)
class ParagraphLayout:
    """A paragraph laid out for a pane ``width`` cells wide."""

    lines: tuple[VisualLine, ...]
    direction: Direction
    """The resolved paragraph direction (RTL or LTR, never AUTO)."""
    width: int
    text: str
    """The sanitised logical text that every offset refers to."""


# -- caching --------------------------------------------------------------------------------------------

R = TypeVar("R")

_CACHE_SIZE = 4096
_CACHE: OrderedDict[tuple[object, ...], object] = OrderedDict()
_LOCK = threading.Lock()  # the article view may lay out from a worker thread while the UI repaints


def clear_cache() -> None:
    """Forget every cached layout (the benchmarks use this to measure cold layouts)."""
    with _LOCK:
        _CACHE.clear()


def _cached(key: tuple[object, ...], compute: Callable[[], R]) -> R:
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit  # type: ignore[return-value]
    value = compute()
    with _LOCK:
        _CACHE[key] = value
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def _check(mode: str, base: str) -> str:
    if mode == "auto":
        mode = "app"
    if mode not in ("app", "terminal", "off"):
        raise ValueError(f"unknown bidi mode {mode!r}")
    if base not in ("auto", "rtl", "ltr"):
        raise ValueError(f"unknown base direction {base!r}")
    return mode


def _resolve_level(text: str, base: str, classes: str | None = None) -> int:
    if base == "rtl":
        return 1
    if base == "ltr":
        return 0
    if classes is None and len(text) > 4096:
        # P2 needs only the first strong letter: look at the start before classifying a huge text.
        head = bidi_classes(text[:4096])
        strong = None if any(c in head for c in "6789") else first_strong(head)
        if strong is not None:
            return 1 if strong == "R" else 0
    return paragraph_level(bidi_classes(text) if classes is None else classes)


# -- public API -----------------------------------------------------------------------------------------

def layout_paragraph(text: str, width: int, *, base: str = "auto", mode: str = "app",
                     strip_harakat: bool = False, spans: Sequence[Span] = ()) -> ParagraphLayout:
    """Lay out one paragraph (a line break inside is treated as a space) for a pane ``width`` cells wide.

    ``base`` is the paragraph direction: ``auto`` (first strong character, UBA P2-P3), ``rtl`` or ``ltr``.
    ``mode`` is ``app``, ``terminal`` or ``off`` (``auto`` means ``app``). ``strip_harakat`` drops Arabic
    harakat. ``spans`` are logical spans over the sanitised text, returned in cell coordinates.
    Never raises for any text; raises ValueError for an unknown mode or base.
    """
    mode = _check(mode, base)
    width = max(MIN_WIDTH, width)
    key = ("p", text, width, base, mode, strip_harakat, tuple(spans))
    return _cached(key, lambda: _layout(text, width, base, mode, strip_harakat, tuple(spans)))


def layout_text(text: str, width: int, *, base: str = "auto", mode: str = "app",
                strip_harakat: bool = False) -> list[ParagraphLayout]:
    """Lay out multi-line text, one paragraph per line (each with its own direction when ``base`` is
    ``auto``), as ``khabar render`` does."""
    clean = sanitize(text)
    return [layout_paragraph(line, width, base=base, mode=mode, strip_harakat=strip_harakat)
            for line in clean.split("\n")]


def visual_line(text: str, width: int, *, base: str = "auto", mode: str = "app", strip_harakat: bool = False,
                spans: Sequence[Span] = (), ellipsis: str = ELLIPSIS) -> VisualLine:
    """One line for a title or a list column: never wrapped, truncated at its *logical* end with
    ``ellipsis`` when wider than ``width`` (so an RTL title loses its end on the left). The direction is
    that of the whole text."""
    mode = _check(mode, base)
    width = max(MIN_WIDTH, width)
    key = ("v", text, width, base, mode, strip_harakat, tuple(spans), ellipsis)
    return _cached(key, lambda: _visual_line(text, width, base, mode, strip_harakat, tuple(spans), ellipsis))


# -- implementation -------------------------------------------------------------------------------------

def _layout(text: str, width: int, base: str, mode: str, strip: bool,
            spans: tuple[Span, ...]) -> ParagraphLayout:
    t = sanitize(text, multiline=False)
    if mode == "app":
        classes = bidi_classes(t)
        level = _resolve_level(t, base, classes)
        par = analyse(t, level, classes)
        shaped, src, removed = shape(t, harakat=not strip)
        levels = _delete(par.levels, removed)
        shaped_classes = _delete(par.classes, removed)
        lines = tuple(_app_line(t, shaped, src, levels, shaped_classes, level, a, b, width, spans)
                      for a, b in wrap(shaped, width))
    else:
        level = 0 if mode == "off" else _resolve_level(t, base)
        shown, src = _visible(t, strip)
        lines = tuple(_logical_line(t, shown, src, a, b, bool(level & 1), spans)
                      for a, b in wrap(shown, width))
    return ParagraphLayout(lines, Direction.RTL if level & 1 else Direction.LTR, width, t)


S = TypeVar("S", str, bytes)


def _delete(seq: S, indices: list[int]) -> S:
    """``seq`` without the items at the sorted ``indices``."""
    if not indices:
        return seq
    pieces: list[S] = []
    pos = 0
    for i in indices:
        pieces.append(seq[pos:i])
        pos = i + 1
    pieces.append(seq[pos:])
    return seq[:0].join(pieces)


def _remove(t: str, pattern: re.Pattern[str], src: list[int] | None) -> tuple[str, list[int] | None]:
    """``t`` without the matches of ``pattern``, with the offset map composed onto ``src``."""
    if not pattern.search(t):
        return t, src
    base: Sequence[int] = src if src is not None else range(len(t))
    kept: list[int] = []
    pieces: list[str] = []
    pos = 0
    for m in pattern.finditer(t):
        pieces.append(t[pos:m.start()])
        kept.extend(base[pos:m.start()])
        pos = m.end()
    pieces.append(t[pos:])
    kept.extend(base[pos:])
    return "".join(pieces), kept


def _visible(t: str, strip: bool) -> tuple[str, list[int] | None]:
    """Logical text as ``terminal`` and ``off`` modes show it: bidi controls removed, harakat optionally."""
    src: list[int] | None = None
    if strip:
        t, src = strip_harakat(t)
    return _remove(t, _HIDDEN, src)


def _line_map(src: list[int] | None, a: int, b: int) -> Sequence[int]:
    return range(a, b) if src is None else src[a:b]


def _cover_ends(src: list[int] | None, n: int, total: int, a: int, b: int) -> list[int]:
    """For each position j in [a, b) of a shaped or filtered text of length ``n``, the logical offset just
    past what it shows: up to the next shown code point, so a ligature covers its alef and a letter its
    stripped harakat and any hidden control after it."""
    if src is None:
        return list(range(a + 1, b + 1))
    ends = src[a + 1:b + 1]
    if b >= n:
        ends.append(total)
    return ends


def _logical_line(t: str, shown: str, src: list[int] | None, a: int, b: int, rtl: bool,
                  spans: tuple[Span, ...]) -> VisualLine:
    text = shown[a:b]
    line_map = _line_map(src, a, b)
    logical = tuple(line_map)
    cover = _cover_ends(src, len(shown), len(t), a, b)
    vspans = _visual_spans(text, logical, cover, spans) if spans else ()
    start, end = _extent(src, a, b, len(shown), len(t))
    return VisualLine(text, text_width(text), 0, rtl, vspans, logical, start, end)


def _extent(src: list[int] | None, a: int, b: int, n: int, total: int) -> tuple[int, int]:
    """Logical ``[start, end)`` of the shown positions ``[a, b)``."""
    if src is None:
        return a, b
    start = src[a] if a < n else total
    if a == b:
        return start, start
    return start, (src[b] if b < n else total)


def _app_line(t: str, shaped: str, src: list[int] | None, levels: bytes, classes: str, base: int,
              a: int, b: int, width: int, spans: tuple[Span, ...]) -> VisualLine:
    rtl = bool(base & 1)
    start, end = _extent(src, a, b, len(shaped), len(t))
    if a == b:
        return VisualLine("", 0, 0, rtl, (), (), start, start)
    segment = shaped[a:b]
    line_levels = reset_whitespace(levels[a:b], classes[a:b], base)
    order = visual_order(line_levels)
    if has_zero_width(segment):
        _marks_after_base(segment, order, line_levels)
    if _HIDDEN.search(segment):
        order = [i for i in order if not _HIDDEN.match(segment, i)]
    text = "".join(map(segment.__getitem__, order))
    if _MIRRORABLE.search(text):
        chars = list(text)
        for k, i in enumerate(order):
            if line_levels[i] & 1:
                mirrored = MIRRORS.get(ord(chars[k]))
                if mirrored is not None:
                    chars[k] = chr(mirrored)
        text = "".join(chars)
    line_map = _line_map(src, a, b)
    logical = tuple(map(line_map.__getitem__, order))
    cells = text_width(text)
    vspans: tuple[VisualSpan, ...] = ()
    if spans:
        cover_ends = _cover_ends(src, len(shaped), len(t), a, b)
        cover = [cover_ends[i] for i in order]
        vspans = _visual_spans(text, logical, cover, spans)
    return VisualLine(text, cells, max(0, width - cells) if rtl else 0, rtl, vspans, logical, start, end)


def _marks_after_base(segment: str, order: list[int], levels: bytes | bytearray) -> None:
    """UBA L3: in right-to-left runs a combining mark comes out before its base; a terminal attaches a
    mark to the cell before it, so move each base in front of its marks (in place on ``order``)."""
    i = 0
    n = len(order)
    while i < n:
        j = order[i]
        if levels[j] & 1 and char_width(segment[j]) == 0:
            k = i
            # A run of marks in reversed logical order, then (visually) their base.
            while k + 1 < n and order[k + 1] == order[k] - 1 and char_width(segment[order[k + 1]]) == 0:
                k += 1
            if k + 1 < n and order[k + 1] == order[k] - 1 and levels[order[k + 1]] & 1:
                order[i:k + 2] = order[i:k + 2][::-1]
                i = k + 2
            else:
                i = k + 1
        else:
            i += 1


def _visual_spans(text: str, logical: Sequence[int], cover: Sequence[int],
                  spans: tuple[Span, ...]) -> tuple[VisualSpan, ...]:
    """Map logical spans onto the cells of one line: visual code point k shows the logical range
    ``[logical[k], cover[k])``. Zero-width code points belong to their base's cell."""
    if not logical:
        return ()
    lo = min(logical)
    hi = max(cover)
    relevant = [s for s in spans if s.start < hi and s.end > lo and s.end > s.start]
    if not relevant:
        return ()
    bounds: list[tuple[int, int]] = []
    cell = 0
    for ch in text:
        w = char_width(ch)
        bounds.append((cell, cell + w))
        cell += w
    result: list[VisualSpan] = []
    for span in relevant:
        run_start = run_end = -1
        for k, (c0, c1) in enumerate(bounds):
            if c0 == c1:
                continue
            if logical[k] < span.end and cover[k] > span.start:
                if run_start < 0:
                    run_start = c0
                run_end = c1
            elif run_start >= 0:
                result.append(VisualSpan(run_start, run_end, span.kind))
                run_start = -1
        if run_start >= 0:
            result.append(VisualSpan(run_start, run_end, span.kind))
    result.sort(key=lambda v: (v.start_cell, v.end_cell))
    return tuple(result)


def _visual_line(text: str, width: int, base: str, mode: str, strip: bool, spans: tuple[Span, ...],
                 ellipsis: str) -> VisualLine:
    t = sanitize(text, multiline=False)
    level = 0 if mode == "off" else _resolve_level(t, base)
    fixed = "rtl" if level & 1 else "ltr"
    work = t
    limit = 8 * width + 256
    if len(t) > limit and text_width(t[:limit]) > 2 * width + 2:
        # A long title: only its start can show. Shaping never more than halves a width (lam-alef), so
        # this prefix is already too wide, and the rest need not be shaped or measured.
        work = t[:limit]
    if mode == "app":
        shown, src, _removed = shape(work, harakat=not strip)
    else:
        shown, src = _visible(work, strip)
    if text_width(shown.rstrip(BREAK_SPACES)) <= width:
        line = layout_paragraph(t, width, base=fixed, mode=mode, strip_harakat=strip, spans=spans).lines[0]
        return line
    budget = width - text_width(ellipsis)
    cut = 0  # how many shown code points fit
    used = 0
    special = has_special_width(shown)
    for i, ch in enumerate(shown):
        w = char_width(ch) if special else 1
        if used + w > budget:
            break
        used += w
        cut = i + 1
    while cut < len(shown) and char_width(shown[cut]) == 0:
        cut += 1  # marks stay with their letter
    logical_cut = (cut if src is None else src[cut]) if cut < len(shown) else len(work)
    while logical_cut > 0 and t[logical_cut - 1] in BREAK_SPACES:
        logical_cut -= 1
    truncated = t[:logical_cut] + ellipsis
    clipped = tuple(Span(s.start, min(s.end, logical_cut), s.kind) for s in spans if s.start < logical_cut)
    return layout_paragraph(truncated, width, base=fixed, mode=mode, strip_harakat=strip,
                            spans=clipped).lines[0]
